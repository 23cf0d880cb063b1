/* test_value_text.c - CAST to and from STRING with Flink's forms, Java double text, and LIKE. */
#include <check.h>
#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "buf.h"
#include "datetime.h"
#include "err.h"
#include "types.h"
#include "value_text.h"

/* ---- Java's Double.toString / Float.toString ---------------------------------------------- */

static const char *DF(double d) {
  static char buf[8][32];
  static int k;
  char *b = buf[k++ % 8];
  int n = sl_double_format(d, false, b);
  ck_assert_int_eq((size_t)n, strlen(b));
  return b;
}

static const char *FF(float f) {
  static char buf[8][32];
  static int k;
  char *b = buf[k++ % 8];
  int n = sl_double_format((double)f, true, b);
  ck_assert_int_eq((size_t)n, strlen(b));
  return b;
}

START_TEST(test_double_format_plain_range) {
  ck_assert_str_eq(DF(0.1), "0.1");
  ck_assert_str_eq(DF(1.0), "1.0");
  ck_assert_str_eq(DF(100.0), "100.0");
  ck_assert_str_eq(DF(-1.5), "-1.5");
  ck_assert_str_eq(DF(0.001), "0.001");
  ck_assert_str_eq(DF(0.00123), "0.00123");
  ck_assert_str_eq(DF(1234567.0), "1234567.0");
  ck_assert_str_eq(DF(9999999.0), "9999999.0");
  ck_assert_str_eq(DF(9999999.999), "9999999.999");
  ck_assert_str_eq(DF(0.30000000000000004), "0.30000000000000004");
  ck_assert_str_eq(DF(0.1 + 0.2), "0.30000000000000004");
  ck_assert_str_eq(DF(1.0 / 3), "0.3333333333333333");
  ck_assert_str_eq(DF(2.0 / 3), "0.6666666666666666");
  ck_assert_str_eq(DF(123.456), "123.456");
}
END_TEST

START_TEST(test_double_format_scientific) {
  ck_assert_str_eq(DF(1e7), "1.0E7");
  ck_assert_str_eq(DF(12345678.9), "1.23456789E7");
  ck_assert_str_eq(DF(123456789.0), "1.23456789E8");
  ck_assert_str_eq(DF(1e21), "1.0E21");
  ck_assert_str_eq(DF(1e23), "1.0E23");
  ck_assert_str_eq(DF(1e-4), "1.0E-4");
  ck_assert_str_eq(DF(0.000999), "9.99E-4");
  ck_assert_str_eq(DF(1.234e-5), "1.234E-5");
  ck_assert_str_eq(DF(-1e10), "-1.0E10");
  ck_assert_str_eq(DF(DBL_MAX), "1.7976931348623157E308");
  ck_assert_str_eq(DF(DBL_MIN), "2.2250738585072014E-308");
  ck_assert_str_eq(DF(4.9e-324), "4.9E-324"); /* Double.MIN_VALUE: two digits, not 5.0E-324 */
  ck_assert_str_eq(DF(2e-323), "2.0E-323");
  ck_assert_str_eq(DF(9007199254740993.0), "9.007199254740992E15");
}
END_TEST

START_TEST(test_double_format_specials) {
  ck_assert_str_eq(DF(0.0), "0.0");
  ck_assert_str_eq(DF(-0.0), "-0.0");
  ck_assert_str_eq(DF(NAN), "NaN");
  ck_assert_str_eq(DF(INFINITY), "Infinity");
  ck_assert_str_eq(DF(-INFINITY), "-Infinity");
}
END_TEST

START_TEST(test_float_format_shortest_float_digits) {
  ck_assert_str_eq(FF(0.1f), "0.1");
  ck_assert_str_eq(FF(0.3f), "0.3");
  ck_assert_str_eq(FF(1.1f), "1.1");
  ck_assert_str_eq(FF(3.14159f), "3.14159");
  ck_assert_str_eq(FF(1.0e10f), "1.0E10");
  ck_assert_str_eq(FF(16777216.0f), "1.6777216E7");
  ck_assert_str_eq(FF(FLT_MAX), "3.4028235E38");
  ck_assert_str_eq(FF(1.4e-45f), "1.4E-45");
  ck_assert_str_eq(FF(0.001f), "0.001");
  ck_assert_str_eq(FF(-0.0f), "-0.0");
}
END_TEST

