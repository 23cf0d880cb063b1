/* test_ckpt_store.c - the checkpoint store on a file:// object store: shared-file reuse, retention,
 * failed writes, finding the latest checkpoint, download and cleaning up leftovers. */
#include <check.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "state/ckpt_store.h"

#define JOB "0123456789abcdef0123456789abcdef"
#define JOB2 "fedcba9876543210fedcba9876543210"

static char g_base[64];       /* mkdtemp'd by main, removed at the end even if a test failed */
static char g_dir[96];        /* one test's folder under g_base: store/ and local/ live in it */
static char g_uri[128];       /* file://<g_dir>/store */
static sl_objstore *g_os;
static sl_err g_err;

static void setup(void) {
  snprintf(g_dir, sizeof g_dir, "%s/t-XXXXXX", g_base);
  ck_assert_ptr_nonnull(mkdtemp(g_dir));
  char p[128];
  snprintf(p, sizeof p, "%s/store", g_dir);
  ck_assert_int_eq(mkdir(p, 0755), 0);
  snprintf(p, sizeof p, "%s/local", g_dir);
  ck_assert_int_eq(mkdir(p, 0755), 0);
  snprintf(g_uri, sizeof g_uri, "file://%s/store", g_dir);
  sl_err_clear(&g_err);
  ck_assert_int_eq(sl_objstore_open(g_uri, NULL, &g_os, &g_err), 0);
}

static int rm_one(const char *path, const struct stat *st, int flag, struct FTW *ftw) { return remove(path); }

