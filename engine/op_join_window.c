/* op_join_window.c - the window join: rows of two tumbling-windowed streams join when they are
 * in the same window and their keys are equal; the results of a window come when the watermark
 * closes it (window_end - 1 ms), then its state is freed (Flink's window join).
 *
 * Each side keeps its rows in keyed state: namespace = the window (its end), per key a count
 * ("<id>/lcount") and the rows under key | index ("<id>/lrows", value = matched flag | row). When
 * a window closes, the left rows are drained one at a time, each probing the right rows of its
 * key; matches go out in batches through the residual. LEFT/FULL: a left row that matched
 * nothing goes out padded; RIGHT/FULL: the right rows are drained after, the unmatched ones
 * padded. A row whose window has already closed is late: dropped and counted. NULL keys never
 * match. Output: left columns then right columns, append-only, no time attribute. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../state/manifest.h"
#include "../state/state.h"
#include "join_util.h"
#include "ops.h"
#include "rowcodec.h"

typedef struct wside {
  int ncols;
  sl_expr **keys;
  int end_col;             /* window_end of this side's rows */
  bool outer;
  sl_kstate *count, *rows;
  sl_col *key_cols;
} wside;

typedef struct op_window_join {
  sl_op base;
  wside s[2];
  int nkeys;
  sl_expr *residual;
  int64_t size;
  const char *const *out_names;
  sl_time_list wins;       /* open windows (their ends) */
  sl_batch *out;
  /* candidates in `out` while a window closes: the right row of each, and the left row's number */
  uint32_t *cand_left, *cand_index, *cand_koff, *cand_klen;
  sl_buf cand_keys;
  /* left rows probed since the last flush, not yet known to have matched (outer left) */
  sl_buf pending;          /* encoded rows, back to back */
  uint32_t *pend_off;
  uint8_t *pend_matched;
  int npend, cappend;
  uint32_t first_pending;  /* number of pending[0] among the window's left rows */
  uint32_t left_no;        /* left rows seen in the closing window */
  int64_t closing;         /* the window being closed */
  uint32_t *sel;
  sl_buf key, rkey, val;
  sl_arena scratch, key_scratch;
} op_window_join;

static uint64_t ns_of(int64_t end) { return (uint64_t)end ^ (1ULL << 63); }

/* ---- Input -------------------------------------------------------------------------------- */

/* Stores row of side p in its window under j->key (a NULL key is stored under no key: it only
 * ever comes out padded). */
static int store(op_window_join *j, int p, const sl_batch *in, uint32_t row, int64_t end, bool null_key) {
  wside *s = &j->s[p];
  uint64_t ns = ns_of(end);
  if (null_key) sl_buf_reset(&j->key);
  /* A NULL key is stored under the empty key marked with a leading 0xff byte, which no
   * encoded key starts with (encoded values start with a 0/1 NULL flag). */
  if (null_key) sl_buf_addc(&j->key, (char)0xff);
  void *slot;
  bool created;
  if (sl_kstate_upsert(s->count, ns, j->key.data, (uint32_t)j->key.len, sl_state_hash(j->key.data, j->key.len), &slot,
                       &created))
    return SL_OP_ERROR;
  int64_t count;
  memcpy(&count, slot, 8);
  uint32_t i = (uint32_t)count++;
  memcpy(slot, &count, 8);
  sl_buf_reset(&j->rkey);
  sl_buf_add(&j->rkey, j->key.data, j->key.len);
  sl_buf_add(&j->rkey, &i, 4);
  sl_buf_reset(&j->val);
  sl_buf_addc(&j->val, 0);
  sl_codec_add_row(&j->val, in, row);
  if (sl_kstate_put(s->rows, ns, j->rkey.data, (uint32_t)j->rkey.len, sl_state_hash(j->rkey.data, j->rkey.len),
                    j->val.data, (uint32_t)j->val.len))
    return SL_OP_ERROR;
  sl_time_list_add(&j->wins, end);
  return SL_OP_OK;
}

