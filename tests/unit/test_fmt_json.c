/* test_fmt_json.c - the JSON format: options, every type both ways, NULLs, missing and unknown
 * fields, escapes, exact error messages, ignore-parse-errors and round trips. */
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "connectors/fmt.h"
#include "engine/datetime.h"

/* ------------------------------------------------------------------ fixture */

static sl_option g_items[16];
static sl_options g_opts;
static sl_fmt_dec *g_dec;
static sl_fmt_enc *g_enc;
static sl_batch *g_b;
static sl_err g_err;
static sl_buf g_out;

static sl_type T(sl_type_kind k, int p, int s) { return sl_type_make(k, p, s, true); }
#define STRING T(SL_TYPE_VARCHAR, SL_VARCHAR_MAX, 0)
#define INT T(SL_TYPE_INT, 0, 0)
#define BIGINT T(SL_TYPE_BIGINT, 0, 0)
#define DEC(p, s) T(SL_TYPE_DECIMAL, p, s)
#define TS(p) T(SL_TYPE_TIMESTAMP, p, 0)

/* kv: key, value, ..., NULL. */
static sl_options *opts(const char *const *kv) {
  g_opts.n = 0;
  g_opts.items = g_items;
  for (int i = 0; kv && kv[i]; i += 2) {
    g_items[g_opts.n] = (sl_option){.key = kv[i], .value = kv[i + 1], .key_loc = 100 + i, .value_loc = 200 + i};
    g_opts.n++;
  }
  return &g_opts;
}

static void dec_setup(int n, const char **names, const sl_type *types, const char *const *kv) {
  sl_err_clear(&g_err);
  int rc = sl_fmt_dec_new("json", n, names, types, opts(kv), &g_dec, &g_err);
  ck_assert_msg(rc == 0, "dec_new: %s", g_err.msg);
  g_b = sl_batch_new(n, types, 8);
}

static void enc_setup(int n, const char **names, const sl_type *types, const char *const *kv) {
  sl_err_clear(&g_err);
  int rc = sl_fmt_enc_new("json", n, names, types, opts(kv), &g_enc, &g_err);
  ck_assert_msg(rc == 0, "enc_new: %s", g_err.msg);
  if (!g_b) g_b = sl_batch_new(n, types, 8);
  sl_buf_init(&g_out);
}

static void teardown(void) {
  sl_fmt_dec_free(g_dec);
  sl_fmt_enc_free(g_enc);
  sl_batch_free(g_b);
  if (g_out.data) sl_buf_destroy(&g_out);
  g_dec = NULL;
  g_enc = NULL;
  g_b = NULL;
  memset(&g_out, 0, sizeof g_out);
}

static int dec_row(const char *line, uint32_t row) {
  sl_err_clear(&g_err);
  return sl_fmt_dec_record(g_dec, line, strlen(line), g_b, row, &g_err);
}
static int dec(const char *line) { return dec_row(line, 0); }

static bool N(int c) { return sl_col_is_null(&g_b->cols[c], 0); }
static int64_t I(int c) {
  ck_assert_msg(!N(c), "column %d is NULL", c);
  return g_b->cols[c].i64[0];
}
static double F(int c) {
  ck_assert(!N(c));
  return g_b->cols[c].f64[0];
}
static sl_i128 D(int c) {
  ck_assert(!N(c));
  return g_b->cols[c].dec[0];
}
static void ck_str(int c, const char *want, size_t n) {
  ck_assert_msg(!N(c), "column %d is NULL", c);
  sl_str s = g_b->cols[c].str[0];
  ck_assert_msg(s.len == n && memcmp(s.ptr, want, n) == 0, "column %d: got '%.*s', want '%.*s'", c, (int)s.len,
                s.ptr, (int)n, want);
}
#define CK_STR(c, lit) ck_str(c, lit, sizeof(lit) - 1)

static int64_t micros(int y, int m, int d, int h, int mi, int s, int us) {
  return sl_days_from_civil(y, m, d) * SL_MICROS_PER_DAY + ((int64_t)h * 3600 + mi * 60 + s) * SL_MICROS_PER_SEC + us;
}

static void ck_err(int rc, const char *msg) {
  ck_assert_int_eq(rc, SL_EFORMAT);
  ck_assert_str_eq(g_err.msg, msg);
}

/* ------------------------------------------------------------------ options */

START_TEST(test_json_unknown_format_is_config_error) {
  const char *names[] = {"a"};
  sl_type types[] = {INT};
  sl_err_clear(&g_err);
  ck_assert_int_eq(sl_fmt_dec_new("xml", 1, names, types, opts(NULL), &g_dec, &g_err), SL_ECONFIG);
  ck_assert_str_eq(g_err.msg, "unsupported format 'xml' (supported: 'json', 'csv')");
  ck_assert_ptr_null(g_dec);
}
END_TEST

START_TEST(test_json_options_all_flink_options_are_consumed) {
  const char *names[] = {"a"};
  sl_type types[] = {INT};
  const char *kv[] = {"json.fail-on-missing-field", "true", "json.timestamp-format.standard", "ISO-8601",
                      "json.map-null-key.mode", "drop", "json.map-null-key.literal", "N/A",
                      "json.encode.decimal-as-plain-number", "true", "json.encode.ignore-null-fields", "false",
                      "json.decode.json-parser.enabled", "false", "json.unknown", "1", NULL};
  dec_setup(1, names, types, kv);
  sl_err_clear(&g_err);
  ck_assert_int_eq(sl_options_check_unused(&g_opts, "connector 'filesystem'", &g_err), SL_ECONFIG);
  ck_assert_str_eq(g_err.msg, "unsupported option 'json.unknown' for connector 'filesystem'");
  ck_assert_int_eq(g_err.loc, 114);
  /* An encoder accepts the decoder-side options too, as Flink does. */
  enc_setup(1, names, types, kv);
  ck_assert_int_eq(sl_options_check_unused(&g_opts, "x", &g_err), SL_ECONFIG);
}
END_TEST

START_TEST(test_json_option_bad_timestamp_standard) {
  const char *names[] = {"a"};
  sl_type types[] = {INT};
  const char *kv[] = {"json.timestamp-format.standard", "iso-8601", NULL};
  sl_err_clear(&g_err);
  ck_assert_int_eq(sl_fmt_dec_new("json", 1, names, types, opts(kv), &g_dec, &g_err), SL_ECONFIG);
  ck_assert_str_eq(g_err.msg, "option 'json.timestamp-format.standard' must be 'SQL' or 'ISO-8601', not 'iso-8601'");
  ck_assert_int_eq(g_err.loc, 200);
}
END_TEST

