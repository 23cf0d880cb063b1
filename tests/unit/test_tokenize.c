/* test_tokenize.c - the table-driven tokenizer: token kinds, keywords, quoting, literals,
 * comments, positions and the errors it reports. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parse.h"
#include "tokenize.h"

/* ---- Helpers ---------------------------------------------------------------------------- */

typedef struct tok {
  int type;
  size_t off, len;
} tok;

/* Tokenizes s (skipping nothing) into out; returns the count. */
static int lex_all(const char *s, tok *out, int max) {
  size_t n = strlen(s), i = 0;
  int k = 0;
  while (i < n && k < max) {
    int type;
    size_t len = sl_sql_token(s + i, n - i, &type);
    ck_assert_uint_gt(len, 0);
    out[k++] = (tok){type, i, len};
    i += len;
  }
  return k;
}

/* Tokenizes s without blanks and comments. */
static int lex(const char *s, tok *out, int max) {
  tok all[128];
  int n = lex_all(s, all, 128), k = 0;
  for (int i = 0; i < n && k < max; i++)
    if (all[i].type != TK_SPACE) out[k++] = all[i];
  return k;
}

/* The single token of s and its type. */
static int type_of(const char *s) {
  int type;
  size_t len = sl_sql_token(s, strlen(s), &type);
  ck_assert_msg(len == strlen(s), "[%s] scanned %zu bytes, not all", s, len);
  return type;
}

static void expect_types(const char *s, const int *want, int n) {
  tok t[64];
  int k = lex(s, t, 64);
  ck_assert_msg(k == n, "[%s]: %d tokens, want %d", s, k, n);
  for (int i = 0; i < n; i++)
    ck_assert_msg(t[i].type == want[i], "[%s] token %d: type %d, want %d", s, i, t[i].type, want[i]);
}

/* ---- Token kinds ------------------------------------------------------------------------ */

START_TEST(test_tokenize_operators_and_punctuation) {
  static const int want[] = {TK_LP, TK_RP, TK_COMMA, TK_SEMI, TK_DOT, TK_PLUS, TK_MINUS, TK_STAR,
                             TK_SLASH, TK_REM, TK_EQ, TK_NE, TK_NE, TK_LT, TK_LE, TK_GT, TK_GE,
                             TK_CONCAT, TK_ARROW};
  expect_types("( ) , ; . + - * / % = <> != < <= > >= || =>", want, 19);
  static const int tight[] = {TK_ID, TK_LE, TK_INTLIT, TK_CONCAT, TK_STRLIT, TK_GE, TK_MINUS,
                              TK_INTLIT};
  expect_types("a<=1||'x'>=-2", tight, 8);
}
END_TEST

START_TEST(test_tokenize_keywords_are_case_insensitive) {
  ck_assert_int_eq(type_of("SELECT"), TK_SELECT);
  ck_assert_int_eq(type_of("select"), TK_SELECT);
  ck_assert_int_eq(type_of("SeLeCt"), TK_SELECT);
  ck_assert_int_eq(type_of("timestamp_ltz"), TK_TIMESTAMP_LTZ);
  ck_assert_int_eq(type_of("Current_Timestamp"), TK_CURRENT_TIMESTAMP);
  ck_assert_int_eq(type_of("watermark"), TK_WATERMARK);
  ck_assert_int_eq(type_of("minutes"), TK_MINUTES);
  ck_assert_int_eq(type_of("selects"), TK_ID);
  ck_assert_int_eq(type_of("count"), TK_ID);
  ck_assert_int_eq(type_of("window_start"), TK_ID);
  ck_assert_int_eq(type_of("a_very_long_identifier_longer_than_any_keyword"), TK_ID);
}
END_TEST

START_TEST(test_tokenize_every_keyword_is_found_by_its_name) {
  /* Proves the table is sorted: binary search finds each entry. */
  int found = 0;
  for (int code = 1; code < 512; code++) {
    const char *name = sl_sql_keyword_name(code);
    if (!name) continue;
    found++;
    ck_assert_msg(sl_sql_keyword(name, strlen(name)) == code, "keyword %s not found", name);
  }
  ck_assert_int_gt(found, 100);
  ck_assert_int_eq(sl_sql_keyword("", 0), TK_ID);
}
END_TEST

START_TEST(test_tokenize_identifiers) {
  ck_assert_int_eq(type_of("abc"), TK_ID);
  ck_assert_int_eq(type_of("_x1"), TK_ID);
  ck_assert_int_eq(type_of("a$b"), TK_ID);
  ck_assert_int_eq(type_of("caf\xc3\xa9"), TK_ID);
  ck_assert_int_eq(type_of("`select`"), TK_ID);
  ck_assert_int_eq(type_of("`a b`"), TK_ID);
  ck_assert_int_eq(type_of("`a``b`"), TK_ID);
  tok t[8];
  ck_assert_int_eq(lex("`a``b`.c", t, 8), 3);
  ck_assert_int_eq(t[0].len, 6);
  ck_assert_int_eq(t[1].type, TK_DOT);
  ck_assert_int_eq(t[2].off, 7);
}
END_TEST

