/* test_expr.c - evaluation and filtering of bound expressions over hand-built batches. */
#include <check.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../engine/decimal.h"
#include "../../engine/expr.h"
#include "../../sql/ast.h"

/* ==== Fixture ============================================================================= */

static sl_arena qa;   /* query arena: nodes and constants */
static sl_arena sa;   /* scratch arena: evaluation vectors */
static sl_err err;
static sl_eval_ctx ctx;
static sl_batch *bt;

enum { C_I, C_BIG, C_STR, C_AMT, C_DBL, C_B1, C_B2, C_TS, C_ZERO, NCOLS };
#define NROWS 5

static sl_type ty(sl_type_kind k) { return sl_type_make(k, 0, 0, true); }
static sl_type tyv(sl_type_kind k, int p, int s) { return sl_type_make(k, p, s, true); }

static sl_i128 dec(const char *s, int scale) {
  sl_i128 v = 0;
  ck_assert_int_eq(sl_dec_parse(s, strlen(s), 38, scale, &v), 0);
  return v;
}

static void set_i(int c, int r, int64_t v) { sl_value x = {.i64 = v}; sl_batch_set(bt, c, (uint32_t)r, &x); }
static void set_null(int c, int r) { sl_value x = {.is_null = true}; sl_batch_set(bt, c, (uint32_t)r, &x); }
static void set_s(int c, int r, const char *s) {
  sl_value x = {0};
  x.str.ptr = s;
  x.str.len = (uint32_t)strlen(s);
  sl_batch_set(bt, c, (uint32_t)r, &x);
}
static void set_d(int c, int r, const char *s) { sl_value x = {0}; x.dec = dec(s, 2); sl_batch_set(bt, c, (uint32_t)r, &x); }
static void set_f(int c, int r, double d) { sl_value x = {0}; x.f64 = d; sl_batch_set(bt, c, (uint32_t)r, &x); }

/* Rows:      0        1        2       3        4
 * i        1        2        NULL    4        5
 * big      10       -20      30      NULL     9e18
 * str      'CA'     'US'     NULL    'CA'     'MX'
 * amt      100.00   250.50   99.99   NULL     1000.00
 * dbl      1.5      -2.25    NULL    0.0      1e300
 * b1       TRUE     FALSE    NULL    TRUE     FALSE
 * b2       TRUE     NULL     NULL    FALSE    TRUE
 * ts       2024-03-01 08:00:01.326 ... one day apart
 * zero     0        1        0       2        0 */
static void setup(void) {
  sl_arena_init(&qa, 4096);
  sl_arena_init(&sa, 4096);
  sl_err_clear(&err);
  ctx.arena = &sa;
  ctx.err = &err;
  ctx.sql = NULL;
  sl_type types[NCOLS] = {ty(SL_TYPE_INT), ty(SL_TYPE_BIGINT), tyv(SL_TYPE_VARCHAR, SL_VARCHAR_MAX, 0),
                          tyv(SL_TYPE_DECIMAL, 10, 2), ty(SL_TYPE_DOUBLE), ty(SL_TYPE_BOOLEAN),
                          ty(SL_TYPE_BOOLEAN), tyv(SL_TYPE_TIMESTAMP, 3, 0), ty(SL_TYPE_INT)};
  bt = sl_batch_new(NCOLS, types, 8);
  bt->nrows = NROWS;
  set_i(C_I, 0, 1); set_i(C_I, 1, 2); set_null(C_I, 2); set_i(C_I, 3, 4); set_i(C_I, 4, 5);
  set_i(C_BIG, 0, 10); set_i(C_BIG, 1, -20); set_i(C_BIG, 2, 30); set_null(C_BIG, 3);
  set_i(C_BIG, 4, INT64_C(9000000000000000000));
  set_s(C_STR, 0, "CA"); set_s(C_STR, 1, "US"); set_null(C_STR, 2); set_s(C_STR, 3, "CA"); set_s(C_STR, 4, "MX");
  set_d(C_AMT, 0, "100.00"); set_d(C_AMT, 1, "250.50"); set_d(C_AMT, 2, "99.99"); set_null(C_AMT, 3);
  set_d(C_AMT, 4, "1000.00");
  set_f(C_DBL, 0, 1.5); set_f(C_DBL, 1, -2.25); set_null(C_DBL, 2); set_f(C_DBL, 3, 0.0); set_f(C_DBL, 4, 1e300);
  set_i(C_B1, 0, 1); set_i(C_B1, 1, 0); set_null(C_B1, 2); set_i(C_B1, 3, 1); set_i(C_B1, 4, 0);
  set_i(C_B2, 0, 1); set_null(C_B2, 1); set_null(C_B2, 2); set_i(C_B2, 3, 0); set_i(C_B2, 4, 1);
  int64_t ts0 = INT64_C(1709280001326000); /* 2024-03-01 08:00:01.326 */
  for (int r = 0; r < NROWS; r++) set_i(C_TS, r, ts0 + r * INT64_C(86400000000));
  set_i(C_ZERO, 0, 0); set_i(C_ZERO, 1, 1); set_i(C_ZERO, 2, 0); set_i(C_ZERO, 3, 2); set_i(C_ZERO, 4, 0);
}

static void teardown(void) {
  sl_batch_free(bt);
  sl_arena_destroy(&qa);
  sl_arena_destroy(&sa);
}

/* ==== Builders ============================================================================ */

static sl_expr *col(int c) { return sl_expr_col(&qa, c, bt->cols[c].type, 100 + c); }

