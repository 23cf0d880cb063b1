/* op.c - pushing batches and watermarks from one operator to the next. */
#include "op.h"

int sl_op_emit(sl_op *op, const sl_batch *b) {
  if (sl_batch_live(b) == 0) return SL_OP_OK;
  op->rows_out += sl_batch_live(b);
  sl_op *next = op->next;
  if (!next) return SL_OP_OK;
  next->rows_in += sl_batch_live(b);
  return next->vt->process(next, 0, b);
}

int sl_op_emit_watermark(sl_op *op, int64_t wm) {
  sl_op *next = op->next;
  if (!next || wm <= next->watermark) return SL_OP_OK;
  next->watermark = wm;
  if (!next->vt->on_watermark) return sl_op_emit_watermark(next, wm);
  return next->vt->on_watermark(next, wm);
}
