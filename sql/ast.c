/* ast.c - constructors of the syntax tree; the grammar's actions are one-line calls into here.
 *
 * Every node comes from the per-parse arena and every constructor returns a usable node even
 * after reporting an error, because lemon may run further reductions before the driver sees
 * p->failed and stops. Checks that belong to the syntax (type precision ranges, interval
 * qualifiers, duplicate PRIMARY KEY/WATERMARK, named TVF arguments) are made here. */
#include "ast.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "tokenize.h"

/* ---- Lists and raw nodes ---------------------------------------------------------------- */

sl_ast_list *sl_ast_list_new(sl_arena *a) {
  return sl_arena_zalloc(a, sizeof(sl_ast_list));
}

sl_ast_list *sl_ast_list_append(sl_arena *a, sl_ast_list *l, void *item) {
  if (!l) l = sl_ast_list_new(a);
  if (l->n == l->cap) {
    int cap = l->cap ? l->cap * 2 : 4;
    void **items = sl_arena_alloc(a, (size_t)cap * sizeof(void *));
    if (l->n) memcpy(items, l->items, (size_t)l->n * sizeof(void *));
    l->items = items;
    l->cap = cap;
  }
  l->items[l->n++] = item;
  return l;
}

sl_ast_expr *sl_ast_expr_new(sl_arena *a, sl_ast_expr_kind kind, int64_t loc) {
  sl_ast_expr *e = sl_arena_zalloc(a, sizeof *e);
  e->kind = (uint8_t)kind;
  e->loc = loc;
  return e;
}

static sl_ast_expr *expr_new(sl_parse *p, sl_ast_expr_kind kind, int64_t loc) {
  return sl_ast_expr_new(p->arena, kind, loc);
}

static const char *ident_or_null(sl_parse *p, sl_token t) {
  return t.z ? sl_parse_ident(p, t) : NULL;
}

/* ---- Expressions ------------------------------------------------------------------------ */

sl_ast_expr *sl_ast_lit_new(sl_parse *p, sl_ast_expr_kind kind, sl_token t) {
  sl_ast_expr *e = expr_new(p, kind, t.offset);
  if (kind == SL_AST_STR) {
    e->s = sl_parse_string(p, t, &e->n);
  } else if (kind == SL_AST_NUM) {
    e->s = sl_arena_strndup(p->arena, t.z, t.n);
    e->n = t.n;
  }
  return e;
}

/* DATE/TIME/TIMESTAMP '...': the type's precision is the number of fraction digits written,
 * as Flink types TIMESTAMP '2024-01-01 00:00:00.123' as TIMESTAMP(3). */
sl_ast_expr *sl_ast_typed_lit_new(sl_parse *p, sl_type_kind kind, sl_token str, sl_token t) {
  sl_ast_expr *e = expr_new(p, SL_AST_TYPED_LIT, t.offset);
  e->s = sl_parse_string(p, str, &e->n);
  int prec = 0;
  if (kind != SL_TYPE_DATE) {
    const char *dot = memchr(e->s, '.', e->n);
    if (dot)
      for (const char *c = dot + 1; c < e->s + e->n && *c >= '0' && *c <= '9'; c++) prec++;
  }
  e->type = sl_arena_zalloc(p->arena, sizeof *e->type);
  e->type->type = sl_type_make(kind, prec, 0, false);
  e->type->loc = t.offset;
  return e;
}

sl_ast_expr *sl_ast_interval_new(sl_parse *p, int sign, sl_token str, sl_interval_q q,
                                 sl_token t) {
  sl_ast_expr *e = expr_new(p, SL_AST_INTERVAL, t.offset);
  e->s = sl_parse_string(p, str, &e->n);
  e->op = sign;
  e->unit_from = (uint8_t)q.from;
  e->unit_to = (uint8_t)q.to;
  e->leading_precision = q.lead > 0 ? (int)q.lead : 0;
  return e;
}

