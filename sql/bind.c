/* bind.c - the binder: resolves names and types in the AST and builds the logical plan.
 *
 * A query binds bottom-up: FROM yields a plan and a scope (the visible columns); WHERE becomes a
 * FILTER; a query with aggregates or GROUP BY becomes a WINDOW_AGG whose output layout is
 *   group keys..., window_start, window_end, window_time, aggregate results...
 * and the SELECT list and HAVING are then bound against that layout ("post-aggregation" mode):
 * an expression equal to a group key becomes a reference to the key's column, an aggregate call
 * becomes a reference to its result, and any other column reference is an error. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "../engine/datetime.h"
#include "../engine/decimal.h"
#include "../engine/value_text.h"
#include "plan.h"

/* One visible column. index is the column of the input plan, or one of the window markers for
 * the window_start/window_end/window_time columns of a window table function. */
enum { WIN_START = -2, WIN_END = -3, WIN_TIME = -4 };

typedef struct scope_col {
  const char *table;  /* alias or table name qualifying the column */
  const char *name;
  sl_type type;
  int index;
} scope_col;

typedef struct scope {
  int n;
  scope_col *cols;
  const char *table_name;  /* the single table in scope, for messages; NULL when several */
  int win_col;             /* window table function: its time column, and */
  int64_t win_size;        /* its size (the window markers are computed from them) */
} scope;

/* Aggregation context of one SELECT: the state of post-aggregation binding. */
typedef struct agg_ctx {
  scope *input;            /* scope of the aggregate's input */
  int nkeys;
  sl_ast_expr **key_ast;
  sl_expr **keys;
  int naggs, cap_aggs;
  sl_ast_expr **agg_ast;
  sl_agg_call *aggs;
  bool windowed;
  bool tvf;                /* window from a window table function */
  sl_ast_expr *window_ast; /* legacy: the TUMBLE(...) call in GROUP BY */
  sl_type win_type;        /* TIMESTAMP(3) */
  bool in_agg_arg;         /* binding an aggregate's argument (nested aggregates are errors) */
} agg_ctx;

typedef struct binder {
  sl_arena *a;
  sl_catalog *cat;
  sl_err *err;
  const char *sql;
  agg_ctx *agg;            /* non-NULL while binding SELECT/HAVING of an aggregate query */
  int depth;               /* view expansion depth, to stop cycles */
} binder;

static int bind_expr(binder *b, scope *sc, sl_ast_expr *e, sl_expr **out);
static int bind_select(binder *b, sl_ast_select *s, sl_plan **out, scope *osc);

/* ---- Small helpers ---------------------------------------------------------------------- */

static sl_type ts3(bool nullable) { return sl_type_make(SL_TYPE_TIMESTAMP, 3, 0, nullable); }

static char *type_str(binder *b, sl_type t) {
  char buf[64];
  sl_type_name(t, buf, sizeof buf);
  return sl_arena_strdup(b->a, buf);
}

static sl_plan *plan_new(binder *b, sl_plan_kind kind, sl_plan *input) {
  sl_plan *p = sl_arena_zalloc(b->a, sizeof *p);
  p->kind = kind;
  p->input = input;
  p->rowtime = -1;
  p->wm_col = -1;
  p->time_col = -1;
  return p;
}

static void schema_alloc(binder *b, sl_schema *s, int n) {
  s->n = n;
  s->names = sl_arena_zalloc(b->a, sizeof(char *) * (size_t)(n ? n : 1));
  s->types = sl_arena_zalloc(b->a, sizeof(sl_type) * (size_t)(n ? n : 1));
}

static bool is_agg_name(const char *s) {
  return !strcasecmp(s, "COUNT") || !strcasecmp(s, "SUM") || !strcasecmp(s, "AVG") ||
         !strcasecmp(s, "MIN") || !strcasecmp(s, "MAX");
}

static bool is_window_group_fn(const char *s) {
  return !strcasecmp(s, "TUMBLE") || !strcasecmp(s, "HOP") || !strcasecmp(s, "SESSION") ||
         !strcasecmp(s, "CUMULATE");
}

static bool is_window_prop_fn(const char *s) {
  return !strcasecmp(s, "TUMBLE_START") || !strcasecmp(s, "TUMBLE_END") ||
         !strcasecmp(s, "TUMBLE_ROWTIME") || !strcasecmp(s, "TUMBLE_PROCTIME") ||
         !strcasecmp(s, "HOP_START") || !strcasecmp(s, "HOP_END") || !strcasecmp(s, "HOP_ROWTIME") ||
         !strcasecmp(s, "SESSION_START") || !strcasecmp(s, "SESSION_END") ||
         !strcasecmp(s, "SESSION_ROWTIME");
}

/* Structural equality of two expressions as written (used to match GROUP BY keys). */
static bool ast_equal(const sl_ast_expr *x, const sl_ast_expr *y) {
  if (x == y) return true;
  if (!x || !y) return false;
  if (x->kind != y->kind || x->op != y->op || x->distinct != y->distinct || x->negated != y->negated ||
      x->star != y->star || x->unit_from != y->unit_from || x->unit_to != y->unit_to)
    return false;
  if ((x->s == NULL) != (y->s == NULL)) return false;
  if (x->s) {
    if (x->kind == SL_AST_FUNC ? strcasecmp(x->s, y->s) : (x->n != y->n || memcmp(x->s, y->s, x->n ? x->n : strlen(x->s))))
      return false;
    if (x->kind != SL_AST_FUNC && x->n == 0 && strcmp(x->s, y->s)) return false;
  }
  if (x->kind == SL_AST_IDENT && x->qual && y->qual && strcmp(x->qual, y->qual)) return false;
  if (!ast_equal(x->a, y->a) || !ast_equal(x->b, y->b) || !ast_equal(x->c, y->c)) return false;
  int nx = x->list ? x->list->n : 0, ny = y->list ? y->list->n : 0;
  if (nx != ny) return false;
  for (int i = 0; i < nx; i++)
    if (!ast_equal(x->list->items[i], y->list->items[i])) return false;
  if (x->type && y->type && !sl_type_equal(x->type->type, y->type->type)) return false;
  return true;
}

/* Renders an expression as written, for messages. */
static const char *ast_text(binder *b, const sl_ast_expr *e) {
  if (e->kind == SL_AST_IDENT) {
    return e->qual ? sl_arena_printf(b->a, "%s.%s", e->qual, e->s) : e->s;
  }
  if (e->kind == SL_AST_FUNC) return sl_arena_printf(b->a, "%s(...)", e->s);
  return "expression";
}

/* ---- Literals --------------------------------------------------------------------------- */

static int bind_number(binder *b, sl_ast_expr *e, sl_expr **out) {
  const char *s = e->s;
  size_t n = strlen(s);
  sl_value v = {0};
  if (strpbrk(s, "eE")) {
    char *end;
    v.f64 = strtod(s, &end);
    if (*end) return sl_err_set(b->err, SL_ESYNTAX, e->loc, "invalid number '%s'", s);
    *out = sl_expr_const(b->a, sl_type_make(SL_TYPE_DOUBLE, 0, 0, false), &v, e->loc);
    return 0;
  }
  const char *dot = strchr(s, '.');
  int digits = 0, scale = 0;
  for (const char *p = s; *p; p++)
    if (isdigit((unsigned char)*p)) digits++;
  if (dot) scale = (int)(n - (size_t)(dot - s) - 1);
  /* Leading zeros do not count toward precision. */
  const char *p = s;
  while (*p == '0' && p[1] && p[1] != '.') { p++; digits--; }
  if (!dot) {
    if (digits <= 18) {
      long long iv = strtoll(s, NULL, 10);
      v.i64 = iv;
      bool is_int = iv >= INT32_MIN && iv <= INT32_MAX;
      *out = sl_expr_const(b->a, sl_type_make(is_int ? SL_TYPE_INT : SL_TYPE_BIGINT, 0, 0, false), &v, e->loc);
      return 0;
    }
    if (digits == 19) {
      char *end;
      unsigned long long u = strtoull(s, &end, 10);
      if (u <= (unsigned long long)INT64_MAX) {
        v.i64 = (int64_t)u;
        *out = sl_expr_const(b->a, sl_type_make(SL_TYPE_BIGINT, 0, 0, false), &v, e->loc);
        return 0;
      }
    }
  }
  int prec = digits > scale ? digits : scale;
  if (prec < 1) prec = 1;
  if (prec > SL_DECIMAL_MAX_PRECISION)
    return sl_err_set(b->err, SL_EOVERFLOW, e->loc, "numeric literal '%s' exceeds 38 digits", s);
  int rc = sl_dec_parse(s, n, prec, scale, &v.dec);
  if (rc) return sl_err_set(b->err, rc, e->loc, "invalid number '%s'", s);
  *out = sl_expr_const(b->a, sl_type_make(SL_TYPE_DECIMAL, prec, scale, false), &v, e->loc);
  return 0;
}

static int bind_typed_literal(binder *b, sl_ast_expr *e, sl_expr **out) {
  sl_type t = e->type->type;
  t.nullable = false;
  if ((t.kind == SL_TYPE_TIMESTAMP || t.kind == SL_TYPE_TIME || t.kind == SL_TYPE_TIMESTAMP_LTZ) &&
      !e->type->has_precision) {
    /* The precision of a timestamp literal is the number of fraction digits written. */
    const char *dot = strrchr(e->s, '.');
    const char *colon = strrchr(e->s, ':');
    int p = 0;
    if (dot && colon && dot > colon) {
      for (const char *q = dot + 1; isdigit((unsigned char)*q); q++) p++;
    }
    t.precision = p;
  }
  sl_value v = {0};
  int rc = sl_value_parse(t, e->s, strlen(e->s), b->a, &v);
  if (rc) return sl_err_set(b->err, SL_ETYPE, e->loc, "invalid %s literal '%s'", type_str(b, t), e->s);
  *out = sl_expr_const(b->a, t, &v, e->loc);
  return 0;
}

