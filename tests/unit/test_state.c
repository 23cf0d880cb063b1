/* test_state.c - keyed state: one suite run over both backends (hashmap, rocksdb). */
#include <check.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../../state/state.h"

static char tmp_root[256];
static int64_t fake_now;

static int64_t fake_clock(void *arg) {
  (void)arg;
  return fake_now;
}

static void setup(void) {
  snprintf(tmp_root, sizeof tmp_root, "/tmp/sluice-test-state-XXXXXX");
  ck_assert_ptr_nonnull(mkdtemp(tmp_root));
  fake_now = 1000000;
}

static void teardown(void) {
  char cmd[512];
  snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmp_root);
  ck_assert_int_eq(system(cmd), 0);
}

/* A backend of kind i (0 hashmap, 1 rocksdb), with a small in-memory layer so tests spill. */
static sl_state_backend *backend(int i, size_t front_cache, sl_err *err) {
  sl_state_config cfg = {.kind = i ? SL_STATE_ROCKSDB : SL_STATE_HASHMAP, .local_dir = tmp_root,
                         .front_cache_bytes = front_cache, .block_cache_bytes = 1 << 20,
                         .write_buffer_bytes = 1 << 20, .incremental = true};
  sl_state_backend *be;
  ck_assert_int_eq(sl_state_backend_new(&cfg, &be, err), 0);
  sl_state_backend_set_clock(be, fake_clock, NULL);
  return be;
}

static uint64_t h(const char *k) { return sl_state_hash(k, strlen(k)); }

START_TEST(upsert_in_place) {
  sl_err err;
  sl_err_clear(&err);
  sl_state_backend *be = backend(_i, 0, &err);
  sl_kstate *s;
  ck_assert_int_eq(sl_kstate_open(be, "1/acc", 16, 0, &s, &err), 0);
  void *slot;
  bool created;
  ck_assert_int_eq(sl_kstate_upsert(s, 7, "a", 1, h("a"), &slot, &created), 0);
  ck_assert(created);
  ck_assert_int_eq(((int64_t *)slot)[0], 0);
  ((int64_t *)slot)[0] = 41;
  ck_assert_int_eq(sl_kstate_upsert(s, 7, "a", 1, h("a"), &slot, &created), 0);
  ck_assert(!created);
  ((int64_t *)slot)[0]++;
  const void *v;
  uint32_t vl;
  ck_assert_int_eq(sl_kstate_get(s, 7, "a", 1, h("a"), &v, &vl), 0);
  ck_assert_uint_eq(vl, 16);
  ck_assert_int_eq(((const int64_t *)v)[0], 42);
  /* Namespaces are separate. */
  ck_assert_int_eq(sl_kstate_get(s, 8, "a", 1, h("a"), &v, &vl), 0);
  ck_assert_ptr_null(v);
  ck_assert_int_eq(sl_kstate_delete(s, 7, "a", 1, h("a")), 0);
  ck_assert_int_eq(sl_kstate_get(s, 7, "a", 1, h("a"), &v, &vl), 0);
  ck_assert_ptr_null(v);
  /* Opening the same state twice is a mistake. */
  sl_kstate *s2;
  ck_assert_int_eq(sl_kstate_open(be, "1/acc", 16, 0, &s2, &err), SL_EINVAL);
  sl_state_backend_free(be);
}
END_TEST

START_TEST(variable_values) {
  sl_err err;
  sl_err_clear(&err);
  sl_state_backend *be = backend(_i, 0, &err);
  sl_kstate *s;
  ck_assert_int_eq(sl_kstate_open(be, "2/str", SL_KSTATE_VAR, 0, &s, &err), 0);
  ck_assert_int_eq(sl_kstate_put(s, 1, "k", 1, h("k"), "hello", 5), 0);
  ck_assert_int_eq(sl_kstate_put(s, 1, "k", 1, h("k"), "a longer value", 14), 0);
  ck_assert_int_eq(sl_kstate_put(s, 1, "e", 1, h("e"), "", 0), 0);
  const void *v;
  uint32_t vl;
  ck_assert_int_eq(sl_kstate_get(s, 1, "k", 1, h("k"), &v, &vl), 0);
  ck_assert_uint_eq(vl, 14);
  ck_assert(memcmp(v, "a longer value", 14) == 0);
  ck_assert_int_eq(sl_kstate_get(s, 1, "e", 1, h("e"), &v, &vl), 0);
  ck_assert_ptr_nonnull(v);
  ck_assert_uint_eq(vl, 0);
  sl_state_backend_free(be);
}
END_TEST

