/* op_window_agg.c - tumbling-window aggregation on event time.
 *
 * Each row goes to the window [start, start + size) holding its event time. The operator keeps
 * its groups in keyed state (ctx->state, so on the hashmap or the RocksDB backend): namespace =
 * the window, key = the serialized group key, value = a fixed slot of accumulators. DISTINCT
 * aggregates keep the values seen per group in a second keyed state, and MIN/MAX of strings keep
 * the current string in a third. The list of open windows is small and lives in memory (saved
 * with each checkpoint). When the watermark reaches end - 1 the window fires: one output row per
 * group, then the window's state is dropped. A row whose window has already fired
 * (end - 1 <= watermark) is late: dropped and counted.
 *
 * Output layout: group keys..., window_start, window_end, window_time (= end - 1 ms), aggregates...
 *
 *   for each row:  w = window(ts); if late: count, skip
 *                  slot = upsert(acc, w, key(row)); for each aggregate: accumulate(slot, arg(row))
 *   on watermark:  for each window with end - 1 <= wm, in order: emit(drain(acc, w)) */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../sql/plan.h"
#include "../state/manifest.h"
#include "../state/state.h"
#include "datetime.h"
#include "decimal.h"
#include "ops.h"
#include "rowcodec.h"

#define ACC_SIZE 32 /* bytes per aggregate accumulator */

/* Accumulator of one aggregate inside a group's slot. */
typedef struct acc {
  int64_t count;           /* rows counted (COUNT) or non-NULL inputs (SUM/AVG/MIN/MAX) */
  int64_t pad;
  union {
    int64_t i64;
    double f64;
    sl_i128 dec;
  } v;                     /* MIN/MAX of strings: the string is in the minmax state */
} acc;

_Static_assert(sizeof(acc) == ACC_SIZE, "accumulator layout");

typedef struct window {
  int64_t start, end;
} window;

typedef struct op_window_agg {
  sl_op base;
  int time_col;
  int64_t size;
  int nkeys;
  sl_expr **keys;
  int naggs;
  const sl_agg_call *aggs;
  const char *const *in_names;
  const char *const *out_names;
  bool any_distinct;
  bool any_string_minmax;
  size_t slot_size;
  sl_kstate *acc;          /* (window, group key) -> accumulators */
  sl_kstate *distinct;     /* (window, group key | agg | value) -> seen */
  sl_kstate *minmax;       /* (window, group key | agg) -> current MIN/MAX string */
  window *wins;            /* open windows, sorted by end */
  int nwins, capwins;
  sl_col *key_cols, *arg_cols;
  sl_arena scratch;
  sl_buf key;              /* serialized key of the current row */
  size_t group_len;        /* length of the group key part of `key` */
  sl_buf key2;             /* derived keys (distinct, minmax) */
  window *firing;          /* the window being emitted */
  sl_batch *out;
} op_window_agg;

/* Namespaces order like window ends. */
static uint64_t ns_of(const window *win) { return (uint64_t)win->end ^ (1ULL << 63); }

/* ---- Windows ------------------------------------------------------------------------------ */

static window *find_window(op_window_agg *w, int64_t start) {
  for (int i = w->nwins - 1; i >= 0; i--)
    if (w->wins[i].start == start) return &w->wins[i];
  if (w->nwins == w->capwins) {
    w->capwins = w->capwins ? w->capwins * 2 : 8;
    w->wins = sl_realloc(w->wins, sizeof(window) * (size_t)w->capwins);
  }
  int pos = w->nwins;
  while (pos > 0 && w->wins[pos - 1].start > start) pos--;
  memmove(&w->wins[pos + 1], &w->wins[pos], sizeof(window) * (size_t)(w->nwins - pos));
  w->nwins++;
  window *win = &w->wins[pos];
  win->start = start;
  win->end = start + w->size;
  return win;
}

/* ---- Accumulation ------------------------------------------------------------------------- */

static int str_cmp(const char *a, uint32_t al, const char *b, uint32_t bl) {
  int c = memcmp(a, b, al < bl ? al : bl);
  if (c) return c;
  return al < bl ? -1 : al > bl;
}

/* The group key of the current row followed by the aggregate's index, in key2. */
static void agg_key(op_window_agg *w, int agg) {
  sl_buf_reset(&w->key2);
  sl_buf_add(&w->key2, w->key.data, w->group_len);
  sl_buf_add(&w->key2, &agg, sizeof agg);
}

