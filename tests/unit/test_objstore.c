/* test_objstore.c - the object store: the same cases over file:// (a temp folder) and s3:// (the
 * local s3rver that tests/services/with_s3.sh starts), S3 retries through the fault-injecting
 * proxy, multipart uploads step by step, AWS credential/region/endpoint resolution, and bad URIs
 * and keys.
 *
 * Backend cases are Check loop tests: _i == 0 runs on file://, _i == 1 on s3://. */
#include <arpa/inet.h>
#include <check.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "engine/arena.h"
#include "state/aws_auth.h"
#include "state/objstore.h"
#include "state/objstore_impl.h"

enum { FILE_BACKEND = 0, S3_BACKEND = 1 };
#define PATH_MAX_T 512 /* test paths: g_tmp plus a short suffix */

static char g_root[64];   /* the run's temp folder: main removes it, even after failed tests */
static char g_tmp[128];   /* this test's temp folder, inside g_root */
static char g_uri[512];   /* the store's root URI */
static sl_objstore *g_s;  /* the store under test */
static sl_err g_err;

/* ---------------------------------------------------------------------------------------------
 * Fixtures. */

/* Strings the helpers hand out, freed at teardown (so assertions can use them inline). */
static char *g_kept[256];
static int g_nkept;

static char *keep(char *p) {
  ck_assert_int_lt(g_nkept, 256);
  return g_kept[g_nkept++] = p;
}

static int rm_cb(const char *p, const struct stat *st, int flag, struct FTW *ftw) {
  (void)st, (void)flag, (void)ftw;
  return remove(p);
}

static void tmp_setup(void) {
  snprintf(g_tmp, sizeof g_tmp, "%s/t-XXXXXX", g_root);
  ck_assert_ptr_nonnull(mkdtemp(g_tmp));
  sl_err_clear(&g_err);
}

static void tmp_teardown(void) {
  while (g_nkept > 0) free(g_kept[--g_nkept]);
  if (g_tmp[0]) nftw(g_tmp, rm_cb, 16, FTW_DEPTH | FTW_PHYS);
  g_tmp[0] = 0;
}

static const char *need_env(const char *name) {
  const char *v = getenv(name);
  if (v == NULL || v[0] == 0)
    ck_abort_msg("%s is not set: run this suite under tests/services/with_s3.sh, which starts a local S3 "
                 "(meson test does: meson test -C <build> test_objstore)",
                 name);
  return v;
}

/* An s3:// URI with a prefix of its own, so tests never see each other's objects. */
static void s3_uri(char *out, size_t n, const char *tag) {
  static int counter;
  snprintf(out, n, "s3://%s/t-%ld-%d-%s", need_env("SLUICE_TEST_S3_BUCKET"), (long)getpid(), ++counter, tag);
}

static sl_objstore *open_store(const char *uri, const char *endpoint, sl_err *err) {
  sl_objstore_opts o = {.s3_endpoint = endpoint, .s3_path_style = -1};
  sl_objstore *s = NULL;
  int rc = sl_objstore_open(uri, &o, &s, err);
  ck_assert_msg(rc == 0, "open %s: %s", uri, err->msg);
  return s;
}

/* Opens g_s on the backend the loop index names. */
static void open_backend(int backend) {
  if (backend == FILE_BACKEND) {
    snprintf(g_uri, sizeof g_uri, "file://%s/root", g_tmp);
    g_s = open_store(g_uri, NULL, &g_err);
  } else {
    s3_uri(g_uri, sizeof g_uri, "case");
    g_s = open_store(g_uri, need_env("SLUICE_TEST_S3_ENDPOINT"), &g_err);
  }
}

static int collect_keys(void *arg, const char *key, int64_t size) {
  sl_buf *b = arg;
  sl_buf_printf(b, "%s=%lld;", key, (long long)size);
  return 0;
}

static int delete_each(void *arg, const char *key, int64_t size) {
  (void)size;
  sl_err e;
  sl_err_clear(&e);
  return sl_objstore_delete(arg, key, &e);
}

static void backend_teardown(void) {
  if (g_s) {
    sl_err e;
    sl_err_clear(&e);
    sl_objstore_list(g_s, "", delete_each, g_s, &e); /* S3: leave the bucket as it was */
    sl_objstore_free(g_s);
    g_s = NULL;
  }
  tmp_teardown();
}

/* "key=size;..." for every key under prefix. */
static char *list_str(sl_objstore *s, const char *prefix) {
  sl_buf b;
  sl_buf_init(&b);
  sl_err e;
  sl_err_clear(&e);
  int rc = sl_objstore_list(s, prefix, collect_keys, &b, &e);
  ck_assert_msg(rc == 0, "list '%s': %s", prefix, e.msg);
  return keep(b.data);
}

static void put_str(sl_objstore *s, const char *key, const char *v) {
  sl_err e;
  sl_err_clear(&e);
  int rc = sl_objstore_put(s, key, v, strlen(v), &e);
  ck_assert_msg(rc == 0, "put %s: %s", key, e.msg);
}

static char *get_str(sl_objstore *s, const char *key) {
  sl_buf b;
  sl_buf_init(&b);
  sl_err e;
  sl_err_clear(&e);
  int rc = sl_objstore_get(s, key, &b, &e);
  ck_assert_msg(rc == 0, "get %s: %s", key, e.msg);
  return keep(b.data);
}

/* Writes size pseudo-random bytes to path. */
static void make_file(const char *path, size_t size, uint64_t seed) {
  FILE *f = fopen(path, "wb");
  ck_assert_ptr_nonnull(f);
  uint64_t x = seed | 1, block[8192];
  for (size_t done = 0; done < size;) {
    for (size_t i = 0; i < 8192; i++) {
      x ^= x << 13, x ^= x >> 7, x ^= x << 17;
      block[i] = x;
    }
    size_t n = size - done < sizeof block ? size - done : sizeof block;
    ck_assert_uint_eq(fwrite(block, 1, n, f), n);
    done += n;
  }
  ck_assert_int_eq(fclose(f), 0);
}

static int same_files(const char *a, const char *b) {
  FILE *fa = fopen(a, "rb"), *fb = fopen(b, "rb");
  ck_assert_ptr_nonnull(fa);
  ck_assert_ptr_nonnull(fb);
  static char ba[65536], bb[65536];
  int same = 1;
  for (;;) {
    size_t na = fread(ba, 1, sizeof ba, fa), nb = fread(bb, 1, sizeof bb, fb);
    if (na != nb || memcmp(ba, bb, na) != 0) {
      same = 0;
      break;
    }
    if (na == 0) break;
  }
  fclose(fa);
  fclose(fb);
  return same;
}

/* ---------------------------------------------------------------------------------------------
 * The same cases on both backends. */

