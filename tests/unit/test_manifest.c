/* test_manifest.c - checkpoint manifests: builders, protobuf round trip, and a decoder that turns
 * garbage, truncation and unknown versions into errors. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "state/manifest.h"

#define JOB "0123456789abcdef0123456789ABCDEF"
#define WHERE "file:///ckpt/" JOB "/chk-3/_metadata"

static sl_err g_err;

static void setup(void) { sl_err_clear(&g_err); }

/* A manifest with every field set, binary data with NULs and an empty commit included. */
static sl_manifest *full_manifest(void) {
  sl_manifest *m = sl_manifest_new();
  m->job_id = strdup(JOB);
  m->checkpoint_id = 3;
  m->plan_fingerprint = 0xfedcba9876543210ull;
  m->timestamp_ms = 1700000000123;
  m->savepoint = true;
  m->finished = true;
  m->backend = strdup("rocksdb");
  sl_manifest_add_file(m, "000012.sst", JOB "/shared/000012.sst-1a2b3c4d", 4096, true);
  sl_manifest_add_file(m, "MANIFEST-000005", JOB "/chk-3/MANIFEST-000005", 77, false);
  sl_manifest_op *src = sl_manifest_add_op(m, 1, "Source");
  sl_manifest_op_add_split(src, "shard-0", 1234, 56, "AFTER_SEQUENCE_NUMBER:49590338271490256608559692538361571095921575989136588898");
  sl_manifest_op_add_split(src, "shard-1", -1, 0, NULL);
  src->skipped = 9;
  sl_manifest_op *win = sl_manifest_add_op(m, 2, "WindowAggregate");
  sl_buf_add(&win->data, "wm\0\x01\xff", 5);
  sl_manifest_op *sink = sl_manifest_add_op(m, 3, "Sink");
  sl_manifest_op_add_commit(sink, "txn-1\0x", 7);
  sl_manifest_op_add_commit(sink, "", 0);
  return m;
}

static sl_manifest *round_trip(const sl_manifest *m) {
  sl_buf b = {0};
  sl_manifest_encode(m, &b);
  sl_manifest *out = NULL;
  ck_assert_int_eq(sl_manifest_decode(b.data, b.len, WHERE, &out, &g_err), 0);
  sl_buf_destroy(&b);
  return out;
}

START_TEST(test_manifest_round_trip_keeps_every_field) {
  sl_manifest *m = full_manifest();
  sl_manifest *d = round_trip(m);
  ck_assert_uint_eq(d->version, SL_MANIFEST_VERSION);
  ck_assert_str_eq(d->job_id, JOB);
  ck_assert_int_eq(d->checkpoint_id, 3);
  ck_assert(d->plan_fingerprint == 0xfedcba9876543210ull);
  ck_assert_int_eq(d->timestamp_ms, 1700000000123);
  ck_assert(d->savepoint && d->finished);
  ck_assert_str_eq(d->backend, "rocksdb");
  ck_assert_int_eq(d->nfiles, 2);
  ck_assert_str_eq(d->files[0].name, "000012.sst");
  ck_assert_str_eq(d->files[0].key, JOB "/shared/000012.sst-1a2b3c4d");
  ck_assert_int_eq(d->files[0].size, 4096);
  ck_assert(d->files[0].shared);
  ck_assert_str_eq(d->files[1].name, "MANIFEST-000005");
  ck_assert_int_eq(d->files[1].size, 77);
  ck_assert(!d->files[1].shared);
  ck_assert_int_eq(d->nops, 3);
  const sl_manifest_op *src = sl_manifest_find_op(d, 1);
  ck_assert_str_eq(src->kind, "Source");
  ck_assert_int_eq(src->nsplits, 2);
  ck_assert_str_eq(src->splits[0].split, "shard-0");
  ck_assert_int_eq(src->splits[0].offset, 1234);
  ck_assert_int_eq(src->splits[0].record, 56);
  ck_assert_str_eq(src->splits[1].split, "shard-1");
  ck_assert_str_eq(src->splits[0].position, "AFTER_SEQUENCE_NUMBER:49590338271490256608559692538361571095921575989136588898");
  ck_assert_int_eq(src->splits[1].offset, -1);
  ck_assert_ptr_null(src->splits[1].position);
  ck_assert_int_eq(src->skipped, 9);
  ck_assert_int_eq(src->data.len, 0);
  const sl_manifest_op *win = sl_manifest_find_op(d, 2);
  ck_assert_str_eq(win->kind, "WindowAggregate");
  ck_assert_int_eq(win->data.len, 5);
  ck_assert_mem_eq(win->data.data, "wm\0\x01\xff", 5);
  const sl_manifest_op *sink = sl_manifest_find_op(d, 3);
  ck_assert_int_eq(sink->ncommits, 2);
  ck_assert_int_eq(sink->commits[0].len, 7);
  ck_assert_mem_eq(sink->commits[0].data, "txn-1\0x", 7);
  ck_assert_int_eq(sink->commits[1].len, 0);
  ck_assert_ptr_null(sl_manifest_find_op(d, 4));
  sl_manifest_free(m);
  sl_manifest_free(d);
}
END_TEST