static sl_expr *cint(int64_t v) {
  sl_value x = {.i64 = v};
  return sl_expr_const(&qa, sl_type_make(SL_TYPE_INT, 0, 0, false), &x, 7);
}
static sl_expr *cbig(int64_t v) {
  sl_value x = {.i64 = v};
  return sl_expr_const(&qa, sl_type_make(SL_TYPE_BIGINT, 0, 0, false), &x, 7);
}
static sl_expr *cbool(bool b) {
  sl_value x = {.i64 = b};
  return sl_expr_const(&qa, sl_type_make(SL_TYPE_BOOLEAN, 0, 0, false), &x, 7);
}
static sl_expr *cstr(const char *s) {
  sl_value x = {0};
  x.str.ptr = s;
  x.str.len = (uint32_t)strlen(s);
  return sl_expr_const(&qa, sl_type_make(SL_TYPE_CHAR, (int)strlen(s) ? (int)strlen(s) : 1, 0, false), &x, 7);
}
static sl_expr *cdec(const char *s, int p, int sc) {
  sl_value x = {0};
  x.dec = dec(s, sc);
  return sl_expr_const(&qa, sl_type_make(SL_TYPE_DECIMAL, p, sc, false), &x, 7);
}
static sl_expr *cdbl(double d) {
  sl_value x = {0};
  x.f64 = d;
  return sl_expr_const(&qa, sl_type_make(SL_TYPE_DOUBLE, 0, 0, false), &x, 7);
}
static sl_expr *cnull(void) {
  sl_value x = {.is_null = true};
  return sl_expr_const(&qa, sl_type_make(SL_TYPE_NULL, 0, 0, true), &x, 7);
}

static sl_expr *fn(const char *name, int64_t loc, int n, ...) {
  sl_expr *args[4];
  va_list ap;
  va_start(ap, n);
  for (int i = 0; i < n; i++) args[i] = va_arg(ap, sl_expr *);
  va_end(ap);
  sl_expr *out = NULL;
  int rc = sl_func_bind(&qa, name, loc, n, args, &out, &err);
  ck_assert_msg(rc == 0, "bind %s: %s", name, err.msg);
  return out;
}
#define F1(name, a) fn(name, 50, 1, a)
#define F2(name, a, b) fn(name, 50, 2, a, b)

static sl_expr *node(sl_expr_kind k, int n, ...) {
  sl_expr *e = sl_expr_new(&qa, k, sl_type_make(SL_TYPE_BOOLEAN, 0, 0, true), n, 60);
  va_list ap;
  va_start(ap, n);
  for (int i = 0; i < n; i++) e->args[i] = va_arg(ap, sl_expr *);
  va_end(ap);
  return e;
}

static sl_expr *cast(sl_expr *e, sl_type t) {
  sl_expr *out = NULL;
  int rc = sl_expr_cast(&qa, e, t, true, 70, &out, &err);
  ck_assert_msg(rc == 0, "cast: %s", err.msg);
  return out;
}

static sl_col run(const sl_expr *e) {
  sl_col c;
  int rc = sl_expr_eval(&ctx, e, bt, NULL, NROWS, &c);
  ck_assert_msg(rc == 0, "eval: %s", err.msg);
  return c;
}

static bool isnull(const sl_col *c, int r) { return c->nulls && c->nulls[r]; }

/* Truth values per row as a string: T, F or N. */
static const char *truths(const sl_col *c) {
  static char buf[NROWS + 1];
  for (int r = 0; r < NROWS; r++) buf[r] = isnull(c, r) ? 'N' : c->i64[r] ? 'T' : 'F';
  buf[NROWS] = 0;
  return buf;
}

static const char *filter_rows(const sl_expr *e) {
  static char buf[64];
  uint32_t sel[NROWS];
  int n = -1;
  int rc = sl_expr_filter(&ctx, e, bt, NULL, NROWS, sel, &n);
  ck_assert_msg(rc == 0, "filter: %s", err.msg);
  buf[0] = 0;
  for (int i = 0; i < n; i++) sprintf(buf + strlen(buf), "%u", sel[i]);
  return buf;
}

static char *str_at(const sl_col *c, int r) {
  static char buf[256];
  snprintf(buf, sizeof buf, "%.*s", (int)c->str[r].len, c->str[r].ptr);
  return buf;
}

/* ==== Columns and constants =============================================================== */

START_TEST(test_expr_col_aliases_batch_column) {
  sl_col c = run(col(C_I));
  ck_assert_ptr_eq(c.i64, bt->cols[C_I].i64);
  ck_assert_ptr_eq(c.nulls, bt->cols[C_I].nulls);
}
END_TEST

START_TEST(test_expr_const_broadcasts_to_selected_rows) {
  uint32_t sel[2] = {1, 4};
  sl_col c;
  ck_assert_int_eq(sl_expr_eval(&ctx, cstr("hi"), bt, sel, 2, &c), 0);
  ck_assert_str_eq(str_at(&c, 1), "hi");
  ck_assert_str_eq(str_at(&c, 4), "hi");
  ck_assert_int_eq(sl_expr_eval(&ctx, cnull(), bt, sel, 2, &c), 0);
  ck_assert(isnull(&c, 1) && isnull(&c, 4));
}
END_TEST

START_TEST(test_expr_eval_const_folds_expression) {
  sl_value v;
  ck_assert_int_eq(sl_expr_eval_const(&ctx, F2("*", F2("+", cint(2), cint(3)), cint(7)), &v), 0);
  ck_assert(!v.is_null);
  ck_assert_int_eq(v.i64, 35);
  ck_assert_int_eq(sl_expr_eval_const(&ctx, F2("+", cint(2), cnull()), &v), 0);
  ck_assert(v.is_null);
  ck_assert(sl_expr_is_const(F2("+", cint(2), cint(3))));
  ck_assert(!sl_expr_is_const(F2("+", col(C_I), cint(3))));
}
END_TEST

/* ==== Arithmetic ========================================================================== */

START_TEST(test_expr_int_arith_propagates_null) {
  sl_col c = run(F2("+", col(C_I), cint(10)));
  ck_assert_int_eq(c.type.kind, SL_TYPE_INT);
  ck_assert_int_eq(c.i64[0], 11);
  ck_assert_int_eq(c.i64[4], 15);
  ck_assert(isnull(&c, 2));
  ck_assert(!isnull(&c, 0));
}
END_TEST