START_TEST(test_objstore_put_get_round_trip) {
  open_backend(_i);
  static const char bin[] = "a\0b\xff\n";
  ck_assert_int_eq(sl_objstore_put(g_s, "job/chk-1/_metadata", bin, sizeof bin, &g_err), 0);
  sl_buf b;
  sl_buf_init(&b);
  sl_buf_adds(&b, "kept:"); /* get appends */
  ck_assert_int_eq(sl_objstore_get(g_s, "job/chk-1/_metadata", &b, &g_err), 0);
  ck_assert_uint_eq(b.len, 5 + sizeof bin);
  ck_assert_mem_eq(b.data, "kept:", 5);
  ck_assert_mem_eq(b.data + 5, bin, sizeof bin);
  sl_buf_destroy(&b);

  /* Keys that need URL encoding on S3, and an empty object. */
  put_str(g_s, "dir/a b+c=d&e%f\xc3\xa9~.txt", "odd");
  ck_assert_str_eq(get_str(g_s, "dir/a b+c=d&e%f\xc3\xa9~.txt"), "odd");
  put_str(g_s, "empty", "");
  ck_assert_str_eq(get_str(g_s, "empty"), "");
  ck_assert_str_eq(list_str(g_s, ""), "dir/a b+c=d&e%f\xc3\xa9~.txt=3;empty=0;job/chk-1/_metadata=6;");
  ck_assert_str_eq(sl_objstore_uri(g_s), g_uri);
}
END_TEST

START_TEST(test_objstore_overwrite_replaces_object) {
  open_backend(_i);
  put_str(g_s, "a/obj", "first version");
  put_str(g_s, "a/obj", "two");
  ck_assert_str_eq(get_str(g_s, "a/obj"), "two");
  ck_assert_str_eq(list_str(g_s, ""), "a/obj=3;");
}
END_TEST

START_TEST(test_objstore_get_missing_is_notfound) {
  open_backend(_i);
  put_str(g_s, "there", "x");
  sl_buf b;
  sl_buf_init(&b);
  sl_buf_adds(&b, "untouched");
  ck_assert_int_eq(sl_objstore_get(g_s, "nope/x", &b, &g_err), SL_ENOTFOUND);
  char want[2048];
  snprintf(want, sizeof want, "object 'nope/x' not found in %s", g_uri);
  ck_assert_str_eq(g_err.msg, want);
  ck_assert_str_eq(b.data, "untouched");
  sl_buf_destroy(&b);

  char local[PATH_MAX_T];
  snprintf(local, sizeof local, "%s/out", g_tmp);
  sl_err_clear(&g_err);
  ck_assert_int_eq(sl_objstore_get_file(g_s, "nope/x", local, &g_err), SL_ENOTFOUND);
  ck_assert_int_ne(access(local, F_OK), 0);
}
END_TEST

static int stop_after_two(void *arg, const char *key, int64_t size) {
  (void)key, (void)size;
  return ++*(int *)arg == 2 ? 7 : 0;
}

START_TEST(test_objstore_list_order_prefix_sizes) {
  open_backend(_i);
  const char *keys[] = {"b", "a/sub/3", "a/2", "a-b", "a/1", "ab/x"};
  for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++) {
    char v[16];
    snprintf(v, sizeof v, "%.*s", (int)(i + 1), "123456789");
    put_str(g_s, keys[i], v);
  }
  /* Byte order: '-' (0x2d) < '/' (0x2f) < 'b'. */
  ck_assert_str_eq(list_str(g_s, ""), "a-b=4;a/1=5;a/2=3;a/sub/3=2;ab/x=6;b=1;");
  ck_assert_str_eq(list_str(g_s, "a/"), "a/1=5;a/2=3;a/sub/3=2;");
  ck_assert_str_eq(list_str(g_s, "a"), "a-b=4;a/1=5;a/2=3;a/sub/3=2;ab/x=6;");
  ck_assert_str_eq(list_str(g_s, "a/s"), "a/sub/3=2;");
  ck_assert_str_eq(list_str(g_s, "zz"), "");
  ck_assert_str_eq(list_str(g_s, "nothere/"), "");
  int seen = 0;
  ck_assert_int_eq(sl_objstore_list(g_s, "", stop_after_two, &seen, &g_err), 7);
  ck_assert_int_eq(seen, 2);
}
END_TEST

START_TEST(test_objstore_delete_is_idempotent) {
  open_backend(_i);
  put_str(g_s, "x/y/z", "1");
  put_str(g_s, "x/keep", "2");
  ck_assert_int_eq(sl_objstore_delete(g_s, "x/y/z", &g_err), 0);
  ck_assert_int_eq(sl_objstore_delete(g_s, "x/y/z", &g_err), 0);
  ck_assert_int_eq(sl_objstore_delete(g_s, "never/was", &g_err), 0);
  sl_buf b;
  sl_buf_init(&b);
  ck_assert_int_eq(sl_objstore_get(g_s, "x/y/z", &b, &g_err), SL_ENOTFOUND);
  sl_buf_destroy(&b);
  ck_assert_str_eq(list_str(g_s, ""), "x/keep=1;");
  if (_i == FILE_BACKEND) {
    /* The emptied folder x/y is gone; x (still holding keep) and the root stay. */
    char p[PATH_MAX_T];
    snprintf(p, sizeof p, "%s/root/x/y", g_tmp);
    ck_assert_int_ne(access(p, F_OK), 0);
    ck_assert_int_eq(sl_objstore_delete(g_s, "x/keep", &g_err), 0);
    snprintf(p, sizeof p, "%s/root/x", g_tmp);
    ck_assert_int_ne(access(p, F_OK), 0);
    snprintf(p, sizeof p, "%s/root", g_tmp);
    ck_assert_int_eq(access(p, F_OK), 0);
  }
}
END_TEST

START_TEST(test_objstore_put_file_get_file_20mib) {
  open_backend(_i);
  char src[PATH_MAX_T], dst[PATH_MAX_T], small[PATH_MAX_T];
  snprintf(src, sizeof src, "%s/src.bin", g_tmp);
  snprintf(dst, sizeof dst, "%s/dst.bin", g_tmp);
  snprintf(small, sizeof small, "%s/small.bin", g_tmp);
  make_file(src, 20u << 20, 42); /* above 16 MiB: multipart upload on S3 (8 + 8 + 4 MiB) */
  make_file(small, 100000, 7);
  ck_assert_msg(sl_objstore_put_file(g_s, "big/state.sst", src, &g_err) == 0, "%s", g_err.msg);
  ck_assert_msg(sl_objstore_put_file(g_s, "small.sst", small, &g_err) == 0, "%s", g_err.msg);
  ck_assert_str_eq(list_str(g_s, ""), "big/state.sst=20971520;small.sst=100000;");
  ck_assert_msg(sl_objstore_get_file(g_s, "big/state.sst", dst, &g_err) == 0, "%s", g_err.msg);
  ck_assert(same_files(src, dst));
  ck_assert_msg(sl_objstore_get_file(g_s, "small.sst", dst, &g_err) == 0, "%s", g_err.msg);
  ck_assert(same_files(small, dst)); /* the longer file before was truncated */

  char missing[PATH_MAX_T];
  snprintf(missing, sizeof missing, "%s/no-such-file", g_tmp);
  ck_assert_int_eq(sl_objstore_put_file(g_s, "k", missing, &g_err), SL_EIO);
  char want[2048];
  snprintf(want, sizeof want, "cannot open '%s': No such file or directory", missing);
  ck_assert_str_eq(g_err.msg, want);
}
END_TEST

/* ---------------------------------------------------------------------------------------------
 * Backend specifics. */

