/* test_err.c - the error object: first error wins, offsets to line:col, rendering with a caret. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "../../engine/err.h"

START_TEST(first_error_wins_and_returns_code) {
  sl_err e;
  sl_err_clear(&e);
  ck_assert_int_eq(e.loc, SL_ERR_NOLOC);
  ck_assert_int_eq(sl_err_set(&e, SL_EBIND, 7, "first %d", 1), SL_EBIND);
  ck_assert_int_eq(sl_err_set(&e, SL_ETYPE, 9, "second"), SL_ETYPE);
  ck_assert_int_eq(e.code, SL_EBIND);
  ck_assert_int_eq(e.loc, 7);
  ck_assert_str_eq(e.msg, "first 1");
  ck_assert_int_eq(sl_err_set(NULL, SL_EIO, 0, "ignored"), SL_EIO);
  sl_err_clear(&e);
  ck_assert_int_eq(e.code, 0);
  ck_assert_str_eq(e.msg, "");
}
END_TEST

START_TEST(names_and_messages) {
  ck_assert_str_eq(sl_err_name(SL_EBIND), "SL_EBIND");
  ck_assert_str_eq(sl_err_name(SL_OK), "OK");
  ck_assert_str_eq(sl_strerror(SL_ESYNTAX), "syntax error");
  ck_assert_str_eq(sl_strerror(12345), "unknown error");
}
END_TEST

START_TEST(linecol_counts_lines_and_columns_from_one) {
  const char *t = "ab\ncd\n\nxyz";
  int l, c;
  sl_err_linecol(t, 0, &l, &c);
  ck_assert_int_eq(l, 1); ck_assert_int_eq(c, 1);
  sl_err_linecol(t, 1, &l, &c);
  ck_assert_int_eq(l, 1); ck_assert_int_eq(c, 2);
  sl_err_linecol(t, 3, &l, &c);
  ck_assert_int_eq(l, 2); ck_assert_int_eq(c, 1);
  sl_err_linecol(t, 8, &l, &c);
  ck_assert_int_eq(l, 4); ck_assert_int_eq(c, 2);
}
END_TEST

START_TEST(format_located_error_with_caret_and_hint) {
  const char *sql = "SELECT a\nFROM tx WHERE amout > 1;\n";
  sl_err e;
  sl_err_clear(&e);
  sl_err_set(&e, SL_EBIND, strstr(sql, "amout") - sql, "column 'amout' not found");
  sl_err_hint(&e, "did you mean '%s'?", "amount");
  char buf[512];
  sl_err_format(&e, "q.sql", sql, buf, sizeof buf);
  ck_assert_str_eq(buf, "q.sql:2:15: column 'amout' not found\n"
                        "  FROM tx WHERE amout > 1;\n"
                        "                ^\n"
                        "hint: did you mean 'amount'?");
}
END_TEST

START_TEST(format_unlocated_error_and_detail) {
  sl_err e;
  sl_err_clear(&e);
  sl_err_set(&e, SL_EIO, SL_ERR_NOLOC, "cannot open '%s'", "x.csv");
  sl_err_detail(&e, "No such file");
  char buf[256];
  sl_err_format(&e, "q.sql", NULL, buf, sizeof buf);
  ck_assert_str_eq(buf, "q.sql: cannot open 'x.csv'\ndetail: No such file");
  sl_err_format(&e, NULL, NULL, buf, sizeof buf);
  ck_assert_str_eq(buf, "cannot open 'x.csv'\ndetail: No such file");
}
END_TEST

START_TEST(format_default_file_name_and_tab_kept_under_caret) {
  const char *sql = "\tSELECT x";
  sl_err e;
  sl_err_clear(&e);
  sl_err_set(&e, SL_EBIND, 8, "bad");
  char buf[256];
  sl_err_format(&e, NULL, sql, buf, sizeof buf);
  ck_assert_str_eq(buf, "<sql>:1:9: bad\n  \tSELECT x\n  \t       ^");
}
END_TEST

START_TEST(format_truncates_to_buffer) {
  sl_err e;
  sl_err_clear(&e);
  sl_err_set(&e, SL_EBIND, 0, "a long message here");
  char buf[8];
  sl_err_format(&e, "f", "SELECT 1", buf, sizeof buf);
  ck_assert_str_eq(buf, "f:1:1: ");
}
END_TEST

int main(void) {
  Suite *s = suite_create("err");
  TCase *tc = tcase_create("core");
  tcase_add_test(tc, first_error_wins_and_returns_code);
  tcase_add_test(tc, names_and_messages);
  tcase_add_test(tc, linecol_counts_lines_and_columns_from_one);
  tcase_add_test(tc, format_located_error_with_caret_and_hint);
  tcase_add_test(tc, format_unlocated_error_and_detail);
  tcase_add_test(tc, format_default_file_name_and_tab_kept_under_caret);
  tcase_add_test(tc, format_truncates_to_buffer);
  suite_add_tcase(s, tc);
  SRunner *sr = srunner_create(s);
  srunner_run_all(sr, CK_NORMAL);
  int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