/* DISTINCT aggregates see each (group, value) once. Sets *first when this value is new. */
static int distinct_first(op_window_agg *w, window *win, int agg, const sl_col *c, uint32_t row, bool *first) {
  agg_key(w, agg);
  sl_codec_add_value(&w->key2, c, row);
  void *slot;
  const void *k = w->key2.data;
  uint32_t n = (uint32_t)w->key2.len;
  return sl_kstate_upsert(w->distinct, ns_of(win), k, n, sl_state_hash(k, n), &slot, first);
}

/* MIN/MAX of strings: compares with the group's current string and keeps the winner. */
static int minmax_string(op_window_agg *w, window *win, int agg, acc *a, sl_str s, bool is_min) {
  agg_key(w, agg);
  const void *k = w->key2.data;
  uint32_t n = (uint32_t)w->key2.len;
  uint64_t h = sl_state_hash(k, n);
  bool take = a->count == 0;
  if (!take) {
    const void *cur;
    uint32_t len;
    if (sl_kstate_get(w->minmax, ns_of(win), k, n, h, &cur, &len)) return SL_OP_ERROR;
    int cmp = cur ? str_cmp(s.ptr, s.len, cur, len) : -1;
    take = is_min ? cmp < 0 : cmp > 0;
  }
  if (take && sl_kstate_put(w->minmax, ns_of(win), k, n, h, s.ptr, s.len)) return SL_OP_ERROR;
  return SL_OP_OK;
}

static int accumulate(op_window_agg *w, window *win, acc *slot, uint32_t row) {
  /* (slot stays valid: keyed state only moves values at sl_state_backend_trim) */
  for (int i = 0; i < w->naggs; i++) {
    const sl_agg_call *ag = &w->aggs[i];
    acc *a = &slot[i];
    if (ag->kind == SL_AGG_COUNT_STAR) {
      a->count++;
      continue;
    }
    const sl_col *c = &w->arg_cols[i];
    if (sl_col_is_null(c, row)) continue;
    if (ag->distinct) {
      bool first;
      if (distinct_first(w, win, i, c, row, &first)) return SL_OP_ERROR;
      if (!first) continue;
    }
    switch (ag->kind) {
      case SL_AGG_COUNT: a->count++; break;
      case SL_AGG_SUM:
      case SL_AGG_AVG:
        switch (sl_type_phys(c->type)) {
          case SL_PHYS_I64: a->v.i64 = (int64_t)((uint64_t)a->v.i64 + (uint64_t)c->i64[row]); break;
          case SL_PHYS_F64: a->v.f64 += c->f64[row]; break;
          case SL_PHYS_DEC:
            a->v.dec += c->dec[row];
            if (!sl_dec_fits(a->v.dec, SL_DECIMAL_MAX_PRECISION))
              return sl_err_set(w->base.ctx->err, SL_EOVERFLOW, SL_ERR_NOLOC, "numeric overflow in %s", ag->name);
            break;
          default: break;
        }
        a->count++;
        break;
      case SL_AGG_MIN:
      case SL_AGG_MAX: {
        bool is_min = ag->kind == SL_AGG_MIN;
        bool take = a->count == 0;
        switch (sl_type_phys(c->type)) {
          case SL_PHYS_I64:
            if (!take) take = is_min ? c->i64[row] < a->v.i64 : c->i64[row] > a->v.i64;
            if (take) a->v.i64 = c->i64[row];
            break;
          case SL_PHYS_F64:
            if (!take) take = is_min ? c->f64[row] < a->v.f64 : c->f64[row] > a->v.f64;
            if (take) a->v.f64 = c->f64[row];
            break;
          case SL_PHYS_DEC:
            if (!take) take = is_min ? c->dec[row] < a->v.dec : c->dec[row] > a->v.dec;
            if (take) a->v.dec = c->dec[row];
            break;
          case SL_PHYS_STR:
            if (minmax_string(w, win, i, a, c->str[row], is_min)) return SL_OP_ERROR;
            break;
        }
        a->count++;
        break;
      }
    }
  }
  return 0;
}

