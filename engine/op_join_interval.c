/* op_join_interval.c - the interval join: rows of two streams with equal keys whose times are
 * within a bound of each other, ltime - rtime in [lower, upper] (Flink's interval join).
 *
 * Each side keeps its rows in keyed state, in time buckets of width B: namespace = bucket, and
 * per join key a count (state "<id>/lcount") plus the rows themselves under key | index
 * (state "<id>/lrows", value = matched flag | time | row). A row arriving on one side probes the
 * buckets of the other side that its bound covers, one stored row at a time, so that a hot key
 * never builds its matches in memory: matches go out in batches as they are found. It is then
 * stored if a future row of the other side can still match it. When the watermark passes the
 * bound for a whole bucket, the bucket is freed; for an outer side, its rows that never matched
 * are emitted first, padded with NULLs. Rows with a NULL key never match.
 *
 *   left row l at t:   matches right rows with time in [t - upper, t - lower]
 *                      kept while watermark < t - lower
 *   right row r at t:  matches left rows with time in [t + lower, t + upper]
 *                      kept while watermark < t + upper
 *   output watermark:  watermark - max(0, -lower, upper), so no output row is late (outer
 *                      joins: minus a bucket width more, as rows are padded bucket by bucket)
 *
 * Output: left columns, then right columns; append-only. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../state/manifest.h"
#include "../state/state.h"
#include "join_util.h"
#include "ops.h"
#include "rowcodec.h"

#define ROW_HEADER 9 /* matched flag, time */

typedef struct side {
  int ncols;
  sl_expr **keys;          /* over this side's columns */
  int time_col;
  bool outer;              /* unmatched rows are emitted, padded with NULLs */
  sl_kstate *count;        /* (bucket, key) -> number of rows */
  sl_kstate *rows;         /* (bucket, key | index) -> matched | time | row */
  sl_time_list buckets;    /* live buckets */
  sl_col *key_cols;        /* keys of the current input batch */
} side;

typedef struct op_interval_join {
  sl_op base;
  side s[2];
  int nkeys;
  sl_expr *residual;       /* over the output columns, or NULL */
  int64_t lower, upper;    /* ltime - rtime in [lower, upper] */
  int64_t width;           /* bucket width B */
  int64_t delay;           /* output watermark = watermark - delay */
  const char *const *out_names;
  sl_batch *out;
  /* candidates in `out`, while probing: the input row and the stored row of each */
  uint32_t *cand_row;
  int64_t *cand_bucket;
  uint32_t *cand_index;
  uint32_t *cand_koff, *cand_klen; /* the key of each, in cand_keys */
  sl_buf cand_keys;
  uint8_t *matched;        /* per row of the input batch */
  int cap_matched;
  sl_buf key, rkey, val;
  sl_arena scratch;        /* residual evaluation */
  sl_arena key_scratch;    /* the key columns of the input batch */
  uint32_t *sel;
} op_interval_join;

/* ---- Time arithmetic ---------------------------------------------------------------------- */

static int64_t sat_add(int64_t a, int64_t b) {
  int64_t r;
  if (__builtin_add_overflow(a, b, &r)) return b > 0 ? INT64_MAX : INT64_MIN;
  return r;
}

static int64_t floor_div(int64_t a, int64_t b) { return a / b - (a % b != 0 && (a < 0) != (b < 0)); }

/* Buckets order like their times in the unsigned namespace. */
static uint64_t ns_of(int64_t bucket) { return (uint64_t)bucket ^ (1ULL << 63); }

/* The times a row at t on side p can match on the other side. */
static void match_range(const op_interval_join *j, int p, int64_t t, int64_t *lo, int64_t *hi) {
  if (p == 0) {
    *lo = sat_add(t, j->upper == INT64_MIN ? INT64_MAX : -j->upper);
    *hi = sat_add(t, j->lower == INT64_MIN ? INT64_MAX : -j->lower);
  } else {
    *lo = sat_add(t, j->lower);
    *hi = sat_add(t, j->upper);
  }
}