START_TEST(test_expr_int_overflow_wraps_like_java) {
  sl_value v;
  ck_assert_int_eq(sl_expr_eval_const(&ctx, F2("+", cint(INT32_MAX), cint(1)), &v), 0);
  ck_assert_int_eq(v.i64, INT32_MIN);
  ck_assert_int_eq(sl_expr_eval_const(&ctx, F2("*", cint(65536), cint(65536)), &v), 0);
  ck_assert_int_eq(v.i64, 0);
  ck_assert_int_eq(sl_expr_eval_const(&ctx, F2("+", cbig(INT64_MAX), cint(1)), &v), 0);
  ck_assert_int_eq(v.i64, INT64_MIN);
  ck_assert_int_eq(sl_expr_eval_const(&ctx, F2("/", cint(INT32_MIN), cint(-1)), &v), 0);
  ck_assert_int_eq(v.i64, INT32_MIN);
  ck_assert_int_eq(sl_expr_eval_const(&ctx, F2("/", cbig(INT64_MIN), cint(-1)), &v), 0);
  ck_assert_int_eq(v.i64, INT64_MIN);
  ck_assert_int_eq(sl_expr_eval_const(&ctx, F2("%", cbig(INT64_MIN), cint(-1)), &v), 0);
  ck_assert_int_eq(v.i64, 0);
}
END_TEST

START_TEST(test_expr_int_division_truncates_toward_zero) {
  sl_value v;
  ck_assert_int_eq(sl_expr_eval_const(&ctx, F2("/", cint(7), cint(2)), &v), 0);
  ck_assert_int_eq(v.i64, 3);
  ck_assert_int_eq(sl_expr_eval_const(&ctx, F2("/", cint(-7), cint(2)), &v), 0);
  ck_assert_int_eq(v.i64, -3);
  ck_assert_int_eq(sl_expr_eval_const(&ctx, F2("%", cint(-7), cint(2)), &v), 0);
  ck_assert_int_eq(v.i64, -1);
  ck_assert_int_eq(sl_expr_eval_const(&ctx, F2("MOD", cint(7), cint(-3)), &v), 0);
  ck_assert_int_eq(v.i64, 1);
}
END_TEST

START_TEST(test_expr_int_division_by_zero_raises_at_loc) {
  sl_expr *e = fn("/", 42, 2, col(C_I), col(C_ZERO));
  sl_col c;
  ck_assert_int_eq(sl_expr_eval(&ctx, e, bt, NULL, NROWS, &c), SL_ERUNTIME);
  ck_assert_str_eq(err.msg, "division by zero");
  ck_assert_int_eq(err.loc, 42);
}
END_TEST

START_TEST(test_expr_division_by_zero_skipped_on_null_and_unselected_rows) {
  /* row 2 divides NULL by zero: NULL, no error; rows 0 and 4 are not selected */
  uint32_t sel[2] = {1, 3};
  sl_col c;
  ck_assert_int_eq(sl_expr_eval(&ctx, F2("/", col(C_I), col(C_ZERO)), bt, sel, 2, &c), 0);
  ck_assert_int_eq(c.i64[1], 2);
  ck_assert_int_eq(c.i64[3], 2);
  uint32_t sel2[1] = {2};
  ck_assert_int_eq(sl_expr_eval(&ctx, F2("/", col(C_I), col(C_ZERO)), bt, sel2, 1, &c), 0);
  ck_assert(isnull(&c, 2));
}
END_TEST

START_TEST(test_expr_decimal_arith_uses_flink_scale) {
  sl_col c = run(F2("+", col(C_AMT), cint(1)));
  ck_assert_int_eq(c.type.kind, SL_TYPE_DECIMAL);
  ck_assert_int_eq(c.type.precision, 13);
  ck_assert_int_eq(c.type.scale, 2);
  ck_assert(c.dec[0] == dec("101.00", 2));
  ck_assert(isnull(&c, 3));
  c = run(F2("*", col(C_AMT), cdec("1.5", 2, 1)));
  ck_assert_int_eq(c.type.scale, 3);
  ck_assert(c.dec[1] == dec("375.750", 3));
  c = run(F2("/", col(C_AMT), cint(3)));
  ck_assert_int_eq(c.type.scale, 13); /* max(6, 2 + 10 + 1) */
  ck_assert(c.dec[0] == dec("33.3333333333333", 13));
}
END_TEST

START_TEST(test_expr_decimal_division_by_zero_raises) {
  sl_expr *e = fn("/", 9, 2, col(C_AMT), col(C_ZERO));
  sl_col c;
  ck_assert_int_eq(sl_expr_eval(&ctx, e, bt, NULL, NROWS, &c), SL_ERUNTIME);
  ck_assert_str_eq(err.msg, "division by zero");
  ck_assert_int_eq(err.loc, 9);
}
END_TEST

START_TEST(test_expr_double_arith_and_ieee_division) {
  sl_col c = run(F2("*", col(C_DBL), cint(2)));
  ck_assert_int_eq(c.type.kind, SL_TYPE_DOUBLE);
  ck_assert(c.f64[0] == 3.0);
  ck_assert(c.f64[1] == -4.5);
  ck_assert(isnull(&c, 2));
  c = run(F2("/", cdbl(1.0), col(C_DBL)));
  ck_assert(isinf(c.f64[3]));
}
END_TEST

START_TEST(test_expr_negation) {
  sl_col c = run(F1("NEG", col(C_AMT)));
  ck_assert(c.dec[0] == -dec("100.00", 2));
  ck_assert(isnull(&c, 3));
  c = run(F1("NEG", col(C_I)));
  ck_assert_int_eq(c.i64[4], -5);
}
END_TEST