static int wagg_process(sl_op *op, int port, const sl_batch *b) {
  op_window_agg *w = (op_window_agg *)op;
  sl_eval_ctx ec = {.arena = &w->scratch, .err = op->ctx->err, .sql = op->ctx->sql};
  int n = sl_batch_live(b);
  const uint32_t *sel = b->sel;
  for (int k = 0; k < w->nkeys; k++)
    if (sl_expr_eval(&ec, w->keys[k], b, sel, n, &w->key_cols[k])) goto fail;
  for (int k = 0; k < w->nkeys; k++) w->key_cols[k].type = w->keys[k]->type;
  for (int i = 0; i < w->naggs; i++) {
    if (!w->aggs[i].arg) continue;
    if (sl_expr_eval(&ec, w->aggs[i].arg, b, sel, n, &w->arg_cols[i])) goto fail;
    w->arg_cols[i].type = w->aggs[i].arg->type;
  }
  const sl_col *tc = &b->cols[w->time_col];
  window *win = NULL;
  for (int i = 0; i < n; i++) {
    uint32_t row = sl_batch_row(b, i);
    if (sl_col_is_null(tc, row)) continue; /* sources reject NULL rowtimes; projections cannot make one */
    int64_t ts = tc->i64[row];
    int64_t start = ts - sl_floor_mod(ts, w->size);
    int64_t end = start + w->size;
    if (end - 1000 <= op->watermark) {
      op->ctx->late_rows++;
      continue;
    }
    if (!win || win->start != start) win = find_window(w, start);
    sl_buf_reset(&w->key);
    for (int k = 0; k < w->nkeys; k++) sl_codec_add_value(&w->key, &w->key_cols[k], row);
    uint32_t klen = (uint32_t)w->key.len;
    w->group_len = klen;
    bool created;
    void *slot;
    if (sl_kstate_upsert(w->acc, ns_of(win), w->key.data, klen, sl_state_hash(w->key.data, klen), &slot, &created))
      goto fail;
    if (accumulate(w, win, slot, row)) goto fail;
  }
  sl_arena_reset(&w->scratch);
  return sl_state_backend_trim(op->ctx->state, op->ctx->err) ? SL_OP_ERROR : SL_OP_OK;
fail:
  sl_arena_reset(&w->scratch);
  return SL_OP_ERROR;
}

/* ---- Firing ------------------------------------------------------------------------------- */

/* str: the MIN/MAX string of a string aggregate (from the minmax state). */
static void final_value(op_window_agg *w, int i, const acc *a, sl_str str, sl_batch *out, int col, uint32_t row) {
  const sl_agg_call *ag = &w->aggs[i];
  sl_value v = {0};
  sl_type t = ag->type;
  if (ag->kind == SL_AGG_COUNT || ag->kind == SL_AGG_COUNT_STAR) {
    v.i64 = a->count;
  } else if (a->count == 0) {
    v.is_null = true;
  } else if (ag->kind == SL_AGG_SUM || ag->kind == SL_AGG_MIN || ag->kind == SL_AGG_MAX) {
    switch (sl_type_phys(t)) {
      case SL_PHYS_I64: v.i64 = a->v.i64; break;
      case SL_PHYS_F64: v.f64 = a->v.f64; break;
      case SL_PHYS_DEC: v.dec = a->v.dec; break;
      case SL_PHYS_STR: v.str = str; break;
    }
    if (ag->kind == SL_AGG_SUM && sl_type_phys(t) == SL_PHYS_DEC) {
      int in_scale = ag->arg->type.kind == SL_TYPE_DECIMAL ? ag->arg->type.scale : 0;
      sl_dec_rescale(a->v.dec, in_scale, t.scale, &v.dec);
    }
  } else { /* AVG */
    switch (sl_type_phys(t)) {
      case SL_PHYS_I64: v.i64 = a->v.i64 / a->count; break;
      case SL_PHYS_F64: v.f64 = a->v.f64 / (double)a->count; break;
      case SL_PHYS_DEC: {
        int in_scale = ag->arg->type.kind == SL_TYPE_DECIMAL ? ag->arg->type.scale : 0;
        if (sl_dec_div(a->v.dec, in_scale, (sl_i128)a->count, 0, t.scale, &v.dec)) v.is_null = true;
        break;
      }
      default: break;
    }
  }
  /* Integer results wrap into their SQL type, as Java's int arithmetic does. */
  if (!v.is_null && t.kind == SL_TYPE_INT) v.i64 = (int32_t)v.i64;
  else if (!v.is_null && t.kind == SL_TYPE_SMALLINT) v.i64 = (int16_t)v.i64;
  else if (!v.is_null && t.kind == SL_TYPE_TINYINT) v.i64 = (int8_t)v.i64;
  sl_batch_set(out, col, row, &v);
}

static int flush_out(op_window_agg *w) {
  int rc = SL_OP_OK;
  if (w->out->nrows) rc = sl_op_emit(&w->base, w->out);
  sl_batch_reset(w->out);
  return rc;
}

