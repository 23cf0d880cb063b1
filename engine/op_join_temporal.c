/* op_join_temporal.c - the event-time temporal join: each row of the left stream joins the
 * version of the right (versioned) table that was valid at the row's time, FOR SYSTEM_TIME AS
 * OF l.time: the latest right row with its key and a time <= l.time (Flink's temporal join).
 *
 * Right rows are versions: keyed state "<id>/versions" maps the join key to its versions,
 * sorted by time (time | length | row, ...). Left rows wait in keyed state "<id>/left" by time
 * bucket (namespace = bucket, key = a sequence number, value = time | key | row) until the
 * watermark (the minimum of both inputs') has passed the whole bucket: then no version that
 * could apply to them can still arrive. Each is joined with its version (INNER: dropped without
 * one; LEFT: padded with NULLs), the residual applied, and the bucket freed.
 *
 * A key's versions older than the newest one at or before the horizon (the watermark, or the
 * oldest waiting left row if older) can never be seen again: they are dropped whenever the key
 * is touched (a new version, or a lookup), so the state holds about one version per key plus
 * those ahead of the watermark.
 *
 * Output: left columns, then right columns; append-only; the left time stays a time attribute,
 * and the output watermark trails the input's by one bucket, so that no output row is late. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../state/manifest.h"
#include "../state/state.h"
#include "join_util.h"
#include "ops.h"
#include "rowcodec.h"

#define BUCKET_US INT64_C(1000000) /* left rows wait in one-second buckets */

typedef struct op_temporal_join {
  sl_op base;
  int nl, nr;
  int nkeys;
  sl_expr **lkeys, **rkeys;
  sl_col *key_cols;
  sl_expr *residual;
  bool left_outer;
  int ltime, rtime;
  const char *const *out_names;
  sl_kstate *left;         /* (bucket, seq) -> time | key length | key | row */
  sl_kstate *versions;     /* (0, key) -> versions */
  sl_time_list buckets;    /* live left buckets */
  uint64_t seq;            /* next left row's sequence number */
  int64_t horizon;         /* no left row still to join is older than this */
  sl_batch *cand, *out;
  uint32_t *sel;
  uint8_t *has_version;    /* per candidate: a version was found (else the row is padded) */
  sl_buf key, val, vers;
  sl_arena scratch, key_scratch;
} op_temporal_join;

static int64_t floor_div(int64_t a, int64_t b) { return a / b - (a % b != 0 && (a < 0) != (b < 0)); }
static uint64_t ns_of(int64_t bucket) { return (uint64_t)bucket ^ (1ULL << 63); }

/* ---- Versions ----------------------------------------------------------------------------- */

/* A key's versions: u32 count, then per version i64 time | u32 length | row bytes, by time. */
typedef struct version {
  int64_t time;
  uint32_t len;
  const unsigned char *row;
} version;

static int parse_versions(const unsigned char *p, uint32_t n, version *out, int max) {
  if (n < 4) return 0;
  uint32_t count;
  memcpy(&count, p, 4);
  uint32_t at = 4;
  int k = 0;
  for (uint32_t i = 0; i < count && k < max && at + 12 <= n; i++) {
    memcpy(&out[k].time, p + at, 8);
    memcpy(&out[k].len, p + at + 8, 4);
    out[k].row = p + at + 12;
    at += 12 + out[k].len;
    if (at > n) break;
    k++;
  }
  return k;
}

static uint32_t count_versions(const unsigned char *p, uint32_t n) {
  uint32_t count = 0;
  if (n >= 4) memcpy(&count, p, 4);
  return count;
}

/* Rewrites the versions of j->key as vs[first..n) plus, when row is set, a new version at time t
 * (in time order; an equal time replaces the old version). */
static int write_versions(op_temporal_join *j, const version *vs, int first, int n, const unsigned char *row,
                          uint32_t rlen, int64_t t) {
  sl_buf_reset(&j->val);
  uint32_t count = 0;
  sl_buf_add(&j->val, &count, 4);
  bool placed = row == NULL;
  for (int i = first; i <= n; i++) {
    if (!placed && (i == n || vs[i].time >= t)) {
      sl_buf_add(&j->val, &t, 8);
      sl_buf_add(&j->val, &rlen, 4);
      sl_buf_add(&j->val, row, rlen);
      count++;
      placed = true;
      if (i < n && vs[i].time == t) continue; /* replaced */
    }
    if (i == n) break;
    sl_buf_add(&j->val, &vs[i].time, 8);
    sl_buf_add(&j->val, &vs[i].len, 4);
    sl_buf_add(&j->val, vs[i].row, vs[i].len);
    count++;
  }
  memcpy(j->val.data, &count, 4);
  return sl_kstate_put(j->versions, 0, j->key.data, (uint32_t)j->key.len, sl_state_hash(j->key.data, j->key.len),
                       j->val.data, (uint32_t)j->val.len);
}