sl_ast_expr *sl_ast_ident_new(sl_parse *p, sl_token qual, sl_token name) {
  sl_ast_expr *e = expr_new(p, SL_AST_IDENT, qual.z ? qual.offset : name.offset);
  e->s = sl_parse_ident(p, name);
  e->qual = ident_or_null(p, qual);
  return e;
}

sl_ast_expr *sl_ast_star_new(sl_parse *p, sl_token qual, sl_token star) {
  sl_ast_expr *e = expr_new(p, SL_AST_STAR, qual.z ? qual.offset : star.offset);
  e->qual = ident_or_null(p, qual);
  return e;
}

sl_ast_expr *sl_ast_unary_new(sl_parse *p, int op, sl_ast_expr *a, sl_token t) {
  sl_ast_expr *e = expr_new(p, SL_AST_UNARY, t.offset);
  e->op = op;
  e->a = a;
  return e;
}

sl_ast_expr *sl_ast_binary_new(sl_parse *p, int op, sl_ast_expr *a, sl_ast_expr *b, sl_token t) {
  sl_ast_expr *e = expr_new(p, SL_AST_BINARY, t.offset);
  e->op = op;
  e->a = a;
  e->b = b;
  return e;
}

sl_ast_expr *sl_ast_is_new(sl_parse *p, sl_ast_expr *a, int what, bool negated, sl_token t) {
  sl_ast_expr *e = expr_new(p, SL_AST_IS, t.offset);
  e->op = what;
  e->a = a;
  e->negated = negated;
  return e;
}

sl_ast_expr *sl_ast_between_new(sl_parse *p, sl_ast_expr *a, sl_ast_expr *b, sl_ast_expr *c,
                                bool negated, bool symmetric, sl_token t) {
  sl_ast_expr *e = expr_new(p, SL_AST_BETWEEN, t.offset);
  e->a = a;
  e->b = b;
  e->c = c;
  e->negated = negated;
  e->op = symmetric;
  return e;
}

sl_ast_expr *sl_ast_in_new(sl_parse *p, sl_ast_expr *a, sl_ast_list *list, bool negated,
                           sl_token t) {
  sl_ast_expr *e = expr_new(p, SL_AST_IN, t.offset);
  e->a = a;
  e->list = list;
  e->negated = negated;
  return e;
}

sl_ast_expr *sl_ast_like_new(sl_parse *p, sl_ast_expr *a, sl_ast_expr *b, sl_ast_expr *esc,
                             bool negated, sl_token t) {
  sl_ast_expr *e = expr_new(p, SL_AST_LIKE, t.offset);
  e->a = a;
  e->b = b;
  e->c = esc;
  e->negated = negated;
  return e;
}

sl_ast_expr *sl_ast_case_new(sl_parse *p, sl_ast_expr *a, sl_ast_list *whens, sl_ast_expr *els,
                             sl_token t) {
  sl_ast_expr *e = expr_new(p, SL_AST_CASE, t.offset);
  e->a = a;
  e->list = whens;
  e->b = els;
  return e;
}

sl_ast_expr *sl_ast_cast_new(sl_parse *p, sl_ast_expr *a, sl_ast_type *type, bool try_cast,
                             sl_token t) {
  sl_ast_expr *e = expr_new(p, SL_AST_CAST, t.offset);
  e->a = a;
  e->type = type;
  e->op = try_cast;
  return e;
}

sl_ast_expr *sl_ast_func_new(sl_parse *p, sl_token name, bool upper, sl_ast_list *args,
                             bool distinct, bool star) {
  sl_ast_expr *e = expr_new(p, SL_AST_FUNC, name.offset);
  if (upper) {
    char *s = sl_arena_strndup(p->arena, name.z, name.n);
    for (char *c = s; *c; c++)
      if (*c >= 'a' && *c <= 'z') *c = (char)(*c - 'a' + 'A');
    e->s = s;
  } else {
    e->s = sl_parse_ident(p, name);
  }
  /* Never NULL, so consumers can loop over the arguments of f() and COUNT(*) alike. */
  e->list = args ? args : sl_ast_list_new(p->arena);
  e->distinct = distinct;
  e->star = star;
  return e;
}

