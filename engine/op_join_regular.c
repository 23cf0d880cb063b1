/* op_join_regular.c - the regular join of two unbounded streams (Flink's streaming join): every
 * row is kept, and each row joins every row of the other side with an equal key, before or
 * after it. Inputs may be changelogs: +I/+U rows add, -U/-D rows retract.
 *
 * Each side keeps its rows in keyed state (namespace 0): per join key its range of row slots
 * ("<id>/lcount": first, end) and the rows under key | slot ("<id>/lrows", value = matches | row), where
 * `matches` counts the rows of the other side it joins with, so that an outer join knows when a
 * row goes from padded to matched and back. A retraction removes one equal row (the last slot
 * moves into its place). With 'table.exec.state.ttl' set, entries not written for that long
 * expire (slots that expired at the front of a key's range are skipped from then on); without it
 * the state grows with the number of distinct rows.
 *
 *   row r arrives on side p (adding):
 *     for each row o of the other side under r's key where the residual holds:
 *       if o is an outer row with no match yet: emit -D[pad(o)]
 *       emit r's kind [r, o]; o.matches++
 *     if none and p is outer: emit +I[pad(r)]
 *     store r with its match count
 *   row r arrives retracting: the same with -1, emitting r's kind [r, o], +I[pad(o)] when o
 *     loses its last match, -D[pad(r)] when r had none; r is removed from the state.
 *
 * Output: left columns, then right columns. Append-only only for inner joins of append-only
 * inputs (the planner knows). Rows with a NULL key never match. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../state/state.h"
#include "join_util.h"
#include "ops.h"
#include "rowcodec.h"

typedef struct rside {
  int ncols;
  sl_expr **keys;
  bool outer;
  sl_kstate *count;        /* key -> number of row slots */
  sl_kstate *rows;         /* key | slot -> matches (int64) | row */
  sl_col *key_cols;
} rside;

typedef struct op_regular_join {
  sl_op base;
  rside s[2];
  int nkeys;
  sl_expr *residual;
  const char *const *out_names;
  int64_t ttl_us;
  sl_batch *cand;          /* joined candidates of one input row, before the residual */
  uint64_t *cand_slot;     /* the other side's slot of each candidate */
  sl_batch *out;           /* changes, in order */
  uint32_t *sel;
  sl_buf key, rkey, val, mine;
  sl_arena scratch, key_scratch;
} op_regular_join;

static bool adds(uint8_t kind) { return kind == SL_ROW_INSERT || kind == SL_ROW_UPDATE_AFTER; }

/* ---- Output ------------------------------------------------------------------------------- */

static int emit_out(op_regular_join *j) {
  int rc = SL_OP_OK;
  if (j->out->nrows) rc = sl_op_emit(&j->base, j->out);
  sl_batch_reset(j->out);
  return rc;
}

/* A new output row of kind `kind`; returns its index. */
static int out_row(op_regular_join *j, uint8_t kind, uint32_t *row) {
  if (j->out->nrows == j->out->cap && emit_out(j)) return SL_OP_ERROR;
  if (!j->out->kinds) j->out->kinds = sl_calloc((size_t)j->out->cap, 1);
  *row = (uint32_t)j->out->nrows++;
  j->out->kinds[*row] = kind;
  return SL_OP_OK;
}

static void pad(sl_batch *b, int first, int ncols, uint32_t row) {
  sl_value null = {.is_null = true};
  for (int c = first; c < first + ncols; c++) sl_batch_set(b, c, row, &null);
}

static void copy_row(sl_batch *to, int first, const sl_batch *from, uint32_t from_row, uint32_t row) {
  for (int c = 0; c < from->ncols; c++) {
    sl_value v;
    sl_col_get(&from->cols[c], from_row, &v);
    sl_batch_set(to, first + c, row, &v);
  }
}

static int first_col(const op_regular_join *j, int p) { return p == 0 ? 0 : j->s[0].ncols; }