static int wj_process(sl_op *op, int p, const sl_batch *in) {
  op_window_join *j = (op_window_join *)op;
  wside *s = &j->s[p];
  int n = sl_batch_live(in);
  if (n == 0) return SL_OP_OK;
  sl_eval_ctx kc = {.arena = &j->key_scratch, .err = op->ctx->err, .sql = op->ctx->sql};
  int rc = SL_OP_OK;
  for (int k = 0; k < j->nkeys && !rc; k++)
    if (sl_expr_eval(&kc, s->keys[k], in, in->sel, n, &s->key_cols[k])) rc = SL_OP_ERROR;
  const sl_col *ec = &in->cols[s->end_col];
  for (int i = 0; i < n && !rc; i++) {
    uint32_t row = sl_batch_row(in, i);
    if (sl_col_is_null(ec, row)) continue;
    int64_t end = ec->i64[row];
    if (end - 1000 <= op->watermark) { /* its window has closed */
      op->ctx->late_rows++;
      continue;
    }
    bool has_key = sl_join_key(&j->key, s->key_cols, j->nkeys, row);
    if (!has_key && !s->outer) continue; /* can never show */
    rc = store(j, p, in, row, end, !has_key);
  }
  sl_arena_reset(&j->key_scratch);
  if (rc) return SL_OP_ERROR;
  return sl_state_backend_trim(op->ctx->state, op->ctx->err) ? SL_OP_ERROR : SL_OP_OK;
}

/* ---- Closing a window --------------------------------------------------------------------- */

static int emit_out(op_window_join *j) {
  int rc = SL_OP_OK;
  if (j->out->nrows) rc = sl_op_emit(&j->base, j->out);
  sl_batch_reset(j->out);
  return rc;
}

static uint32_t new_out_row(op_window_join *j, int *rc) {
  *rc = SL_OP_OK;
  if (j->out->nrows == j->out->cap) *rc = emit_out(j);
  return (uint32_t)j->out->nrows++;
}

static void pad(op_window_join *j, int p, uint32_t orow) {
  int first = p == 0 ? 0 : j->s[0].ncols;
  sl_value null = {.is_null = true};
  for (int c = 0; c < j->s[p].ncols; c++) sl_batch_set(j->out, first + c, orow, &null);
}

/* Left rows whose candidates have all been decided (numbers below `upto`): those that matched
 * nothing go out padded (LEFT/FULL). */
static int settle_pending(op_window_join *j, uint32_t upto) {
  int k = 0, rc = SL_OP_OK;
  for (; k < j->npend && j->first_pending + (uint32_t)k < upto && !rc; k++) {
    if (j->pend_matched[k]) continue;
    uint32_t o = new_out_row(j, &rc);
    if (rc) break;
    sl_codec_read_row((const unsigned char *)j->pending.data + j->pend_off[k], j->out, 0, j->s[0].ncols, o);
    pad(j, 1, o);
  }
  /* Drop the settled ones. */
  if (k > 0) {
    size_t cut = k < j->npend ? j->pend_off[k] : j->pending.len;
    memmove(j->pending.data, j->pending.data + cut, j->pending.len - cut);
    j->pending.len -= cut;
    for (int i = k; i < j->npend; i++) {
      j->pend_off[i - k] = j->pend_off[i] - (uint32_t)cut;
      j->pend_matched[i - k] = j->pend_matched[i];
    }
    j->npend -= k;
    j->first_pending += (uint32_t)k;
  }
  return rc;
}