sl_ast_expr *sl_ast_extract_new(sl_parse *p, int unit, sl_ast_expr *a, sl_token t) {
  sl_ast_expr *e = expr_new(p, SL_AST_EXTRACT, t.offset);
  e->unit_from = (uint8_t)unit;
  e->a = a;
  return e;
}

sl_ast_expr *sl_ast_trim_new(sl_parse *p, int mode, sl_ast_expr *chars, sl_ast_expr *a,
                             sl_token t) {
  sl_ast_expr *e = expr_new(p, SL_AST_TRIM, t.offset);
  e->op = mode;
  e->a = a;
  e->b = chars;
  return e;
}

sl_ast_expr *sl_ast_table_arg_new(sl_parse *p, sl_token name, sl_ast_list *partition,
                                  sl_token t) {
  sl_ast_expr *e = expr_new(p, SL_AST_TABLE_ARG, name.offset);
  e->s = sl_parse_ident(p, name);
  e->list = partition;
  return e;
}

sl_ast_expr *sl_ast_descriptor_new(sl_parse *p, sl_ast_list *cols, sl_token t) {
  sl_ast_expr *e = expr_new(p, SL_AST_DESCRIPTOR, t.offset);
  e->list = cols;
  return e;
}

sl_ast_expr *sl_ast_named_arg_new(sl_parse *p, sl_token name, sl_ast_expr *value) {
  sl_ast_expr *e = expr_new(p, SL_AST_BINARY, name.offset);
  e->op = 0;
  e->s = sl_parse_ident(p, name);
  e->a = value;
  return e;
}

static bool is_named_arg(const sl_ast_expr *e) {
  return e->kind == SL_AST_BINARY && e->op == 0;
}

int64_t sl_ast_expr_start(const sl_ast_expr *e) {
  for (;;) {
    switch (e->kind) {
      case SL_AST_BINARY:
        if (e->op == 0) return e->loc;
        e = e->a;
        break;
      case SL_AST_IS:
      case SL_AST_BETWEEN:
      case SL_AST_IN:
      case SL_AST_LIKE:
        e = e->a;
        break;
      default:
        return e->loc;
    }
  }
}

/* ---- INTERVAL qualifiers ---------------------------------------------------------------- */

static const char *unit_name(int u) {
  static const char *const names[] = {
    "", "YEAR", "QUARTER", "MONTH", "WEEK", "DAY", "HOUR", "MINUTE", "SECOND",
  };
  return u >= 0 && u < (int)(sizeof names / sizeof names[0]) ? names[u] : "?";
}

sl_interval_q sl_interval_field(sl_parse *p, sl_kw unit, const sl_token *x, const sl_token *y) {
  sl_interval_q q = {.from = unit.v, .to = SL_UNIT_NONE, .lead = -1, .frac = -1,
                     .loc = unit.t.offset, .lead_loc = -1, .frac_loc = -1};
  if (x) { q.lead = sl_parse_int(*x); q.lead_loc = x->offset; }
  if (y) { q.frac = sl_parse_int(*y); q.frac_loc = y->offset; }
  return q;
}

/* Only the SQL standard's qualifier ranges: YEAR TO MONTH and DAY..SECOND pairs. */
static bool valid_range(int from, int to) {
  if (from == SL_UNIT_YEAR) return to == SL_UNIT_MONTH;
  if (from == SL_UNIT_DAY)
    return to == SL_UNIT_HOUR || to == SL_UNIT_MINUTE || to == SL_UNIT_SECOND;
  if (from == SL_UNIT_HOUR) return to == SL_UNIT_MINUTE || to == SL_UNIT_SECOND;
  if (from == SL_UNIT_MINUTE) return to == SL_UNIT_SECOND;
  return false;
}

