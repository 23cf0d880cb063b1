/* op_source.c - the source operator: decoded batches in, computed columns and event-time
 * watermarks added, batches out.
 *
 * Watermarks follow the table's WATERMARK expression as if applied after every row: the
 * watermark is the maximum of the expression over the rows so far. Batches are cut (as slices of
 * one selection vector) just before any row whose time is not after the current watermark, and
 * that watermark is emitted first, so downstream sees exactly the watermark that row arrived
 * under, whatever the batch size. */
#include <stdlib.h>
#include <string.h>

#include "../state/manifest.h"
#include "ops.h"

typedef struct op_source {
  sl_op base;
  const char *table;
  const char *desc;      /* connector and options, for EXPLAIN */
  sl_source *src;
  sl_batch *raw;         /* physical columns, as decoded */
  int ncols;
  int *phys;
  sl_expr **computed;
  const char *const *names;
  sl_expr *wm_expr;
  int rowtime;
  sl_batch view;         /* all table columns */
  uint32_t *ident;       /* 0, 1, 2, ... for slices */
  int64_t wm;            /* running watermark */
  int64_t emitted_wm;
  sl_arena scratch;
  sl_buf where;
} op_source;

static int source_open(sl_op *op) { return SL_OP_OK; }

static int emit_slice(op_source *s, int from, int to) {
  if (to <= from) return SL_OP_OK;
  if (from == 0 && to == s->view.nrows) {
    s->view.sel = NULL;
    s->view.nsel = 0;
  } else {
    s->view.sel = s->ident + from;
    s->view.nsel = to - from;
  }
  return sl_op_emit(&s->base, &s->view);
}

static int emit_wm(op_source *s) {
  if (s->wm <= s->emitted_wm) return SL_OP_OK;
  s->emitted_wm = s->wm;
  return sl_op_emit_watermark(&s->base, s->wm);
}

static int source_poll(sl_op *op) {
  op_source *s = (op_source *)op;
  sl_err *err = op->ctx->err;
  sl_batch_reset(s->raw);
  int rc = s->src->vt->read(s->src, s->raw, err);
  if (rc < 0) return SL_OP_ERROR;
  if (rc == 1) return SL_OP_DONE;
  int n = s->raw->nrows;
  if (n == 0) return SL_OP_OK;
  s->view.nrows = n;
  s->view.cap = s->raw->cap;
  s->view.sel = NULL;
  s->view.nsel = 0;
  for (int i = 0; i < s->ncols; i++)
    if (s->phys[i] >= 0) s->view.cols[i] = s->raw->cols[s->phys[i]];
  sl_eval_ctx ec = {.arena = &s->scratch, .err = err, .sql = op->ctx->sql};
  for (int i = 0; i < s->ncols; i++) {
    if (!s->computed[i]) continue;
    if (sl_expr_eval(&ec, s->computed[i], &s->view, NULL, n, &s->view.cols[i])) goto fail;
    s->view.cols[i].type = s->computed[i]->type;
  }
  if (!s->wm_expr) {
    rc = emit_slice(s, 0, n);
    sl_arena_reset(&s->scratch);
    return rc;
  }
  sl_col wmc;
  if (sl_expr_eval(&ec, s->wm_expr, &s->view, NULL, n, &wmc)) goto fail;
  const sl_col *rt = &s->view.cols[s->rowtime];
  int from = 0;
  for (int i = 0; i < n; i++) {
    if (sl_col_is_null(rt, (uint32_t)i)) {
      sl_buf_reset(&s->where);
      s->src->vt->where(s->src, (uint32_t)i, &s->where);
      sl_err_set(err, SL_EFORMAT, SL_ERR_NOLOC, "%s: the rowtime column '%s' of table '%s' is NULL", s->where.data,
                 s->names[s->rowtime], s->table);
      goto fail;
    }
    int64_t ts = rt->i64[i];
    if (ts <= s->wm && s->wm > s->emitted_wm) {
      if (emit_slice(s, from, i) || emit_wm(s)) goto fail;
      from = i;
    }
    if (!sl_col_is_null(&wmc, (uint32_t)i) && wmc.i64[i] > s->wm) s->wm = wmc.i64[i];
  }
  if (emit_slice(s, from, n) || emit_wm(s)) goto fail;
  sl_arena_reset(&s->scratch);
  return SL_OP_OK;
fail:
  sl_arena_reset(&s->scratch);
  return SL_OP_ERROR;
}

static int source_finish(sl_op *op) {
  op_source *s = (op_source *)op;
  if (s->src) op->ctx->skipped_rows += s->src->vt->skipped(s->src);
  return SL_OP_OK;
}

static void source_close(sl_op *op) {
  op_source *s = (op_source *)op;
  if (s->src) s->src->vt->free(s->src);
  sl_batch_free(s->raw);
  free(s->view.cols);
  free(s->phys);
  free(s->ident);
  sl_arena_destroy(&s->scratch);
  sl_buf_destroy(&s->where);
  free(s);
}

static void source_explain(const sl_op *op, sl_buf *out) {
  const op_source *s = (const op_source *)op;
  sl_buf_printf(out, "table=[%s], ", s->table);
  sl_buf_adds(out, s->desc);
  sl_buf_adds(out, ", fields=[");
  for (int i = 0; i < s->ncols; i++) sl_buf_printf(out, "%s%s", i ? ", " : "", s->names[i]);
  sl_buf_adds(out, "]");
  for (int i = 0; i < s->ncols; i++)
    if (s->computed[i]) {
      sl_buf_printf(out, ", %s=[", s->names[i]);
      sl_expr_explain(s->computed[i], s->names, out);
      sl_buf_adds(out, "]");
    }
  if (s->wm_expr) {
    sl_buf_printf(out, ", rowtime=[%s], watermark=[", s->names[s->rowtime]);
    sl_expr_explain(s->wm_expr, s->names, out);
    sl_buf_adds(out, "]");
  }
}