static void teardown(void) {
  sl_objstore_free(g_os);
  g_os = NULL;
  nftw(g_dir, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

/* ------------------------------------------------------------------------------------------ */
/* Helpers                                                                                     */

static const char *local_path(const char *name) {
  static char p[8][256];
  static int k;
  k = (k + 1) % 8;
  snprintf(p[k], sizeof p[k], "%s/local/%s", g_dir, name);
  return p[k];
}

static void write_local(const char *name, const char *content) {
  FILE *f = fopen(local_path(name), "wb");
  ck_assert_ptr_nonnull(f);
  fputs(content, f);
  fclose(f);
}

typedef struct count_arg {
  const char *prefix;
  int n;
} count_arg;

static int count_cb(void *arg, const char *key, int64_t size) {
  count_arg *c = arg;
  if (!strncmp(key, c->prefix, strlen(c->prefix))) c->n++;
  return 0;
}

/* Number of objects whose key starts with prefix (counted over a full listing). */
static int count(const char *prefix) {
  count_arg c = {prefix, 0};
  ck_assert_int_eq(sl_objstore_list(g_os, "", count_cb, &c, &g_err), 0);
  return c.n;
}

static bool exists(const char *key) { return count(key) > 0; }

/* Writes checkpoint id of cs's job: shared and private are space-separated file names. Shared
 * files hold their name (immutable), private ones name and id. Returns write's result; *out
 * (if given) receives the manifest. */
static int ckpt(sl_ckpt_store *cs, const char *job, int64_t id, int64_t ts, const char *shared, const char *private,
                sl_manifest **out) {
  sl_ckpt_file files[16];
  char names[512], content[128];
  int n = 0;
  snprintf(names, sizeof names, "%s|%s", shared, private);
  bool is_shared = true;
  for (char *save = NULL, *tok = strtok_r(names, " ", &save); tok; tok = strtok_r(NULL, " ", &save)) {
    char *bar = strchr(tok, '|');
    if (bar) {
      *bar = 0;
      if (*tok) files[n++] = (sl_ckpt_file){.name = strdup(tok), .shared = is_shared};
      is_shared = false;
      tok = bar + 1;
      if (!*tok) continue;
    }
    files[n++] = (sl_ckpt_file){.name = strdup(tok), .shared = is_shared};
  }
  for (int i = 0; i < n; i++) {
    files[i].local_path = local_path(files[i].name);
    if (files[i].shared) snprintf(content, sizeof content, "sst %s", files[i].name);
    else snprintf(content, sizeof content, "private %s of %lld", files[i].name, (long long)id);
    if (strncmp(files[i].name, "missing", 7)) write_local(files[i].name, content);
  }
  sl_manifest *m = sl_manifest_new();
  m->job_id = strdup(job);
  m->checkpoint_id = id;
  m->timestamp_ms = ts;
  m->backend = strdup("rocksdb");
  sl_err_clear(&g_err);
  int rc = sl_ckpt_store_write(cs, m, files, n, &g_err);
  for (int i = 0; i < n; i++) free((char *)files[i].name);
  if (out) *out = m;
  else sl_manifest_free(m);
  return rc;
}

static const char *key_of(const sl_manifest *m, const char *name) {
  for (int i = 0; i < m->nfiles; i++)
    if (!strcmp(m->files[i].name, name)) return m->files[i].key;
  return NULL;
}

/* ------------------------------------------------------------------------------------------ */
/* Writing                                                                                     */

START_TEST(test_ckpt_write_uploads_shared_file_once) {
  sl_ckpt_store *cs = sl_ckpt_store_new(g_os, JOB, 3);
  sl_manifest *m1, *m2;
  ck_assert_int_eq(ckpt(cs, JOB, 1, 100, "000001.sst", "MANIFEST", &m1), 0);
  ck_assert_int_eq(ckpt(cs, JOB, 2, 200, "000001.sst 000002.sst", "MANIFEST", &m2), 0);
  ck_assert_int_eq(count(JOB "/shared/"), 2);
  ck_assert_int_eq(count(JOB "/shared/000001.sst-"), 1);
  ck_assert_str_eq(key_of(m1, "000001.sst"), key_of(m2, "000001.sst"));
  /* "<job>/shared/<name>-<8 hex run tag>" */
  const char *k = key_of(m1, "000001.sst");
  ck_assert_uint_eq(strlen(k), strlen(JOB "/shared/000001.sst-") + 8);
  ck_assert_uint_eq(strspn(k + strlen(JOB "/shared/000001.sst-"), "0123456789abcdef"), 8);
  ck_assert_str_eq(key_of(m2, "MANIFEST"), JOB "/chk-2/MANIFEST");
  ck_assert_int_eq(m2->files[0].size, (int64_t)strlen("sst 000001.sst"));
  ck_assert(exists(JOB "/chk-1/_metadata") && exists(JOB "/chk-2/_metadata") && exists(JOB "/chk-1/MANIFEST"));

  sl_manifest *r = NULL;
  ck_assert_int_eq(sl_ckpt_read(g_os, JOB "/chk-2", &r, &g_err), 0);
  ck_assert_int_eq(r->checkpoint_id, 2);
  ck_assert_int_eq(r->nfiles, 3);
  ck_assert_str_eq(r->files[1].key, key_of(m2, "000002.sst"));
  ck_assert(r->files[1].shared && !r->files[2].shared);

  sl_buf path = {0};
  sl_ckpt_store_path(cs, 12, &path);
  ck_assert_str_eq(path.data, JOB "/chk-12");
  sl_buf_destroy(&path);
  sl_manifest_free(r);
  sl_manifest_free(m1);
  sl_manifest_free(m2);
  sl_ckpt_store_free(cs);
}
END_TEST

START_TEST(test_ckpt_two_stores_use_different_run_tags) {
  sl_ckpt_store *a = sl_ckpt_store_new(g_os, JOB, 2), *b = sl_ckpt_store_new(g_os, JOB, 2);
  sl_manifest *ma, *mb;
  ck_assert_int_eq(ckpt(a, JOB, 1, 1, "x.sst", "", &ma), 0);
  ck_assert_int_eq(ckpt(b, JOB, 2, 2, "x.sst", "", &mb), 0);
  ck_assert_str_ne(key_of(ma, "x.sst"), key_of(mb, "x.sst"));
  ck_assert_int_eq(count(JOB "/shared/x.sst-"), 2);
  sl_manifest_free(ma);
  sl_manifest_free(mb);
  sl_ckpt_store_free(a);
  sl_ckpt_store_free(b);
}
END_TEST

START_TEST(test_ckpt_retention_deletes_oldest_and_only_their_shared_files) {
  sl_ckpt_store *cs = sl_ckpt_store_new(g_os, JOB, 2);
  ck_assert_int_eq(ckpt(cs, JOB, 1, 1, "a.sst b.sst", "state", NULL), 0);
  ck_assert_int_eq(ckpt(cs, JOB, 2, 2, "b.sst c.sst", "state", NULL), 0);
  ck_assert_int_eq(ckpt(cs, JOB, 3, 3, "c.sst d.sst", "state", NULL), 0);
  ck_assert_int_eq(count(JOB "/chk-1/"), 0);
  ck_assert_int_eq(count(JOB "/shared/a.sst-"), 0);
  ck_assert_int_eq(count(JOB "/shared/b.sst-"), 1); /* chk-2 still uses it */
  ck_assert_int_eq(ckpt(cs, JOB, 4, 4, "c.sst d.sst e.sst", "state", NULL), 0);
  ck_assert_int_eq(count(JOB "/chk-1/"), 0);
  ck_assert_int_eq(count(JOB "/chk-2/"), 0);
  ck_assert_int_eq(count(JOB "/chk-3/"), 2);
  ck_assert_int_eq(count(JOB "/chk-4/"), 2);
  ck_assert_int_eq(count(JOB "/shared/"), 3);
  ck_assert_int_eq(count(JOB "/shared/b.sst-"), 0);
  ck_assert_int_eq(count(JOB "/shared/c.sst-"), 1);
  ck_assert_int_eq(count(JOB "/shared/d.sst-"), 1);
  ck_assert_int_eq(count(JOB "/shared/e.sst-"), 1);
  sl_ckpt_store_free(cs);
}
END_TEST

START_TEST(test_ckpt_failed_write_leaves_no_trace) {
  sl_ckpt_store *cs = sl_ckpt_store_new(g_os, JOB, 2);
  ck_assert_int_eq(ckpt(cs, JOB, 1, 1, "a.sst", "state", NULL), 0);
  sl_manifest *m;
  /* a.sst is reused, b.sst and state are uploaded, then the missing file fails the write. */
  ck_assert_int_eq(ckpt(cs, JOB, 2, 2, "a.sst b.sst", "state missing.bin", &m), SL_EIO);
  char want[256];
  snprintf(want, sizeof want, "cannot read snapshot file %s: No such file or directory", local_path("missing.bin"));
  ck_assert_str_eq(g_err.msg, want);
  ck_assert_int_eq(m->nfiles, 0);
  ck_assert_int_eq(count(JOB "/chk-2/"), 0);
  ck_assert_int_eq(count(JOB "/shared/"), 1);
  ck_assert_int_eq(count(JOB "/chk-1/"), 2);
  sl_manifest_free(m);

  /* The retained checkpoint is intact, and the next attempt works. */
  char *folder = NULL;
  ck_assert_int_eq(sl_ckpt_find_latest(g_os, &folder, &g_err), 0);
  ck_assert_str_eq(folder, JOB "/chk-1");
  free(folder);
  ck_assert_int_eq(ckpt(cs, JOB, 2, 2, "a.sst b.sst", "state", NULL), 0);
  ck_assert_int_eq(count(JOB "/shared/"), 2);
  sl_ckpt_store_free(cs);
}
END_TEST

START_TEST(test_ckpt_write_rejects_bad_input) {
  sl_ckpt_store *cs = sl_ckpt_store_new(g_os, JOB, 2);
  ck_assert_int_eq(ckpt(cs, JOB, 1, 1, "a.sst", "a.sst", NULL), SL_EINVAL);
  ck_assert_str_eq(g_err.msg, "snapshot file 'a.sst' given twice");
  ck_assert_int_eq(ckpt(cs, JOB, 1, 1, "", "_metadata", NULL), SL_EINVAL);
  ck_assert_str_eq(g_err.msg, "bad snapshot file name '_metadata'");
  ck_assert_int_eq(ckpt(cs, JOB2, 1, 1, "", "state", NULL), SL_EINVAL);
  ck_assert_str_eq(g_err.msg, "checkpoint of job " JOB2 " given to the store of job " JOB);
  ck_assert_int_eq(ckpt(cs, JOB, 5, 1, "", "state", NULL), 0);
  ck_assert_int_eq(ckpt(cs, JOB, 5, 1, "", "state", NULL), SL_EINVAL);
  ck_assert_str_eq(g_err.msg, "checkpoint id 5 is not above the retained checkpoint 5 of job " JOB);
  ck_assert_int_eq(count(""), 2);
  /* A job id that is not 32 hex digits fails at the manifest, after the uploads: they are undone. */
  sl_ckpt_store *bad = sl_ckpt_store_new(g_os, "not-hex", 2);
  ck_assert_int_eq(ckpt(bad, "not-hex", 1, 1, "a.sst", "state", NULL), SL_ECHECKPOINT);
  char want[256];
  snprintf(want, sizeof want,
           "%s/not-hex/chk-1/_metadata: invalid checkpoint manifest: job_id 'not-hex' is not 32 hex digits", g_uri);
  ck_assert_str_eq(g_err.msg, want);
  ck_assert_int_eq(count(""), 2);
  sl_ckpt_store_free(bad);
  sl_ckpt_store_free(cs);
}
END_TEST

/* ------------------------------------------------------------------------------------------ */
/* Finding and reading                                                                         */

START_TEST(test_ckpt_find_latest_across_jobs) {
  sl_ckpt_store *a = sl_ckpt_store_new(g_os, JOB, 2), *b = sl_ckpt_store_new(g_os, JOB2, 2);
  char *folder = NULL;
  ck_assert_int_eq(ckpt(a, JOB, 8, 500, "", "state", NULL), 0);
  ck_assert_int_eq(ckpt(a, JOB, 9, 600, "", "state", NULL), 0);
  ck_assert_int_eq(ckpt(b, JOB2, 3, 900, "", "state", NULL), 0);
  ck_assert_int_eq(sl_ckpt_find_latest(g_os, &folder, &g_err), 0);
  ck_assert_str_eq(folder, JOB "/chk-9");
  free(folder);
  ck_assert_int_eq(ckpt(b, JOB2, 10, 700, "", "state", NULL), 0); /* "chk-10" sorts before "chk-9" */
  ck_assert_int_eq(sl_ckpt_find_latest(g_os, &folder, &g_err), 0);
  ck_assert_str_eq(folder, JOB2 "/chk-10");
  free(folder);
  ck_assert_int_eq(ckpt(a, JOB, 10, 800, "", "state", NULL), 0); /* same id: the newer timestamp wins */
  ck_assert_int_eq(sl_ckpt_find_latest(g_os, &folder, &g_err), 0);
  ck_assert_str_eq(folder, JOB "/chk-10");
  free(folder);
  sl_ckpt_store_free(a);
  sl_ckpt_store_free(b);
}
END_TEST

START_TEST(test_ckpt_find_latest_ignores_incomplete_folders) {
  sl_ckpt_store *cs = sl_ckpt_store_new(g_os, JOB, 2);
  ck_assert_int_eq(ckpt(cs, JOB, 1, 1, "a.sst", "state", NULL), 0);
  ck_assert_int_eq(sl_objstore_put(g_os, JOB "/chk-2/state", "x", 1, &g_err), 0);
  ck_assert_int_eq(sl_objstore_put(g_os, "not-a-job/chk-7/_metadata", "x", 1, &g_err), 0);
  ck_assert_int_eq(sl_objstore_put(g_os, JOB "/chk-08/_metadata", "x", 1, &g_err), 0);
  char *folder = NULL;
  ck_assert_int_eq(sl_ckpt_find_latest(g_os, &folder, &g_err), 0);
  ck_assert_str_eq(folder, JOB "/chk-1");
  free(folder);
  sl_ckpt_store_free(cs);
}
END_TEST

START_TEST(test_ckpt_find_latest_reports_damaged_newest_manifest) {
  sl_ckpt_store *cs = sl_ckpt_store_new(g_os, JOB, 2);
  ck_assert_int_eq(ckpt(cs, JOB, 1, 1, "", "state", NULL), 0);
  ck_assert_int_eq(sl_objstore_put(g_os, JOB "/chk-2/_metadata", "\xff", 1, &g_err), 0);
  char *folder = NULL;
  ck_assert_int_eq(sl_ckpt_find_latest(g_os, &folder, &g_err), SL_ECHECKPOINT);
  char want[256];
  snprintf(want, sizeof want, "%s/%s/chk-2/_metadata: not a sluice checkpoint manifest (cannot parse 1 bytes as protobuf)",
           g_uri, JOB);
  ck_assert_str_eq(g_err.msg, want);
  ck_assert_ptr_null(folder);
  sl_ckpt_store_free(cs);
}
END_TEST

START_TEST(test_ckpt_find_latest_on_empty_store_is_notfound) {
  char *folder = NULL;
  ck_assert_int_eq(sl_ckpt_find_latest(g_os, &folder, &g_err), SL_ENOTFOUND);
  char want[256];
  snprintf(want, sizeof want, "no complete checkpoint in %s", g_uri);
  ck_assert_str_eq(g_err.msg, want);
  ck_assert_ptr_null(folder);
}
END_TEST

START_TEST(test_ckpt_read_missing_checkpoint_is_notfound) {
  sl_manifest *m = NULL;
  ck_assert_int_eq(sl_ckpt_read(g_os, JOB "/chk-9", &m, &g_err), SL_ENOTFOUND);
  char want[256];
  snprintf(want, sizeof want, "no checkpoint at %s/%s/chk-9 (no _metadata)", g_uri, JOB);
  ck_assert_str_eq(g_err.msg, want);
  ck_assert_ptr_null(m);
}
END_TEST

static char *slurp(const char *path, size_t *len) {
  FILE *f = fopen(path, "rb");
  ck_assert_ptr_nonnull(f);
  char *buf = malloc(1 << 16);
  *len = fread(buf, 1, 1 << 16, f);
  fclose(f);
  return buf;
}

START_TEST(test_ckpt_download_round_trip_is_byte_identical) {
  sl_ckpt_store *cs = sl_ckpt_store_new(g_os, JOB, 2);
  /* Binary content with NULs and every byte value. */
  FILE *f = fopen(local_path("000007.sst"), "wb");
  for (int i = 0; i < 3000; i++) fputc((i * 7) & 0xff, f);
  fclose(f);
  write_local("empty", "");
  sl_ckpt_file files[] = {
    {"000007.sst", local_path("000007.sst"), true},
    {"empty", local_path("empty"), false},
  };
  sl_manifest *m = sl_manifest_new();
  m->checkpoint_id = 1; /* job_id left NULL: the store fills it */
  ck_assert_int_eq(sl_ckpt_store_write(cs, m, files, 2, &g_err), 0);
  ck_assert_str_eq(m->job_id, JOB);
  sl_manifest_free(m);

  sl_manifest *r = NULL;
  ck_assert_int_eq(sl_ckpt_read(g_os, JOB "/chk-1", &r, &g_err), 0);
  char dir[128];
  snprintf(dir, sizeof dir, "%s/restore/deep", g_dir);
  ck_assert_int_eq(sl_ckpt_download(g_os, r, dir, &g_err), 0);
  for (int i = 0; i < 2; i++) {
    char got[256];
    snprintf(got, sizeof got, "%s/%s", dir, files[i].name);
    size_t la, lb;
    char *a = slurp(files[i].local_path, &la), *b = slurp(got, &lb);
    ck_assert_uint_eq(la, lb);
    ck_assert_mem_eq(a, b, la);
    free(a);
    free(b);
  }
  /* A missing object fails the download with the store's not-found error. */
  ck_assert_int_eq(sl_objstore_delete(g_os, r->files[1].key, &g_err), 0);
  ck_assert_int_eq(sl_ckpt_download(g_os, r, dir, &g_err), SL_ENOTFOUND);
  sl_manifest_free(r);
  sl_ckpt_store_free(cs);
}
END_TEST

/* ------------------------------------------------------------------------------------------ */
/* Restoring and cleaning up                                                                   */

START_TEST(test_ckpt_adopted_checkpoint_keeps_its_shared_keys) {
  sl_ckpt_store *old = sl_ckpt_store_new(g_os, JOB, 2);
  ck_assert_int_eq(ckpt(old, JOB, 1, 1, "a.sst b.sst", "state", NULL), 0);
  sl_ckpt_store_free(old);

  sl_manifest *restored = NULL, *m = NULL;
  ck_assert_int_eq(sl_ckpt_read(g_os, JOB "/chk-1", &restored, &g_err), 0);
  sl_ckpt_store *cs = sl_ckpt_store_new(g_os, JOB, 1);
  sl_ckpt_store_adopt(cs, restored);
  ck_assert_int_eq(ckpt(cs, JOB, 2, 2, "a.sst c.sst", "state", &m), 0);
  ck_assert_str_eq(key_of(m, "a.sst"), key_of(restored, "a.sst")); /* not uploaded again */
  /* Retention 1: chk-1 is gone with b.sst; a.sst stays for chk-2. */
  ck_assert_int_eq(count(JOB "/chk-1/"), 0);
  ck_assert(exists(key_of(restored, "a.sst")));
  ck_assert(!exists(key_of(restored, "b.sst")));
  ck_assert_int_eq(count(JOB "/shared/"), 2);
  sl_manifest_free(restored);
  sl_manifest_free(m);
  sl_ckpt_store_free(cs);
}
END_TEST

START_TEST(test_ckpt_clean_removes_leftovers_of_an_earlier_run) {
  sl_ckpt_store *old = sl_ckpt_store_new(g_os, JOB, 3);
  ck_assert_int_eq(ckpt(old, JOB, 1, 1, "a.sst", "state", NULL), 0);
  ck_assert_int_eq(ckpt(old, JOB, 2, 2, "a.sst b.sst", "state", NULL), 0);
  sl_ckpt_store_free(old);
  /* What a crash leaves: a folder without _metadata and an unreferenced shared file. */
  ck_assert_int_eq(sl_objstore_put(g_os, JOB "/chk-3/state", "x", 1, &g_err), 0);
  ck_assert_int_eq(sl_objstore_put(g_os, JOB "/chk-3/c.sst", "x", 1, &g_err), 0);
  ck_assert_int_eq(sl_objstore_put(g_os, JOB "/shared/c.sst-deadbeef", "x", 1, &g_err), 0);
  /* Another job's leftovers are not this store's business. */
  ck_assert_int_eq(sl_objstore_put(g_os, JOB2 "/chk-1/state", "x", 1, &g_err), 0);
  ck_assert_int_eq(sl_objstore_put(g_os, JOB2 "/shared/z.sst-00000000", "x", 1, &g_err), 0);

  sl_ckpt_store *cs = sl_ckpt_store_new(g_os, JOB, 3);
  ck_assert_int_eq(sl_ckpt_store_clean(cs, &g_err), 0);
  ck_assert_int_eq(count(JOB "/chk-3/"), 0);
  ck_assert_int_eq(count(JOB "/shared/c.sst-"), 0);
  ck_assert_int_eq(count(JOB "/shared/"), 2);
  ck_assert_int_eq(count(JOB "/chk-1/"), 2);
  ck_assert_int_eq(count(JOB "/chk-2/"), 2);
  ck_assert_int_eq(count(JOB2 "/"), 2);
  ck_assert_int_eq(sl_ckpt_store_clean(cs, &g_err), 0); /* nothing left to do */
  ck_assert_int_eq(count(""), 8);
  sl_ckpt_store_free(cs);
}
END_TEST

START_TEST(test_ckpt_clean_retains_complete_checkpoints_of_earlier_runs) {
  sl_ckpt_store *old = sl_ckpt_store_new(g_os, JOB, 5);
  sl_manifest *m2;
  ck_assert_int_eq(ckpt(old, JOB, 1, 1, "a.sst", "state", NULL), 0);
  ck_assert_int_eq(ckpt(old, JOB, 2, 2, "a.sst b.sst", "state", &m2), 0);
  ck_assert_int_eq(ckpt(old, JOB, 3, 3, "b.sst", "state", NULL), 0);
  sl_ckpt_store_free(old);
  /* A later run restores chk-3 and keeps two: the oldest goes, with the shared file only it used. */
  sl_ckpt_store *cs = sl_ckpt_store_new(g_os, JOB, 2);
  sl_manifest *m3;
  ck_assert_int_eq(sl_ckpt_read(g_os, JOB "/chk-3", &m3, &g_err), 0);
  sl_ckpt_store_adopt(cs, m3);
  ck_assert_int_eq(sl_ckpt_store_clean(cs, &g_err), 0);
  ck_assert_int_eq(sl_ckpt_store_max_id(cs), 3);
  ck_assert_int_eq(count(JOB "/chk-1/"), 0);
  ck_assert_int_eq(count(JOB "/chk-2/"), 2);
  ck_assert_int_eq(count(JOB "/chk-3/"), 2);
  ck_assert_int_eq(count(JOB "/shared/a.sst"), 1); /* still used by chk-2 */
  /* The next checkpoint reuses b.sst of the restored chk-3, but not a.sst, which only chk-2 (not
   * restored) holds: a local a.sst need not be that file. chk-2 retires, and its a.sst with it. */
  sl_manifest *m4;
  ck_assert_int_eq(ckpt(cs, JOB, 4, 4, "a.sst b.sst", "state", &m4), 0);
  ck_assert_str_eq(key_of(m4, "b.sst"), key_of(m3, "b.sst"));
  ck_assert_str_ne(key_of(m4, "a.sst"), key_of(m2, "a.sst"));
  ck_assert_int_eq(count(JOB "/chk-2/"), 0);
  ck_assert_int_eq(count(JOB "/shared/a.sst"), 1);
  ck_assert_int_eq(count(JOB "/shared/b.sst"), 1);
  sl_manifest_free(m2);
  sl_manifest_free(m3);
  sl_manifest_free(m4);
  sl_ckpt_store_free(cs);
}
END_TEST

static Suite *ckpt_store_suite(void) {
  Suite *s = suite_create("ckpt_store");
  TCase *tc = tcase_create("write");
  tcase_add_checked_fixture(tc, setup, teardown);
  tcase_add_test(tc, test_ckpt_write_uploads_shared_file_once);
  tcase_add_test(tc, test_ckpt_two_stores_use_different_run_tags);
  tcase_add_test(tc, test_ckpt_retention_deletes_oldest_and_only_their_shared_files);
  tcase_add_test(tc, test_ckpt_failed_write_leaves_no_trace);
  tcase_add_test(tc, test_ckpt_write_rejects_bad_input);
  suite_add_tcase(s, tc);
  tc = tcase_create("find");
  tcase_add_checked_fixture(tc, setup, teardown);
  tcase_add_test(tc, test_ckpt_find_latest_across_jobs);
  tcase_add_test(tc, test_ckpt_find_latest_ignores_incomplete_folders);
  tcase_add_test(tc, test_ckpt_find_latest_reports_damaged_newest_manifest);
  tcase_add_test(tc, test_ckpt_find_latest_on_empty_store_is_notfound);
  tcase_add_test(tc, test_ckpt_read_missing_checkpoint_is_notfound);
  tcase_add_test(tc, test_ckpt_download_round_trip_is_byte_identical);
  suite_add_tcase(s, tc);
  tc = tcase_create("restore");
  tcase_add_checked_fixture(tc, setup, teardown);
  tcase_add_test(tc, test_ckpt_adopted_checkpoint_keeps_its_shared_keys);
  tcase_add_test(tc, test_ckpt_clean_removes_leftovers_of_an_earlier_run);
  tcase_add_test(tc, test_ckpt_clean_retains_complete_checkpoints_of_earlier_runs);
  suite_add_tcase(s, tc);
  return s;
}

int main(void) {
  strcpy(g_base, "/tmp/sluice-ckpt-XXXXXX");
  if (!mkdtemp(g_base)) return EXIT_FAILURE;
  SRunner *sr = srunner_create(ckpt_store_suite());
  srunner_run_all(sr, CK_NORMAL);
  int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  nftw(g_base, rm_one, 16, FTW_DEPTH | FTW_PHYS);
  return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
