/* plan_join.c - planning a join from its condition, as Flink's planner does: conjuncts of an
 * inner join that read one side only are pushed into that side; `l = r` conjuncts between the
 * two sides become equi-join keys; comparisons between the two sides' time attributes (with
 * INTERVAL offsets) become the bounds of an interval join; the rest is a residual predicate.
 *
 *   l.ts BETWEEN r.ts - INTERVAL '4' HOUR AND r.ts   ->  l.ts - r.ts in [-4 h, 0]
 *   l.ts > r.ts - INTERVAL '1' MINUTE                ->  l.ts - r.ts >= -1 min + 1 us
 *
 * A join with both a lower and an upper time bound is an interval join (its state is cleaned as
 * the watermark passes the bound, and its output keeps the inputs' time attributes); any other
 * join is a regular join (unbounded state, output time attributes become plain timestamps). */
#include <string.h>

#include "../connectors/conn.h"
#include "plan.h"

/* Which inputs e reads: bit 0 the left one (columns < nl), bit 1 the right one. */
static int sides(const sl_expr *e, int nl) {
  if (e->kind == SL_EXPR_COL) return e->col < nl ? 1 : 2;
  int s = 0;
  for (int i = 0; i < e->nargs; i++) s |= sides(e->args[i], nl);
  return s;
}

/* A copy of e reading column c - delta wherever it reads column c. */
static sl_expr *shift(sl_arena *a, const sl_expr *e, int delta) {
  sl_expr *c = sl_arena_alloc(a, sizeof *c);
  *c = *e;
  if (e->kind == SL_EXPR_COL) c->col -= delta;
  if (e->nargs) {
    c->args = sl_arena_alloc(a, sizeof(sl_expr *) * (size_t)e->nargs);
    for (int i = 0; i < e->nargs; i++) c->args[i] = shift(a, e->args[i], delta);
  }
  return c;
}

/* The conjuncts of e (nested ANDs flattened), appended to list[*n] (room for count_conj). */
static int count_conj(const sl_expr *e) {
  if (!e) return 0;
  if (e->kind != SL_EXPR_AND) return 1;
  int n = 0;
  for (int i = 0; i < e->nargs; i++) n += count_conj(e->args[i]);
  return n;
}

static void split_conj(sl_expr *e, sl_expr **list, int *n) {
  if (!e) return;
  if (e->kind != SL_EXPR_AND) {
    list[(*n)++] = e;
    return;
  }
  for (int i = 0; i < e->nargs; i++) split_conj(e->args[i], list, n);
}

/* AND of list[0..n), NULL when n is 0. */
static sl_expr *and_of(sl_arena *a, sl_expr **list, int n) {
  if (n == 0) return NULL;
  if (n == 1) return list[0];
  bool nullable = false;
  for (int i = 0; i < n; i++) nullable |= list[i]->type.nullable;
  sl_expr *e = sl_expr_new(a, SL_EXPR_AND, sl_type_make(SL_TYPE_BOOLEAN, 0, 0, nullable), n, list[0]->loc);
  for (int i = 0; i < n; i++) e->args[i] = list[i];
  return e;
}

static sl_expr *and2(sl_arena *a, sl_expr *x, sl_expr *y) {
  sl_expr *l[2] = {x, y};
  return !x ? y : !y ? x : and_of(a, l, 2);
}

static bool is_inner(const sl_plan *j) { return j->join_type == SL_JOIN_INNER || j->join_type == SL_JOIN_CROSS; }

/* Adds predicate e (over p's output) to p: into the condition of an inner join not yet planned,
 * else as a filter on top. */
static void add_filter(sl_arena *a, sl_plan **p, sl_expr *e) {
  sl_plan *in = *p;
  if (in->kind == SL_PLAN_JOIN && is_inner(in) && !in->join_kind) {
    in->cond = and2(a, in->cond, e);
    return;
  }
  if (in->kind == SL_PLAN_FILTER) {
    in->pred = and2(a, in->pred, e);
    return;
  }
  sl_plan *f = sl_arena_zalloc(a, sizeof *f);
  f->kind = SL_PLAN_FILTER;
  f->input = in;
  f->pred = e;
  f->out = in->out;
  f->rowtime = in->rowtime;
  f->window_kind = in->window_kind;
  f->time_col = in->time_col;
  f->size = in->size;
  *p = f;
}