START_TEST(test_manifest_round_trip_of_minimal_manifest) {
  sl_manifest *m = sl_manifest_new();
  m->job_id = strdup(JOB);
  m->checkpoint_id = 1;
  sl_manifest *d = round_trip(m);
  ck_assert_str_eq(d->backend, ""); /* absent strings come back empty, never NULL */
  ck_assert_int_eq(d->nfiles, 0);
  ck_assert_int_eq(d->nops, 0);
  ck_assert(!d->savepoint && !d->finished);
  sl_manifest_free(m);
  sl_manifest_free(d);
}
END_TEST

START_TEST(test_manifest_builders_copy_arguments) {
  sl_manifest *m = sl_manifest_new();
  char name[] = "state.bin";
  sl_manifest_file *f = sl_manifest_add_file(m, name, NULL, 5, false);
  name[0] = 'X';
  ck_assert_str_eq(f->name, "state.bin");
  ck_assert_ptr_null(f->key);
  sl_manifest_op *op = sl_manifest_add_op(m, 7, "Calc");
  ck_assert_int_eq(op->nsplits, 0);
  ck_assert_int_eq(op->skipped, 0);
  ck_assert_ptr_eq(sl_manifest_find_op(m, 7), op);
  sl_manifest_free(m);
  sl_manifest_free(NULL);
}
END_TEST

static int decode(const void *data, size_t len) {
  sl_manifest *out = (sl_manifest *)1;
  sl_err_clear(&g_err);
  int rc = sl_manifest_decode(data, len, WHERE, &out, &g_err);
  if (rc == 0) sl_manifest_free(out);
  else ck_assert_ptr_null(out);
  return rc;
}

START_TEST(test_manifest_decode_rejects_garbage) {
  ck_assert_int_eq(decode("\xff", 1), SL_ECHECKPOINT);
  ck_assert_str_eq(g_err.msg, WHERE ": not a sluice checkpoint manifest (cannot parse 1 bytes as protobuf)");
  ck_assert_int_eq(decode("", 0), SL_ECHECKPOINT);
  ck_assert_str_eq(g_err.msg, WHERE ": not a sluice checkpoint manifest (no manifest in 0 bytes)");
  ck_assert_int_eq(decode(NULL, 0), SL_ECHECKPOINT);
  const char *text = "{\"job\": \"not protobuf at all\"}\n";
  ck_assert_int_eq(decode(text, strlen(text)), SL_ECHECKPOINT);
  ck_assert_int_eq(g_err.code, SL_ECHECKPOINT);
  ck_assert_ptr_nonnull(strstr(g_err.msg, WHERE ": not a sluice checkpoint manifest ("));
}
END_TEST

START_TEST(test_manifest_decode_rejects_random_bytes) {
  unsigned seed = 12345;
  unsigned char buf[512];
  for (int iter = 0; iter < 20000; iter++) {
    size_t len = (size_t)(rand_r(&seed) % (int)sizeof buf);
    for (size_t i = 0; i < len; i++) buf[i] = (unsigned char)rand_r(&seed);
    if (iter % 2) buf[0] = 0x0a; /* field 1, length-delimited: gets past the first byte more often */
    ck_assert_int_eq(decode(buf, len), SL_ECHECKPOINT);
  }
}
END_TEST

START_TEST(test_manifest_decode_rejects_every_truncation) {
  sl_manifest *m = full_manifest();
  sl_buf b = {0};
  sl_manifest_encode(m, &b);
  ck_assert_int_eq(decode(b.data, b.len), 0);
  for (size_t len = 0; len < b.len; len++) {
    char *copy = malloc(len + 1); /* exact size, so ASan sees any read past the end */
    memcpy(copy, b.data, len);
    ck_assert_msg(decode(copy, len) == SL_ECHECKPOINT, "prefix of %zu bytes decoded", len);
    free(copy);
  }
  /* A flipped bit anywhere is caught too. */
  for (size_t i = 0; i < b.len; i++) {
    b.data[i] ^= 0x10;
    ck_assert_msg(decode(b.data, b.len) == SL_ECHECKPOINT, "flip at byte %zu decoded", i);
    b.data[i] ^= 0x10;
  }
  sl_buf_destroy(&b);
  sl_manifest_free(m);
}
END_TEST