static int bind_interval(binder *b, sl_ast_expr *e, sl_expr **out) {
  bool ym = false;
  int64_t v = 0;
  int rc = sl_interval_parse(e->s, strlen(e->s), e->unit_from, e->unit_to ? e->unit_to : e->unit_from, &ym, &v);
  if (rc) return sl_err_set(b->err, SL_ESYNTAX, e->loc, "invalid interval literal '%s'", e->s);
  if (e->op == -1) v = -v;
  sl_value val = {.i64 = v};
  *out = sl_expr_const(b->a, sl_type_make(ym ? SL_TYPE_INTERVAL_YM : SL_TYPE_INTERVAL_DT, 3, 0, false), &val, e->loc);
  return 0;
}

/* ---- Names ------------------------------------------------------------------------------ */

static int column_not_found(binder *b, scope *sc, sl_ast_expr *e) {
  const char **names = sl_arena_alloc(b->a, sizeof(char *) * (size_t)(sc->n ? sc->n : 1));
  int n = 0;
  for (int i = 0; i < sc->n; i++)
    if (!e->qual || (sc->cols[i].table && !strcmp(sc->cols[i].table, e->qual))) names[n++] = sc->cols[i].name;
  const char *close = sl_closest_name(e->s, names, n);
  const char *name = ast_text(b, e);
  if (sc->table_name)
    sl_err_set(b->err, SL_EBIND, e->loc, "column '%s' not found in table '%s'%s%s%s", name, sc->table_name,
               close ? " (did you mean '" : "", close ? close : "", close ? "'?)" : "");
  else
    sl_err_set(b->err, SL_EBIND, e->loc, "column '%s' not found in any table%s%s%s", name,
               close ? " (did you mean '" : "", close ? close : "", close ? "'?)" : "");
  return SL_EBIND;
}

/* Finds an identifier in scope; SL_EBIND when absent or ambiguous. */
static int resolve_ident(binder *b, scope *sc, sl_ast_expr *e, scope_col **out) {
  scope_col *found = NULL;
  for (int i = 0; i < sc->n; i++) {
    scope_col *c = &sc->cols[i];
    if (strcmp(c->name, e->s)) continue;
    if (e->qual && (!c->table || strcmp(c->table, e->qual))) continue;
    if (found) return sl_err_set(b->err, SL_EBIND, e->loc, "column reference '%s' is ambiguous", e->s);
    found = c;
  }
  if (!found) {
    if (e->qual) {
      bool known = false;
      for (int i = 0; i < sc->n; i++)
        if (sc->cols[i].table && !strcmp(sc->cols[i].table, e->qual)) known = true;
      if (!known) return sl_err_set(b->err, SL_EBIND, e->loc, "table or alias '%s' not found", e->qual);
    }
    return column_not_found(b, sc, e);
  }
  *out = found;
  return 0;
}

/* ---- Aggregation: post-aggregation references ------------------------------------------ */

static sl_type agg_result_type(binder *b, int kind, sl_type in, int64_t loc, const char *name, int *rc) {
  sl_type t = in;
  t.rowtime = false;
  *rc = 0;
  switch (kind) {
    case SL_AGG_COUNT_STAR:
    case SL_AGG_COUNT: return sl_type_make(SL_TYPE_BIGINT, 0, 0, false);
    case SL_AGG_SUM:
    case SL_AGG_AVG:
      if (!sl_type_is_numeric(in)) {
        *rc = sl_err_set(b->err, SL_ETYPE, loc, "cannot apply '%s' to %s", name, type_str(b, in));
        return t;
      }
      t.nullable = true;
      if (in.kind == SL_TYPE_DECIMAL) {
        int p, s;
        if (kind == SL_AGG_SUM) sl_dec_type_sum(in.precision, in.scale, &p, &s);
        else sl_dec_type_avg(in.precision, in.scale, &p, &s);
        t.precision = p;
        t.scale = (uint8_t)s;
      }
      return t;
    case SL_AGG_MIN:
    case SL_AGG_MAX:
      if (in.kind == SL_TYPE_INTERVAL_YM || in.kind == SL_TYPE_NULL) {
        *rc = sl_err_set(b->err, SL_ETYPE, loc, "cannot apply '%s' to %s", name, type_str(b, in));
      }
      t.nullable = true;
      return t;
  }
  return t;
}

/* Binds aggregate call e (in post-aggregation mode) and returns a reference to its result. */
static int bind_agg_call(binder *b, sl_ast_expr *e, sl_expr **out) {
  agg_ctx *ag = b->agg;
  int layout_base = ag->nkeys + 3;
  for (int i = 0; i < ag->naggs; i++)
    if (ast_equal(ag->agg_ast[i], e)) {
      *out = sl_expr_col(b->a, layout_base + i, ag->aggs[i].type, e->loc);
      return 0;
    }
  if (ag->in_agg_arg) return sl_err_set(b->err, SL_EBIND, e->loc, "aggregate calls cannot be nested");
  int kind;
  const char *name = e->s;
  int nargs = e->list ? e->list->n : 0;
  if (!strcasecmp(name, "COUNT")) kind = e->star ? SL_AGG_COUNT_STAR : SL_AGG_COUNT;
  else if (!strcasecmp(name, "SUM")) kind = SL_AGG_SUM;
  else if (!strcasecmp(name, "AVG")) kind = SL_AGG_AVG;
  else if (!strcasecmp(name, "MIN")) kind = SL_AGG_MIN;
  else kind = SL_AGG_MAX;
  if (kind != SL_AGG_COUNT_STAR && nargs != 1)
    return sl_err_set(b->err, SL_EBIND, e->loc, "%s takes exactly one argument", name);
  if (kind == SL_AGG_COUNT_STAR && e->distinct)
    return sl_err_set(b->err, SL_ESYNTAX, e->loc, "COUNT(DISTINCT *) is not valid");
  sl_agg_call call = {.kind = kind, .distinct = e->distinct};
  sl_type in = sl_type_make(SL_TYPE_BIGINT, 0, 0, false);
  if (kind != SL_AGG_COUNT_STAR) {
    agg_ctx *saved = b->agg;
    b->agg = NULL;
    ag->in_agg_arg = true;
    sl_ast_expr *arg = e->list->items[0];
    int rc;
    if (arg->kind == SL_AST_FUNC && is_agg_name(arg->s))
      rc = sl_err_set(b->err, SL_EBIND, arg->loc, "aggregate calls cannot be nested");
    else
      rc = bind_expr(b, ag->input, arg, &call.arg);
    b->agg = saved;
    ag->in_agg_arg = false;
    if (rc) return rc;
    in = call.arg->type;
  }
  int rc = 0;
  char uname[16];
  snprintf(uname, sizeof uname, "%s", name);
  for (char *p = uname; *p; p++) *p = (char)toupper((unsigned char)*p);
  call.name = sl_arena_strdup(b->a, uname);
  call.type = agg_result_type(b, kind, in, e->loc, call.name, &rc);
  if (rc) return rc;
  if (ag->naggs == ag->cap_aggs) {
    int cap = ag->cap_aggs ? ag->cap_aggs * 2 : 8;
    sl_ast_expr **na = sl_arena_alloc(b->a, sizeof(*na) * (size_t)cap);
    sl_agg_call *nc = sl_arena_alloc(b->a, sizeof(*nc) * (size_t)cap);
    if (ag->naggs) {
      memcpy(na, ag->agg_ast, sizeof(*na) * (size_t)ag->naggs);
      memcpy(nc, ag->aggs, sizeof(*nc) * (size_t)ag->naggs);
    }
    ag->agg_ast = na;
    ag->aggs = nc;
    ag->cap_aggs = cap;
  }
  ag->agg_ast[ag->naggs] = e;
  ag->aggs[ag->naggs] = call;
  *out = sl_expr_col(b->a, layout_base + ag->naggs, call.type, e->loc);
  ag->naggs++;
  return 0;
}

/* TUMBLE_START(ts, size) and friends: must repeat the GROUP BY window. */
static int bind_window_prop(binder *b, sl_ast_expr *e, sl_expr **out) {
  agg_ctx *ag = b->agg;
  const char *name = e->s;
  if (!ag || !ag->windowed || ag->tvf || !ag->window_ast)
    return sl_err_set(b->err, SL_EBIND, e->loc, "%s can only be used with GROUP BY TUMBLE(...)", name);
  if (strncasecmp(name, "TUMBLE", 6))
    return sl_err_set(b->err, SL_EUNSUPPORTED, e->loc, "%s is not supported yet (only TUMBLE windows)", name);
  /* The arguments must match the window in GROUP BY. */
  sl_ast_expr w = *e;
  w.s = ag->window_ast->s;
  if (!ast_equal(&w, ag->window_ast))
    return sl_err_set(b->err, SL_EBIND, e->loc, "%s must have the same arguments as the TUMBLE in GROUP BY",
                      name);
  const char *suffix = name + 6;
  int col = ag->nkeys;
  sl_type t = ts3(false);
  if (!strcasecmp(suffix, "_START")) col += 0;
  else if (!strcasecmp(suffix, "_END")) col += 1;
  else if (!strcasecmp(suffix, "_ROWTIME")) {
    col += 2;
    t.rowtime = true;
  } else
    return sl_err_set(b->err, SL_EUNSUPPORTED, e->loc, "%s is not supported (event time only)", name);
  *out = sl_expr_col(b->a, col, t, e->loc);
  return 0;
}

/* In post-aggregation mode: is e a group key, or a window column? */
static int match_post_agg(binder *b, sl_ast_expr *e, sl_expr **out) {
  agg_ctx *ag = b->agg;
  for (int i = 0; i < ag->nkeys; i++)
    if (ast_equal(ag->key_ast[i], e)) {
      sl_type t = ag->keys[i]->type;
      t.rowtime = false;
      *out = sl_expr_col(b->a, i, t, e->loc);
      return 1;
    }
  if (ag->tvf && e->kind == SL_AST_IDENT) {
    scope_col *c = NULL;
    for (int i = 0; i < ag->input->n; i++)
      if (!strcmp(ag->input->cols[i].name, e->s) && ag->input->cols[i].index <= WIN_START &&
          (!e->qual || (ag->input->cols[i].table && !strcmp(ag->input->cols[i].table, e->qual))))
        c = &ag->input->cols[i];
    if (c) {
      sl_type t = ts3(false);
      int col = ag->nkeys + (c->index == WIN_START ? 0 : c->index == WIN_END ? 1 : 2);
      if (c->index == WIN_TIME) t.rowtime = true;
      *out = sl_expr_col(b->a, col, t, e->loc);
      return 1;
    }
  }
  return 0;
}