/* Multipart: parts in any order, invisible until completed, then one object; size(); abort. */
START_TEST(test_objstore_multipart_upload) {
  open_backend(_i);
  char src[PATH_MAX_T];
  snprintf(src, sizeof src, "%s/3mib", g_tmp);
  make_file(src, 3u << 20, 11);
  char *id = NULL, *e1 = NULL, *e2 = NULL;
  ck_assert_msg(sl_objstore_multipart_begin(g_s, "mp/obj", &id, &g_err) == 0, "%s", g_err.msg);
  ck_assert_msg(sl_objstore_multipart_part(g_s, "mp/obj", id, 2, src, 2u << 20, 1u << 20, &e2, &g_err) == 0, "%s",
                g_err.msg);
  ck_assert_int_eq(sl_objstore_multipart_part(g_s, "mp/obj", id, 1, src, 0, 2u << 20, &e1, &g_err), 0);
  ck_assert_str_ne(e1, e2);
  ck_assert_str_eq(list_str(g_s, ""), ""); /* nothing visible yet, not even the parts */
  int64_t size = -1;
  ck_assert_int_eq(sl_objstore_size(g_s, "mp/obj", &size, &g_err), SL_ENOTFOUND);
  const char *etags[] = {e1, e2};
  ck_assert_msg(sl_objstore_multipart_complete(g_s, "mp/obj", id, 2, etags, &g_err) == 0, "%s", g_err.msg);
  ck_assert_str_eq(list_str(g_s, ""), "mp/obj=3145728;");
  sl_err_clear(&g_err);
  ck_assert_int_eq(sl_objstore_size(g_s, "mp/obj", &size, &g_err), 0);
  ck_assert_int_eq(size, 3u << 20);
  char back[PATH_MAX_T];
  snprintf(back, sizeof back, "%s/back", g_tmp);
  ck_assert_int_eq(sl_objstore_get_file(g_s, "mp/obj", back, &g_err), 0);
  ck_assert(same_files(src, back));
  if (_i == FILE_BACKEND) { /* s3rver answers a second completion with 500 (AWS: 404 NoSuchUpload) */
    ck_assert_int_eq(sl_objstore_multipart_complete(g_s, "mp/obj", id, 2, etags, &g_err), SL_ENOTFOUND);
    char want[PATH_MAX_T * 2];
    snprintf(want, sizeof want, "multipart upload '%s' of 'mp/obj' not found in %s", id, g_uri);
    ck_assert_str_eq(g_err.msg, want);
  }
  free(id), free(e1), free(e2);

  /* An aborted upload leaves nothing (s3rver cannot abort: 405 says so). */
  ck_assert_int_eq(sl_objstore_multipart_begin(g_s, "mp/gone", &id, &g_err), 0);
  ck_assert_int_eq(sl_objstore_multipart_part(g_s, "mp/gone", id, 1, src, 0, 100, &e1, &g_err), 0);
  sl_err_clear(&g_err);
  int rc = sl_objstore_multipart_abort(g_s, "mp/gone", id, &g_err);
  if (_i == FILE_BACKEND) {
    ck_assert_int_eq(rc, 0);
    ck_assert_int_eq(sl_objstore_multipart_abort(g_s, "mp/gone", id, &g_err), 0); /* unknown: fine */
    const char *one[] = {e1};
    ck_assert_int_eq(sl_objstore_multipart_complete(g_s, "mp/gone", id, 1, one, &g_err), SL_ENOTFOUND);
    struct stat st;
    char mpu[PATH_MAX_T];
    snprintf(mpu, sizeof mpu, "%s/root/.sl-tmp-mpu", g_tmp);
    ck_assert_int_ne(stat(mpu, &st), 0); /* the hidden upload folder is gone too */
  } else {
    ck_assert_int_eq(rc, SL_EUNSUPPORTED);
    char want[PATH_MAX_T * 2];
    snprintf(want, sizeof want, "multipart abort of 'mp/gone' in %s: the server does not support it (405 MethodNotAllowed)",
             g_uri);
    ck_assert_str_eq(g_err.msg, want);
  }
  ck_assert_str_eq(list_str(g_s, ""), "mp/obj=3145728;");
  free(id), free(e1);
}
END_TEST

/* The file store checks what it is given: wrong ETags, missing parts, foreign upload ids. */
START_TEST(test_objstore_file_multipart_checks_parts) {
  open_backend(FILE_BACKEND);
  char src[PATH_MAX_T];
  snprintf(src, sizeof src, "%s/small", g_tmp);
  make_file(src, 1000, 3);
  char *id = NULL, *e1 = NULL;
  ck_assert_int_eq(sl_objstore_multipart_begin(g_s, "k", &id, &g_err), 0);
  ck_assert_int_eq(sl_objstore_multipart_part(g_s, "k", id, 1, src, 0, 1000, &e1, &g_err), 0);
  const char *bad[] = {"\"0000000000000000\""};
  ck_assert_int_eq(sl_objstore_multipart_complete(g_s, "k", id, 1, bad, &g_err), SL_EINVAL);
  char want[PATH_MAX_T * 2];
  snprintf(want, sizeof want, "cannot complete the multipart upload of 'k' in %s: part 1 has ETag %s, not %s", g_uri, e1,
           bad[0]);
  ck_assert_str_eq(g_err.msg, want);
  sl_err_clear(&g_err);
  const char *two[] = {e1, e1};
  ck_assert_int_eq(sl_objstore_multipart_complete(g_s, "k", id, 2, two, &g_err), SL_EINVAL);
  ck_assert_ptr_nonnull(strstr(g_err.msg, "part 2 is missing"));
  sl_err_clear(&g_err);
  ck_assert_str_eq(list_str(g_s, ""), ""); /* failed completions publish nothing */
  char *e2 = NULL;
  ck_assert_int_eq(sl_objstore_multipart_part(g_s, "k", "..", 1, src, 0, 10, &e2, &g_err), SL_ENOTFOUND);
  sl_err_clear(&g_err);
  ck_assert_int_eq(sl_objstore_multipart_part(g_s, "k", id, 1, src, 900, 200, &e2, &g_err), SL_EIO); /* past the end */
  sl_err_clear(&g_err);
  ck_assert_int_eq(sl_objstore_multipart_part(g_s, "k", "a/b", 1, src, 0, 10, &e2, &g_err), SL_EINVAL);
  ck_assert_int_eq(sl_objstore_multipart_abort(g_s, "k", id, &g_err), 0);
  free(id), free(e1);
}
END_TEST

START_TEST(test_objstore_file_list_walks_folders_and_skips_temp_files) {
  snprintf(g_uri, sizeof g_uri, "%s/plain-root/", g_tmp); /* a plain path, trailing '/' */
  g_s = open_store(g_uri, NULL, &g_err);
  for (int i = 0; i < 60; i++) { /* each put fsyncs: a few ms apiece */
    char k[32];
    snprintf(k, sizeof k, "d%d/k%04d", i % 3, i);
    put_str(g_s, k, "v");
  }
  /* A leftover of a crashed put is invisible. */
  char p[PATH_MAX_T];
  snprintf(p, sizeof p, "%s/plain-root/d0/.sl-tmp-1-1", g_tmp);
  FILE *f = fopen(p, "w");
  ck_assert_ptr_nonnull(f);
  fclose(f);
  char *all = list_str(g_s, "");
  int n = 0;
  for (char *c = all; (c = strchr(c, ';')) != NULL; c++) n++;
  ck_assert_int_eq(n, 60);
  ck_assert(strncmp(all, "d0/k0000=1;d0/k0003=1;", 22) == 0);
  ck_assert_ptr_null(strstr(all, "sl-tmp"));
}
END_TEST