START_TEST(test_tokenize_numbers) {
  ck_assert_int_eq(type_of("42"), TK_INTLIT);
  ck_assert_int_eq(type_of("3.14"), TK_NUMLIT);
  ck_assert_int_eq(type_of(".5"), TK_NUMLIT);
  ck_assert_int_eq(type_of("1."), TK_NUMLIT);
  ck_assert_int_eq(type_of("1e10"), TK_NUMLIT);
  ck_assert_int_eq(type_of("1.5E-3"), TK_NUMLIT);
  ck_assert_int_eq(type_of("2e+7"), TK_NUMLIT);
  /* No digits after e: the number ends before it. */
  static const int e_word[] = {TK_INTLIT, TK_ID};
  expect_types("1e", e_word, 2);
  static const int qual[] = {TK_ID, TK_DOT, TK_ID};
  expect_types("t.a", qual, 3);
}
END_TEST

START_TEST(test_tokenize_strings) {
  ck_assert_int_eq(type_of("'abc'"), TK_STRLIT);
  ck_assert_int_eq(type_of("''"), TK_STRLIT);
  ck_assert_int_eq(type_of("'it''s'"), TK_STRLIT);
  ck_assert_int_eq(type_of("'multi\nline'"), TK_STRLIT);
  ck_assert_int_eq(type_of("'-- not a comment'"), TK_STRLIT);
  static const int two[] = {TK_STRLIT, TK_STRLIT};
  expect_types("'a' 'b'", two, 2);
}
END_TEST

START_TEST(test_tokenize_comments_are_space) {
  tok t[16];
  int n = lex_all("a -- line\n/* block\n * more */b/**/c--end", t, 16);
  ck_assert_int_eq(n, 9);
  ck_assert_int_eq(t[0].type, TK_ID);
  ck_assert_int_eq(t[2].type, TK_SPACE); /* -- line, up to the newline */
  ck_assert_int_eq(t[2].len, 7);
  ck_assert_int_eq(t[4].type, TK_SPACE); /* the block comment */
  ck_assert_int_eq(t[4].off, 10);
  ck_assert_int_eq(t[4].len, 19);
  ck_assert_int_eq(t[5].type, TK_ID);
  ck_assert_int_eq(t[5].off, 29);
  ck_assert_int_eq(t[6].type, TK_SPACE); /* empty block comment */
  ck_assert_int_eq(t[8].type, TK_SPACE); /* a line comment that ends the text */
  static const int want[] = {TK_ID, TK_ID, TK_ID};
  expect_types("a -- line\n/* block\n * more */b/**/c--end", want, 3);
  static const int hint[] = {TK_SELECT, TK_STAR, TK_FROM, TK_ID};
  expect_types("SELECT /*+ OPTIONS('a'='b') */ * FROM t", hint, 4);
  static const int minus[] = {TK_ID, TK_MINUS, TK_ID};
  expect_types("a - b", minus, 3);
  static const int slash[] = {TK_ID, TK_SLASH, TK_ID};
  expect_types("a/b", slash, 3);
}
END_TEST

START_TEST(test_tokenize_positions) {
  tok t[16];
  int n = lex("SELECT  a,\n\tb FROM t", t, 16);
  ck_assert_int_eq(n, 6);
  static const size_t off[] = {0, 8, 9, 12, 14, 19};
  static const size_t len[] = {6, 1, 1, 1, 4, 1};
  for (int i = 0; i < n; i++) {
    ck_assert_uint_eq(t[i].off, off[i]);
    ck_assert_uint_eq(t[i].len, len[i]);
  }
}
END_TEST