/* ---- Expressions ------------------------------------------------------------------------ */

static int bind_args(binder *b, scope *sc, sl_ast_list *l, int *n, sl_expr ***out) {
  *n = l ? l->n : 0;
  *out = sl_arena_zalloc(b->a, sizeof(sl_expr *) * (size_t)(*n ? *n : 1));
  for (int i = 0; i < *n; i++) {
    int rc = bind_expr(b, sc, l->items[i], &(*out)[i]);
    if (rc) return rc;
  }
  return 0;
}

static int require_bool(binder *b, sl_expr *e, const char *what) {
  if (e->type.kind == SL_TYPE_BOOLEAN || e->type.kind == SL_TYPE_NULL) return 0;
  return sl_err_set(b->err, SL_ETYPE, e->loc, "%s must be BOOLEAN, not %s", what, type_str(b, e->type));
}

static sl_expr *as_bool(binder *b, sl_expr *e) {
  if (e->type.kind == SL_TYPE_NULL) {
    sl_expr *c = NULL;
    sl_expr_cast(b->a, e, sl_type_make(SL_TYPE_BOOLEAN, 0, 0, true), false, e->loc, &c, NULL);
    return c ? c : e;
  }
  return e;
}

/* A window column of a window table function as an expression over its input: window_start =
 * TUMBLE_START(time, size), window_end = window_start + size, window_time = window_end - 1 ms
 * (the time attribute of a windowed row, as in Flink). */
static int window_expr(binder *b, const scope *sc, int marker, int64_t loc, sl_expr **out) {
  sl_type tt = sc->cols[0].type;
  for (int i = 0; i < sc->n; i++)
    if (sc->cols[i].index == sc->win_col) tt = sc->cols[i].type;
  tt.rowtime = false;
  sl_value size = {.i64 = sc->win_size}, ms = {.i64 = 1000};
  sl_type it = sl_type_make(SL_TYPE_INTERVAL_DT, 3, 0, false);
  sl_expr *start = sl_expr_new(b->a, SL_EXPR_CALL, ts3(false), 2, loc);
  start->fn = SL_FN_WINDOW_START;
  start->args[0] = sl_expr_col(b->a, sc->win_col, tt, loc);
  start->args[1] = sl_expr_const(b->a, it, &size, loc);
  if (marker == WIN_START) {
    *out = start;
    return 0;
  }
  sl_expr *a1[2] = {start, sl_expr_const(b->a, it, &size, loc)}, *end;
  int rc = sl_func_bind(b->a, "+", loc, 2, a1, &end, b->err);
  if (rc || marker == WIN_END) {
    *out = end;
    return rc;
  }
  sl_expr *a2[2] = {end, sl_expr_const(b->a, it, &ms, loc)};
  if ((rc = sl_func_bind(b->a, "-", loc, 2, a2, out, b->err))) return rc;
  (*out)->type.rowtime = true;
  return 0;
}

/* Coerces all args to their common type (CASE results, IN lists, COALESCE). */
static int coerce_common(binder *b, sl_expr **args, int n, int64_t loc, const char *what, sl_type *common) {
  sl_type t = args[0]->type;
  for (int i = 1; i < n; i++) {
    sl_type nt;
    if (sl_type_common(t, args[i]->type, &nt))
      return sl_err_set(b->err, SL_ETYPE, args[i]->loc, "%s: incompatible types %s and %s", what, type_str(b, t),
                        type_str(b, args[i]->type));
    t = nt;
  }
  for (int i = 0; i < n; i++) {
    sl_type want = t;
    want.nullable = args[i]->type.nullable || args[i]->type.kind == SL_TYPE_NULL;
    int rc = sl_expr_cast(b->a, args[i], want, false, args[i]->loc, &args[i], b->err);
    if (rc) return rc;
  }
  t.rowtime = false;
  *common = t;
  return 0;
}

static int call_fn(binder *b, const char *name, int64_t loc, int nargs, sl_expr **args, sl_expr **out) {
  return sl_func_bind(b->a, name, loc, nargs, args, out, b->err);
}

static const char *op_name(int op) {
  switch (op) {
    case SL_OP_ADD: return "+";
    case SL_OP_SUB: return "-";
    case SL_OP_MUL: return "*";
    case SL_OP_DIV: return "/";
    case SL_OP_MOD: return "%";
    case SL_OP_CONCAT: return "||";
    case SL_OP_EQ: return "=";
    case SL_OP_NE: return "<>";
    case SL_OP_LT: return "<";
    case SL_OP_LE: return "<=";
    case SL_OP_GT: return ">";
    case SL_OP_GE: return ">=";
  }
  return "?";
}

static int bind_logic(binder *b, scope *sc, sl_ast_expr *e, int kind, sl_expr **out) {
  sl_expr *x, *y;
  int rc = bind_expr(b, sc, e->a, &x);
  if (!rc) rc = bind_expr(b, sc, e->b, &y);
  if (rc) return rc;
  const char *what = kind == SL_EXPR_AND ? "operand of AND" : "operand of OR";
  if ((rc = require_bool(b, x, what)) || (rc = require_bool(b, y, what))) return rc;
  sl_expr *n = sl_expr_new(b->a, kind, sl_type_make(SL_TYPE_BOOLEAN, 0, 0, x->type.nullable || y->type.nullable),
                           2, e->loc);
  n->args[0] = as_bool(b, x);
  n->args[1] = as_bool(b, y);
  *out = n;
  return 0;
}

static int bind_case(binder *b, scope *sc, sl_ast_expr *e, sl_expr **out) {
  int npairs = e->list->n / 2;
  int nargs = npairs * 2 + (e->b ? 1 : 0);
  sl_expr **args = sl_arena_zalloc(b->a, sizeof(sl_expr *) * (size_t)(nargs + 1));
  sl_expr *operand = NULL;
  int rc;
  if (e->a && (rc = bind_expr(b, sc, e->a, &operand))) return rc;
  int nvals = 0;
  sl_expr **vals = sl_arena_zalloc(b->a, sizeof(sl_expr *) * (size_t)(npairs + 1));
  for (int i = 0; i < npairs; i++) {
    sl_expr *cond, *val;
    if ((rc = bind_expr(b, sc, e->list->items[2 * i], &cond))) return rc;
    if (operand) {
      sl_expr *pair[2] = {operand, cond};
      if ((rc = call_fn(b, "=", cond->loc, 2, pair, &cond))) return rc;
    } else if ((rc = require_bool(b, cond, "CASE condition"))) {
      return rc;
    }
    if ((rc = bind_expr(b, sc, e->list->items[2 * i + 1], &val))) return rc;
    args[2 * i] = as_bool(b, cond);
    vals[nvals++] = val;
  }
  if (e->b) {
    if ((rc = bind_expr(b, sc, e->b, &vals[nvals]))) return rc;
    nvals++;
  }
  sl_type t;
  if ((rc = coerce_common(b, vals, nvals, e->loc, "CASE", &t))) return rc;
  bool nullable = !e->b;
  for (int i = 0; i < nvals; i++) nullable |= vals[i]->type.nullable;
  for (int i = 0; i < npairs; i++) args[2 * i + 1] = vals[i];
  if (e->b) args[nargs - 1] = vals[nvals - 1];
  t.nullable = nullable;
  sl_expr *n = sl_expr_new(b->a, SL_EXPR_CASE, t, nargs, e->loc);
  memcpy(n->args, args, sizeof(sl_expr *) * (size_t)nargs);
  *out = n;
  return 0;
}

static int bind_func(binder *b, scope *sc, sl_ast_expr *e, sl_expr **out) {
  const char *name = e->s;
  if (is_agg_name(name)) {
    if (!b->agg) {
      return sl_err_set(b->err, SL_EBIND, e->loc, "aggregate function %s is not allowed here", name);
    }
    return bind_agg_call(b, e, out);
  }
  if (is_window_prop_fn(name)) return bind_window_prop(b, e, out);
  if (is_window_group_fn(name))
    return sl_err_set(b->err, SL_EBIND, e->loc, "window function %s can only be used in GROUP BY", name);
  if (e->distinct) return sl_err_set(b->err, SL_EBIND, e->loc, "DISTINCT is only allowed in aggregate calls");
  if (e->unit_from)
    return sl_err_set(b->err, SL_EUNSUPPORTED, e->loc, "%s(... TO unit) is not supported yet", name);
  int n;
  sl_expr **args;
  int rc = bind_args(b, sc, e->list, &n, &args);
  if (rc) return rc;
  if (!strcasecmp(name, "COALESCE")) {
    if (n < 1) return sl_err_set(b->err, SL_EBIND, e->loc, "COALESCE needs at least one argument");
    sl_type t;
    if ((rc = coerce_common(b, args, n, e->loc, "COALESCE", &t))) return rc;
    t.nullable = true;
    for (int i = 0; i < n; i++)
      if (!args[i]->type.nullable && args[i]->type.kind != SL_TYPE_NULL) t.nullable = false;
    sl_expr *c = sl_expr_new(b->a, SL_EXPR_COALESCE, t, n, e->loc);
    memcpy(c->args, args, sizeof(sl_expr *) * (size_t)n);
    *out = c;
    return 0;
  }
  char uname[64];
  snprintf(uname, sizeof uname, "%s", name);
  for (char *p = uname; *p; p++) *p = (char)toupper((unsigned char)*p);
  return call_fn(b, uname, e->loc, n, args, out);
}