/* The watermark from which a row at t on side p can match no future row of the other side. */
static int64_t expiry(const op_interval_join *j, int p, int64_t t) {
  return p == 0 ? sat_add(t, j->lower == INT64_MIN ? INT64_MAX : -j->lower) : sat_add(t, j->upper);
}

/* ---- Output ------------------------------------------------------------------------------- */

static int emit_out(op_interval_join *j) {
  int rc = SL_OP_OK;
  if (j->out->nrows) rc = sl_op_emit(&j->base, j->out);
  sl_batch_reset(j->out);
  return rc;
}

/* Copies row of side p's input batch into the output at orow. */
static void copy_input_row(op_interval_join *j, int p, const sl_batch *in, uint32_t row, uint32_t orow) {
  int first = p == 0 ? 0 : j->s[0].ncols;
  for (int c = 0; c < in->ncols; c++) {
    sl_value v;
    sl_col_get(&in->cols[c], row, &v);
    sl_batch_set(j->out, first + c, orow, &v);
  }
}

/* NULLs into side p's columns of the output row. */
static void pad(op_interval_join *j, int p, uint32_t orow) {
  int first = p == 0 ? 0 : j->s[0].ncols;
  sl_value null = {.is_null = true};
  for (int c = 0; c < j->s[p].ncols; c++) sl_batch_set(j->out, first + c, orow, &null);
}

/* Marks a stored row of side p (bucket b, key, index i) as matched. */
static int mark_matched(op_interval_join *j, int p, int64_t b, const void *key, uint32_t klen, uint32_t i) {
  side *s = &j->s[p];
  sl_buf_reset(&j->rkey);
  sl_buf_add(&j->rkey, key, klen);
  sl_buf_add(&j->rkey, &i, 4);
  uint64_t h = sl_state_hash(j->rkey.data, j->rkey.len);
  const void *v;
  uint32_t vlen;
  if (sl_kstate_get(s->rows, ns_of(b), j->rkey.data, (uint32_t)j->rkey.len, h, &v, &vlen)) return SL_OP_ERROR;
  if (!v || vlen < ROW_HEADER || ((const unsigned char *)v)[0]) return SL_OP_OK;
  sl_buf_reset(&j->val);
  sl_buf_add(&j->val, v, vlen);
  j->val.data[0] = 1;
  return sl_kstate_put(s->rows, ns_of(b), j->rkey.data, (uint32_t)j->rkey.len, h, j->val.data, vlen) ? SL_OP_ERROR
                                                                                                          : SL_OP_OK;
}

/* The candidate rows in `out` (input rows of side p joined with stored rows of the other side):
 * the residual picks the matches, which go out; their rows on both sides count as matched. */
static int flush_candidates(op_interval_join *j, int p) {
  int n = j->out->nrows;
  if (n == 0) return SL_OP_OK;
  int nsel = n;
  if (j->residual) {
    sl_eval_ctx ec = {.arena = &j->scratch, .err = j->base.ctx->err, .sql = j->base.ctx->sql};
    if (sl_expr_filter(&ec, j->residual, j->out, NULL, n, j->sel, &nsel)) return SL_OP_ERROR;
  }
  int rc = SL_OP_OK;
  for (int k = 0; k < nsel && !rc; k++) {
    int c = j->residual ? (int)j->sel[k] : k;
    j->matched[j->cand_row[c]] = 1;
    if (j->s[1 - p].outer)
      rc = mark_matched(j, 1 - p, j->cand_bucket[c], j->cand_keys.data + j->cand_koff[c], j->cand_klen[c],
                        j->cand_index[c]);
  }
  if (!rc && nsel) {
    /* The batch frees a selection it owns: lend it ours for the emit only. */
    if (j->residual) {
      j->out->sel = j->sel;
      j->out->nsel = nsel;
    }
    rc = sl_op_emit(&j->base, j->out);
    j->out->sel = NULL;
  }
  sl_batch_reset(j->out);
  sl_buf_reset(&j->cand_keys);
  sl_arena_reset(&j->scratch);
  return rc;
}