/* Top-down: an inner join's conjuncts that read one side move into that side. */
static void push_down(sl_arena *a, sl_plan *j) {
  int nl = j->input->out.n;
  if (is_inner(j) && j->cond) {
    int n = 0, keep = 0;
    sl_expr **conj = sl_arena_alloc(a, sizeof(sl_expr *) * (size_t)count_conj(j->cond));
    split_conj(j->cond, conj, &n);
    for (int i = 0; i < n; i++) {
      int s = sides(conj[i], nl);
      if (s == 1) add_filter(a, &j->input, conj[i]);
      /* Filtering a versioned table would make older versions visible: not below a temporal join. */
      else if (s == 2 && !j->as_of) add_filter(a, &j->right, shift(a, conj[i], nl));
      else conj[keep++] = conj[i];
    }
    j->cond = and_of(a, conj, keep);
  }
  for (int side = 0; side < 2; side++) {
    sl_plan *in = side ? j->right : j->input;
    if (in->kind == SL_PLAN_FILTER) in = in->input;
    if (in->kind == SL_PLAN_JOIN && !in->join_kind) push_down(a, in);
  }
}

/* A time attribute of either input plus a constant day-time interval: col + off. */
static bool time_term(const sl_plan *j, const sl_expr *e, int *col, int64_t *off) {
  int nl = j->input->out.n;
  if (e->kind == SL_EXPR_COL) {
    const sl_type *t = e->col < nl ? &j->input->out.types[e->col] : &j->right->out.types[e->col - nl];
    if (!t->rowtime) return false;
    *col = e->col;
    *off = 0;
    return true;
  }
  if (e->kind != SL_EXPR_CALL || (e->fn != SL_FN_TS_ADD_INTERVAL && e->fn != SL_FN_TS_SUB_INTERVAL)) return false;
  const sl_expr *iv = e->args[1];
  if (iv->kind != SL_EXPR_CONST || iv->type.kind != SL_TYPE_INTERVAL_DT || iv->value.is_null) return false;
  if (!time_term(j, e->args[0], col, off)) return false;
  *off += e->fn == SL_FN_TS_ADD_INTERVAL ? iv->value.i64 : -iv->value.i64;
  return true;
}

/* A comparison between a left and a right time term: narrows [*lower, *upper] of ltime - rtime
 * (and fixes ltime/rtime on first use). False when c is not one, or uses other time columns. */
static bool time_bound(sl_plan *j, const sl_expr *c, int64_t *lower, int64_t *upper) {
  if (c->kind != SL_EXPR_CALL) return false;
  int fn = c->fn;
  if (fn != SL_FN_LT && fn != SL_FN_LE && fn != SL_FN_GT && fn != SL_FN_GE && fn != SL_FN_EQ) return false;
  int ca, cb;
  int64_t oa, ob;
  if (!time_term(j, c->args[0], &ca, &oa) || !time_term(j, c->args[1], &cb, &ob)) return false;
  int nl = j->input->out.n;
  if ((ca < nl) == (cb < nl)) return false;
  if (ca >= nl) { /* right OP left: flip to left OP' right */
    int t = ca;
    ca = cb;
    cb = t;
    int64_t to = oa;
    oa = ob;
    ob = to;
    fn = fn == SL_FN_LT ? SL_FN_GT : fn == SL_FN_LE ? SL_FN_GE : fn == SL_FN_GT ? SL_FN_LT : fn == SL_FN_GE ? SL_FN_LE : fn;
  }
  if (j->ltime < 0) {
    j->ltime = ca;
    j->rtime = cb - nl;
  } else if (j->ltime != ca || j->rtime != cb - nl) {
    return false;
  }
  /* l + oa OP r + ob  <=>  l - r OP ob - oa */
  int64_t d = ob - oa;
  if ((fn == SL_FN_GE || fn == SL_FN_EQ) && d > *lower) *lower = d;
  if (fn == SL_FN_GT && d + 1 > *lower) *lower = d + 1;
  if ((fn == SL_FN_LE || fn == SL_FN_EQ) && d < *upper) *upper = d;
  if (fn == SL_FN_LT && d - 1 < *upper) *upper = d - 1;
  return true;
}

/* `l = r` between the two sides: a key pair (both already of one type: '=' casts its args). */
static bool equi_key(const sl_plan *j, const sl_expr *c, sl_expr **l, sl_expr **r) {
  if (c->kind != SL_EXPR_CALL || c->fn != SL_FN_EQ) return false;
  int nl = j->input->out.n;
  int s0 = sides(c->args[0], nl), s1 = sides(c->args[1], nl);
  if (s0 == 1 && s1 == 2) {
    *l = c->args[0];
    *r = c->args[1];
  } else if (s0 == 2 && s1 == 1) {
    *l = c->args[1];
    *r = c->args[0];
  } else {
    return false;
  }
  return sl_type_equal((*l)->type, (*r)->type);
}