static int bind_expr(binder *b, scope *sc, sl_ast_expr *e, sl_expr **out) {
  int rc;
  if (b->agg && !b->agg->in_agg_arg && match_post_agg(b, e, out)) return 0;
  switch ((sl_ast_expr_kind)e->kind) {
    case SL_AST_NUM: return bind_number(b, e, out);
    case SL_AST_STR: {
      sl_value v = {0};
      v.str.ptr = e->s;
      v.str.len = (uint32_t)e->n;
      int len = (int)e->n;
      *out = sl_expr_const(b->a, sl_type_make(SL_TYPE_CHAR, len ? len : 1, 0, false), &v, e->loc);
      if (len == 0) (*out)->type = sl_type_make(SL_TYPE_VARCHAR, 0, 0, false);
      return 0;
    }
    case SL_AST_BOOL: {
      sl_value v = {.i64 = e->op ? 1 : 0};
      *out = sl_expr_const(b->a, sl_type_make(SL_TYPE_BOOLEAN, 0, 0, false), &v, e->loc);
      return 0;
    }
    case SL_AST_NULL: {
      sl_value v = {.is_null = true};
      *out = sl_expr_const(b->a, sl_type_make(SL_TYPE_NULL, 0, 0, true), &v, e->loc);
      return 0;
    }
    case SL_AST_TYPED_LIT: return bind_typed_literal(b, e, out);
    case SL_AST_INTERVAL: return bind_interval(b, e, out);
    case SL_AST_IDENT: {
      if (b->agg && !b->agg->in_agg_arg)
        return sl_err_set(b->err, SL_EBIND, e->loc, "expression '%s' is neither grouped nor aggregated",
                          ast_text(b, e));
      scope_col *c;
      if ((rc = resolve_ident(b, sc, e, &c))) return rc;
      if (c->index <= WIN_START) return window_expr(b, sc, c->index, e->loc, out);
      *out = sl_expr_col(b->a, c->index, c->type, e->loc);
      return 0;
    }
    case SL_AST_STAR: return sl_err_set(b->err, SL_EBIND, e->loc, "'*' is not allowed here");
    case SL_AST_UNARY: {
      sl_expr *x;
      if ((rc = bind_expr(b, sc, e->a, &x))) return rc;
      if (e->op == SL_OP_PLUS) {
        *out = x;
        return 0;
      }
      if (e->op == SL_OP_NOT) {
        if ((rc = require_bool(b, x, "operand of NOT"))) return rc;
        sl_expr *n = sl_expr_new(b->a, SL_EXPR_NOT, sl_type_make(SL_TYPE_BOOLEAN, 0, 0, x->type.nullable), 1, e->loc);
        n->args[0] = as_bool(b, x);
        *out = n;
        return 0;
      }
      return call_fn(b, "NEG", e->loc, 1, &x, out);
    }
    case SL_AST_BINARY: {
      if (e->op == SL_OP_AND) return bind_logic(b, sc, e, SL_EXPR_AND, out);
      if (e->op == SL_OP_OR) return bind_logic(b, sc, e, SL_EXPR_OR, out);
      sl_expr *args[2];
      if ((rc = bind_expr(b, sc, e->a, &args[0])) || (rc = bind_expr(b, sc, e->b, &args[1]))) return rc;
      return call_fn(b, op_name(e->op), e->loc, 2, args, out);
    }
    case SL_AST_IS: {
      sl_expr *x;
      if ((rc = bind_expr(b, sc, e->a, &x))) return rc;
      int kind = SL_EXPR_IS_NULL;
      if (e->op == SL_IS_TRUE || e->op == SL_IS_FALSE) {
        if ((rc = require_bool(b, x, "operand of IS TRUE/FALSE"))) return rc;
        kind = e->op == SL_IS_TRUE ? SL_EXPR_IS_TRUE : SL_EXPR_IS_FALSE;
      }
      sl_expr *n = sl_expr_new(b->a, kind, sl_type_make(SL_TYPE_BOOLEAN, 0, 0, false), 1, e->loc);
      n->args[0] = x;
      n->negated = e->negated;
      *out = n;
      return 0;
    }
    case SL_AST_BETWEEN: {
      sl_expr *x, *lo, *hi, *ge, *le;
      if ((rc = bind_expr(b, sc, e->a, &x)) || (rc = bind_expr(b, sc, e->b, &lo)) ||
          (rc = bind_expr(b, sc, e->c, &hi)))
        return rc;
      sl_expr *p1[2] = {x, lo}, *p2[2] = {x, hi};
      if ((rc = call_fn(b, ">=", e->loc, 2, p1, &ge)) || (rc = call_fn(b, "<=", e->loc, 2, p2, &le))) return rc;
      sl_expr *n = sl_expr_new(b->a, SL_EXPR_AND, sl_type_make(SL_TYPE_BOOLEAN, 0, 0, ge->type.nullable || le->type.nullable),
                               2, e->loc);
      n->args[0] = ge;
      n->args[1] = le;
      if (e->negated) {
        sl_expr *no = sl_expr_new(b->a, SL_EXPR_NOT, n->type, 1, e->loc);
        no->args[0] = n;
        n = no;
      }
      *out = n;
      return 0;
    }
    case SL_AST_IN: {
      int n = e->list->n + 1;
      sl_expr **args = sl_arena_zalloc(b->a, sizeof(sl_expr *) * (size_t)n);
      if ((rc = bind_expr(b, sc, e->a, &args[0]))) return rc;
      for (int i = 1; i < n; i++)
        if ((rc = bind_expr(b, sc, e->list->items[i - 1], &args[i]))) return rc;
      sl_type t;
      if ((rc = coerce_common(b, args, n, e->loc, "IN", &t))) return rc;
      bool nullable = false;
      for (int i = 0; i < n; i++) nullable |= args[i]->type.nullable;
      sl_expr *in = sl_expr_new(b->a, SL_EXPR_IN, sl_type_make(SL_TYPE_BOOLEAN, 0, 0, nullable), n, e->loc);
      memcpy(in->args, args, sizeof(sl_expr *) * (size_t)n);
      in->negated = e->negated;
      *out = in;
      return 0;
    }
    case SL_AST_LIKE: {
      sl_expr *args[3];
      int n = e->c ? 3 : 2;
      if ((rc = bind_expr(b, sc, e->a, &args[0])) || (rc = bind_expr(b, sc, e->b, &args[1]))) return rc;
      if (e->c && (rc = bind_expr(b, sc, e->c, &args[2]))) return rc;
      if ((rc = call_fn(b, "LIKE", e->loc, n, args, out))) return rc;
      (*out)->negated = e->negated;
      return 0;
    }
    case SL_AST_CASE: return bind_case(b, sc, e, out);
    case SL_AST_CAST: {
      sl_expr *x;
      if ((rc = bind_expr(b, sc, e->a, &x))) return rc;
      sl_type t = e->type->type;
      t.nullable = x->type.nullable || x->type.kind == SL_TYPE_NULL || e->op == 1;
      if ((rc = sl_expr_cast(b->a, x, t, true, e->loc, out, b->err))) return rc;
      if (e->op == 1 && (*out)->kind == SL_EXPR_CAST) (*out)->fn = 1;
      if (*out == x) {
        /* A no-op cast still drops the time attribute, as in Flink. */
        sl_expr *c = sl_arena_alloc(b->a, sizeof *c);
        *c = *x;
        c->type.rowtime = false;
        *out = c;
      }
      return 0;
    }
    case SL_AST_FUNC: return bind_func(b, sc, e, out);
    case SL_AST_EXTRACT: {
      sl_expr *args[2];
      sl_value v = {.i64 = e->unit_from};
      args[0] = sl_expr_const(b->a, sl_type_make(SL_TYPE_INT, 0, 0, false), &v, e->loc);
      if ((rc = bind_expr(b, sc, e->a, &args[1]))) return rc;
      return call_fn(b, "EXTRACT", e->loc, 2, args, out);
    }
    case SL_AST_TRIM: {
      sl_expr *args[2];
      int n = 1;
      if ((rc = bind_expr(b, sc, e->a, &args[0]))) return rc;
      if (e->b) {
        if ((rc = bind_expr(b, sc, e->b, &args[1]))) return rc;
        n = 2;
      }
      const char *fn = e->op == SL_TRIM_LEADING ? "LTRIM" : e->op == SL_TRIM_TRAILING ? "RTRIM" : "TRIM";
      return call_fn(b, fn, e->loc, n, args, out);
    }
    case SL_AST_DESCRIPTOR:
    case SL_AST_TABLE_ARG:
      return sl_err_set(b->err, SL_EBIND, e->loc, "%s is only allowed as an argument of a window table function",
                        e->kind == SL_AST_DESCRIPTOR ? "DESCRIPTOR" : "TABLE");
  }
  return sl_err_set(b->err, SL_EBIND, e->loc, "unsupported expression");
}

/* ---- FROM --------------------------------------------------------------------------------- */

static int scope_from_plan(binder *b, sl_plan *p, const char *table, scope *sc) {
  sc->n = p->out.n;
  sc->cols = sl_arena_zalloc(b->a, sizeof(scope_col) * (size_t)(sc->n + 3));
  for (int i = 0; i < sc->n; i++) {
    sc->cols[i].table = table;
    sc->cols[i].name = p->out.names[i];
    sc->cols[i].type = p->out.types[i];
    sc->cols[i].index = i;
  }
  sc->table_name = table;
  return 0;
}

/* A source table: SCAN of all its columns, computed ones evaluated at the source. */
static int bind_table_scan(binder *b, sl_table_def *t, sl_plan **out) {
  sl_plan *p = plan_new(b, SL_PLAN_SCAN, NULL);
  p->table = t;
  schema_alloc(b, &p->out, t->ncols);
  p->computed = sl_arena_zalloc(b->a, sizeof(sl_expr *) * (size_t)(t->ncols ? t->ncols : 1));
  /* Computed columns may refer to physical columns and to earlier computed ones. */
  scope sc = {0};
  sc.cols = sl_arena_zalloc(b->a, sizeof(scope_col) * (size_t)(t->ncols ? t->ncols : 1));
  sc.table_name = t->name;
  for (int i = 0; i < t->ncols; i++) {
    p->out.names[i] = t->cols[i].name;
    if (t->cols[i].computed) {
      int rc = bind_expr(b, &sc, t->cols[i].computed, &p->computed[i]);
      if (rc) return rc;
      p->out.types[i] = p->computed[i]->type;
      p->out.types[i].rowtime = false;
    } else {
      p->out.types[i] = t->cols[i].type;
    }
    if (i == t->rowtime) p->out.types[i].rowtime = true;
    sc.cols[sc.n].table = t->name;
    sc.cols[sc.n].name = t->cols[i].name;
    sc.cols[sc.n].type = p->out.types[i];
    sc.cols[sc.n].type.rowtime = false;
    sc.cols[sc.n].index = i;
    sc.n++;
  }
  if (t->wm_expr) {
    int rc = bind_expr(b, &sc, t->wm_expr, &p->wm_expr);
    if (rc) return rc;
    p->wm_col = t->rowtime;
    p->rowtime = t->rowtime;
  }
  *out = p;
  return 0;
}