START_TEST(test_expr_timestamp_plus_intervals) {
  sl_value iv = {.i64 = INT64_C(3600000000)};
  sl_expr *hour = sl_expr_const(&qa, sl_type_make(SL_TYPE_INTERVAL_DT, 3, 0, false), &iv, 1);
  sl_col c = run(F2("+", col(C_TS), hour));
  ck_assert_int_eq(c.type.kind, SL_TYPE_TIMESTAMP);
  ck_assert_int_eq(c.i64[0], bt->cols[C_TS].i64[0] + INT64_C(3600000000));
  c = run(F2("+", hour, col(C_TS)));
  ck_assert_int_eq(c.i64[1], bt->cols[C_TS].i64[1] + INT64_C(3600000000));
  c = run(F2("-", col(C_TS), hour));
  ck_assert_int_eq(c.i64[0], bt->cols[C_TS].i64[0] - INT64_C(3600000000));
  /* 2024-01-31 + 1 month = 2024-02-29 (clamped) */
  sl_value d = {.i64 = 19753}; /* 2024-01-31 */
  sl_value m = {.i64 = 1};
  sl_expr *date = sl_expr_const(&qa, sl_type_make(SL_TYPE_DATE, 0, 0, false), &d, 1);
  sl_expr *mon = sl_expr_const(&qa, sl_type_make(SL_TYPE_INTERVAL_YM, 0, 0, false), &m, 1);
  sl_value v;
  ck_assert_int_eq(sl_expr_eval_const(&ctx, F2("+", date, mon), &v), 0);
  ck_assert_int_eq(v.i64, 19782); /* 2024-02-29 */
  sl_value day = {.i64 = INT64_C(86400000000)};
  sl_expr *dayc = sl_expr_const(&qa, sl_type_make(SL_TYPE_INTERVAL_DT, 3, 0, false), &day, 1);
  sl_expr *e = F2("+", date, dayc);
  ck_assert_int_eq(e->type.kind, SL_TYPE_DATE);
  ck_assert_int_eq(sl_expr_eval_const(&ctx, e, &v), 0);
  ck_assert_int_eq(v.i64, 19754);
  e = F2("+", date, hour);
  ck_assert_int_eq(e->type.kind, SL_TYPE_TIMESTAMP);
  ck_assert_int_eq(sl_expr_eval_const(&ctx, e, &v), 0);
  ck_assert_int_eq(v.i64, 19753 * INT64_C(86400000000) + INT64_C(3600000000));
}
END_TEST

/* ==== Comparisons ========================================================================= */

START_TEST(test_expr_compare_string_column_with_constant) {
  sl_col c = run(F2("<>", col(C_STR), cstr("CA")));
  ck_assert_str_eq(truths(&c), "FTNFT");
  c = run(F2("=", cstr("CA"), col(C_STR)));
  ck_assert_str_eq(truths(&c), "TFNTF");
  c = run(F2("<", col(C_STR), cstr("MX")));
  ck_assert_str_eq(truths(&c), "TFNTF");
  c = run(F2(">=", cstr("MX"), col(C_STR)));
  ck_assert_str_eq(truths(&c), "TFNTT");
}
END_TEST

START_TEST(test_expr_compare_decimal_column_with_int_keeps_column_type) {
  sl_expr *e = F2(">", col(C_AMT), cint(100));
  ck_assert_int_eq(e->args[0]->kind, SL_EXPR_COL); /* the constant was cast, not the column */
  ck_assert_int_eq(e->args[1]->kind, SL_EXPR_CONST);
  ck_assert_int_eq(e->args[1]->type.kind, SL_TYPE_DECIMAL);
  sl_col c = run(e);
  ck_assert_str_eq(truths(&c), "FTFNT");
  c = run(F2(">", col(C_AMT), cdec("99.995", 5, 3)));
  ck_assert_str_eq(truths(&c), "TTFNT");
}
END_TEST

START_TEST(test_expr_compare_mixed_numeric_types) {
  sl_col c = run(F2("<", col(C_I), col(C_BIG)));
  ck_assert_str_eq(truths(&c), "TFNNT");
  c = run(F2(">", col(C_DBL), col(C_I)));
  ck_assert_str_eq(truths(&c), "TFNFT");
  c = run(F2("=", col(C_I), cdec("2.0", 2, 1)));
  ck_assert_str_eq(truths(&c), "FTNFF");
  c = run(F2("<=", col(C_AMT), col(C_DBL)));
  ck_assert_str_eq(truths(&c), "FFNNT");
}
END_TEST

START_TEST(test_expr_compare_string_with_number_casts_the_string) {
  sl_expr *e = F2("=", col(C_I), cstr("4"));
  ck_assert_int_eq(e->args[1]->type.kind, SL_TYPE_INT);
  sl_col c = run(e);
  ck_assert_str_eq(truths(&c), "FFNTF");
  sl_expr *bad = fn("=", 33, 2, col(C_I), cstr("abc"));
  sl_col x;
  ck_assert_int_eq(sl_expr_eval(&ctx, bad, bt, NULL, NROWS, &x), SL_ERUNTIME);
  ck_assert_str_eq(err.msg, "cannot cast 'abc' to INT");
}
END_TEST

START_TEST(test_expr_compare_timestamp_with_string_and_date) {
  sl_col c = run(F2(">", col(C_TS), cstr("2024-03-03 00:00:00")));
  ck_assert_str_eq(truths(&c), "FFTTT");
  sl_value d = {.i64 = 19785}; /* 2024-03-03 */
  sl_expr *date = sl_expr_const(&qa, sl_type_make(SL_TYPE_DATE, 0, 0, false), &d, 1);
  c = run(F2("<", date, col(C_TS)));
  ck_assert_str_eq(truths(&c), "FFTTT");
}
END_TEST

START_TEST(test_expr_compare_with_null_is_null) {
  sl_col c = run(F2("=", col(C_I), cnull()));
  ck_assert_str_eq(truths(&c), "NNNNN");
}
END_TEST

/* ==== Logic =============================================================================== */

START_TEST(test_expr_and_three_valued_truth_table) {
  /* b1 = T F N T F ; b2 = T N N F T */
  sl_col c = run(node(SL_EXPR_AND, 2, col(C_B1), col(C_B2)));
  ck_assert_str_eq(truths(&c), "TFNFF");
  c = run(node(SL_EXPR_AND, 2, col(C_B2), col(C_B1)));
  ck_assert_str_eq(truths(&c), "TFNFF");
  c = run(node(SL_EXPR_AND, 2, col(C_B1), cnull()));
  ck_assert_str_eq(truths(&c), "NFNNF");
}
END_TEST