/* Joins input row `row` (key in j->key, time t) of side p with the stored rows of the other
 * side whose times are in its range. */
static int probe(op_interval_join *j, int p, const sl_batch *in, uint32_t row, int64_t t) {
  side *o = &j->s[1 - p];
  int64_t lo, hi;
  match_range(j, p, t, &lo, &hi);
  if (lo > hi) return SL_OP_OK;
  uint64_t kh = sl_state_hash(j->key.data, j->key.len);
  int64_t first = floor_div(lo, j->width), last = floor_div(hi, j->width);
  int ocols_first = p == 0 ? j->s[0].ncols : 0;
  for (int bi = sl_time_list_find(&o->buckets, first); bi < o->buckets.n && o->buckets.v[bi] <= last; bi++) {
    int64_t b = o->buckets.v[bi];
    const void *cv;
    uint32_t cl;
    if (sl_kstate_get(o->count, ns_of(b), j->key.data, (uint32_t)j->key.len, kh, &cv, &cl)) return SL_OP_ERROR;
    if (!cv) continue;
    int64_t count;
    memcpy(&count, cv, 8);
    for (uint32_t i = 0; i < (uint32_t)count; i++) {
      /* Flush first: marking matches rewrites stored rows, which would free v below. */
      if (j->out->nrows == j->out->cap && flush_candidates(j, p)) return SL_OP_ERROR;
      sl_buf_reset(&j->rkey);
      sl_buf_add(&j->rkey, j->key.data, j->key.len);
      sl_buf_add(&j->rkey, &i, 4);
      const void *v;
      uint32_t vlen;
      if (sl_kstate_get(o->rows, ns_of(b), j->rkey.data, (uint32_t)j->rkey.len,
                        sl_state_hash(j->rkey.data, j->rkey.len), &v, &vlen))
        return SL_OP_ERROR;
      if (!v || vlen < ROW_HEADER) continue;
      int64_t ot;
      memcpy(&ot, (const unsigned char *)v + 1, 8);
      if (ot < lo || ot > hi) continue;
      uint32_t orow = (uint32_t)j->out->nrows++;
      j->cand_koff[orow] = (uint32_t)j->cand_keys.len;
      j->cand_klen[orow] = (uint32_t)j->key.len;
      sl_buf_add(&j->cand_keys, j->key.data, j->key.len);
      j->cand_row[orow] = row;
      j->cand_bucket[orow] = b;
      j->cand_index[orow] = i;
      copy_input_row(j, p, in, row, orow);
      sl_codec_read_row((const unsigned char *)v + ROW_HEADER, j->out, ocols_first, o->ncols, orow);
    }
  }
  return SL_OP_OK;
}

/* Stores input row `row` of side p (key in j->key, time t) in its bucket. */
static int store(op_interval_join *j, int p, const sl_batch *in, uint32_t row, int64_t t, uint8_t matched) {
  side *s = &j->s[p];
  int64_t b = floor_div(t, j->width);
  void *slot;
  bool created;
  if (sl_kstate_upsert(s->count, ns_of(b), j->key.data, (uint32_t)j->key.len, sl_state_hash(j->key.data, j->key.len),
                       &slot, &created))
    return SL_OP_ERROR;
  int64_t count;
  memcpy(&count, slot, 8);
  if (count >= UINT32_MAX)
    return sl_err_set(j->base.ctx->err, SL_ERUNTIME, SL_ERR_NOLOC, "interval join: more than 2^32 rows of one key in one time bucket");
  uint32_t i = (uint32_t)count++;
  memcpy(slot, &count, 8);
  sl_buf_reset(&j->rkey);
  sl_buf_add(&j->rkey, j->key.data, j->key.len);
  sl_buf_add(&j->rkey, &i, 4);
  sl_buf_reset(&j->val);
  sl_buf_addc(&j->val, (char)matched);
  sl_buf_add(&j->val, &t, 8);
  sl_codec_add_row(&j->val, in, row);
  if (sl_kstate_put(s->rows, ns_of(b), j->rkey.data, (uint32_t)j->rkey.len, sl_state_hash(j->rkey.data, j->rkey.len),
                    j->val.data, (uint32_t)j->val.len))
    return SL_OP_ERROR;
  sl_time_list_add(&s->buckets, b);
  return SL_OP_OK;
}