START_TEST(test_objstore_s3_list_pages) {
  char uri[256];
  s3_uri(uri, sizeof uri, "pages");
  snprintf(g_uri, sizeof g_uri, "%s", uri);
  g_s = open_store(uri, need_env("SLUICE_TEST_S3_ENDPOINT"), &g_err);
  sl__objstore_s3_set_max_keys(g_s, 4); /* 25 keys: 7 pages, continuation tokens in between */
  sl_buf want;
  sl_buf_init(&want);
  for (int i = 0; i < 25; i++) {
    char k[32];
    snprintf(k, sizeof k, "p/k%02d&<>", i); /* entities in the listing's XML */
    put_str(g_s, k, "vv");
    sl_buf_printf(&want, "%s=2;", k);
  }
  ck_assert_str_eq(list_str(g_s, "p/"), want.data);
  ck_assert_str_eq(list_str(g_s, "p/k2"), "p/k20&<>=2;p/k21&<>=2;p/k22&<>=2;p/k23&<>=2;p/k24&<>=2;");
  /* Deleting while listing (what checkpoint clean-up does) sees every key once. */
  ck_assert_int_eq(sl_objstore_list(g_s, "", delete_each, g_s, &g_err), 0);
  ck_assert_str_eq(list_str(g_s, ""), "");
  sl_buf_destroy(&want);
}
END_TEST

/* Writes a command into the flaky proxy's control file. */
static void flaky(const char *cmd) {
  FILE *f = fopen(need_env("SLUICE_TEST_S3_FLAKY_CONTROL"), "w");
  ck_assert_ptr_nonnull(f);
  fputs(cmd, f);
  fclose(f);
}

/* How many requests the proxy logged as "METHOD <our object path><rest...> STATUS", where the
 * object path is that of key in g_uri's bucket and prefix (g_uri is "s3://bucket/prefix"). */
static int log_count(const char *method, const char *key_and_query, const char *status) {
  char want[2048];
  snprintf(want, sizeof want, "%s /%s/%s", method, g_uri + 5, key_and_query);
  FILE *f = fopen(need_env("SLUICE_TEST_S3_FLAKY_LOG"), "r");
  if (f == NULL) return 0;
  char line[2048];
  int n = 0;
  while (fgets(line, sizeof line, f)) {
    line[strcspn(line, "\n")] = 0;
    char *sp = strrchr(line, ' ');
    if (sp == NULL || strcmp(sp + 1, status) != 0) continue;
    *sp = 0;
    if (strncmp(line, want, strlen(want)) == 0 && (strchr(key_and_query, '?') || strlen(line) == strlen(want))) n++;
  }
  fclose(f);
  return n;
}

static void flaky_setup(void) {
  tmp_setup();
  s3_uri(g_uri, sizeof g_uri, "flaky");
  g_s = open_store(g_uri, need_env("SLUICE_TEST_S3_FLAKY_ENDPOINT"), &g_err);
}

static void flaky_teardown(void) {
  flaky("");
  backend_teardown();
}

START_TEST(test_objstore_s3_retries_transient_failures) {
  flaky("fail 2");
  put_str(g_s, "r/obj", "survived");
  ck_assert_int_eq(log_count("PUT", "r/obj", "503"), 2);
  ck_assert_int_eq(log_count("PUT", "r/obj", "200"), 1);
  flaky("fail 2 500 InternalError");
  ck_assert_str_eq(get_str(g_s, "r/obj"), "survived");
  ck_assert_int_eq(log_count("GET", "r/obj", "500"), 2);
  flaky("drop 2"); /* connections closed without an answer */
  ck_assert_str_eq(list_str(g_s, ""), "r/obj=8;");
  flaky("fail 1 400 RequestTimeout");
  ck_assert_int_eq(sl_objstore_delete(g_s, "r/obj", &g_err), 0);
  ck_assert_str_eq(list_str(g_s, ""), "");
}
END_TEST

START_TEST(test_objstore_s3_persistent_failure_is_eio_without_secret) {
  const char *secret = "sluice-TEST-secret-do-not-print";
  sl_objstore_opts o = {.s3_endpoint = need_env("SLUICE_TEST_S3_FLAKY_ENDPOINT"), .s3_path_style = -1,
                        .s3_access_key = "S3RVER", .s3_secret_key = secret};
  sl_objstore *s = NULL;
  ck_assert_int_eq(sl_objstore_open(g_uri, &o, &s, &g_err), 0);
  flaky("fail-all");
  ck_assert_int_eq(sl_objstore_put(s, "chk-9/_metadata", "m", 1, &g_err), SL_EIO);
  char want[2048];
  snprintf(want, sizeof want,
           "%s/chk-9/_metadata: PUT failed: 503 SlowDown: Injected by flaky_proxy. (gave up after 5 attempts)", g_uri);
  ck_assert_str_eq(g_err.msg, want);
  ck_assert_ptr_null(strstr(g_err.msg, secret));
  flaky("");

  /* A wrong secret: the proxy checks signatures and says so; not retried, secret not shown. */
  sl_err_clear(&g_err);
  ck_assert_int_eq(sl_objstore_put(s, "chk-9/_metadata", "m", 1, &g_err), SL_EIO);
  snprintf(want, sizeof want,
           "%s/chk-9/_metadata: PUT failed: 403 SignatureDoesNotMatch: flaky_proxy: signature mismatch.", g_uri);
  ck_assert_str_eq(g_err.msg, want);
  ck_assert_ptr_null(strstr(g_err.msg, secret));
  sl_objstore_free(s);
}
END_TEST

/* Everything through the signature-checking proxy: canonical queries, encoded keys, multipart. */
START_TEST(test_objstore_s3_requests_are_correctly_signed) {
  sl__objstore_s3_set_max_keys(g_s, 2);
  put_str(g_s, "sig/a b+c=&%", "1");
  put_str(g_s, "sig/b", "22");
  put_str(g_s, "sig/c", "333");
  ck_assert_str_eq(get_str(g_s, "sig/a b+c=&%"), "1");
  ck_assert_str_eq(list_str(g_s, "sig/"), "sig/a b+c=&%=1;sig/b=2;sig/c=3;");
  char src[PATH_MAX_T];
  snprintf(src, sizeof src, "%s/17mib", g_tmp);
  make_file(src, 17u << 20, 3);
  flaky("fail 1"); /* the multipart create is retried too */
  ck_assert_msg(sl_objstore_put_file(g_s, "sig/big", src, &g_err) == 0, "%s", g_err.msg);
  ck_assert_str_eq(list_str(g_s, "sig/big"), "sig/big=17825792;");
  /* Create (failed once, then done), three parts of 8 + 8 + 1 MiB, complete. */
  ck_assert_int_eq(log_count("POST", "sig/big?uploads=", "503"), 1);
  ck_assert_int_eq(log_count("POST", "sig/big?uploads=", "200"), 1);
  ck_assert_int_eq(log_count("PUT", "sig/big?partNumber=3&uploadId=", "200"), 1);
  ck_assert_int_eq(log_count("PUT", "sig/big?partNumber=4&uploadId=", "200"), 0);
  ck_assert_int_eq(log_count("POST", "sig/big?uploadId=", "200"), 1);
  ck_assert_int_eq(log_count("PUT", "sig/big", "200"), 0); /* no single PUT */
  ck_assert_int_eq(sl_objstore_delete(g_s, "sig/b", &g_err), 0);

  /* With a session token, which must be sent and signed. */
  setenv("AWS_SESSION_TOKEN", "session/token+=", 1);
  sl_objstore *t = open_store(g_uri, need_env("SLUICE_TEST_S3_FLAKY_ENDPOINT"), &g_err);
  unsetenv("AWS_SESSION_TOKEN");
  put_str(t, "sig/token", "t");
  ck_assert_str_eq(get_str(t, "sig/token"), "t");
  sl_objstore_free(t);
}
END_TEST

