/* test_window.c - the tumbling window operator: window assignment, firing on the watermark, late
 * rows, aggregate results with NULLs, and that close frees whatever is still open. */
#include <check.h>

#include "../../state/state.h"
#include <stdlib.h>
#include <string.h>

#include "../../engine/ops.h"
#include "../../sql/plan.h"

#define SEC 1000000LL
#define MS 1000LL
#define SIZE (10 * SEC)
#define MAXROWS 64
#define MAXCOLS 16

/* ---- A capture operator: the window operator's `next`, copying every row it receives ---- */

typedef struct capture {
  sl_op base;
  sl_arena arena;
  int nrows, ncols;
  sl_value rows[MAXROWS][MAXCOLS];
  int batches;
} capture;

static int cap_process(sl_op *op, int port, const sl_batch *b) {
  capture *c = (capture *)op;
  c->batches++;
  c->ncols = b->ncols;
  for (int i = 0; i < sl_batch_live(b); i++) {
    uint32_t row = sl_batch_row(b, i);
    ck_assert_int_lt(c->nrows, MAXROWS);
    for (int k = 0; k < b->ncols && k < MAXCOLS; k++) {
      sl_value *v = &c->rows[c->nrows][k];
      sl_col_get(&b->cols[k], row, v);
      if (!v->is_null && sl_type_phys(b->cols[k].type) == SL_PHYS_STR)
        v->str.ptr = sl_arena_strndup(&c->arena, v->str.ptr, v->str.len);
    }
    c->nrows++;
  }
  return SL_OP_OK;
}

/* Groups of one window come out in no particular order: tests sort the captured rows by
 * (window_start, key), NULL keys last. */
static bool key_is_str = true;

static int cmp_rows(const void *a, const void *b) {
  const sl_value *x = a, *y = b;
  if (x[1].i64 != y[1].i64) return x[1].i64 < y[1].i64 ? -1 : 1;
  if (x[0].is_null || y[0].is_null) return x[0].is_null - y[0].is_null;
  if (!key_is_str) return (x[0].i64 > y[0].i64) - (x[0].i64 < y[0].i64);
  uint32_t n = x[0].str.len < y[0].str.len ? x[0].str.len : y[0].str.len;
  int c = memcmp(x[0].str.ptr, y[0].str.ptr, n);
  return c ? c : (int)x[0].str.len - (int)y[0].str.len;
}

static void sort_rows(capture *c) { qsort(c->rows, (size_t)c->nrows, sizeof c->rows[0], cmp_rows); }

static void cap_close(sl_op *op) {
  capture *c = (capture *)op;
  sl_arena_destroy(&c->arena);
  free(c);
}

static const sl_op_vtable cap_vt = {.name = "Capture", .process = cap_process, .close = cap_close};

/* ---- Fixture: input (name VARCHAR, ts TIMESTAMP(3) rowtime, amount BIGINT) ---- */

static sl_err err;
static sl_job_ctx ctx;
static sl_arena arena;
static capture *cap;
static sl_op *op;
static sl_agg_call aggs[9];
static const char *in_names[] = {"name", "ts", "amount"};
static const char *out_names[] = {"name", "window_start", "window_end", "window_time", "a0", "a1", "a2",
                                  "a3", "a4", "a5", "a6", "a7", "a8"};

static sl_type t_str(void) { return sl_type_make(SL_TYPE_VARCHAR, SL_VARCHAR_MAX, 0, true); }
static sl_type t_ts(void) {
  sl_type t = sl_type_make(SL_TYPE_TIMESTAMP, 3, 0, false);
  t.rowtime = true;
  return t;
}
static sl_type t_big(bool nullable) { return sl_type_make(SL_TYPE_BIGINT, 0, 0, nullable); }

/* The operator's keyed state: each test runs on both backends (tiny in-memory layer for rocksdb,
 * so that its groups go through RocksDB). */
static void setup_backend(sl_state_kind kind) {
  sl_err_clear(&err);
  memset(&ctx, 0, sizeof ctx);
  ctx.err = &err;
  sl_state_config cfg = {.kind = kind, .front_cache_bytes = 1, .block_cache_bytes = 1 << 20,
                         .write_buffer_bytes = 1 << 20};
  ck_assert_int_eq(sl_state_backend_new(&cfg, &ctx.state, &err), 0);
  sl_arena_init(&arena, 0);
  cap = sl_calloc(1, sizeof *cap);
  cap->base.vt = &cap_vt;
  cap->base.ctx = &ctx;
  sl_op_reset_watermark(&cap->base, SL_WATERMARK_MIN);
  sl_arena_init(&cap->arena, 0);
  op = NULL;
  key_is_str = true;
}