/* The versions of j->key, copied into j->vers (state pointers do not outlive the next write);
 * *n of them in vs. Versions before the newest one at or before j->horizon are dropped from the
 * state on the way. */
static int load_versions(op_temporal_join *j, version **vs, int *n) {
  const void *v;
  uint32_t vl;
  if (sl_kstate_get(j->versions, 0, j->key.data, (uint32_t)j->key.len, sl_state_hash(j->key.data, j->key.len), &v, &vl))
    return SL_OP_ERROR;
  sl_buf_reset(&j->vers);
  *n = 0;
  if (!v) return SL_OP_OK;
  sl_buf_add(&j->vers, v, vl);
  uint32_t count = count_versions((const unsigned char *)j->vers.data, vl);
  *vs = sl_arena_alloc(&j->scratch, sizeof(version) * (count ? count : 1));
  *n = parse_versions((const unsigned char *)j->vers.data, vl, *vs, (int)count);
  int keep = 0; /* index of the newest version at or before the horizon */
  for (int i = 0; i < *n; i++)
    if ((*vs)[i].time <= j->horizon) keep = i;
  if (keep > 0) {
    if (write_versions(j, *vs, keep, *n, NULL, 0, 0)) return SL_OP_ERROR;
    *vs += keep;
    *n -= keep;
  }
  return SL_OP_OK;
}

/* A right row: a new version of its key. */
static int add_version(op_temporal_join *j, const sl_batch *in, uint32_t row) {
  int64_t t = in->cols[j->rtime].i64[row];
  version *vs = NULL;
  int n;
  if (load_versions(j, &vs, &n)) return SL_OP_ERROR;
  sl_buf rowbuf;
  sl_buf_init(&rowbuf);
  sl_codec_add_row(&rowbuf, in, row);
  int rc = write_versions(j, vs, 0, n, (const unsigned char *)rowbuf.data, (uint32_t)rowbuf.len, t);
  sl_buf_destroy(&rowbuf);
  return rc ? SL_OP_ERROR : SL_OP_OK;
}

/* ---- Left rows ---------------------------------------------------------------------------- */

static int emit(op_temporal_join *j) {
  int rc = SL_OP_OK;
  if (j->out->nrows) rc = sl_op_emit(&j->base, j->out);
  sl_batch_reset(j->out);
  return rc;
}

static void copy_cols(sl_batch *to, uint32_t to_row, const sl_batch *from, uint32_t from_row, int first, int n) {
  for (int c = 0; c < n; c++) {
    sl_value v;
    sl_col_get(&from->cols[first + c], from_row, &v);
    sl_batch_set(to, first + c, to_row, &v);
  }
}

/* The candidates: joined rows (or, without a version, left rows padded) go through the residual;
 * INNER drops what fails, LEFT pads it. */
static int flush_cand(op_temporal_join *j) {
  int n = j->cand->nrows;
  if (n == 0) return SL_OP_OK;
  uint8_t *pass = sl_arena_zalloc(&j->scratch, (size_t)n);
  int nsel = 0;
  if (j->residual) {
    sl_eval_ctx ec = {.arena = &j->scratch, .err = j->base.ctx->err, .sql = j->base.ctx->sql};
    if (sl_expr_filter(&ec, j->residual, j->cand, NULL, n, j->sel, &nsel)) return SL_OP_ERROR;
    for (int k = 0; k < nsel; k++) pass[j->sel[k]] = 1;
  } else {
    memset(pass, 1, (size_t)n);
  }
  sl_value null = {.is_null = true};
  for (int i = 0; i < n; i++) {
    bool matched = j->has_version[i] && pass[i];
    if (!matched && !j->left_outer) continue;
    if (j->out->nrows == j->out->cap && emit(j)) return SL_OP_ERROR;
    uint32_t o = (uint32_t)j->out->nrows++;
    copy_cols(j->out, o, j->cand, (uint32_t)i, 0, j->nl);
    if (matched) copy_cols(j->out, o, j->cand, (uint32_t)i, j->nl, j->nr);
    else
      for (int c = 0; c < j->nr; c++) sl_batch_set(j->out, j->nl + c, o, &null);
  }
  sl_batch_reset(j->cand);
  sl_arena_reset(&j->scratch);
  return SL_OP_OK;
}