/* ---- Checkpoints -------------------------------------------------------------------------- */

/* The position of the next record and the running watermark (so that rows read after a
 * restore meet exactly the watermark they would have met without the crash). */
static int source_snapshot(sl_op *op, int64_t id, sl_manifest_op *m) {
  op_source *s = (op_source *)op;
  sl_err *err = op->ctx->err;
  if (!s->src->vt->position)
    return sl_err_set(err, SL_EUNSUPPORTED, SL_ERR_NOLOC, "table '%s': its connector cannot be checkpointed (no replayable position)",
                      s->table);
  sl_source_pos pos = {0};
  int rc = s->src->vt->position(s->src, &pos, err);
  if (!rc) {
    for (int i = 0; i < pos.n; i++) sl_manifest_op_add_split(m, pos.splits[i].split, pos.splits[i].offset, pos.splits[i].record);
    m->skipped = pos.skipped;
    sl_buf_add(&m->data, &s->wm, 8);
    sl_buf_add(&m->data, &s->emitted_wm, 8);
  }
  sl_source_pos_destroy(&pos);
  return rc ? SL_OP_ERROR : SL_OP_OK;
}

static int source_restore(sl_op *op, const sl_manifest_op *m) {
  op_source *s = (op_source *)op;
  sl_err *err = op->ctx->err;
  if (m->data.len != 24 || !s->src->vt->seek)
    return sl_err_set(err, SL_ECHECKPOINT, SL_ERR_NOLOC, "checkpoint does not match the job: source '%s'", s->table);
  memcpy(&s->wm, m->data.data + 8, 8);
  memcpy(&s->emitted_wm, m->data.data + 16, 8);
  sl_source_pos pos = {.skipped = m->skipped};
  for (int i = 0; i < m->nsplits; i++) sl_source_pos_add(&pos, m->splits[i].split, m->splits[i].offset, m->splits[i].record);
  int rc = s->src->vt->seek(s->src, &pos, err);
  sl_source_pos_destroy(&pos);
  return rc ? SL_OP_ERROR : SL_OP_OK;
}

static const sl_op_vtable source_vt = {
  .name = "Source", .open = source_open, .poll = source_poll, .finish = source_finish, .close = source_close,
  .explain = source_explain, .snapshot = source_snapshot, .restore = source_restore,
};

sl_op *sl_op_source_new(sl_job_ctx *ctx, const char *table, const char *desc, sl_source *src, int nphys, const sl_type *phys_types,
                        int ncols, const sl_type *types, const char *const *names, const int *phys,
                        sl_expr **computed, sl_expr *wm_expr, int rowtime) {
  op_source *s = sl_calloc(1, sizeof *s);
  s->base.vt = &source_vt;
  s->base.ctx = ctx;
  sl_op_reset_watermark(&s->base, SL_WATERMARK_MIN);
  s->table = table;
  s->desc = desc;
  s->src = src;
  s->raw = sl_batch_new(nphys, phys_types, SL_BATCH_DEFAULT_ROWS);
  s->ncols = ncols;
  s->phys = sl_calloc((size_t)(ncols ? ncols : 1), sizeof(int));
  memcpy(s->phys, phys, sizeof(int) * (size_t)ncols);
  s->computed = computed;
  s->names = names;
  s->wm_expr = wm_expr;
  s->rowtime = rowtime;
  s->view.ncols = ncols;
  s->view.cols = sl_calloc((size_t)(ncols ? ncols : 1), sizeof(sl_col));
  for (int i = 0; i < ncols; i++) s->view.cols[i].type = types[i];
  s->ident = sl_malloc(sizeof(uint32_t) * SL_BATCH_DEFAULT_ROWS);
  for (uint32_t i = 0; i < SL_BATCH_DEFAULT_ROWS; i++) s->ident[i] = i;
  s->wm = s->emitted_wm = SL_WATERMARK_MIN;
  sl_arena_init(&s->scratch, 1 << 16);
  sl_buf_init(&s->where);
  return &s->base;
}

/* ---- VALUES: one empty row ---------------------------------------------------------------- */

typedef struct op_values {
  sl_op base;
  bool done;
  sl_batch one;
} op_values;

static int values_poll(sl_op *op) {
  op_values *v = (op_values *)op;
  if (v->done) return SL_OP_DONE;
  v->done = true;
  v->one.nrows = 1;
  v->one.cap = 1;
  return sl_op_emit(op, &v->one);
}

static int values_finish(sl_op *op) { return SL_OP_OK; }

static void values_close(sl_op *op) { free(op); }

static void values_explain(const sl_op *op, sl_buf *out) { sl_buf_adds(out, "values=[()]"); }

static const sl_op_vtable values_vt = {
  .name = "Values", .open = source_open, .poll = values_poll, .finish = values_finish, .close = values_close,
  .explain = values_explain,
};

sl_op *sl_op_values_new(sl_job_ctx *ctx) {
  op_values *v = sl_calloc(1, sizeof *v);
  v->base.vt = &values_vt;
  v->base.ctx = ctx;
  sl_op_reset_watermark(&v->base, SL_WATERMARK_MIN);
  return &v->base;
}