typedef struct seen {
  int n;
  int64_t sum;
  unsigned char *hit;
} seen;

/* (Check records every passing assertion through a pipe: hot loops test with plain ifs.) */
static int count_visit(void *arg, const void *key, uint32_t klen, const void *value, uint32_t vlen) {
  seen *s = arg;
  int k;
  if (klen != sizeof k) ck_abort_msg("key of %u bytes", klen);
  memcpy(&k, key, sizeof k);
  if (s->hit[k]) ck_abort_msg("key %d visited twice", k);
  s->hit[k] = 1;
  int64_t x;
  if (vlen != 64) ck_abort_msg("value of %u bytes", vlen);
  memcpy(&x, value, 8);
  if (x != (int64_t)k * 3) ck_abort_msg("key %d holds %lld", k, (long long)x);
  s->n++;
  s->sum += x;
  return 0;
}

/* Many more entries than the in-memory layer holds (for rocksdb: spills, reads back, drains
 * DB and memory together); two windows interleaved. */
START_TEST(drain_larger_than_cache) {
  sl_err err;
  sl_err_clear(&err);
  enum { N = 30000 };
  sl_state_backend *be = backend(_i, 256 << 10, &err);
  sl_kstate *s;
  ck_assert_int_eq(sl_kstate_open(be, "3/acc", 64, 0, &s, &err), 0);
  for (int round = 0; round < 3; round++) {
    for (int k = 0; k < N; k++) {
      for (uint64_t ns = 100; ns <= 200; ns += 100) {
        void *slot;
        bool created;
        if (sl_kstate_upsert(s, ns, &k, sizeof k, sl_state_hash(&k, sizeof k), &slot, &created))
          ck_abort_msg("upsert: %s", err.msg);
        if (created != (round == 0)) ck_abort_msg("key %d created in round %d", k, round);
        ((int64_t *)slot)[0] += k;
      }
      if (k % 1000 == 999 && sl_state_backend_trim(be, &err)) ck_abort_msg("trim: %s", err.msg);
    }
  }
  ck_assert_msg(sl_state_backend_memory(be) > 0, "memory is reported");
  for (uint64_t ns = 100; ns <= 200; ns += 100) {
    seen sn = {.hit = calloc(N, 1)};
    ck_assert_int_eq(sl_kstate_drain(s, ns, count_visit, &sn), 0);
    ck_assert_int_eq(sn.n, N);
    free(sn.hit);
    /* Drained: empty now. */
    seen again = {.hit = calloc(N, 1)};
    ck_assert_int_eq(sl_kstate_drain(s, ns, count_visit, &again), 0);
    ck_assert_int_eq(again.n, 0);
    free(again.hit);
  }
  sl_state_backend_free(be);
}
END_TEST

/* Checks each drained value against the expected sum for its key. */
typedef struct sums {
  const int64_t *want;
  int n, wrong;
} sums;

static int sum_visit(void *arg, const void *key, uint32_t klen, const void *value, uint32_t vlen) {
  sums *c = arg;
  int k;
  ck_assert_uint_eq(klen, sizeof k);
  memcpy(&k, key, sizeof k);
  int64_t v;
  if (vlen == sizeof v) memcpy(&v, value, sizeof v);
  else v = -1;
  if (v != c->want[k]) c->wrong++;
  c->n++;
  return 0;
}

/* A hot set updated at every step among a stream of cold keys, through many evictions: every
 * fixed and variable-length value survives being written out and read back. */