sl_interval_q sl_parse_interval_q(sl_parse *p, sl_interval_q start, const sl_interval_q *end) {
  sl_interval_q q = start;
  if (!end) {
    if (q.frac >= 0 && q.from != SL_UNIT_SECOND)
      sl_parse_error(p, q.frac_loc, "only SECOND takes a fractional second precision");
  } else {
    if (q.frac >= 0)
      sl_parse_error(p, q.frac_loc, "the fractional second precision belongs to the end field");
    if (!valid_range(q.from, end->from))
      sl_parse_error(p, q.loc, "invalid INTERVAL qualifier %s TO %s", unit_name(q.from),
                     unit_name(end->from));
    if (end->lead >= 0 && end->from != SL_UNIT_SECOND)
      sl_parse_error(p, end->lead_loc, "only SECOND takes a precision as the end field");
    q.to = end->from;
    q.frac = end->lead;
    q.frac_loc = end->lead_loc;
  }
  if (q.lead >= 0 && (q.lead < 1 || q.lead > 10))
    sl_parse_error(p, q.lead_loc, "INTERVAL leading precision must be between 1 and 10");
  if (q.frac > 9)
    sl_parse_error(p, q.frac_loc, "INTERVAL fractional second precision must be between 0 and 9");
  return q;
}

/* ---- Types ------------------------------------------------------------------------------ */

sl_type_args sl_type_args_make(sl_parse *p, const sl_token *x, const sl_token *y) {
  sl_type_args a = sl_no_args;
  if (x) { a.p = sl_parse_int(*x); a.loc = x->offset; }
  if (y) { a.s = sl_parse_int(*y); a.sloc = y->offset; }
  return a;
}

sl_ast_type *sl_ast_type_new(sl_parse *p, sl_type_kind kind, sl_type_args args, sl_token t) {
  sl_ast_type *ty = sl_arena_zalloc(p->arena, sizeof *ty);
  ty->loc = t.offset;
  ty->has_precision = args.p >= 0;
  int64_t prec = 0, scale = 0;
  switch (kind) {
    case SL_TYPE_DECIMAL:
      prec = args.p >= 0 ? args.p : 10;
      scale = args.s >= 0 ? args.s : 0;
      if (prec < 1 || prec > SL_DECIMAL_MAX_PRECISION)
        sl_parse_error(p, args.loc, "DECIMAL precision must be between 1 and %d",
                       SL_DECIMAL_MAX_PRECISION);
      else if (scale > prec)
        sl_parse_error(p, args.sloc, "DECIMAL scale must be between 0 and the precision (%d)",
                       (int)prec);
      break;
    case SL_TYPE_VARCHAR:
    case SL_TYPE_CHAR:
      prec = args.p >= 0 ? args.p : 1;
      if (prec < 1 || prec > SL_VARCHAR_MAX)
        sl_parse_error(p, args.loc, "%s length must be between 1 and %d",
                       kind == SL_TYPE_CHAR ? "CHAR" : "VARCHAR", SL_VARCHAR_MAX);
      break;
    case SL_TYPE_TIME:
    case SL_TYPE_TIMESTAMP:
    case SL_TYPE_TIMESTAMP_LTZ:
      prec = args.p >= 0 ? args.p : (kind == SL_TYPE_TIME ? 0 : 6);
      if (prec > 9)
        sl_parse_error(p, args.loc, "%s precision must be between 0 and 9",
                       kind == SL_TYPE_TIME ? "TIME"
                       : kind == SL_TYPE_TIMESTAMP ? "TIMESTAMP" : "TIMESTAMP_LTZ");
      break;
    default:
      break;
  }
  if (prec > SL_VARCHAR_MAX || prec < 0) prec = 0; /* only after an error */
  ty->type = sl_type_make(kind, (int32_t)prec, scale > 255 ? 0 : (int)scale, true);
  return ty;
}

