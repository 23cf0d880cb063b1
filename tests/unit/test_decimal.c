/* test_decimal.c - DECIMAL arithmetic, rounding, overflow and Flink's result-type rules. */
#include <check.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "decimal.h"
#include "err.h"

/* Parses s at DECIMAL(38, scale) or fails the test. */
static sl_i128 D(const char *s, int scale) {
  sl_i128 v = 0;
  int rc = sl_dec_parse(s, strlen(s), 38, scale, &v);
  ck_assert_msg(rc == 0, "parse %s failed: %d", s, rc);
  return v;
}

static const char *F(sl_i128 v, int scale) {
  static char bufs[8][64];
  static int k;
  char *b = bufs[k++ % 8];
  sl_dec_format(v, scale, b);
  return b;
}

#define MAX38 "99999999999999999999999999999999999999"

/* ---- parse / format ------------------------------------------------------------------------ */

START_TEST(test_dec_parse_and_format_plain) {
  sl_i128 v;
  ck_assert_int_eq(sl_dec_parse("650", 3, 10, 2, &v), 0);
  ck_assert_str_eq(F(v, 2), "650.00");
  ck_assert_int_eq(sl_dec_parse("-0.5", 4, 10, 2, &v), 0);
  ck_assert_str_eq(F(v, 2), "-0.50");
  ck_assert_int_eq(sl_dec_parse("  12  ", 6, 5, 0, &v), 0);
  ck_assert_str_eq(F(v, 0), "12");
  ck_assert_int_eq(sl_dec_parse("+.5", 3, 5, 1, &v), 0);
  ck_assert_str_eq(F(v, 1), "0.5");
  ck_assert_int_eq(sl_dec_parse("5.", 2, 5, 1, &v), 0);
  ck_assert_str_eq(F(v, 1), "5.0");
  ck_assert_int_eq(sl_dec_parse("0.001", 5, 5, 3, &v), 0);
  ck_assert_str_eq(F(v, 3), "0.001");
  ck_assert_int_eq(sl_dec_parse("-0.001", 6, 5, 3, &v), 0);
  ck_assert_str_eq(F(v, 3), "-0.001");
  ck_assert_str_eq(F(0, 3), "0.000");
  ck_assert_str_eq(F(-5, 0), "-5");
}
END_TEST

START_TEST(test_dec_parse_exponent) {
  sl_i128 v;
  ck_assert_int_eq(sl_dec_parse("1.5e2", 5, 10, 2, &v), 0);
  ck_assert_str_eq(F(v, 2), "150.00");
  ck_assert_int_eq(sl_dec_parse("15E-3", 5, 10, 3, &v), 0);
  ck_assert_str_eq(F(v, 3), "0.015");
  ck_assert_int_eq(sl_dec_parse("1e+2", 4, 10, 0, &v), 0);
  ck_assert_str_eq(F(v, 0), "100");
  ck_assert_int_eq(sl_dec_parse("1e-100", 6, 10, 2, &v), 0);
  ck_assert_str_eq(F(v, 2), "0.00");
}
END_TEST

START_TEST(test_dec_parse_rounds_half_up) {
  sl_i128 v;
  ck_assert_int_eq(sl_dec_parse("1.005", 5, 10, 2, &v), 0);
  ck_assert_str_eq(F(v, 2), "1.01");
  ck_assert_int_eq(sl_dec_parse("1.004999", 8, 10, 2, &v), 0);
  ck_assert_str_eq(F(v, 2), "1.00");
  ck_assert_int_eq(sl_dec_parse("-2.5", 4, 10, 0, &v), 0);
  ck_assert_str_eq(F(v, 0), "-3");
  ck_assert_int_eq(sl_dec_parse("0.5", 3, 10, 0, &v), 0);
  ck_assert_str_eq(F(v, 0), "1");
  ck_assert_int_eq(sl_dec_parse("0.49", 4, 10, 0, &v), 0);
  ck_assert_str_eq(F(v, 0), "0");
  ck_assert_int_eq(sl_dec_parse("0.0005", 6, 10, 3, &v), 0);
  ck_assert_str_eq(F(v, 3), "0.001");
  ck_assert_int_eq(sl_dec_parse("9.995", 5, 3, 2, &v), SL_EOVERFLOW); /* rounds to 10.00 */
}
END_TEST