/* Joins one stored left row (time | key length | key | row) with its version. */
static int join_left(op_temporal_join *j, const unsigned char *v, uint32_t vl) {
  if (vl < 12) return sl_err_set(j->base.ctx->err, SL_ECHECKPOINT, SL_ERR_NOLOC, "temporal join: damaged left row");
  int64_t t;
  uint32_t klen;
  memcpy(&t, v, 8);
  memcpy(&klen, v + 8, 4);
  if (j->cand->nrows == j->cand->cap && flush_cand(j)) return SL_OP_ERROR;
  uint32_t c = (uint32_t)j->cand->nrows++;
  sl_codec_read_row(v + 12 + klen, j->cand, 0, j->nl, c);
  j->has_version[c] = 0;
  sl_value null = {.is_null = true};
  for (int k = 0; k < j->nr; k++) sl_batch_set(j->cand, j->nl + k, c, &null);
  if (klen == 0) return SL_OP_OK; /* a NULL key: no version */
  sl_buf_reset(&j->key);
  sl_buf_add(&j->key, v + 12, klen);
  version *vs = NULL;
  int n;
  if (load_versions(j, &vs, &n)) return SL_OP_ERROR;
  int found = -1;
  for (int i = 0; i < n; i++)
    if (vs[i].time <= t) found = i;
  if (found < 0) return SL_OP_OK;
  sl_codec_read_row(vs[found].row, j->cand, j->nl, j->nr, c);
  j->has_version[c] = 1;
  return SL_OP_OK;
}

typedef struct drain_ctx {
  op_temporal_join *j;
} drain_ctx;

static int drain_left(void *arg, const void *key, uint32_t klen, const void *value, uint32_t vlen) {
  (void)key, (void)klen;
  return join_left(((drain_ctx *)arg)->j, value, vlen);
}

/* A left row waits in its time bucket. */
static int store_left(op_temporal_join *j, const sl_batch *in, uint32_t row, bool null_key) {
  int64_t t = in->cols[j->ltime].i64[row];
  int64_t b = floor_div(t, BUCKET_US);
  sl_buf_reset(&j->val);
  sl_buf_add(&j->val, &t, 8);
  uint32_t klen = null_key ? 0 : (uint32_t)j->key.len;
  sl_buf_add(&j->val, &klen, 4);
  sl_buf_add(&j->val, j->key.data, klen);
  sl_codec_add_row(&j->val, in, row);
  uint64_t seq = j->seq++;
  if (sl_kstate_put(j->left, ns_of(b), &seq, 8, sl_state_hash(&seq, 8), j->val.data, (uint32_t)j->val.len))
    return SL_OP_ERROR;
  sl_time_list_add(&j->buckets, b);
  return SL_OP_OK;
}

static int tj_process(sl_op *op, int p, const sl_batch *in) {
  op_temporal_join *j = (op_temporal_join *)op;
  int n = sl_batch_live(in);
  if (n == 0) return SL_OP_OK;
  sl_expr **keys = p == 0 ? j->lkeys : j->rkeys;
  sl_eval_ctx kc = {.arena = &j->key_scratch, .err = op->ctx->err, .sql = op->ctx->sql};
  int rc = SL_OP_OK;
  for (int k = 0; k < j->nkeys && !rc; k++)
    if (sl_expr_eval(&kc, keys[k], in, in->sel, n, &j->key_cols[k])) rc = SL_OP_ERROR;
  int tcol = p == 0 ? j->ltime : j->rtime;
  j->horizon = j->buckets.n && j->buckets.v[0] * BUCKET_US < op->watermark ? j->buckets.v[0] * BUCKET_US : op->watermark;
  for (int i = 0; i < n && !rc; i++) {
    uint32_t row = sl_batch_row(in, i);
    if (sl_col_is_null(&in->cols[tcol], row)) continue; /* no time, no version: never joins */
    bool has_key = sl_join_key(&j->key, j->key_cols, j->nkeys, row);
    if (p == 1) {
      if (has_key) rc = add_version(j, in, row);
    } else {
      rc = store_left(j, in, row, !has_key);
    }
  }
  sl_arena_reset(&j->key_scratch);
  sl_arena_reset(&j->scratch);
  if (rc) return SL_OP_ERROR;
  return sl_state_backend_trim(op->ctx->state, op->ctx->err) ? SL_OP_ERROR : SL_OP_OK;
}

static int tj_on_watermark(sl_op *op, int64_t wm) {
  op_temporal_join *j = (op_temporal_join *)op;
  int done = 0;
  while (done < j->buckets.n) {
    int64_t b = j->buckets.v[done];
    if (wm != SL_WATERMARK_MAX && (b + 1) * BUCKET_US - 1 > wm) break;
    drain_ctx d = {j};
    j->horizon = b * BUCKET_US; /* older buckets are done; this one is the oldest left */
    if (sl_kstate_drain(j->left, ns_of(b), drain_left, &d) || flush_cand(j) || emit(j)) return SL_OP_ERROR;
    done++;
  }
  sl_time_list_drop_front(&j->buckets, done);
  int64_t out = wm == SL_WATERMARK_MAX ? wm : wm == SL_WATERMARK_MIN ? wm : wm - BUCKET_US;
  return sl_op_emit_watermark(op, out);
}