START_TEST(test_expr_or_three_valued_truth_table) {
  sl_col c = run(node(SL_EXPR_OR, 2, col(C_B1), col(C_B2)));
  ck_assert_str_eq(truths(&c), "TNNTT");
  c = run(node(SL_EXPR_OR, 2, col(C_B1), cnull()));
  ck_assert_str_eq(truths(&c), "TNNTN");
  c = run(node(SL_EXPR_OR, 3, col(C_B2), cbool(false), col(C_B1)));
  ck_assert_str_eq(truths(&c), "TNNTT");
}
END_TEST

START_TEST(test_expr_not_and_is_predicates) {
  sl_col c = run(node(SL_EXPR_NOT, 1, col(C_B1)));
  ck_assert_str_eq(truths(&c), "FTNFT");
  sl_expr *e = node(SL_EXPR_IS_NULL, 1, col(C_STR));
  c = run(e);
  ck_assert_str_eq(truths(&c), "FFTFF");
  e->negated = true;
  c = run(e);
  ck_assert_str_eq(truths(&c), "TTFTT");
  e = node(SL_EXPR_IS_TRUE, 1, col(C_B2));
  c = run(e);
  ck_assert_str_eq(truths(&c), "TFFFT");
  e->negated = true;
  c = run(e);
  ck_assert_str_eq(truths(&c), "FTTTF");
  e = node(SL_EXPR_IS_FALSE, 1, col(C_B2));
  c = run(e);
  ck_assert_str_eq(truths(&c), "FFFTF");
  e->negated = true;
  c = run(e);
  ck_assert_str_eq(truths(&c), "TTTFT");
}
END_TEST

START_TEST(test_expr_and_short_circuits_runtime_errors) {
  /* zero <> 0 AND i / zero > 0: rows with zero = 0 never divide */
  sl_expr *guard = F2("<>", col(C_ZERO), cint(0));
  sl_expr *div = F2(">", F2("/", col(C_I), col(C_ZERO)), cint(0));
  sl_col c = run(node(SL_EXPR_AND, 2, guard, div));
  ck_assert_str_eq(truths(&c), "FTFTF");
  ck_assert_str_eq(filter_rows(node(SL_EXPR_AND, 2, guard, div)), "13");
  /* OR stops at TRUE */
  sl_expr *eqz = F2("=", col(C_ZERO), cint(0));
  c = run(node(SL_EXPR_OR, 2, eqz, div));
  ck_assert_str_eq(truths(&c), "TTTTT");
}
END_TEST

/* ==== CASE, IN, COALESCE ================================================================== */

START_TEST(test_expr_case_evaluates_branches_lazily) {
  /* CASE WHEN zero = 0 THEN -1 WHEN i > 3 THEN 100 / zero ELSE i END */
  sl_expr *e = sl_expr_new(&qa, SL_EXPR_CASE, sl_type_make(SL_TYPE_INT, 0, 0, true), 5, 1);
  e->args[0] = F2("=", col(C_ZERO), cint(0));
  e->args[1] = cint(-1);
  e->args[2] = F2(">", col(C_I), cint(3));
  e->args[3] = F2("/", cint(100), col(C_ZERO));
  e->args[4] = col(C_I);
  sl_col c = run(e);
  ck_assert_int_eq(c.i64[0], -1);
  ck_assert_int_eq(c.i64[1], 2);
  ck_assert_int_eq(c.i64[2], -1);
  ck_assert_int_eq(c.i64[3], 50);
  ck_assert_int_eq(c.i64[4], -1);
  ck_assert(!isnull(&c, 1));
}
END_TEST

START_TEST(test_expr_case_without_else_is_null) {
  sl_expr *e = sl_expr_new(&qa, SL_EXPR_CASE, sl_type_make(SL_TYPE_VARCHAR, 10, 0, true), 2, 1);
  e->args[0] = col(C_B1);
  e->args[1] = cast(cstr("yes"), sl_type_make(SL_TYPE_VARCHAR, 10, 0, false));
  sl_col c = run(e);
  ck_assert_str_eq(str_at(&c, 0), "yes");
  ck_assert(isnull(&c, 1) && isnull(&c, 2) && !isnull(&c, 3) && isnull(&c, 4));
}
END_TEST

START_TEST(test_expr_in_list_three_valued) {
  sl_expr *e = sl_expr_new(&qa, SL_EXPR_IN, sl_type_make(SL_TYPE_BOOLEAN, 0, 0, true), 3, 1);
  e->args[0] = col(C_STR);
  e->args[1] = cast(cstr("CA"), bt->cols[C_STR].type);
  e->args[2] = cast(cstr("MX"), bt->cols[C_STR].type);
  sl_col c = run(e);
  ck_assert_str_eq(truths(&c), "TFNTT");
  e->negated = true;
  c = run(e);
  ck_assert_str_eq(truths(&c), "FTNFF");
  /* x NOT IN (1, NULL) is never TRUE */
  sl_expr *f = sl_expr_new(&qa, SL_EXPR_IN, sl_type_make(SL_TYPE_BOOLEAN, 0, 0, true), 3, 1);
  f->args[0] = col(C_I);
  f->args[1] = cint(1);
  f->args[2] = cast(cnull(), sl_type_make(SL_TYPE_INT, 0, 0, true));
  f->negated = true;
  c = run(f);
  ck_assert_str_eq(truths(&c), "FNNNN");
  /* a column item */
  sl_expr *g = sl_expr_new(&qa, SL_EXPR_IN, sl_type_make(SL_TYPE_BOOLEAN, 0, 0, true), 3, 1);
  g->args[0] = col(C_I);
  g->args[1] = col(C_ZERO);
  g->args[2] = cint(5);
  c = run(g);
  ck_assert_str_eq(truths(&c), "FFNFT");
}
END_TEST