static void setup_hashmap(void) { setup_backend(SL_STATE_HASHMAP); }
static void setup_rocksdb(void) { setup_backend(SL_STATE_ROCKSDB); }

static void teardown(void) {
  if (op) op->vt->close(op);
  cap->base.vt->close(&cap->base);
  sl_state_backend_free(ctx.state);
  sl_arena_destroy(&arena);
}

static sl_agg_call agg(int kind, bool distinct, int argcol, sl_type argt, sl_type result, const char *name) {
  sl_agg_call a = {.kind = kind, .distinct = distinct, .type = result, .name = name};
  if (argcol >= 0) a.arg = sl_expr_col(&arena, argcol, argt, 0);
  return a;
}

/* The operator keyed by name with the given aggregates. */
static void make_op(int naggs) {
  sl_expr **keys = sl_arena_alloc(&arena, sizeof(sl_expr *));
  keys[0] = sl_expr_col(&arena, 0, t_str(), 0);
  op = sl_op_window_agg_new(&ctx, 1, SIZE, 1, keys, naggs, aggs, in_names, out_names);
  static sl_op_edge to_cap;
  to_cap = (sl_op_edge){.op = &cap->base, .port = 0};
  op->outs = &to_cap;
  op->nouts = 1;
  ck_assert_int_eq(op->vt->open(op), SL_OP_OK);
}

typedef struct in_row {
  const char *name; /* NULL = NULL */
  int64_t ts;
  bool amount_null;
  int64_t amount;
} in_row;

static void feed(const in_row *rows, int n) {
  sl_type types[3] = {t_str(), t_ts(), t_big(true)};
  sl_batch *b = sl_batch_new(3, types, n);
  for (int i = 0; i < n; i++) {
    sl_value v = {.is_null = rows[i].name == NULL};
    if (rows[i].name) v.str = (sl_str){rows[i].name, (uint32_t)strlen(rows[i].name)};
    sl_batch_set(b, 0, (uint32_t)i, &v);
    sl_value t = {.i64 = rows[i].ts};
    sl_batch_set(b, 1, (uint32_t)i, &t);
    sl_value a = {.is_null = rows[i].amount_null, .i64 = rows[i].amount};
    sl_batch_set(b, 2, (uint32_t)i, &a);
  }
  b->nrows = n;
  ck_assert_int_eq(op->vt->process(op, 0, b), SL_OP_OK);
  sl_batch_free(b);
}

/* Delivers a watermark the way sl_op_emit_watermark does. */
static void watermark(int64_t wm) {
  if (wm <= op->watermark) return;
  op->watermark = wm;
  ck_assert_int_eq(op->vt->on_watermark(op, wm), SL_OP_OK);
}

static void count_star_only(void) {
  aggs[0] = agg(SL_AGG_COUNT_STAR, false, -1, t_big(false), t_big(false), "COUNT");
  make_op(1);
}

static void assert_str(const sl_value *v, const char *s) {
  ck_assert(!v->is_null);
  ck_assert_uint_eq(v->str.len, strlen(s));
  ck_assert(memcmp(v->str.ptr, s, v->str.len) == 0);
}

static void assert_i64(const sl_value *v, int64_t x) {
  ck_assert(!v->is_null);
  ck_assert_int_eq(v->i64, x);
}

/* ---- Tests ---- */

START_TEST(rows_go_to_floor_windows_including_before_1970_and_on_boundaries) {
  count_star_only();
  in_row rows[] = {
    {"k", -1 * MS, false, 0},        /* 1969-12-31 23:59:59.999 -> [-10s, 0) */
    {"k", -SIZE, false, 0},          /* exactly -10s -> [-10s, 0) */
    {"k", -SIZE - MS, false, 0},     /* -> [-20s, -10s) */
    {"k", 0, false, 0},              /* -> [0, 10s) */
    {"k", SIZE - MS, false, 0},      /* last ms of [0, 10s) */
    {"k", SIZE, false, 0},           /* ts = end goes to the next window */
  };
  feed(rows, 6);
  ck_assert_int_eq(cap->nrows, 0);
  sort_rows(cap);
  ck_assert_int_eq(op->vt->finish(op), SL_OP_OK);
  ck_assert_int_eq(cap->nrows, 4);
  sort_rows(cap);
  ck_assert_int_eq(cap->ncols, 5);
  int64_t starts[] = {-2 * SIZE, -SIZE, 0, SIZE};
  int64_t counts[] = {1, 2, 2, 1};
  for (int r = 0; r < 4; r++) {
    assert_str(&cap->rows[r][0], "k");
    assert_i64(&cap->rows[r][1], starts[r]);
    assert_i64(&cap->rows[r][2], starts[r] + SIZE);
    assert_i64(&cap->rows[r][3], starts[r] + SIZE - MS);
    assert_i64(&cap->rows[r][4], counts[r]);
  }
  ck_assert_int_eq(ctx.late_rows, 0);
}
END_TEST