START_TEST(test_json_option_bad_boolean) {
  const char *names[] = {"a"};
  sl_type types[] = {INT};
  const char *kv[] = {"json.ignore-parse-errors", "yes", NULL};
  sl_err_clear(&g_err);
  ck_assert_int_eq(sl_fmt_enc_new("json", 1, names, types, opts(kv), &g_enc, &g_err), SL_ECONFIG);
  ck_assert_str_eq(g_err.msg, "option 'json.ignore-parse-errors' must be 'true' or 'false', not 'yes'");
}
END_TEST

START_TEST(test_json_option_missing_and_ignore_cannot_both_be_true) {
  const char *names[] = {"a"};
  sl_type types[] = {INT};
  const char *kv[] = {"json.fail-on-missing-field", "true", "json.ignore-parse-errors", "true", NULL};
  sl_err_clear(&g_err);
  ck_assert_int_eq(sl_fmt_dec_new("json", 1, names, types, opts(kv), &g_dec, &g_err), SL_ECONFIG);
  ck_assert_str_eq(g_err.msg,
                   "options 'json.fail-on-missing-field' and 'json.ignore-parse-errors' cannot both be true");
}
END_TEST

START_TEST(test_json_option_bad_map_null_key_mode) {
  const char *names[] = {"a"};
  sl_type types[] = {INT};
  const char *kv[] = {"json.map-null-key.mode", "SKIP", NULL};
  sl_err_clear(&g_err);
  ck_assert_int_eq(sl_fmt_enc_new("json", 1, names, types, opts(kv), &g_enc, &g_err), SL_ECONFIG);
  ck_assert_str_eq(g_err.msg, "option 'json.map-null-key.mode' must be 'FAIL', 'DROP' or 'LITERAL', not 'SKIP'");
}
END_TEST

/* ------------------------------------------------------------------ decoding: types */

static const char *tx_names[] = {"transaction_id", "card_id", "amount", "merchant_country", "event_time"};
static sl_type tx_types[5];
static void tx_setup(const char *const *kv) {
  sl_type t[] = {STRING, STRING, DEC(10, 2), STRING, TS(3)};
  memcpy(tx_types, t, sizeof t);
  dec_setup(5, tx_names, tx_types, kv);
}

START_TEST(test_json_decode_transaction_line) {
  tx_setup(NULL);
  ck_assert_int_eq(dec("{\"transaction_id\":\"tx-000001\",\"card_id\":\"card-0042\",\"amount\":123.45,"
                       "\"merchant_country\":\"US\",\"event_time\":\"2024-03-01 08:00:01.326\"}"),
                   0);
  CK_STR(0, "tx-000001");
  CK_STR(1, "card-0042");
  ck_assert(D(2) == 12345);
  CK_STR(3, "US");
  ck_assert_int_eq(I(4), micros(2024, 3, 1, 8, 0, 1, 326000));
}
END_TEST

START_TEST(test_json_decode_fields_in_any_order_with_blanks) {
  tx_setup(NULL);
  ck_assert_int_eq(dec("  { \"event_time\" : \"2024-03-01 08:00:01\" ,\t\"amount\": -0.5, \"card_id\":\"c\","
                       "\"merchant_country\":null , \"transaction_id\" : \"t\" }  "),
                   0);
  CK_STR(0, "t");
  CK_STR(1, "c");
  ck_assert(D(2) == -50);
  ck_assert(N(3));
  ck_assert_int_eq(I(4), micros(2024, 3, 1, 8, 0, 1, 0));
}
END_TEST

START_TEST(test_json_decode_every_scalar_type) {
  const char *names[] = {"b", "ti", "si", "i", "bi", "f", "d", "dec", "ch", "vc", "dt", "tm", "ts", "ltz", "ym", "dts"};
  sl_type types[] = {T(SL_TYPE_BOOLEAN, 0, 0), T(SL_TYPE_TINYINT, 0, 0), T(SL_TYPE_SMALLINT, 0, 0), INT, BIGINT,
                     T(SL_TYPE_FLOAT, 0, 0), T(SL_TYPE_DOUBLE, 0, 0), DEC(38, 10), T(SL_TYPE_CHAR, 3, 0),
                     T(SL_TYPE_VARCHAR, 10, 0), T(SL_TYPE_DATE, 0, 0), T(SL_TYPE_TIME, 3, 0), TS(6),
                     T(SL_TYPE_TIMESTAMP_LTZ, 3, 0), T(SL_TYPE_INTERVAL_YM, 0, 0), T(SL_TYPE_INTERVAL_DT, 3, 0)};
  dec_setup(16, names, types, NULL);
  ck_assert_int_eq(dec("{\"b\":true,\"ti\":-128,\"si\":32767,\"i\":-2147483648,\"bi\":9223372036854775807,"
                       "\"f\":1.1,\"d\":-2.5e-3,\"dec\":12345678901234567890.0123456789,\"ch\":\"abc\","
                       "\"vc\":\"hello\",\"dt\":\"2024-02-29\",\"tm\":\"23:59:58.123456\","
                       "\"ts\":\"1969-12-31 23:59:59.999999\",\"ltz\":\"2024-03-01 08:00:01.326Z\","
                       "\"ym\":14,\"dts\":1500}"),
                   0);
  ck_assert_int_eq(I(0), 1);
  ck_assert_int_eq(I(1), -128);
  ck_assert_int_eq(I(2), 32767);
  ck_assert_int_eq(I(3), INT32_MIN);
  ck_assert_int_eq(I(4), INT64_MAX);
  ck_assert(F(5) == (double)1.1f);
  ck_assert(F(6) == -2.5e-3);
  ck_assert(D(7) == (sl_i128)1234567890123456789 * 10000000000 * 10 + 123456789);
  CK_STR(8, "abc");
  CK_STR(9, "hello");
  ck_assert_int_eq(I(10), sl_days_from_civil(2024, 2, 29));
  ck_assert_int_eq(I(11), ((int64_t)23 * 3600 + 59 * 60 + 58) * SL_MICROS_PER_SEC + 123000); /* milliseconds */
  ck_assert_int_eq(I(12), -1);
  ck_assert_int_eq(I(13), micros(2024, 3, 1, 8, 0, 1, 326000));
  ck_assert_int_eq(I(14), 14);
  ck_assert_int_eq(I(15), 1500000); /* milliseconds in JSON, microseconds inside */
}
END_TEST

START_TEST(test_json_decode_null_and_missing_fields_are_null) {
  tx_setup(NULL);
  ck_assert_int_eq(dec("{\"card_id\":null,\"amount\":1}"), 0);
  ck_assert(N(0));
  ck_assert(N(1));
  ck_assert(D(2) == 100);
  ck_assert(N(3));
  ck_assert(N(4));
}
END_TEST

