/* test_datetime.c - calendar math, DATE/TIME/TIMESTAMP text, patterns, EXTRACT and INTERVAL. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "../sql/ast.h"
#include "datetime.h"
#include "err.h"
#include "types.h"

static int64_t TS(const char *s) {
  int64_t v = 0;
  int rc = sl_ts_parse(s, strlen(s), true, &v);
  ck_assert_msg(rc == 0, "ts parse '%s' failed: %d", s, rc);
  return v;
}

static const char *TSF(int64_t v, int precision) {
  static char bufs[8][64];
  static int k;
  char *b = bufs[k++ % 8];
  sl_ts_format(v, precision, false, false, b);
  return b;
}

/* ---- Calendar ------------------------------------------------------------------------------- */

START_TEST(test_days_from_civil_known_dates) {
  ck_assert_int_eq(sl_days_from_civil(1970, 1, 1), 0);
  ck_assert_int_eq(sl_days_from_civil(1969, 12, 31), -1);
  ck_assert_int_eq(sl_days_from_civil(2000, 3, 1), 11017);
  ck_assert_int_eq(sl_days_from_civil(2024, 2, 29), 19782);
  ck_assert_int_eq(sl_days_from_civil(2024, 3, 1), 19783);
  ck_assert_int_eq(sl_days_from_civil(1, 1, 1), -719162);
  ck_assert_int_eq(sl_days_from_civil(9999, 12, 31), 2932896);
  ck_assert_int_eq(sl_days_from_civil(1900, 3, 1), -25508);
  ck_assert_int_eq(sl_days_from_civil(1600, 2, 29), -135081);
}
END_TEST

START_TEST(test_civil_from_days_round_trips_every_day) {
  /* every day from 0001-01-01 to 9999-12-31 maps back to itself, in calendar order */
  int64_t py = 1;
  int pm = 1, pd = 0;
  for (int64_t days = -719162; days <= 2932896; days++) {
    int64_t y;
    int m, d;
    sl_civil_from_days(days, &y, &m, &d);
    if (sl_days_from_civil(y, m, d) != days) ck_abort_msg("day %lld does not round-trip", (long long)days);
    bool next = (y == py && m == pm && d == pd + 1) || (y == py && m == pm + 1 && d == 1) ||
                (y == py + 1 && m == 1 && d == 1);
    if (!next) ck_abort_msg("day %lld: %lld-%d-%d after %lld-%d-%d", (long long)days, (long long)y,
                            m, d, (long long)py, pm, pd);
    py = y;
    pm = m;
    pd = d;
  }
}
END_TEST

START_TEST(test_floor_div_mod_negative) {
  ck_assert_int_eq(sl_floor_div(-1, 86400), -1);
  ck_assert_int_eq(sl_floor_mod(-1, 86400), 86399);
  ck_assert_int_eq(sl_floor_div(-86400, 86400), -1);
  ck_assert_int_eq(sl_floor_mod(-86400, 86400), 0);
  ck_assert_int_eq(sl_floor_div(7, 2), 3);
  ck_assert_int_eq(sl_floor_div(-7, 2), -4);
  ck_assert_int_eq(sl_floor_mod(7, -2), -1);
}
END_TEST

/* ---- TIMESTAMP text ------------------------------------------------------------------------- */

START_TEST(test_ts_parse_sql_forms) {
  int64_t base = 19783 * SL_MICROS_PER_DAY;
  ck_assert(TS("2024-03-01 08:00:01.326") == base + (8 * 3600 + 1) * SL_MICROS_PER_SEC + 326000);
  ck_assert(TS("2024-03-01 08:00:01") == base + (8 * 3600 + 1) * SL_MICROS_PER_SEC);
  ck_assert(TS("2024-03-01 08:00") == base + 8 * 3600 * SL_MICROS_PER_SEC);
  ck_assert(TS("2024-03-01") == base);
  ck_assert(TS("  2024-03-01 08:00:01  ") == base + (8 * 3600 + 1) * SL_MICROS_PER_SEC);
  /* single-digit fields, as Flink's "yyyy-[MM][M]-[dd][d] [HH][H]:[mm][m]:[ss][s]" */
  ck_assert(TS("2024-3-1 8:0:1") == base + (8 * 3600 + 1) * SL_MICROS_PER_SEC);
  /* fraction: 1..9 digits, truncated to microseconds */
  ck_assert(TS("2024-03-01 00:00:00.5") == base + 500000);
  ck_assert(TS("2024-03-01 00:00:00.123456789") == base + 123456);
  ck_assert(TS("1969-12-31 23:59:59.999999") == -1);
  ck_assert(TS("0001-01-01 00:00:00") == -719162 * SL_MICROS_PER_DAY);
}
END_TEST

