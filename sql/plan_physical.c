/* plan_physical.c - maps logical nodes to operators: SCAN -> Source, FILTER/PROJECT -> Calc (a
 * FILTER under a PROJECT merges into one Calc), WINDOW_AGG -> WindowAggregate, JOIN -> the join
 * operator of its kind (two inputs), SINK -> Sink. */
#include <string.h>

#include "../connectors/conn.h"
#include "../engine/ops.h"
#include "physical.h"

static const char *const *names_of(const sl_plan *p) { return p->out.names; }

/* A fresh copy of a table's options: each job marks its own uses. */
static sl_options copy_options(sl_arena *a, const sl_options *o) {
  sl_options c = {.n = o->n};
  c.items = sl_arena_zalloc(a, sizeof(sl_option) * (size_t)(o->n ? o->n : 1));
  for (int i = 0; i < o->n; i++) {
    c.items[i] = o->items[i];
    c.items[i].used = false;
  }
  return c;
}

static const char *describe_table(sl_arena *a, const sl_table_def *t) {
  sl_buf b;
  sl_buf_init(&b);
  sl_buf_printf(&b, "connector=[%s]", t->connector);
  for (int i = 0; i < t->opts.n; i++) {
    const sl_option *o = &t->opts.items[i];
    if (!strcmp(o->key, "connector")) continue;
    /* Secrets never reach EXPLAIN. */
    if (strstr(o->key, "secret") || strstr(o->key, "password") || strstr(o->key, "token"))
      sl_buf_printf(&b, ", %s=[****]", o->key);
    else
      sl_buf_printf(&b, ", %s=[%s]", o->key, o->value);
  }
  const char *s = sl_arena_strdup(a, b.data);
  sl_buf_destroy(&b);
  return s;
}

/* Adds op to the DAG, fed by in (NULL for a source), and makes it the subtree's output. */
static int add(sl_dag *d, sl_op *op, sl_op *in, sl_op **out) {
  sl_dag_add(d, op);
  if (in) sl_dag_connect(in, op, 0);
  *out = op;
  return 0;
}

static int build_node(sl_plan *p, sl_job_ctx *ctx, bool open, sl_dag *d, sl_op **out, sl_err *err);

/* Builds the operators of p's subtree; *out is the one producing p's rows. In a statement set, a
 * subtree an earlier statement has too (same EXPLAIN text) is not built again: its operator
 * feeds this statement as well (one read of each source, the common sub-plan computed once). */
static int build(sl_plan *p, sl_job_ctx *ctx, bool open, sl_dag *d, sl_op **out, sl_err *err) {
  if (p->kind == SL_PLAN_SINK) return build_node(p, ctx, open, d, out, err);
  sl_buf key;
  sl_buf_init(&key);
  sl_plan_explain(p, &key);
  for (int i = 0; i < d->shared.n; i++)
    if (d->shared.stmt[i] != d->shared.cur && !strcmp(d->shared.keys[i], key.data)) {
      sl_buf_destroy(&key);
      *out = d->shared.ops[i];
      return 0;
    }
  int rc = build_node(p, ctx, open, d, out, err);
  if (rc) {
    sl_buf_destroy(&key);
    return rc;
  }
  if (d->shared.n == d->shared.cap) {
    d->shared.cap = d->shared.cap ? d->shared.cap * 2 : 16;
    d->shared.keys = sl_realloc(d->shared.keys, sizeof(char *) * (size_t)d->shared.cap);
    d->shared.ops = sl_realloc(d->shared.ops, sizeof(sl_op *) * (size_t)d->shared.cap);
    d->shared.stmt = sl_realloc(d->shared.stmt, sizeof(int) * (size_t)d->shared.cap);
  }
  d->shared.keys[d->shared.n] = key.data; /* the buffer's bytes move to the table */
  d->shared.ops[d->shared.n] = *out;
  d->shared.stmt[d->shared.n++] = d->shared.cur;
  return 0;
}