static int bind_from(binder *b, sl_ast_from *f, sl_plan **out, scope *sc);
static bool expr_has_agg(const sl_ast_expr *e);

static int bind_view(binder *b, sl_view_def *v, const char *alias, int64_t loc, sl_plan **out, scope *sc) {
  if (b->depth > 32) return sl_err_set(b->err, SL_EBIND, loc, "view '%s' refers to itself", v->name);
  b->depth++;
  agg_ctx *saved = b->agg;
  b->agg = NULL;
  scope inner;
  int rc = bind_select(b, v->stmt->query, out, &inner);
  b->agg = saved;
  b->depth--;
  if (rc) return rc;
  if (v->stmt->column_names) {
    if (v->stmt->column_names->n != (*out)->out.n)
      return sl_err_set(b->err, SL_EBIND, v->loc, "view '%s' names %d columns but its query produces %d", v->name,
                        v->stmt->column_names->n, (*out)->out.n);
    for (int i = 0; i < (*out)->out.n; i++) (*out)->out.names[i] = v->stmt->column_names->items[i];
  }
  return scope_from_plan(b, *out, alias ? alias : v->name, sc);
}

static int table_not_found(binder *b, const char *name, int64_t loc) {
  int n = b->cat->ntables + b->cat->nviews;
  const char **names = sl_arena_alloc(b->a, sizeof(char *) * (size_t)(n ? n : 1));
  int k = 0;
  for (int i = 0; i < b->cat->ntables; i++) names[k++] = b->cat->tables[i]->name;
  for (int i = 0; i < b->cat->nviews; i++) names[k++] = b->cat->views[i]->name;
  const char *close = sl_closest_name(name, names, k);
  if (close) return sl_err_set(b->err, SL_EBIND, loc, "table '%s' not found (did you mean '%s'?)", name, close);
  return sl_err_set(b->err, SL_EBIND, loc, "table '%s' not found", name);
}

static int bind_named(binder *b, const char *name, const char *alias, int64_t loc, sl_plan **out, scope *sc) {
  sl_table_def *t = sl_catalog_table(b->cat, name);
  if (t) {
    int rc = bind_table_scan(b, t, out);
    if (rc) return rc;
    return scope_from_plan(b, *out, alias ? alias : t->name, sc);
  }
  sl_view_def *v = sl_catalog_view(b->cat, name);
  if (v) return bind_view(b, v, alias, loc, out, sc);
  return table_not_found(b, name, loc);
}

/* FROM TABLE(TUMBLE(TABLE t, DESCRIPTOR(ts), INTERVAL ...)): the input's columns plus the window
 * columns, which only a GROUP BY window_start, window_end can use in this version. */
static int bind_tvf(binder *b, sl_ast_from *f, sl_plan **out, scope *sc) {
  if (strcasecmp(f->name, "TUMBLE"))
    return sl_err_set(b->err, SL_EUNSUPPORTED, f->loc, "window table function %s is not supported yet (only TUMBLE)",
                      f->name);
  int n = f->args ? f->args->n : 0;
  if (n != 3 && n != 4)
    return sl_err_set(b->err, SL_EBIND, f->loc, "TUMBLE takes (TABLE t, DESCRIPTOR(col), size [, offset])");
  sl_ast_expr *ta = f->args->items[0], *desc = f->args->items[1], *size = f->args->items[2];
  if (n == 4)
    return sl_err_set(b->err, SL_EUNSUPPORTED, ((sl_ast_expr *)f->args->items[3])->loc,
                      "the offset argument of TUMBLE is not supported yet");
  if (ta->kind != SL_AST_TABLE_ARG)
    return sl_err_set(b->err, SL_EBIND, ta->loc, "the first argument of TUMBLE must be TABLE <name>");
  if (desc->kind != SL_AST_DESCRIPTOR || !desc->list || desc->list->n != 1)
    return sl_err_set(b->err, SL_EBIND, desc->loc, "the second argument of TUMBLE must be DESCRIPTOR(<time column>)");
  scope in;
  int rc = bind_named(b, ta->s, NULL, ta->loc, out, &in);
  if (rc) return rc;
  sl_ast_expr *tc = desc->list->items[0];
  scope_col *c;
  if ((rc = resolve_ident(b, &in, tc, &c))) return rc;
  if (!c->type.rowtime)
    return sl_err_set(b->err, SL_EBIND, tc->loc,
                      "the time column of a window must be a time attribute (a column with a WATERMARK); "
                      "'%s' is not", c->name);
  sl_expr *sz;
  if ((rc = bind_expr(b, &in, size, &sz))) return rc;
  if (sz->kind != SL_EXPR_CONST || sz->type.kind != SL_TYPE_INTERVAL_DT || sz->value.i64 <= 0)
    return sl_err_set(b->err, SL_EBIND, size->loc, "the window size must be a positive INTERVAL DAY TO SECOND literal");
  /* Remember the window on the scope: the columns plus three markers. */
  *sc = in;
  sc->table_name = f->alias ? f->alias : in.table_name;
  const char *tab = f->alias ? f->alias : in.table_name;
  for (int i = 0; i < sc->n; i++) sc->cols[i].table = tab;
  static const char *wn[3] = {"window_start", "window_end", "window_time"};
  for (int i = 0; i < 3; i++) {
    scope_col *w = &sc->cols[sc->n++];
    w->table = tab;
    w->name = wn[i];
    w->type = ts3(false);
    w->type.rowtime = i == 2;
    w->index = WIN_START - i;
  }
  sc->win_col = c->index;
  sc->win_size = sz->value.i64;
  /* As in Flink, the window's time attribute is window_time; the original column is a plain
   * timestamp now. */
  for (int i = 0; i < sc->n; i++)
    if (sc->cols[i].index == c->index) sc->cols[i].type.rowtime = false;
  (*out)->time_col = c->index;  /* carried to the aggregation through the plan */
  (*out)->size = sz->value.i64;
  (*out)->window_kind = SL_WINDOW_TUMBLE;
  return 0;
}

/* FROM l JOIN r ON cond (and FROM l, r: a CROSS join until WHERE gives its condition). The
 * output is l's columns then r's; the columns of the side an outer join pads become nullable.
 * The join is planned (sl_plan_join) once the SELECT has added its WHERE. */
/* The right side of `JOIN t FOR SYSTEM_TIME AS OF l.time`: t must be a versioned table (a PRIMARY
 * KEY and a WATERMARK), the time a time attribute of the left side. */
static int bind_versioned(binder *b, sl_ast_from *f, scope *lsc, sl_plan **rp, scope *rsc, sl_expr **as_of) {
  sl_ast_from *rf = f->right;
  if (f->join_type != SL_JOIN_INNER && f->join_type != SL_JOIN_LEFT)
    return sl_err_set(b->err, SL_EUNSUPPORTED, f->loc, "a temporal join (FOR SYSTEM_TIME AS OF) is INNER or LEFT only");
  sl_table_def *t = sl_catalog_table(b->cat, rf->name);
  if (!t) {
    if (sl_catalog_view(b->cat, rf->name))
      return sl_err_set(b->err, SL_EUNSUPPORTED, rf->loc,
                        "FOR SYSTEM_TIME AS OF a view is not supported yet: use a table with a PRIMARY KEY and a WATERMARK");
    return table_not_found(b, rf->name, rf->loc);
  }
  if (t->npk == 0 || t->rowtime < 0)
    return sl_err_set(b->err, SL_EBIND, rf->loc,
                      "table '%s' is not a versioned table: FOR SYSTEM_TIME AS OF needs a PRIMARY KEY and a WATERMARK "
                      "on it (it has %s)", t->name,
                      t->npk == 0 && t->rowtime < 0 ? "neither" : t->npk == 0 ? "no PRIMARY KEY" : "no WATERMARK");
  int rc = bind_table_scan(b, t, rp);
  if (!rc) rc = scope_from_plan(b, *rp, rf->alias ? rf->alias : t->name, rsc);
  if (!rc) rc = bind_expr(b, lsc, rf->system_time, as_of);
  if (rc) return rc;
  if ((*as_of)->kind != SL_EXPR_COL || !(*as_of)->type.rowtime)
    return sl_err_set(b->err, SL_EUNSUPPORTED, rf->system_time->loc,
                      "FOR SYSTEM_TIME AS OF must name a time attribute (a column with a WATERMARK) of the left "
                      "side: only event-time temporal joins are supported");
  return 0;
}

/* A window table function joined directly (FROM TABLE(TUMBLE(...)) l JOIN ...): its columns and
 * the window columns, computed by a projection, so that the join sees plain columns. */
static int materialize_window(binder *b, sl_plan **p, scope *sc) {
  bool any = false;
  for (int i = 0; i < sc->n; i++) any |= sc->cols[i].index < 0;
  if (!any) return 0;
  sl_plan *proj = plan_new(b, SL_PLAN_PROJECT, *p);
  schema_alloc(b, &proj->out, sc->n);
  proj->exprs = sl_arena_zalloc(b->a, sizeof(sl_expr *) * (size_t)sc->n);
  for (int i = 0; i < sc->n; i++) {
    scope_col *c = &sc->cols[i];
    if (c->index < 0) {
      int rc = window_expr(b, sc, c->index, 0, &proj->exprs[i]);
      if (rc) return rc;
    } else {
      proj->exprs[i] = sl_expr_col(b->a, c->index, c->type, 0);
    }
    proj->out.names[i] = c->name;
    proj->out.types[i] = proj->exprs[i]->type;
    if (proj->exprs[i]->type.rowtime) proj->rowtime = i;
  }
  for (int i = 0; i < sc->n; i++) {
    sc->cols[i].index = i;
    sc->cols[i].type = proj->out.types[i];
  }
  *p = proj;
  return 0;
}