START_TEST(test_double_format_round_trips_many_values) {
  /* a deterministic sweep: every output reads back to the same double */
  uint64_t x = 0x9E3779B97F4A7C15ULL;
  for (int k = 0; k < 50000; k++) {
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    double d;
    memcpy(&d, &x, sizeof d);
    if (isnan(d) || isinf(d)) continue;
    char buf[32];
    sl_double_format(d, false, buf);
    ck_assert_msg(strtod(buf, NULL) == d, "%s does not read back", buf);
    float f = (float)d;
    if (isinf(f)) continue;
    sl_double_format(f, true, buf);
    ck_assert_msg(strtof(buf, NULL) == f, "%s does not read back as float", buf);
  }
}
END_TEST

/* ---- Rendering ---------------------------------------------------------------------------- */

static const char *R(sl_type t, sl_value v) {
  static sl_buf b;
  static bool init;
  if (!init) {
    sl_buf_init(&b);
    init = true;
  }
  sl_buf_reset(&b);
  sl_value_render(t, &v, &b);
  return b.data;
}

static sl_value I(int64_t x) { sl_value v = {.is_null = false, .i64 = x}; return v; }
static sl_value FV(double x) { sl_value v = {.is_null = false, .f64 = x}; return v; }
static sl_value DV(sl_i128 x) { sl_value v = {.is_null = false, .dec = x}; return v; }

START_TEST(test_render_every_type) {
  ck_assert_str_eq(R(sl_type_make(SL_TYPE_BOOLEAN, 0, 0, true), I(1)), "TRUE");
  ck_assert_str_eq(R(sl_type_make(SL_TYPE_BOOLEAN, 0, 0, true), I(0)), "FALSE");
  ck_assert_str_eq(R(sl_type_make(SL_TYPE_INT, 0, 0, true), I(-42)), "-42");
  ck_assert_str_eq(R(sl_type_make(SL_TYPE_BIGINT, 0, 0, true), I(INT64_MIN)), "-9223372036854775808");
  ck_assert_str_eq(R(sl_type_make(SL_TYPE_DOUBLE, 0, 0, true), FV(100)), "100.0");
  ck_assert_str_eq(R(sl_type_make(SL_TYPE_FLOAT, 0, 0, true), FV((float)0.1f)), "0.1");
  ck_assert_str_eq(R(sl_type_make(SL_TYPE_DECIMAL, 10, 2, true), DV(65000)), "650.00");
  ck_assert_str_eq(R(sl_type_make(SL_TYPE_DECIMAL, 10, 2, true), DV(-50)), "-0.50");
  ck_assert_str_eq(R(sl_type_make(SL_TYPE_DECIMAL, 10, 0, true), DV(12)), "12");
  ck_assert_str_eq(R(sl_type_make(SL_TYPE_DATE, 0, 0, true), I(19783)), "2024-03-01");
  int64_t tod = (8 * 3600 + 1) * SL_MICROS_PER_SEC + 326000;
  ck_assert_str_eq(R(sl_type_make(SL_TYPE_TIME, 0, 0, true), I(tod)), "08:00:01");
  ck_assert_str_eq(R(sl_type_make(SL_TYPE_TIME, 3, 0, true), I(tod)), "08:00:01.326");
  int64_t ts = 19783 * SL_MICROS_PER_DAY + tod;
  ck_assert_str_eq(R(sl_type_make(SL_TYPE_TIMESTAMP, 3, 0, true), I(ts)), "2024-03-01 08:00:01.326");
  ck_assert_str_eq(R(sl_type_make(SL_TYPE_TIMESTAMP, 0, 0, true), I(ts)), "2024-03-01 08:00:01");
  ck_assert_str_eq(R(sl_type_make(SL_TYPE_TIMESTAMP, 6, 0, true), I(ts)), "2024-03-01 08:00:01.326000");
  ck_assert_str_eq(R(sl_type_make(SL_TYPE_TIMESTAMP_LTZ, 3, 0, true), I(ts)), "2024-03-01 08:00:01.326");
  ck_assert_str_eq(R(sl_type_make(SL_TYPE_INTERVAL_YM, 0, 0, true), I(18)), "+1-06");
  ck_assert_str_eq(R(sl_type_make(SL_TYPE_INTERVAL_DT, 0, 0, true), I(300 * SL_MICROS_PER_SEC)),
                   "+0 00:05:00.000");
  sl_value s = {.is_null = false, .str = {"h\xC3\xA9llo", 6}};
  ck_assert_str_eq(R(sl_type_make(SL_TYPE_VARCHAR, SL_VARCHAR_MAX, 0, true), s), "h\xC3\xA9llo");
}
END_TEST