/* Marks right row (window j->closing, key, index) as matched. */
static int mark_right(op_window_join *j, const void *key, uint32_t klen, uint32_t i) {
  sl_buf_reset(&j->rkey);
  sl_buf_add(&j->rkey, key, klen);
  sl_buf_add(&j->rkey, &i, 4);
  uint64_t h = sl_state_hash(j->rkey.data, j->rkey.len);
  const void *v;
  uint32_t vl;
  uint64_t ns = ns_of(j->closing);
  if (sl_kstate_get(j->s[1].rows, ns, j->rkey.data, (uint32_t)j->rkey.len, h, &v, &vl)) return SL_OP_ERROR;
  if (!v || vl < 1 || ((const unsigned char *)v)[0]) return SL_OP_OK;
  sl_buf_reset(&j->val);
  sl_buf_add(&j->val, v, vl);
  j->val.data[0] = 1;
  return sl_kstate_put(j->s[1].rows, ns, j->rkey.data, (uint32_t)j->rkey.len, h, j->val.data, vl) ? SL_OP_ERROR
                                                                                                     : SL_OP_OK;
}

/* The candidates in `out`: the residual picks the matches, which go out. */
static int flush_candidates(op_window_join *j) {
  int n = j->out->nrows;
  int nsel = n, rc = SL_OP_OK;
  if (n && j->residual) {
    sl_eval_ctx ec = {.arena = &j->scratch, .err = j->base.ctx->err, .sql = j->base.ctx->sql};
    if (sl_expr_filter(&ec, j->residual, j->out, NULL, n, j->sel, &nsel)) return SL_OP_ERROR;
  }
  for (int k = 0; k < nsel && !rc; k++) {
    uint32_t c = j->residual ? j->sel[k] : (uint32_t)k;
    uint32_t left = j->cand_left[c];
    if (left >= j->first_pending && (int)(left - j->first_pending) < j->npend) j->pend_matched[left - j->first_pending] = 1;
    if (j->s[1].outer) rc = mark_right(j, j->cand_keys.data + j->cand_koff[c], j->cand_klen[c], j->cand_index[c]);
  }
  if (!rc && nsel) {
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

/* One left row of the closing window (key | index -> matched | row): probe the right rows. */
static int close_left(void *arg, const void *key, uint32_t klen, const void *value, uint32_t vlen) {
  op_window_join *j = arg;
  if (klen < 4 || vlen < 1) return SL_OP_OK;
  const unsigned char *row = (const unsigned char *)value + 1;
  uint32_t rowlen = vlen - 1;
  uint32_t kl = klen - 4;
  uint32_t me = j->left_no++;
  if (j->s[0].outer) {
    if (j->npend == j->cappend) {
      j->cappend = j->cappend ? j->cappend * 2 : 64;
      j->pend_off = sl_realloc(j->pend_off, sizeof(uint32_t) * (size_t)j->cappend);
      j->pend_matched = sl_realloc(j->pend_matched, (size_t)j->cappend);
    }
    j->pend_off[j->npend] = (uint32_t)j->pending.len;
    j->pend_matched[j->npend++] = 0;
    sl_buf_add(&j->pending, row, rowlen);
  }
  uint64_t ns = ns_of(j->closing);
  const void *cv;
  uint32_t cl;
  if (kl == 0 || ((const unsigned char *)key)[0] == 0xff) return SL_OP_OK; /* NULL key */
  if (sl_kstate_get(j->s[1].count, ns, key, kl, sl_state_hash(key, kl), &cv, &cl)) return SL_OP_ERROR;
  if (!cv) return j->npend >= 1024 ? settle_pending(j, j->out->nrows ? j->cand_left[0] : me + 1) : SL_OP_OK;
  int64_t count;
  memcpy(&count, cv, 8);
  for (uint32_t i = 0; i < (uint32_t)count; i++) {
    /* Flush first: marking matches rewrites stored rows, which would free v below. */
    if (j->out->nrows == j->out->cap) {
      if (flush_candidates(j) || settle_pending(j, me)) return SL_OP_ERROR;
    }
    sl_buf_reset(&j->rkey);
    sl_buf_add(&j->rkey, key, kl);
    sl_buf_add(&j->rkey, &i, 4);
    const void *v;
    uint32_t vl;
    if (sl_kstate_get(j->s[1].rows, ns, j->rkey.data, (uint32_t)j->rkey.len, sl_state_hash(j->rkey.data, j->rkey.len), &v,
                      &vl))
      return SL_OP_ERROR;
    if (!v || vl < 1) continue;
    uint32_t c = (uint32_t)j->out->nrows++;
    j->cand_left[c] = me;
    j->cand_index[c] = i;
    j->cand_koff[c] = (uint32_t)j->cand_keys.len;
    j->cand_klen[c] = kl;
    sl_buf_add(&j->cand_keys, key, kl);
    sl_codec_read_row(row, j->out, 0, j->s[0].ncols, c);
    sl_codec_read_row((const unsigned char *)v + 1, j->out, j->s[0].ncols, j->s[1].ncols, c);
  }
  /* Rows before the first one with candidates still in `out` are decided: keep few pending. */
  if (j->npend >= 1024) return settle_pending(j, j->out->nrows ? j->cand_left[0] : me + 1);
  return SL_OP_OK;
}

/* One right row of the closing window: padded out unless it matched (RIGHT/FULL). */
static int close_right(void *arg, const void *key, uint32_t klen, const void *value, uint32_t vlen) {
  op_window_join *j = arg;
  (void)key, (void)klen;
  if (vlen < 1 || ((const unsigned char *)value)[0]) return SL_OP_OK;
  int rc;
  uint32_t o = new_out_row(j, &rc);
  if (rc) return rc;
  sl_codec_read_row((const unsigned char *)value + 1, j->out, j->s[0].ncols, j->s[1].ncols, o);
  pad(j, 0, o);
  return SL_OP_OK;
}

static int close_window(op_window_join *j, int64_t end) {
  uint64_t ns = ns_of(end);
  j->closing = end;
  j->left_no = 0;
  j->first_pending = 0;
  j->npend = 0;
  sl_buf_reset(&j->pending);
  if (sl_kstate_drain(j->s[0].rows, ns, close_left, j)) return SL_OP_ERROR;
  if (flush_candidates(j) || settle_pending(j, UINT32_MAX) || emit_out(j)) return SL_OP_ERROR;
  if (j->s[1].outer) {
    if (sl_kstate_drain(j->s[1].rows, ns, close_right, j) || emit_out(j)) return SL_OP_ERROR;
  } else if (sl_kstate_drop(j->s[1].rows, ns)) {
    return SL_OP_ERROR;
  }
  if (sl_kstate_drop(j->s[0].count, ns) || sl_kstate_drop(j->s[1].count, ns)) return SL_OP_ERROR;
  return SL_OP_OK;
}

static int wj_on_watermark(sl_op *op, int64_t wm) {
  op_window_join *j = (op_window_join *)op;
  int done = 0;
  while (done < j->wins.n && j->wins.v[done] - 1000 <= wm) {
    if (close_window(j, j->wins.v[done])) return SL_OP_ERROR;
    done++;
  }
  sl_time_list_drop_front(&j->wins, done);
  return sl_op_emit_watermark(op, wm);
}

static int wj_finish(sl_op *op) { return emit_out((op_window_join *)op); }

/* ---- Life cycle --------------------------------------------------------------------------- */

static int wj_open(sl_op *op) {
  op_window_join *j = (op_window_join *)op;
  for (int p = 0; p < 2; p++)
    if (sl_join_open_side(op, p, 8, 0, &j->s[p].count, &j->s[p].rows)) return SL_OP_ERROR;
  return SL_OP_OK;
}

static int wj_snapshot(sl_op *op, int64_t id, sl_manifest_op *m) {
  op_window_join *j = (op_window_join *)op;
  (void)id;
  sl_time_list_save(&j->wins, &m->data);
  return SL_OP_OK;
}

static int wj_restore(sl_op *op, const sl_manifest_op *m) {
  op_window_join *j = (op_window_join *)op;
  size_t at = 8; /* after the watermark */
  if (!sl_time_list_load(&j->wins, &m->data, &at) || at != m->data.len) goto bad;
  return SL_OP_OK;
bad:
  return sl_err_set(op->ctx->err, SL_ECHECKPOINT, SL_ERR_NOLOC, "checkpoint holds damaged join state for operator %d",
                    op->id);
}

static void wj_close(sl_op *op) {
  op_window_join *j = (op_window_join *)op;
  for (int p = 0; p < 2; p++) free(j->s[p].key_cols);
  sl_time_list_free(&j->wins);
  free(j->cand_left);
  free(j->cand_index);
  free(j->cand_koff);
  free(j->cand_klen);
  free(j->pend_off);
  free(j->pend_matched);
  free(j->sel);
  sl_buf_destroy(&j->cand_keys);
  sl_buf_destroy(&j->pending);
  sl_buf_destroy(&j->key);
  sl_buf_destroy(&j->rkey);
  sl_buf_destroy(&j->val);
  sl_arena_destroy(&j->scratch);
  sl_arena_destroy(&j->key_scratch);
  sl_batch_free(j->out);
  free(j);
}

static void wj_explain(const sl_op *op, sl_buf *out) {
  const op_window_join *j = (const op_window_join *)op;
  const char *const *names = j->out_names;
  sl_join_explain_head(out, j->s[0].outer, j->s[1].outer, j->nkeys, j->s[0].keys, j->s[1].keys, names, j->s[0].ncols);
  if (j->residual) {
    sl_buf_adds(out, " AND ");
    sl_expr_explain(j->residual, names, out);
  }
  sl_buf_adds(out, "], window=[TUMBLE(");
  sl_interval_explain(j->size, out);
  sl_buf_adds(out, ")], state=[rows of both sides by window and key, freed when the window closes]");
}

static const sl_op_vtable wj_vt = {
  .name = "WindowJoin", .open = wj_open, .process = wj_process, .on_watermark = wj_on_watermark,
  .finish = wj_finish, .close = wj_close, .explain = wj_explain, .snapshot = wj_snapshot, .restore = wj_restore,
};

sl_op *sl_op_window_join_new(sl_job_ctx *ctx, const sl_op_join_spec *spec) {
  op_window_join *j = sl_calloc(1, sizeof *j);
  j->base.vt = &wj_vt;
  j->base.ctx = ctx;
  sl_op_reset_watermark(&j->base, SL_WATERMARK_MIN);
  j->nkeys = spec->nkeys;
  j->residual = spec->residual;
  j->size = spec->win_size;
  j->out_names = spec->out_names;
  for (int p = 0; p < 2; p++) {
    wside *s = &j->s[p];
    s->ncols = p ? spec->nr : spec->nl;
    s->keys = p ? spec->rkeys : spec->lkeys;
    s->end_col = p ? spec->rtime : spec->ltime;
    s->outer = p ? spec->right_outer : spec->left_outer;
    s->key_cols = sl_calloc((size_t)(spec->nkeys ? spec->nkeys : 1), sizeof(sl_col));
  }
  int cap = SL_BATCH_DEFAULT_ROWS;
  j->out = sl_batch_new(spec->nl + spec->nr, spec->out_types, cap);
  j->cand_left = sl_calloc((size_t)cap, sizeof(uint32_t));
  j->cand_index = sl_calloc((size_t)cap, sizeof(uint32_t));
  j->cand_koff = sl_calloc((size_t)cap, sizeof(uint32_t));
  j->cand_klen = sl_calloc((size_t)cap, sizeof(uint32_t));
  j->sel = sl_calloc((size_t)cap, sizeof(uint32_t));
  sl_buf_init(&j->cand_keys);
  sl_buf_init(&j->pending);
  sl_buf_init(&j->key);
  sl_buf_init(&j->rkey);
  sl_buf_init(&j->val);
  sl_arena_init(&j->scratch, 1 << 16);
  sl_arena_init(&j->key_scratch, 1 << 14);
  return &j->base;
}