START_TEST(test_json_decode_empty_object_is_all_null) {
  tx_setup(NULL);
  ck_assert_int_eq(dec("{}"), 0);
  for (int c = 0; c < 5; c++) ck_assert(N(c));
}
END_TEST

START_TEST(test_json_decode_reused_row_clears_null_flag) {
  tx_setup(NULL);
  ck_assert_int_eq(dec("{\"amount\":null}"), 0);
  ck_assert(N(2));
  ck_assert_int_eq(dec("{\"amount\":2}"), 0);
  ck_assert(!N(2));
  ck_assert(D(2) == 200);
}
END_TEST

START_TEST(test_json_decode_fail_on_missing_field_names_it) {
  const char *kv[] = {"json.fail-on-missing-field", "true", NULL};
  tx_setup(kv);
  ck_err(dec("{\"transaction_id\":\"t\",\"card_id\":\"c\",\"merchant_country\":\"US\",\"event_time\":null}"),
         "missing field 'amount'");
  /* Present but null is not missing. */
  ck_assert_int_eq(dec("{\"transaction_id\":\"t\",\"card_id\":\"c\",\"amount\":null,\"merchant_country\":\"US\","
                       "\"event_time\":null}"),
                   0);
}
END_TEST

START_TEST(test_json_decode_unknown_fields_and_nested_values_are_skipped) {
  const char *names[] = {"a", "b"};
  sl_type types[] = {INT, STRING};
  dec_setup(2, names, types, NULL);
  ck_assert_int_eq(dec("{\"x\":{\"a\":[1,{\"b\":\"}]\\\"\"}],\"c\":{}},\"a\":7,\"y\":[[],[[]],{}],"
                       "\"z\":\"\\\"}\",\"n\":null,\"t\":true,\"f\":false,\"num\":-1.5e+3,\"b\":\"ok\"}"),
                   0);
  ck_assert_int_eq(I(0), 7);
  CK_STR(1, "ok");
}
END_TEST

START_TEST(test_json_decode_duplicate_field_last_wins) {
  const char *names[] = {"a"};
  sl_type types[] = {INT};
  dec_setup(1, names, types, NULL);
  ck_assert_int_eq(dec("{\"a\":1,\"a\":2}"), 0);
  ck_assert_int_eq(I(0), 2);
}
END_TEST

START_TEST(test_json_decode_field_names_are_case_sensitive) {
  const char *names[] = {"Amount"};
  sl_type types[] = {INT};
  dec_setup(1, names, types, NULL);
  ck_assert_int_eq(dec("{\"amount\":1}"), 0);
  ck_assert(N(0));
}
END_TEST

START_TEST(test_json_decode_escaped_field_name_matches) {
  const char *names[] = {"a\"b", "c"};
  sl_type types[] = {INT, INT};
  dec_setup(2, names, types, NULL);
  ck_assert_int_eq(dec("{\"\\u0063\":1,\"a\\\"b\":2}"), 0);
  ck_assert_int_eq(I(0), 2);
  ck_assert_int_eq(I(1), 1);
}
END_TEST

START_TEST(test_json_decode_string_escapes_and_unicode) {
  const char *names[] = {"s"};
  sl_type types[] = {STRING};
  dec_setup(1, names, types, NULL);
  ck_assert_int_eq(dec("{\"s\":\"q\\\" b\\\\ s\\/ \\b\\f\\n\\r\\t \\u00e9\\u20AC\\ud83d\\ude00 \\u0000!\"}"), 0);
  ck_str(0, "q\" b\\ s/ \b\f\n\r\t \xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80 \0!", 27);
  /* Raw UTF-8 and raw control characters pass through (Flink allows unescaped controls). */
  ck_assert_int_eq(dec("{\"s\":\"\xc3\xa9\t\x01\"}"), 0);
  CK_STR(0, "\xc3\xa9\t\x01");
}
END_TEST

START_TEST(test_json_decode_lone_surrogate_becomes_question_mark) {
  const char *names[] = {"s"};
  sl_type types[] = {STRING};
  dec_setup(1, names, types, NULL);
  ck_assert_int_eq(dec("{\"s\":\"a\\ud83db\\ude00c\"}"), 0);
  CK_STR(0, "a?b?c");
}
END_TEST

START_TEST(test_json_decode_long_strings_with_escapes_far_in) {
  const char *names[] = {"s"};
  sl_type types[] = {STRING};
  dec_setup(1, names, types, NULL);
  char line[400], want[300];
  memset(want, 'x', sizeof want);
  want[150] = '"';
  strcpy(line, "{\"s\":\"");
  size_t n = strlen(line);
  memset(line + n, 'x', 150);
  n += 150;
  memcpy(line + n, "\\\"", 2);
  n += 2;
  memset(line + n, 'x', 149);
  n += 149;
  strcpy(line + n, "\"}");
  ck_assert_int_eq(dec(line), 0);
  ck_str(0, want, 300);
}
END_TEST

START_TEST(test_json_decode_scalars_and_containers_into_string_columns) {
  const char *names[] = {"n", "t", "o", "a"};
  sl_type types[] = {STRING, STRING, STRING, STRING};
  dec_setup(4, names, types, NULL);
  ck_assert_int_eq(dec("{\"n\":-12.50e1,\"t\":false,\"o\":{ \"k\" : [1, \"a b\\\"\"] },\"a\":[ ]}"), 0);
  CK_STR(0, "-12.50e1");
  CK_STR(1, "false");
  CK_STR(2, "{\"k\":[1,\"a b\\\"\"]}");
  CK_STR(3, "[]");
}
END_TEST

START_TEST(test_json_decode_numbers_written_as_strings) {
  const char *names[] = {"i", "d", "dec", "b"};
  sl_type types[] = {INT, T(SL_TYPE_DOUBLE, 0, 0), DEC(10, 2), T(SL_TYPE_BOOLEAN, 0, 0)};
  dec_setup(4, names, types, NULL);
  ck_assert_int_eq(dec("{\"i\":\" 42 \",\"d\":\"1e3\",\"dec\":\" 12.345 \",\"b\":\" TRUE \"}"), 0);
  ck_assert_int_eq(I(0), 42);
  ck_assert(F(1) == 1000.0);
  ck_assert(D(2) == 1235);
  ck_assert_int_eq(I(3), 1);
  ck_assert_int_eq(dec("{\"d\":\"NaN\",\"b\":\"yes\"}"), 0);
  ck_assert(isnan(F(1)));
  ck_assert_int_eq(I(3), 0); /* Boolean.parseBoolean: anything but "true" is false */
}
END_TEST