START_TEST(test_ts_parse_iso_forms) {
  int64_t v;
  int64_t want = 19783 * SL_MICROS_PER_DAY + (8 * 3600 + 1) * SL_MICROS_PER_SEC + 326000;
  ck_assert(TS("2024-03-01T08:00:01.326Z") == want);
  ck_assert(TS("2024-03-01T08:00:01.326") == want);
  /* without iso the T form is not accepted */
  ck_assert_int_eq(sl_ts_parse("2024-03-01T08:00:01", 19, false, &v), SL_EFORMAT);
  ck_assert_int_eq(sl_ts_parse("2024-03-01 08:00:01Z", 20, false, &v), SL_EFORMAT);
}
END_TEST

START_TEST(test_ts_parse_rejects_bad_fields) {
  const char *bad[] = {"",
                       "2024",
                       "2024-13-01",
                       "2024-00-01",
                       "2024-03-01 24:00:01",
                       "2024-03-32",
                       "2024-03-01 08:00:00.1234567891",
                       "2024-03-01 23:60:00",
                       "2024-03-01 23:59:60",
                       "2024-03-01 08",
                       "2024-03-01 08:00:00x",
                       "24-03-01",
                       "2024/03/01",
                       "2024-03-01  08:00:00"};
  int64_t v;
  for (size_t k = 0; k < sizeof bad / sizeof bad[0]; k++)
    ck_assert_msg(sl_ts_parse(bad[k], strlen(bad[k]), true, &v) == SL_EFORMAT, "'%s'", bad[k]);
  ck_assert(sl_ts_parse("2024-02-29", 10, false, &v) == 0); /* leap day */
  ck_assert(sl_ts_parse("2000-02-29", 10, false, &v) == 0);
  /* java.time's SMART resolver, which Flink's CAST uses, clamps the day and rolls 24:00 */
  ck_assert(TS("2023-02-29") == TS("2023-02-28"));
  ck_assert(TS("1900-02-30 10:00:00") == TS("1900-02-28 10:00:00"));
  ck_assert(TS("2024-04-31") == TS("2024-04-30"));
  ck_assert(TS("2024-03-01 24:00:00") == TS("2024-03-02 00:00:00"));
  ck_assert(TS("2024-03-01 08:00:01.") == TS("2024-03-01 08:00:01"));
}
END_TEST

START_TEST(test_ts_format_precisions) {
  int64_t v = TS("2024-03-01 08:00:01.326");
  ck_assert_str_eq(TSF(v, 0), "2024-03-01 08:00:01");
  ck_assert_str_eq(TSF(v, 1), "2024-03-01 08:00:01.3");
  ck_assert_str_eq(TSF(v, 3), "2024-03-01 08:00:01.326");
  ck_assert_str_eq(TSF(v, 6), "2024-03-01 08:00:01.326000");
  ck_assert_str_eq(TSF(v, 9), "2024-03-01 08:00:01.326000000");
  ck_assert_str_eq(TSF(TS("2024-03-01"), 3), "2024-03-01 00:00:00.000");
  char buf[40];
  ck_assert_int_eq(sl_ts_format(v, 3, true, true, buf), 24);
  ck_assert_str_eq(buf, "2024-03-01T08:00:01.326Z");
  sl_ts_format(v, 0, true, false, buf);
  ck_assert_str_eq(buf, "2024-03-01T08:00:01");
}
END_TEST

START_TEST(test_ts_format_before_epoch) {
  ck_assert_str_eq(TSF(-1, 6), "1969-12-31 23:59:59.999999");
  ck_assert_str_eq(TSF(-1000, 3), "1969-12-31 23:59:59.999");
  ck_assert_str_eq(TSF(-SL_MICROS_PER_DAY, 0), "1969-12-31 00:00:00");
  ck_assert_str_eq(TSF(TS("1900-01-01 12:30:00"), 0), "1900-01-01 12:30:00");
  ck_assert_str_eq(TSF(TS("0001-01-01 00:00:00.000001"), 6), "0001-01-01 00:00:00.000001");
  ck_assert_str_eq(TSF(TS("9999-12-31 23:59:59.999999"), 6), "9999-12-31 23:59:59.999999");
}
END_TEST

/* ---- DATE and TIME -------------------------------------------------------------------------- */