START_TEST(test_expr_coalesce_takes_first_non_null) {
  sl_expr *e = sl_expr_new(&qa, SL_EXPR_COALESCE, sl_type_make(SL_TYPE_BIGINT, 0, 0, true), 3, 1);
  e->args[0] = cast(col(C_I), sl_type_make(SL_TYPE_BIGINT, 0, 0, true));
  e->args[1] = col(C_BIG);
  e->args[2] = cbig(-1);
  sl_col c = run(e);
  ck_assert_int_eq(c.i64[0], 1);
  ck_assert_int_eq(c.i64[2], 30);
  ck_assert_int_eq(c.i64[3], 4);
  ck_assert(!isnull(&c, 2));
}
END_TEST

/* ==== CAST ================================================================================ */

START_TEST(test_expr_cast_numeric_and_text) {
  sl_col c = run(cast(col(C_AMT), sl_type_make(SL_TYPE_INT, 0, 0, true)));
  ck_assert_int_eq(c.i64[1], 250);
  ck_assert(isnull(&c, 3));
  c = run(cast(col(C_AMT), sl_type_make(SL_TYPE_VARCHAR, SL_VARCHAR_MAX, 0, true)));
  ck_assert_str_eq(str_at(&c, 1), "250.50");
  c = run(cast(col(C_AMT), sl_type_make(SL_TYPE_DECIMAL, 4, 1, true)));
  ck_assert(c.dec[1] == dec("250.5", 1)); /* 250.50 -> 250.5 */
  ck_assert(c.dec[2] == dec("100.0", 1)); /* 99.99 rounds HALF_UP */
  ck_assert(isnull(&c, 4));               /* 1000.0 needs 5 digits: NULL as in Flink */
  c = run(cast(col(C_DBL), sl_type_make(SL_TYPE_INT, 0, 0, true)));
  ck_assert_int_eq(c.i64[1], -2);
  ck_assert_int_eq(c.i64[4], INT32_MAX); /* saturates like Java */
  c = run(cast(col(C_BIG), sl_type_make(SL_TYPE_INT, 0, 0, true)));
  ck_assert_int_eq(c.i64[1], -20);
  ck_assert_int_eq(c.i64[4], (int32_t)(uint32_t)UINT64_C(9000000000000000000)); /* wraps */
  c = run(cast(col(C_I), sl_type_make(SL_TYPE_CHAR, 3, 0, true)));
  ck_assert_str_eq(str_at(&c, 0), "1  ");
  c = run(cast(col(C_STR), sl_type_make(SL_TYPE_VARCHAR, 1, 0, true)));
  ck_assert_str_eq(str_at(&c, 1), "U");
  c = run(cast(col(C_B1), sl_type_make(SL_TYPE_VARCHAR, SL_VARCHAR_MAX, 0, true)));
  ck_assert_str_eq(str_at(&c, 0), "TRUE");
  c = run(cast(col(C_TS), sl_type_make(SL_TYPE_DATE, 0, 0, true)));
  ck_assert_int_eq(c.i64[0], 19783);
}
END_TEST

START_TEST(test_expr_cast_string_to_int_errors_with_value) {
  sl_expr *e = NULL;
  ck_assert_int_eq(sl_expr_cast(&qa, col(C_STR), sl_type_make(SL_TYPE_INT, 0, 0, true), true, 77, &e, &err), 0);
  sl_col c;
  ck_assert_int_eq(sl_expr_eval(&ctx, e, bt, NULL, NROWS, &c), SL_ERUNTIME);
  ck_assert_str_eq(err.msg, "cannot cast 'CA' to INT");
  ck_assert_int_eq(err.loc, 77);
}
END_TEST

START_TEST(test_expr_try_cast_yields_null) {
  sl_expr *e = NULL;
  ck_assert_int_eq(sl_expr_try_cast(&qa, col(C_STR), sl_type_make(SL_TYPE_INT, 0, 0, true), 77, &e, &err), 0);
  ck_assert(e->type.nullable);
  sl_col c = run(e);
  ck_assert_str_eq(truths(&c), "NNNNN");
  sl_value v;
  ck_assert_int_eq(sl_expr_try_cast(&qa, cstr("12"), sl_type_make(SL_TYPE_INT, 0, 0, false), 1, &e, &err), 0);
  ck_assert_int_eq(e->kind, SL_EXPR_CONST);
  ck_assert_int_eq(sl_expr_eval_const(&ctx, e, &v), 0);
  ck_assert_int_eq(v.i64, 12);
}
END_TEST

START_TEST(test_expr_cast_not_allowed_is_type_error) {
  sl_expr *e = NULL;
  ck_assert_int_eq(sl_expr_cast(&qa, col(C_B1), sl_type_make(SL_TYPE_DATE, 0, 0, true), true, 5, &e, &err),
                   SL_ETYPE);
  ck_assert_str_eq(err.msg, "cannot cast BOOLEAN to DATE");
  ck_assert_int_eq(err.loc, 5);
  sl_err_clear(&err);
  ck_assert_int_eq(sl_expr_cast(&qa, col(C_STR), sl_type_make(SL_TYPE_INT, 0, 0, true), false, 6, &e, &err),
                   SL_ETYPE);
  ck_assert_str_eq(err.msg, "cannot cast STRING to INT");
}
END_TEST

/* ==== Filters ============================================================================= */

START_TEST(test_expr_filter_comparison_with_constant) {
  ck_assert_str_eq(filter_rows(F2("<>", col(C_STR), cstr("CA"))), "14");
  ck_assert_str_eq(filter_rows(F2(">", col(C_AMT), cint(100))), "14");
  ck_assert_str_eq(filter_rows(F2(">", col(C_I), cint(1))), "134");
}
END_TEST