START_TEST(test_objstore_s3_failed_multipart_is_aborted) {
  char src[PATH_MAX_T];
  snprintf(src, sizeof src, "%s/17mib", g_tmp);
  make_file(src, 17u << 20, 5);
  flaky("skip 1 fail 1 400 InvalidPart"); /* the create passes, the first part is refused */
  ck_assert_int_eq(sl_objstore_put_file(g_s, "big", src, &g_err), SL_EIO);
  char want[2048];
  snprintf(want, sizeof want, "%s/big: multipart PUT (part) failed: 400 InvalidPart: Injected by flaky_proxy.", g_uri);
  ck_assert_str_eq(g_err.msg, want);
  /* The abort was sent; s3rver does not support it (405), which is ignored. */
  ck_assert_int_eq(log_count("DELETE", "big?uploadId=", "405"), 1);
  ck_assert_str_eq(list_str(g_s, ""), "");
}
END_TEST

/* What AWS answers and s3rver does not: NoSuchUpload on completion and abort, 501 on abort. */
START_TEST(test_objstore_s3_multipart_answers) {
  char src[PATH_MAX_T];
  snprintf(src, sizeof src, "%s/small", g_tmp);
  make_file(src, 100, 9);
  char *id = NULL, *e1 = NULL;
  ck_assert_int_eq(sl_objstore_multipart_begin(g_s, "m", &id, &g_err), 0);
  ck_assert_int_eq(sl_objstore_multipart_part(g_s, "m", id, 1, src, 0, 100, &e1, &g_err), 0);
  const char *etags[] = {e1};
  flaky("fail 1 404 NoSuchUpload");
  ck_assert_int_eq(sl_objstore_multipart_complete(g_s, "m", id, 1, etags, &g_err), SL_ENOTFOUND);
  char want[2048];
  snprintf(want, sizeof want, "multipart PUT (complete) of 'm' in %s: NoSuchUpload", g_uri);
  ck_assert_str_eq(g_err.msg, want);
  sl_err_clear(&g_err);
  flaky("fail 1 404 NoSuchUpload");
  ck_assert_int_eq(sl_objstore_multipart_abort(g_s, "m", id, &g_err), 0);
  flaky("fail 1 501 NotImplemented");
  ck_assert_int_eq(sl_objstore_multipart_abort(g_s, "m", id, &g_err), SL_EUNSUPPORTED);
  ck_assert_int_eq(log_count("DELETE", "m?uploadId=", "501"), 1); /* not retried */
  sl_err_clear(&g_err);
  flaky("fail 2"); /* a 503 is retried, as everywhere */
  ck_assert_int_eq(sl_objstore_multipart_complete(g_s, "m", id, 1, etags, &g_err), 0);
  int64_t size = 0;
  flaky("fail 1");
  ck_assert_int_eq(sl_objstore_size(g_s, "m", &size, &g_err), 0);
  ck_assert_int_eq(size, 100);
  ck_assert_int_eq(log_count("HEAD", "m", "503"), 1);
  free(id), free(e1);
}
END_TEST

START_TEST(test_objstore_s3_error_names_code_and_message) {
  sl_objstore_opts o = {.s3_endpoint = need_env("SLUICE_TEST_S3_ENDPOINT"), .s3_path_style = -1,
                        .s3_access_key = "NOT-A-KEY", .s3_secret_key = "whatever-secret"};
  s3_uri(g_uri, sizeof g_uri, "denied");
  ck_assert_int_eq(sl_objstore_open(g_uri, &o, &g_s, &g_err), 0);
  ck_assert_int_eq(sl_objstore_put(g_s, "k", "v", 1, &g_err), SL_EIO);
  char want[2048];
  snprintf(want, sizeof want,
           "%s/k: PUT failed: 403 InvalidAccessKeyId: "
           "The AWS Access Key Id you provided does not exist in our records.",
           g_uri);
  ck_assert_str_eq(g_err.msg, want);
  ck_assert_ptr_null(strstr(g_err.msg, "whatever-secret"));
  sl_objstore_free(g_s);
  g_s = NULL;

  /* A bucket that does not exist is an error, not "not found". */
  o = (sl_objstore_opts){.s3_endpoint = need_env("SLUICE_TEST_S3_ENDPOINT"), .s3_path_style = -1};
  ck_assert_int_eq(sl_objstore_open("s3://no-such-bucket/x", &o, &g_s, &g_err), 0);
  sl_buf b;
  sl_buf_init(&b);
  sl_err_clear(&g_err);
  ck_assert_int_eq(sl_objstore_get(g_s, "k", &b, &g_err), SL_EIO);
  ck_assert_str_eq(g_err.msg,
                   "s3://no-such-bucket/x/k: GET failed: 404 NoSuchBucket: The specified bucket does not exist");
  sl_buf_destroy(&b);
  sl_objstore_free(g_s);
  g_s = NULL;
}
END_TEST

START_TEST(test_objstore_s3_unreachable_endpoint_gives_up) {
  /* A port nothing listens on: connection refused, retried, then a clear error. */
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
  ck_assert_int_eq(bind(fd, (struct sockaddr *)&a, sizeof a), 0);
  socklen_t len = sizeof a;
  ck_assert_int_eq(getsockname(fd, (struct sockaddr *)&a, &len), 0);
  close(fd); /* bound, never listened: refused */
  char ep[64];
  snprintf(ep, sizeof ep, "http://127.0.0.1:%d", ntohs(a.sin_port));
  sl_objstore_opts o = {.s3_endpoint = ep, .s3_path_style = -1, .s3_access_key = "AK", .s3_secret_key = "SK"};
  ck_assert_int_eq(sl_objstore_open("s3://bucket/p", &o, &g_s, &g_err), 0);
  ck_assert_int_eq(sl_objstore_put(g_s, "k", "v", 1, &g_err), SL_EIO);
  const char *want = "s3://bucket/p/k: PUT failed: Failed to connect to 127.0.0.1 port ";
  ck_assert_msg(strncmp(g_err.msg, want, strlen(want)) == 0, "%s", g_err.msg);
  ck_assert_msg(strstr(g_err.msg, "(gave up after 5 attempts)") != NULL, "%s", g_err.msg);
  sl_objstore_free(g_s);
  g_s = NULL;
}
END_TEST

