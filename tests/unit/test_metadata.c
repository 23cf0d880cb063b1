/* test_metadata.c - METADATA columns at the connector: matching keys and types, and the filesystem
 * source filling 'file.path' / 'file.name' after the decoded columns. */
#include <check.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "connectors/metadata.h"

static sl_err g_err;

static void setup(void) { sl_err_clear(&g_err); }

/* A connector offering three keys, as a Kinesis source would. */
static const sl_meta_key k_keys[] = {
    {"timestamp", SL_TYPE_TIMESTAMP_LTZ, "TIMESTAMP_LTZ(3) NOT NULL"},
    {"shard-id", SL_TYPE_VARCHAR, "VARCHAR(128) NOT NULL"},
    {"sequence-number", SL_TYPE_VARCHAR, "VARCHAR(128) NOT NULL"},
};

/* Columns: payload a INT, then metadata columns named names[1..] with meta keys keys[] and
 * types types[1..]; meta_loc[i] = 100 + 10 * i. */
static const char *g_names[8];
static sl_type g_types[8];
static const char *g_keys[8];
static int64_t g_locs[8];

static sl_conn_table table(const char *connector, int nmeta, const char *const *keys, const sl_type *types) {
  g_names[0] = "a";
  g_types[0] = sl_type_make(SL_TYPE_INT, 0, 0, true);
  static char names[8][16];
  for (int i = 0; i < nmeta; i++) {
    snprintf(names[i], sizeof names[i], "m%d", i);
    g_names[1 + i] = names[i];
    g_types[1 + i] = types[i];
    g_keys[i] = keys[i];
    g_locs[i] = 100 + 10 * i;
  }
  return (sl_conn_table){.name = "t", .connector = connector, .ncols = 1 + nmeta, .names = g_names, .types = g_types,
                         .nmeta = nmeta, .meta_keys = g_keys, .meta_loc = g_locs};
}

static sl_type str_t(void) { return sl_type_make(SL_TYPE_VARCHAR, SL_VARCHAR_MAX, 0, true); }
static sl_type ts_t(sl_type_kind k, int p, bool nullable) { return sl_type_make(k, p, 0, nullable); }

/* ------------------------------------------------------------------ resolve */

START_TEST(test_meta_resolve_maps_each_column_to_its_key) {
  const char *keys[] = {"sequence-number", "timestamp", "shard-id", "timestamp"};
  sl_type types[] = {str_t(), ts_t(SL_TYPE_TIMESTAMP_LTZ, 3, false), str_t(), ts_t(SL_TYPE_TIMESTAMP_LTZ, 3, true)};
  sl_conn_table t = table("kinesis", 4, keys, types);
  int idx[4] = {-1, -1, -1, -1};
  ck_assert_int_eq(sl_conn_meta_resolve(&t, k_keys, 3, idx, &g_err), 0);
  ck_assert_int_eq(idx[0], 2);
  ck_assert_int_eq(idx[1], 0);
  ck_assert_int_eq(idx[2], 1);
  ck_assert_int_eq(idx[3], 0);
  ck_assert_int_eq(g_err.code, 0);
}
END_TEST

START_TEST(test_meta_resolve_without_metadata_columns_is_a_no_op) {
  sl_conn_table t = table("print", 0, NULL, NULL);
  ck_assert_int_eq(sl_conn_meta_resolve(&t, NULL, 0, NULL, &g_err), 0);
  ck_assert_int_eq(sl_conn_meta_resolve(&t, k_keys, 3, NULL, &g_err), 0);
  ck_assert_int_eq(g_err.code, 0);
}
END_TEST

START_TEST(test_meta_resolve_unknown_key_lists_the_available_ones) {
  const char *keys[] = {"timestamp", "partition"};
  sl_type types[] = {ts_t(SL_TYPE_TIMESTAMP_LTZ, 3, true), sl_type_make(SL_TYPE_INT, 0, 0, true)};
  sl_conn_table t = table("kinesis", 2, keys, types);
  int idx[2];
  ck_assert_int_eq(sl_conn_meta_resolve(&t, k_keys, 3, idx, &g_err), SL_ECONFIG);
  ck_assert_str_eq(g_err.msg,
                   "connector 'kinesis' has no metadata key 'partition' (available: 'timestamp', 'shard-id', "
                   "'sequence-number')");
  ck_assert_int_eq(g_err.loc, 110);
}
END_TEST

START_TEST(test_meta_resolve_connector_without_keys) {
  const char *keys[] = {"file.name"};
  sl_type types[] = {str_t()};
  sl_conn_table t = table("datagen", 1, keys, types);
  int idx[1];
  ck_assert_int_eq(sl_conn_meta_resolve(&t, NULL, 0, idx, &g_err), SL_ECONFIG);
  ck_assert_str_eq(g_err.msg, "connector 'datagen' has no metadata keys");
  ck_assert_int_eq(g_err.loc, 100);
}
END_TEST

