/* test_options.c - table options: lookup, use tracking, typed getters and the unused-option check. */
#include <check.h>
#include <stdio.h>
#include <string.h>

#include "connectors/options.h"

static sl_option g_items[8];
static sl_options g_opts;
static sl_err g_err;

/* kv: key, value, ..., NULL; key i sits at byte 10 * i, its value at 10 * i + 5. */
static sl_options *opts(const char *const *kv) {
  g_opts.n = 0;
  g_opts.items = g_items;
  for (int i = 0; kv && kv[i]; i += 2) {
    int k = i / 2;
    g_items[k] = (sl_option){.key = kv[i], .value = kv[i + 1], .key_loc = 10 * k, .value_loc = 10 * k + 5};
    g_opts.n++;
  }
  sl_err_clear(&g_err);
  return &g_opts;
}

START_TEST(test_options_get_marks_used_and_find_does_not) {
  const char *kv[] = {"connector", "filesystem", "path", "/tmp/x", NULL};
  sl_options *o = opts(kv);
  ck_assert_ptr_nonnull(sl_options_find(o, "path"));
  ck_assert(!g_items[1].used);
  ck_assert_str_eq(sl_options_get(o, "path"), "/tmp/x");
  ck_assert(g_items[1].used);
  ck_assert(!g_items[0].used);
  ck_assert_ptr_null(sl_options_get(o, "Path")); /* keys are case sensitive */
  ck_assert_ptr_null(sl_options_get(NULL, "path"));
}
END_TEST

START_TEST(test_options_bool_accepts_any_case_and_defaults) {
  const char *kv[] = {"a", "TRUE", "b", "false", "c", "1", NULL};
  sl_options *o = opts(kv);
  bool v = false;
  ck_assert_int_eq(sl_options_bool(o, "a", false, &v, &g_err), 0);
  ck_assert(v);
  ck_assert_int_eq(sl_options_bool(o, "b", true, &v, &g_err), 0);
  ck_assert(!v);
  ck_assert_int_eq(sl_options_bool(o, "missing", true, &v, &g_err), 0);
  ck_assert(v);
  ck_assert_int_eq(sl_options_bool(o, "c", false, &v, &g_err), SL_ECONFIG);
  ck_assert_str_eq(g_err.msg, "option 'c' must be 'true' or 'false', not '1'");
  ck_assert_int_eq(g_err.loc, 25);
  ck_assert(g_items[2].used);
}
END_TEST

START_TEST(test_options_int_parses_and_rejects_garbage) {
  const char *kv[] = {"n", "-42", "big", "99999999999999999999", "x", "12abc", "e", "", NULL};
  sl_options *o = opts(kv);
  int64_t v = 0;
  ck_assert_int_eq(sl_options_int(o, "n", 7, &v, &g_err), 0);
  ck_assert_int_eq(v, -42);
  ck_assert_int_eq(sl_options_int(o, "missing", 7, &v, &g_err), 0);
  ck_assert_int_eq(v, 7);
  ck_assert_int_eq(sl_options_int(o, "x", 0, &v, &g_err), SL_ECONFIG);
  ck_assert_str_eq(g_err.msg, "option 'x' must be an integer, not '12abc'");
  sl_err_clear(&g_err);
  ck_assert_int_eq(sl_options_int(o, "big", 0, &v, &g_err), SL_ECONFIG);
  ck_assert_str_eq(g_err.msg, "option 'big' must be an integer, not '99999999999999999999'");
  sl_err_clear(&g_err);
  ck_assert_int_eq(sl_options_int(o, "e", 0, &v, &g_err), SL_ECONFIG);
}
END_TEST

START_TEST(test_options_char_accepts_java_escapes) {
  const char *kv[] = {"plain", ";", "tab", "\\t", "uni", "\\u0001", "bs", "\\\\", "q", "\\'", NULL};
  sl_options *o = opts(kv);
  char c = 0;
  ck_assert_int_eq(sl_options_char(o, "plain", ',', &c, &g_err), 0);
  ck_assert_int_eq(c, ';');
  ck_assert_int_eq(sl_options_char(o, "tab", ',', &c, &g_err), 0);
  ck_assert_int_eq(c, '\t');
  ck_assert_int_eq(sl_options_char(o, "uni", ',', &c, &g_err), 0);
  ck_assert_int_eq(c, 1);
  ck_assert_int_eq(sl_options_char(o, "bs", ',', &c, &g_err), 0);
  ck_assert_int_eq(c, '\\');
  ck_assert_int_eq(sl_options_char(o, "q", ',', &c, &g_err), 0);
  ck_assert_int_eq(c, '\'');
  ck_assert_int_eq(sl_options_char(o, "missing", ',', &c, &g_err), 0);
  ck_assert_int_eq(c, ',');
}
END_TEST