START_TEST(test_json_decode_decimal_rounds_half_up) {
  const char *names[] = {"d"};
  sl_type types[] = {DEC(10, 2)};
  dec_setup(1, names, types, NULL);
  ck_assert_int_eq(dec("{\"d\":1.005}"), 0);
  ck_assert(D(0) == 101);
  ck_assert_int_eq(dec("{\"d\":-1.005}"), 0);
  ck_assert(D(0) == -101);
  ck_assert_int_eq(dec("{\"d\":1.004999}"), 0);
  ck_assert(D(0) == 100);
  ck_assert_int_eq(dec("{\"d\":12}"), 0);
  ck_assert(D(0) == 1200);
  ck_assert_int_eq(dec("{\"d\":1.5e2}"), 0);
  ck_assert(D(0) == 15000);
  ck_assert_int_eq(dec("{\"d\":0.000000000000000000000001}"), 0);
  ck_assert(D(0) == 0);
}
END_TEST

START_TEST(test_json_decode_decimal_overflow_is_an_error) {
  const char *names[] = {"amount"};
  sl_type types[] = {DEC(5, 2)};
  dec_setup(1, names, types, NULL);
  ck_assert_int_eq(dec("{\"amount\":999.99}"), 0);
  ck_assert_int_eq(dec("{\"amount\":999.995}"), SL_EOVERFLOW);
  ck_assert_str_eq(g_err.msg, "field 'amount': value 999.995 is out of range for DECIMAL(5, 2)");
  ck_assert_int_eq(dec("{\"amount\":123456789012345678901234567890}"), SL_EOVERFLOW);
}
END_TEST

START_TEST(test_json_decode_integer_ranges) {
  const char *names[] = {"t", "s", "i", "b"};
  sl_type types[] = {T(SL_TYPE_TINYINT, 0, 0), T(SL_TYPE_SMALLINT, 0, 0), INT, BIGINT};
  dec_setup(4, names, types, NULL);
  ck_assert_int_eq(dec("{\"t\":300}"), SL_EOVERFLOW);
  ck_assert_str_eq(g_err.msg, "field 't': value 300 is out of range for TINYINT");
  ck_assert_int_eq(dec("{\"s\":-32769}"), SL_EOVERFLOW);
  ck_assert_str_eq(g_err.msg, "field 's': value -32769 is out of range for SMALLINT");
  ck_assert_int_eq(dec("{\"i\":\"3000000000\"}"), SL_EOVERFLOW);
  ck_assert_str_eq(g_err.msg, "field 'i': value 3000000000 is out of range for INT");
  ck_assert_int_eq(dec("{\"b\":9223372036854775808}"), SL_EOVERFLOW);
  ck_assert_int_eq(dec("{\"b\":-9223372036854775808}"), 0);
  ck_assert_int_eq(I(3), INT64_MIN);
}
END_TEST

START_TEST(test_json_decode_fraction_into_integer_columns) {
  const char *names[] = {"t", "i", "b"};
  sl_type types[] = {T(SL_TYPE_TINYINT, 0, 0), INT, BIGINT};
  dec_setup(3, names, types, NULL);
  /* INT and BIGINT truncate toward zero (Jackson getIntValue), TINYINT parses the text. */
  ck_assert_int_eq(dec("{\"i\":1.9,\"b\":-2.9e0}"), 0);
  ck_assert_int_eq(I(1), 1);
  ck_assert_int_eq(I(2), -2);
  ck_assert_int_eq(dec("{\"i\":1e10}"), SL_EOVERFLOW);
  ck_err(dec("{\"t\":1.5}"), "field 't': cannot parse '1.5' as TINYINT");
  ck_err(dec("{\"i\":\"1.5\"}"), "field 'i': cannot parse '1.5' as INT");
}
END_TEST

START_TEST(test_json_decode_doubles) {
  const char *names[] = {"d"};
  sl_type types[] = {T(SL_TYPE_DOUBLE, 0, 0)};
  dec_setup(1, names, types, NULL);
  const char *in[] = {"0", "-0.0", "123.45", "1e308", "1.7976931348623157e308", "4.9e-324", "0.1",
                      "12345678901234567890.5", "2.2250738585072014E-308"};
  double want[] = {0, -0.0, 123.45, 1e308, 1.7976931348623157e308, 4.9e-324, 0.1, 12345678901234567890.5,
                   2.2250738585072014E-308};
  for (int i = 0; i < 9; i++) {
    char line[80];
    snprintf(line, sizeof line, "{\"d\":%s}", in[i]);
    ck_assert_int_eq(dec(line), 0);
    ck_assert_msg(F(0) == want[i], "%s", in[i]);
  }
  ck_assert_int_eq(dec("{\"d\":\"-Infinity\"}"), 0);
  ck_assert(F(0) == -INFINITY);
  ck_err(dec("{\"d\":\"1,5\"}"), "field 'd': cannot parse '1,5' as DOUBLE");
}
END_TEST

START_TEST(test_json_decode_booleans) {
  const char *names[] = {"b"};
  sl_type types[] = {T(SL_TYPE_BOOLEAN, 0, 0)};
  dec_setup(1, names, types, NULL);
  ck_assert_int_eq(dec("{\"b\":false}"), 0);
  ck_assert_int_eq(I(0), 0);
  ck_assert_int_eq(dec("{\"b\":\"true\"}"), 0);
  ck_assert_int_eq(I(0), 1);
  ck_assert_int_eq(dec("{\"b\":1}"), 0);
  ck_assert_int_eq(I(0), 0);
  ck_err(dec("{\"b\":{}}"), "field 'b': expected BOOLEAN, found an object");
}
END_TEST

