/* test_join.c - the join operators on both state backends. Interval join: matches within the
 * bound (bounds included), NULL keys, duplicate keys on both sides, outer rows padded once the
 * watermark passes their bound, state freed by the watermark, the output watermark held back by
 * the bound, a hot key whose matches leave in several batches. Temporal join: the version valid
 * at each row's time. Regular join: the changelog of an outer join as matches come and go. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "../../connectors/conn.h"
#include "../../engine/ops.h"
#include "../../state/manifest.h"
#include "../../state/state.h"

#define SEC INT64_C(1000000)
#define MIN (60 * SEC)

/* ---- A capture operator: renders every row it receives as "+I[...]" ---------------------- */

typedef struct capture {
  sl_op base;
  sl_buf text;      /* rows, one per line, in arrival order */
  int nrows, batches;
  bool count_only;  /* count rows without rendering them */
  int time_col;     /* >= 0: rows whose time there is not after the watermark count as late */
  int late;
} capture;

static int cap_process(sl_op *op, int port, const sl_batch *b) {
  capture *c = (capture *)op;
  (void)port;
  c->batches++;
  for (int i = 0; c->time_col >= 0 && i < sl_batch_live(b); i++) {
    uint32_t row = sl_batch_row(b, i);
    if (!sl_col_is_null(&b->cols[c->time_col], row) && b->cols[c->time_col].i64[row] <= c->base.watermark) c->late++;
  }
  if (c->count_only) {
    c->nrows += sl_batch_live(b);
    return SL_OP_OK;
  }
  for (int i = 0; i < sl_batch_live(b); i++) {
    sl_render_row(b, sl_batch_row(b, i), &c->text);
    sl_buf_addc(&c->text, '\n');
    c->nrows++;
  }
  return SL_OP_OK;
}

static void cap_close(sl_op *op) {
  capture *c = (capture *)op;
  sl_buf_destroy(&c->text);
  free(c);
}

static const sl_op_vtable cap_vt = {.name = "Capture", .process = cap_process, .close = cap_close};

/* ---- Fixture: left (k BIGINT, lt TIMESTAMP(3)), right (k BIGINT, rt TIMESTAMP(3)) --------- */

static sl_err err;
static sl_job_ctx ctx;
static sl_arena arena;
static capture *cap;
static sl_op *op;
static sl_type out_types[4];
static const char *out_names[] = {"k", "lt", "k0", "rt"};

static int64_t fake_now;
static int64_t fake_clock(void *arg) {
  (void)arg;
  return fake_now;
}

static sl_type t_key(void) { return sl_type_make(SL_TYPE_BIGINT, 0, 0, true); }
static sl_type t_ts(void) {
  sl_type t = sl_type_make(SL_TYPE_TIMESTAMP, 3, 0, false);
  t.rowtime = true;
  return t;
}

static void setup_backend(sl_state_kind kind) {
  sl_err_clear(&err);
  memset(&ctx, 0, sizeof ctx);
  ctx.err = &err;
  /* A tiny in-memory layer: rocksdb's rows go through the DB. */
  sl_state_config cfg = {.kind = kind, .front_cache_bytes = 1, .block_cache_bytes = 1 << 20,
                         .write_buffer_bytes = 1 << 20};
  ck_assert_int_eq(sl_state_backend_new(&cfg, &ctx.state, &err), 0);
  fake_now = 1000000;
  sl_state_backend_set_clock(ctx.state, fake_clock, NULL);
  sl_arena_init(&arena, 0);
  cap = sl_calloc(1, sizeof *cap);
  cap->base.vt = &cap_vt;
  cap->base.ctx = &ctx;
  sl_op_reset_watermark(&cap->base, SL_WATERMARK_MIN);
  sl_buf_init(&cap->text);
  cap->time_col = -1;
  op = NULL;
}

static void setup_hashmap(void) { setup_backend(SL_STATE_HASHMAP); }
static void setup_rocksdb(void) { setup_backend(SL_STATE_ROCKSDB); }

static void teardown(void) {
  if (op) op->vt->close(op);
  cap->base.vt->close(&cap->base);
  sl_state_backend_free(ctx.state);
  sl_arena_destroy(&arena);
}