static int tj_finish(sl_op *op) { return emit((op_temporal_join *)op); }

/* ---- Life cycle --------------------------------------------------------------------------- */

static int tj_open(sl_op *op) {
  op_temporal_join *j = (op_temporal_join *)op;
  char name[64];
  snprintf(name, sizeof name, "%d/left", op->id);
  if (sl_kstate_open(op->ctx->state, name, SL_KSTATE_VAR, 0, &j->left, op->ctx->err)) return SL_OP_ERROR;
  snprintf(name, sizeof name, "%d/versions", op->id);
  if (sl_kstate_open(op->ctx->state, name, SL_KSTATE_VAR, 0, &j->versions, op->ctx->err)) return SL_OP_ERROR;
  return SL_OP_OK;
}

static int tj_snapshot(sl_op *op, int64_t id, sl_manifest_op *m) {
  op_temporal_join *j = (op_temporal_join *)op;
  (void)id;
  sl_buf_add(&m->data, &j->seq, 8);
  sl_time_list_save(&j->buckets, &m->data);
  return SL_OP_OK;
}

static int tj_restore(sl_op *op, const sl_manifest_op *m) {
  op_temporal_join *j = (op_temporal_join *)op;
  size_t at = 16; /* after the watermark and the sequence number */
  if (m->data.len < at) goto bad;
  memcpy(&j->seq, m->data.data + 8, 8);
  if (!sl_time_list_load(&j->buckets, &m->data, &at) || at != m->data.len) goto bad;
  return SL_OP_OK;
bad:
  return sl_err_set(op->ctx->err, SL_ECHECKPOINT, SL_ERR_NOLOC, "checkpoint holds damaged join state for operator %d",
                    op->id);
}

static void tj_close(sl_op *op) {
  op_temporal_join *j = (op_temporal_join *)op;
  sl_time_list_free(&j->buckets);
  free(j->key_cols);
  free(j->sel);
  free(j->has_version);
  sl_batch_free(j->cand);
  sl_batch_free(j->out);
  sl_buf_destroy(&j->key);
  sl_buf_destroy(&j->val);
  sl_buf_destroy(&j->vers);
  sl_arena_destroy(&j->scratch);
  sl_arena_destroy(&j->key_scratch);
  free(j);
}

static void tj_explain(const sl_op *op, sl_buf *out) {
  const op_temporal_join *j = (const op_temporal_join *)op;
  const char *const *names = j->out_names;
  sl_join_explain_head(out, j->left_outer, false, j->nkeys, j->lkeys, j->rkeys, names, j->nl);
  if (j->residual) {
    sl_buf_adds(out, " AND ");
    sl_expr_explain(j->residual, names, out);
  }
  sl_buf_printf(out, "], version=[FOR SYSTEM_TIME AS OF %s, versions by %s], state=[versions per key, older ones "
                     "dropped as the watermark passes; left rows until the watermark passes them]",
                names[j->ltime], names[j->nl + j->rtime]);
}

static const sl_op_vtable tj_vt = {
  .name = "TemporalJoin", .open = tj_open, .process = tj_process, .on_watermark = tj_on_watermark,
  .finish = tj_finish, .close = tj_close, .explain = tj_explain, .snapshot = tj_snapshot, .restore = tj_restore,
};

sl_op *sl_op_temporal_join_new(sl_job_ctx *ctx, const sl_op_join_spec *spec) {
  op_temporal_join *j = sl_calloc(1, sizeof *j);
  j->base.vt = &tj_vt;
  j->base.ctx = ctx;
  sl_op_reset_watermark(&j->base, SL_WATERMARK_MIN);
  j->nl = spec->nl;
  j->nr = spec->nr;
  j->nkeys = spec->nkeys;
  j->lkeys = spec->lkeys;
  j->rkeys = spec->rkeys;
  j->residual = spec->residual;
  j->left_outer = spec->left_outer;
  j->ltime = spec->ltime;
  j->rtime = spec->rtime;
  j->out_names = spec->out_names;
  j->key_cols = sl_calloc((size_t)(spec->nkeys ? spec->nkeys : 1), sizeof(sl_col));
  int cap = SL_BATCH_DEFAULT_ROWS;
  j->cand = sl_batch_new(spec->nl + spec->nr, spec->out_types, cap);
  j->out = sl_batch_new(spec->nl + spec->nr, spec->out_types, cap);
  j->sel = sl_calloc((size_t)cap, sizeof(uint32_t));
  j->has_version = sl_calloc((size_t)cap, 1);
  sl_buf_init(&j->key);
  sl_buf_init(&j->val);
  sl_buf_init(&j->vers);
  sl_arena_init(&j->scratch, 1 << 16);
  sl_arena_init(&j->key_scratch, 1 << 14);
  return &j->base;
}