START_TEST(test_json_decode_timestamps_sql_standard) {
  const char *names[] = {"t0", "t3", "t6", "t9"};
  sl_type types[] = {TS(0), TS(3), TS(6), TS(9)};
  dec_setup(4, names, types, NULL);
  const char *v = "\"2024-03-01 08:00:01.123456789\"";
  char line[256];
  snprintf(line, sizeof line, "{\"t0\":%s,\"t3\":%s,\"t6\":%s,\"t9\":%s}", v, v, v, v);
  ck_assert_int_eq(dec(line), 0);
  ck_assert_int_eq(I(0), micros(2024, 3, 1, 8, 0, 1, 0));
  ck_assert_int_eq(I(1), micros(2024, 3, 1, 8, 0, 1, 123000));
  ck_assert_int_eq(I(2), micros(2024, 3, 1, 8, 0, 1, 123456));
  ck_assert_int_eq(I(3), micros(2024, 3, 1, 8, 0, 1, 123456));
  ck_assert_int_eq(dec("{\"t3\":\"2024-03-01 08:00:01.5\"}"), 0);
  ck_assert_int_eq(I(1), micros(2024, 3, 1, 8, 0, 1, 500000));
  /* SQL's layout needs seconds and a blank. */
  ck_err(dec("{\"t3\":\"2024-03-01 08:00\"}"), "field 't3': cannot parse '2024-03-01 08:00' as TIMESTAMP(3)");
  ck_err(dec("{\"t3\":\"2024-03-01T08:00:01\"}"), "field 't3': cannot parse '2024-03-01T08:00:01' as TIMESTAMP(3)");
  ck_err(dec("{\"t3\":\"2024-02-30 08:00:01\"}"), "field 't3': cannot parse '2024-02-30 08:00:01' as TIMESTAMP(3)");
  ck_err(dec("{\"t3\":\"2024-03-01 24:00:00\"}"), "field 't3': cannot parse '2024-03-01 24:00:00' as TIMESTAMP(3)");
  ck_err(dec("{\"t3\":1709280001326}"), "field 't3': cannot parse '1709280001326' as TIMESTAMP(3)");
}
END_TEST

START_TEST(test_json_decode_timestamps_iso_standard) {
  const char *names[] = {"ts", "ltz"};
  sl_type types[] = {TS(3), T(SL_TYPE_TIMESTAMP_LTZ, 3, 0)};
  const char *kv[] = {"json.timestamp-format.standard", "ISO-8601", NULL};
  dec_setup(2, names, types, kv);
  ck_assert_int_eq(dec("{\"ts\":\"2024-03-01T08:00:01.326\",\"ltz\":\"2024-03-01T08:00:01.326Z\"}"), 0);
  ck_assert_int_eq(I(0), micros(2024, 3, 1, 8, 0, 1, 326000));
  ck_assert_int_eq(I(1), micros(2024, 3, 1, 8, 0, 1, 326000));
  ck_assert_int_eq(dec("{\"ts\":\"2024-03-01T08:00\"}"), 0); /* ISO_LOCAL_TIME: seconds optional */
  ck_assert_int_eq(I(0), micros(2024, 3, 1, 8, 0, 0, 0));
  ck_err(dec("{\"ts\":\"2024-03-01 08:00:01\"}"), "field 'ts': cannot parse '2024-03-01 08:00:01' as TIMESTAMP(3)");
  ck_err(dec("{\"ltz\":\"2024-03-01T08:00:01\"}"),
         "field 'ltz': cannot parse '2024-03-01T08:00:01' as TIMESTAMP_LTZ(3)");
}
END_TEST

START_TEST(test_json_decode_timestamp_ltz_sql_needs_z) {
  const char *names[] = {"ltz"};
  sl_type types[] = {T(SL_TYPE_TIMESTAMP_LTZ, 3, 0)};
  dec_setup(1, names, types, NULL);
  ck_assert_int_eq(dec("{\"ltz\":\"2024-03-01 08:00:01Z\"}"), 0);
  ck_assert_int_eq(I(0), micros(2024, 3, 1, 8, 0, 1, 0));
  ck_err(dec("{\"ltz\":\"2024-03-01 08:00:01\"}"),
         "field 'ltz': cannot parse '2024-03-01 08:00:01' as TIMESTAMP_LTZ(3)");
}
END_TEST

START_TEST(test_json_decode_dates_and_times) {
  const char *names[] = {"d", "t"};
  sl_type types[] = {T(SL_TYPE_DATE, 0, 0), T(SL_TYPE_TIME, 0, 0)};
  dec_setup(2, names, types, NULL);
  ck_assert_int_eq(dec("{\"d\":\"1970-01-01\",\"t\":\"00:00:00.999\"}"), 0);
  ck_assert_int_eq(I(0), 0);
  ck_assert_int_eq(I(1), 0); /* TIME(0) */
  ck_err(dec("{\"d\":\"2024-3-1\"}"), "field 'd': cannot parse '2024-3-1' as DATE");
  ck_err(dec("{\"t\":\"08:00\"}"), "field 't': cannot parse '08:00' as TIME(0)");
}
END_TEST

/* ------------------------------------------------------------------ decoding: errors */

START_TEST(test_json_decode_bad_value_names_field_and_type) {
  tx_setup(NULL);
  ck_err(dec("{\"amount\":\"abc\"}"), "field 'amount': cannot parse 'abc' as DECIMAL(10, 2)");
  ck_err(dec("{\"amount\":[1]}"), "field 'amount': expected DECIMAL(10, 2), found an array");
  ck_err(dec("{\"amount\":true}"), "field 'amount': cannot parse 'true' as DECIMAL(10, 2)");
  ck_err(dec("{\"event_time\":\"yesterday\"}"), "field 'event_time': cannot parse 'yesterday' as TIMESTAMP(3)");
}
END_TEST

START_TEST(test_json_decode_long_bad_value_is_shortened) {
  const char *names[] = {"i"};
  sl_type types[] = {INT};
  dec_setup(1, names, types, NULL);
  char line[200] = "{\"i\":\"";
  memset(line + 6, 'z', 100);
  strcpy(line + 106, "\"}");
  char want[120];
  snprintf(want, sizeof want, "field 'i': cannot parse '%.57s...' as INT", line + 6);
  ck_err(dec(line), want);
}
END_TEST

START_TEST(test_json_decode_syntax_errors_give_byte_offset) {
  const char *names[] = {"a", "s"};
  sl_type types[] = {INT, STRING};
  dec_setup(2, names, types, NULL);
  struct {
    const char *in, *msg;
  } cases[] = {
      {"{\"a\" 1}", "invalid JSON at byte 5: expected ':'"},
      {"{\"a\":1", "invalid JSON at byte 6: expected ',' or '}'"},
      {"{\"a\":1 \"s\":\"x\"}", "invalid JSON at byte 7: expected ',' or '}'"},
      {"[1]", "invalid JSON at byte 0: expected '{'"},
      {"\"a\"", "invalid JSON at byte 0: expected '{'"},
      {"{\"a\":tru}", "invalid JSON at byte 5: expected a value"},
      {"{\"a\":}", "invalid JSON at byte 5: expected a value"},
      {"{\"s\":\"x}", "invalid JSON at byte 5: unterminated string"},
      {"{\"s\":\"\\x\"}", "invalid JSON at byte 6: invalid escape sequence"},
      {"{\"s\":\"\\u12G4\"}", "invalid JSON at byte 6: invalid escape sequence"},
      {"{\"q\":\"\\x\"}", "invalid JSON at byte 6: invalid escape sequence"},
      {"{\"a\":01}", "invalid JSON at byte 5: invalid number"},
      {"{\"a\":-}", "invalid JSON at byte 5: invalid number"},
      {"{\"a\":1.}", "invalid JSON at byte 5: invalid number"},
      {"{\"a\":1} x", "invalid JSON at byte 8: unexpected data after the object"},
      {"{a:1}", "invalid JSON at byte 1: expected a field name"},
      {"{\"a\":1,}", "invalid JSON at byte 7: expected a field name"},
      {"{\"x\":[1,2}", "invalid JSON at byte 9: expected ',' or ']'"},
      {"{\"x\":{\"y\" 2}}", "invalid JSON at byte 10: expected ':'"},
  };
  for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
    ck_assert_msg(dec(cases[i].in) == SL_EFORMAT, "%s", cases[i].in);
    ck_assert_str_eq(g_err.msg, cases[i].msg);
  }
}
END_TEST