/* INTERVAL YEAR/MONTH qualifiers are year-month, the rest day-time. precision is the leading
 * precision (default 2) and scale the fractional second precision (default 6), as in Flink. */
sl_ast_type *sl_ast_interval_type_new(sl_parse *p, sl_interval_q q, sl_token t) {
  sl_ast_type *ty = sl_arena_zalloc(p->arena, sizeof *ty);
  ty->loc = t.offset;
  ty->has_precision = q.lead >= 0;
  bool ym = q.from == SL_UNIT_YEAR || q.from == SL_UNIT_MONTH;
  ty->type = sl_type_make(ym ? SL_TYPE_INTERVAL_YM : SL_TYPE_INTERVAL_DT,
                          q.lead >= 1 && q.lead <= 10 ? (int32_t)q.lead : 2,
                          q.frac >= 0 && q.frac <= 9 ? (int)q.frac : 6, true);
  return ty;
}

/* ---- Queries ---------------------------------------------------------------------------- */

sl_ast_select *sl_ast_select_new(sl_parse *p, bool distinct, sl_ast_list *items,
                                 sl_ast_from *from, sl_ast_expr *where, sl_ast_list *group_by,
                                 sl_ast_expr *having, sl_token t) {
  sl_ast_select *s = sl_arena_zalloc(p->arena, sizeof *s);
  s->loc = t.offset;
  s->distinct = distinct;
  s->items = items;
  s->from = from;
  s->where = where;
  s->group_by = group_by;
  s->having = having;
  return s;
}

sl_ast_select *sl_ast_union_all(sl_parse *p, sl_ast_select *left, sl_ast_select *right) {
  sl_ast_select *tail = left;
  while (tail->union_all) tail = tail->union_all;
  tail->union_all = right;
  return left;
}

sl_ast_select *sl_ast_select_tail(sl_parse *p, sl_ast_select *s, sl_ast_list *order,
                                  sl_ast_expr *limit) {
  if (order) {
    if (s->order_by) {
      const sl_ast_order_item *o = order->items[0];
      sl_parse_error(p, sl_ast_expr_start(o->expr), "ORDER BY given twice for one query");
    }
    s->order_by = order;
  }
  if (limit) {
    if (s->limit) sl_parse_error(p, sl_ast_expr_start(limit), "LIMIT given twice for one query");
    s->limit = limit;
  }
  return s;
}

sl_ast_select_item *sl_ast_select_item_new(sl_parse *p, sl_ast_expr *e, sl_token alias) {
  sl_ast_select_item *it = sl_arena_zalloc(p->arena, sizeof *it);
  it->expr = e;
  it->alias = ident_or_null(p, alias);
  it->loc = sl_ast_expr_start(e);
  return it;
}

sl_ast_order_item *sl_ast_order_item_new(sl_parse *p, sl_ast_expr *e, bool desc) {
  sl_ast_order_item *o = sl_arena_zalloc(p->arena, sizeof *o);
  o->expr = e;
  o->desc = desc;
  return o;
}

static sl_ast_from *from_new(sl_parse *p, sl_ast_from_kind kind, int64_t loc) {
  sl_ast_from *f = sl_arena_zalloc(p->arena, sizeof *f);
  f->kind = (uint8_t)kind;
  f->loc = loc;
  return f;
}

sl_ast_from *sl_ast_from_table_new(sl_parse *p, sl_token name, sl_ast_expr *system_time) {
  sl_ast_from *f = from_new(p, SL_FROM_TABLE, name.offset);
  f->name = sl_parse_ident(p, name);
  f->system_time = system_time;
  return f;
}

sl_ast_from *sl_ast_from_subquery_new(sl_parse *p, sl_ast_select *q, sl_token t) {
  sl_ast_from *f = from_new(p, SL_FROM_SUBQUERY, t.offset);
  f->query = q;
  return f;
}