static int bind_join(binder *b, sl_ast_from *f, sl_plan **out, scope *sc) {
  sl_plan *lp, *rp;
  scope lsc, rsc;
  sl_expr *as_of = NULL;
  int rc;
  if ((rc = bind_from(b, f->left, &lp, &lsc))) return rc;
  if (f->right->kind == SL_FROM_TABLE && f->right->system_time) rc = bind_versioned(b, f, &lsc, &rp, &rsc, &as_of);
  else rc = bind_from(b, f->right, &rp, &rsc);
  if (rc || (rc = materialize_window(b, &lp, &lsc)) || (rc = materialize_window(b, &rp, &rsc))) return rc;
  sl_plan *j = plan_new(b, SL_PLAN_JOIN, lp);
  j->right = rp;
  j->join_type = f->join_type;
  j->cond_loc = f->loc;
  j->as_of = as_of;
  int nl = lp->out.n, nr = rp->out.n;
  schema_alloc(b, &j->out, nl + nr);
  bool pad_left = f->join_type == SL_JOIN_RIGHT || f->join_type == SL_JOIN_FULL;
  bool pad_right = f->join_type == SL_JOIN_LEFT || f->join_type == SL_JOIN_FULL;
  for (int i = 0; i < nl + nr; i++) {
    bool left = i < nl;
    j->out.names[i] = left ? lp->out.names[i] : rp->out.names[i - nl];
    /* A name the left side has too gets a number, as Flink's planner does (k, k0). */
    for (int n = 0, k = 0; k < i; k++)
      if (!strcmp(j->out.names[k], j->out.names[i])) {
        j->out.names[i] = sl_arena_printf(b->a, "%s%d", left ? lp->out.names[i] : rp->out.names[i - nl], n++);
        k = -1;
      }
    j->out.types[i] = left ? lp->out.types[i] : rp->out.types[i - nl];
    if (left ? pad_left : pad_right) j->out.types[i].nullable = true;
  }
  sc->n = nl + nr;
  sc->cols = sl_arena_zalloc(b->a, sizeof(scope_col) * (size_t)(sc->n + 3));
  for (int i = 0; i < sc->n; i++) {
    sc->cols[i] = i < nl ? lsc.cols[i] : rsc.cols[i - nl];
    sc->cols[i].index = i;
    sc->cols[i].type = j->out.types[i];
  }
  sc->table_name = NULL;
  if (f->on) {
    if (expr_has_agg(f->on)) return sl_err_set(b->err, SL_EBIND, f->on->loc, "aggregate functions are not allowed in ON");
    if ((rc = bind_expr(b, sc, f->on, &j->cond))) return rc;
    if ((rc = require_bool(b, j->cond, "join condition"))) return rc;
    j->cond = as_bool(b, j->cond);
  }
  *out = j;
  return 0;
}

static int bind_from(binder *b, sl_ast_from *f, sl_plan **out, scope *sc) {
  switch ((sl_ast_from_kind)f->kind) {
    case SL_FROM_TABLE:
      if (f->system_time)
        return sl_err_set(b->err, SL_EUNSUPPORTED, f->loc, "FOR SYSTEM_TIME AS OF (temporal joins) is not supported yet");
      return bind_named(b, f->name, f->alias, f->loc, out, sc);
    case SL_FROM_SUBQUERY: {
      agg_ctx *saved = b->agg;
      b->agg = NULL;
      scope inner;
      int rc = bind_select(b, f->query, out, &inner);
      b->agg = saved;
      if (rc) return rc;
      return scope_from_plan(b, *out, f->alias, sc);
    }
    case SL_FROM_TVF: return bind_tvf(b, f, out, sc);
    case SL_FROM_JOIN: return bind_join(b, f, out, sc);
    default: return sl_err_set(b->err, SL_EUNSUPPORTED, f->loc, "this FROM clause is not supported yet");
  }
}

/* ---- SELECT ------------------------------------------------------------------------------- */

static bool expr_has_agg(const sl_ast_expr *e) {
  if (!e) return false;
  if (e->kind == SL_AST_FUNC && e->s && is_agg_name(e->s)) return true;
  if (expr_has_agg(e->a) || expr_has_agg(e->b) || expr_has_agg(e->c)) return true;
  for (int i = 0; e->list && i < e->list->n; i++)
    if (expr_has_agg(e->list->items[i])) return true;
  return false;
}

/* Output name of a select item: alias, column name, or EXPR$i as Flink does. */
static const char *item_name(binder *b, sl_ast_select_item *it, int i) {
  if (it->alias) return it->alias;
  if (it->expr->kind == SL_AST_IDENT) return it->expr->s;
  return sl_arena_printf(b->a, "EXPR$%d", i);
}

/* Expands the select list (stars) and binds each item. */
static int bind_select_list(binder *b, sl_ast_select *s, scope *sc, sl_plan *proj) {
  int cap = 16, n = 0;
  sl_expr **exprs = sl_arena_alloc(b->a, sizeof(sl_expr *) * (size_t)cap);
  const char **names = sl_arena_alloc(b->a, sizeof(char *) * (size_t)cap);
  for (int i = 0; i < s->items->n; i++) {
    sl_ast_select_item *it = s->items->items[i];
    int need = n + (it->expr->kind == SL_AST_STAR ? sc->n : 1);
    if (need > cap) {
      while (cap < need) cap *= 2;
      sl_expr **ne = sl_arena_alloc(b->a, sizeof(sl_expr *) * (size_t)cap);
      const char **nn = sl_arena_alloc(b->a, sizeof(char *) * (size_t)cap);
      memcpy(ne, exprs, sizeof(sl_expr *) * (size_t)n);
      memcpy(nn, names, sizeof(char *) * (size_t)n);
      exprs = ne;
      names = nn;
    }
    if (it->expr->kind == SL_AST_STAR) {
      if (b->agg) return sl_err_set(b->err, SL_EBIND, it->expr->loc, "'*' is not allowed in an aggregate query");
      int matched = 0;
      for (int c = 0; c < sc->n; c++) {
        scope_col *col = &sc->cols[c];
        if (it->expr->qual && (!col->table || strcmp(col->table, it->expr->qual))) continue;
        if (col->index <= WIN_START) {
          int rc = window_expr(b, sc, col->index, it->expr->loc, &exprs[n]);
          if (rc) return rc;
        } else {
          exprs[n] = sl_expr_col(b->a, col->index, col->type, it->expr->loc);
        }
        names[n++] = col->name;
        matched++;
      }
      if (it->expr->qual && !matched)
        return sl_err_set(b->err, SL_EBIND, it->expr->loc, "table or alias '%s' not found", it->expr->qual);
      continue;
    }
    int rc = bind_expr(b, sc, it->expr, &exprs[n]);
    if (rc) return rc;
    names[n] = item_name(b, it, i);
    n++;
  }
  schema_alloc(b, &proj->out, n);
  proj->exprs = exprs;
  for (int i = 0; i < n; i++) {
    proj->out.names[i] = names[i];
    proj->out.types[i] = exprs[i]->type;
    if (exprs[i]->kind == SL_EXPR_COL && exprs[i]->type.rowtime && proj->rowtime < 0) proj->rowtime = i;
    if (!exprs[i]->type.rowtime || proj->rowtime != i) proj->out.types[i].rowtime = false;
  }
  return 0;
}

/* GROUP BY: recognise the window and the keys; build the WINDOW_AGG node. */
static int bind_group_by(binder *b, sl_ast_select *s, sl_plan *input, scope *sc, agg_ctx *ag, sl_plan **out) {
  int n = s->group_by ? s->group_by->n : 0;
  ag->input = sc;
  ag->key_ast = sl_arena_zalloc(b->a, sizeof(sl_ast_expr *) * (size_t)(n + 1));
  ag->keys = sl_arena_zalloc(b->a, sizeof(sl_expr *) * (size_t)(n + 1));
  int time_col = -1;
  int64_t size = 0;
  bool saw_start = false, saw_end = false;
  int64_t first_loc = n ? ((sl_ast_expr *)s->group_by->items[0])->loc : s->loc;
  for (int i = 0; i < n; i++) {
    sl_ast_expr *g = s->group_by->items[i];
    if (g->kind == SL_AST_FUNC && is_window_group_fn(g->s)) {
      if (strcasecmp(g->s, "TUMBLE"))
        return sl_err_set(b->err, SL_EUNSUPPORTED, g->loc, "%s windows are not supported yet (only TUMBLE)", g->s);
      if (ag->window_ast) return sl_err_set(b->err, SL_EBIND, g->loc, "only one window is allowed in GROUP BY");
      if (!g->list || g->list->n != 2)
        return sl_err_set(b->err, SL_EBIND, g->loc, "TUMBLE takes (time_attribute, INTERVAL size)");
      sl_expr *ts, *sz;
      int rc = bind_expr(b, sc, g->list->items[0], &ts);
      if (!rc) rc = bind_expr(b, sc, g->list->items[1], &sz);
      if (rc) return rc;
      if (ts->kind != SL_EXPR_COL || !ts->type.rowtime)
        return sl_err_set(b->err, SL_EBIND, ((sl_ast_expr *)g->list->items[0])->loc,
                          "the time column of a window must be a time attribute (a column with a WATERMARK)");
      if (sz->kind != SL_EXPR_CONST || sz->type.kind != SL_TYPE_INTERVAL_DT || sz->value.i64 <= 0)
        return sl_err_set(b->err, SL_EBIND, ((sl_ast_expr *)g->list->items[1])->loc,
                          "the window size must be a positive INTERVAL DAY TO SECOND literal");
      ag->window_ast = g;
      time_col = ts->col;
      size = sz->value.i64;
      continue;
    }
    if (g->kind == SL_AST_IDENT && input->window_kind) {
      scope_col *c = NULL;
      for (int k = 0; k < sc->n; k++)
        if (!strcmp(sc->cols[k].name, g->s) && sc->cols[k].index <= WIN_START) c = &sc->cols[k];
      if (c && c->index == WIN_START) { saw_start = true; continue; }
      if (c && c->index == WIN_END) { saw_end = true; continue; }
      if (c) continue; /* window_time: implied by window_start and window_end */
    }
    sl_expr *k;
    agg_ctx *saved = b->agg;
    b->agg = NULL;
    int rc = bind_expr(b, sc, g, &k);
    b->agg = saved;
    if (rc) return rc;
    ag->key_ast[ag->nkeys] = g;
    ag->keys[ag->nkeys++] = k;
  }
  if (input->window_kind && (saw_start || saw_end)) {
    if (!(saw_start && saw_end))
      return sl_err_set(b->err, SL_EBIND, first_loc, "a window aggregation must group by both window_start and window_end");
    ag->tvf = true;
    time_col = input->time_col;
    size = input->size;
  }
  if (time_col < 0)
    return sl_err_set(b->err, SL_EUNSUPPORTED, n ? first_loc : s->loc,
                      "aggregation without a window (an updating aggregate) is not supported yet; group by "
                      "TUMBLE(time_col, size) or by window_start, window_end of a TUMBLE table function");
  ag->windowed = true;
  sl_plan *w = plan_new(b, SL_PLAN_WINDOW_AGG, input);
  w->window_kind = SL_WINDOW_TUMBLE;
  w->time_col = time_col;
  w->size = size;
  *out = w;
  return 0;
}