START_TEST(test_options_char_rejects_strings_and_wide_characters) {
  const char *bad[] = {"ab", "", "\\x", "\\u00e9", "\xc3\xa9"};
  for (int i = 0; i < 5; i++) {
    const char *kv[] = {"csv.field-delimiter", bad[i], NULL};
    sl_options *o = opts(kv);
    char c;
    ck_assert_int_eq(sl_options_char(o, "csv.field-delimiter", ',', &c, &g_err), SL_ECONFIG);
    char want[128];
    snprintf(want, sizeof want, "option 'csv.field-delimiter' must be a single character, not '%s'", bad[i]);
    ck_assert_str_eq(g_err.msg, want);
    ck_assert_int_eq(g_err.loc, 5);
  }
}
END_TEST

START_TEST(test_options_duration_and_size_follow_flink_formats) {
  const char *kv[] = {"a", "10 s", "b", "500ms", "c", "2 MIN", "d", "250", "e", "1h", "f", "64 mb", "g", "4096",
                      "h", "1GB", NULL};
  sl_options *o = opts(kv);
  int64_t v;
  ck_assert_int_eq(sl_options_duration(o, "a", 0, &v, &g_err), 0);
  ck_assert_int_eq(v, 10000000);
  ck_assert_int_eq(sl_options_duration(o, "b", 0, &v, &g_err), 0);
  ck_assert_int_eq(v, 500000);
  ck_assert_int_eq(sl_options_duration(o, "c", 0, &v, &g_err), 0);
  ck_assert_int_eq(v, 120000000);
  ck_assert_int_eq(sl_options_duration(o, "d", 0, &v, &g_err), 0); /* no unit: milliseconds */
  ck_assert_int_eq(v, 250000);
  ck_assert_int_eq(sl_options_duration(o, "e", 0, &v, &g_err), 0);
  ck_assert_int_eq(v, 3600000000LL);
  ck_assert_int_eq(sl_options_duration(o, "missing", 7, &v, &g_err), 0);
  ck_assert_int_eq(v, 7);
  ck_assert_int_eq(sl_options_size(o, "f", 0, &v, &g_err), 0);
  ck_assert_int_eq(v, 64LL << 20);
  ck_assert_int_eq(sl_options_size(o, "g", 0, &v, &g_err), 0);
  ck_assert_int_eq(v, 4096);
  ck_assert_int_eq(sl_options_size(o, "h", 0, &v, &g_err), 0);
  ck_assert_int_eq(v, 1LL << 30);
  const char *bad[] = {"x", "10 parsecs", "y", "-5 s", "z", "9223372036854775807 d", "w", "12 furlongs", NULL};
  o = opts(bad);
  ck_assert_int_eq(sl_options_duration(o, "x", 0, &v, &g_err), SL_ECONFIG);
  ck_assert_int_eq(g_err.loc, 5);
  ck_assert_ptr_nonnull(strstr(g_err.msg, "a duration such as '10 s'"));
  sl_err_clear(&g_err);
  ck_assert_int_eq(sl_options_duration(o, "y", 0, &v, &g_err), SL_ECONFIG);
  sl_err_clear(&g_err);
  ck_assert_int_eq(sl_options_duration(o, "z", 0, &v, &g_err), SL_ECONFIG); /* overflows */
  sl_err_clear(&g_err);
  ck_assert_int_eq(sl_options_size(o, "w", 0, &v, &g_err), SL_ECONFIG);
  ck_assert_ptr_nonnull(strstr(g_err.msg, "'12 furlongs'"));
}
END_TEST

START_TEST(test_options_check_unused_reports_first_unread_key) {
  const char *kv[] = {"connector", "filesystem", "pathh", "/x", "formatt", "json", NULL};
  sl_options *o = opts(kv);
  (void)sl_options_get(o, "connector");
  ck_assert_int_eq(sl_options_check_unused(o, "connector 'filesystem'", &g_err), SL_ECONFIG);
  ck_assert_str_eq(g_err.msg, "unsupported option 'pathh' for connector 'filesystem'");
  ck_assert_int_eq(g_err.loc, 10);
  (void)sl_options_get(o, "pathh");
  (void)sl_options_get(o, "formatt");
  sl_err_clear(&g_err);
  ck_assert_int_eq(sl_options_check_unused(o, "connector 'filesystem'", &g_err), 0);
  ck_assert_int_eq(sl_options_check_unused(NULL, "x", &g_err), 0);
}
END_TEST

static Suite *options_suite(void) {
  Suite *s = suite_create("options");
  TCase *tc = tcase_create("lookup");
  tcase_add_test(tc, test_options_get_marks_used_and_find_does_not);
  tcase_add_test(tc, test_options_check_unused_reports_first_unread_key);
  suite_add_tcase(s, tc);
  tc = tcase_create("typed");
  tcase_add_test(tc, test_options_bool_accepts_any_case_and_defaults);
  tcase_add_test(tc, test_options_int_parses_and_rejects_garbage);
  tcase_add_test(tc, test_options_duration_and_size_follow_flink_formats);
  tcase_add_test(tc, test_options_char_accepts_java_escapes);
  tcase_add_test(tc, test_options_char_rejects_strings_and_wide_characters);
  suite_add_tcase(s, tc);
  return s;
}

int main(void) {
  SRunner *sr = srunner_create(options_suite());
  srunner_run_all(sr, CK_NORMAL);
  int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  return failed ? 1 : 0;
}
