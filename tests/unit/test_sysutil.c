/* test_sysutil.c - working folders (and the sweep of dead processes' ones), mkdir -p, rm -rf,
 * random bytes. */
#include <check.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../../engine/sysutil.h"

static char root[64];

static void setup(void) {
  snprintf(root, sizeof root, "/tmp/sluice-test-sysutil-XXXXXX");
  ck_assert_ptr_nonnull(mkdtemp(root));
}

static void teardown(void) {
  sl_rm_tree(root);
  struct stat st;
  ck_assert_int_ne(stat(root, &st), 0);
}

static bool exists(const char *path) {
  struct stat st;
  return stat(path, &st) == 0;
}

/* A folder named as a working folder of process pid, with a file inside. */
static void fake_work_dir(char *out, size_t n, long pid) {
  snprintf(out, n, "%s/job-%ld-abcdef", root, pid);
  ck_assert_int_eq(mkdir(out, 0777), 0);
  char f[256];
  snprintf(f, sizeof f, "%s/data", out);
  FILE *fp = fopen(f, "w");
  ck_assert_ptr_nonnull(fp);
  fclose(fp);
}

START_TEST(work_dir_sweeps_only_dead_processes) {
  pid_t child = fork();
  if (child == 0) _exit(0);
  ck_assert_int_gt(child, 0);
  ck_assert_int_eq(waitpid(child, NULL, 0), child); /* a pid that is gone */
  char dead[200], alive[200], other[200];
  fake_work_dir(dead, sizeof dead, (long)child);
  fake_work_dir(alive, sizeof alive, (long)getppid());
  snprintf(other, sizeof other, "%s/other-%ld-abcdef", root, (long)child);
  ck_assert_int_eq(mkdir(other, 0777), 0);
  char *dir;
  ck_assert_int_eq(sl_work_dir_new(root, "job", &dir), 0);
  ck_assert(exists(dir));
  char want[200];
  snprintf(want, sizeof want, "%s/job-%ld-", root, (long)getpid());
  ck_assert_int_eq(strncmp(dir, want, strlen(want)), 0);
  ck_assert(!exists(dead));
  ck_assert(exists(alive));
  ck_assert(exists(other)); /* another prefix: not ours */
  /* Our own folder survives the next sweep. */
  char *dir2;
  ck_assert_int_eq(sl_work_dir_new(root, "job", &dir2), 0);
  ck_assert(exists(dir));
  free(dir);
  free(dir2);
}
END_TEST

START_TEST(mkdirs_and_rm_tree) {
  char deep[200];
  snprintf(deep, sizeof deep, "%s/a/b/c", root);
  ck_assert_int_eq(sl_mkdirs(deep), 0);
  ck_assert(exists(deep));
  ck_assert_int_eq(sl_mkdirs(deep), 0); /* already there */
  char top[200];
  snprintf(top, sizeof top, "%s/a", root);
  sl_rm_tree(top);
  ck_assert(!exists(top));
  sl_rm_tree(top); /* missing: fine */
}
END_TEST

START_TEST(random_hex_differs) {
  char a[33], b[33];
  sl_random_hex(a, 16);
  sl_random_hex(b, 16);
  ck_assert_uint_eq(strlen(a), 32);
  ck_assert_uint_eq(strspn(a, "0123456789abcdef"), 32);
  ck_assert_str_ne(a, b);
}
END_TEST

int main(void) {
  Suite *s = suite_create("sysutil");
  TCase *tc = tcase_create("sysutil");
  tcase_add_checked_fixture(tc, setup, teardown);
  tcase_add_test(tc, work_dir_sweeps_only_dead_processes);
  tcase_add_test(tc, mkdirs_and_rm_tree);
  tcase_add_test(tc, random_hex_differs);
  suite_add_tcase(s, tc);
  SRunner *sr = srunner_create(s);
  srunner_run_all(sr, CK_NORMAL);
  int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