START_TEST(eviction_keeps_values) {
  sl_err err;
  sl_err_clear(&err);
  enum { N = 20000, HOT = 64 };
  sl_state_backend *be = backend(_i, 96 << 10, &err);
  sl_kstate *f, *v;
  ck_assert_int_eq(sl_kstate_open(be, "1/fixed", 8, 0, &f, &err), 0);
  ck_assert_int_eq(sl_kstate_open(be, "1/var", SL_KSTATE_VAR, 0, &v, &err), 0);
  int64_t *want = calloc(N, sizeof *want);
  for (int round = 0; round < 4; round++) {
    for (int i = 0; i < N; i++) {
      int keys[2] = {i, i % HOT};
      for (int j = 0; j < 2; j++) {
        int k = keys[j];
        uint64_t hash = sl_state_hash(&k, sizeof k);
        void *slot;
        bool created;
        if (sl_kstate_upsert(f, 7, &k, sizeof k, hash, &slot, &created)) ck_abort_msg("upsert: %s", err.msg);
        *(int64_t *)slot += i + 1;
        want[k] += i + 1;
        if (sl_kstate_put(v, 7, &k, sizeof k, hash, &want[k], sizeof want[k])) ck_abort_msg("put: %s", err.msg);
      }
      if (i % 100 == 99 && sl_state_backend_trim(be, &err)) ck_abort_msg("trim: %s", err.msg);
    }
  }
  sums fs = {.want = want}, vs = {.want = want};
  ck_assert_int_eq(sl_kstate_drain(f, 7, sum_visit, &fs), 0);
  ck_assert_int_eq(sl_kstate_drain(v, 7, sum_visit, &vs), 0);
  ck_assert_int_eq(fs.n, N);
  ck_assert_int_eq(fs.wrong, 0);
  ck_assert_int_eq(vs.n, N);
  ck_assert_int_eq(vs.wrong, 0);
  free(want);
  sl_state_backend_free(be);
}
END_TEST

static int stop_visit(void *arg, const void *key, uint32_t klen, const void *value, uint32_t vlen) {
  (void)arg, (void)key, (void)klen, (void)value, (void)vlen;
  return -7;
}

START_TEST(drain_stopped_keeps_namespace) {
  sl_err err;
  sl_err_clear(&err);
  sl_state_backend *be = backend(_i, 0, &err);
  sl_kstate *s;
  ck_assert_int_eq(sl_kstate_open(be, "4/acc", 8, 0, &s, &err), 0);
  void *slot;
  bool created;
  ck_assert_int_eq(sl_kstate_upsert(s, 1, "x", 1, h("x"), &slot, &created), 0);
  ck_assert_int_eq(sl_kstate_drain(s, 1, stop_visit, NULL), -7);
  const void *v;
  uint32_t vl;
  ck_assert_int_eq(sl_kstate_get(s, 1, "x", 1, h("x"), &v, &vl), 0);
  ck_assert_ptr_nonnull(v);
  ck_assert_int_eq(sl_kstate_drop(s, 1), 0);
  ck_assert_int_eq(sl_kstate_get(s, 1, "x", 1, h("x"), &v, &vl), 0);
  ck_assert_ptr_null(v);
  sl_state_backend_free(be);
}
END_TEST

static int count_only(void *arg, const void *key, uint32_t klen, const void *value, uint32_t vlen) {
  (void)key, (void)klen, (void)value, (void)vlen;
  (*(int *)arg)++;
  return 0;
}

START_TEST(ttl_expires_idle_keys) {
  sl_err err;
  sl_err_clear(&err);
  sl_state_backend *be = backend(_i, 0, &err);
  sl_kstate *s;
  const int64_t hour = 3600LL * 1000000;
  ck_assert_int_eq(sl_kstate_open(be, "5/join", SL_KSTATE_VAR, hour, &s, &err), 0);
  ck_assert_int_eq(sl_kstate_put(s, 0, "old", 3, h("old"), "1", 1), 0);
  fake_now += hour / 2;
  ck_assert_int_eq(sl_kstate_put(s, 0, "new", 3, h("new"), "2", 1), 0);
  fake_now += hour / 2; /* "old" idle for an hour: gone; "new" for half an hour: kept */
  const void *v;
  uint32_t vl;
  ck_assert_int_eq(sl_kstate_get(s, 0, "old", 3, h("old"), &v, &vl), 0);
  ck_assert_ptr_null(v);
  ck_assert_int_eq(sl_kstate_get(s, 0, "new", 3, h("new"), &v, &vl), 0);
  ck_assert_ptr_nonnull(v);
  /* A write resets the clock of a key. */
  fake_now += hour / 4;
  ck_assert_int_eq(sl_kstate_put(s, 0, "new", 3, h("new"), "3", 1), 0);
  fake_now += hour / 2;
  ck_assert_int_eq(sl_kstate_get(s, 0, "new", 3, h("new"), &v, &vl), 0);
  ck_assert_ptr_nonnull(v);
  ck_assert_int_eq(sl_kstate_put(s, 0, "x", 1, h("x"), "4", 1), 0);
  fake_now += hour;
  int n = 0;
  ck_assert_int_eq(sl_kstate_drain(s, 0, count_only, &n), 0);
  ck_assert_int_eq(n, 0);
  /* Fixed slots: an expired slot comes back zeroed and new. */
  sl_kstate *f;
  ck_assert_int_eq(sl_kstate_open(be, "5/acc", 8, hour, &f, &err), 0);
  void *slot;
  bool created;
  ck_assert_int_eq(sl_kstate_upsert(f, 0, "k", 1, h("k"), &slot, &created), 0);
  *(int64_t *)slot = 5;
  fake_now += hour + 1;
  ck_assert_int_eq(sl_kstate_upsert(f, 0, "k", 1, h("k"), &slot, &created), 0);
  ck_assert(created);
  ck_assert_int_eq(*(int64_t *)slot, 0);
  sl_state_backend_free(be);
}
END_TEST

