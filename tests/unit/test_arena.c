/* test_arena.c - the bump allocator: alignment, big allocations, reset and string helpers. */
#include <check.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../engine/arena.h"

START_TEST(allocations_are_16_byte_aligned) {
  sl_arena a;
  sl_arena_init(&a, 64);
  for (size_t n = 0; n < 100; n++) {
    void *p = sl_arena_alloc(&a, n);
    ck_assert_ptr_nonnull(p);
    ck_assert_uint_eq((uintptr_t)p % 16, 0);
    memset(p, 0xab, n);
  }
  sl_arena_destroy(&a);
}
END_TEST

START_TEST(zeroed_struct_is_a_valid_arena) {
  sl_arena a = {0};
  char *p = sl_arena_zalloc(&a, 100);
  for (int i = 0; i < 100; i++) ck_assert_int_eq(p[i], 0);
  sl_arena_destroy(&a);
}
END_TEST

START_TEST(allocation_larger_than_block_gets_its_own_room) {
  sl_arena a;
  sl_arena_init(&a, 128);
  char *small = sl_arena_alloc(&a, 10);
  memset(small, 1, 10);
  size_t big = 1u << 20;
  unsigned char *p = sl_arena_alloc(&a, big);
  memset(p, 0x5a, big);
  ck_assert_int_eq(p[big - 1], 0x5a);
  ck_assert_int_eq(small[9], 1);
  ck_assert_uint_eq(a.total, 16 + big);
  sl_arena_destroy(&a);
  ck_assert_ptr_null(a.head);
}
END_TEST

START_TEST(reset_rewinds_and_memory_is_reusable) {
  sl_arena a;
  sl_arena_init(&a, 256);
  for (int i = 0; i < 50; i++) memset(sl_arena_alloc(&a, 100), i, 100);
  ck_assert_uint_eq(a.total, 50 * 112);
  sl_arena_reset(&a);
  ck_assert_uint_eq(a.total, 0);
  /* After growth, the kept block fits a whole round again. */
  for (int i = 0; i < 50; i++) memset(sl_arena_alloc(&a, 100), i, 100);
  sl_arena_reset(&a);
  sl_arena_reset(&a);
  sl_arena_destroy(&a);
  sl_arena e = {0};
  sl_arena_reset(&e); /* empty arena: no-op */
  sl_arena_destroy(&e);
}
END_TEST

START_TEST(string_helpers_copy_and_terminate) {
  sl_arena a;
  sl_arena_init(&a, 0);
  char src[] = "hello world";
  char *d = sl_arena_strndup(&a, src, 5);
  src[0] = 'J';
  ck_assert_str_eq(d, "hello");
  ck_assert_str_eq(sl_arena_strdup(&a, "x"), "x");
  ck_assert_str_eq(sl_arena_strndup(&a, NULL, 0), "");
  ck_assert_str_eq(sl_arena_printf(&a, "%s-%d", "ab", 42), "ab-42");
  char longs[600];
  memset(longs, 'q', sizeof longs - 1);
  longs[sizeof longs - 1] = 0;
  char *p = sl_arena_printf(&a, "<%s>", longs);
  ck_assert_uint_eq(strlen(p), 601);
  ck_assert_int_eq(p[0], '<');
  ck_assert_int_eq(p[600], '>');
  sl_arena_destroy(&a);
}
END_TEST

START_TEST(heap_helpers) {
  char *s = sl_strdup("abc");
  ck_assert_str_eq(s, "abc");
  s = sl_realloc(s, 10);
  ck_assert_str_eq(s, "abc");
  free(s);
  int *z = sl_calloc(4, sizeof(int));
  ck_assert_int_eq(z[3], 0);
  free(z);
  free(sl_malloc(0));
}
END_TEST

int main(void) {
  Suite *s = suite_create("arena");
  TCase *tc = tcase_create("core");
  tcase_add_test(tc, allocations_are_16_byte_aligned);
  tcase_add_test(tc, zeroed_struct_is_a_valid_arena);
  tcase_add_test(tc, allocation_larger_than_block_gets_its_own_room);
  tcase_add_test(tc, reset_rewinds_and_memory_is_reusable);
  tcase_add_test(tc, string_helpers_copy_and_terminate);
  tcase_add_test(tc, heap_helpers);
  suite_add_tcase(s, tc);
  SRunner *sr = srunner_create(s);
  srunner_run_all(sr, CK_NORMAL);
  int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