/* Parameter names of the window TVFs, in positional order (Flink's SqlWindowTableFunction). */
typedef struct tvf_sig {
  const char *name;
  const char *params[6];
} tvf_sig;

static const tvf_sig tvf_sigs[] = {
  {"TUMBLE", {"DATA", "TIMECOL", "SIZE", "OFFSET", NULL}},
  {"HOP", {"DATA", "TIMECOL", "SLIDE", "SIZE", "OFFSET", NULL}},
  {"CUMULATE", {"DATA", "TIMECOL", "STEP", "SIZE", "OFFSET", NULL}},
  {"SESSION", {"DATA", "TIMECOL", "GAP", NULL}},
};

/* Puts `name => value` arguments in their positional slots; returns the new list. */
static sl_ast_list *resolve_named_args(sl_parse *p, sl_ast_from *f, sl_ast_list *args) {
  int first_named = -1;
  for (int i = 0; i < args->n && first_named < 0; i++)
    if (is_named_arg(args->items[i])) first_named = i;
  if (first_named < 0) return args;
  const sl_ast_expr *named = args->items[first_named];
  const tvf_sig *sig = NULL;
  for (size_t i = 0; i < sizeof tvf_sigs / sizeof tvf_sigs[0]; i++)
    if (strcasecmp(f->name, tvf_sigs[i].name) == 0) sig = &tvf_sigs[i];
  if (!sig) {
    sl_parse_error(p, named->loc,
                   "named arguments are only supported by TUMBLE, HOP, CUMULATE and SESSION");
    return args;
  }
  int nparams = 0;
  while (sig->params[nparams]) nparams++;
  sl_ast_expr *slots[6] = {0};
  for (int i = 0; i < args->n; i++) {
    sl_ast_expr *a = args->items[i];
    if (!is_named_arg(a)) {
      if (i > first_named) {
        sl_parse_error(p, sl_ast_expr_start(a), "positional argument after named arguments");
        return args;
      }
      if (i >= nparams) {
        sl_parse_error(p, sl_ast_expr_start(a), "too many arguments for %s", sig->name);
        return args;
      }
      slots[i] = a;
      continue;
    }
    int j = 0;
    while (j < nparams && strcasecmp(sig->params[j], a->s) != 0) j++;
    if (j == nparams) {
      sl_parse_error(p, a->loc, "%s has no parameter named '%s'", sig->name, a->s);
      return args;
    }
    if (slots[j]) {
      sl_parse_error(p, a->loc, "parameter '%s' of %s is given twice", sig->params[j], sig->name);
      return args;
    }
    slots[j] = a->a;
  }
  int last = nparams - 1;
  while (last >= 0 && !slots[last]) last--;
  sl_ast_list *out = sl_ast_list_new(p->arena);
  for (int j = 0; j <= last; j++) {
    if (!slots[j]) {
      sl_parse_error(p, f->loc, "missing parameter '%s' of %s", sig->params[j], sig->name);
      return args;
    }
    sl_ast_list_append(p->arena, out, slots[j]);
  }
  return out;
}

sl_ast_from *sl_ast_from_tvf_new(sl_parse *p, sl_token fn, sl_ast_list *args) {
  sl_ast_from *f = from_new(p, SL_FROM_TVF, fn.offset);
  f->name = sl_parse_ident(p, fn);
  f->args = resolve_named_args(p, f, args);
  return f;
}

sl_ast_from *sl_ast_from_join_new(sl_parse *p, sl_ast_from *l, int join, sl_ast_from *r,
                                  sl_ast_expr *on, sl_token t) {
  sl_ast_from *f = from_new(p, SL_FROM_JOIN, t.offset);
  f->left = l;
  f->right = r;
  f->join_type = (uint8_t)join;
  f->on = on;
  return f;
}

sl_ast_from *sl_ast_from_alias(sl_parse *p, sl_ast_from *f, sl_token alias) {
  if (alias.z) f->alias = sl_parse_ident(p, alias);
  return f;
}