START_TEST(test_objstore_s3_addressing_style_and_key_encoding) {
  sl_objstore_opts o = {.s3_endpoint = "http://objects.test:9000/", .s3_path_style = -1,
                        .s3_access_key = "AK", .s3_secret_key = "SK"};
  ck_assert_int_eq(sl_objstore_open("s3://bkt/pre/fix/", &o, &g_s, &g_err), 0);
  char *u = sl__objstore_s3_url(g_s, "a b/c+d~e.f");
  ck_assert_str_eq(u, "http://bkt.objects.test:9000/pre/fix/a%20b/c%2Bd~e.f");
  free(u);
  u = sl__objstore_s3_url(g_s, NULL);
  ck_assert_str_eq(u, "http://bkt.objects.test:9000/");
  free(u);
  sl_objstore_free(g_s);

  o.s3_path_style = 1;
  ck_assert_int_eq(sl_objstore_open("s3://bkt", &o, &g_s, &g_err), 0);
  u = sl__objstore_s3_url(g_s, "k");
  ck_assert_str_eq(u, "http://objects.test:9000/bkt/k");
  free(u);
  u = sl__objstore_s3_url(g_s, NULL);
  ck_assert_str_eq(u, "http://objects.test:9000/bkt");
  free(u);
  sl_objstore_free(g_s);

  o.s3_path_style = 0; /* an IP or localhost cannot be a virtual host */
  o.s3_endpoint = "http://localhost:4568";
  ck_assert_int_eq(sl_objstore_open("s3://bkt", &o, &g_s, &g_err), 0);
  u = sl__objstore_s3_url(g_s, "k");
  ck_assert_str_eq(u, "http://localhost:4568/bkt/k");
  free(u);
  sl_objstore_free(g_s);

  /* No endpoint anywhere: the region's public endpoint, virtual-hosted. */
  unsetenv("AWS_ENDPOINT_URL_S3");
  unsetenv("AWS_ENDPOINT_URL");
  o = (sl_objstore_opts){.s3_path_style = -1, .s3_access_key = "AK", .s3_secret_key = "SK", .region = "eu-west-1"};
  ck_assert_int_eq(sl_objstore_open("s3://bkt", &o, &g_s, &g_err), 0);
  u = sl__objstore_s3_url(g_s, "k");
  ck_assert_msg(strncmp(u, "https://bkt.s3.eu-west-1.", 25) == 0, "%s", u);
  free(u);
  sl_objstore_free(g_s);

  setenv("AWS_ENDPOINT_URL_S3", "http://127.0.0.2:1234", 1);
  o.region = NULL;
  ck_assert_int_eq(sl_objstore_open("s3://bkt", &o, &g_s, &g_err), 0);
  u = sl__objstore_s3_url(g_s, "k");
  ck_assert_str_eq(u, "http://127.0.0.2:1234/bkt/k");
  free(u);
  sl_objstore_free(g_s);
  g_s = NULL;
  ck_assert_ptr_null(sl__objstore_s3_url(NULL, "k"));
}
END_TEST

/* ---------------------------------------------------------------------------------------------
 * Credentials, region and endpoint resolution. */

static const char *const aws_vars[] = {"AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN",
                                       "AWS_PROFILE", "AWS_REGION", "AWS_DEFAULT_REGION",
                                       "AWS_SHARED_CREDENTIALS_FILE", "AWS_CONFIG_FILE", "AWS_ENDPOINT_URL",
                                       "AWS_ENDPOINT_URL_S3", "AWS_ENDPOINT_URL_KINESIS", "HOME"};
#define N_VARS (sizeof aws_vars / sizeof aws_vars[0])
static char *saved_env[N_VARS];

/* A clean AWS environment with HOME in the temp folder (no ~/.aws of the machine's). */
static void auth_setup(void) {
  tmp_setup();
  for (size_t i = 0; i < N_VARS; i++) {
    const char *v = getenv(aws_vars[i]);
    saved_env[i] = v ? sl_strdup(v) : NULL;
    unsetenv(aws_vars[i]);
  }
  setenv("HOME", g_tmp, 1);
}

static void auth_teardown(void) {
  for (size_t i = 0; i < N_VARS; i++) {
    if (saved_env[i]) setenv(aws_vars[i], saved_env[i], 1);
    else unsetenv(aws_vars[i]);
    free(saved_env[i]);
    saved_env[i] = NULL;
  }
  tmp_teardown();
}

static void write_file(const char *path, const char *text) {
  FILE *f = fopen(path, "w");
  ck_assert_ptr_nonnull(f);
  fputs(text, f);
  fclose(f);
}

START_TEST(test_aws_creds_explicit_then_env) {
  setenv("AWS_ACCESS_KEY_ID", "ENVKEY", 1);
  setenv("AWS_SECRET_ACCESS_KEY", "envsecret", 1);
  setenv("AWS_SESSION_TOKEN", "envtoken", 1);
  sl_aws_creds c;
  sl_aws_settings set = {.access_key = "OPTKEY", .secret_key = "optsecret"};
  ck_assert_int_eq(sl_aws_creds_resolve(&set, &c, &g_err), 0);
  ck_assert_str_eq(c.access_key, "OPTKEY");
  ck_assert_str_eq(c.secret_key, "optsecret");
  ck_assert_ptr_null(c.session_token);
  ck_assert_str_eq(c.source, "options");
  sl_aws_creds_destroy(&c);
  ck_assert_ptr_null(c.access_key);

  ck_assert_int_eq(sl_aws_creds_resolve(NULL, &c, &g_err), 0);
  ck_assert_str_eq(c.access_key, "ENVKEY");
  ck_assert_str_eq(c.secret_key, "envsecret");
  ck_assert_str_eq(c.session_token, "envtoken");
  ck_assert_str_eq(c.source, "environment");
  sl_aws_creds_destroy(&c);

  set = (sl_aws_settings){.access_key = "ONLYKEY"};
  ck_assert_int_eq(sl_aws_creds_resolve(&set, &c, &g_err), SL_ECONFIG);
  ck_assert_str_eq(g_err.msg, "an AWS access key was given without the secret key");
  sl_err_clear(&g_err);
  unsetenv("AWS_SECRET_ACCESS_KEY");
  ck_assert_int_eq(sl_aws_creds_resolve(NULL, &c, &g_err), SL_ECONFIG);
  ck_assert_str_eq(g_err.msg, "AWS_ACCESS_KEY_ID is set but AWS_SECRET_ACCESS_KEY is not");
}
END_TEST

