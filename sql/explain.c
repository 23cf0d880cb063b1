/* explain.c - the logical plan as an indented tree, in the spirit of Flink's EXPLAIN. */
#include <string.h>

#include "../engine/datetime.h"
#include "physical.h"

static void fields(const sl_schema *s, int rowtime, sl_buf *out) {
  sl_buf_adds(out, "fields=[");
  for (int i = 0; i < s->n; i++) {
    char t[64];
    sl_buf_printf(out, "%s%s %s", i ? ", " : "", s->names[i], sl_type_name(s->types[i], t, sizeof t));
  }
  sl_buf_adds(out, "]");
  (void)rowtime;
}

static void node(const sl_plan *p, int depth, sl_buf *out) {
  for (int i = 0; i < depth; i++) sl_buf_adds(out, i + 1 == depth ? "+- " : "   ");
  const char *const *in = p->input ? p->input->out.names : NULL;
  switch ((sl_plan_kind)p->kind) {
    case SL_PLAN_SCAN:
      sl_buf_printf(out, "TableSourceScan(table=[%s], connector=[%s], ", p->table->name, p->table->connector);
      fields(&p->out, p->rowtime, out);
      /* METADATA columns: which key the connector fills each one from. */
      if (p->table->nmeta) {
        sl_buf_adds(out, ", metadata=[");
        for (int i = 0, m = 0; i < p->table->ncols; i++)
          if (p->table->cols[i].metadata)
            sl_buf_printf(out, "%s%s FROM '%s'%s", m++ ? ", " : "", p->table->cols[i].name, p->table->cols[i].meta_key,
                          p->table->cols[i].is_virtual ? " VIRTUAL" : "");
        sl_buf_adds(out, "]");
      }
      for (int i = 0; i < p->out.n; i++)
        if (p->computed[i]) {
          sl_buf_printf(out, ", %s=[", p->out.names[i]);
          sl_expr_explain(p->computed[i], p->out.names, out);
          sl_buf_adds(out, "]");
        }
      if (p->wm_expr) {
        sl_buf_printf(out, ", rowtime=[%s], watermark=[", p->out.names[p->wm_col]);
        sl_expr_explain(p->wm_expr, p->out.names, out);
        sl_buf_adds(out, "]");
      }
      sl_buf_adds(out, ")\n");
      break;
    case SL_PLAN_VALUES: sl_buf_adds(out, "Values(tuples=[[]])\n"); break;
    case SL_PLAN_FILTER:
      sl_buf_adds(out, "Filter(condition=[");
      sl_expr_explain(p->pred, in, out);
      sl_buf_adds(out, "])\n");
      break;
    case SL_PLAN_PROJECT:
      sl_buf_adds(out, "Project(");
      for (int i = 0; i < p->out.n; i++) {
        sl_buf_printf(out, "%s%s=[", i ? ", " : "", p->out.names[i]);
        sl_expr_explain(p->exprs[i], in, out);
        sl_buf_adds(out, "]");
      }
      sl_buf_adds(out, ")\n");
      break;
    case SL_PLAN_WINDOW_AGG: {
      sl_buf_adds(out, "WindowAggregate(");
      if (p->nkeys) {
        sl_buf_adds(out, "groupBy=[");
        for (int k = 0; k < p->nkeys; k++) {
          if (k) sl_buf_adds(out, ", ");
          sl_expr_explain(p->keys[k], in, out);
        }
        sl_buf_adds(out, "], ");
      }
      sl_buf_printf(out, "window=[TUMBLE(time_col=[%s], size=[", in[p->time_col]);
      sl_interval_explain(p->size, out);
      sl_buf_adds(out, "])], aggregates=[");
      for (int i = 0; i < p->naggs; i++) {
        sl_buf_printf(out, "%s%s(%s", i ? ", " : "", p->aggs[i].name, p->aggs[i].distinct ? "DISTINCT " : "");
        if (p->aggs[i].arg) sl_expr_explain(p->aggs[i].arg, in, out);
        else sl_buf_adds(out, "*");
        sl_buf_adds(out, ")");
      }
      sl_buf_adds(out, "], ");
      fields(&p->out, p->rowtime, out);
      sl_buf_adds(out, ")\n");
      break;
    }
    case SL_PLAN_JOIN: {
      static const char *const types[] = {"InnerJoin", "LeftOuterJoin", "RightOuterJoin", "FullOuterJoin", "InnerJoin"};
      int nl = p->input->out.n;
      sl_buf_printf(out, "%s(joinType=[%s], ",
                    p->join_kind == SL_JOIN_INTERVAL   ? "IntervalJoin"
                    : p->join_kind == SL_JOIN_TEMPORAL ? "TemporalJoin"
                    : p->join_kind == SL_JOIN_WINDOW   ? "WindowJoin"
                                                       : "Join",
                    types[p->join_type]);
      sl_buf_adds(out, "keys=[");
      for (int k = 0; k < p->njkeys; k++) {
        sl_buf_adds(out, k ? ", " : "");
        sl_expr_explain(p->lkeys[k], p->input->out.names, out);
        sl_buf_adds(out, " = ");
        sl_expr_explain(p->rkeys[k], p->right->out.names, out);
      }
      sl_buf_adds(out, "]");
      if (p->join_kind == SL_JOIN_INTERVAL) {
        sl_buf_printf(out, ", bound=[%s - %s BETWEEN ", p->out.names[p->ltime], p->out.names[nl + p->rtime]);
        sl_interval_explain(p->lower, out);
        sl_buf_adds(out, " AND ");
        sl_interval_explain(p->upper, out);
        sl_buf_adds(out, "]");
      }
      if (p->join_kind == SL_JOIN_TEMPORAL)
        sl_buf_printf(out, ", asOf=[%s], versionTime=[%s]", p->out.names[p->ltime], p->out.names[nl + p->rtime]);
      if (p->residual) {
        sl_buf_adds(out, ", residual=[");
        sl_expr_explain(p->residual, p->out.names, out);
        sl_buf_adds(out, "]");
      }
      sl_buf_adds(out, ", ");
      fields(&p->out, p->rowtime, out);
      sl_buf_adds(out, ")\n");
      break;
    }
    case SL_PLAN_SINK:
      if (p->sink) sl_buf_printf(out, "Sink(table=[%s], connector=[%s], ", p->sink->name, p->sink->connector);
      else sl_buf_adds(out, "Collect(print=[table], ");
      fields(&p->out, -1, out);
      sl_buf_adds(out, ")\n");
      break;
  }
  if (p->input) node(p->input, depth + 1, out);
  if (p->right) node(p->right, depth + 1, out);
}

void sl_plan_explain(const sl_plan *root, sl_buf *out) { node(root, 0, out); }
