/* exec.c - drives a pipeline: the source is polled until it is exhausted, then the end of input
 * travels down the chain as a final watermark followed by finish(). */
#include "dag.h"

int sl_dag_run(sl_dag *d) {
  if (d->nops == 0) return SL_OP_OK;
  for (int i = 0; i < d->nops; i++)
    if (d->ops[i]->vt->open(d->ops[i])) return SL_OP_ERROR;
  sl_op *src = d->ops[0];
  for (;;) {
    int rc = src->vt->poll(src);
    if (rc == SL_OP_DONE) break;
    if (rc != SL_OP_OK) return SL_OP_ERROR;
  }
  /* End of input: every operator finishes in chain order, so a window fired by finish() reaches
   * operators that have not finished yet. */
  for (int i = 0; i < d->nops; i++) {
    sl_op *op = d->ops[i];
    if (op->vt->finish(op)) return SL_OP_ERROR;
    if (sl_op_emit_watermark(op, SL_WATERMARK_MAX)) return SL_OP_ERROR;
  }
  return SL_OP_OK;
}