START_TEST(test_aws_creds_from_profile_files) {
  char creds[PATH_MAX_T], config[PATH_MAX_T];
  snprintf(creds, sizeof creds, "%s/creds.ini", g_tmp);
  snprintf(config, sizeof config, "%s/config.ini", g_tmp);
  write_file(creds, "# test\n[default]\naws_access_key_id = DEFKEY\naws_secret_access_key=defsecret\n\n"
                    "[ci]\n  aws_access_key_id=CIKEY  \naws_secret_access_key = ci/secret+x\n"
                    "aws_session_token = citoken\n");
  write_file(config, "[default]\nregion = eu-north-1\n[profile ci]\nregion = ap-south-1\ns3 =\n  region = nested-no\n"
                     "[profile cfgonly]\naws_access_key_id = CFGKEY\naws_secret_access_key = cfgsecret\n");
  setenv("AWS_SHARED_CREDENTIALS_FILE", creds, 1);
  setenv("AWS_CONFIG_FILE", config, 1);

  sl_aws_creds c;
  ck_assert_int_eq(sl_aws_creds_resolve(NULL, &c, &g_err), 0);
  ck_assert_str_eq(c.access_key, "DEFKEY");
  ck_assert_str_eq(c.secret_key, "defsecret");
  ck_assert_ptr_null(c.session_token);
  char want[2048];
  snprintf(want, sizeof want, "profile 'default' in %s", creds);
  ck_assert_str_eq(c.source, want);
  sl_aws_creds_destroy(&c);
  char *r = sl_aws_region_resolve(NULL);
  ck_assert_str_eq(r, "eu-north-1");
  free(r);

  setenv("AWS_PROFILE", "ci", 1);
  ck_assert_int_eq(sl_aws_creds_resolve(NULL, &c, &g_err), 0);
  ck_assert_str_eq(c.access_key, "CIKEY");
  ck_assert_str_eq(c.secret_key, "ci/secret+x");
  ck_assert_str_eq(c.session_token, "citoken");
  sl_aws_creds_destroy(&c);
  r = sl_aws_region_resolve(NULL);
  ck_assert_str_eq(r, "ap-south-1");
  free(r);

  /* Keys in the config file's profile count too; a settings profile beats AWS_PROFILE. */
  sl_aws_settings set = {.profile = "cfgonly"};
  ck_assert_int_eq(sl_aws_creds_resolve(&set, &c, &g_err), 0);
  ck_assert_str_eq(c.access_key, "CFGKEY");
  snprintf(want, sizeof want, "profile 'cfgonly' in %s", config);
  ck_assert_str_eq(c.source, want);
  sl_aws_creds_destroy(&c);

  /* ~/.aws/credentials when the variable is unset (HOME is the temp folder). */
  unsetenv("AWS_SHARED_CREDENTIALS_FILE");
  unsetenv("AWS_PROFILE");
  char dir[PATH_MAX_T], home_creds[PATH_MAX_T];
  snprintf(dir, sizeof dir, "%s/.aws", g_tmp);
  ck_assert_int_eq(mkdir(dir, 0700), 0);
  snprintf(home_creds, sizeof home_creds, "%s/.aws/credentials", g_tmp);
  write_file(home_creds, "[default]\naws_access_key_id=HOMEKEY\naws_secret_access_key=homesecret\n");
  ck_assert_int_eq(sl_aws_creds_resolve(NULL, &c, &g_err), 0);
  ck_assert_str_eq(c.access_key, "HOMEKEY");
  sl_aws_creds_destroy(&c);
}
END_TEST

START_TEST(test_aws_creds_missing_says_where_it_looked) {
  char config[PATH_MAX_T];
  snprintf(config, sizeof config, "%s/config", g_tmp);
  write_file(config, "[profile other]\nregion = x\n");
  setenv("AWS_CONFIG_FILE", config, 1);
  setenv("AWS_PROFILE", "prod", 1);
  sl_aws_creds c;
  ck_assert_int_eq(sl_aws_creds_resolve(NULL, &c, &g_err), SL_ECONFIG);
  char want[2048];
  snprintf(want, sizeof want,
           "no AWS credentials found: none in the options, AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY not set, "
           "profile 'prod' not in %s/.aws/credentials (not found) nor in %s (no such profile)",
           g_tmp, config);
  ck_assert_str_eq(g_err.msg, want);
  ck_assert(g_err.hint[0] != 0);

  /* The S3 store reports it at open, naming the URI. */
  sl_err_clear(&g_err);
  sl_objstore *s = NULL;
  ck_assert_int_eq(sl_objstore_open("s3://bucket/p", NULL, &s, &g_err), SL_ECONFIG);
  ck_assert_ptr_null(s);
  ck_assert_str_eq(g_err.msg, want);
  ck_assert_str_eq(g_err.detail, "needed for s3://bucket/p");
}
END_TEST

START_TEST(test_aws_region_order) {
  char config[PATH_MAX_T];
  snprintf(config, sizeof config, "%s/config", g_tmp);
  write_file(config, "[default]\nregion = from-config\n");
  setenv("AWS_CONFIG_FILE", config, 1);
  char *r = sl_aws_region_resolve(NULL);
  ck_assert_str_eq(r, "from-config");
  free(r);
  setenv("AWS_DEFAULT_REGION", "from-default-region", 1);
  r = sl_aws_region_resolve(NULL);
  ck_assert_str_eq(r, "from-default-region");
  free(r);
  setenv("AWS_REGION", "from-region", 1);
  r = sl_aws_region_resolve(NULL);
  ck_assert_str_eq(r, "from-region");
  free(r);
  sl_aws_settings set = {.region = "explicit-1"};
  r = sl_aws_region_resolve(&set);
  ck_assert_str_eq(r, "explicit-1");
  free(r);
  unsetenv("AWS_REGION");
  unsetenv("AWS_DEFAULT_REGION");
  unsetenv("AWS_CONFIG_FILE");
  setenv("AWS_REGION", "", 1); /* empty counts as unset */
  r = sl_aws_region_resolve(NULL);
  ck_assert_str_eq(r, "us-east-1");
  free(r);
}
END_TEST

START_TEST(test_aws_endpoint_order) {
  char *e = sl_aws_endpoint("kinesis", "eu-west-1", NULL);
  ck_assert_msg(strncmp(e, "https://kinesis.eu-west-1.", 26) == 0, "%s", e);
  free(e);
  setenv("AWS_ENDPOINT_URL", "http://127.0.0.1:4000/", 1);
  e = sl_aws_endpoint("kinesis", "eu-west-1", NULL);
  ck_assert_str_eq(e, "http://127.0.0.1:4000");
  free(e);
  setenv("AWS_ENDPOINT_URL_KINESIS", "http://127.0.0.1:4567", 1);
  e = sl_aws_endpoint("kinesis", "eu-west-1", NULL);
  ck_assert_str_eq(e, "http://127.0.0.1:4567");
  free(e);
  e = sl_aws_endpoint("s3", "eu-west-1", NULL); /* other services are not affected */
  ck_assert_str_eq(e, "http://127.0.0.1:4000");
  free(e);
  e = sl_aws_endpoint("kinesis", "eu-west-1", "objects.test:9000");
  ck_assert_str_eq(e, "https://objects.test:9000");
  free(e);
}
END_TEST

START_TEST(test_aws_curl_sign_adds_token_header) {
  sl_aws_curl_global_init();
  CURL *h = curl_easy_init();
  ck_assert_ptr_nonnull(h);
  sl_aws_creds c = {.access_key = "AK", .secret_key = "SK", .session_token = "TOKEN"};
  struct curl_slist *hdrs = NULL;
  ck_assert_int_eq(sl_aws_curl_sign(h, "kinesis", "eu-west-1", &c, &hdrs, &g_err), 0);
  ck_assert_ptr_nonnull(hdrs);
  ck_assert_str_eq(hdrs->data, "x-amz-security-token: TOKEN");
  ck_assert_ptr_null(hdrs->next);
  curl_slist_free_all(hdrs);
  hdrs = NULL;
  c.session_token = NULL;
  ck_assert_int_eq(sl_aws_curl_sign(h, "kinesis", "eu-west-1", &c, &hdrs, &g_err), 0);
  ck_assert_ptr_null(hdrs);
  curl_easy_cleanup(h);
}
END_TEST

/* ---------------------------------------------------------------------------------------------
 * URIs and keys. */

static void bad_uri(const char *uri, const char *want) {
  sl_objstore *s = (sl_objstore *)1;
  sl_err e;
  sl_err_clear(&e);
  sl_objstore_opts o = {.s3_path_style = -1, .s3_access_key = "AK", .s3_secret_key = "SK"};
  ck_assert_int_eq(sl_objstore_open(uri, &o, &s, &e), SL_ECONFIG);
  ck_assert_ptr_null(s);
  ck_assert_str_eq(e.msg, want);
}