/* The window columns of a window table function's rows (window_start and window_end, computed
 * from TUMBLE_START by the projection that materializes them) and the window size. */
static bool window_of(const sl_plan *p, int *start, int *end, int64_t *size) {
  if (p->kind == SL_PLAN_FILTER) p = p->input;
  if (p->kind != SL_PLAN_PROJECT) return false;
  *start = *end = -1;
  for (int i = 0; i < p->out.n; i++) {
    const sl_expr *e = p->exprs[i];
    if (e->kind != SL_EXPR_CALL) continue;
    if (e->fn == SL_FN_WINDOW_START) {
      *start = i;
      *size = e->args[1]->value.i64;
    } else if (e->fn == SL_FN_TS_ADD_INTERVAL && e->args[0]->kind == SL_EXPR_CALL &&
               e->args[0]->fn == SL_FN_WINDOW_START) {
      *end = i;
    }
  }
  return *start >= 0 && *end >= 0;
}

/* A window join: both inputs windowed alike, and keys pairing their window_start and window_end. */
static bool is_window_join(sl_plan *j) {
  int ls, le, rs, re;
  int64_t lsz, rsz;
  if (!window_of(j->input, &ls, &le, &lsz) || !window_of(j->right, &rs, &re, &rsz) || lsz != rsz) return false;
  bool starts = false, ends = false;
  for (int k = 0; k < j->njkeys; k++) {
    const sl_expr *l = j->lkeys[k], *r = j->rkeys[k];
    if (l->kind != SL_EXPR_COL || r->kind != SL_EXPR_COL) continue;
    starts |= l->col == ls && r->col == rs;
    ends |= l->col == le && r->col == re;
  }
  if (!starts || !ends) return false;
  j->ltime = le;
  j->rtime = re;
  j->win_size = lsz;
  return true;
}

static sl_plan *join_below(sl_plan *p) {
  if (p->kind == SL_PLAN_FILTER) p = p->input;
  return p->kind == SL_PLAN_JOIN ? p : NULL;
}

/* Bottom-up: keys, bounds, residual and kind of j, its inputs planned first. */
static int classify(sl_arena *a, sl_plan *j, sl_err *err) {
  for (int side = 0; side < 2; side++) {
    sl_plan *in = join_below(side ? j->right : j->input);
    if (in && !in->join_kind) {
      int rc = classify(a, in, err);
      if (rc) return rc;
    }
  }
  /* The inputs' output types may have changed (time attributes of regular joins). */
  int nl = j->input->out.n, nr = j->right->out.n;
  for (int i = 0; i < nl + nr; i++) {
    sl_type t = i < nl ? j->input->out.types[i] : j->right->out.types[i - nl];
    j->out.types[i].rowtime = t.rowtime;
  }
  if (j->join_type == SL_JOIN_CROSS) j->join_type = SL_JOIN_INNER;
  int n = 0, nres = 0;
  int max = count_conj(j->cond);
  sl_expr **conj = sl_arena_alloc(a, sizeof(sl_expr *) * (size_t)(max ? max : 1));
  sl_expr **res = sl_arena_alloc(a, sizeof(sl_expr *) * (size_t)(max ? max : 1));
  sl_expr **timec = sl_arena_alloc(a, sizeof(sl_expr *) * (size_t)(max ? max : 1));
  int ntime = 0;
  split_conj(j->cond, conj, &n);
  j->lkeys = sl_arena_alloc(a, sizeof(sl_expr *) * (size_t)(max ? max : 1));
  j->rkeys = sl_arena_alloc(a, sizeof(sl_expr *) * (size_t)(max ? max : 1));
  j->njkeys = 0;
  j->ltime = j->rtime = -1;
  j->win_size = 0;
  int64_t lower = INT64_MIN, upper = INT64_MAX;
  for (int i = 0; i < n; i++) {
    sl_expr *l, *r;
    if (!j->as_of && time_bound(j, conj[i], &lower, &upper)) {
      timec[ntime++] = conj[i];
    } else if (equi_key(j, conj[i], &l, &r)) {
      j->lkeys[j->njkeys] = l;
      j->rkeys[j->njkeys++] = shift(a, r, nl);
    } else {
      res[nres++] = conj[i];
    }
  }
  if (j->as_of) {
    /* The right table's primary key must be matched by equalities. */
    const sl_table_def *t = j->right->table;
    for (int k = 0; t && k < t->npk; k++) {
      bool found = false;
      for (int e = 0; e < j->njkeys && !found; e++)
        found = j->rkeys[e]->kind == SL_EXPR_COL && !strcmp(j->right->out.names[j->rkeys[e]->col], t->pk[k]);
      if (!found)
        return sl_err_set(err, SL_EBIND, j->cond_loc,
                          "a temporal join must match the primary key of '%s' with equalities in its condition: "
                          "'%s' is not", t->name, t->pk[k]);
    }
    j->join_kind = SL_JOIN_TEMPORAL;
    j->ltime = j->as_of->col;
    j->rtime = j->right->rowtime;
    for (int i = nl; i < nl + nr; i++) j->out.types[i].rowtime = false;
    j->rowtime = j->input->rowtime;
  } else if (is_window_join(j)) {
    /* Time comparisons are ordinary predicates here; results come when the window closes. */
    for (int i = 0; i < ntime; i++) res[nres++] = timec[i];
    j->join_kind = SL_JOIN_WINDOW;
    for (int i = 0; i < nl + nr; i++) j->out.types[i].rowtime = false;
    j->rowtime = -1;
  } else if (ntime && lower != INT64_MIN && upper != INT64_MAX) {
    j->join_kind = SL_JOIN_INTERVAL;
    j->lower = lower;
    j->upper = upper;
    j->rowtime = j->input->rowtime >= 0 ? j->input->rowtime : j->right->rowtime >= 0 ? nl + j->right->rowtime : -1;
  } else {
    /* A regular join: time comparisons are ordinary predicates, time attributes end here. */
    for (int i = 0; i < ntime; i++) res[nres++] = timec[i];
    j->join_kind = SL_JOIN_REGULAR;
    j->ltime = j->rtime = -1;
    for (int i = 0; i < nl + nr; i++) j->out.types[i].rowtime = false;
    j->rowtime = -1;
  }
  j->residual = and_of(a, res, nres);
  return 0;
}