/* ---- Statements ------------------------------------------------------------------------- */

static sl_ast_stmt *stmt_new(sl_parse *p, sl_ast_stmt_kind kind, int64_t loc) {
  sl_ast_stmt *s = sl_arena_zalloc(p->arena, sizeof *s);
  s->kind = (uint8_t)kind;
  s->loc = loc;
  s->name_loc = SL_ERR_NOLOC;
  s->wm_loc = SL_ERR_NOLOC;
  s->pk_loc = SL_ERR_NOLOC;
  return s;
}

static void stmt_set_name(sl_parse *p, sl_ast_stmt *s, sl_token name) {
  s->name = sl_parse_ident(p, name);
  s->name_loc = name.offset;
}

sl_ast_stmt *sl_ast_create_table_new(sl_parse *p, bool temporary, bool if_not_exists,
                                     sl_token name, sl_token t) {
  sl_ast_stmt *s = stmt_new(p, SL_STMT_CREATE_TABLE, t.offset);
  stmt_set_name(p, s, name);
  s->temporary = temporary;
  s->if_not_exists = if_not_exists;
  s->columns = sl_ast_list_new(p->arena);
  p->cur = s;
  return s;
}

sl_ast_stmt *sl_ast_create_view_new(sl_parse *p, bool temporary, bool if_not_exists,
                                    sl_token name, sl_ast_list *cols, sl_ast_select *q,
                                    sl_token t) {
  sl_ast_stmt *s = stmt_new(p, SL_STMT_CREATE_VIEW, t.offset);
  stmt_set_name(p, s, name);
  s->temporary = temporary;
  s->if_not_exists = if_not_exists;
  s->is_view = true;
  s->column_names = cols;
  s->query = q;
  return s;
}

sl_ast_stmt *sl_ast_drop_new(sl_parse *p, bool temporary, bool is_view, bool if_exists,
                             sl_token name, sl_token t) {
  sl_ast_stmt *s = stmt_new(p, SL_STMT_DROP, t.offset);
  stmt_set_name(p, s, name);
  s->temporary = temporary;
  s->is_view = is_view;
  s->if_exists = if_exists;
  return s;
}

sl_ast_stmt *sl_ast_insert_new(sl_parse *p, sl_token name, sl_ast_list *cols, sl_ast_select *q,
                               sl_token t) {
  sl_ast_stmt *s = stmt_new(p, SL_STMT_INSERT, t.offset);
  stmt_set_name(p, s, name);
  s->column_names = cols;
  s->query = q;
  return s;
}

sl_ast_stmt *sl_ast_select_stmt_new(sl_parse *p, sl_ast_select *q) {
  sl_ast_stmt *s = stmt_new(p, SL_STMT_SELECT, q->loc);
  s->query = q;
  return s;
}

sl_ast_stmt *sl_ast_explain_new(sl_parse *p, sl_ast_stmt *inner, sl_token t) {
  sl_ast_stmt *s = stmt_new(p, SL_STMT_EXPLAIN, t.offset);
  s->inner = inner;
  return s;
}

sl_ast_stmt *sl_ast_set_new(sl_parse *p, int kind, const sl_token *key, const sl_token *value,
                            sl_token t) {
  sl_ast_stmt *s = stmt_new(p, (sl_ast_stmt_kind)kind, t.offset);
  if (key) {
    s->name = sl_parse_string(p, *key, NULL);
    s->name_loc = key->offset;
  }
  if (value) {
    s->value = sl_parse_string(p, *value, NULL);
    s->value_loc = value->offset;
  }
  return s;
}