/* Entries nobody reads again still go once their time-to-live has passed: the sweep between
 * batches (sl_state_backend_trim) finds them, so memory stays bounded by what is live. */
START_TEST(ttl_sweep_frees_entries_never_read_again) {
  sl_err err;
  sl_err_clear(&err);
  sl_state_backend *be = backend(_i, 64 << 20, &err);
  sl_kstate *s;
  const int64_t hour = 3600LL * 1000000;
  ck_assert_int_eq(sl_kstate_open(be, "6/rows", SL_KSTATE_VAR, hour, &s, &err), 0);
  char val[100] = {0};
  for (int k = 0; k < 20000; k++)
    ck_assert_int_eq(sl_kstate_put(s, 0, &k, sizeof k, sl_state_hash(&k, sizeof k), val, sizeof val), 0);
  ck_assert_int_eq(sl_state_backend_trim(be, &err), 0);
  size_t full = sl_state_backend_memory(be);
  fake_now += 2 * hour;
  /* 1000 other keys are written again and again, a batch at a time; the old ones are never
   * touched again. */
  for (int batch = 0; batch < 50; batch++) {
    for (int k = 100000; k < 101000; k++)
      ck_assert_int_eq(sl_kstate_put(s, 0, &k, sizeof k, sl_state_hash(&k, sizeof k), val, sizeof val), 0);
    ck_assert_int_eq(sl_state_backend_trim(be, &err), 0);
  }
  /* 1000 live entries, the 20000 expired ones swept (the tables keep their size). */
  size_t after = sl_state_backend_memory(be);
  ck_assert_msg(after < full / 2, "memory %zu after the sweep, %zu with the first 20000 entries", after, full);
  const void *v;
  uint32_t vl;
  int old = 5;
  ck_assert_int_eq(sl_kstate_get(s, 0, &old, sizeof old, sl_state_hash(&old, sizeof old), &v, &vl), 0);
  ck_assert_ptr_null(v);
  sl_state_backend_free(be);
}
END_TEST

static void copy_dir(const char *from, const char *to) {
  char cmd[2 * PATH_MAX + 16];
  ck_assert_int_lt(snprintf(cmd, sizeof cmd, "cp -r '%s' '%s'", from, to), (int)sizeof cmd);
  ck_assert_int_eq(system(cmd), 0);
}