START_TEST(test_dec_parse_rejects_garbage) {
  sl_i128 v;
  const char *bad[] = {"", "  ", "-", "+", "abc", "1.2.3", "1e", "1e+", "1x", ".", "1 2", "--1", "e5"};
  for (size_t k = 0; k < sizeof bad / sizeof bad[0]; k++)
    ck_assert_msg(sl_dec_parse(bad[k], strlen(bad[k]), 10, 2, &v) == SL_EFORMAT, "%s", bad[k]);
}
END_TEST

START_TEST(test_dec_parse_overflow_beyond_precision) {
  sl_i128 v;
  ck_assert_int_eq(sl_dec_parse("1000", 4, 5, 2, &v), SL_EOVERFLOW);
  ck_assert_int_eq(sl_dec_parse("999.99", 6, 5, 2, &v), 0);
  ck_assert_int_eq(sl_dec_parse("-999.995", 8, 5, 2, &v), SL_EOVERFLOW);
  ck_assert_int_eq(sl_dec_parse(MAX38, 38, 38, 0, &v), 0);
  ck_assert_str_eq(F(v, 0), MAX38);
  ck_assert_int_eq(sl_dec_parse("1" MAX38, 39, 38, 0, &v), SL_EOVERFLOW);
  ck_assert_int_eq(sl_dec_parse("1e38", 4, 38, 0, &v), SL_EOVERFLOW);
  /* leading zeros do not count as digits */
  ck_assert_int_eq(sl_dec_parse("000000000000000000000000000000000000000012.5", 44, 3, 1, &v), 0);
  ck_assert_str_eq(F(v, 1), "12.5");
}
END_TEST

START_TEST(test_dec_format_38_digits_negative) {
  sl_i128 v = D("-" MAX38, 0);
  ck_assert_str_eq(F(v, 0), "-" MAX38);
  ck_assert_str_eq(F(v, 38), "-0." MAX38);
  ck_assert_str_eq(F(v, 10), "-9999999999999999999999999999.9999999999");
  char buf[48];
  ck_assert_int_eq(sl_dec_format(v, 38, buf), 41);
}
END_TEST

/* ---- pow10 / fits / rescale / trunc --------------------------------------------------------- */

START_TEST(test_dec_pow10_and_fits) {
  ck_assert(sl_dec_pow10(0) == 1);
  ck_assert(sl_dec_pow10(18) == (sl_i128)1000000000000000000LL);
  ck_assert_str_eq(F(sl_dec_pow10(38), 0), "1" "00000000000000000000000000000000000000");
  ck_assert(sl_dec_fits(99999, 5));
  ck_assert(!sl_dec_fits(100000, 5));
  ck_assert(sl_dec_fits(-99999, 5));
  ck_assert(!sl_dec_fits(-100000, 5));
  ck_assert(sl_dec_fits(0, 1));
}
END_TEST

START_TEST(test_dec_rescale_up_down_half_up) {
  sl_i128 v;
  ck_assert_int_eq(sl_dec_rescale(125, 2, 1, &v), 0);
  ck_assert_str_eq(F(v, 1), "1.3");
  ck_assert_int_eq(sl_dec_rescale(-125, 2, 1, &v), 0);
  ck_assert_str_eq(F(v, 1), "-1.3");
  ck_assert_int_eq(sl_dec_rescale(-124, 2, 1, &v), 0);
  ck_assert_str_eq(F(v, 1), "-1.2");
  ck_assert_int_eq(sl_dec_rescale(12, 0, 3, &v), 0);
  ck_assert_str_eq(F(v, 3), "12.000");
  ck_assert_int_eq(sl_dec_rescale(D(MAX38, 0), 0, 1, &v), SL_EOVERFLOW);
  ck_assert_int_eq(sl_dec_rescale(0, 0, 50, &v), 0);
  ck_assert_int_eq(sl_dec_rescale(D(MAX38, 0), 38, 0, &v), 0);
  ck_assert_str_eq(F(v, 0), "1");
  ck_assert_int_eq(sl_dec_rescale(D(MAX38, 0), 45, 0, &v), 0);
  ck_assert_str_eq(F(v, 0), "0");
}
END_TEST