START_TEST(window_fires_only_when_watermark_reaches_end_minus_1ms) {
  count_star_only();
  in_row rows[] = {{"a", 1 * SEC, false, 0}, {"b", 2 * SEC, false, 0}, {"a", 12 * SEC, false, 0}};
  feed(rows, 3);
  watermark(SIZE - MS - 1);
  ck_assert_int_eq(cap->nrows, 0);
  sort_rows(cap);
  watermark(SIZE - MS);
  ck_assert_int_eq(cap->nrows, 2);
  sort_rows(cap);
  ck_assert_int_eq(cap->batches, 1);
  assert_str(&cap->rows[0][0], "a"); 
  assert_i64(&cap->rows[0][4], 1);
  assert_str(&cap->rows[1][0], "b");
  assert_i64(&cap->rows[1][1], 0);
  /* The watermark travels on to the next operator. */
  ck_assert_int_eq(cap->base.watermark, SIZE - MS);
  /* Further watermarks inside the second window fire nothing. */
  watermark(15 * SEC);
  ck_assert_int_eq(cap->nrows, 2);
  sort_rows(cap);
  ck_assert_int_eq(op->vt->finish(op), SL_OP_OK);
  ck_assert_int_eq(cap->nrows, 3);
  sort_rows(cap);
  assert_i64(&cap->rows[2][1], SIZE);
}
END_TEST

START_TEST(late_rows_are_counted_and_dropped) {
  count_star_only();
  in_row first[] = {{"a", 1 * SEC, false, 0}};
  feed(first, 1);
  watermark(SIZE - MS);
  ck_assert_int_eq(cap->nrows, 1);
  sort_rows(cap);
  /* Window [0, 10s) has fired: its rows are late; [10s, 20s) is still open. */
  in_row more[] = {{"a", 5 * SEC, false, 0}, {"a", SIZE - MS, false, 0}, {"a", SIZE, false, 0},
                   {"z", -3 * SEC, false, 0}};
  feed(more, 4);
  ck_assert_int_eq(ctx.late_rows, 3);
  ck_assert_int_eq(op->vt->finish(op), SL_OP_OK);
  ck_assert_int_eq(cap->nrows, 2);
  sort_rows(cap);
  assert_i64(&cap->rows[1][1], SIZE);
  assert_i64(&cap->rows[1][4], 1);
}
END_TEST

START_TEST(aggregates_with_null_inputs_and_null_keys) {
  sl_type b = t_big(true), bn = t_big(false);
  aggs[0] = agg(SL_AGG_COUNT_STAR, false, -1, b, bn, "COUNT");
  aggs[1] = agg(SL_AGG_COUNT, false, 2, b, bn, "COUNT");
  aggs[2] = agg(SL_AGG_SUM, false, 2, b, b, "SUM");
  aggs[3] = agg(SL_AGG_MIN, false, 2, b, b, "MIN");
  aggs[4] = agg(SL_AGG_MAX, false, 2, b, b, "MAX");
  aggs[5] = agg(SL_AGG_AVG, false, 2, b, b, "AVG");
  aggs[6] = agg(SL_AGG_COUNT, true, 2, b, bn, "COUNT");
  aggs[7] = agg(SL_AGG_MIN, false, 0, t_str(), t_str(), "MIN");
  aggs[8] = agg(SL_AGG_MAX, false, 0, t_str(), t_str(), "MAX");
  make_op(9);
  in_row rows[] = {
    {"a", 1 * SEC, false, 5}, {"bb", 1 * SEC, true, 0}, {"a", 2 * SEC, true, 0}, {"a", 3 * SEC, false, 3},
    {NULL, 3 * SEC, false, -7}, {"a", 4 * SEC, false, 5}, {"a", 5 * SEC, false, 10},
  };
  feed(rows, 7);
  ck_assert_int_eq(op->vt->finish(op), SL_OP_OK);
  ck_assert_int_eq(cap->nrows, 3);
  sort_rows(cap);
  ck_assert_int_eq(cap->ncols, 13);
  /* a: amounts 5, NULL, 3, 5, 10 */
  sl_value *r = cap->rows[0];
  assert_str(&r[0], "a");
  assert_i64(&r[4], 5);
  assert_i64(&r[5], 4);
  assert_i64(&r[6], 23);
  assert_i64(&r[7], 3);
  assert_i64(&r[8], 10);
  assert_i64(&r[9], 5); /* BIGINT AVG truncates: 23 / 4 */
  assert_i64(&r[10], 3);
  assert_str(&r[11], "a");
  assert_str(&r[12], "a");
  /* bb: only a NULL amount: counts are 0, the rest NULL */
  r = cap->rows[1];
  assert_str(&r[0], "bb");
  assert_i64(&r[4], 1);
  assert_i64(&r[5], 0);
  for (int k = 6; k <= 9; k++) ck_assert(r[k].is_null);
  assert_i64(&r[10], 0);
  assert_str(&r[11], "bb");
  /* NULL key is a group of its own; MIN/MAX of the NULL name are NULL */
  r = cap->rows[2];
  ck_assert(r[0].is_null);
  assert_i64(&r[4], 1);
  assert_i64(&r[6], -7);
  assert_i64(&r[9], -7);
  ck_assert(r[11].is_null);
  ck_assert(r[12].is_null);
}
END_TEST