START_TEST(test_date_parse_and_format) {
  int64_t d;
  char buf[16];
  ck_assert_int_eq(sl_date_parse("2024-03-01", 10, &d), 0);
  ck_assert_int_eq(d, 19783);
  ck_assert_int_eq(sl_date_parse(" 2024-3-1 ", 10, &d), 0);
  ck_assert_int_eq(d, 19783);
  /* Flink's parseDate drops a time part */
  ck_assert_int_eq(sl_date_parse("2024-03-01 08:00:00", 19, &d), 0);
  ck_assert_int_eq(d, 19783);
  ck_assert_int_eq(sl_date_parse("1969-12-31", 10, &d), 0);
  ck_assert_int_eq(d, -1);
  ck_assert_int_eq(sl_date_format(-1, buf), 10);
  ck_assert_str_eq(buf, "1969-12-31");
  sl_date_format(-719162, buf);
  ck_assert_str_eq(buf, "0001-01-01");
  sl_date_format(19782, buf);
  ck_assert_str_eq(buf, "2024-02-29");
  ck_assert_int_eq(sl_date_parse("2024-02-30", 10, &d), SL_EFORMAT);
  ck_assert_int_eq(sl_date_parse("2024-1x-01", 10, &d), SL_EFORMAT);
  ck_assert_int_eq(sl_date_parse("", 0, &d), SL_EFORMAT);
}
END_TEST

START_TEST(test_time_parse_and_format) {
  int64_t t;
  char buf[32];
  ck_assert_int_eq(sl_time_parse("08:00:01", 8, &t), 0);
  ck_assert(t == (8 * 3600 + 1) * SL_MICROS_PER_SEC);
  ck_assert_int_eq(sl_time_parse("8:5", 3, &t), 0);
  ck_assert(t == (8 * 3600 + 5 * 60) * SL_MICROS_PER_SEC);
  ck_assert_int_eq(sl_time_parse("23:59:59.1234567", 16, &t), 0);
  ck_assert(t == 86399 * SL_MICROS_PER_SEC + 123456);
  sl_time_format(t, 0, buf);
  ck_assert_str_eq(buf, "23:59:59");
  sl_time_format(t, 3, buf);
  ck_assert_str_eq(buf, "23:59:59.123");
  sl_time_format(t, 9, buf);
  ck_assert_str_eq(buf, "23:59:59.123456000");
  ck_assert_int_eq(sl_time_parse("24:00:00", 8, &t), SL_EFORMAT);
  ck_assert_int_eq(sl_time_parse("12", 2, &t), SL_EFORMAT);
  ck_assert_int_eq(sl_time_parse("12:61", 5, &t), SL_EFORMAT);
}
END_TEST

/* ---- Patterns ------------------------------------------------------------------------------- */

static const char *PF(int64_t v, const char *pat) {
  static char buf[256];
  int n = sl_ts_format_pattern(v, pat, strlen(pat), buf, sizeof buf);
  ck_assert_msg(n >= 0, "pattern '%s' failed: %d", pat, n);
  ck_assert_int_eq((size_t)n, strlen(buf));
  return buf;
}

START_TEST(test_format_pattern_every_letter) {
  /* Friday 2024-03-01, day 61 of the year, ISO week 9 */
  int64_t v = TS("2024-03-01 08:05:09.123456");
  int64_t pm = TS("2024-03-01 20:05:09");
  int64_t mid = TS("2024-03-01 00:00:00");
  ck_assert_str_eq(PF(v, "yyyy-MM-dd HH:mm:ss"), "2024-03-01 08:05:09");
  ck_assert_str_eq(PF(v, "yy"), "24");
  ck_assert_str_eq(PF(v, "y"), "2024");
  ck_assert_str_eq(PF(v, "M/d"), "3/1");
  ck_assert_str_eq(PF(v, "MMM"), "Mar");
  ck_assert_str_eq(PF(v, "MMMM"), "March");
  ck_assert_str_eq(PF(v, "H:m:s"), "8:5:9");
  ck_assert_str_eq(PF(pm, "HH hh h a"), "20 08 8 PM");
  ck_assert_str_eq(PF(mid, "HH hh a"), "00 12 AM");
  ck_assert_str_eq(PF(v, "S"), "1");
  ck_assert_str_eq(PF(v, "SSS"), "123");
  ck_assert_str_eq(PF(v, "SSSSSS"), "123456");
  ck_assert_str_eq(PF(v, "SSSSSSSSS"), "123456000");
  ck_assert_str_eq(PF(v, "E EEE EEEE"), "Fri Fri Friday");
  ck_assert_str_eq(PF(v, "D DDD"), "61 061");
  ck_assert_str_eq(PF(v, "yyyyMMddHHmmss"), "20240301080509");
  ck_assert_str_eq(PF(mid, "k K kk KK"), "24 0 24 00");
  ck_assert_str_eq(PF(pm, "k K"), "20 8");
  ck_assert_str_eq(PF(v, "Q QQ QQQ QQQQ"), "1 01 Q1 1st quarter");
  ck_assert_str_eq(PF(v, "n"), "123456000");
  ck_assert_str_eq(PF(v, "G uuuu"), "AD 2024");
  ck_assert_str_eq(PF(v, "w"), "9");
  /* US weeks start on Sunday; the week holding January 1st is week 1 */
  ck_assert_str_eq(PF(TS("2023-12-31 00:00:00"), "w"), "1");
  ck_assert_str_eq(PF(TS("2022-12-31 00:00:00"), "w"), "53");
  ck_assert_str_eq(PF(TS("0001-01-01 00:00:00"), "yyyy-MM-dd EEEE"), "0001-01-01 Monday");
  ck_assert_str_eq(PF(TS("1969-12-31 23:59:59.999"), "yyyy-MM-dd HH:mm:ss.SSS E"),
                   "1969-12-31 23:59:59.999 Wed");
}
END_TEST