/* Emits input row `row` of side p padded with NULLs for the other side. */
static int emit_padded(op_interval_join *j, int p, const sl_batch *in, uint32_t row) {
  if (j->out->nrows == j->out->cap && emit_out(j)) return SL_OP_ERROR;
  uint32_t orow = (uint32_t)j->out->nrows++;
  copy_input_row(j, p, in, row, orow);
  pad(j, 1 - p, orow);
  return SL_OP_OK;
}

static int ij_process(sl_op *op, int p, const sl_batch *in) {
  op_interval_join *j = (op_interval_join *)op;
  side *s = &j->s[p];
  int n = sl_batch_live(in);
  if (n == 0) return SL_OP_OK;
  if (in->nrows > j->cap_matched) {
    j->cap_matched = in->nrows;
    j->matched = sl_realloc(j->matched, (size_t)j->cap_matched);
  }
  memset(j->matched, 0, (size_t)in->nrows);
  sl_eval_ctx kc = {.arena = &j->key_scratch, .err = op->ctx->err, .sql = op->ctx->sql};
  int rc = SL_OP_OK;
  for (int k = 0; k < j->nkeys && !rc; k++)
    if (sl_expr_eval(&kc, s->keys[k], in, in->sel, n, &s->key_cols[k])) rc = SL_OP_ERROR;
  const sl_col *tc = &in->cols[s->time_col];
  /* Pass 1: probe the other side. */
  for (int i = 0; i < n && !rc; i++) {
    uint32_t row = sl_batch_row(in, i);
    if (sl_col_is_null(tc, row) || !sl_join_key(&j->key, s->key_cols, j->nkeys, row)) continue;
    rc = probe(j, p, in, row, tc->i64[row]);
  }
  if (!rc) rc = flush_candidates(j, p);
  /* Pass 2: keep the rows a future row can still match; pad the others that never matched. */
  for (int i = 0; i < n && !rc; i++) {
    uint32_t row = sl_batch_row(in, i);
    bool joinable = !sl_col_is_null(tc, row) && sl_join_key(&j->key, s->key_cols, j->nkeys, row);
    if (joinable && op->watermark < expiry(j, p, tc->i64[row])) rc = store(j, p, in, row, tc->i64[row], j->matched[row]);
    else if (s->outer && !j->matched[row]) rc = emit_padded(j, p, in, row);
  }
  if (!rc) rc = emit_out(j);
  sl_arena_reset(&j->key_scratch);
  sl_arena_reset(&j->scratch);
  if (rc) return SL_OP_ERROR;
  return sl_state_backend_trim(op->ctx->state, op->ctx->err) ? SL_OP_ERROR : SL_OP_OK;
}

/* ---- Expiry ------------------------------------------------------------------------------- */

typedef struct expire_ctx {
  op_interval_join *j;
  int p;
} expire_ctx;