/* One group of the firing window: an output row. */
static int emit_group(void *arg, const void *key, uint32_t klen, const void *value, uint32_t vlen) {
  op_window_agg *w = arg;
  window *win = w->firing;
  sl_batch *out = w->out;
  if (out->nrows == out->cap && flush_out(w)) return SL_OP_ERROR;
  uint32_t row = (uint32_t)out->nrows++;
  const acc *slot = value;
  const unsigned char *p = key;
  for (int k = 0; k < w->nkeys; k++) {
    sl_value v;
    p = sl_codec_read_value(p, w->keys[k]->type, &v);
    sl_batch_set(out, k, row, &v);
  }
  sl_value ws = {.i64 = win->start}, we = {.i64 = win->end}, wt = {.i64 = win->end - 1000};
  sl_batch_set(out, w->nkeys, row, &ws);
  sl_batch_set(out, w->nkeys + 1, row, &we);
  sl_batch_set(out, w->nkeys + 2, row, &wt);
  for (int i = 0; i < w->naggs; i++) {
    sl_str str = {0};
    if (sl_type_phys(w->aggs[i].type) == SL_PHYS_STR && slot[i].count > 0) {
      sl_buf_reset(&w->key2);
      sl_buf_add(&w->key2, key, klen);
      sl_buf_add(&w->key2, &i, sizeof i);
      const void *cur;
      uint32_t len;
      if (sl_kstate_get(w->minmax, ns_of(win), w->key2.data, (uint32_t)w->key2.len,
                        sl_state_hash(w->key2.data, w->key2.len), &cur, &len))
        return SL_OP_ERROR;
      str.ptr = cur;
      str.len = len;
    }
    final_value(w, i, &slot[i], str, out, w->nkeys + 3 + i, row);
  }
  (void)vlen;
  return SL_OP_OK;
}

static int fire_window(op_window_agg *w, window *win) {
  w->firing = win;
  int rc = sl_kstate_drain(w->acc, ns_of(win), emit_group, w);
  if (!rc && w->minmax) rc = sl_kstate_drop(w->minmax, ns_of(win));
  if (!rc && w->distinct) rc = sl_kstate_drop(w->distinct, ns_of(win));
  return rc ? SL_OP_ERROR : SL_OP_OK;
}

static int fire_until(op_window_agg *w, int64_t wm) {
  int fired = 0, rc = SL_OP_OK;
  while (fired < w->nwins && w->wins[fired].end - 1000 <= wm) {
    rc = fire_window(w, &w->wins[fired]);
    fired++;
    if (rc) break;
  }
  if (!fired) return SL_OP_OK;
  if (!rc) rc = flush_out(w);
  memmove(w->wins, w->wins + fired, sizeof(window) * (size_t)(w->nwins - fired));
  w->nwins -= fired;
  return rc;
}

static int wagg_on_watermark(sl_op *op, int64_t wm) {
  op_window_agg *w = (op_window_agg *)op;
  if (fire_until(w, wm)) return SL_OP_ERROR;
  return sl_op_emit_watermark(op, wm);
}

static int wagg_finish(sl_op *op) {
  /* Bounded input ends with a final watermark, which fires every window. */
  return fire_until((op_window_agg *)op, SL_WATERMARK_MAX);
}

/* Opens the keyed states, named by operator id so that a restore finds them. */
static int wagg_open(sl_op *op) {
  op_window_agg *w = (op_window_agg *)op;
  sl_state_backend *be = op->ctx->state;
  sl_err *err = op->ctx->err;
  char name[64];
  snprintf(name, sizeof name, "%d/acc", op->id);
  if (sl_kstate_open(be, name, (uint32_t)w->slot_size, 0, &w->acc, err)) return SL_OP_ERROR;
  if (w->any_distinct) {
    snprintf(name, sizeof name, "%d/distinct", op->id);
    if (sl_kstate_open(be, name, 1, 0, &w->distinct, err)) return SL_OP_ERROR;
  }
  if (w->any_string_minmax) {
    snprintf(name, sizeof name, "%d/minmax", op->id);
    if (sl_kstate_open(be, name, SL_KSTATE_VAR, 0, &w->minmax, err)) return SL_OP_ERROR;
  }
  return SL_OP_OK;
}

/* Operator state beside the keyed state: the open windows. */
static int wagg_snapshot(sl_op *op, int64_t id, sl_manifest_op *m) {
  op_window_agg *w = (op_window_agg *)op;
  int32_t n = w->nwins;
  sl_buf_add(&m->data, &n, 4);
  for (int i = 0; i < w->nwins; i++) sl_buf_add(&m->data, &w->wins[i].start, 8);
  return SL_OP_OK;
}