START_TEST(test_format_pattern_literals_and_quotes) {
  int64_t v = TS("2024-03-01 08:05:09");
  ck_assert_str_eq(PF(v, "yyyy-MM-dd'T'HH:mm:ss'Z'"), "2024-03-01T08:05:09Z");
  ck_assert_str_eq(PF(v, "h 'o''clock' a"), "8 o'clock AM");
  ck_assert_str_eq(PF(v, "''yy''"), "'24'");
  ck_assert_str_eq(PF(v, "'at' HH"), "at 08");
  ck_assert_str_eq(PF(v, "[yyyy] #"), "[2024] #");
  char buf[64];
  ck_assert_int_eq(sl_ts_format_pattern(v, "yyyy VV", 7, buf, sizeof buf), SL_EINVAL); /* zone */
  ck_assert_int_eq(sl_ts_format_pattern(v, "HH:mm Z", 7, buf, sizeof buf), SL_EINVAL);
  ck_assert_int_eq(sl_ts_format_pattern(v, "'open", 5, buf, sizeof buf), SL_EINVAL);
}
END_TEST

START_TEST(test_format_pattern_truncates_to_cap) {
  char buf[5];
  int64_t v = TS("2024-03-01 08:05:09");
  int n = sl_ts_format_pattern(v, "yyyy-MM-dd", 10, buf, sizeof buf);
  ck_assert_int_eq(n, 4);
  ck_assert_str_eq(buf, "2024");
}
END_TEST

static int64_t PP(const char *s, const char *pat) {
  int64_t v = 0;
  int rc = sl_ts_parse_pattern(s, strlen(s), pat, strlen(pat), &v);
  ck_assert_msg(rc == 0, "'%s' with '%s' failed: %d", s, pat, rc);
  return v;
}

START_TEST(test_parse_pattern_letters) {
  ck_assert(PP("2024-03-01 08:05:09", "yyyy-MM-dd HH:mm:ss") == TS("2024-03-01 08:05:09"));
  ck_assert(PP("01/03/2024", "dd/MM/yyyy") == TS("2024-03-01"));
  ck_assert(PP("20240301080509", "yyyyMMddHHmmss") == TS("2024-03-01 08:05:09"));
  ck_assert(PP("2024-03-01T08:05:09.123Z", "yyyy-MM-dd'T'HH:mm:ss.SSS'Z'") ==
            TS("2024-03-01 08:05:09.123"));
  ck_assert(PP("Mar 1, 2024 8:05 PM", "MMM d, yyyy h:mm a") == TS("2024-03-01 20:05:00"));
  ck_assert(PP("March 1 2024 12:00 AM", "MMMM d yyyy hh:mm a") == TS("2024-03-01 00:00:00"));
  ck_assert(PP("Fri, 01 Mar 24", "EEE, dd MMM yy") == TS("2024-03-01"));
  ck_assert(PP("2024 061", "yyyy DDD") == TS("2024-03-01"));
  ck_assert(PP("08:05", "HH:mm") == TS("1970-01-01 08:05:00"));
  ck_assert(PP("2024-03-01 08:05:09.123456", "yyyy-MM-dd HH:mm:ss.SSSSSS") ==
            TS("2024-03-01 08:05:09.123456"));
}
END_TEST

START_TEST(test_parse_pattern_failures_and_fallback) {
  int64_t v;
  const char *pat = "yyyy-MM-dd HH:mm:ss";
  /* Flink falls back to Timestamp.valueOf for single-digit fields */
  ck_assert(PP("1999-9-10 05:20:10", pat) == TS("1999-09-10 05:20:10"));
  ck_assert(PP("1999-9-10", pat) == TS("1999-09-10"));
  /* ... which rolls fields over like java.util.Date and wants 1..9 fraction digits */
  ck_assert(PP("2024-03-01 25:00:00", "dd/MM/yyyy") == TS("2024-03-02 01:00:00"));
  ck_assert(PP("2024-02-30", "dd/MM/yyyy") == TS("2024-03-01"));
  ck_assert(PP("2024-03-01 8:0:1.5", "dd/MM/yyyy") == TS("2024-03-01 08:00:01.5"));
  ck_assert_int_eq(sl_ts_parse_pattern("2024-03-01 08:00:01.", 20, "dd/MM/yyyy", 10, &v), SL_EFORMAT);
  ck_assert_int_eq(sl_ts_parse_pattern("2024-03-01 08:00", 16, "dd/MM/yyyy", 10, &v), SL_EFORMAT);
  ck_assert_int_eq(sl_ts_parse_pattern("2024-13-01", 10, "dd/MM/yyyy", 10, &v), SL_EFORMAT);
  ck_assert_int_eq(sl_ts_parse_pattern("not a date", 10, pat, strlen(pat), &v), SL_EFORMAT);
  ck_assert_int_eq(sl_ts_parse_pattern("2024-02-32 00:00:00", 19, pat, strlen(pat), &v), SL_EFORMAT);
  ck_assert(PP("2024-03-01 25:00:00", pat) == TS("2024-03-02 01:00:00")); /* via the fallback */
  ck_assert_int_eq(sl_ts_parse_pattern("2024-03-01 08:00:00 extra", 25, pat, strlen(pat), &v),
                   SL_EFORMAT);
  ck_assert_int_eq(sl_ts_parse_pattern("13 PM", 5, "h a", 3, &v), SL_EFORMAT);
}
END_TEST