/* A stored row of an expiring bucket: emitted padded unless it matched. */
static int expire_row(void *arg, const void *key, uint32_t klen, const void *value, uint32_t vlen) {
  expire_ctx *x = arg;
  op_interval_join *j = x->j;
  (void)key, (void)klen;
  if (vlen < ROW_HEADER || ((const unsigned char *)value)[0]) return 0;
  if (j->out->nrows == j->out->cap && emit_out(j)) return SL_OP_ERROR;
  uint32_t orow = (uint32_t)j->out->nrows++;
  sl_codec_read_row((const unsigned char *)value + ROW_HEADER, j->out, x->p == 0 ? 0 : j->s[0].ncols, j->s[x->p].ncols,
                    orow);
  pad(j, 1 - x->p, orow);
  return 0;
}

static int ij_on_watermark(sl_op *op, int64_t wm) {
  op_interval_join *j = (op_interval_join *)op;
  for (int p = 0; p < 2; p++) {
    side *s = &j->s[p];
    int done = 0;
    while (done < s->buckets.n) {
      int64_t b = s->buckets.v[done];
      int64_t last_time = b >= INT64_MAX / j->width ? INT64_MAX : (b + 1) * j->width - 1;
      if (wm < expiry(j, p, last_time)) break;
      expire_ctx x = {j, p};
      if (s->outer) {
        if (sl_kstate_drain(s->rows, ns_of(b), expire_row, &x) || emit_out(j)) return SL_OP_ERROR;
      } else if (sl_kstate_drop(s->rows, ns_of(b))) {
        return SL_OP_ERROR;
      }
      if (sl_kstate_drop(s->count, ns_of(b))) return SL_OP_ERROR;
      done++;
    }
    sl_time_list_drop_front(&s->buckets, done);
  }
  int64_t out = wm == SL_WATERMARK_MAX ? wm : sat_add(wm, -j->delay);
  return sl_op_emit_watermark(op, out);
}

static int ij_finish(sl_op *op) { return emit_out((op_interval_join *)op); }

/* ---- Life cycle --------------------------------------------------------------------------- */

static int ij_open(sl_op *op) {
  op_interval_join *j = (op_interval_join *)op;
  for (int p = 0; p < 2; p++)
    if (sl_join_open_side(op, p, 8, 0, &j->s[p].count, &j->s[p].rows)) return SL_OP_ERROR;
  return SL_OP_OK;
}

static int ij_snapshot(sl_op *op, int64_t id, sl_manifest_op *m) {
  op_interval_join *j = (op_interval_join *)op;
  (void)id;
  for (int p = 0; p < 2; p++) sl_time_list_save(&j->s[p].buckets, &m->data);
  return SL_OP_OK;
}

static int ij_restore(sl_op *op, const sl_manifest_op *m) {
  op_interval_join *j = (op_interval_join *)op;
  size_t at = 8; /* after the watermark */
  for (int p = 0; p < 2; p++)
    if (!sl_time_list_load(&j->s[p].buckets, &m->data, &at)) goto bad;
  if (at != m->data.len) goto bad;
  return SL_OP_OK;
bad:
  return sl_err_set(op->ctx->err, SL_ECHECKPOINT, SL_ERR_NOLOC, "checkpoint holds damaged join state for operator %d",
                    op->id);
}

static void ij_close(sl_op *op) {
  op_interval_join *j = (op_interval_join *)op;
  for (int p = 0; p < 2; p++) {
    sl_time_list_free(&j->s[p].buckets);
    free(j->s[p].key_cols);
  }
  free(j->cand_row);
  free(j->cand_bucket);
  free(j->cand_index);
  free(j->cand_koff);
  free(j->cand_klen);
  sl_buf_destroy(&j->cand_keys);
  free(j->matched);
  free(j->sel);
  sl_buf_destroy(&j->key);
  sl_buf_destroy(&j->rkey);
  sl_buf_destroy(&j->val);
  sl_arena_destroy(&j->scratch);
  sl_arena_destroy(&j->key_scratch);
  sl_batch_free(j->out);
  free(j);
}