#define SUPPORTED "supported are file:///absolute/path, a plain path, or s3://bucket[/prefix]"

START_TEST(test_objstore_bad_uris) {
  bad_uri("hdfs://nn/ckpt", "unsupported object store URI 'hdfs://nn/ckpt'; " SUPPORTED);
  bad_uri("gs://bucket", "unsupported object store URI 'gs://bucket'; " SUPPORTED);
  bad_uri("", "empty object store URI; " SUPPORTED);
  bad_uri("file://relative/path",
          "bad object store URI 'file://relative/path': a file URI needs an absolute path (file:///path); " SUPPORTED);
#define BAD_BUCKET "the bucket name is missing or has characters S3 does not allow; "
  bad_uri("s3://", "bad object store URI 's3://': " BAD_BUCKET SUPPORTED);
  bad_uri("s3://bu cket/x", "bad object store URI 's3://bu cket/x': " BAD_BUCKET SUPPORTED);
  bad_uri("s3://bucket/a/../b",
          "bad object store URI 's3://bucket/a/../b': the prefix has an empty, '.' or '..' component; " SUPPORTED);
  sl_objstore *s = NULL;
  ck_assert_int_eq(sl_objstore_open(NULL, NULL, &s, &g_err), SL_ECONFIG);

  /* What is accepted. */
  sl_objstore_opts o = {.s3_path_style = -1, .s3_access_key = "AK", .s3_secret_key = "SK"};
  const char *good[] = {"file:///tmp/x", "file:///tmp/x/", "relative/dir", "/abs/dir", "S3://bucket", "s3://b/p/q/"};
  for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
    sl_err_clear(&g_err);
    ck_assert_msg(sl_objstore_open(good[i], &o, &s, &g_err) == 0, "%s: %s", good[i], g_err.msg);
    ck_assert_str_eq(sl_objstore_uri(s), good[i]);
    sl_objstore_free(s);
  }
  sl_objstore_free(NULL);
}
END_TEST

START_TEST(test_objstore_bad_keys) {
  snprintf(g_uri, sizeof g_uri, "file://%s/root", g_tmp);
  g_s = open_store(g_uri, NULL, &g_err);
  struct { const char *key, *why; } bad[] = {
      {"", "it is empty"},
      {"/abs", "it starts with '/'"},
      {"a/../b", "it has a '.' or '..' component"},
      {"..", "it has a '.' or '..' component"},
      {"./a", "it has a '.' or '..' component"},
      {"a//b", "it has an empty component ('//')"},
      {"a/", "it ends with '/'"},
  };
  sl_buf b;
  sl_buf_init(&b);
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    char want[2048];
    snprintf(want, sizeof want, "bad object key '%s' in %s: %s", bad[i].key, g_uri, bad[i].why);
    sl_err_clear(&g_err);
    ck_assert_int_eq(sl_objstore_put(g_s, bad[i].key, "x", 1, &g_err), SL_EINVAL);
    ck_assert_str_eq(g_err.msg, want);
    sl_err_clear(&g_err);
    ck_assert_int_eq(sl_objstore_get(g_s, bad[i].key, &b, &g_err), SL_EINVAL);
    sl_err_clear(&g_err);
    ck_assert_int_eq(sl_objstore_delete(g_s, bad[i].key, &g_err), SL_EINVAL);
  }
  sl_buf_destroy(&b);
  sl_err_clear(&g_err);
  ck_assert_int_eq(sl_objstore_list(g_s, "../", collect_keys, NULL, &g_err), SL_EINVAL);
  ck_assert_str_eq(list_str(g_s, ".."), ""); /* a name may start with "..": "..x" */
  ck_assert_str_eq(list_str(g_s, NULL), "");
  /* Nothing was written outside (or inside) the root. */
  char p[PATH_MAX_T];
  snprintf(p, sizeof p, "%s/root", g_tmp);
  ck_assert_int_ne(access(p, F_OK), 0);
}
END_TEST

static Suite *objstore_suite(void) {
  Suite *s = suite_create("objstore");

  TCase *tc = tcase_create("backends");
  tcase_add_checked_fixture(tc, tmp_setup, backend_teardown);
  tcase_set_timeout(tc, 60);
  tcase_add_loop_test(tc, test_objstore_put_get_round_trip, 0, 2);
  tcase_add_loop_test(tc, test_objstore_overwrite_replaces_object, 0, 2);
  tcase_add_loop_test(tc, test_objstore_get_missing_is_notfound, 0, 2);
  tcase_add_loop_test(tc, test_objstore_list_order_prefix_sizes, 0, 2);
  tcase_add_loop_test(tc, test_objstore_delete_is_idempotent, 0, 2);
  tcase_add_loop_test(tc, test_objstore_put_file_get_file_20mib, 0, 2);
  tcase_add_loop_test(tc, test_objstore_multipart_upload, 0, 2);
  tcase_add_test(tc, test_objstore_file_multipart_checks_parts);
  tcase_add_test(tc, test_objstore_file_list_walks_folders_and_skips_temp_files);
  tcase_add_test(tc, test_objstore_s3_list_pages);
  tcase_add_test(tc, test_objstore_s3_error_names_code_and_message);
  tcase_add_test(tc, test_objstore_s3_unreachable_endpoint_gives_up);
  suite_add_tcase(s, tc);

  tc = tcase_create("s3_retries");
  tcase_add_checked_fixture(tc, flaky_setup, flaky_teardown);
  tcase_set_timeout(tc, 60);
  tcase_add_test(tc, test_objstore_s3_retries_transient_failures);
  tcase_add_test(tc, test_objstore_s3_persistent_failure_is_eio_without_secret);
  tcase_add_test(tc, test_objstore_s3_requests_are_correctly_signed);
  tcase_add_test(tc, test_objstore_s3_failed_multipart_is_aborted);
  tcase_add_test(tc, test_objstore_s3_multipart_answers);
  suite_add_tcase(s, tc);

  tc = tcase_create("aws_auth");
  tcase_add_checked_fixture(tc, auth_setup, auth_teardown);
  tcase_add_test(tc, test_aws_creds_explicit_then_env);
  tcase_add_test(tc, test_aws_creds_from_profile_files);
  tcase_add_test(tc, test_aws_creds_missing_says_where_it_looked);
  tcase_add_test(tc, test_aws_region_order);
  tcase_add_test(tc, test_aws_endpoint_order);
  tcase_add_test(tc, test_aws_curl_sign_adds_token_header);
  tcase_add_test(tc, test_objstore_s3_addressing_style_and_key_encoding);
  suite_add_tcase(s, tc);

  tc = tcase_create("uris_and_keys");
  tcase_add_checked_fixture(tc, tmp_setup, backend_teardown);
  tcase_add_test(tc, test_objstore_bad_uris);
  tcase_add_test(tc, test_objstore_bad_keys);
  suite_add_tcase(s, tc);
  return s;
}

int main(void) {
  strcpy(g_root, "/tmp/sluice-objstore-XXXXXX");
  if (mkdtemp(g_root) == NULL) {
    perror("mkdtemp");
    return EXIT_FAILURE;
  }
  SRunner *sr = srunner_create(objstore_suite());
  srunner_run_all(sr, CK_NORMAL);
  int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  nftw(g_root, rm_cb, 16, FTW_DEPTH | FTW_PHYS);
  return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