static int build_node(sl_plan *p, sl_job_ctx *ctx, bool open, sl_dag *d, sl_op **out, sl_err *err) {
  int rc;
  sl_op *in = NULL;
  switch ((sl_plan_kind)p->kind) {
    case SL_PLAN_VALUES: return add(d, sl_op_values_new(ctx), NULL, out);
    case SL_PLAN_SCAN: {
      sl_table_def *t = p->table;
      /* The connector's columns: the payload (physical) columns, then the METADATA columns, each
       * group in declaration order (sl_conn_table.nmeta); phys[i] is table column i's place. */
      int np = t->nphysical, nm = t->nmeta;
      const char **pnames = sl_arena_zalloc(&d->arena, sizeof(char *) * (size_t)(np ? np : 1));
      sl_type *ptypes = sl_arena_zalloc(&d->arena, sizeof(sl_type) * (size_t)(np ? np : 1));
      int *phys = sl_arena_zalloc(&d->arena, sizeof(int) * (size_t)(t->ncols ? t->ncols : 1));
      const char **mkeys = sl_arena_zalloc(&d->arena, sizeof(char *) * (size_t)(nm ? nm : 1));
      int64_t *mloc = sl_arena_zalloc(&d->arena, sizeof(int64_t) * (size_t)(nm ? nm : 1));
      int k = 0, m = 0;
      for (int i = 0; i < t->ncols; i++) {
        const sl_column_def *c = &t->cols[i];
        if (c->computed) {
          phys[i] = -1;
          continue;
        }
        if (c->metadata) {
          phys[i] = np - nm + m;
          mkeys[m] = c->meta_key;
          mloc[m++] = c->meta_loc;
        } else {
          phys[i] = k++;
        }
        pnames[phys[i]] = c->name;
        ptypes[phys[i]] = c->type;
      }
      sl_source *src = NULL;
      if (open) {
        sl_options opts = copy_options(&d->arena, &t->opts);
        sl_conn_table ct = {.name = t->name, .connector = t->connector, .opts = &opts, .ncols = np,
                            .names = pnames, .types = ptypes, .nmeta = nm, .meta_keys = mkeys,
                            .meta_loc = mloc, .out = ctx->out, .errout = ctx->errout, .log = ctx->log, .host = ctx->host};
        if ((rc = sl_conn_source_open(&ct, t->loc, &src, err))) return rc;
      }
      return add(d, sl_op_source_new(ctx, t->name, describe_table(&d->arena, t), src, np, ptypes, t->ncols,
                                     p->out.types, names_of(p), phys, p->computed, p->wm_expr, p->wm_col), NULL, out);
    }
    case SL_PLAN_FILTER:
      if ((rc = build(p->input, ctx, open, d, &in, err))) return rc;
      return add(d, sl_op_calc_new(ctx, p->pred, 0, NULL, names_of(p->input), NULL), in, out);
    case SL_PLAN_PROJECT: {
      sl_plan *in = p->input;
      sl_expr *pred = NULL;
      if (in->kind == SL_PLAN_FILTER) {
        pred = in->pred;
        in = in->input;
      }
      sl_op *from;
      if ((rc = build(in, ctx, open, d, &from, err))) return rc;
      return add(d, sl_op_calc_new(ctx, pred, p->out.n, p->exprs, names_of(in), names_of(p)), from, out);
    }
    case SL_PLAN_WINDOW_AGG:
      if ((rc = build(p->input, ctx, open, d, &in, err))) return rc;
      return add(d, sl_op_window_agg_new(ctx, p->time_col, p->size, p->nkeys, p->keys, p->naggs, p->aggs,
                                         names_of(p->input), names_of(p)), in, out);
    case SL_PLAN_JOIN: {
      sl_op *left, *right;
      if ((rc = build(p->input, ctx, open, d, &left, err)) || (rc = build(p->right, ctx, open, d, &right, err))) return rc;
      sl_op_join_spec js = {.nl = p->input->out.n, .nr = p->right->out.n, .out_types = p->out.types,
                            .out_names = names_of(p), .nkeys = p->njkeys, .lkeys = p->lkeys, .rkeys = p->rkeys,
                            .residual = p->residual,
                            .left_outer = p->join_type == SL_JOIN_LEFT || p->join_type == SL_JOIN_FULL,
                            .right_outer = p->join_type == SL_JOIN_RIGHT || p->join_type == SL_JOIN_FULL,
                            .ltime = p->ltime, .rtime = p->rtime, .lower = p->lower, .upper = p->upper,
                            .win_size = p->win_size};
      sl_op *j = p->join_kind == SL_JOIN_INTERVAL   ? sl_op_interval_join_new(ctx, &js)
                 : p->join_kind == SL_JOIN_TEMPORAL ? sl_op_temporal_join_new(ctx, &js)
                 : p->join_kind == SL_JOIN_WINDOW   ? sl_op_window_join_new(ctx, &js)
                                                    : sl_op_regular_join_new(ctx, &js);
      sl_dag_add(d, j);
      sl_dag_connect(left, j, 0);
      sl_dag_connect(right, j, 1);
      *out = j;
      return 0;
    }
    case SL_PLAN_SINK: {
      if ((rc = build(p->input, ctx, open, d, &in, err))) return rc;
      sl_table_def *t = p->sink;
      sl_sink *sink = NULL;
      if (t && open) {
        sl_options opts = copy_options(&d->arena, &t->opts);
        int *part = sl_arena_zalloc(&d->arena, sizeof(int) * (size_t)(t->npart ? t->npart : 1));
        for (int i = 0; i < t->npart; i++) {
          part[i] = -1;
          for (int c = 0; c < p->out.n; c++)
            if (!strcmp(p->out.names[c], t->part[i])) part[i] = c;
          if (part[i] < 0)
            return sl_err_set(err, SL_EBIND, t->part_loc, "partition column '%s' is not a column table '%s' is written with",
                              t->part[i], t->name);
        }
        sl_conn_table ct = {.name = t->name, .connector = t->connector, .opts = &opts, .ncols = p->out.n,
                            .names = p->out.names, .types = p->out.types, .npart = t->npart, .part_cols = part,
                            .out = ctx->out, .errout = ctx->errout, .log = ctx->log, .two_phase = ctx->checkpointing, .host = ctx->host};
        if ((rc = sl_conn_sink_open(&ct, t->loc, &sink, err))) return rc;
      }
      return add(d, sl_op_sink_new(ctx, t ? t->name : NULL, t ? describe_table(&d->arena, t) : "", sink, p->out.n,
                                   p->out.names, p->out.types), in, out);
    }
  }
  return sl_err_set(err, SL_EUNSUPPORTED, SL_ERR_NOLOC, "unknown plan node");
}

int sl_plan_physical(sl_plan *const *roots, int n, sl_job_ctx *ctx, bool open_connectors, sl_dag **out, sl_err *err) {
  sl_dag *d = sl_dag_new(ctx);
  for (int i = 0; i < n; i++) {
    sl_op *sink;
    d->shared.cur = i;
    int rc = build(roots[i], ctx, open_connectors, d, &sink, err);
    if (rc) {
      sl_dag_free(d);
      return rc;
    }
  }
  *out = d;
  return 0;
}