START_TEST(test_parse_pattern_java_widths_and_resolver) {
  int64_t v;
  /* two letters need two digits, as in java.time; "HH:mm" has no fallback for "07:4" */
  ck_assert_int_eq(sl_ts_parse_pattern("07:4", 4, "HH:mm", 5, &v), SL_EFORMAT);
  ck_assert(PP("7:4", "H:m") == TS("1970-01-01 07:04:00"));
  ck_assert_int_eq(sl_ts_parse_pattern("2024 61", 7, "yyyy DDD", 8, &v), SL_EFORMAT);
  ck_assert(PP("2024 61", "yyyy D") == TS("2024-03-01"));
  ck_assert_int_eq(sl_ts_parse_pattern("08:00:00.12", 11, "HH:mm:ss.SSS", 12, &v), SL_EFORMAT);
  /* the SMART resolver clamps the day of month */
  ck_assert(PP("2024-02-30", "yyyy-MM-dd") == TS("2024-02-29"));
  ck_assert(PP("2023-02-31", "yyyy-MM-dd") == TS("2023-02-28"));
  ck_assert(PP("2024-04-31", "yyyy-MM-dd") == TS("2024-04-30"));
  ck_assert_int_eq(sl_ts_parse_pattern("2024-03-32", 10, "yyyy-MM-dd", 10, &v), SL_EFORMAT);
  /* a day name that contradicts the date is a conflict */
  ck_assert_int_eq(sl_ts_parse_pattern("Sat, 01 Mar 24", 14, "EEE, dd MMM yy", 14, &v), SL_EFORMAT);
  /* an unterminated quote in the pattern */
  ck_assert_int_eq(sl_ts_parse_pattern("x", 1, "'x", 2, &v), SL_EFORMAT);
}
END_TEST

/* ---- EXTRACT -------------------------------------------------------------------------------- */

static int64_t EX(int unit, int kind, int64_t v) {
  int64_t out = -12345;
  int rc = sl_extract(unit, kind, v, &out);
  ck_assert_msg(rc == 0, "extract unit %d kind %d failed", unit, kind);
  return out;
}

START_TEST(test_extract_timestamp_fields) {
  int64_t v = TS("2024-03-01 08:05:09.123456");
  int k = SL_TYPE_TIMESTAMP;
  ck_assert_int_eq(EX(SL_UNIT_YEAR, k, v), 2024);
  ck_assert_int_eq(EX(SL_UNIT_QUARTER, k, v), 1);
  ck_assert_int_eq(EX(SL_UNIT_MONTH, k, v), 3);
  ck_assert_int_eq(EX(SL_UNIT_WEEK, k, v), 9);
  ck_assert_int_eq(EX(SL_UNIT_DAY, k, v), 1);
  ck_assert_int_eq(EX(SL_UNIT_HOUR, k, v), 8);
  ck_assert_int_eq(EX(SL_UNIT_MINUTE, k, v), 5);
  ck_assert_int_eq(EX(SL_UNIT_SECOND, k, v), 9);
  ck_assert_int_eq(EX(SL_UNIT_MILLISECOND, k, v), 123);
  ck_assert_int_eq(EX(SL_UNIT_MICROSECOND, k, v), 123456);
  ck_assert_int_eq(EX(SL_UNIT_NANOSECOND, k, v), 123456000);
  ck_assert_int_eq(EX(SL_UNIT_DOW, k, v), 6);    /* Friday, Sunday = 1 */
  ck_assert_int_eq(EX(SL_UNIT_ISODOW, k, v), 5); /* Friday, Monday = 1 */
  ck_assert_int_eq(EX(SL_UNIT_DOY, k, v), 61);
  ck_assert_int_eq(EX(SL_UNIT_EPOCH, k, v), 1709280309);
  ck_assert_int_eq(EX(SL_UNIT_DECADE, k, v), 202);
  ck_assert_int_eq(EX(SL_UNIT_CENTURY, k, v), 21);
  ck_assert_int_eq(EX(SL_UNIT_MILLENNIUM, k, v), 3);
  ck_assert_int_eq(EX(SL_UNIT_ISOYEAR, k, v), 2024);
  ck_assert_int_eq(EX(SL_UNIT_YEAR, SL_TYPE_TIMESTAMP_LTZ, v), 2024);
}
END_TEST