START_TEST(test_tokenize_errors) {
  char buf[64];
  int type;
  const char *s = "'abc";
  ck_assert_uint_eq(sl_sql_token(s, strlen(s), &type), 4);
  ck_assert_int_eq(type, TK_ILLEGAL);
  ck_assert_str_eq(sl_sql_token_error(s, 4, buf, sizeof buf), "unterminated string literal");
  s = "'it''";
  sl_sql_token(s, strlen(s), &type);
  ck_assert_int_eq(type, TK_ILLEGAL);
  s = "`abc";
  sl_sql_token(s, strlen(s), &type);
  ck_assert_int_eq(type, TK_ILLEGAL);
  ck_assert_str_eq(sl_sql_token_error(s, 4, buf, sizeof buf), "unterminated quoted identifier");
  s = "/* abc *";
  sl_sql_token(s, strlen(s), &type);
  ck_assert_int_eq(type, TK_ILLEGAL);
  ck_assert_str_eq(sl_sql_token_error(s, 8, buf, sizeof buf), "unterminated comment");
  ck_assert_uint_eq(sl_sql_token("#x", 2, &type), 1);
  ck_assert_int_eq(type, TK_ILLEGAL);
  ck_assert_str_eq(sl_sql_token_error("#x", 2, buf, sizeof buf), "unexpected character '#'");
  sl_sql_token("!", 1, &type);
  ck_assert_int_eq(type, TK_ILLEGAL);
  sl_sql_token("|", 1, &type);
  ck_assert_int_eq(type, TK_ILLEGAL);
  ck_assert_str_eq(sl_sql_token_error("|", 1, buf, sizeof buf), "unexpected character '|'");
  sl_sql_token("\x01", 1, &type);
  ck_assert_int_eq(type, TK_ILLEGAL);
  ck_assert_str_eq(sl_sql_token_error("\x01", 1, buf, sizeof buf), "unexpected character '\\x01'");
  /* An embedded NUL is an unexpected character, not the end of the text. */
  ck_assert_uint_eq(sl_sql_token("\0a", 2, &type), 1);
  ck_assert_int_eq(type, TK_ILLEGAL);
}
END_TEST

START_TEST(test_tokenize_scanning_stops_at_the_given_length) {
  int type;
  ck_assert_uint_eq(sl_sql_token("abcdef", 3, &type), 3);
  ck_assert_int_eq(type, TK_ID);
  ck_assert_uint_eq(sl_sql_token("'ab'", 3, &type), 3);
  ck_assert_int_eq(type, TK_ILLEGAL);
  ck_assert_uint_eq(sl_sql_token("<=", 1, &type), 1);
  ck_assert_int_eq(type, TK_LT);
  ck_assert_uint_eq(sl_sql_token("1.5e3", 4, &type), 3);
  ck_assert_int_eq(type, TK_NUMLIT);
}
END_TEST

/* ---- Token text helpers ----------------------------------------------------------------- */

START_TEST(test_tokenize_unquotes_identifiers_and_strings) {
  sl_arena a;
  sl_arena_init(&a, 256);
  sl_parse p = {.arena = &a};
  const char *q = "`a``b`";
  ck_assert_str_eq(sl_parse_ident(&p, (sl_token){q, 6, 0}), "a`b");
  ck_assert_str_eq(sl_parse_ident(&p, (sl_token){"MixedCase", 9, 0}), "MixedCase");
  size_t n;
  const char *s = "'it''s'";
  ck_assert_str_eq(sl_parse_string(&p, (sl_token){s, 7, 0}, &n), "it's");
  ck_assert_uint_eq(n, 4);
  ck_assert_str_eq(sl_parse_string(&p, (sl_token){"''", 2, 0}, &n), "");
  ck_assert_uint_eq(n, 0);
  ck_assert_int_eq(sl_parse_int((sl_token){"123", 3, 0}), 123);
  ck_assert_int_eq(sl_parse_int((sl_token){"99999999999999999999999", 23, 0}), INT64_MAX / 2);
  sl_arena_destroy(&a);
}
END_TEST

static Suite *tokenize_suite(void) {
  Suite *s = suite_create("tokenize");
  TCase *tc = tcase_create("kinds");
  tcase_add_test(tc, test_tokenize_operators_and_punctuation);
  tcase_add_test(tc, test_tokenize_keywords_are_case_insensitive);
  tcase_add_test(tc, test_tokenize_every_keyword_is_found_by_its_name);
  tcase_add_test(tc, test_tokenize_identifiers);
  tcase_add_test(tc, test_tokenize_numbers);
  tcase_add_test(tc, test_tokenize_strings);
  suite_add_tcase(s, tc);

  tc = tcase_create("layout");
  tcase_add_test(tc, test_tokenize_comments_are_space);
  tcase_add_test(tc, test_tokenize_positions);
  tcase_add_test(tc, test_tokenize_scanning_stops_at_the_given_length);
  suite_add_tcase(s, tc);

  tc = tcase_create("errors");
  tcase_add_test(tc, test_tokenize_errors);
  suite_add_tcase(s, tc);

  tc = tcase_create("text");
  tcase_add_test(tc, test_tokenize_unquotes_identifiers_and_strings);
  suite_add_tcase(s, tc);
  return s;
}

int main(void) {
  SRunner *sr = srunner_create(tokenize_suite());
  srunner_run_all(sr, CK_NORMAL);
  int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