static void finish_window_agg(binder *b, sl_plan *w, agg_ctx *ag) {
  w->nkeys = ag->nkeys;
  w->keys = ag->keys;
  w->naggs = ag->naggs;
  w->aggs = ag->aggs;
  int n = ag->nkeys + 3 + ag->naggs;
  schema_alloc(b, &w->out, n);
  for (int i = 0; i < ag->nkeys; i++) {
    w->out.names[i] = ag->key_ast[i]->kind == SL_AST_IDENT ? ag->key_ast[i]->s : sl_arena_printf(b->a, "$key%d", i);
    w->out.types[i] = ag->keys[i]->type;
    w->out.types[i].rowtime = false;
  }
  w->out.names[ag->nkeys] = "window_start";
  w->out.names[ag->nkeys + 1] = "window_end";
  w->out.names[ag->nkeys + 2] = "window_time";
  w->out.types[ag->nkeys] = ts3(false);
  w->out.types[ag->nkeys + 1] = ts3(false);
  w->out.types[ag->nkeys + 2] = ts3(false);
  w->out.types[ag->nkeys + 2].rowtime = true;
  w->rowtime = ag->nkeys + 2;
  for (int i = 0; i < ag->naggs; i++) {
    w->out.names[ag->nkeys + 3 + i] = sl_arena_printf(b->a, "$agg%d", i);
    w->out.types[ag->nkeys + 3 + i] = ag->aggs[i].type;
  }
}

static int bind_select(binder *b, sl_ast_select *s, sl_plan **out, scope *osc) {
  if (s->union_all) return sl_err_set(b->err, SL_EUNSUPPORTED, s->union_all->loc, "UNION ALL is not supported yet");
  if (s->order_by)
    return sl_err_set(b->err, SL_EUNSUPPORTED, s->loc, "ORDER BY is not supported on streaming queries yet");
  if (s->limit) return sl_err_set(b->err, SL_EUNSUPPORTED, s->limit->loc, "LIMIT is not supported yet");
  if (s->distinct) return sl_err_set(b->err, SL_EUNSUPPORTED, s->loc, "SELECT DISTINCT is not supported yet");
  sl_plan *input;
  scope sc = {0};
  int rc;
  if (s->from) {
    if ((rc = bind_from(b, s->from, &input, &sc))) return rc;
  } else {
    input = plan_new(b, SL_PLAN_VALUES, NULL);
    schema_alloc(b, &input->out, 0);
  }
  sl_expr *pred = NULL;
  if (s->where) {
    if (expr_has_agg(s->where))
      return sl_err_set(b->err, SL_EBIND, s->where->loc, "aggregate functions are not allowed in WHERE");
    if ((rc = bind_expr(b, &sc, s->where, &pred))) return rc;
    if ((rc = require_bool(b, pred, "WHERE condition"))) return rc;
    if (input->kind == SL_PLAN_JOIN && (input->join_type == SL_JOIN_INNER || input->join_type == SL_JOIN_CROSS)) {
      /* An inner join's WHERE is part of its condition (FROM a, b WHERE a.id = b.id). */
      sl_expr *both[2] = {input->cond, as_bool(b, pred)};
      if (!input->cond) input->cond = both[1];
      else {
        input->cond = sl_expr_new(b->a, SL_EXPR_AND, sl_type_make(SL_TYPE_BOOLEAN, 0, 0, true), 2, pred->loc);
        input->cond->args[0] = both[0];
        input->cond->args[1] = both[1];
      }
      pred = NULL;
    }
  }
  if (input->kind == SL_PLAN_JOIN) {
    if ((rc = sl_plan_join(b->a, input, b->err))) return rc;
    /* Planning decides which time attributes survive the join. */
    for (int i = 0; i < sc.n; i++)
      if (sc.cols[i].index >= 0) sc.cols[i].type.rowtime = input->out.types[sc.cols[i].index].rowtime;
  }
  if (pred) {
    sl_plan *f = plan_new(b, SL_PLAN_FILTER, input);
    f->pred = as_bool(b, pred);
    f->out = input->out;
    f->rowtime = input->rowtime;
    f->window_kind = input->window_kind;
    f->time_col = input->time_col;
    f->size = input->size;
    input = f;
  }
  bool has_agg = s->group_by != NULL || expr_has_agg(s->having);
  for (int i = 0; !has_agg && i < s->items->n; i++)
    has_agg = expr_has_agg(((sl_ast_select_item *)s->items->items[i])->expr);
  sl_plan *proj = plan_new(b, SL_PLAN_PROJECT, input);
  if (!has_agg) {
    if (s->having) return sl_err_set(b->err, SL_EBIND, s->having->loc, "HAVING requires GROUP BY or an aggregate");
    if ((rc = bind_select_list(b, s, &sc, proj))) return rc;
    *out = proj;
    return scope_from_plan(b, proj, NULL, osc);
  }
  agg_ctx ag = {0};
  sl_plan *w = NULL;
  if ((rc = bind_group_by(b, s, input, &sc, &ag, &w))) return rc;
  b->agg = &ag;
  rc = bind_select_list(b, s, &sc, proj);
  sl_expr *having = NULL;
  if (!rc && s->having) {
    rc = bind_expr(b, &sc, s->having, &having);
    if (!rc) rc = require_bool(b, having, "HAVING condition");
  }
  b->agg = NULL;
  if (rc) return rc;
  finish_window_agg(b, w, &ag);
  sl_plan *top = w;
  if (having) {
    sl_plan *f = plan_new(b, SL_PLAN_FILTER, w);
    f->pred = as_bool(b, having);
    f->out = w->out;
    f->rowtime = w->rowtime;
    top = f;
  }
  proj->input = top;
  *out = proj;
  return scope_from_plan(b, proj, NULL, osc);
}

/* ---- Statements ------------------------------------------------------------------------- */

static int bind_insert(binder *b, sl_ast_stmt *st, sl_plan *q, sl_plan **out) {
  sl_table_def *t = sl_catalog_table(b->cat, st->name);
  if (!t) {
    if (sl_catalog_view(b->cat, st->name))
      return sl_err_set(b->err, SL_EBIND, st->name_loc, "cannot insert into view '%s'", st->name);
    return table_not_found(b, st->name, st->name_loc);
  }
  /* No connector writes metadata: a sink table's METADATA columns must be VIRTUAL (read-only),
   * and then, like computed columns, they are not among the sink's columns. */
  for (int i = 0; i < t->ncols; i++)
    if (t->cols[i].metadata && !t->cols[i].is_virtual)
      return sl_err_set(b->err, SL_EUNSUPPORTED, t->cols[i].meta_loc,
                        "table '%s': connector '%s' cannot write metadata column '%s' (key '%s'); declare it VIRTUAL to use the table as a sink",
                        t->name, t->connector, t->cols[i].name, t->cols[i].meta_key);
  /* Target columns: the physical ones, or those listed. */
  int nt = t->nphysical - t->nmeta;
  int *target = sl_arena_alloc(b->a, sizeof(int) * (size_t)(t->ncols + 1));
  int k = 0;
  for (int i = 0; i < t->ncols; i++)
    if (!t->cols[i].computed && !t->cols[i].metadata) target[k++] = i;
  int nlisted = st->column_names ? st->column_names->n : nt;
  if (q->out.n != nlisted)
    return sl_err_set(b->err, SL_EBIND, st->name_loc >= 0 ? st->name_loc : st->loc,
                      "column count mismatch: table '%s' has %d columns, query produces %d", t->name, nlisted, q->out.n);
  /* map[i] = query column feeding physical column i, or -1 for NULL. */
  int *map = sl_arena_alloc(b->a, sizeof(int) * (size_t)(nt + 1));
  for (int i = 0; i < nt; i++) map[i] = st->column_names ? -1 : i;
  if (st->column_names) {
    for (int j = 0; j < nlisted; j++) {
      const char *cn = st->column_names->items[j];
      int found = -1;
      for (int i = 0; i < nt; i++)
        if (!strcmp(t->cols[target[i]].name, cn)) found = i;
      if (found < 0) {
        for (int i = 0; i < t->ncols; i++)
          if (!strcmp(t->cols[i].name, cn))
            return sl_err_set(b->err, SL_EBIND, st->name_loc, "column '%s' of table '%s' is %s and cannot be written", cn,
                              t->name, t->cols[i].metadata ? "a VIRTUAL metadata column" : "a computed column");
        return sl_err_set(b->err, SL_EBIND, st->name_loc, "column '%s' not found in table '%s'", cn, t->name);
      }
      map[found] = j;
    }
  }
  sl_plan *p = plan_new(b, SL_PLAN_PROJECT, q);
  schema_alloc(b, &p->out, nt);
  p->exprs = sl_arena_zalloc(b->a, sizeof(sl_expr *) * (size_t)(nt ? nt : 1));
  for (int i = 0; i < nt; i++) {
    sl_type want = t->cols[target[i]].type;
    want.rowtime = false;
    sl_expr *src;
    if (map[i] < 0) {
      sl_value v = {.is_null = true};
      src = sl_expr_const(b->a, sl_type_make(SL_TYPE_NULL, 0, 0, true), &v, st->loc);
    } else {
      src = sl_expr_col(b->a, map[i], q->out.types[map[i]], st->loc);
    }
    if (!sl_type_equal(src->type, want) || (src->type.nullable && !want.nullable)) {
      sl_err e2;
      sl_err_clear(&e2);
      sl_type w2 = want;
      w2.nullable = src->type.nullable;
      int rc = sl_expr_cast(b->a, src, w2, true, st->loc, &src, &e2);
      if (rc)
        return sl_err_set(b->err, SL_ETYPE, st->query ? st->query->loc : st->loc,
                          "cannot write %s into column '%s' of type %s", type_str(b, q->out.types[map[i]]),
                          t->cols[target[i]].name, type_str(b, want));
    }
    p->exprs[i] = src;
    p->out.names[i] = t->cols[target[i]].name;
    p->out.types[i] = src->type;
    p->out.types[i].rowtime = false;
  }
  sl_plan *sink = plan_new(b, SL_PLAN_SINK, p);
  sink->sink = t;
  sink->out = p->out;
  *out = sink;
  return 0;
}