/* ---- Parsing ------------------------------------------------------------------------------ */

static int P(sl_type_kind kind, int precision, int scale, const char *s, sl_value *v) {
  return sl_value_parse(sl_type_make(kind, precision, scale, true), s, strlen(s), NULL, v);
}

START_TEST(test_parse_integers_trim_and_range) {
  sl_value v;
  ck_assert_int_eq(P(SL_TYPE_INT, 0, 0, " 42 ", &v), 0);
  ck_assert_int_eq(v.i64, 42);
  ck_assert_int_eq(P(SL_TYPE_INT, 0, 0, "+7", &v), 0);
  ck_assert_int_eq(v.i64, 7);
  ck_assert_int_eq(P(SL_TYPE_INT, 0, 0, "-2147483648", &v), 0);
  ck_assert_int_eq(v.i64, INT32_MIN);
  ck_assert_int_eq(P(SL_TYPE_INT, 0, 0, "2147483648", &v), SL_EOVERFLOW);
  ck_assert_int_eq(P(SL_TYPE_TINYINT, 0, 0, "127", &v), 0);
  ck_assert_int_eq(P(SL_TYPE_TINYINT, 0, 0, "128", &v), SL_EOVERFLOW);
  ck_assert_int_eq(P(SL_TYPE_SMALLINT, 0, 0, "-32769", &v), SL_EOVERFLOW);
  ck_assert_int_eq(P(SL_TYPE_BIGINT, 0, 0, "-9223372036854775808", &v), 0);
  ck_assert(v.i64 == INT64_MIN);
  ck_assert_int_eq(P(SL_TYPE_BIGINT, 0, 0, "9223372036854775807", &v), 0);
  ck_assert(v.i64 == INT64_MAX);
  ck_assert_int_eq(P(SL_TYPE_BIGINT, 0, 0, "9223372036854775808", &v), SL_EOVERFLOW);
  ck_assert_int_eq(P(SL_TYPE_BIGINT, 0, 0, "123456789012345678901234567890", &v), SL_EOVERFLOW);
}
END_TEST

START_TEST(test_parse_integers_fraction_truncated_like_flink) {
  /* BinaryStringDataUtil.toInt: "We allow decimals and will return a truncated integral" */
  sl_value v;
  ck_assert_int_eq(P(SL_TYPE_INT, 0, 0, "1.5", &v), 0);
  ck_assert_int_eq(v.i64, 1);
  ck_assert_int_eq(P(SL_TYPE_INT, 0, 0, "-1.9", &v), 0);
  ck_assert_int_eq(v.i64, -1);
  ck_assert_int_eq(P(SL_TYPE_INT, 0, 0, "1.5x", &v), SL_EFORMAT);
  const char *bad[] = {"", " ", "+", "-", "abc", "1e3", "1 2", "0x10", "--1"};
  for (size_t k = 0; k < sizeof bad / sizeof bad[0]; k++)
    ck_assert_msg(P(SL_TYPE_INT, 0, 0, bad[k], &v) == SL_EFORMAT, "'%s'", bad[k]);
}
END_TEST

START_TEST(test_parse_boolean_flink_spellings) {
  sl_value v;
  const char *yes[] = {"true", "TRUE", "True", " t ", "y", "yes", "YES", "1"};
  const char *no[] = {"false", "FALSE", "f", "n", "No", "0"};
  for (size_t k = 0; k < sizeof yes / sizeof yes[0]; k++) {
    ck_assert_int_eq(P(SL_TYPE_BOOLEAN, 0, 0, yes[k], &v), 0);
    ck_assert_int_eq(v.i64, 1);
  }
  for (size_t k = 0; k < sizeof no / sizeof no[0]; k++) {
    ck_assert_int_eq(P(SL_TYPE_BOOLEAN, 0, 0, no[k], &v), 0);
    ck_assert_int_eq(v.i64, 0);
  }
  ck_assert_int_eq(P(SL_TYPE_BOOLEAN, 0, 0, "maybe", &v), SL_EFORMAT);
  ck_assert_int_eq(P(SL_TYPE_BOOLEAN, 0, 0, "", &v), SL_EFORMAT);
  ck_assert_int_eq(P(SL_TYPE_BOOLEAN, 0, 0, "2", &v), SL_EFORMAT);
}
END_TEST