START_TEST(test_json_decode_deep_nesting_is_an_error) {
  const char *names[] = {"a"};
  sl_type types[] = {INT};
  dec_setup(1, names, types, NULL);
  char *line = malloc(2000);
  strcpy(line, "{\"x\":");
  memset(line + 5, '[', 1000);
  line[1005] = 0;
  ck_err(dec(line), "invalid JSON at byte 516: nesting too deep");
  free(line);
}
END_TEST

START_TEST(test_json_decode_blank_lines_are_skipped) {
  tx_setup(NULL);
  ck_assert_int_eq(dec(""), 1);
  ck_assert_int_eq(dec(" \t\r"), 1);
  ck_assert_int_eq(g_err.code, 0);
}
END_TEST

START_TEST(test_json_ignore_parse_errors_skips_malformed_records) {
  const char *kv[] = {"json.ignore-parse-errors", "true", NULL};
  tx_setup(kv);
  ck_assert_int_eq(dec("{\"amount\":1,"), 1);
  ck_assert_int_eq(dec("not json"), 1);
  ck_assert_int_eq(g_err.code, 0);
}
END_TEST

START_TEST(test_json_ignore_parse_errors_bad_value_becomes_null) {
  const char *kv[] = {"json.ignore-parse-errors", "true", NULL};
  tx_setup(kv);
  ck_assert_int_eq(dec("{\"card_id\":\"c\",\"amount\":\"abc\",\"event_time\":\"later\"}"), 0);
  ck_assert_int_eq(g_err.code, 0);
  CK_STR(1, "c");
  ck_assert(N(2));
  ck_assert(N(4));
}
END_TEST

START_TEST(test_json_ignore_parse_errors_skips_row_when_column_not_null) {
  const char *names[] = {"a", "b"};
  sl_type types[] = {sl_type_make(SL_TYPE_INT, 0, 0, false), INT};
  const char *kv[] = {"json.ignore-parse-errors", "true", NULL};
  dec_setup(2, names, types, kv);
  ck_assert_int_eq(dec("{\"a\":\"x\",\"b\":1}"), 1);
  ck_assert_int_eq(dec("{\"a\":2,\"b\":\"x\"}"), 0);
  ck_assert_int_eq(I(0), 2);
  ck_assert(N(1));
}
END_TEST

START_TEST(test_json_decode_fills_the_requested_row) {
  tx_setup(NULL);
  ck_assert_int_eq(dec_row("{\"card_id\":\"r3\"}", 3), 0);
  ck_assert_int_eq(dec_row("{\"card_id\":\"r5\"}", 5), 0);
  sl_str s3 = g_b->cols[1].str[3], s5 = g_b->cols[1].str[5];
  ck_assert(s3.len == 2 && memcmp(s3.ptr, "r3", 2) == 0);
  ck_assert(s5.len == 2 && memcmp(s5.ptr, "r5", 2) == 0);
}
END_TEST

/* ------------------------------------------------------------------ encoding */

static void set_str(int c, uint32_t row, const char *s) {
  sl_value v = {.is_null = false};
  v.str = (sl_str){s, (uint32_t)strlen(s)};
  sl_batch_set(g_b, c, row, &v);
}
static void set_i64(int c, uint32_t row, int64_t x) {
  sl_value v = {.is_null = false, .i64 = x};
  sl_batch_set(g_b, c, row, &v);
}
static void set_f64(int c, uint32_t row, double x) {
  sl_value v = {.is_null = false, .f64 = x};
  sl_batch_set(g_b, c, row, &v);
}
static void set_dec(int c, uint32_t row, sl_i128 x) {
  sl_value v = {.is_null = false, .dec = x};
  sl_batch_set(g_b, c, row, &v);
}
static void set_null(int c, uint32_t row) {
  sl_value v = {.is_null = true};
  sl_batch_set(g_b, c, row, &v);
}

START_TEST(test_json_encode_columns_in_order) {
  const char *names[] = {"a", "b", "c"};
  sl_type types[] = {INT, STRING, STRING};
  enc_setup(3, names, types, NULL);
  set_i64(0, 0, 1);
  set_str(1, 0, "x");
  set_null(2, 0);
  sl_fmt_enc_row(g_enc, g_b, 0, &g_out);
  set_i64(0, 1, -7);
  set_str(1, 1, "");
  set_str(2, 1, "y");
  sl_fmt_enc_row(g_enc, g_b, 1, &g_out);
  ck_assert_str_eq(g_out.data, "{\"a\":1,\"b\":\"x\",\"c\":null}\n{\"a\":-7,\"b\":\"\",\"c\":\"y\"}\n");
}
END_TEST

