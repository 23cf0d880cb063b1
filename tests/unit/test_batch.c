/* test_batch.c - columnar batches: allocation, typed set/get, NULL flags, strings in the arena, reset. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../engine/batch.h"

static sl_batch *make(void) {
  sl_type t[4] = {sl_type_make(SL_TYPE_BIGINT, 0, 0, true), sl_type_make(SL_TYPE_DOUBLE, 0, 0, true),
                  sl_type_make(SL_TYPE_DECIMAL, 10, 2, true), sl_type_make(SL_TYPE_VARCHAR, SL_VARCHAR_MAX, 0, true)};
  return sl_batch_new(4, t, 8);
}

START_TEST(new_batch_has_capacity_and_no_rows) {
  sl_batch *b = make();
  ck_assert_int_eq(b->ncols, 4);
  ck_assert_int_eq(b->cap, 8);
  ck_assert_int_eq(b->nrows, 0);
  ck_assert_int_eq(sl_batch_live(b), 0);
  ck_assert_ptr_null(b->cols[0].nulls);
  ck_assert_int_eq(b->cols[2].type.scale, 2);
  sl_batch_free(b);
  sl_type t = sl_type_make(SL_TYPE_INT, 0, 0, false);
  b = sl_batch_new(1, &t, 0);
  ck_assert_int_eq(b->cap, SL_BATCH_DEFAULT_ROWS);
  sl_batch_free(b);
}
END_TEST

START_TEST(set_then_get_each_physical_class) {
  sl_batch *b = make();
  sl_value v = {.i64 = -42};
  sl_batch_set(b, 0, 0, &v);
  v.f64 = 2.5;
  sl_batch_set(b, 1, 0, &v);
  v.dec = (sl_i128)12345;
  sl_batch_set(b, 2, 0, &v);
  v.str = (sl_str){"hello", 5};
  sl_batch_set(b, 3, 0, &v);
  b->nrows = 1;
  sl_value o;
  sl_col_get(&b->cols[0], 0, &o);
  ck_assert(!o.is_null);
  ck_assert_int_eq(o.i64, -42);
  sl_col_get(&b->cols[1], 0, &o);
  ck_assert_double_eq(o.f64, 2.5);
  sl_col_get(&b->cols[2], 0, &o);
  ck_assert(o.dec == 12345);
  sl_col_get(&b->cols[3], 0, &o);
  ck_assert_uint_eq(o.str.len, 5);
  ck_assert(memcmp(o.str.ptr, "hello", 5) == 0);
  sl_batch_free(b);
}
END_TEST

START_TEST(strings_are_copied_into_the_batch_arena) {
  sl_batch *b = make();
  char buf[] = "mutable";
  sl_value v = {.str = {buf, 7}};
  sl_batch_set(b, 3, 0, &v);
  ck_assert_ptr_ne(b->cols[3].str[0].ptr, buf);
  buf[0] = 'X';
  ck_assert(memcmp(b->cols[3].str[0].ptr, "mutable", 7) == 0);
  sl_str e = sl_batch_str(b, "", 0);
  ck_assert_uint_eq(e.len, 0);
  ck_assert_ptr_nonnull(e.ptr);
  sl_batch_free(b);
}
END_TEST

START_TEST(nulls_are_flagged_and_cleared_by_a_value) {
  sl_batch *b = make();
  sl_value n = {.is_null = true};
  sl_value v = {.i64 = 7};
  sl_batch_set(b, 0, 0, &v);
  ck_assert_ptr_null(b->cols[0].nulls);
  sl_batch_set(b, 0, 1, &n);
  ck_assert_ptr_nonnull(b->cols[0].nulls);
  ck_assert(!sl_col_is_null(&b->cols[0], 0));
  ck_assert(sl_col_is_null(&b->cols[0], 1));
  sl_value o;
  sl_col_get(&b->cols[0], 1, &o);
  ck_assert(o.is_null);
  sl_batch_set(b, 0, 1, &v);
  ck_assert(!sl_col_is_null(&b->cols[0], 1));
  sl_batch_set(b, 3, 2, &n);
  ck_assert(sl_col_is_null(&b->cols[3], 2));
  ck_assert(!sl_col_is_null(&b->cols[1], 2));
  ck_assert_ptr_eq(sl_batch_nulls(b, 1), b->cols[1].nulls);
  ck_assert_int_eq(b->cols[1].nulls[7], 0);
  sl_batch_free(b);
}
END_TEST

START_TEST(selection_narrows_live_rows) {
  sl_batch *b = make();
  for (int i = 0; i < 5; i++) {
    sl_value v = {.i64 = i * 10};
    sl_batch_set(b, 0, (uint32_t)i, &v);
  }
  b->nrows = 5;
  ck_assert_int_eq(sl_batch_live(b), 5);
  ck_assert_uint_eq(sl_batch_row(b, 3), 3);
  b->sel = malloc(2 * sizeof(uint32_t));
  b->sel[0] = 1;
  b->sel[1] = 4;
  b->nsel = 2;
  ck_assert_int_eq(sl_batch_live(b), 2);
  ck_assert_int_eq(b->cols[0].i64[sl_batch_row(b, 1)], 40);
  sl_batch_free(b);
}
END_TEST

START_TEST(reset_forgets_rows_nulls_and_selection) {
  sl_batch *b = make();
  sl_value n = {.is_null = true};
  for (int round = 0; round < 3; round++) {
    for (int i = 0; i < 8; i++) {
      char s[32];
      int len = snprintf(s, sizeof s, "row-%d-%d", round, i);
      sl_value v = {.str = {s, (uint32_t)len}};
      sl_batch_set(b, 3, (uint32_t)i, &v);
      sl_batch_set(b, 0, (uint32_t)i, &n);
    }
    b->nrows = 8;
    b->sel = malloc(sizeof(uint32_t));
    b->nsel = 1;
    b->kinds = calloc(8, 1);
    ck_assert(memcmp(b->cols[3].str[7].ptr, "row-", 4) == 0);
    sl_batch_reset(b);
    ck_assert_int_eq(b->nrows, 0);
    ck_assert_int_eq(b->nsel, 0);
    ck_assert_ptr_null(b->sel);
    ck_assert_ptr_null(b->kinds);
    ck_assert_ptr_null(b->cols[0].nulls);
    ck_assert_uint_eq(b->arena.total, 0);
  }
  sl_batch_free(b);
  sl_batch_free(NULL);
}
END_TEST

int main(void) {
  Suite *s = suite_create("batch");
  TCase *tc = tcase_create("core");
  tcase_add_test(tc, new_batch_has_capacity_and_no_rows);
  tcase_add_test(tc, set_then_get_each_physical_class);
  tcase_add_test(tc, strings_are_copied_into_the_batch_arena);
  tcase_add_test(tc, nulls_are_flagged_and_cleared_by_a_value);
  tcase_add_test(tc, selection_narrows_live_rows);
  tcase_add_test(tc, reset_forgets_rows_nulls_and_selection);
  suite_add_tcase(s, tc);
  SRunner *sr = srunner_create(s);
  srunner_run_all(sr, CK_NORMAL);
  int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