static int wagg_restore(sl_op *op, const sl_manifest_op *m) {
  op_window_agg *w = (op_window_agg *)op;
  int32_t n;
  if (m->data.len < 12) goto bad;
  memcpy(&n, m->data.data + 8, 4);
  if (n < 0 || m->data.len != 12 + (size_t)n * 8) goto bad;
  for (int i = 0; i < n; i++) {
    int64_t start;
    memcpy(&start, m->data.data + 12 + (size_t)i * 8, 8);
    find_window(w, start);
  }
  return SL_OP_OK;
bad:
  return sl_err_set(op->ctx->err, SL_ECHECKPOINT, SL_ERR_NOLOC, "checkpoint holds damaged window state for operator %d",
                    op->id);
}

static void wagg_close(sl_op *op) {
  op_window_agg *w = (op_window_agg *)op;
  free(w->wins);
  free(w->key_cols);
  free(w->arg_cols);
  sl_arena_destroy(&w->scratch);
  sl_buf_destroy(&w->key);
  sl_buf_destroy(&w->key2);
  sl_batch_free(w->out);
  free(w);
}

static void wagg_explain(const sl_op *op, sl_buf *out) {
  const op_window_agg *w = (const op_window_agg *)op;
  if (w->nkeys) {
    sl_buf_adds(out, "groupBy=[");
    for (int k = 0; k < w->nkeys; k++) {
      if (k) sl_buf_adds(out, ", ");
      sl_expr_explain(w->keys[k], w->in_names, out);
    }
    sl_buf_adds(out, "], ");
  }
  sl_buf_printf(out, "window=[TUMBLE(%s, ", w->in_names[w->time_col]);
  sl_interval_explain(w->size, out);
  sl_buf_adds(out, ")], select=[");
  for (int k = 0; k < w->nkeys; k++) sl_buf_printf(out, "%s, ", w->out_names[k]);
  sl_buf_adds(out, "window_start, window_end, window_time");
  for (int i = 0; i < w->naggs; i++) {
    const sl_agg_call *ag = &w->aggs[i];
    sl_buf_printf(out, ", %s(%s", ag->name, ag->distinct ? "DISTINCT " : "");
    if (ag->arg) sl_expr_explain(ag->arg, w->in_names, out);
    else sl_buf_adds(out, "*");
    sl_buf_printf(out, ") AS %s", w->out_names[w->nkeys + 3 + i]);
  }
  sl_buf_adds(out, "], state=[keyed by window and group]");
}

static const sl_op_vtable wagg_vt = {
  .name = "WindowAggregate", .open = wagg_open, .process = wagg_process, .on_watermark = wagg_on_watermark,
  .finish = wagg_finish, .close = wagg_close, .explain = wagg_explain, .snapshot = wagg_snapshot,
  .restore = wagg_restore,
};

sl_op *sl_op_window_agg_new(sl_job_ctx *ctx, int time_col, int64_t size, int nkeys, sl_expr **keys, int naggs,
                            const sl_agg_call *aggs, const char *const *in_names, const char *const *out_names) {
  op_window_agg *w = sl_calloc(1, sizeof *w);
  w->base.vt = &wagg_vt;
  w->base.ctx = ctx;
  sl_op_reset_watermark(&w->base, SL_WATERMARK_MIN);
  w->time_col = time_col;
  w->size = size;
  w->nkeys = nkeys;
  w->keys = keys;
  w->naggs = naggs;
  w->aggs = aggs;
  w->in_names = in_names;
  w->out_names = out_names;
  w->slot_size = (size_t)(naggs ? naggs : 1) * ACC_SIZE;
  for (int i = 0; i < naggs; i++) {
    if (aggs[i].distinct) w->any_distinct = true;
    if ((aggs[i].kind == SL_AGG_MIN || aggs[i].kind == SL_AGG_MAX) && sl_type_phys(aggs[i].type) == SL_PHYS_STR)
      w->any_string_minmax = true;
  }
  w->key_cols = sl_calloc((size_t)(nkeys ? nkeys : 1), sizeof(sl_col));
  w->arg_cols = sl_calloc((size_t)(naggs ? naggs : 1), sizeof(sl_col));
  sl_arena_init(&w->scratch, 1 << 16);
  sl_buf_init(&w->key);
  sl_buf_init(&w->key2);
  int nout = nkeys + 3 + naggs;
  sl_type *types = sl_calloc((size_t)nout, sizeof(sl_type));
  for (int k = 0; k < nkeys; k++) types[k] = keys[k]->type;
  for (int i = 0; i < 3; i++) types[nkeys + i] = sl_type_make(SL_TYPE_TIMESTAMP, 3, 0, false);
  for (int i = 0; i < naggs; i++) types[nkeys + 3 + i] = aggs[i].type;
  w->out = sl_batch_new(nout, types, SL_BATCH_DEFAULT_ROWS);
  free(types);
  return &w->base;
}