/* Emits input row `row` of side p padded with NULLs, as kind. */
static int emit_padded_input(op_regular_join *j, int p, const sl_batch *in, uint32_t row, uint8_t kind) {
  uint32_t o;
  if (out_row(j, kind, &o)) return SL_OP_ERROR;
  copy_row(j->out, first_col(j, p), in, row, o);
  pad(j->out, first_col(j, 1 - p), j->s[1 - p].ncols, o);
  return SL_OP_OK;
}

/* Emits a stored row of side p (its encoded columns at enc) padded with NULLs, as kind. */
static int emit_padded_stored(op_regular_join *j, int p, const unsigned char *enc, uint8_t kind) {
  uint32_t o;
  if (out_row(j, kind, &o)) return SL_OP_ERROR;
  sl_codec_read_row(enc, j->out, first_col(j, p), j->s[p].ncols, o);
  pad(j->out, first_col(j, 1 - p), j->s[1 - p].ncols, o);
  return SL_OP_OK;
}

/* ---- State -------------------------------------------------------------------------------- */

static void slot_key(op_regular_join *j, uint64_t slot) {
  sl_buf_reset(&j->rkey);
  sl_buf_add(&j->rkey, j->key.data, j->key.len);
  sl_buf_add(&j->rkey, &slot, 8);
}

/* The slots of side p under j->key: [first, end). Rows are appended at `end`; rows that expired
 * leave holes, mostly at the front (the oldest go first), which `first` skips once seen. */
typedef struct slots {
  uint64_t first, end;
} slots;

static int get_slots(op_regular_join *j, int p, slots *r) {
  const void *v;
  uint32_t vl;
  *r = (slots){0, 0};
  int rc = sl_kstate_get(j->s[p].count, 0, j->key.data, (uint32_t)j->key.len, sl_state_hash(j->key.data, j->key.len), &v,
                         &vl);
  if (!rc && v) memcpy(r, v, sizeof *r);
  return rc;
}

static int set_slots(op_regular_join *j, int p, slots r) {
  uint64_t h = sl_state_hash(j->key.data, j->key.len);
  if (r.first >= r.end) return sl_kstate_delete(j->s[p].count, 0, j->key.data, (uint32_t)j->key.len, h);
  return sl_kstate_put(j->s[p].count, 0, j->key.data, (uint32_t)j->key.len, h, &r, sizeof r);
}

/* The stored value of side p's slot under j->key (NULL when absent or expired). */
static int get_slot(op_regular_join *j, int p, uint64_t slot, const unsigned char **v, uint32_t *vl) {
  slot_key(j, slot);
  const void *pv;
  int rc = sl_kstate_get(j->s[p].rows, 0, j->rkey.data, (uint32_t)j->rkey.len, sl_state_hash(j->rkey.data, j->rkey.len),
                         &pv, vl);
  *v = (*vl >= 8) ? pv : NULL;
  return rc;
}

static int put_slot(op_regular_join *j, int p, uint64_t slot, const void *v, uint32_t vl) {
  slot_key(j, slot);
  return sl_kstate_put(j->s[p].rows, 0, j->rkey.data, (uint32_t)j->rkey.len, sl_state_hash(j->rkey.data, j->rkey.len),
                       v, vl);
}

static int delete_slot(op_regular_join *j, int p, uint64_t slot) {
  slot_key(j, slot);
  return sl_kstate_delete(j->s[p].rows, 0, j->rkey.data, (uint32_t)j->rkey.len, sl_state_hash(j->rkey.data, j->rkey.len));
}

/* Changes the match count of side p's slot by delta; returns the count before, or -1 if gone. */
static int64_t bump_matches(op_regular_join *j, int p, uint64_t slot, int64_t delta, int *rc) {
  const unsigned char *v;
  uint32_t vl;
  if ((*rc = get_slot(j, p, slot, &v, &vl)) || !v) return -1;
  int64_t m;
  memcpy(&m, v, 8);
  sl_buf_reset(&j->val);
  sl_buf_add(&j->val, v, vl);
  int64_t nm = m + delta < 0 ? 0 : m + delta;
  memcpy(j->val.data, &nm, 8);
  *rc = put_slot(j, p, slot, j->val.data, vl);
  return m;
}