START_TEST(test_expr_filter_and_or_not_with_nulls) {
  ck_assert_str_eq(filter_rows(node(SL_EXPR_AND, 2, col(C_B1), col(C_B2))), "0");
  ck_assert_str_eq(filter_rows(node(SL_EXPR_OR, 2, col(C_B1), col(C_B2))), "034");
  ck_assert_str_eq(filter_rows(node(SL_EXPR_OR, 2, col(C_B2), col(C_B1))), "034");
  ck_assert_str_eq(filter_rows(node(SL_EXPR_NOT, 1, col(C_B1))), "14");
  ck_assert_str_eq(filter_rows(cbool(true)), "01234");
  ck_assert_str_eq(filter_rows(cnull()), "");
}
END_TEST

START_TEST(test_expr_filter_with_selection_in_place) {
  uint32_t sel[4] = {0, 1, 3, 4};
  int n = 0;
  ck_assert_int_eq(sl_expr_filter(&ctx, F2(">", col(C_I), cint(1)), bt, sel, 4, sel, &n), 0);
  ck_assert_int_eq(n, 3);
  ck_assert_int_eq(sel[0], 1);
  ck_assert_int_eq(sel[1], 3);
  ck_assert_int_eq(sel[2], 4);
  sl_expr *both = node(SL_EXPR_AND, 2, F2("<>", col(C_STR), cstr("CA")), F2(">", col(C_AMT), cint(500)));
  ck_assert_int_eq(sl_expr_filter(&ctx, both, bt, sel, 3, sel, &n), 0);
  ck_assert_int_eq(n, 1);
  ck_assert_int_eq(sel[0], 4);
}
END_TEST

START_TEST(test_expr_filter_error_propagates) {
  sl_expr *e = F2(">", fn("%", 12, 2, col(C_I), col(C_ZERO)), cint(0));
  uint32_t sel[NROWS];
  int n;
  ck_assert_int_eq(sl_expr_filter(&ctx, e, bt, NULL, NROWS, sel, &n), SL_ERUNTIME);
  ck_assert_str_eq(err.msg, "division by zero");
  ck_assert_int_eq(err.loc, 12);
}
END_TEST

START_TEST(test_expr_filter_many_rows) {
  /* a full batch, to exercise the loops beyond the fixture */
  sl_type t[2] = {ty(SL_TYPE_BIGINT), tyv(SL_TYPE_VARCHAR, SL_VARCHAR_MAX, 0)};
  sl_batch *b = sl_batch_new(2, t, 4096);
  b->nrows = 4096;
  for (int r = 0; r < 4096; r++) {
    sl_value v = {.i64 = r};
    sl_batch_set(b, 0, (uint32_t)r, &v);
    sl_value s = {0};
    s.str.ptr = r % 3 == 0 ? "CA" : "US";
    s.str.len = 2;
    sl_batch_set(b, 1, (uint32_t)r, &s);
  }
  sl_expr *e = node(SL_EXPR_AND, 2,
                    fn("<>", 1, 2, sl_expr_col(&qa, 1, t[1], 1), cstr("CA")),
                    fn(">=", 1, 2, sl_expr_col(&qa, 0, t[0], 1), cint(2048)));
  uint32_t *sel = malloc(sizeof(uint32_t) * 4096);
  int n = 0;
  ck_assert_int_eq(sl_expr_filter(&ctx, e, b, NULL, 4096, sel, &n), 0);
  int want = 0;
  for (int r = 2048; r < 4096; r++) want += r % 3 != 0;
  ck_assert_int_eq(n, want);
  for (int i = 1; i < n; i++) ck_assert(sel[i] > sel[i - 1]);
  free(sel);
  sl_batch_free(b);
}
END_TEST


START_TEST(test_expr_or_filter_skips_rows_already_accepted) {
  /* zero = 0 OR i / zero > 2: the division only runs where zero <> 0 */
  sl_expr *e = node(SL_EXPR_OR, 2, F2("=", col(C_ZERO), cint(0)), F2(">", F2("/", col(C_I), col(C_ZERO)), cint(2)));
  ck_assert_str_eq(filter_rows(e), "024");
}
END_TEST

START_TEST(test_expr_case_and_coalesce_respect_selection) {
  uint32_t sel[2] = {1, 3};
  sl_expr *e = sl_expr_new(&qa, SL_EXPR_CASE, sl_type_make(SL_TYPE_INT, 0, 0, true), 3, 1);
  e->args[0] = F2("=", col(C_ZERO), cint(0));
  e->args[1] = F2("/", cint(1), col(C_ZERO)); /* would divide by zero on rows 0, 2, 4 */
  e->args[2] = F2("*", col(C_I), cint(10));
  sl_col c;
  ck_assert_int_eq(sl_expr_eval(&ctx, e, bt, sel, 2, &c), 0);
  ck_assert_int_eq(c.i64[1], 20);
  ck_assert_int_eq(c.i64[3], 40);
  ck_assert_str_eq(filter_rows(node(SL_EXPR_IS_NULL, 1, col(C_AMT))), "3");
  sl_buf b;
  sl_buf_init(&b);
  sl_expr_explain(e, NULL, &b);
  ck_assert_str_eq(b.data, "CASE WHEN $8 = 0 THEN 1 / $8 ELSE $0 * 10 END");
  sl_buf_reset(&b);
  sl_expr *in = sl_expr_new(&qa, SL_EXPR_IN, sl_type_make(SL_TYPE_BOOLEAN, 0, 0, true), 3, 1);
  in->args[0] = col(C_I);
  in->args[1] = cint(1);
  in->args[2] = cint(2);
  in->negated = true;
  sl_expr *co = sl_expr_new(&qa, SL_EXPR_COALESCE, sl_type_make(SL_TYPE_INT, 0, 0, true), 2, 1);
  co->args[0] = col(C_I);
  co->args[1] = cint(0);
  sl_expr_explain(node(SL_EXPR_OR, 2, in, F2(">", co, cint(3))), NULL, &b);
  ck_assert_str_eq(b.data, "($0 NOT IN (1, 2)) OR (COALESCE($0, 0) > 3)");
  sl_buf_destroy(&b);
}
END_TEST

/* ==== EXPLAIN ============================================================================= */