START_TEST(test_parse_double_java_grammar) {
  sl_value v;
  ck_assert_int_eq(P(SL_TYPE_DOUBLE, 0, 0, " 1.5 ", &v), 0);
  ck_assert(v.f64 == 1.5);
  ck_assert_int_eq(P(SL_TYPE_DOUBLE, 0, 0, "-1e3", &v), 0);
  ck_assert(v.f64 == -1000);
  ck_assert_int_eq(P(SL_TYPE_DOUBLE, 0, 0, ".5", &v), 0);
  ck_assert(v.f64 == 0.5);
  ck_assert_int_eq(P(SL_TYPE_DOUBLE, 0, 0, "2.5d", &v), 0);
  ck_assert(v.f64 == 2.5);
  ck_assert_int_eq(P(SL_TYPE_DOUBLE, 0, 0, "NaN", &v), 0);
  ck_assert(isnan(v.f64));
  ck_assert_int_eq(P(SL_TYPE_DOUBLE, 0, 0, "-Infinity", &v), 0);
  ck_assert(isinf(v.f64) && v.f64 < 0);
  ck_assert_int_eq(P(SL_TYPE_FLOAT, 0, 0, "0.1", &v), 0);
  ck_assert(v.f64 == (double)0.1f);
  const char *bad[] = {"", "abc", "1e", "0x10", "inf", "nan", "1.5.5", ".", "e5", "1,5"};
  for (size_t k = 0; k < sizeof bad / sizeof bad[0]; k++)
    ck_assert_msg(P(SL_TYPE_DOUBLE, 0, 0, bad[k], &v) == SL_EFORMAT, "'%s'", bad[k]);
}
END_TEST

START_TEST(test_parse_decimal_rounds_and_overflows) {
  sl_value v;
  ck_assert_int_eq(P(SL_TYPE_DECIMAL, 5, 2, " 3.14159 ", &v), 0);
  ck_assert(v.dec == 314);
  ck_assert_int_eq(P(SL_TYPE_DECIMAL, 5, 2, "-0.005", &v), 0);
  ck_assert(v.dec == -1);
  ck_assert_int_eq(P(SL_TYPE_DECIMAL, 5, 2, "1000", &v), SL_EOVERFLOW);
  ck_assert_int_eq(P(SL_TYPE_DECIMAL, 5, 2, "x", &v), SL_EFORMAT);
}
END_TEST

START_TEST(test_parse_strings_cut_to_length) {
  sl_arena a;
  sl_arena_init(&a, 256);
  sl_value v;
  const char *src = "h\xC3\xA9llo";
  ck_assert_int_eq(sl_value_parse(sl_type_make(SL_TYPE_VARCHAR, 3, 0, true), src, 6, &a, &v), 0);
  ck_assert_int_eq(v.str.len, 4);
  ck_assert(memcmp(v.str.ptr, "h\xC3\xA9l", 4) == 0);
  ck_assert(v.str.ptr != src); /* copied into the arena */
  ck_assert_int_eq(sl_value_parse(sl_type_make(SL_TYPE_VARCHAR, SL_VARCHAR_MAX, 0, true), src, 6,
                                  NULL, &v), 0);
  ck_assert(v.str.ptr == src); /* referenced without an arena */
  ck_assert_int_eq(v.str.len, 6);
  ck_assert_int_eq(sl_value_parse(sl_type_make(SL_TYPE_CHAR, 2, 0, true), "abc", 3, &a, &v), 0);
  ck_assert_int_eq(v.str.len, 2);
  ck_assert_int_eq(sl_value_parse(sl_type_make(SL_TYPE_VARCHAR, 10, 0, true), "", 0, &a, &v), 0);
  ck_assert_int_eq(v.str.len, 0);
  sl_arena_destroy(&a);
}
END_TEST