START_TEST(min_max_of_strings_across_batches) {
  aggs[0] = agg(SL_AGG_MIN, false, 0, t_str(), t_str(), "MIN");
  aggs[1] = agg(SL_AGG_MAX, false, 0, t_str(), t_str(), "MAX");
  sl_expr **keys = sl_arena_alloc(&arena, sizeof(sl_expr *));
  keys[0] = sl_expr_col(&arena, 2, t_big(true), 0);
  key_is_str = false;
  op = sl_op_window_agg_new(&ctx, 1, SIZE, 1, keys, 2, aggs, in_names, out_names);
  static sl_op_edge to_cap;
  to_cap = (sl_op_edge){.op = &cap->base, .port = 0};
  op->outs = &to_cap;
  op->nouts = 1;
  ck_assert_int_eq(op->vt->open(op), SL_OP_OK);
  in_row r1[] = {{"pear", 1 * SEC, false, 1}, {"apple", 2 * SEC, false, 1}};
  in_row r2[] = {{"zebra", 3 * SEC, false, 1}, {"applesauce", 4 * SEC, false, 1}, {"", 4 * SEC, false, 2}};
  feed(r1, 2);
  feed(r2, 3);
  ck_assert_int_eq(op->vt->finish(op), SL_OP_OK);
  ck_assert_int_eq(cap->nrows, 2);
  sort_rows(cap);
  assert_i64(&cap->rows[0][0], 1);
  assert_str(&cap->rows[0][4], "apple");
  assert_str(&cap->rows[0][5], "zebra");
  assert_str(&cap->rows[1][4], "");
  assert_str(&cap->rows[1][5], "");
}
END_TEST

START_TEST(close_frees_open_windows_with_string_and_distinct_state) {
  aggs[0] = agg(SL_AGG_MIN, false, 0, t_str(), t_str(), "MIN");
  aggs[1] = agg(SL_AGG_COUNT, true, 2, t_big(true), t_big(false), "COUNT");
  make_op(2);
  for (int w = 0; w < 20; w++) {
    in_row rows[] = {{"x", w * SIZE + 1, false, w}, {"y", w * SIZE + 2, false, w}, {"x", -w * SIZE, false, 1}};
    feed(rows, 3);
  }
  watermark(5 * SIZE - MS);
  ck_assert_int_gt(cap->nrows, 0);
  /* teardown closes the operator with windows still open; ASan reports any leak. */
}
END_TEST

int main(void) {
  Suite *s = suite_create("window");
  for (int i = 0; i < 2; i++) {
    TCase *tc = tcase_create(i ? "tumble on rocksdb" : "tumble on hashmap");
    tcase_add_checked_fixture(tc, i ? setup_rocksdb : setup_hashmap, teardown);
    tcase_add_test(tc, rows_go_to_floor_windows_including_before_1970_and_on_boundaries);
    tcase_add_test(tc, window_fires_only_when_watermark_reaches_end_minus_1ms);
    tcase_add_test(tc, late_rows_are_counted_and_dropped);
    tcase_add_test(tc, aggregates_with_null_inputs_and_null_keys);
    tcase_add_test(tc, min_max_of_strings_across_batches);
    tcase_add_test(tc, close_frees_open_windows_with_string_and_distinct_state);
    suite_add_tcase(s, tc);
  }
  SRunner *sr = srunner_create(s);
  srunner_run_all(sr, CK_NORMAL);
  int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