START_TEST(test_expr_explain_uses_names_and_sql_literals) {
  const char *names[NCOLS] = {"i", "big", "merchant_country", "amount", "dbl", "b1", "b2", "ts", "zero"};
  sl_buf b;
  sl_buf_init(&b);
  sl_expr_explain(F2("<>", col(C_STR), cstr("CA")), names, &b);
  ck_assert_str_eq(b.data, "merchant_country <> 'CA'");
  sl_buf_reset(&b);
  sl_expr_explain(node(SL_EXPR_AND, 2, F2(">", col(C_AMT), cint(100)), F1("UPPER", cstr("it's"))), names, &b);
  ck_assert_str_eq(b.data, "(amount > 100.00) AND UPPER('it''s')");
  sl_buf_reset(&b);
  sl_expr_explain(cast(col(C_I), sl_type_make(SL_TYPE_DECIMAL, 38, 2, false)), NULL, &b);
  ck_assert_str_eq(b.data, "CAST($0 AS DECIMAL(38, 2))");
  sl_buf_reset(&b);
  sl_expr *isn = node(SL_EXPR_IS_NULL, 1, col(C_I));
  isn->negated = true;
  sl_expr_explain(isn, names, &b);
  ck_assert_str_eq(b.data, "i IS NOT NULL");
  sl_buf_reset(&b);
  sl_value tsv = {.i64 = INT64_C(1709280001326000)};
  sl_expr_explain(sl_expr_const(&qa, sl_type_make(SL_TYPE_TIMESTAMP, 3, 0, false), &tsv, 0), names, &b);
  ck_assert_str_eq(b.data, "TIMESTAMP '2024-03-01 08:00:01.326'");
  sl_buf_destroy(&b);
}
END_TEST

static Suite *expr_suite(void) {
  Suite *s = suite_create("expr");
  TCase *tc;
  tc = tcase_create("columns");
  tcase_add_checked_fixture(tc, setup, teardown);
  tcase_add_test(tc, test_expr_col_aliases_batch_column);
  tcase_add_test(tc, test_expr_const_broadcasts_to_selected_rows);
  tcase_add_test(tc, test_expr_eval_const_folds_expression);
  suite_add_tcase(s, tc);

  tc = tcase_create("arithmetic");
  tcase_add_checked_fixture(tc, setup, teardown);
  tcase_add_test(tc, test_expr_int_arith_propagates_null);
  tcase_add_test(tc, test_expr_int_overflow_wraps_like_java);
  tcase_add_test(tc, test_expr_int_division_truncates_toward_zero);
  tcase_add_test(tc, test_expr_int_division_by_zero_raises_at_loc);
  tcase_add_test(tc, test_expr_division_by_zero_skipped_on_null_and_unselected_rows);
  tcase_add_test(tc, test_expr_decimal_arith_uses_flink_scale);
  tcase_add_test(tc, test_expr_decimal_division_by_zero_raises);
  tcase_add_test(tc, test_expr_double_arith_and_ieee_division);
  tcase_add_test(tc, test_expr_negation);
  tcase_add_test(tc, test_expr_timestamp_plus_intervals);
  suite_add_tcase(s, tc);

  tc = tcase_create("comparisons");
  tcase_add_checked_fixture(tc, setup, teardown);
  tcase_add_test(tc, test_expr_compare_string_column_with_constant);
  tcase_add_test(tc, test_expr_compare_decimal_column_with_int_keeps_column_type);
  tcase_add_test(tc, test_expr_compare_mixed_numeric_types);
  tcase_add_test(tc, test_expr_compare_string_with_number_casts_the_string);
  tcase_add_test(tc, test_expr_compare_timestamp_with_string_and_date);
  tcase_add_test(tc, test_expr_compare_with_null_is_null);
  suite_add_tcase(s, tc);

  tc = tcase_create("logic");
  tcase_add_checked_fixture(tc, setup, teardown);
  tcase_add_test(tc, test_expr_and_three_valued_truth_table);
  tcase_add_test(tc, test_expr_or_three_valued_truth_table);
  tcase_add_test(tc, test_expr_not_and_is_predicates);
  tcase_add_test(tc, test_expr_and_short_circuits_runtime_errors);
  suite_add_tcase(s, tc);

  tc = tcase_create("case_in_coalesce");
  tcase_add_checked_fixture(tc, setup, teardown);
  tcase_add_test(tc, test_expr_case_evaluates_branches_lazily);
  tcase_add_test(tc, test_expr_case_without_else_is_null);
  tcase_add_test(tc, test_expr_in_list_three_valued);
  tcase_add_test(tc, test_expr_coalesce_takes_first_non_null);
  suite_add_tcase(s, tc);

  tc = tcase_create("cast");
  tcase_add_checked_fixture(tc, setup, teardown);
  tcase_add_test(tc, test_expr_cast_numeric_and_text);
  tcase_add_test(tc, test_expr_cast_string_to_int_errors_with_value);
  tcase_add_test(tc, test_expr_try_cast_yields_null);
  tcase_add_test(tc, test_expr_cast_not_allowed_is_type_error);
  suite_add_tcase(s, tc);

  tc = tcase_create("filter");
  tcase_add_checked_fixture(tc, setup, teardown);
  tcase_add_test(tc, test_expr_filter_comparison_with_constant);
  tcase_add_test(tc, test_expr_filter_and_or_not_with_nulls);
  tcase_add_test(tc, test_expr_filter_with_selection_in_place);
  tcase_add_test(tc, test_expr_filter_error_propagates);
  tcase_add_test(tc, test_expr_filter_many_rows);
  tcase_add_test(tc, test_expr_or_filter_skips_rows_already_accepted);
  tcase_add_test(tc, test_expr_case_and_coalesce_respect_selection);
  suite_add_tcase(s, tc);

  tc = tcase_create("explain");
  tcase_add_checked_fixture(tc, setup, teardown);
  tcase_add_test(tc, test_expr_explain_uses_names_and_sql_literals);
  suite_add_tcase(s, tc);
  return s;
}

int main(void) {
  SRunner *sr = srunner_create(expr_suite());
  srunner_run_all(sr, CK_NORMAL);
  int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