/* Adds row (encoded in j->mine) with `matches` to side p under j->key. */
static int store_row(op_regular_join *j, int p, int64_t matches) {
  slots r;
  int rc = get_slots(j, p, &r);
  if (rc) return rc;
  memcpy(j->mine.data, &matches, 8);
  if ((rc = put_slot(j, p, r.end, j->mine.data, (uint32_t)j->mine.len))) return rc;
  r.end++;
  return set_slots(j, p, r);
}

/* Removes one row equal to j->mine (its columns) from side p under j->key; *matches gets its
 * match count, -1 when no such row is kept (expired, or never seen). */
static int remove_row(op_regular_join *j, int p, int64_t *matches) {
  slots r;
  *matches = -1;
  int rc = get_slots(j, p, &r);
  if (rc) return rc;
  for (uint64_t i = r.first; i < r.end; i++) {
    const unsigned char *v;
    uint32_t vl;
    if ((rc = get_slot(j, p, i, &v, &vl))) return rc;
    if (!v || vl != j->mine.len || memcmp(v + 8, j->mine.data + 8, vl - 8) != 0) continue;
    memcpy(matches, v, 8);
    /* The last slot moves into the hole. */
    if (i != r.end - 1) {
      const unsigned char *lv;
      uint32_t ll;
      if ((rc = get_slot(j, p, r.end - 1, &lv, &ll))) return rc;
      sl_buf_reset(&j->val);
      if (lv) sl_buf_add(&j->val, lv, ll);
      rc = lv ? put_slot(j, p, i, j->val.data, ll) : delete_slot(j, p, i);
      if (rc) return rc;
    }
    if ((rc = delete_slot(j, p, r.end - 1))) return rc;
    r.end--;
    return set_slots(j, p, r);
  }
  return 0;
}

/* ---- Joining ------------------------------------------------------------------------------ */

/* The candidates in j->cand (input row `row` of side p with stored rows of the other side):
 * the residual picks the matches, which are emitted with the input's kind; outer rows of the
 * other side change between padded and matched. *nmatch grows by the matches. */
static int flush_candidates(op_regular_join *j, int p, uint8_t kind, int64_t *nmatch) {
  int n = j->cand->nrows;
  if (n == 0) return SL_OP_OK;
  int nsel = n;
  if (j->residual) {
    sl_eval_ctx ec = {.arena = &j->scratch, .err = j->base.ctx->err, .sql = j->base.ctx->sql};
    if (sl_expr_filter(&ec, j->residual, j->cand, NULL, n, j->sel, &nsel)) return SL_OP_ERROR;
  }
  int o = 1 - p, rc = 0;
  bool add = adds(kind);
  for (int k = 0; k < nsel && !rc; k++) {
    uint32_t c = j->residual ? j->sel[k] : (uint32_t)k;
    if (j->s[o].outer) {
      int64_t before = bump_matches(j, o, j->cand_slot[c], add ? 1 : -1, &rc);
      if (rc) break;
      const unsigned char *v;
      uint32_t vl;
      if (add && before == 0) {
        if (!(rc = get_slot(j, o, j->cand_slot[c], &v, &vl)) && v) rc = emit_padded_stored(j, o, v + 8, SL_ROW_DELETE);
      }
      if (rc) break;
      uint32_t orow;
      if ((rc = out_row(j, kind, &orow))) break;
      for (int col = 0; col < j->cand->ncols; col++) {
        sl_value val;
        sl_col_get(&j->cand->cols[col], c, &val);
        sl_batch_set(j->out, col, orow, &val);
      }
      if (!add && before == 1) {
        if (!(rc = get_slot(j, o, j->cand_slot[c], &v, &vl)) && v) rc = emit_padded_stored(j, o, v + 8, SL_ROW_INSERT);
      }
    } else {
      uint32_t orow;
      if ((rc = out_row(j, kind, &orow))) break;
      for (int col = 0; col < j->cand->ncols; col++) {
        sl_value val;
        sl_col_get(&j->cand->cols[col], c, &val);
        sl_batch_set(j->out, col, orow, &val);
      }
    }
  }
  *nmatch += nsel;
  sl_batch_reset(j->cand);
  sl_arena_reset(&j->scratch);
  return rc ? SL_OP_ERROR : SL_OP_OK;
}