int sl_plan_join(sl_arena *arena, sl_plan *j, sl_err *err) {
  push_down(arena, j);
  return classify(arena, j, err);
}

/* ---- Changelogs --------------------------------------------------------------------------- */

static const char *const join_names[] = {"INNER", "LEFT OUTER", "RIGHT OUTER", "FULL OUTER", "INNER"};

/* The node whose rows include updates or deletes (NULL: inserts only), checking on the way that
 * no node that cannot take them is fed them. */
static int updates_of(const sl_plan *p, const sl_plan **producer, sl_err *err) {
  *producer = NULL;
  if (!p) return 0;
  const sl_plan *in = NULL, *rin = NULL;
  int rc = updates_of(p->input, &in, err);
  if (!rc && p->right) rc = updates_of(p->right, &rin, err);
  if (rc) return rc;
  const sl_plan *up = in ? in : rin;
  switch ((sl_plan_kind)p->kind) {
    case SL_PLAN_WINDOW_AGG:
      if (up)
        return sl_err_set(err, SL_EUNSUPPORTED, up->cond_loc,
                          "a window aggregation cannot consume the updates and deletes of this %s regular join "
                          "(use an INNER join of append-only inputs, or an interval join)", join_names[up->join_type]);
      return 0;
    case SL_PLAN_JOIN:
      if (p->join_kind != SL_JOIN_REGULAR && up)
        return sl_err_set(err, SL_EUNSUPPORTED, up->cond_loc,
                          "an interval or temporal join cannot consume the updates and deletes of this %s regular join",
                          join_names[up->join_type]);
      if (p->join_kind == SL_JOIN_REGULAR && (up || p->join_type != SL_JOIN_INNER)) *producer = up ? up : p;
      return 0;
    default:
      *producer = up;
      return 0;
  }
}

int sl_plan_check_changes(const sl_plan *root, int64_t sink_loc, sl_err *err) {
  const sl_plan *up;
  int rc = updates_of(root, &up, err);
  if (rc || !up || root->kind != SL_PLAN_SINK || !root->sink || sl_conn_sink_takes_updates(root->sink->connector))
    return rc;
  return sl_err_set(err, SL_EUNSUPPORTED, sink_loc,
                    "table '%s' (connector '%s') only takes inserts, but the %s regular join produces updates and "
                    "deletes (a row padded with NULLs is retracted when its first match arrives); write to a "
                    "connector that takes a changelog ('print', 'blackhole'), or use an INNER or interval join",
                    root->sink->name, root->sink->connector, join_names[up->join_type]);
}
