/* op_source.c - the source operator: decoded batches in, computed columns and event-time
 * watermarks added, batches out.
 *
 * Watermarks follow the table's WATERMARK expression as if applied after every row: the
 * watermark is the maximum of the expression over the rows so far. Batches are cut (as slices of
 * one selection vector) just before any row whose time is not after the current watermark, and
 * that watermark is emitted first, so downstream sees exactly the watermark that row arrived
 * under, whatever the batch size.
 *
 * A source reading several splits at once (Kinesis shards) gives each split its own watermark;
 * the source's is the minimum over the active splits (idle, waiting and finished ones do not hold
 * it back), and never goes down. */
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
  int64_t *split_wm;     /* per split slot (sources with splits()) */
  int nsplit_wm;
  bool started;          /* start() was called (network sources) */
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

/* The split slots of the source (growing split_wm for new ones); *others = the minimum
 * watermark of the active splits other than *current (INT64_MAX when there are none). */
static int split_view(op_source *s, int *current, int64_t *others, const uint8_t **states) {
  const uint8_t *state = NULL;
  int cur = 0, n = s->src->vt->splits ? s->src->vt->splits(s->src, &state, &cur) : 0;
  if (n > s->nsplit_wm) {
    s->split_wm = sl_realloc(s->split_wm, sizeof(int64_t) * (size_t)n);
    for (int i = s->nsplit_wm; i < n; i++) s->split_wm[i] = SL_WATERMARK_MIN;
    s->nsplit_wm = n;
  }
  int64_t m = INT64_MAX;
  for (int i = 0; i < n; i++)
    if (i != cur && state[i] == SL_SPLIT_ACTIVE && s->split_wm[i] < m) m = s->split_wm[i];
  *current = cur;
  *others = m;
  *states = state;
  return n;
}

/* Nothing to read: splits may have turned idle or finished since, which can move the watermark. */
static int source_wait(op_source *s) {
  if (!s->wm_expr || !s->src->vt->splits) return SL_OP_WAIT;
  int cur;
  int64_t others;
  const uint8_t *state;
  split_view(s, &cur, &others, &state);
  int64_t m = others;
  if (cur < s->nsplit_wm && state[cur] == SL_SPLIT_ACTIVE && s->split_wm[cur] < m) m = s->split_wm[cur];
  if (m != INT64_MAX && m > s->wm) s->wm = m;
  return emit_wm(s) ? SL_OP_ERROR : SL_OP_WAIT;
}

/* After a read: a watermark the source itself was given (the host source) moves the source's. */
static int source_given_wm(op_source *s) {
  if (!s->src->vt->watermark) return SL_OP_OK;
  int64_t wm = s->src->vt->watermark(s->src);
  if (wm > s->wm) s->wm = wm;
  return emit_wm(s) ? SL_OP_ERROR : SL_OP_OK;
}

static int source_start(op_source *s) {
  s->started = true;
  sl_job_ctx *ctx = s->base.ctx;
  if (!s->src->vt->start) return SL_OP_OK;
  sl_conn_env env = {.loop = ctx->loop, .wake = ctx->wake, .wake_arg = ctx->wake_arg, .log = ctx->log,
                       .idle_timeout_us = ctx->idle_timeout_us};
  return s->src->vt->start(s->src, &env, ctx->err) ? SL_OP_ERROR : SL_OP_OK;
}

