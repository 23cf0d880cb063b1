/* join_util.c - pieces shared by the join operators (see join_util.h). */
#include "join_util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../state/state.h"
#include "rowcodec.h"

int sl_time_list_find(const sl_time_list *l, int64_t x) {
  int lo = 0, hi = l->n;
  while (lo < hi) {
    int mid = (lo + hi) / 2;
    if (l->v[mid] < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

void sl_time_list_add(sl_time_list *l, int64_t x) {
  int i = sl_time_list_find(l, x);
  if (i < l->n && l->v[i] == x) return;
  if (l->n == l->cap) {
    l->cap = l->cap ? l->cap * 2 : 16;
    l->v = sl_realloc(l->v, sizeof(int64_t) * (size_t)l->cap);
  }
  memmove(&l->v[i + 1], &l->v[i], sizeof(int64_t) * (size_t)(l->n - i));
  l->v[i] = x;
  l->n++;
}

void sl_time_list_drop_front(sl_time_list *l, int k) {
  if (k <= 0) return;
  memmove(l->v, l->v + k, sizeof(int64_t) * (size_t)(l->n - k));
  l->n -= k;
}

void sl_time_list_save(const sl_time_list *l, sl_buf *b) {
  int32_t n = l->n;
  sl_buf_add(b, &n, 4);
  if (n) sl_buf_add(b, l->v, sizeof(int64_t) * (size_t)n);
}

bool sl_time_list_load(sl_time_list *l, const sl_buf *data, size_t *at) {
  int32_t n;
  if (data->len < *at + 4) return false;
  memcpy(&n, data->data + *at, 4);
  *at += 4;
  if (n < 0 || data->len < *at + (size_t)n * 8) return false;
  for (int i = 0; i < n; i++) {
    int64_t x;
    memcpy(&x, data->data + *at, 8);
    *at += 8;
    sl_time_list_add(l, x);
  }
  return true;
}

void sl_time_list_free(sl_time_list *l) {
  free(l->v);
  *l = (sl_time_list){0};
}

bool sl_join_key(sl_buf *key, const sl_col *cols, int nkeys, uint32_t row) {
  sl_buf_reset(key);
  for (int k = 0; k < nkeys; k++) {
    if (sl_col_is_null(&cols[k], row)) return false;
    sl_codec_add_value(key, &cols[k], row);
  }
  return true;
}

int sl_join_open_side(sl_op *op, int p, uint32_t count_size, int64_t ttl_us, sl_kstate **count, sl_kstate **rows) {
  char name[64];
  snprintf(name, sizeof name, "%d/%s", op->id, p ? "rcount" : "lcount");
  if (sl_kstate_open(op->ctx->state, name, count_size, ttl_us, count, op->ctx->err)) return SL_OP_ERROR;
  snprintf(name, sizeof name, "%d/%s", op->id, p ? "rrows" : "lrows");
  if (sl_kstate_open(op->ctx->state, name, SL_KSTATE_VAR, ttl_us, rows, op->ctx->err)) return SL_OP_ERROR;
  return SL_OP_OK;
}

void sl_join_explain_head(sl_buf *out, bool left_outer, bool right_outer, int nkeys, sl_expr *const *lkeys,
                          sl_expr *const *rkeys, const char *const *names, int nl) {
  static const char *const types[4] = {"InnerJoin", "LeftOuterJoin", "RightOuterJoin", "FullOuterJoin"};
  sl_buf_printf(out, "joinType=[%s], where=[", types[(left_outer ? 1 : 0) + (right_outer ? 2 : 0)]);
  for (int k = 0; k < nkeys; k++) {
    if (k) sl_buf_adds(out, " AND ");
    sl_expr_explain(lkeys[k], names, out);
    sl_buf_adds(out, " = ");
    sl_expr_explain(rkeys[k], names + nl, out);
  }
}