START_TEST(test_extract_iso_week_year_boundaries) {
  int k = SL_TYPE_DATE;
  int64_t d = sl_days_from_civil(2021, 1, 1); /* Friday: week 53 of 2020 */
  ck_assert_int_eq(EX(SL_UNIT_WEEK, k, d), 53);
  ck_assert_int_eq(EX(SL_UNIT_ISOYEAR, k, d), 2020);
  d = sl_days_from_civil(2024, 12, 30); /* Monday: week 1 of 2025 */
  ck_assert_int_eq(EX(SL_UNIT_WEEK, k, d), 1);
  ck_assert_int_eq(EX(SL_UNIT_ISOYEAR, k, d), 2025);
  d = sl_days_from_civil(2024, 3, 3); /* Sunday */
  ck_assert_int_eq(EX(SL_UNIT_DOW, k, d), 1);
  ck_assert_int_eq(EX(SL_UNIT_ISODOW, k, d), 7);
  d = sl_days_from_civil(2024, 3, 2); /* Saturday */
  ck_assert_int_eq(EX(SL_UNIT_DOW, k, d), 7);
  ck_assert_int_eq(EX(SL_UNIT_DOY, k, sl_days_from_civil(2024, 12, 31)), 366);
  ck_assert_int_eq(EX(SL_UNIT_DOY, k, sl_days_from_civil(2023, 12, 31)), 365);
  ck_assert_int_eq(EX(SL_UNIT_CENTURY, k, sl_days_from_civil(2000, 6, 1)), 20);
  ck_assert_int_eq(EX(SL_UNIT_MILLENNIUM, k, sl_days_from_civil(2000, 6, 1)), 2);
  ck_assert_int_eq(EX(SL_UNIT_EPOCH, k, 1), 86400);
  int64_t out;
  ck_assert_int_eq(sl_extract(SL_UNIT_HOUR, k, d, &out), SL_EINVAL);
}
END_TEST

START_TEST(test_extract_before_epoch) {
  int64_t v = TS("1969-12-31 23:59:58.999");
  int k = SL_TYPE_TIMESTAMP;
  ck_assert_int_eq(EX(SL_UNIT_YEAR, k, v), 1969);
  ck_assert_int_eq(EX(SL_UNIT_DAY, k, v), 31);
  ck_assert_int_eq(EX(SL_UNIT_HOUR, k, v), 23);
  ck_assert_int_eq(EX(SL_UNIT_SECOND, k, v), 58);
  ck_assert_int_eq(EX(SL_UNIT_MILLISECOND, k, v), 999);
  ck_assert_int_eq(EX(SL_UNIT_DOW, k, v), 4); /* Wednesday */
  ck_assert_int_eq(EX(SL_UNIT_EPOCH, k, v), -2);
}
END_TEST

START_TEST(test_extract_time_and_intervals) {
  int64_t t = (13 * 3600 + 14 * 60 + 15) * SL_MICROS_PER_SEC + 16000;
  ck_assert_int_eq(EX(SL_UNIT_HOUR, SL_TYPE_TIME, t), 13);
  ck_assert_int_eq(EX(SL_UNIT_MINUTE, SL_TYPE_TIME, t), 14);
  ck_assert_int_eq(EX(SL_UNIT_SECOND, SL_TYPE_TIME, t), 15);
  ck_assert_int_eq(EX(SL_UNIT_MILLISECOND, SL_TYPE_TIME, t), 16);
  int64_t out;
  ck_assert_int_eq(sl_extract(SL_UNIT_YEAR, SL_TYPE_TIME, t, &out), SL_EINVAL);
  ck_assert_int_eq(sl_extract(SL_UNIT_DAY, SL_TYPE_INTERVAL_YM, 18, &out), SL_EINVAL);
  ck_assert_int_eq(sl_extract(SL_UNIT_YEAR, SL_TYPE_INTERVAL_DT, 18, &out), SL_EINVAL);
  ck_assert_int_eq(EX(SL_UNIT_YEAR, SL_TYPE_INTERVAL_YM, 18), 1);
  ck_assert_int_eq(EX(SL_UNIT_MONTH, SL_TYPE_INTERVAL_YM, 18), 6);
  ck_assert_int_eq(EX(SL_UNIT_YEAR, SL_TYPE_INTERVAL_YM, -18), -1);
  ck_assert_int_eq(EX(SL_UNIT_MONTH, SL_TYPE_INTERVAL_YM, -18), -6);
  int64_t dt = 2 * SL_MICROS_PER_DAY + (3 * 3600 + 4 * 60 + 5) * SL_MICROS_PER_SEC + 500000;
  ck_assert_int_eq(EX(SL_UNIT_DAY, SL_TYPE_INTERVAL_DT, dt), 2);
  ck_assert_int_eq(EX(SL_UNIT_HOUR, SL_TYPE_INTERVAL_DT, dt), 3);
  ck_assert_int_eq(EX(SL_UNIT_MINUTE, SL_TYPE_INTERVAL_DT, dt), 4);
  ck_assert_int_eq(EX(SL_UNIT_SECOND, SL_TYPE_INTERVAL_DT, dt), 5);
  ck_assert_int_eq(EX(SL_UNIT_HOUR, SL_TYPE_INTERVAL_DT, -dt), -3);
}
END_TEST