START_TEST(test_dec_trunc_toward_zero) {
  ck_assert(sl_dec_trunc(D("12.99", 2), 2) == 12);
  ck_assert(sl_dec_trunc(D("-12.99", 2), 2) == -12);
  ck_assert(sl_dec_trunc(D("-0.5", 1), 1) == 0);
  ck_assert(sl_dec_trunc(42, 0) == 42);
}
END_TEST

/* ---- arithmetic ----------------------------------------------------------------------------- */

START_TEST(test_dec_mul_exact_and_rounded) {
  sl_i128 v;
  /* DECIMAL(10,2) * DECIMAL(10,2) -> DECIMAL(21,4) */
  ck_assert_int_eq(sl_dec_mul(D("12.34", 2), 2, D("-5.67", 2), 2, 4, &v), 0);
  ck_assert_str_eq(F(v, 4), "-69.9678");
  ck_assert_int_eq(sl_dec_mul(D("12.34", 2), 2, D("5.67", 2), 2, 2, &v), 0);
  ck_assert_str_eq(F(v, 2), "69.97");
  ck_assert_int_eq(sl_dec_mul(D("0.05", 2), 2, D("0.1", 1), 1, 2, &v), 0);
  ck_assert_str_eq(F(v, 2), "0.01"); /* 0.005 rounds up */
  ck_assert_int_eq(sl_dec_mul(D("-0.05", 2), 2, D("0.1", 1), 1, 2, &v), 0);
  ck_assert_str_eq(F(v, 2), "-0.01");
  ck_assert_int_eq(sl_dec_mul(3, 0, 4, 0, 2, &v), 0);
  ck_assert_str_eq(F(v, 2), "12.00");
}
END_TEST

START_TEST(test_dec_mul_wide_intermediate) {
  sl_i128 v;
  /* 38-digit operands whose exact product has 76 digits, rescaled back into range */
  sl_i128 a = D("1234567890123456789.0123456789012345678", 19);
  sl_i128 b = D("2.0000000000000000000000000000000000000", 37);
  ck_assert_int_eq(sl_dec_mul(a, 19, b, 37, 19, &v), 0);
  ck_assert_str_eq(F(v, 19), "2469135780246913578.0246913578024691356");
  /* (10^19 - 1)^2 / 10^... : 9999999999999999999 * 9999999999999999999 */
  sl_i128 c = D("9999999999999999999", 0);
  ck_assert_int_eq(sl_dec_mul(c, 0, c, 0, 0, &v), 0);
  ck_assert_str_eq(F(v, 0), "99999999999999999980000000000000000001");
  ck_assert_int_eq(sl_dec_mul(c, 0, c * 10, 0, 0, &v), SL_EOVERFLOW);
  /* HALF_UP through the 256-bit path: x.5 at scale 38+38 */
  sl_i128 h = D("0.50000000000000000000000000000000000000", 38);
  sl_i128 one = D("1.0000000000000000000000000000000000000", 37);
  ck_assert_int_eq(sl_dec_mul(h, 38, one, 37, 0, &v), 0);
  ck_assert_str_eq(F(v, 0), "1");
  ck_assert_int_eq(sl_dec_mul(-h, 38, one, 37, 0, &v), 0);
  ck_assert_str_eq(F(v, 0), "-1");
}
END_TEST

START_TEST(test_dec_mul_overflow) {
  sl_i128 v;
  sl_i128 big = D("10000000000000000000", 0);
  ck_assert_int_eq(sl_dec_mul(big, 0, big, 0, 0, &v), SL_EOVERFLOW); /* 10^40 */
  ck_assert_int_eq(sl_dec_mul(D(MAX38, 0), 0, 1, 0, 0, &v), 0);
  ck_assert_int_eq(sl_dec_mul(D(MAX38, 0), 0, 1, 0, 1, &v), SL_EOVERFLOW);
  ck_assert_int_eq(sl_dec_mul(0, 0, D(MAX38, 0), 0, 10, &v), 0);
  ck_assert(v == 0);
}
END_TEST