/* The spec of a join on k, output (k, lt, k0, rt). */
static sl_op_join_spec spec_of(bool left_outer, bool right_outer) {
  out_types[0] = out_types[2] = t_key();
  out_types[1] = out_types[3] = t_ts();
  if (right_outer) out_types[0].nullable = out_types[1].nullable = true;
  if (left_outer) out_types[2].nullable = out_types[3].nullable = true;
  sl_expr **lk = sl_arena_alloc(&arena, sizeof(sl_expr *)), **rk = sl_arena_alloc(&arena, sizeof(sl_expr *));
  lk[0] = sl_expr_col(&arena, 0, t_key(), 0);
  rk[0] = sl_expr_col(&arena, 0, t_key(), 0);
  sl_op_join_spec js = {.nl = 2, .nr = 2, .out_types = out_types, .out_names = out_names, .nkeys = 1,
                        .lkeys = lk, .rkeys = rk, .left_outer = left_outer, .right_outer = right_outer,
                        .ltime = 1, .rtime = 1};
  return js;
}

static void start(sl_op *o) {
  op = o;
  op->id = 3;
  op->ninputs = 2;
  static sl_op_edge to_cap;
  to_cap = (sl_op_edge){.op = &cap->base, .port = 0};
  op->outs = &to_cap;
  op->nouts = 1;
  ck_assert_int_eq(op->vt->open(op), SL_OP_OK);
}

/* An interval join on k with lt - rt in [lower, upper]. */
static void make_join(int64_t lower, int64_t upper, bool left_outer, bool right_outer) {
  sl_op_join_spec js = spec_of(left_outer, right_outer);
  js.lower = lower;
  js.upper = upper;
  start(sl_op_interval_join_new(&ctx, &js));
}

#define NOKEY INT64_MIN

/* Rows (key, time) into input port, of the given change kinds (NULL: inserts); NOKEY is a NULL key. */
static void feed_kinds(int port, const int64_t (*rows)[2], int n, const uint8_t *kinds) {
  sl_type types[2] = {t_key(), t_ts()};
  sl_batch *b = sl_batch_new(2, types, n);
  for (int i = 0; i < n; i++) {
    sl_value k = {.is_null = rows[i][0] == NOKEY, .i64 = rows[i][0]};
    sl_value t = {.i64 = rows[i][1]};
    sl_batch_set(b, 0, (uint32_t)i, &k);
    sl_batch_set(b, 1, (uint32_t)i, &t);
  }
  b->nrows = n;
  if (kinds) {
    b->kinds = sl_calloc((size_t)n, 1);
    memcpy(b->kinds, kinds, (size_t)n);
  }
  ck_assert_int_eq(sl_op_deliver(op, port, b), SL_OP_OK);
  sl_batch_free(b);
}

static void feed(int port, const int64_t (*rows)[2], int n) { feed_kinds(port, rows, n, NULL); }

/* The watermark on both inputs. */
static void watermark(int64_t wm) {
  op->in_wm[0] = op->in_wm[1] = wm;
  if (wm <= op->watermark) return;
  op->watermark = wm;
  ck_assert_int_eq(op->vt->on_watermark(op, wm), SL_OP_OK);
}