START_TEST(test_json_encode_every_type) {
  const char *names[] = {"b", "i", "f", "d", "dec", "dt", "tm", "ts", "ltz", "ym", "dts"};
  sl_type types[] = {T(SL_TYPE_BOOLEAN, 0, 0), T(SL_TYPE_SMALLINT, 0, 0), T(SL_TYPE_FLOAT, 0, 0),
                     T(SL_TYPE_DOUBLE, 0, 0), DEC(10, 2), T(SL_TYPE_DATE, 0, 0), T(SL_TYPE_TIME, 3, 0), TS(3),
                     T(SL_TYPE_TIMESTAMP_LTZ, 3, 0), T(SL_TYPE_INTERVAL_YM, 0, 0), T(SL_TYPE_INTERVAL_DT, 3, 0)};
  enc_setup(11, names, types, NULL);
  set_i64(0, 0, 1);
  set_i64(1, 0, -300);
  set_f64(2, 0, (double)1.1f);
  set_f64(3, 0, 1e10);
  set_dec(4, 0, 65000);
  set_i64(5, 0, sl_days_from_civil(2024, 3, 1));
  set_i64(6, 0, ((int64_t)8 * 3600 + 1) * SL_MICROS_PER_SEC + 500000);
  set_i64(7, 0, micros(2024, 3, 1, 8, 0, 1, 326999));
  set_i64(8, 0, micros(2024, 3, 1, 8, 0, 1, 300000));
  set_i64(9, 0, 14);
  set_i64(10, 0, 1500000);
  sl_fmt_enc_row(g_enc, g_b, 0, &g_out);
  ck_assert_str_eq(g_out.data,
                   "{\"b\":true,\"i\":-300,\"f\":1.1,\"d\":1.0E10,\"dec\":650.00,\"dt\":\"2024-03-01\","
                   "\"tm\":\"08:00:01\",\"ts\":\"2024-03-01 08:00:01.326\",\"ltz\":\"2024-03-01 08:00:01.3Z\","
                   "\"ym\":14,\"dts\":1500}\n");
}
END_TEST

START_TEST(test_json_encode_timestamps_iso_and_whole_seconds) {
  const char *names[] = {"ts", "ltz", "t0"};
  sl_type types[] = {TS(3), T(SL_TYPE_TIMESTAMP_LTZ, 6, 0), TS(0)};
  const char *kv[] = {"json.timestamp-format.standard", "ISO-8601", NULL};
  enc_setup(3, names, types, kv);
  set_i64(0, 0, micros(2024, 3, 1, 8, 0, 0, 0));
  set_i64(1, 0, micros(1969, 12, 31, 23, 59, 59, 123456));
  set_i64(2, 0, micros(2024, 3, 1, 8, 0, 1, 999999));
  sl_fmt_enc_row(g_enc, g_b, 0, &g_out);
  ck_assert_str_eq(g_out.data,
                   "{\"ts\":\"2024-03-01T08:00:00\",\"ltz\":\"1969-12-31T23:59:59.123456Z\","
                   "\"t0\":\"2024-03-01T08:00:01\"}\n");
}
END_TEST

START_TEST(test_json_encode_escapes_strings_and_names) {
  const char *names[] = {"we\"ird"};
  sl_type types[] = {STRING};
  enc_setup(1, names, types, NULL);
  set_str(0, 0, "q\" b\\ s/ \n\t\x01 \xc3\xa9");
  sl_fmt_enc_row(g_enc, g_b, 0, &g_out);
  ck_assert_str_eq(g_out.data, "{\"we\\\"ird\":\"q\\\" b\\\\ s/ \\n\\t\\u0001 \xc3\xa9\"}\n");
}
END_TEST

START_TEST(test_json_encode_decimals_like_bigdecimal_tostring) {
  const char *names[] = {"a", "b", "c"};
  sl_type types[] = {DEC(20, 8), DEC(20, 8), DEC(10, 2)};
  enc_setup(3, names, types, NULL);
  set_dec(0, 0, 0);
  set_dec(1, 0, -10);
  set_dec(2, 0, -5);
  sl_fmt_enc_row(g_enc, g_b, 0, &g_out);
  ck_assert_str_eq(g_out.data, "{\"a\":0E-8,\"b\":-1.0E-7,\"c\":-0.05}\n");
}
END_TEST

START_TEST(test_json_encode_decimal_as_plain_number) {
  const char *names[] = {"a", "b"};
  sl_type types[] = {DEC(20, 8), DEC(20, 8)};
  const char *kv[] = {"json.encode.decimal-as-plain-number", "true", NULL};
  enc_setup(2, names, types, kv);
  set_dec(0, 0, 0);
  set_dec(1, 0, -10);
  sl_fmt_enc_row(g_enc, g_b, 0, &g_out);
  ck_assert_str_eq(g_out.data, "{\"a\":0.00000000,\"b\":-0.00000010}\n");
}
END_TEST

START_TEST(test_json_encode_non_finite_doubles_are_quoted) {
  const char *names[] = {"a", "b"};
  sl_type types[] = {T(SL_TYPE_DOUBLE, 0, 0), T(SL_TYPE_DOUBLE, 0, 0)};
  enc_setup(2, names, types, NULL);
  set_f64(0, 0, NAN);
  set_f64(1, 0, -INFINITY);
  sl_fmt_enc_row(g_enc, g_b, 0, &g_out);
  ck_assert_str_eq(g_out.data, "{\"a\":\"NaN\",\"b\":\"-Infinity\"}\n");
}
END_TEST

START_TEST(test_json_encode_ignore_null_fields) {
  const char *names[] = {"a", "b", "c"};
  sl_type types[] = {INT, INT, INT};
  const char *kv[] = {"json.encode.ignore-null-fields", "true", NULL};
  enc_setup(3, names, types, kv);
  set_null(0, 0);
  set_i64(1, 0, 2);
  set_null(2, 0);
  sl_fmt_enc_row(g_enc, g_b, 0, &g_out);
  set_null(1, 0);
  sl_fmt_enc_row(g_enc, g_b, 0, &g_out);
  ck_assert_str_eq(g_out.data, "{\"b\":2}\n{}\n");
}
END_TEST