START_TEST(test_parse_temporal_types) {
  sl_value v;
  int64_t base = 19783 * SL_MICROS_PER_DAY;
  ck_assert_int_eq(P(SL_TYPE_TIMESTAMP, 3, 0, "2024-03-01 08:00:01.3267", &v), 0);
  ck_assert(v.i64 == base + (8 * 3600 + 1) * SL_MICROS_PER_SEC + 326000);
  ck_assert_int_eq(P(SL_TYPE_TIMESTAMP, 6, 0, "2024-03-01T08:00:01.3267Z", &v), 0);
  ck_assert(v.i64 == base + (8 * 3600 + 1) * SL_MICROS_PER_SEC + 326700);
  ck_assert_int_eq(P(SL_TYPE_TIMESTAMP_LTZ, 0, 0, "1969-12-31 23:59:59.9", &v), 0);
  ck_assert(v.i64 == -SL_MICROS_PER_SEC);
  ck_assert_int_eq(P(SL_TYPE_TIMESTAMP, 3, 0, "2024-13-01 00:00:00", &v), SL_EFORMAT);
  ck_assert_int_eq(P(SL_TYPE_DATE, 0, 0, "2024-03-01", &v), 0);
  ck_assert_int_eq(v.i64, 19783);
  ck_assert_int_eq(P(SL_TYPE_TIME, 0, 0, "08:00:01.5", &v), 0);
  ck_assert(v.i64 == (8 * 3600 + 1) * SL_MICROS_PER_SEC);
  ck_assert_int_eq(P(SL_TYPE_INTERVAL_YM, 0, 0, "+1-06", &v), 0);
  ck_assert_int_eq(v.i64, 18);
  ck_assert_int_eq(P(SL_TYPE_INTERVAL_DT, 0, 0, "-3 04:05:06.789", &v), 0);
  ck_assert(v.i64 == -(3 * SL_MICROS_PER_DAY + (4 * 3600 + 5 * 60 + 6) * SL_MICROS_PER_SEC + 789000));
}
END_TEST

START_TEST(test_int_fits_ranges) {
  ck_assert(sl_int_fits(SL_TYPE_TINYINT, -128));
  ck_assert(!sl_int_fits(SL_TYPE_TINYINT, -129));
  ck_assert(sl_int_fits(SL_TYPE_SMALLINT, 32767));
  ck_assert(!sl_int_fits(SL_TYPE_SMALLINT, 32768));
  ck_assert(sl_int_fits(SL_TYPE_INT, INT32_MAX));
  ck_assert(!sl_int_fits(SL_TYPE_INT, (int64_t)INT32_MAX + 1));
  ck_assert(sl_int_fits(SL_TYPE_BIGINT, INT64_MIN));
}
END_TEST

/* ---- LIKE --------------------------------------------------------------------------------- */

static bool L(const char *s, const char *p) { return sl_like_match(s, strlen(s), p, strlen(p), 0); }
static bool LE(const char *s, const char *p, char e) {
  return sl_like_match(s, strlen(s), p, strlen(p), e);
}

START_TEST(test_like_common_shapes) {
  ck_assert(L("abc", "abc"));
  ck_assert(!L("abcd", "abc"));
  ck_assert(!L("ab", "abc"));
  ck_assert(L("abcdef", "abc%"));
  ck_assert(!L("xabc", "abc%"));
  ck_assert(L("xxabc", "%abc"));
  ck_assert(!L("abcx", "%abc"));
  ck_assert(L("xxabcyy", "%abc%"));
  ck_assert(!L("xxabyy", "%abc%"));
  ck_assert(L("", "%"));
  ck_assert(L("anything", "%%"));
  ck_assert(L("", ""));
  ck_assert(!L("a", ""));
  ck_assert(L("abc", "%abc%"));
  ck_assert(!L("ab", "%abc%"));
}
END_TEST

START_TEST(test_like_wildcards_and_backtracking) {
  ck_assert(L("ab", "a_"));
  ck_assert(!L("a", "a_"));
  ck_assert(!L("", "_"));
  ck_assert(L("x", "_%"));
  ck_assert(!L("", "_%"));
  ck_assert(L("aXbXc", "a%b%c"));
  ck_assert(L("abcbc", "a%bc"));
  ck_assert(!L("abcbd", "a%bc"));
  ck_assert(L("mississippi", "%iss%ppi"));
  ck_assert(L("mississippi", "m%s_i%"));
  ck_assert(!L("mississippi", "%issx%"));
  ck_assert(L("aaa", "a%a%a"));
  ck_assert(!L("aa", "a%a%a"));
  ck_assert(L("abc", "%_c"));
  ck_assert(L("abc", "___"));
  ck_assert(!L("abc", "____"));
}
END_TEST

