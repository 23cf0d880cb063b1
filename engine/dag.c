/* dag.c - building and describing the operator DAG of a job. */
#include "dag.h"

#include <stdlib.h>

sl_dag *sl_dag_new(sl_job_ctx *ctx) {
  sl_dag *d = sl_calloc(1, sizeof *d);
  d->ctx = ctx;
  sl_arena_init(&d->arena, 4096);
  return d;
}

void sl_dag_add(sl_dag *d, sl_op *op) {
  if (d->nops == d->cap) {
    d->cap = d->cap ? d->cap * 2 : 8;
    d->ops = sl_realloc(d->ops, sizeof(sl_op *) * (size_t)d->cap);
  }
  op->id = d->nops + 1;
  sl_op_reset_watermark(op, SL_WATERMARK_MIN);
  op->out_wm = SL_WATERMARK_MIN;
  d->ops[d->nops++] = op;
}

void sl_dag_connect(sl_op *from, sl_op *to, int port) {
  from->outs = sl_realloc(from->outs, sizeof(sl_op_edge) * (size_t)(from->nouts + 1));
  from->outs[from->nouts++] = (sl_op_edge){.op = to, .port = port};
  if (to->ninputs < port + 1) to->ninputs = port + 1;
}

void sl_dag_free(sl_dag *d) {
  if (!d) return;
  for (int i = 0; i < d->nops; i++) {
    sl_op_release_held(d->ops[i]);
    free(d->ops[i]->outs);
    d->ops[i]->vt->close(d->ops[i]);
  }
  free(d->ops);
  for (int i = 0; i < d->shared.n; i++) free(d->shared.keys[i]);
  free(d->shared.keys);
  free(d->shared.ops);
  free(d->shared.stmt);
  sl_arena_destroy(&d->arena);
  free(d);
}

static bool feeds(const sl_op *from, const sl_op *to, int port) {
  for (int i = 0; i < from->nouts; i++)
    if (from->outs[i].op == to && from->outs[i].port == port) return true;
  return false;
}

/* One operator, then its inputs (ops feeding it, by port) one level deeper. An operator already
 * shown under an earlier sink (a shared one) is shown again by its id only. */
static void explain_op(const sl_dag *d, const sl_op *op, int depth, bool *shown, sl_buf *out) {
  sl_buf_printf(out, "%*s[%d] %s(", depth * 2, "", op->id, op->vt->name);
  if (shown[op->id - 1]) {
    sl_buf_adds(out, "reused)\n");
    return;
  }
  shown[op->id - 1] = true;
  if (op->vt->explain) op->vt->explain(op, out);
  sl_buf_adds(out, ")\n");
  for (int port = 0; port < op->ninputs; port++)
    for (int i = 0; i < d->nops; i++)
      if (feeds(d->ops[i], op, port)) {
        if (op->ninputs > 1) sl_buf_printf(out, "%*s  <- %s input\n", depth * 2, "", port == 0 ? "left" : "right");
        else sl_buf_printf(out, "%*s  <- forward\n", depth * 2, "");
        explain_op(d, d->ops[i], depth + 1, shown, out);
      }
}

void sl_dag_explain(const sl_dag *d, sl_buf *out) {
  bool *shown = sl_calloc((size_t)d->nops + 1, sizeof(bool));
  for (int i = 0; i < d->nops; i++)
    if (d->ops[i]->nouts == 0) explain_op(d, d->ops[i], 0, shown, out);
  free(shown);
}