START_TEST(test_meta_resolve_type_mismatch_names_both_types) {
  const char *keys[] = {"shard-id", "timestamp"};
  sl_type types[] = {str_t(), sl_type_make(SL_TYPE_BIGINT, 0, 0, false)};
  sl_conn_table t = table("kinesis", 2, keys, types);
  int idx[2];
  ck_assert_int_eq(sl_conn_meta_resolve(&t, k_keys, 3, idx, &g_err), SL_ECONFIG);
  ck_assert_str_eq(g_err.msg,
                   "metadata column 'm1' of table 't' is declared BIGINT NOT NULL, but key 'timestamp' of connector "
                   "'kinesis' is TIMESTAMP_LTZ(3) NOT NULL");
  ck_assert_int_eq(g_err.loc, 110);
}
END_TEST

START_TEST(test_meta_resolve_timestamp_is_accepted_for_an_ltz_key) {
  const char *keys[] = {"timestamp", "timestamp"};
  sl_type types[] = {ts_t(SL_TYPE_TIMESTAMP, 3, true), ts_t(SL_TYPE_TIMESTAMP_LTZ, 6, false)};
  sl_conn_table t = table("kinesis", 2, keys, types);
  int idx[2];
  ck_assert_int_eq(sl_conn_meta_resolve(&t, k_keys, 3, idx, &g_err), 0);
  ck_assert_int_eq(idx[0], 0);
  ck_assert_int_eq(idx[1], 0);
}
END_TEST

START_TEST(test_meta_resolve_other_precisions_of_the_same_kind_are_accepted) {
  const char *keys[] = {"shard-id"};
  sl_type types[] = {sl_type_make(SL_TYPE_VARCHAR, 10, 0, false)};
  sl_conn_table t = table("kinesis", 1, keys, types);
  int idx[1];
  ck_assert_int_eq(sl_conn_meta_resolve(&t, k_keys, 3, idx, &g_err), 0);
  ck_assert_int_eq(idx[0], 1);
}
END_TEST

START_TEST(test_meta_resolve_ltz_is_not_accepted_for_a_timestamp_key) {
  static const sl_meta_key keys_ts[] = {{"event-time", SL_TYPE_TIMESTAMP, "TIMESTAMP(3)"}};
  const char *keys[] = {"event-time"};
  sl_type types[] = {ts_t(SL_TYPE_TIMESTAMP_LTZ, 3, true)};
  sl_conn_table t = table("x", 1, keys, types);
  int idx[1];
  ck_assert_int_eq(sl_conn_meta_resolve(&t, keys_ts, 1, idx, &g_err), SL_ECONFIG);
  ck_assert_str_eq(g_err.msg,
                   "metadata column 'm0' of table 't' is declared TIMESTAMP_LTZ(3), but key 'event-time' of connector "
                   "'x' is TIMESTAMP(3)");
}
END_TEST

START_TEST(test_meta_none_rejects_metadata_given_to_a_sink) {
  sl_conn_table t = table("print", 0, NULL, NULL);
  ck_assert_int_eq(sl_conn_meta_none(&t, &g_err), 0);
  const char *keys[] = {"timestamp"};
  sl_type types[] = {ts_t(SL_TYPE_TIMESTAMP_LTZ, 3, true)};
  t = table("print", 1, keys, types);
  ck_assert_int_eq(sl_conn_meta_none(&t, &g_err), SL_EINVAL);
  ck_assert_str_eq(g_err.msg, "table 't': sink connector 'print' was given 1 metadata column (sinks take none)");
}
END_TEST

/* ------------------------------------------------------------------ the filesystem source */

static char g_root[64]; /* per test case, removed by the unchecked teardown even after failures */
static char g_dir[128];  /* per test */
static sl_option g_items[4];
static sl_options g_opts;

static int rm_entry(const char *p, const struct stat *st, int flag, struct FTW *ftw) {
  (void)st, (void)flag, (void)ftw;
  return remove(p);
}

static void root_setup(void) {
  snprintf(g_root, sizeof g_root, "/tmp/sl_meta_XXXXXX");
  ck_assert_ptr_nonnull(mkdtemp(g_root));
}

static void root_teardown(void) { nftw(g_root, rm_entry, 16, FTW_DEPTH | FTW_PHYS); }

static void fs_setup(void) {
  setup();
  snprintf(g_dir, sizeof g_dir, "%s/XXXXXX", g_root);
  ck_assert_ptr_nonnull(mkdtemp(g_dir));
}

static void fs_teardown(void) { nftw(g_dir, rm_entry, 16, FTW_DEPTH | FTW_PHYS); }

static void put_file(const char *name, const char *data) {
  char p[256];
  snprintf(p, sizeof p, "%s/%s", g_dir, name);
  FILE *f = fopen(p, "w");
  ck_assert_ptr_nonnull(f);
  fputs(data, f);
  fclose(f);
}