/* Encodes m and returns the decode error message (or "" on success). */
static const char *decode_msg(sl_manifest *m) {
  sl_buf b = {0};
  sl_manifest_encode(m, &b);
  decode(b.data, b.len);
  sl_buf_destroy(&b);
  sl_manifest_free(m);
  return g_err.msg;
}

START_TEST(test_manifest_decode_checks_version) {
  sl_manifest *m = full_manifest();
  m->version = 2;
  ck_assert_str_eq(decode_msg(m),
                   WHERE ": unsupported checkpoint manifest version 2 (this build reads version 1)");
  m = full_manifest();
  m->version = 0;
  ck_assert_str_eq(decode_msg(m), WHERE ": not a sluice checkpoint manifest (no version field)");
}
END_TEST

START_TEST(test_manifest_decode_validates_fields) {
  sl_manifest *m = full_manifest();
  free(m->job_id);
  m->job_id = strdup("abc\n");
  ck_assert_str_eq(decode_msg(m), WHERE ": invalid checkpoint manifest: job_id 'abc?' is not 32 hex digits");
  m = full_manifest();
  free(m->job_id);
  m->job_id = NULL;
  ck_assert_str_eq(decode_msg(m), WHERE ": invalid checkpoint manifest: job_id '' is not 32 hex digits");
  m = full_manifest();
  m->checkpoint_id = 0;
  ck_assert_str_eq(decode_msg(m), WHERE ": invalid checkpoint manifest: checkpoint_id 0 is not >= 1");
  m = full_manifest();
  sl_manifest_add_file(m, "", "k", 1, false);
  ck_assert_str_eq(decode_msg(m), WHERE ": invalid checkpoint manifest: bad file name ''");
  m = full_manifest();
  sl_manifest_add_file(m, "../x", "k", 1, false);
  ck_assert_str_eq(decode_msg(m), WHERE ": invalid checkpoint manifest: bad file name '../x'");
  m = full_manifest();
  sl_manifest_add_file(m, "x", "", 1, false);
  ck_assert_str_eq(decode_msg(m), WHERE ": invalid checkpoint manifest: bad object key '' of file 'x'");
  m = full_manifest();
  sl_manifest_add_file(m, "x", JOB "/chk-3/../../etc/passwd", 1, false);
  ck_assert_str_eq(decode_msg(m), WHERE ": invalid checkpoint manifest: bad object key '" JOB
                                        "/chk-3/../../etc/passwd' of file 'x'");
  m = full_manifest();
  sl_manifest_add_file(m, "x", "/abs/key", 1, false);
  ck_assert_str_eq(decode_msg(m), WHERE ": invalid checkpoint manifest: bad object key '/abs/key' of file 'x'");
  m = full_manifest();
  sl_manifest_add_file(m, "x", "a/x", -5, false);
  ck_assert_str_eq(decode_msg(m), WHERE ": invalid checkpoint manifest: negative size of file 'x'");
  m = full_manifest();
  sl_manifest_add_file(m, "x..y", "a/x..y", 5, false); /* ".." inside a name is not a path step */
  ck_assert_str_eq(decode_msg(m), "");
}
END_TEST

static Suite *manifest_suite(void) {
  Suite *s = suite_create("manifest");
  TCase *tc = tcase_create("build");
  tcase_add_checked_fixture(tc, setup, NULL);
  tcase_add_test(tc, test_manifest_builders_copy_arguments);
  suite_add_tcase(s, tc);
  tc = tcase_create("round_trip");
  tcase_add_checked_fixture(tc, setup, NULL);
  tcase_add_test(tc, test_manifest_round_trip_keeps_every_field);
  tcase_add_test(tc, test_manifest_round_trip_of_minimal_manifest);
  suite_add_tcase(s, tc);
  tc = tcase_create("decode_errors");
  tcase_add_checked_fixture(tc, setup, NULL);
  tcase_set_timeout(tc, 60);
  tcase_add_test(tc, test_manifest_decode_rejects_garbage);
  tcase_add_test(tc, test_manifest_decode_rejects_random_bytes);
  tcase_add_test(tc, test_manifest_decode_rejects_every_truncation);
  tcase_add_test(tc, test_manifest_decode_checks_version);
  tcase_add_test(tc, test_manifest_decode_validates_fields);
  suite_add_tcase(s, tc);
  return s;
}

int main(void) {
  SRunner *sr = srunner_create(manifest_suite());
  srunner_run_all(sr, CK_NORMAL);
  int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