START_TEST(test_dec_div_rounding) {
  sl_i128 v;
  /* DECIMAL(10,2) / DECIMAL(10,2) -> DECIMAL(23,13) */
  ck_assert_int_eq(sl_dec_div(D("10.00", 2), 2, D("3.00", 2), 2, 13, &v), 0);
  ck_assert_str_eq(F(v, 13), "3.3333333333333");
  ck_assert_int_eq(sl_dec_div(D("20.00", 2), 2, D("3.00", 2), 2, 13, &v), 0);
  ck_assert_str_eq(F(v, 13), "6.6666666666667");
  ck_assert_int_eq(sl_dec_div(D("-20.00", 2), 2, D("3.00", 2), 2, 13, &v), 0);
  ck_assert_str_eq(F(v, 13), "-6.6666666666667");
  ck_assert_int_eq(sl_dec_div(1, 0, 8, 0, 2, &v), 0);
  ck_assert_str_eq(F(v, 2), "0.13"); /* 0.125 */
  ck_assert_int_eq(sl_dec_div(-1, 0, 8, 0, 2, &v), 0);
  ck_assert_str_eq(F(v, 2), "-0.13");
  ck_assert_int_eq(sl_dec_div(1, 0, -8, 0, 2, &v), 0);
  ck_assert_str_eq(F(v, 2), "-0.13");
  ck_assert_int_eq(sl_dec_div(D("1.5", 1), 1, D("0.5", 1), 1, 0, &v), 0);
  ck_assert_str_eq(F(v, 0), "3");
}
END_TEST

START_TEST(test_dec_div_wide_and_edge) {
  sl_i128 v;
  /* dividend scaled by 10^38 does not fit 128 bits */
  ck_assert_int_eq(sl_dec_div(D("12345678901234567890", 0), 0, 7, 0, 18, &v), 0);
  ck_assert_str_eq(F(v, 18), "1763668414462081127.142857142857142857");
  /* 1 / 3 at scale 38 */
  ck_assert_int_eq(sl_dec_div(1, 0, 3, 0, 37, &v), 0);
  ck_assert_str_eq(F(v, 37), "0.3333333333333333333333333333333333333");
  /* divisor scaled beyond 128 bits: tiny quotient rounds to zero */
  ck_assert_int_eq(sl_dec_div(1, 38, D(MAX38, 0), 0, 0, &v), 0);
  ck_assert(v == 0);
  ck_assert_int_eq(sl_dec_div(D(MAX38, 0), 0, 1, 38, 0, &v), SL_EOVERFLOW);
  ck_assert_int_eq(sl_dec_div(5, 0, 0, 0, 2, &v), SL_EINVAL);
  ck_assert_int_eq(sl_dec_div(D(MAX38, 0), 0, D("0.1", 1), 1, 0, &v), SL_EOVERFLOW);
}
END_TEST

START_TEST(test_dec_mod_sign_of_dividend) {
  sl_i128 v;
  ck_assert_int_eq(sl_dec_mod(D("7.5", 1), 1, D("2", 0), 0, 1, &v), 0);
  ck_assert_str_eq(F(v, 1), "1.5");
  ck_assert_int_eq(sl_dec_mod(D("-7.5", 1), 1, D("2", 0), 0, 1, &v), 0);
  ck_assert_str_eq(F(v, 1), "-1.5");
  ck_assert_int_eq(sl_dec_mod(D("7.5", 1), 1, D("-2", 0), 0, 1, &v), 0);
  ck_assert_str_eq(F(v, 1), "1.5");
  ck_assert_int_eq(sl_dec_mod(D("7.5", 1), 1, 0, 0, 1, &v), SL_EINVAL);
}
END_TEST