START_TEST(test_like_utf8_code_points) {
  ck_assert(L("caf\xC3\xA9", "caf_"));      /* é is one character */
  ck_assert(!L("caf\xC3\xA9", "caf__"));
  ck_assert(L("\xE2\x82\xAC" "5", "_5"));   /* € is three bytes */
  ck_assert(L("\xF0\x9F\x98\x80", "_"));    /* an emoji is four bytes */
  ck_assert(L("na\xC3\xAFve caf\xC3\xA9", "%\xC3\xA9"));
  ck_assert(L("x\xC3\xA9y\xC3\xA9z", "%\xC3\xA9_\xC3\xA9%"));
  ck_assert(L("\xC3\xA9\xC3\xA9\xC3\xA9", "%_\xC3\xA9"));
}
END_TEST

START_TEST(test_like_line_terminators_like_java_regex) {
  /* '_' is the regex '.', which skips line terminators; '%' is "(?s:.*)" */
  ck_assert(L("a\nb", "a%b"));
  ck_assert(!L("a\nb", "a_b"));
  ck_assert(!L("a\rb", "a_b"));
  ck_assert(!L("a\xE2\x80\xA8" "b", "a_b"));
  ck_assert(!L("a\xC2\x85" "b", "a_b"));
  ck_assert(L("a\tb", "a_b"));
  ck_assert(L("line1\nline2", "%1_line%") == false);
  ck_assert(L("line1\nline2", "%1%line%"));
}
END_TEST

START_TEST(test_like_escape_character) {
  ck_assert(LE("100%", "100!%", '!'));
  ck_assert(!LE("1000", "100!%", '!'));
  ck_assert(LE("a_b", "a!_b", '!'));
  ck_assert(!LE("axb", "a!_b", '!'));
  ck_assert(LE("a!b", "a!!b", '!'));
  ck_assert(LE("50% off", "%!%%", '!'));
  ck_assert(!LE("50 off", "%!%%", '!'));
  ck_assert(LE("path\\to", "path\\\\to", '\\'));
  ck_assert(LE("x_y_z", "%!_z", '!'));
  /* without an escape the same characters are ordinary */
  ck_assert(L("100!x", "100!%"));
}
END_TEST

static Suite *value_text_suite(void) {
  Suite *s = suite_create("value_text");
  TCase *tc = tcase_create("double");
  tcase_set_timeout(tc, 60);
  tcase_add_test(tc, test_double_format_plain_range);
  tcase_add_test(tc, test_double_format_scientific);
  tcase_add_test(tc, test_double_format_specials);
  tcase_add_test(tc, test_float_format_shortest_float_digits);
  tcase_add_test(tc, test_double_format_round_trips_many_values);
  suite_add_tcase(s, tc);
  tc = tcase_create("render");
  tcase_add_test(tc, test_render_every_type);
  suite_add_tcase(s, tc);
  tc = tcase_create("parse");
  tcase_add_test(tc, test_parse_integers_trim_and_range);
  tcase_add_test(tc, test_parse_integers_fraction_truncated_like_flink);
  tcase_add_test(tc, test_parse_boolean_flink_spellings);
  tcase_add_test(tc, test_parse_double_java_grammar);
  tcase_add_test(tc, test_parse_decimal_rounds_and_overflows);
  tcase_add_test(tc, test_parse_strings_cut_to_length);
  tcase_add_test(tc, test_parse_temporal_types);
  tcase_add_test(tc, test_int_fits_ranges);
  suite_add_tcase(s, tc);
  tc = tcase_create("like");
  tcase_add_test(tc, test_like_common_shapes);
  tcase_add_test(tc, test_like_wildcards_and_backtracking);
  tcase_add_test(tc, test_like_utf8_code_points);
  tcase_add_test(tc, test_like_escape_character);
  tcase_add_test(tc, test_like_line_terminators_like_java_regex);
  suite_add_tcase(s, tc);
  return s;
}

int main(void) {
  SRunner *sr = srunner_create(value_text_suite());
  srunner_run_all(sr, CK_NORMAL);
  int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