START_TEST(test_json_round_trip_every_type) {
  const char *names[] = {"b", "i", "bi", "f", "d", "dec", "s", "dt", "tm", "ts", "ltz", "n"};
  sl_type types[] = {T(SL_TYPE_BOOLEAN, 0, 0), INT, BIGINT, T(SL_TYPE_FLOAT, 0, 0), T(SL_TYPE_DOUBLE, 0, 0),
                     DEC(38, 6), STRING, T(SL_TYPE_DATE, 0, 0), T(SL_TYPE_TIME, 3, 0), TS(6),
                     T(SL_TYPE_TIMESTAMP_LTZ, 3, 0), STRING};
  for (int iso = 0; iso < 2; iso++) {
    const char *kv[] = {"json.timestamp-format.standard", iso ? "ISO-8601" : "SQL", NULL};
    enc_setup(12, names, types, kv); /* g_b is the source batch */
    ck_assert_int_eq(sl_fmt_dec_new("json", 12, names, types, opts(kv), &g_dec, &g_err), 0);
    sl_batch *src = g_b, *dst = sl_batch_new(12, types, 8);
    set_i64(0, 0, 0);
    set_i64(1, 0, INT32_MIN);
    set_i64(2, 0, INT64_MAX);
    set_f64(3, 0, (double)-3.4028235e38f);
    set_f64(4, 0, 0.1 + 0.2);
    set_dec(5, 0, -((sl_i128)123456789012345 * 1000000000 * 1000000000 + 1));
    set_str(6, 0, "a \"quoted\"\n\\ \xe2\x82\xac \x01");
    set_i64(7, 0, -719162);
    set_i64(8, 0, 86399000000); /* JSON writes TIME in whole seconds, as Flink does */
    set_i64(9, 0, micros(2038, 1, 19, 3, 14, 7, 1));
    set_i64(10, 0, micros(1900, 2, 28, 0, 0, 0, 5000));
    set_null(11, 0);
    sl_fmt_enc_row(g_enc, src, 0, &g_out);
    ck_assert_int_eq(sl_fmt_dec_record(g_dec, g_out.data, g_out.len - 1, dst, 0, &g_err), 0);
    for (int c = 0; c < 12; c++) {
      sl_value a, b2;
      sl_col_get(&src->cols[c], 0, &a);
      sl_col_get(&dst->cols[c], 0, &b2);
      ck_assert_msg(a.is_null == b2.is_null, "column %s null", names[c]);
      if (a.is_null) continue;
      switch (sl_type_phys(types[c])) {
        case SL_PHYS_I64: ck_assert_msg(a.i64 == b2.i64, "column %s: %lld vs %lld", names[c], (long long)a.i64, (long long)b2.i64); break;
        case SL_PHYS_F64: ck_assert_msg(a.f64 == b2.f64, "column %s", names[c]); break;
        case SL_PHYS_DEC: ck_assert_msg(a.dec == b2.dec, "column %s", names[c]); break;
        case SL_PHYS_STR:
          ck_assert_msg(a.str.len == b2.str.len && memcmp(a.str.ptr, b2.str.ptr, a.str.len) == 0, "column %s",
                        names[c]);
          break;
      }
    }
    sl_batch_free(dst);
    teardown();
  }
}
END_TEST

static Suite *fmt_json_suite(void) {
  Suite *s = suite_create("fmt_json");
  TCase *tc = tcase_create("options");
  tcase_add_checked_fixture(tc, NULL, teardown);
  tcase_add_test(tc, test_json_unknown_format_is_config_error);
  tcase_add_test(tc, test_json_options_all_flink_options_are_consumed);
  tcase_add_test(tc, test_json_option_bad_timestamp_standard);
  tcase_add_test(tc, test_json_option_bad_boolean);
  tcase_add_test(tc, test_json_option_missing_and_ignore_cannot_both_be_true);
  tcase_add_test(tc, test_json_option_bad_map_null_key_mode);
  suite_add_tcase(s, tc);

  tc = tcase_create("decode");
  tcase_add_checked_fixture(tc, NULL, teardown);
  tcase_add_test(tc, test_json_decode_transaction_line);
  tcase_add_test(tc, test_json_decode_fields_in_any_order_with_blanks);
  tcase_add_test(tc, test_json_decode_every_scalar_type);
  tcase_add_test(tc, test_json_decode_null_and_missing_fields_are_null);
  tcase_add_test(tc, test_json_decode_empty_object_is_all_null);
  tcase_add_test(tc, test_json_decode_reused_row_clears_null_flag);
  tcase_add_test(tc, test_json_decode_fail_on_missing_field_names_it);
  tcase_add_test(tc, test_json_decode_unknown_fields_and_nested_values_are_skipped);
  tcase_add_test(tc, test_json_decode_duplicate_field_last_wins);
  tcase_add_test(tc, test_json_decode_field_names_are_case_sensitive);
  tcase_add_test(tc, test_json_decode_escaped_field_name_matches);
  tcase_add_test(tc, test_json_decode_string_escapes_and_unicode);
  tcase_add_test(tc, test_json_decode_lone_surrogate_becomes_question_mark);
  tcase_add_test(tc, test_json_decode_long_strings_with_escapes_far_in);
  tcase_add_test(tc, test_json_decode_scalars_and_containers_into_string_columns);
  tcase_add_test(tc, test_json_decode_numbers_written_as_strings);
  tcase_add_test(tc, test_json_decode_decimal_rounds_half_up);
  tcase_add_test(tc, test_json_decode_decimal_overflow_is_an_error);
  tcase_add_test(tc, test_json_decode_integer_ranges);
  tcase_add_test(tc, test_json_decode_fraction_into_integer_columns);
  tcase_add_test(tc, test_json_decode_doubles);
  tcase_add_test(tc, test_json_decode_booleans);
  tcase_add_test(tc, test_json_decode_timestamps_sql_standard);
  tcase_add_test(tc, test_json_decode_timestamps_iso_standard);
  tcase_add_test(tc, test_json_decode_timestamp_ltz_sql_needs_z);
  tcase_add_test(tc, test_json_decode_dates_and_times);
  tcase_add_test(tc, test_json_decode_fills_the_requested_row);
  suite_add_tcase(s, tc);

  tc = tcase_create("errors");
  tcase_add_checked_fixture(tc, NULL, teardown);
  tcase_add_test(tc, test_json_decode_bad_value_names_field_and_type);
  tcase_add_test(tc, test_json_decode_long_bad_value_is_shortened);
  tcase_add_test(tc, test_json_decode_syntax_errors_give_byte_offset);
  tcase_add_test(tc, test_json_decode_deep_nesting_is_an_error);
  tcase_add_test(tc, test_json_decode_blank_lines_are_skipped);
  tcase_add_test(tc, test_json_ignore_parse_errors_skips_malformed_records);
  tcase_add_test(tc, test_json_ignore_parse_errors_bad_value_becomes_null);
  tcase_add_test(tc, test_json_ignore_parse_errors_skips_row_when_column_not_null);
  suite_add_tcase(s, tc);

  tc = tcase_create("encode");
  tcase_add_checked_fixture(tc, NULL, teardown);
  tcase_add_test(tc, test_json_encode_columns_in_order);
  tcase_add_test(tc, test_json_encode_every_type);
  tcase_add_test(tc, test_json_encode_timestamps_iso_and_whole_seconds);
  tcase_add_test(tc, test_json_encode_escapes_strings_and_names);
  tcase_add_test(tc, test_json_encode_decimals_like_bigdecimal_tostring);
  tcase_add_test(tc, test_json_encode_decimal_as_plain_number);
  tcase_add_test(tc, test_json_encode_non_finite_doubles_are_quoted);
  tcase_add_test(tc, test_json_encode_ignore_null_fields);
  tcase_add_test(tc, test_json_round_trip_every_type);
  suite_add_tcase(s, tc);
  return s;
}

int main(void) {
  SRunner *sr = srunner_create(fmt_json_suite());
  srunner_run_all(sr, CK_NORMAL);
  int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  return failed ? 1 : 0;
}
