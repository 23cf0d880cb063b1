/* op.c - pushing batches, watermarks, end of input and checkpoint barriers from one operator to
 * the next; the minimum watermark and barrier alignment at operators with several inputs. */
#include <stdlib.h>

#include "checkpoint.h"
#include "op.h"

int sl_op_emit(sl_op *op, const sl_batch *b) {
  if (sl_batch_live(b) == 0) return SL_OP_OK;
  op->rows_out += sl_batch_live(b);
  for (int i = 0; i < op->nouts; i++)
    if (sl_op_deliver(op->outs[i].op, op->outs[i].port, b)) return SL_OP_ERROR;
  return SL_OP_OK;
}

/* Input port of next advanced to wm: next's own watermark is the minimum over its inputs. */
static int advance_input(sl_op *next, int port, int64_t wm) {
  if (wm <= next->in_wm[port]) return SL_OP_OK;
  next->in_wm[port] = wm;
  int64_t min = SL_WATERMARK_MAX;
  for (int i = 0; i < (next->ninputs > 0 ? next->ninputs : 1); i++)
    if (next->in_wm[i] < min) min = next->in_wm[i];
  if (min <= next->watermark) return SL_OP_OK;
  next->watermark = min;
  if (!next->vt->on_watermark) return sl_op_emit_watermark(next, min);
  return next->vt->on_watermark(next, min);
}

int sl_op_emit_watermark(sl_op *op, int64_t wm) {
  if (wm > op->out_wm) op->out_wm = wm;
  for (int i = 0; i < op->nouts; i++)
    if (advance_input(op->outs[i].op, op->outs[i].port, wm)) return SL_OP_ERROR;
  return SL_OP_OK;
}

int sl_op_end(sl_op *op) {
  if (op->vt->finish(op)) return SL_OP_ERROR;
  if (sl_op_emit_watermark(op, SL_WATERMARK_MAX)) return SL_OP_ERROR;
  for (int i = 0; i < op->nouts; i++) {
    sl_op *next = op->outs[i].op;
    next->ended |= 1u << op->outs[i].port;
    if (__builtin_popcount(next->ended) == (next->ninputs > 0 ? next->ninputs : 1) && sl_op_end(next)) return SL_OP_ERROR;
  }
  return SL_OP_OK;
}

void sl_op_reset_watermark(sl_op *op, int64_t wm) {
  op->watermark = wm;
  for (int i = 0; i < SL_OP_MAX_INPUTS; i++) op->in_wm[i] = wm;
}

/* Copies the live rows of b (a held batch must outlive the caller's). */
static sl_batch *copy_live(const sl_batch *b) {
  sl_type *types = sl_calloc((size_t)(b->ncols ? b->ncols : 1), sizeof(sl_type));
  for (int c = 0; c < b->ncols; c++) types[c] = b->cols[c].type;
  int n = sl_batch_live(b);
  sl_batch *copy = sl_batch_new(b->ncols, types, n ? n : 1);
  free(types);
  for (int i = 0; i < n; i++) {
    uint32_t row = sl_batch_row(b, i);
    for (int c = 0; c < b->ncols; c++) {
      sl_value v;
      sl_col_get(&b->cols[c], row, &v);
      sl_batch_set(copy, c, (uint32_t)i, &v);
    }
  }
  copy->nrows = n;
  if (b->kinds) {
    copy->kinds = sl_calloc((size_t)(n ? n : 1), 1);
    for (int i = 0; i < n; i++) copy->kinds[i] = b->kinds[sl_batch_row(b, i)];
  }
  return copy;
}

int sl_op_deliver(sl_op *op, int port, const sl_batch *b) {
  if (op->aligning && (op->arrived & (1u << port))) {
    /* This input is past the barrier: its rows belong to the next checkpoint. */
    if (op->nheld == op->capheld) {
      op->capheld = op->capheld ? op->capheld * 2 : 8;
      op->held = sl_realloc(op->held, sizeof(sl_held_batch) * (size_t)op->capheld);
    }
    op->held[op->nheld++] = (sl_held_batch){.port = port, .b = copy_live(b)};
    return SL_OP_OK;
  }
  op->rows_in += sl_batch_live(b);
  return op->vt->process(op, port, b);
}

int sl_op_emit_barrier(sl_op *op, int64_t id) {
  for (int i = 0; i < op->nouts; i++)
    if (sl_op_deliver_barrier(op->outs[i].op, op->outs[i].port, id)) return SL_OP_ERROR;
  return SL_OP_OK;
}

int sl_op_deliver_barrier(sl_op *op, int port, int64_t id) {
  int n = op->ninputs > 0 ? op->ninputs : 1;
  if (op->aligning && op->aligning != id)
    return sl_err_set(op->ctx->err, SL_ECHECKPOINT, SL_ERR_NOLOC,
                      "%s: barrier of checkpoint %lld arrived while aligning checkpoint %lld", op->vt->name, (long long)id,
                      (long long)op->aligning);
  op->aligning = id;
  op->arrived |= 1u << port;
  if (__builtin_popcount(op->arrived) < n) return SL_OP_OK;
  /* Aligned: snapshot, pass the barrier on, then let the held batches through in order. */
  op->aligning = 0;
  op->arrived = 0;
  int rc = sl_ckpt_snapshot_op(op->ctx->ckpt, op, id);
  if (!rc) rc = sl_op_emit_barrier(op, id);
  int nheld = op->nheld;
  sl_held_batch *held = op->held;
  op->held = NULL;
  op->nheld = op->capheld = 0;
  for (int i = 0; i < nheld; i++) {
    if (!rc) rc = sl_op_deliver(op, held[i].port, held[i].b);
    sl_batch_free(held[i].b);
  }
  free(held);
  return rc;
}

void sl_op_release_held(sl_op *op) {
  for (int i = 0; i < op->nheld; i++) sl_batch_free(op->held[i].b);
  free(op->held);
  op->held = NULL;
  op->nheld = op->capheld = 0;
}