/* ---- INTERVAL ------------------------------------------------------------------------------- */

static int64_t IV(const char *s, int from, int to, bool expect_ym) {
  bool ym = !expect_ym;
  int64_t v = 0;
  int rc = sl_interval_parse(s, strlen(s), from, to, &ym, &v);
  ck_assert_msg(rc == 0, "interval '%s' %d..%d failed: %d", s, from, to, rc);
  ck_assert(ym == expect_ym);
  return v;
}

#define SEC SL_MICROS_PER_SEC
#define MINS (60 * SEC)
#define HOURS (3600 * SEC)
#define DAYS SL_MICROS_PER_DAY

START_TEST(test_interval_parse_every_qualifier) {
  ck_assert(IV("3", SL_UNIT_YEAR, SL_UNIT_NONE, true) == 36);
  ck_assert(IV("1-6", SL_UNIT_YEAR, SL_UNIT_MONTH, true) == 18);
  ck_assert(IV("-1-6", SL_UNIT_YEAR, SL_UNIT_MONTH, true) == -18);
  ck_assert(IV("15", SL_UNIT_MONTH, SL_UNIT_NONE, true) == 15);
  ck_assert(IV("2", SL_UNIT_QUARTER, SL_UNIT_NONE, true) == 6);
  ck_assert(IV("2", SL_UNIT_WEEK, SL_UNIT_NONE, false) == 14 * DAYS);
  ck_assert(IV("-5", SL_UNIT_DAY, SL_UNIT_NONE, false) == -5 * DAYS);
  ck_assert(IV("+5", SL_UNIT_DAY, SL_UNIT_NONE, false) == 5 * DAYS);
  ck_assert(IV("2 03", SL_UNIT_DAY, SL_UNIT_HOUR, false) == 2 * DAYS + 3 * HOURS);
  ck_assert(IV("2 03:04", SL_UNIT_DAY, SL_UNIT_MINUTE, false) == 2 * DAYS + 3 * HOURS + 4 * MINS);
  ck_assert(IV("2 03:04:05.5", SL_UNIT_DAY, SL_UNIT_SECOND, false) ==
            2 * DAYS + 3 * HOURS + 4 * MINS + 5 * SEC + 500000);
  ck_assert(IV("2 3:4:5", SL_UNIT_DAY, SL_UNIT_SECOND, false) ==
            2 * DAYS + 3 * HOURS + 4 * MINS + 5 * SEC);
  ck_assert(IV("36", SL_UNIT_HOUR, SL_UNIT_NONE, false) == 36 * HOURS);
  ck_assert(IV("1:30", SL_UNIT_HOUR, SL_UNIT_MINUTE, false) == 90 * MINS);
  ck_assert(IV("1:30:15.25", SL_UNIT_HOUR, SL_UNIT_SECOND, false) == 90 * MINS + 15 * SEC + 250000);
  ck_assert(IV("5", SL_UNIT_MINUTE, SL_UNIT_NONE, false) == 5 * MINS);
  ck_assert(IV("1:30", SL_UNIT_MINUTE, SL_UNIT_SECOND, false) == 90 * SEC);
  ck_assert(IV("-1:30", SL_UNIT_MINUTE, SL_UNIT_SECOND, false) == -90 * SEC);
  ck_assert(IV("1.5", SL_UNIT_SECOND, SL_UNIT_NONE, false) == 1500000);
  ck_assert(IV("90", SL_UNIT_SECOND, SL_UNIT_NONE, false) == 90 * SEC);
  ck_assert(IV("0.123456789", SL_UNIT_SECOND, SL_UNIT_NONE, false) == 123456);
  ck_assert(IV(" 10 ", SL_UNIT_SECOND, SL_UNIT_NONE, false) == 10 * SEC);
}
END_TEST