START_TEST(test_dec_double_conversions) {
  sl_i128 v;
  ck_assert(sl_dec_to_double(D("650.25", 2), 2) == 650.25);
  ck_assert(sl_dec_to_double(D("-0.1", 1), 1) == -0.1);
  ck_assert(sl_dec_to_double(D("0.30000000000000004", 17), 17) == 0.30000000000000004);
  ck_assert(sl_dec_to_double(D(MAX38, 0), 0) == 1e38);
  ck_assert_int_eq(sl_dec_from_double(1.005, 10, 2, &v), 0);
  ck_assert_str_eq(F(v, 2), "1.01"); /* via Double.toString "1.005", like BigDecimal.valueOf */
  ck_assert_int_eq(sl_dec_from_double(-2.5, 10, 0, &v), 0);
  ck_assert_str_eq(F(v, 0), "-3");
  ck_assert_int_eq(sl_dec_from_double(1e10, 10, 2, &v), SL_EOVERFLOW);
  ck_assert_int_eq(sl_dec_from_double(1.5e-7, 10, 8, &v), 0);
  ck_assert_str_eq(F(v, 8), "0.00000015");
  ck_assert_int_eq(sl_dec_from_double(NAN, 10, 2, &v), SL_EFORMAT);
  ck_assert_int_eq(sl_dec_from_double(INFINITY, 10, 2, &v), SL_EFORMAT);
}
END_TEST

/* ---- Flink's type rules --------------------------------------------------------------------- */

