/* op_calc.c - filter and projection in one operator, over selection vectors without copying. */
#include <stdlib.h>
#include <string.h>

#include "ops.h"

typedef struct op_calc {
  sl_op base;
  sl_expr *pred;
  int nexprs;
  sl_expr **exprs;
  const char *const *in_names;
  const char *const *out_names;
  sl_batch view;
  uint32_t *sel;
  int sel_cap;
  sl_arena scratch;
} op_calc;

static int calc_open(sl_op *op) { return SL_OP_OK; }

static int calc_process(sl_op *op, int port, const sl_batch *b) {
  op_calc *c = (op_calc *)op;
  sl_eval_ctx ec = {.arena = &c->scratch, .err = op->ctx->err, .sql = op->ctx->sql};
  const uint32_t *sel = b->sel;
  int n = sl_batch_live(b);
  if (c->pred) {
    if (c->sel_cap < b->nrows) {
      c->sel_cap = b->cap > b->nrows ? b->cap : b->nrows;
      c->sel = sl_realloc(c->sel, sizeof(uint32_t) * (size_t)c->sel_cap);
    }
    int nout = 0;
    if (sl_expr_filter(&ec, c->pred, b, sel, n, c->sel, &nout)) return SL_OP_ERROR;
    sel = c->sel;
    n = nout;
    if (n == 0) {
      sl_arena_reset(&c->scratch);
      return SL_OP_OK;
    }
  }
  int rc = SL_OP_OK;
  if (!c->exprs) {
    /* Filter only: the input columns with the narrowed selection. */
    sl_batch v = *b;
    v.sel = (uint32_t *)sel;
    v.nsel = n;
    if (!sel) v.nsel = 0;
    rc = sl_op_emit(op, &v);
  } else {
    for (int j = 0; j < c->nexprs; j++)
      if (sl_expr_eval(&ec, c->exprs[j], b, sel, n, &c->view.cols[j])) {
        sl_arena_reset(&c->scratch);
        return SL_OP_ERROR;
      }
    for (int j = 0; j < c->nexprs; j++) c->view.cols[j].type = c->exprs[j]->type;
    c->view.nrows = b->nrows;
    c->view.cap = b->cap;
    c->view.sel = (uint32_t *)sel;
    c->view.nsel = sel ? n : 0;
    c->view.kinds = b->kinds;
    rc = sl_op_emit(op, &c->view);
  }
  sl_arena_reset(&c->scratch);
  return rc;
}

static int calc_finish(sl_op *op) { return SL_OP_OK; }

static void calc_close(sl_op *op) {
  op_calc *c = (op_calc *)op;
  free(c->sel);
  free(c->view.cols);
  sl_arena_destroy(&c->scratch);
  free(c);
}

static void calc_explain(const sl_op *op, sl_buf *out) {
  const op_calc *c = (const op_calc *)op;
  if (c->pred) {
    sl_buf_adds(out, "where=[");
    sl_expr_explain(c->pred, c->in_names, out);
    sl_buf_adds(out, "]");
  }
  if (c->exprs) {
    sl_buf_adds(out, c->pred ? ", select=[" : "select=[");
    for (int i = 0; i < c->nexprs; i++) {
      if (i) sl_buf_adds(out, ", ");
      sl_expr_explain(c->exprs[i], c->in_names, out);
      const sl_expr *e = c->exprs[i];
      if (c->out_names && (e->kind != SL_EXPR_COL || strcmp(c->in_names[e->col], c->out_names[i])))
        sl_buf_printf(out, " AS %s", c->out_names[i]);
    }
    sl_buf_adds(out, "]");
  }
}

static const sl_op_vtable calc_vt = {
  .name = "Calc", .open = calc_open, .process = calc_process, .finish = calc_finish, .close = calc_close,
  .explain = calc_explain,
};

sl_op *sl_op_calc_new(sl_job_ctx *ctx, sl_expr *pred, int nexprs, sl_expr **exprs, const char *const *in_names,
                      const char *const *out_names) {
  op_calc *c = sl_calloc(1, sizeof *c);
  c->base.vt = &calc_vt;
  c->base.ctx = ctx;
  sl_op_reset_watermark(&c->base, SL_WATERMARK_MIN);
  c->pred = pred;
  c->nexprs = nexprs;
  c->exprs = exprs;
  c->in_names = in_names;
  c->out_names = out_names;
  c->view.ncols = exprs ? nexprs : 0;
  c->view.cols = sl_calloc((size_t)(nexprs ? nexprs : 1), sizeof(sl_col));
  for (int j = 0; exprs && j < nexprs; j++) c->view.cols[j].type = exprs[j]->type;
  sl_arena_init(&c->scratch, 1 << 16);
  return &c->base;
}