int sl_bind_statement(sl_catalog *cat, sl_arena *arena, const char *sql, sl_ast_stmt *stmt, sl_plan **out,
                      sl_err *err) {
  binder b = {.a = arena, .cat = cat, .err = err, .sql = sql};
  sl_plan *q;
  scope sc;
  int rc = bind_select(&b, stmt->query, &q, &sc);
  if (rc) return rc;
  if (stmt->kind == SL_STMT_INSERT) {
    if ((rc = bind_insert(&b, stmt, q, out))) return rc;
    return sl_plan_check_changes(*out, stmt->name_loc, err);
  }
  sl_plan *sink = plan_new(&b, SL_PLAN_SINK, q);
  sink->out = q->out;
  *out = sink;
  return sl_plan_check_changes(sink, stmt->loc, err);
}

int sl_bind_create_table(sl_catalog *cat, sl_arena *arena, sl_ast_stmt *st, sl_err *err) {
  binder b = {.a = arena, .cat = cat, .err = err};
  sl_table_def *t = sl_arena_zalloc(arena, sizeof *t);
  t->name = st->name;
  t->loc = st->name_loc;
  t->rowtime = -1;
  int n = st->columns ? st->columns->n : 0;
  t->ncols = n;
  t->cols = sl_arena_zalloc(arena, sizeof(sl_column_def) * (size_t)(n ? n : 1));
  for (int i = 0; i < n; i++) {
    sl_ast_column *c = st->columns->items[i];
    for (int j = 0; j < i; j++)
      if (!strcmp(t->cols[j].name, c->name))
        return sl_err_set(err, SL_EBIND, c->loc, "duplicate column '%s' in table '%s'", c->name, t->name);
    t->cols[i].name = c->name;
    t->cols[i].loc = c->loc;
    t->cols[i].computed = c->computed;
    if (c->type) {
      t->cols[i].type = c->type->type;
      t->nphysical++;
    }
    if (c->metadata) {
      t->cols[i].metadata = true;
      t->cols[i].is_virtual = c->is_virtual;
      t->cols[i].meta_key = c->meta_key;
      t->cols[i].meta_loc = c->meta_loc;
      t->cols[i].meta_key_loc = c->meta_key_loc;
      t->nmeta++;
    }
  }
  /* Types of computed columns and the WATERMARK come from binding them over the table. */
  if (st->wm_column) {
    int idx = -1;
    for (int i = 0; i < n; i++)
      if (!strcmp(t->cols[i].name, st->wm_column)) idx = i;
    if (idx < 0) {
      const char **names = sl_arena_alloc(arena, sizeof(char *) * (size_t)(n ? n : 1));
      for (int i = 0; i < n; i++) names[i] = t->cols[i].name;
      const char *close = sl_closest_name(st->wm_column, names, n);
      return sl_err_set(err, SL_EBIND, st->wm_loc, "column '%s' not found in table '%s'%s%s%s", st->wm_column, t->name,
                        close ? " (did you mean '" : "", close ? close : "", close ? "'?)" : "");
    }
    t->rowtime = idx;
    t->wm_expr = st->wm_expr;
  }
  sl_plan *scan;
  int rc = bind_table_scan(&b, t, &scan);
  if (rc) return rc;
  for (int i = 0; i < n; i++) t->cols[i].type = scan->out.types[i], t->cols[i].type.rowtime = false;
  if (t->rowtime >= 0) {
    sl_type rt = scan->out.types[t->rowtime];
    if (rt.kind != SL_TYPE_TIMESTAMP && rt.kind != SL_TYPE_TIMESTAMP_LTZ)
      return sl_err_set(err, SL_ETYPE, st->wm_loc, "the WATERMARK column '%s' must be TIMESTAMP(3) or TIMESTAMP_LTZ(3), not %s",
                        st->wm_column, type_str(&b, rt));
    if (scan->wm_expr->type.kind != rt.kind)
      return sl_err_set(err, SL_ETYPE, st->wm_expr->loc, "the WATERMARK expression must be of type %s, not %s",
                        type_str(&b, rt), type_str(&b, scan->wm_expr->type));
  }
  if (st->primary_key) {
    t->npk = st->primary_key->n;
    t->pk = sl_arena_alloc(arena, sizeof(char *) * (size_t)t->npk);
    for (int i = 0; i < t->npk; i++) {
      const char *k = st->primary_key->items[i];
      int found = -1;
      for (int j = 0; j < n; j++)
        if (!strcmp(t->cols[j].name, k)) found = j;
      if (found < 0) return sl_err_set(err, SL_EBIND, st->pk_loc, "primary key column '%s' not found in table '%s'", k, t->name);
      /* As in Flink: a key is made of columns the table stores, never of metadata. */
      if (t->cols[found].metadata)
        return sl_err_set(err, SL_EBIND, st->pk_loc, "primary key column '%s' of table '%s' is a METADATA column; a primary key takes physical columns only",
                          k, t->name);
      t->pk[i] = k;
    }
  }
  if (st->partition_by) {
    t->npart = st->partition_by->n;
    t->part = sl_arena_alloc(arena, sizeof(char *) * (size_t)t->npart);
    t->part_loc = st->partition_loc;
    for (int i = 0; i < t->npart; i++) {
      const char *k = st->partition_by->items[i];
      int found = -1;
      for (int j = 0; j < n; j++)
        if (!strcmp(t->cols[j].name, k)) found = j;
      if (found < 0) return sl_err_set(err, SL_EBIND, st->partition_loc, "partition column '%s' not found in table '%s'", k, t->name);
      /* As in Flink: partitions are made of the columns a sink writes. */
      if (t->cols[found].computed || t->cols[found].metadata)
        return sl_err_set(err, SL_EBIND, st->partition_loc, "partition column '%s' of table '%s' is a %s column; partition by physical columns",
                          k, t->name, t->cols[found].computed ? "computed" : "METADATA");
      t->part[i] = k;
    }
  }
  int no = st->options ? st->options->n : 0;
  t->opts.n = no;
  t->opts.items = sl_arena_zalloc(arena, sizeof(sl_option) * (size_t)(no ? no : 1));
  for (int i = 0; i < no; i++) {
    sl_ast_option *o = st->options->items[i];
    for (int j = 0; j < i; j++)
      if (!strcmp(t->opts.items[j].key, o->key))
        return sl_err_set(err, SL_ECONFIG, o->key_loc, "option '%s' is given twice", o->key);
    t->opts.items[i].key = o->key;
    t->opts.items[i].value = o->value;
    t->opts.items[i].key_loc = o->key_loc;
    t->opts.items[i].value_loc = o->value_loc;
    if (!strcmp(o->key, "connector")) t->connector = o->value;
  }
  if (!t->connector) return sl_err_set(err, SL_ECONFIG, st->name_loc, "table '%s' has no 'connector' option", t->name);
  return sl_catalog_add_table(cat, t, st->if_not_exists, err);
}

int sl_bind_create_view(sl_catalog *cat, sl_arena *arena, sl_ast_stmt *st, sl_err *err) {
  /* Bind once now so that errors surface at CREATE VIEW, as in Flink. */
  binder b = {.a = arena, .cat = cat, .err = err};
  sl_plan *q;
  scope sc;
  int rc = bind_select(&b, st->query, &q, &sc);
  if (rc) return rc;
  if (st->column_names && st->column_names->n != q->out.n)
    return sl_err_set(err, SL_EBIND, st->name_loc, "view '%s' names %d columns but its query produces %d", st->name,
                      st->column_names->n, q->out.n);
  sl_view_def *v = sl_arena_zalloc(arena, sizeof *v);
  v->name = st->name;
  v->loc = st->name_loc;
  v->stmt = st;
  return sl_catalog_add_view(cat, v, st->if_not_exists, err);
}

/* ---- Rewrites ------------------------------------------------------------------------------ */

/* A copy of e with every column reference i replaced by repl[i]. */
static sl_expr *subst(sl_arena *a, const sl_expr *e, sl_expr **repl) {
  if (e->kind == SL_EXPR_COL) {
    sl_expr *r = repl[e->col];
    if (sl_type_equal(r->type, e->type) && r->type.nullable == e->type.nullable) return r;
    /* Same value, but keep the referencing node's type flags (rowtime, nullability). */
    sl_expr *c = sl_arena_alloc(a, sizeof *c);
    *c = *r;
    c->type = e->type;
    return c;
  }
  sl_expr *c = sl_arena_alloc(a, sizeof *c);
  *c = *e;
  if (e->nargs) {
    c->args = sl_arena_alloc(a, sizeof(sl_expr *) * (size_t)e->nargs);
    for (int i = 0; i < e->nargs; i++) c->args[i] = subst(a, e->args[i], repl);
  }
  return c;
}

static bool is_identity(const sl_plan *p) {
  if (p->kind != SL_PLAN_PROJECT || p->out.n != p->input->out.n) return false;
  for (int i = 0; i < p->out.n; i++) {
    const sl_expr *e = p->exprs[i];
    if (e->kind != SL_EXPR_COL || e->col != i || !sl_type_equal(e->type, p->input->out.types[i])) return false;
  }
  return true;
}

sl_plan *sl_plan_rewrite(sl_arena *arena, sl_plan *p) {
  if (!p) return p;
  p->input = sl_plan_rewrite(arena, p->input);
  p->right = sl_plan_rewrite(arena, p->right);
  /* PROJECT over PROJECT: one projection computing the composed expressions. */
  if (p->kind == SL_PLAN_PROJECT && p->input && p->input->kind == SL_PLAN_PROJECT) {
    sl_plan *q = p->input;
    for (int i = 0; i < p->out.n; i++) p->exprs[i] = subst(arena, p->exprs[i], q->exprs);
    p->input = q->input;
  }
  /* A projection that passes its input through unchanged is dropped (the sink keeps its names). */
  if (p->kind == SL_PLAN_SINK && is_identity(p->input)) p->input = p->input->input;
  return p;
}