/* The captured rows, sorted, must equal want (lines sorted the same way). */
static int cmp_line(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

static void expect_rows(const char *const *want, int n) {
  char *text = strdup(cap->text.len ? cap->text.data : "");
  char **lines = calloc((size_t)cap->nrows + 1, sizeof(char *));
  int got = 0;
  for (char *save = NULL, *l = strtok_r(text, "\n", &save); l; l = strtok_r(NULL, "\n", &save)) lines[got++] = l;
  ck_assert_int_eq(got, n);
  qsort(lines, (size_t)got, sizeof(char *), cmp_line);
  const char **sorted = calloc((size_t)n + 1, sizeof(char *));
  memcpy(sorted, want, sizeof(char *) * (size_t)n);
  qsort(sorted, (size_t)n, sizeof(char *), cmp_line);
  for (int i = 0; i < n; i++) ck_assert_str_eq(lines[i], sorted[i]);
  free(sorted);
  free(lines);
  free(text);
}

/* Seconds after 2024-03-01 00:00:00 as a timestamp. */
static int64_t at(int64_t s) { return INT64_C(1709251200000000) + s * SEC; }

/* lt - rt in [-10 s, +5 s], bounds included: equal keys at the edges match, one past does not,
 * whichever side arrives first; NULL keys never match; duplicates multiply. */
START_TEST(inner_matches_within_the_bound) {
  make_join(-10 * SEC, 5 * SEC, false, false);
  const int64_t left[][2] = {{1, at(100)}, {2, at(100)}, {NOKEY, at(100)}, {4, at(100)}, {4, at(101)}};
  feed(0, left, 5);
  const int64_t right[][2] = {
    {1, at(110)},  /* lt - rt = -10: matches */
    {1, at(111)},  /* -11: no */
    {2, at(95)},   /* +5: matches */
    {2, at(94)},   /* +6: no */
    {NOKEY, at(100)}, /* NULL = NULL is not a match */
    {4, at(100)}, {4, at(100)}, /* 2 x 2 matches */
  };
  feed(1, right, 7);
  /* A left row arriving after the right ones still finds them. */
  const int64_t late_left[][2] = {{1, at(105)}};
  feed(0, late_left, 1);
  const char *want[] = {
    "+I[1, 2024-03-01 00:01:40.000, 1, 2024-03-01 00:01:50.000]",
    "+I[2, 2024-03-01 00:01:40.000, 2, 2024-03-01 00:01:35.000]",
    "+I[4, 2024-03-01 00:01:40.000, 4, 2024-03-01 00:01:40.000]",
    "+I[4, 2024-03-01 00:01:40.000, 4, 2024-03-01 00:01:40.000]",
    "+I[4, 2024-03-01 00:01:41.000, 4, 2024-03-01 00:01:40.000]",
    "+I[4, 2024-03-01 00:01:41.000, 4, 2024-03-01 00:01:40.000]",
    "+I[1, 2024-03-01 00:01:45.000, 1, 2024-03-01 00:01:50.000]",
    "+I[1, 2024-03-01 00:01:45.000, 1, 2024-03-01 00:01:51.000]",
  };
  expect_rows(want, 8);
}
END_TEST

/* Outer rows without a match are emitted padded once the watermark passes their bound, and
 * only then; a row that matched is never padded. The output watermark trails by the bound. */
START_TEST(full_outer_pads_rows_when_their_bound_passes) {
  make_join(-10 * SEC, 5 * SEC, true, true);
  const int64_t left[][2] = {{1, at(100)}, {7, at(100)}, {NOKEY, at(100)}};
  feed(0, left, 3);
  const int64_t right[][2] = {{1, at(102)}, {8, at(100)}};
  /* The NULL-keyed left row can never match: padded at once. */
  ck_assert_int_eq(cap->nrows, 1);
  feed(1, right, 2);
  ck_assert_int_eq(cap->nrows, 2);
  /* Left row 7 at 100 can match right rows up to 110, right row 8 at 100 left rows up to 105:
   * at 104 both wait. The output watermark trails by the larger bound, 10 s, plus the width of
   * a time bucket (rows are padded bucket by bucket), so that no padded row comes out late. */
  watermark(at(104));
  ck_assert_int_eq(cap->nrows, 2);
  ck_assert_int_le(cap->base.watermark, at(94));
  ck_assert_int_ge(cap->base.watermark, at(92));
  watermark(at(200));
  const char *want[] = {
    "+I[1, 2024-03-01 00:01:40.000, 1, 2024-03-01 00:01:42.000]",
    "+I[null, 2024-03-01 00:01:40.000, null, null]",
    "+I[7, 2024-03-01 00:01:40.000, null, null]",
    "+I[null, null, 8, 2024-03-01 00:01:40.000]",
  };
  expect_rows(want, 4);
}
END_TEST

/* State lives only as long as a row can still match: after the watermark passes every bound the
 * join holds nothing, and a row arriving too late to match anything is not stored. */
START_TEST(watermark_frees_the_state) {
  make_join(-1 * MIN, 1 * MIN, false, false);
  int64_t rows[200][2];
  for (int i = 0; i < 200; i++) {
    rows[i][0] = i % 10;
    rows[i][1] = at(i);
  }
  feed(0, rows, 200);
  feed(1, rows, 200);
  ck_assert_int_gt(cap->nrows, 0);
  watermark(at(400));
  /* No live buckets remain: the snapshot lists none. */
  sl_manifest_op m = {0};
  sl_buf_init(&m.data);
  int64_t wm = 0;
  sl_buf_add(&m.data, &wm, 8);
  ck_assert_int_eq(op->vt->snapshot(op, 1, &m), SL_OP_OK);
  ck_assert_int_eq((int)m.data.len, 8 + 4 + 4);
  sl_buf_destroy(&m.data);
  int before = cap->nrows;
  const int64_t late[][2] = {{1, at(10)}};
  feed(0, late, 1);
  ck_assert_int_eq(cap->nrows, before);
}
END_TEST

/* Rows padded by an outer join leave when their time bucket expires, later than the row alone
 * would: the output watermark waits for them, so that none is late downstream, however the
 * watermark advances. */
START_TEST(padded_rows_are_never_late) {
  make_join(-15 * MIN, 0, true, false);
  cap->time_col = 1;
  int64_t rows[300][2];
  for (int i = 0; i < 300; i++) {
    rows[i][0] = i;
    rows[i][1] = at(i * 7);
  }
  feed(0, rows, 300);
  for (int64_t s = 0; s < 300 * 7 + 20 * 60; s += 13) watermark(at(s));
  watermark(SL_WATERMARK_MAX);
  ck_assert_int_eq(cap->nrows, 300);
  ck_assert_int_eq(cap->late, 0);
}
END_TEST

/* One key with a thousand rows on each side: every pair in the bound is emitted, in batches
 * of bounded size rather than all at once (full outer: each batch also marks stored rows as
 * matched, rewriting them while the probe goes on). */
START_TEST(hot_key_matches_leave_in_batches) {
  make_join(-1 * MIN, 1 * MIN, true, true);
  enum { N = 1000 };
  cap->count_only = true;
  int64_t (*rows)[2] = calloc(N, sizeof *rows);
  for (int i = 0; i < N; i++) {
    rows[i][0] = 42;
    rows[i][1] = at(1000) + i * 1000; /* all within 1 s */
  }
  feed(0, rows, N);
  feed(1, rows, N);
  free(rows);
  ck_assert_int_eq(cap->nrows, N * N);
  ck_assert_int_ge(cap->batches, N * N / SL_BATCH_DEFAULT_ROWS);
  watermark(SL_WATERMARK_MAX); /* every row matched: nothing comes out padded */
  ck_assert_int_eq(cap->nrows, N * N);
}
END_TEST

/* Versions of key 1 at 10 s, 20 s and 30 s: each left row joins the one valid at its time, the
 * latest at or before it; a row before the first version has none (LEFT: padded); other keys'
 * versions never apply. Results wait for the watermark. */
START_TEST(temporal_join_uses_the_version_at_each_rows_time) {
  sl_op_join_spec js = spec_of(true, false);
  start(sl_op_temporal_join_new(&ctx, &js));
  const int64_t versions[][2] = {{1, at(10)}, {2, at(15)}, {1, at(20)}, {1, at(30)}};
  feed(1, versions, 4);
  const int64_t left[][2] = {{1, at(5)}, {1, at(10)}, {1, at(25)}, {1, at(40)}, {3, at(12)}, {NOKEY, at(12)}};
  feed(0, left, 6);
  ck_assert_int_eq(cap->nrows, 0);
  watermark(at(100));
  const char *want[] = {
    "+I[1, 2024-03-01 00:00:05.000, null, null]",
    "+I[1, 2024-03-01 00:00:10.000, 1, 2024-03-01 00:00:10.000]",
    "+I[1, 2024-03-01 00:00:25.000, 1, 2024-03-01 00:00:20.000]",
    "+I[1, 2024-03-01 00:00:40.000, 1, 2024-03-01 00:00:30.000]",
    "+I[3, 2024-03-01 00:00:12.000, null, null]",
    "+I[null, 2024-03-01 00:00:12.000, null, null]",
  };
  expect_rows(want, 6);
}
END_TEST

/* A LEFT regular join's changelog: a left row without a match is padded; its first match
 * retracts that; a second match adds a row; when the matches are retracted one by one, the last
 * retraction brings the padded row back. */
START_TEST(regular_left_join_changelog) {
  sl_op_join_spec js = spec_of(true, false);
  start(sl_op_regular_join_new(&ctx, &js));
  const int64_t l[][2] = {{1, at(1)}};
  feed(0, l, 1);
  const int64_t r[][2] = {{1, at(2)}, {1, at(3)}};
  feed(1, r, 2);
  const uint8_t del[2] = {SL_ROW_DELETE, SL_ROW_DELETE};
  feed_kinds(1, r, 2, del);
  const char *want[] = {
    "+I[1, 2024-03-01 00:00:01.000, null, null]",
    "-D[1, 2024-03-01 00:00:01.000, null, null]",
    "+I[1, 2024-03-01 00:00:01.000, 1, 2024-03-01 00:00:02.000]",
    "+I[1, 2024-03-01 00:00:01.000, 1, 2024-03-01 00:00:03.000]",
    "-D[1, 2024-03-01 00:00:01.000, 1, 2024-03-01 00:00:02.000]",
    "-D[1, 2024-03-01 00:00:01.000, 1, 2024-03-01 00:00:03.000]",
    "+I[1, 2024-03-01 00:00:01.000, null, null]",
  };
  /* In this order, exactly. */
  ck_assert_int_eq(cap->nrows, 7);
  sl_buf all;
  sl_buf_init(&all);
  for (int i = 0; i < 7; i++) {
    sl_buf_adds(&all, want[i]);
    sl_buf_addc(&all, '\n');
  }
  ck_assert_str_eq(cap->text.data, all.data);
  sl_buf_destroy(&all);
}
END_TEST

/* 'table.exec.state.ttl' bounds a regular join's state: rows not written for that long are gone
 * (processing time) and join nothing more; fresh ones still do. */
START_TEST(regular_join_state_expires_with_ttl) {
  const int64_t hour = INT64_C(3600000000);
  ctx.state_ttl_us = hour;
  sl_op_join_spec js = spec_of(false, false);
  start(sl_op_regular_join_new(&ctx, &js));
  const int64_t old[][2] = {{1, at(1)}, {2, at(2)}};
  feed(0, old, 2);
  fake_now += 2 * hour;
  const int64_t fresh[][2] = {{2, at(3)}};
  feed(0, fresh, 1);
  const int64_t r[][2] = {{1, at(4)}, {2, at(5)}};
  feed(1, r, 2);
  const char *want[] = {"+I[2, 2024-03-01 00:00:03.000, 2, 2024-03-01 00:00:05.000]"};
  expect_rows(want, 1);
}
END_TEST

static Suite *join_suite(void) {
  Suite *s = suite_create("join");
  for (int b = 0; b < 2; b++) {
    TCase *tc = tcase_create(b ? "rocksdb" : "hashmap");
    tcase_add_checked_fixture(tc, b ? setup_rocksdb : setup_hashmap, teardown);
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, inner_matches_within_the_bound);
    tcase_add_test(tc, full_outer_pads_rows_when_their_bound_passes);
    tcase_add_test(tc, watermark_frees_the_state);
    tcase_add_test(tc, padded_rows_are_never_late);
    tcase_add_test(tc, hot_key_matches_leave_in_batches);
    tcase_add_test(tc, temporal_join_uses_the_version_at_each_rows_time);
    tcase_add_test(tc, regular_left_join_changelog);
    tcase_add_test(tc, regular_join_state_expires_with_ttl);
    suite_add_tcase(s, tc);
  }
  return s;
}

int main(void) {
  SRunner *sr = srunner_create(join_suite());
  srunner_run_all(sr, CK_NORMAL);
  int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