static void ij_explain(const sl_op *op, sl_buf *out) {
  const op_interval_join *j = (const op_interval_join *)op;
  const char *const *names = j->out_names;
  int nl = j->s[0].ncols;
  sl_join_explain_head(out, j->s[0].outer, j->s[1].outer, j->nkeys, j->s[0].keys, j->s[1].keys, names, nl);
  if (j->nkeys) sl_buf_adds(out, " AND ");
  sl_buf_printf(out, "%s - %s BETWEEN ", names[j->s[0].time_col], names[nl + j->s[1].time_col]);
  sl_interval_explain(j->lower, out);
  sl_buf_adds(out, " AND ");
  sl_interval_explain(j->upper, out);
  if (j->residual) {
    sl_buf_adds(out, " AND ");
    sl_expr_explain(j->residual, names, out);
  }
  sl_buf_adds(out, "], state=[rows of both sides by key, freed as the watermark passes the bound], watermark delay=[");
  sl_interval_explain(j->delay, out);
  sl_buf_adds(out, "]");
}

static const sl_op_vtable ij_vt = {
  .name = "IntervalJoin", .open = ij_open, .process = ij_process, .on_watermark = ij_on_watermark,
  .finish = ij_finish, .close = ij_close, .explain = ij_explain, .snapshot = ij_snapshot, .restore = ij_restore,
};

sl_op *sl_op_interval_join_new(sl_job_ctx *ctx, const sl_op_join_spec *spec) {
  op_interval_join *j = sl_calloc(1, sizeof *j);
  j->base.vt = &ij_vt;
  j->base.ctx = ctx;
  sl_op_reset_watermark(&j->base, SL_WATERMARK_MIN);
  j->nkeys = spec->nkeys;
  j->residual = spec->residual;
  j->lower = spec->lower;
  j->upper = spec->upper;
  j->out_names = spec->out_names;
  /* Buckets: half the bound's span (a row probes 2-3 of them), at least a second. An outer join
   * pads a row only when its whole bucket expires, up to a bucket later than the row itself
   * could: narrower buckets there (more probes), and the output watermark waits for them too. */
  bool outer = spec->left_outer || spec->right_outer;
  int64_t span = spec->upper > spec->lower ? spec->upper - spec->lower : 0;
  int64_t w = outer ? span / 8 : span / 2;
  j->width = w > 1000000 ? w : 1000000;
  int64_t d = 0;
  if (spec->lower < 0 && -spec->lower > d) d = -spec->lower;
  if (spec->upper > d) d = spec->upper;
  j->delay = outer ? sat_add(d, j->width) : d;
  for (int p = 0; p < 2; p++) {
    side *s = &j->s[p];
    s->ncols = p ? spec->nr : spec->nl;
    s->keys = p ? spec->rkeys : spec->lkeys;
    s->time_col = p ? spec->rtime : spec->ltime;
    s->outer = p ? spec->right_outer : spec->left_outer;
    s->key_cols = sl_calloc((size_t)(spec->nkeys ? spec->nkeys : 1), sizeof(sl_col));
  }
  int cap = SL_BATCH_DEFAULT_ROWS;
  j->out = sl_batch_new(spec->nl + spec->nr, spec->out_types, cap);
  j->cand_row = sl_calloc((size_t)cap, sizeof(uint32_t));
  j->cand_bucket = sl_calloc((size_t)cap, sizeof(int64_t));
  j->cand_index = sl_calloc((size_t)cap, sizeof(uint32_t));
  j->cand_koff = sl_calloc((size_t)cap, sizeof(uint32_t));
  j->cand_klen = sl_calloc((size_t)cap, sizeof(uint32_t));
  sl_buf_init(&j->cand_keys);
  j->sel = sl_calloc((size_t)cap, sizeof(uint32_t));
  sl_buf_init(&j->key);
  sl_buf_init(&j->rkey);
  sl_buf_init(&j->val);
  sl_arena_init(&j->scratch, 1 << 16);
  sl_arena_init(&j->key_scratch, 1 << 14);
  return &j->base;
}