#define TYPE_IS(fn, p1, s1, p2, s2, ep, es)                                      \
  do {                                                                          \
    int p_, s_;                                                                 \
    fn(p1, s1, p2, s2, &p_, &s_);                                               \
    ck_assert_msg(p_ == (ep) && s_ == (es), #fn "(%d,%d,%d,%d) = (%d,%d)", p1, s1, p2, s2, p_, s_); \
  } while (0)

START_TEST(test_dec_type_add_sub) {
  TYPE_IS(sl_dec_type_add, 10, 2, 10, 2, 11, 2);
  TYPE_IS(sl_dec_type_add, 5, 0, 10, 4, 11, 4);
  TYPE_IS(sl_dec_type_add, 38, 8, 32, 8, 38, 7); /* Flink's javadoc example (39,8) -> (38,7) */
  TYPE_IS(sl_dec_type_add, 38, 0, 38, 0, 38, 0);
  TYPE_IS(sl_dec_type_add, 38, 38, 38, 38, 38, 37);
}
END_TEST

START_TEST(test_dec_type_mul) {
  TYPE_IS(sl_dec_type_mul, 10, 2, 10, 2, 21, 4);
  TYPE_IS(sl_dec_type_mul, 19, 0, 10, 0, 30, 0);
  TYPE_IS(sl_dec_type_mul, 20, 10, 20, 10, 38, 17); /* (41,20): 21 integral digits */
  TYPE_IS(sl_dec_type_mul, 38, 10, 38, 10, 38, 6);  /* (77,20): keeps min(20,6) */
  TYPE_IS(sl_dec_type_mul, 38, 2, 38, 2, 38, 4);    /* scale below 6 is kept */
}
END_TEST

START_TEST(test_dec_type_div) {
  TYPE_IS(sl_dec_type_div, 10, 2, 10, 2, 23, 13);
  TYPE_IS(sl_dec_type_div, 10, 0, 10, 0, 21, 11);
  TYPE_IS(sl_dec_type_div, 5, 2, 3, 0, 9, 6); /* scale max(6, 2+3+1) */
  TYPE_IS(sl_dec_type_div, 38, 10, 10, 2, 38, 8); /* (51,21) -> 30 integral digits */
  TYPE_IS(sl_dec_type_div, 20, 2, 5, 1, 27, 8);
}
END_TEST

START_TEST(test_dec_type_mod) {
  TYPE_IS(sl_dec_type_mod, 10, 2, 5, 0, 7, 2);
  TYPE_IS(sl_dec_type_mod, 10, 2, 10, 4, 10, 4);
  TYPE_IS(sl_dec_type_mod, 38, 0, 38, 38, 38, 38);
}
END_TEST

START_TEST(test_dec_type_sum_avg) {
  int p, s;
  sl_dec_type_sum(10, 2, &p, &s);
  ck_assert_int_eq(p, 38);
  ck_assert_int_eq(s, 2);
  sl_dec_type_avg(10, 2, &p, &s);
  ck_assert_int_eq(p, 38);
  ck_assert_int_eq(s, 6);
  sl_dec_type_avg(20, 8, &p, &s);
  ck_assert_int_eq(p, 38);
  ck_assert_int_eq(s, 8);
  sl_dec_type_avg(5, 0, &p, &s);
  ck_assert_int_eq(p, 38);
  ck_assert_int_eq(s, 6);
}
END_TEST

START_TEST(test_dec_int_precision) {
  ck_assert_int_eq(sl_dec_int_precision(SL_TYPE_TINYINT), 3);
  ck_assert_int_eq(sl_dec_int_precision(SL_TYPE_SMALLINT), 5);
  ck_assert_int_eq(sl_dec_int_precision(SL_TYPE_INT), 10);
  ck_assert_int_eq(sl_dec_int_precision(SL_TYPE_BIGINT), 19);
}
END_TEST

/* A worked query: SUM and AVG of DECIMAL(10,2) prices 10.00, 20.00, 20.01. */
START_TEST(test_dec_worked_sum_avg_values) {
  sl_i128 sum = D("10.00", 2) + D("20.00", 2) + D("20.01", 2);
  int p, s;
  sl_dec_type_sum(10, 2, &p, &s);
  ck_assert_str_eq(F(sum, s), "50.01");
  sl_dec_type_avg(10, 2, &p, &s);
  sl_i128 avg;
  ck_assert_int_eq(sl_dec_div(sum, 2, 3, 0, s, &avg), 0);
  ck_assert_str_eq(F(avg, s), "16.670000");
}
END_TEST

static Suite *decimal_suite(void) {
  Suite *s = suite_create("decimal");
  TCase *tc = tcase_create("text");
  tcase_add_test(tc, test_dec_parse_and_format_plain);
  tcase_add_test(tc, test_dec_parse_exponent);
  tcase_add_test(tc, test_dec_parse_rounds_half_up);
  tcase_add_test(tc, test_dec_parse_rejects_garbage);
  tcase_add_test(tc, test_dec_parse_overflow_beyond_precision);
  tcase_add_test(tc, test_dec_format_38_digits_negative);
  suite_add_tcase(s, tc);
  tc = tcase_create("scale");
  tcase_add_test(tc, test_dec_pow10_and_fits);
  tcase_add_test(tc, test_dec_rescale_up_down_half_up);
  tcase_add_test(tc, test_dec_trunc_toward_zero);
  suite_add_tcase(s, tc);
  tc = tcase_create("arith");
  tcase_add_test(tc, test_dec_mul_exact_and_rounded);
  tcase_add_test(tc, test_dec_mul_wide_intermediate);
  tcase_add_test(tc, test_dec_mul_overflow);
  tcase_add_test(tc, test_dec_div_rounding);
  tcase_add_test(tc, test_dec_div_wide_and_edge);
  tcase_add_test(tc, test_dec_mod_sign_of_dividend);
  tcase_add_test(tc, test_dec_double_conversions);
  suite_add_tcase(s, tc);
  tc = tcase_create("types");
  tcase_add_test(tc, test_dec_type_add_sub);
  tcase_add_test(tc, test_dec_type_mul);
  tcase_add_test(tc, test_dec_type_div);
  tcase_add_test(tc, test_dec_type_mod);
  tcase_add_test(tc, test_dec_type_sum_avg);
  tcase_add_test(tc, test_dec_int_precision);
  tcase_add_test(tc, test_dec_worked_sum_avg_values);
  suite_add_tcase(s, tc);
  return s;
}

int main(void) {
  SRunner *sr = srunner_create(decimal_suite());
  srunner_run_all(sr, CK_NORMAL);
  int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