/* Joins input row `row` of side p (key in j->key) with every stored row of the other side. */
static int probe(op_regular_join *j, int p, const sl_batch *in, uint32_t row, uint8_t kind, int64_t *nmatch) {
  int o = 1 - p;
  slots r;
  if (get_slots(j, o, &r)) return SL_OP_ERROR;
  uint64_t first_live = r.end;
  for (uint64_t i = r.first; i < r.end; i++) {
    /* Flush first: match counts are rewritten there, which would free v below. */
    if (j->cand->nrows == j->cand->cap && flush_candidates(j, p, kind, nmatch)) return SL_OP_ERROR;
    const unsigned char *v;
    uint32_t vl;
    if (get_slot(j, o, i, &v, &vl)) return SL_OP_ERROR;
    if (!v) continue; /* expired */
    if (first_live == r.end) first_live = i;
    uint32_t c = (uint32_t)j->cand->nrows++;
    j->cand_slot[c] = i;
    copy_row(j->cand, first_col(j, p), in, row, c);
    sl_codec_read_row(v + 8, j->cand, first_col(j, o), j->s[o].ncols, c);
  }
  if (flush_candidates(j, p, kind, nmatch)) return SL_OP_ERROR;
  /* Expired rows at the front are skipped from now on. */
  if (first_live != r.first && (r.first = first_live, set_slots(j, o, r))) return SL_OP_ERROR;
  return SL_OP_OK;
}

static int one_row(op_regular_join *j, int p, const sl_batch *in, uint32_t row) {
  rside *s = &j->s[p];
  uint8_t kind = in->kinds ? in->kinds[row] : SL_ROW_INSERT;
  bool add = adds(kind);
  if (!sl_join_key(&j->key, s->key_cols, j->nkeys, row)) /* a NULL key matches nothing, ever */
    return s->outer ? emit_padded_input(j, p, in, row, add ? SL_ROW_INSERT : SL_ROW_DELETE) : SL_OP_OK;
  sl_buf_reset(&j->mine);
  int64_t zero = 0;
  sl_buf_add(&j->mine, &zero, 8);
  sl_codec_add_row(&j->mine, in, row);
  int64_t had = -1;
  if (!add && remove_row(j, p, &had)) return SL_OP_ERROR;
  int64_t nmatch = 0;
  if (probe(j, p, in, row, kind, &nmatch)) return SL_OP_ERROR;
  if (s->outer && nmatch == 0 && emit_padded_input(j, p, in, row, add ? SL_ROW_INSERT : SL_ROW_DELETE)) return SL_OP_ERROR;
  if (add && store_row(j, p, nmatch)) return SL_OP_ERROR;
  return SL_OP_OK;
}

static int rj_process(sl_op *op, int p, const sl_batch *in) {
  op_regular_join *j = (op_regular_join *)op;
  rside *s = &j->s[p];
  int n = sl_batch_live(in);
  if (n == 0) return SL_OP_OK;
  sl_eval_ctx kc = {.arena = &j->key_scratch, .err = op->ctx->err, .sql = op->ctx->sql};
  int rc = SL_OP_OK;
  for (int k = 0; k < j->nkeys && !rc; k++)
    if (sl_expr_eval(&kc, s->keys[k], in, in->sel, n, &s->key_cols[k])) rc = SL_OP_ERROR;
  for (int i = 0; i < n && !rc; i++) rc = one_row(j, p, in, sl_batch_row(in, i));
  if (!rc) rc = emit_out(j);
  sl_arena_reset(&j->key_scratch);
  if (rc) return SL_OP_ERROR;
  return sl_state_backend_trim(op->ctx->state, op->ctx->err) ? SL_OP_ERROR : SL_OP_OK;
}

/* Rows keep no time attribute: watermarks pass through unchanged. */
static int rj_on_watermark(sl_op *op, int64_t wm) { return sl_op_emit_watermark(op, wm); }