static int source_poll(sl_op *op) {
  op_source *s = (op_source *)op;
  sl_err *err = op->ctx->err;
  if (!s->started && source_start(s)) return SL_OP_ERROR;
  sl_batch_reset(s->raw);
  int rc = s->src->vt->read(s->src, s->raw, err);
  if (rc < 0) return SL_OP_ERROR;
  if (rc == 1) return SL_OP_DONE;
  if (rc == SL_SOURCE_WAIT) return source_wait(s);
  int n = s->raw->nrows;
  if (n == 0) return source_given_wm(s);
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
    return rc ? rc : source_given_wm(s);
  }
  sl_col wmc;
  if (sl_expr_eval(&ec, s->wm_expr, &s->view, NULL, n, &wmc)) goto fail;
  const sl_col *rt = &s->view.cols[s->rowtime];
  int cur = 0;
  int64_t others = INT64_MAX;
  const uint8_t *state;
  if (s->src->vt->splits) split_view(s, &cur, &others, &state);
  else if (s->nsplit_wm == 0) {
    s->split_wm = sl_malloc(sizeof(int64_t));
    s->split_wm[0] = s->wm;
    s->nsplit_wm = 1;
  }
  int64_t *swm = &s->split_wm[cur];
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
    if (!sl_col_is_null(&wmc, (uint32_t)i) && wmc.i64[i] > *swm) {
      *swm = wmc.i64[i];
      int64_t m = *swm < others ? *swm : others;
      if (m > s->wm) s->wm = m;
    }
  }
  if (emit_slice(s, from, n) || emit_wm(s)) goto fail;
  sl_arena_reset(&s->scratch);
  return source_given_wm(s);
fail:
  sl_arena_reset(&s->scratch);
  return SL_OP_ERROR;
}

static int source_finish(sl_op *op) {
  op_source *s = (op_source *)op;
  if (s->src) op->ctx->skipped_rows += s->src->vt->skipped(s->src);
  return SL_OP_OK;
}

static void source_detach(sl_op *op) {
  op_source *s = (op_source *)op;
  if (s->src && s->started && s->src->vt->stop) s->src->vt->stop(s->src);
}

static void source_close(sl_op *op) {
  op_source *s = (op_source *)op;
  if (s->src) s->src->vt->free(s->src);
  free(s->split_wm);
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
    for (int i = 0; i < pos.n; i++)
      sl_manifest_op_add_split(m, pos.splits[i].split, pos.splits[i].offset, pos.splits[i].record, pos.splits[i].position);
    m->skipped = pos.skipped;
    sl_buf_add(&m->data, &s->wm, 8);
    sl_buf_add(&m->data, &s->emitted_wm, 8);
    int64_t n = s->nsplit_wm;
    sl_buf_add(&m->data, &n, 8);
    sl_buf_add(&m->data, s->split_wm, 8 * (size_t)n);
  }
  sl_source_pos_destroy(&pos);
  return rc ? SL_OP_ERROR : SL_OP_OK;
}

static int source_restore(sl_op *op, const sl_manifest_op *m) {
  op_source *s = (op_source *)op;
  sl_err *err = op->ctx->err;
  int64_t n = 0;
  if (m->data.len >= 32) memcpy(&n, m->data.data + 24, 8); /* 24 bytes: written before splits had watermarks */
  if ((m->data.len != 24 && (n < 0 || m->data.len != 32 + 8 * (size_t)n)) || !s->src->vt->seek)
    return sl_err_set(err, SL_ECHECKPOINT, SL_ERR_NOLOC, "checkpoint does not match the job: source '%s'", s->table);
  memcpy(&s->wm, m->data.data + 8, 8);
  memcpy(&s->emitted_wm, m->data.data + 16, 8);
  free(s->split_wm);
  s->split_wm = n ? sl_malloc(8 * (size_t)n) : NULL;
  s->nsplit_wm = (int)n;
  if (n) memcpy(s->split_wm, m->data.data + 32, 8 * (size_t)n);
  sl_source_pos pos = {.skipped = m->skipped};
  for (int i = 0; i < m->nsplits; i++)
    sl_source_pos_add(&pos, m->splits[i].split, m->splits[i].offset, m->splits[i].record, m->splits[i].position);
  int rc = s->src->vt->seek(s->src, &pos, err);
  sl_source_pos_destroy(&pos);
  return rc ? SL_OP_ERROR : SL_OP_OK;
}

static const sl_op_vtable source_vt = {
  .name = "Source", .open = source_open, .poll = source_poll, .finish = source_finish, .close = source_close,
  .explain = source_explain, .snapshot = source_snapshot, .restore = source_restore, .detach = source_detach,
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