START_TEST(test_interval_parse_rejects) {
  struct { const char *s; int from, to; } bad[] = {
      {"1-12", SL_UNIT_YEAR, SL_UNIT_MONTH},      {"1", SL_UNIT_YEAR, SL_UNIT_MONTH},
      {"2 24", SL_UNIT_DAY, SL_UNIT_HOUR},        {"2 03:60", SL_UNIT_DAY, SL_UNIT_MINUTE},
      {"1:60", SL_UNIT_MINUTE, SL_UNIT_SECOND},   {"abc", SL_UNIT_DAY, SL_UNIT_NONE},
      {"", SL_UNIT_DAY, SL_UNIT_NONE},            {"1.5", SL_UNIT_MINUTE, SL_UNIT_NONE},
      {"1 2", SL_UNIT_HOUR, SL_UNIT_NONE},        {"5", SL_UNIT_SECOND, SL_UNIT_YEAR},
      {"1.", SL_UNIT_SECOND, SL_UNIT_NONE},       {"--1", SL_UNIT_DAY, SL_UNIT_NONE},
  };
  for (size_t k = 0; k < sizeof bad / sizeof bad[0]; k++) {
    bool ym;
    int64_t v;
    ck_assert_msg(sl_interval_parse(bad[k].s, strlen(bad[k].s), bad[k].from, bad[k].to, &ym, &v) ==
                      SL_EFORMAT, "'%s'", bad[k].s);
  }
}
END_TEST

START_TEST(test_interval_format_flink_forms) {
  char buf[48];
  ck_assert_int_eq(sl_interval_format(5 * MINS, false, buf), 15);
  ck_assert_str_eq(buf, "+0 00:05:00.000");
  sl_interval_format(5 * DAYS + 90 * SEC, false, buf);
  ck_assert_str_eq(buf, "+5 00:01:30.000");
  sl_interval_format(-(3 * DAYS + 4 * HOURS + 5 * MINS + 6 * SEC + 789000), false, buf);
  ck_assert_str_eq(buf, "-3 04:05:06.789");
  sl_interval_format(123 * DAYS + 1, false, buf);
  ck_assert_str_eq(buf, "+123 00:00:00.000");
  sl_interval_format(18, true, buf);
  ck_assert_str_eq(buf, "+1-06");
  sl_interval_format(-18, true, buf);
  ck_assert_str_eq(buf, "-1-06");
  sl_interval_format(0, true, buf);
  ck_assert_str_eq(buf, "+0-00");
  sl_interval_format(1200, true, buf);
  ck_assert_str_eq(buf, "+100-00");
}
END_TEST

static Suite *datetime_suite(void) {
  Suite *s = suite_create("datetime");
  TCase *tc = tcase_create("calendar");
  tcase_add_test(tc, test_days_from_civil_known_dates);
  tcase_add_test(tc, test_civil_from_days_round_trips_every_day);
  tcase_add_test(tc, test_floor_div_mod_negative);
  suite_add_tcase(s, tc);
  tc = tcase_create("text");
  tcase_add_test(tc, test_ts_parse_sql_forms);
  tcase_add_test(tc, test_ts_parse_iso_forms);
  tcase_add_test(tc, test_ts_parse_rejects_bad_fields);
  tcase_add_test(tc, test_ts_format_precisions);
  tcase_add_test(tc, test_ts_format_before_epoch);
  tcase_add_test(tc, test_date_parse_and_format);
  tcase_add_test(tc, test_time_parse_and_format);
  suite_add_tcase(s, tc);
  tc = tcase_create("pattern");
  tcase_add_test(tc, test_format_pattern_every_letter);
  tcase_add_test(tc, test_format_pattern_literals_and_quotes);
  tcase_add_test(tc, test_format_pattern_truncates_to_cap);
  tcase_add_test(tc, test_parse_pattern_letters);
  tcase_add_test(tc, test_parse_pattern_failures_and_fallback);
  tcase_add_test(tc, test_parse_pattern_java_widths_and_resolver);
  suite_add_tcase(s, tc);
  tc = tcase_create("extract");
  tcase_add_test(tc, test_extract_timestamp_fields);
  tcase_add_test(tc, test_extract_iso_week_year_boundaries);
  tcase_add_test(tc, test_extract_before_epoch);
  tcase_add_test(tc, test_extract_time_and_intervals);
  suite_add_tcase(s, tc);
  tc = tcase_create("interval");
  tcase_add_test(tc, test_interval_parse_every_qualifier);
  tcase_add_test(tc, test_interval_parse_rejects);
  tcase_add_test(tc, test_interval_format_flink_forms);
  suite_add_tcase(s, tc);
  return s;
}

int main(void) {
  SRunner *sr = srunner_create(datetime_suite());
  srunner_run_all(sr, CK_NORMAL);
  int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