void sl_parse_finish_stmt(sl_parse *p, sl_ast_stmt *s) {
  s->loc = p->stmt_loc;
  s->end = p->stmt_end;
  if (s->inner) s->inner->end = s->end;
  if (!p->set) {
    sl_ast_list_append(p->arena, p->script->stmts, s);
    return;
  }
  if (s->kind != SL_STMT_INSERT) {
    sl_parse_error(p, s->loc, "only INSERT INTO statements can be part of a statement set");
    return;
  }
  sl_ast_list_append(p->arena, p->set->set_stmts, s);
}

void sl_parse_begin_set(sl_parse *p, int64_t loc) {
  if (p->set) {
    sl_parse_error(p, loc, "a statement set cannot be nested in another one (close the first with END;)");
    return;
  }
  sl_ast_stmt *s = sl_arena_zalloc(p->arena, sizeof *s);
  s->kind = SL_STMT_STATEMENT_SET;
  s->loc = loc;
  s->set_stmts = sl_ast_list_new(p->arena);
  sl_ast_list_append(p->arena, p->script->stmts, s);
  p->set = s;
}

void sl_parse_end_set(sl_parse *p, int64_t loc) {
  if (!p->set) {
    sl_parse_error(p, loc, "END without BEGIN STATEMENT SET");
    return;
  }
  if (p->set->set_stmts->n == 0) sl_parse_error(p, loc, "the statement set holds no INSERT INTO statement");
  p->set->end = loc + 3;
  p->set = NULL;
}

/* ---- CREATE TABLE elements -------------------------------------------------------------- */

sl_ast_column *sl_ast_column_new(sl_parse *p, sl_token name, sl_ast_type *type,
                                 sl_ast_expr *computed, sl_token comment) {
  sl_ast_column *c = sl_arena_zalloc(p->arena, sizeof *c);
  c->name = sl_parse_ident(p, name);
  c->loc = name.offset;
  c->type = type;
  c->computed = computed;
  if (comment.z) c->comment = sl_parse_string(p, comment, NULL);
  return c;
}

sl_ast_column *sl_ast_column_metadata(sl_ast_column *c, const char *key, int64_t key_loc, int64_t loc,
                                      bool is_virtual) {
  c->metadata = true;
  c->is_virtual = is_virtual;
  c->meta_key = key ? key : c->name;
  c->meta_loc = loc;
  c->meta_key_loc = key ? key_loc : loc;
  return c;
}

sl_ast_option *sl_ast_option_new(sl_parse *p, sl_token key, sl_token value) {
  sl_ast_option *o = sl_arena_zalloc(p->arena, sizeof *o);
  o->key = sl_parse_string(p, key, NULL);
  o->value = sl_parse_string(p, value, NULL);
  o->key_loc = key.offset;
  o->value_loc = value.offset;
  return o;
}

void sl_ast_table_add_column(sl_parse *p, sl_ast_stmt *s, sl_ast_column *c, sl_kw pk) {
  sl_ast_list_append(p->arena, s->columns, c);
  if (pk.t.z)
    sl_ast_table_set_pk(p, s, sl_ast_list_append(p->arena, NULL, (void *)c->name), pk.v, pk.t);
}

void sl_ast_table_set_watermark(sl_parse *p, sl_ast_stmt *s, sl_token col, sl_ast_expr *e,
                                sl_token t) {
  if (s->wm_column) {
    sl_parse_error(p, t.offset, "multiple WATERMARK definitions are not supported");
    return;
  }
  s->wm_column = sl_parse_ident(p, col);
  s->wm_loc = col.offset;
  s->wm_expr = e;
}

void sl_ast_table_set_pk(sl_parse *p, sl_ast_stmt *s, sl_ast_list *cols, bool not_enforced,
                         sl_token t) {
  if (s->primary_key) {
    sl_parse_error(p, t.offset, "duplicate PRIMARY KEY definition");
    return;
  }
  if (!not_enforced) {
    sl_parse_error(p, t.offset,
                   "PRIMARY KEY must be declared NOT ENFORCED (Flink does not own the data)");
    return;
  }
  s->primary_key = cols;
  s->pk_loc = t.offset;
}