/* A filesystem table over g_dir (csv): payload a INT, then metadata columns with keys[]. */
static sl_conn_table fs_table(int nmeta, const char *const *keys) {
  sl_type types[4];
  for (int i = 0; i < nmeta; i++) types[i] = str_t();
  sl_conn_table t = table("filesystem", nmeta, keys, types);
  g_opts.n = 0;
  g_opts.items = g_items;
  g_items[g_opts.n++] = (sl_option){.key = "path", .value = g_dir, .key_loc = -1, .value_loc = -1};
  g_items[g_opts.n++] = (sl_option){.key = "format", .value = "csv", .key_loc = -1, .value_loc = -1};
  t.opts = &g_opts;
  return t;
}

static void expect_str(const sl_batch *b, int col, int row, const char *want) {
  const sl_str *s = &b->cols[col].str[row];
  ck_assert(!sl_col_is_null(&b->cols[col], (uint32_t)row));
  ck_assert_int_eq(s->len, strlen(want));
  ck_assert(memcmp(s->ptr, want, s->len) == 0);
}

/* Rows from two files, read in batches of 2 rows so that a batch spans both files and the
 * batch is reset in between: each row names its own file. */
START_TEST(test_fs_source_fills_file_name_and_path_after_the_payload) {
  put_file("a.csv", "1\n2\n3\n");
  put_file("b.csv", "4\n5\n");
  const char *keys[] = {"file.name", "file.path"};
  sl_conn_table t = fs_table(2, keys);
  sl_source *src = NULL;
  ck_assert_msg(sl_fs_source_new(&t, 0, &src, &g_err) == 0, "%s", g_err.msg);
  sl_batch *b = sl_batch_new(3, g_types, 2);
  const char *want_file[] = {"a.csv", "a.csv", "a.csv", "b.csv", "b.csv"};
  int n = 0, rc;
  while ((rc = src->vt->read(src, b, &g_err)) == 0) {
    for (int r = 0; r < b->nrows; r++, n++) {
      ck_assert_int_lt(n, 5);
      ck_assert_int_eq(b->cols[0].i64[r], n + 1);
      char path[256];
      snprintf(path, sizeof path, "%s/%s", g_dir, want_file[n]);
      expect_str(b, 1, r, want_file[n]);
      expect_str(b, 2, r, path);
    }
    sl_batch_reset(b);
  }
  ck_assert_int_eq(rc, 1);
  ck_assert_int_eq(n, 5);
  sl_batch_free(b);
  src->vt->free(src);
}
END_TEST

START_TEST(test_fs_source_rejects_an_unknown_key_at_its_column) {
  put_file("a.csv", "1\n");
  const char *keys[] = {"file.name", "file.size"};
  sl_conn_table t = fs_table(2, keys);
  sl_source *src = NULL;
  ck_assert_int_eq(sl_fs_source_new(&t, 0, &src, &g_err), SL_ECONFIG);
  ck_assert_ptr_null(src);
  ck_assert_str_eq(g_err.msg, "connector 'filesystem' has no metadata key 'file.size' (available: 'file.path', 'file.name')");
  ck_assert_int_eq(g_err.loc, 110);
}
END_TEST

static Suite *metadata_suite(void) {
  Suite *s = suite_create("metadata");
  TCase *tc = tcase_create("resolve");
  tcase_add_checked_fixture(tc, setup, NULL);
  tcase_add_test(tc, test_meta_resolve_maps_each_column_to_its_key);
  tcase_add_test(tc, test_meta_resolve_without_metadata_columns_is_a_no_op);
  tcase_add_test(tc, test_meta_resolve_unknown_key_lists_the_available_ones);
  tcase_add_test(tc, test_meta_resolve_connector_without_keys);
  tcase_add_test(tc, test_meta_resolve_type_mismatch_names_both_types);
  tcase_add_test(tc, test_meta_resolve_timestamp_is_accepted_for_an_ltz_key);
  tcase_add_test(tc, test_meta_resolve_other_precisions_of_the_same_kind_are_accepted);
  tcase_add_test(tc, test_meta_resolve_ltz_is_not_accepted_for_a_timestamp_key);
  tcase_add_test(tc, test_meta_none_rejects_metadata_given_to_a_sink);
  suite_add_tcase(s, tc);
  tc = tcase_create("filesystem_source");
  tcase_add_unchecked_fixture(tc, root_setup, root_teardown);
  tcase_add_checked_fixture(tc, fs_setup, fs_teardown);
  tcase_add_test(tc, test_fs_source_fills_file_name_and_path_after_the_payload);
  tcase_add_test(tc, test_fs_source_rejects_an_unknown_key_at_its_column);
  suite_add_tcase(s, tc);
  return s;
}

int main(void) {
  SRunner *sr = srunner_create(metadata_suite());
  srunner_run_all(sr, CK_NORMAL);
  int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