START_TEST(snapshot_and_restore) {
  sl_err err;
  sl_err_clear(&err);
  enum { N = 20000 };
  sl_state_backend *be = backend(_i, 128 << 10, &err);
  sl_kstate *s, *v;
  ck_assert_int_eq(sl_kstate_open(be, "6/acc", 64, 0, &s, &err), 0);
  ck_assert_int_eq(sl_kstate_open(be, "6/str", SL_KSTATE_VAR, 0, &v, &err), 0);
  for (int k = 0; k < N; k++) {
    void *slot;
    bool created;
    if (sl_kstate_upsert(s, 9, &k, sizeof k, sl_state_hash(&k, sizeof k), &slot, &created)) ck_abort_msg("%s", err.msg);
    ((int64_t *)slot)[0] = (int64_t)k * 3;
    if (k % 1000 == 999 && sl_state_backend_trim(be, &err)) ck_abort_msg("trim: %s", err.msg);
  }
  ck_assert_int_eq(sl_kstate_put(v, 9, "name", 4, h("name"), "sluice", 6), 0);
  char snap[512], copy[512];
  snprintf(snap, sizeof snap, "%s/snap", tmp_root);
  snprintf(copy, sizeof copy, "%s/restore", tmp_root);
  sl_state_files files = {0};
  ck_assert_int_eq(sl_state_backend_snapshot(be, snap, &files, &err), 0);
  ck_assert_int_gt(files.n, 0);
  bool any_shared = false;
  for (int i = 0; i < files.n; i++) {
    ck_assert_int_eq(access(files.files[i].path, R_OK), 0);
    any_shared |= files.files[i].shared;
  }
  ck_assert(any_shared == (_i == 1)); /* rocksdb SSTs are shared, the hashmap file is not */
  sl_state_files_destroy(&files);
  /* Changes after the snapshot are not in it. */
  int extra = N + 1;
  void *slot;
  bool created;
  ck_assert_int_eq(sl_kstate_upsert(s, 9, &extra, sizeof extra, sl_state_hash(&extra, sizeof extra), &slot, &created), 0);
  sl_state_backend_free(be);

  copy_dir(snap, copy);
  be = backend(_i, 128 << 10, &err);
  ck_assert_int_eq(sl_state_backend_restore(be, copy, &err), 0);
  ck_assert_int_eq(sl_kstate_open(be, "6/acc", 64, 0, &s, &err), 0);
  ck_assert_int_eq(sl_kstate_open(be, "6/str", SL_KSTATE_VAR, 0, &v, &err), 0);
  const void *val;
  uint32_t vl;
  ck_assert_int_eq(sl_kstate_get(v, 9, "name", 4, h("name"), &val, &vl), 0);
  ck_assert_uint_eq(vl, 6);
  ck_assert(memcmp(val, "sluice", 6) == 0);
  seen sn = {.hit = calloc(N + 2, 1)};
  ck_assert_int_eq(sl_kstate_drain(s, 9, count_visit, &sn), 0);
  ck_assert_int_eq(sn.n, N);
  ck_assert(!sn.hit[N + 1]);
  free(sn.hit);
  sl_state_backend_free(be);

  /* A snapshot restored into a job whose state has another shape is refused. */
  copy_dir(snap, copy);
  be = backend(_i, 0, &err);
  ck_assert_int_eq(sl_state_backend_restore(be, copy, &err), 0);
  ck_assert_int_eq(sl_kstate_open(be, "6/acc", 32, 0, &s, &err), SL_ECHECKPOINT);
  ck_assert_ptr_nonnull(strstr(err.msg, "6/acc"));
  sl_state_backend_free(be);
}
END_TEST

START_TEST(restore_damaged_snapshot) {
  sl_err err;
  sl_err_clear(&err);
  char dir[512], path[600];
  snprintf(dir, sizeof dir, "%s/bad", tmp_root);
  ck_assert_int_eq(mkdir(dir, 0777), 0);
  snprintf(path, sizeof path, "%s/state.bin", dir);
  FILE *f = fopen(path, "wb");
  fputs("SLSTATE1S\x05", f);
  fclose(f);
  sl_state_backend *be = backend(0, 0, &err);
  ck_assert_int_eq(sl_state_backend_restore(be, dir, &err), SL_ECHECKPOINT);
  ck_assert_ptr_nonnull(strstr(err.msg, "damaged or truncated"));
  sl_state_backend_free(be);
}
END_TEST

int main(void) {
  Suite *s = suite_create("state");
  TCase *tc = tcase_create("both backends");
  tcase_set_timeout(tc, 60);
  tcase_add_checked_fixture(tc, setup, teardown);
  tcase_add_loop_test(tc, upsert_in_place, 0, 2);
  tcase_add_loop_test(tc, variable_values, 0, 2);
  tcase_add_loop_test(tc, drain_larger_than_cache, 0, 2);
  tcase_add_loop_test(tc, eviction_keeps_values, 0, 2);
  tcase_add_loop_test(tc, drain_stopped_keeps_namespace, 0, 2);
  tcase_add_loop_test(tc, ttl_expires_idle_keys, 0, 2);
  tcase_add_loop_test(tc, ttl_sweep_frees_entries_never_read_again, 0, 2);
  tcase_add_loop_test(tc, snapshot_and_restore, 0, 2);
  tcase_add_test(tc, restore_damaged_snapshot);
  suite_add_tcase(s, tc);
  SRunner *sr = srunner_create(s);
  srunner_run_all(sr, CK_NORMAL);
  int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