static int rj_finish(sl_op *op) { return emit_out((op_regular_join *)op); }

/* ---- Life cycle --------------------------------------------------------------------------- */

static int rj_open(sl_op *op) {
  op_regular_join *j = (op_regular_join *)op;
  for (int p = 0; p < 2; p++)
    if (sl_join_open_side(op, p, (uint32_t)sizeof(slots), j->ttl_us, &j->s[p].count, &j->s[p].rows)) return SL_OP_ERROR;
  return SL_OP_OK;
}

static void rj_close(sl_op *op) {
  op_regular_join *j = (op_regular_join *)op;
  for (int p = 0; p < 2; p++) free(j->s[p].key_cols);
  sl_batch_free(j->cand);
  sl_batch_free(j->out);
  free(j->cand_slot);
  free(j->sel);
  sl_buf_destroy(&j->key);
  sl_buf_destroy(&j->rkey);
  sl_buf_destroy(&j->val);
  sl_buf_destroy(&j->mine);
  sl_arena_destroy(&j->scratch);
  sl_arena_destroy(&j->key_scratch);
  free(j);
}

static void rj_explain(const sl_op *op, sl_buf *out) {
  const op_regular_join *j = (const op_regular_join *)op;
  const char *const *names = j->out_names;
  sl_join_explain_head(out, j->s[0].outer, j->s[1].outer, j->nkeys, j->s[0].keys, j->s[1].keys, names, j->s[0].ncols);
  if (j->residual) {
    if (j->nkeys) sl_buf_adds(out, " AND ");
    sl_expr_explain(j->residual, names, out);
  }
  if (!j->nkeys && !j->residual) sl_buf_adds(out, "true");
  sl_buf_adds(out, "], state=[rows of both sides by key, ");
  if (j->ttl_us > 0) {
    sl_buf_adds(out, "kept for ");
    sl_interval_explain(j->ttl_us, out);
    sl_buf_adds(out, " after their last write]");
  } else {
    sl_buf_adds(out, "WARNING: kept forever, grows without limit; SET 'table.exec.state.ttl' to bound it]");
  }
}

static const sl_op_vtable rj_vt = {
  .name = "Join", .open = rj_open, .process = rj_process, .on_watermark = rj_on_watermark, .finish = rj_finish,
  .close = rj_close, .explain = rj_explain,
};

sl_op *sl_op_regular_join_new(sl_job_ctx *ctx, const sl_op_join_spec *spec) {
  op_regular_join *j = sl_calloc(1, sizeof *j);
  j->base.vt = &rj_vt;
  j->base.ctx = ctx;
  sl_op_reset_watermark(&j->base, SL_WATERMARK_MIN);
  j->nkeys = spec->nkeys;
  j->residual = spec->residual;
  j->out_names = spec->out_names;
  j->ttl_us = ctx->state_ttl_us;
  for (int p = 0; p < 2; p++) {
    rside *s = &j->s[p];
    s->ncols = p ? spec->nr : spec->nl;
    s->keys = p ? spec->rkeys : spec->lkeys;
    s->outer = p ? spec->right_outer : spec->left_outer;
    s->key_cols = sl_calloc((size_t)(spec->nkeys ? spec->nkeys : 1), sizeof(sl_col));
  }
  int cap = SL_BATCH_DEFAULT_ROWS;
  j->cand = sl_batch_new(spec->nl + spec->nr, spec->out_types, cap);
  j->out = sl_batch_new(spec->nl + spec->nr, spec->out_types, cap);
  j->cand_slot = sl_calloc((size_t)cap, sizeof(uint64_t));
  j->sel = sl_calloc((size_t)cap, sizeof(uint32_t));
  sl_buf_init(&j->key);
  sl_buf_init(&j->rkey);
  sl_buf_init(&j->val);
  sl_buf_init(&j->mine);
  sl_arena_init(&j->scratch, 1 << 16);
  sl_arena_init(&j->key_scratch, 1 << 14);
  return &j->base;
}
