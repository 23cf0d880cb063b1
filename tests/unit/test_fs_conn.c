/* test_fs_conn.c - the filesystem connector: source position/seek replays exactly; the sink's
 * two-phase commit publishes each part once and cleans up what no checkpoint holds; partition
 * folders, rolling, compression and partition commit (success files); and, when run under
 * tests/services/with_s3.sh, the sink's S3 multipart uploads, markers and their recovery. */
#include <check.h>
#include <dirent.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <uv.h>
#include <zlib.h>
#include <zstd.h>

#include "connectors/conn.h"
#include "engine/datetime.h"
#include "engine/op.h"
#include "engine/sysutil.h"
#include "state/objstore.h"

/* ------------------------------------------------------------------ fixture */

static char g_root[64]; /* per test case, removed by the unchecked teardown even after failures */
static char g_tmp[128];  /* per test */
static char g_path[256];
static sl_option g_items[32];
static sl_options g_opts;
static sl_err g_err;
static const char *g_names[] = {"s"};
static sl_type g_types[1];

static int rm_entry(const char *p, const struct stat *st, int flag, struct FTW *ftw) {
  (void)st, (void)flag, (void)ftw;
  return remove(p);
}

static void root_setup(void) {
  snprintf(g_root, sizeof g_root, "/tmp/sl_fsconn_XXXXXX");
  ck_assert_ptr_nonnull(mkdtemp(g_root));
}

static void root_teardown(void) { nftw(g_root, rm_entry, 16, FTW_DEPTH | FTW_PHYS); }

static void setup(void) {
  snprintf(g_tmp, sizeof g_tmp, "%s/XXXXXX", g_root);
  ck_assert_ptr_nonnull(mkdtemp(g_tmp));
  g_types[0] = sl_type_make(SL_TYPE_VARCHAR, SL_VARCHAR_MAX, 0, true);
  sl_err_clear(&g_err);
}

static void teardown(void) { nftw(g_tmp, rm_entry, 16, FTW_DEPTH | FTW_PHYS); }

/* A table over g_tmp/<rel> with format csv, one STRING column and the extra options kv. */
static sl_conn_table table(const char *rel, const char *const *kv, bool two_phase) {
  snprintf(g_path, sizeof g_path, "%s%s%s", g_tmp, rel[0] ? "/" : "", rel);
  g_opts.n = 0;
  g_opts.items = g_items;
  g_items[g_opts.n++] = (sl_option){.key = "path", .value = g_path, .key_loc = -1, .value_loc = -1};
  g_items[g_opts.n++] = (sl_option){.key = "format", .value = "csv", .key_loc = -1, .value_loc = -1};
  for (int i = 0; kv && kv[i]; i += 2)
    g_items[g_opts.n++] = (sl_option){.key = kv[i], .value = kv[i + 1], .key_loc = -1, .value_loc = -1};
  return (sl_conn_table){.name = "t", .connector = "filesystem", .opts = &g_opts, .ncols = 1, .names = g_names,
                         .types = g_types, .two_phase = two_phase};
}

static void put_file(const char *rel, const char *data, size_t n) {
  char p[256];
  snprintf(p, sizeof p, "%s/%s", g_tmp, rel);
  FILE *f = fopen(p, "wb");
  ck_assert_ptr_nonnull(f);
  ck_assert_uint_eq(fwrite(data, 1, n, f), n);
  fclose(f);
}
#define PUT(rel, lit) put_file(rel, lit, sizeof(lit) - 1)

static char *tmp_file(const char *rel) {
  static char p[256];
  snprintf(p, sizeof p, "%s/%s", g_tmp, rel);
  return p;
}

/* ------------------------------------------------------------------ source helpers */

static sl_source *src_open(const char *rel, const char *const *kv) {
  sl_conn_table t = table(rel, kv, false);
  sl_source *s = NULL;
  sl_err_clear(&g_err);
  int rc = sl_fs_source_new(&t, -1, &s, &g_err);
  ck_assert_msg(rc == 0, "source: %s", g_err.msg);
  return s;
}

/* Reads one batch of up to cap rows and appends "file:line=value\n" per row to out.
 * Returns read()'s result. */
static int read_batch(sl_source *s, int cap, sl_buf *out) {
  sl_batch *b = sl_batch_new(1, g_types, cap);
  sl_err_clear(&g_err);
  int rc = s->vt->read(s, b, &g_err);
  ck_assert_msg(rc >= 0, "read: %s", g_err.msg);
  sl_buf w;
  sl_buf_init(&w);
  for (int r = 0; r < b->nrows; r++) {
    sl_buf_reset(&w);
    s->vt->where(s, (uint32_t)r, &w);
    sl_str v = b->cols[0].str[r];
    sl_buf_printf(out, "%s=%.*s\n", w.data, (int)v.len, v.ptr);
  }
  sl_buf_destroy(&w);
  sl_batch_free(b);
  return rc;
}

/* Reads everything in one source instance. */
static void read_straight(const char *rel, int cap, sl_buf *out) {
  sl_source *s = src_open(rel, NULL);
  while (read_batch(s, cap, out) == 0) {
  }
  s->vt->free(s);
}

/* Reads everything in pieces: each piece is a fresh source that seeks to the position the
 * previous piece ended at (the first one to a fresh source's position) and reads `reads`
 * batches of cap rows. Returns the number of pieces. */
static int read_pieces(const char *rel, int cap, int reads, sl_buf *out) {
  sl_source_pos pos = {0};
  sl_source *s = src_open(rel, NULL);
  ck_assert_int_eq(s->vt->position(s, &pos, &g_err), 0);
  s->vt->free(s);
  bool done = false;
  int pieces = 0;
  while (!done) {
    s = src_open(rel, NULL);
    sl_err_clear(&g_err);
    ck_assert_msg(s->vt->seek(s, &pos, &g_err) == 0, "seek: %s", g_err.msg);
    sl_source_pos_destroy(&pos);
    for (int i = 0; i < reads && !done; i++) done = read_batch(s, cap, out) == 1;
    sl_err_clear(&g_err);
    ck_assert_int_eq(s->vt->position(s, &pos, &g_err), 0);
    s->vt->free(s);
    pieces++;
  }
  sl_source_pos_destroy(&pos);
  return pieces;
}

static void ck_pos(sl_source *s, const char *rel, int64_t offset, int64_t record) {
  sl_source_pos pos = {0};
  ck_assert_int_eq(s->vt->position(s, &pos, &g_err), 0);
  ck_assert_int_eq(pos.n, 1);
  ck_assert_str_eq(pos.splits[0].split, tmp_file(rel));
  ck_assert_int_eq(pos.splits[0].offset, offset);
  ck_assert_int_eq(pos.splits[0].record, record);
  sl_source_pos_destroy(&pos);
}

/* A folder of three files in name order: CRLF lines, empty, no final newline (with a blank line). */
static void three_files(void) {
  mkdir(tmp_file("in"), 0777);
  PUT("in/a.csv", "a1\r\na2\r\na3\r\n");
  PUT("in/b.csv", "");
  PUT("in/c.csv", "c1\nc2\n\nc3");
}

static const char three_rows[] = "%1$s/in/a.csv:1=a1\n%1$s/in/a.csv:2=a2\n%1$s/in/a.csv:3=a3\n"
                                 "%1$s/in/c.csv:1=c1\n%1$s/in/c.csv:2=c2\n%1$s/in/c.csv:4=c3\n";

/* ------------------------------------------------------------------ source position */

START_TEST(test_fs_source_position_before_and_after_reading) {
  three_files();
  sl_source *s = src_open("in", NULL);
  ck_pos(s, "in/a.csv", 0, 0);
  sl_buf out;
  sl_buf_init(&out);
  ck_assert_int_eq(read_batch(s, 2, &out), 0);
  ck_pos(s, "in/a.csv", 8, 2);
  while (read_batch(s, 2, &out) == 0) {
  }
  ck_pos(s, "in/c.csv", 9, 4);
  sl_source_pos pos = {0};
  ck_assert_int_eq(s->vt->position(s, &pos, &g_err), 0);
  ck_assert_int_eq(pos.skipped, 0);
  sl_source_pos_destroy(&pos);
  s->vt->free(s);
  sl_buf_destroy(&out);
}
END_TEST

START_TEST(test_fs_source_empty_folder_has_no_splits) {
  mkdir(tmp_file("none"), 0777);
  sl_source *s = src_open("none", NULL);
  sl_source_pos pos = {0};
  ck_assert_int_eq(s->vt->position(s, &pos, &g_err), 0);
  ck_assert_int_eq(pos.n, 0);
  ck_assert_int_eq(s->vt->seek(s, &pos, &g_err), 0);
  sl_buf out;
  sl_buf_init(&out);
  ck_assert_int_eq(read_batch(s, 4, &out), 1);
  s->vt->free(s);
  sl_buf_destroy(&out);
}
END_TEST

/* pieces of `reads` batches of cap rows each must give the straight read's rows and lines. */
static void ck_pieces(const char *rel, int cap, int reads, int min_pieces) {
  sl_buf want, got;
  sl_buf_init(&want);
  sl_buf_init(&got);
  read_straight(rel, 1000, &want);
  int pieces = read_pieces(rel, cap, reads, &got);
  ck_assert_int_ge(pieces, min_pieces);
  ck_assert_uint_eq(got.len, want.len);
  ck_assert_msg(!memcmp(got.data, want.data, want.len), "pieces differ:\n%s\nwant:\n%s", got.data, want.data);
  sl_buf_destroy(&want);
  sl_buf_destroy(&got);
}

START_TEST(test_fs_source_straight_read_sees_every_record_once) {
  three_files();
  sl_buf got, want;
  sl_buf_init(&got);
  sl_buf_init(&want);
  read_straight("in", 1000, &got);
  sl_buf_printf(&want, three_rows, g_tmp);
  ck_assert_str_eq(got.data, want.data);
  sl_buf_destroy(&got);
  sl_buf_destroy(&want);
}
END_TEST

START_TEST(test_fs_source_one_piece_after_seek_to_start) { three_files(), ck_pieces("in", 1000, 1000, 1); }
END_TEST

START_TEST(test_fs_source_two_pieces_equal_straight_read) { three_files(), ck_pieces("in", 3, 1, 2); }
END_TEST

START_TEST(test_fs_source_many_pieces_equal_straight_read) {
  three_files();
  ck_pieces("in", 1, 1, 7); /* one row per piece, and a piece that only sees the end */
  ck_pieces("in", 2, 1, 4);
}
END_TEST

START_TEST(test_fs_source_pieces_across_buffer_refills) {
  /* Lines of varying length over several read buffers (1 MB each) of one file. */
  mkdir(tmp_file("big"), 0777);
  char xs[100];
  memset(xs, 'x', sizeof xs);
  sl_buf data;
  sl_buf_init(&data);
  for (int i = 0; data.len < 3 * 1024 * 1024; i++) sl_buf_printf(&data, "row-%d-%.*s\n", i, i % 97, xs);
  put_file("big/x.csv", data.data, data.len);
  PUT("big/y.csv", "last");
  sl_buf_destroy(&data);
  ck_pieces("big", 7777, 1, 5);
}
END_TEST

START_TEST(test_fs_source_single_file_path) {
  PUT("one.csv", "x\ny\n");
  sl_source *s = src_open("one.csv", NULL);
  sl_buf out;
  sl_buf_init(&out);
  ck_assert_int_eq(read_batch(s, 1, &out), 0);
  sl_source_pos pos = {0};
  ck_assert_int_eq(s->vt->position(s, &pos, &g_err), 0);
  ck_assert_str_eq(pos.splits[0].split, tmp_file("one.csv"));
  ck_assert_int_eq(pos.splits[0].offset, 2);
  s->vt->free(s);
  s = src_open("one.csv", NULL);
  ck_assert_int_eq(s->vt->seek(s, &pos, &g_err), 0);
  sl_buf_reset(&out);
  ck_assert_int_eq(read_batch(s, 10, &out), 0);
  char want[300];
  snprintf(want, sizeof want, "%s=y\n", tmp_file("one.csv:2"));
  ck_assert_str_eq(out.data, want);
  sl_source_pos_destroy(&pos);
  s->vt->free(s);
  sl_buf_destroy(&out);
}
END_TEST

/* ------------------------------------------------------------------ source restore */

/* The position of a source over `rel` after reading n rows one batch. */
static sl_source_pos pos_after(const char *rel, const char *const *kv, int n) {
  sl_source *s = src_open(rel, kv);
  sl_buf out;
  sl_buf_init(&out);
  if (n) read_batch(s, n, &out);
  sl_source_pos pos = {0};
  ck_assert_int_eq(s->vt->position(s, &pos, &g_err), 0);
  s->vt->free(s);
  sl_buf_destroy(&out);
  return pos;
}

START_TEST(test_fs_source_seek_rejects_a_vanished_file) {
  three_files();
  sl_source_pos pos = pos_after("in", NULL, 1);
  unlink(tmp_file("in/a.csv"));
  sl_source *s = src_open("in", NULL);
  ck_assert_int_eq(s->vt->seek(s, &pos, &g_err), SL_ECHECKPOINT);
  char want[512];
  snprintf(want, sizeof want, "cannot restore source position: file '%s/in/a.csv' is no longer in '%s/in'", g_tmp, g_tmp);
  ck_assert_str_eq(g_err.msg, want);
  s->vt->free(s);
  sl_source_pos_destroy(&pos);
}
END_TEST

START_TEST(test_fs_source_seek_rejects_a_shorter_file) {
  three_files();
  sl_source_pos pos = pos_after("in", NULL, 5); /* a1..a3, c1, c2: c.csv at offset 6 */
  ck_assert_int_eq(pos.splits[0].offset, 6);
  PUT("in/c.csv", "c1\n");
  sl_source *s = src_open("in", NULL);
  ck_assert_int_eq(s->vt->seek(s, &pos, &g_err), SL_ECHECKPOINT);
  char want[512];
  snprintf(want, sizeof want,
           "cannot restore source position: file '%s/in/c.csv' is shorter than its checkpointed offset 6; was it rewritten?", g_tmp);
  ck_assert_str_eq(g_err.msg, want);
  /* A failed seek leaves the source at its start. */
  sl_buf out;
  sl_buf_init(&out);
  read_batch(s, 1, &out);
  snprintf(want, sizeof want, "%s/in/a.csv:1=a1\n", g_tmp);
  ck_assert_str_eq(out.data, want);
  sl_buf_destroy(&out);
  s->vt->free(s);
  sl_source_pos_destroy(&pos);
}
END_TEST

START_TEST(test_fs_source_skipped_count_is_carried) {
  mkdir(tmp_file("in"), 0777);
  PUT("in/a.csv", "1\nx,y,z\n2\nu,v,w\n3\n");
  const char *kv[] = {"csv.ignore-parse-errors", "true", NULL};
  sl_source_pos pos = pos_after("in", kv, 2); /* rows 1 and 2, one record skipped */
  ck_assert_int_eq(pos.skipped, 1);
  ck_assert_int_eq(pos.splits[0].record, 3);
  sl_source *s = src_open("in", kv);
  ck_assert_int_eq(s->vt->seek(s, &pos, &g_err), 0);
  ck_assert_int_eq(s->vt->skipped(s), 1);
  sl_buf out;
  sl_buf_init(&out);
  while (read_batch(s, 10, &out) == 0) {
  }
  ck_assert_int_eq(s->vt->skipped(s), 2);
  char want[300];
  snprintf(want, sizeof want, "%s/in/a.csv:5=3\n", g_tmp);
  ck_assert_str_eq(out.data, want);
  sl_buf_destroy(&out);
  s->vt->free(s);
  sl_source_pos_destroy(&pos);
}
END_TEST

START_TEST(test_fs_source_errors_after_restore_name_the_right_line) {
  mkdir(tmp_file("in"), 0777);
  PUT("in/a.csv", "1\n2\nx,y,z\n");
  sl_source_pos pos = pos_after("in", NULL, 2);
  sl_source *s = src_open("in", NULL);
  ck_assert_int_eq(s->vt->seek(s, &pos, &g_err), 0);
  sl_batch *b = sl_batch_new(1, g_types, 4);
  ck_assert_int_eq(s->vt->read(s, b, &g_err), SL_EFORMAT);
  char want[300];
  snprintf(want, sizeof want, "%s/in/a.csv:3: ", g_tmp);
  ck_assert_msg(!strncmp(g_err.msg, want, strlen(want)), "got '%s'", g_err.msg);
  sl_batch_free(b);
  s->vt->free(s);
  sl_source_pos_destroy(&pos);
}
END_TEST

/* ------------------------------------------------------------------ sink helpers */

static sl_sink *sink_open(const char *const *kv, bool two_phase) {
  sl_conn_table t = table("out", kv, two_phase);
  sl_sink *s = NULL;
  sl_err_clear(&g_err);
  int rc = sl_fs_sink_new(&t, -1, &s, &g_err);
  ck_assert_msg(rc == 0, "sink: %s", g_err.msg);
  return s;
}

static void sink_write(sl_sink *s, const char *v) {
  sl_batch *b = sl_batch_new(1, g_types, 1);
  b->cols[0].str[0] = sl_batch_str(b, v, (uint32_t)strlen(v));
  b->nrows = 1;
  sl_err_clear(&g_err);
  ck_assert_msg(s->vt->write(s, b, &g_err) == 0, "write: %s", g_err.msg);
  sl_batch_free(b);
}

static void prepare(sl_sink *s, int64_t ckpt, sl_buf *out) {
  sl_err_clear(&g_err);
  ck_assert_msg(s->vt->prepare_commit(s, ckpt, out, &g_err) == 0, "prepare: %s", g_err.msg);
}

static void commit(sl_sink *s, const sl_buf *data) {
  sl_err_clear(&g_err);
  ck_assert_msg(s->vt->commit(s, data->data, data->len, &g_err) == 0, "commit: %s", g_err.msg);
}

static int count_hidden, count_visible;

/* The sorted contents of the visible files of out, concatenated; counts files both ways. */
static void visible(sl_buf *out) {
  count_hidden = count_visible = 0;
  struct dirent **list;
  int n = scandir(tmp_file("out"), &list, NULL, alphasort);
  ck_assert_int_ge(n, 0);
  char *lines[64];
  int nl = 0;
  for (int i = 0; i < n; i++) {
    const char *name = list[i]->d_name;
    if (strcmp(name, ".") && strcmp(name, "..")) {
      if (name[0] == '.') count_hidden++;
      else {
        count_visible++;
        char p[512];
        snprintf(p, sizeof p, "%s/out/%s", g_tmp, name);
        FILE *f = fopen(p, "r");
        ck_assert_ptr_nonnull(f);
        char line[128];
        while (fgets(line, sizeof line, f)) {
          ck_assert_int_lt(nl, 64);
          lines[nl++] = strdup(line);
        }
        fclose(f);
      }
    }
    free(list[i]);
  }
  free(list);
  for (int i = 1; i < nl; i++)
    for (int j = i; j > 0 && strcmp(lines[j - 1], lines[j]) > 0; j--) {
      char *t = lines[j];
      lines[j] = lines[j - 1];
      lines[j - 1] = t;
    }
  sl_buf_reset(out);
  for (int i = 0; i < nl; i++) {
    sl_buf_adds(out, lines[i]);
    free(lines[i]);
  }
}

static void ck_visible(const char *want, int files, int hidden) {
  sl_buf got;
  sl_buf_init(&got);
  visible(&got);
  ck_assert_str_eq(got.len ? got.data : "", want);
  ck_assert_int_eq(count_visible, files);
  ck_assert_int_eq(count_hidden, hidden);
  sl_buf_destroy(&got);
}

/* ------------------------------------------------------------------ sink */

START_TEST(test_fs_sink_one_phase_publishes_at_finish) {
  sl_sink *s = sink_open(NULL, false);
  sink_write(s, "a");
  sink_write(s, "b");
  ck_visible("", 0, 1);
  ck_assert_int_eq(s->vt->finish(s, &g_err), 0);
  ck_visible("a\nb\n", 1, 0);
  s->vt->free(s);
  ck_visible("a\nb\n", 1, 0);
}
END_TEST

START_TEST(test_fs_sink_one_phase_rolls_and_publishes) {
  const char *kv[] = {"sink.rolling-policy.file-size", "4", NULL};
  sl_sink *s = sink_open(kv, false);
  sink_write(s, "a1");
  sink_write(s, "a2");
  sink_write(s, "a3");
  ck_visible("a1\na2\n", 1, 1);
  s->vt->free(s); /* the unfinished part is removed */
  ck_visible("a1\na2\n", 1, 0);
}
END_TEST

START_TEST(test_fs_sink_two_phase_publishes_only_at_commit) {
  sl_sink *s = sink_open(NULL, true);
  sink_write(s, "a");
  sink_write(s, "b");
  ck_visible("", 0, 1);
  sl_buf data;
  sl_buf_init(&data);
  prepare(s, 1, &data);
  ck_assert_uint_gt(data.len, 0);
  ck_visible("", 0, 1);
  commit(s, &data);
  ck_visible("a\nb\n", 1, 0);
  commit(s, &data); /* a restore may commit the same data again */
  ck_visible("a\nb\n", 1, 0);
  /* Nothing written since: nothing to prepare. */
  sl_buf_reset(&data);
  prepare(s, 2, &data);
  ck_assert_uint_eq(data.len, 0);
  commit(s, &data);
  s->vt->free(s);
  ck_visible("a\nb\n", 1, 0);
  sl_buf_destroy(&data);
}
END_TEST

START_TEST(test_fs_sink_two_phase_rolled_parts_wait_for_commit) {
  const char *kv[] = {"sink.rolling-policy.file-size", "4", NULL};
  sl_sink *s = sink_open(kv, true);
  sink_write(s, "a1");
  sink_write(s, "a2"); /* rolls: part 0 pending */
  sink_write(s, "a3");
  sink_write(s, "a4"); /* rolls: part 1 pending */
  sink_write(s, "a5"); /* part 2 open */
  ck_visible("", 0, 3);
  sl_buf d1, d2;
  sl_buf_init(&d1);
  sl_buf_init(&d2);
  prepare(s, 1, &d1);
  ck_visible("", 0, 3);
  sink_write(s, "b1");
  prepare(s, 2, &d2);
  commit(s, &d1);
  ck_visible("a1\na2\na3\na4\na5\n", 3, 1);
  commit(s, &d2);
  ck_visible("a1\na2\na3\na4\na5\nb1\n", 4, 0);
  s->vt->free(s);
  sl_buf_destroy(&d1);
  sl_buf_destroy(&d2);
}
END_TEST

START_TEST(test_fs_sink_commit_of_lost_part_is_an_error) {
  sl_sink *s = sink_open(NULL, true);
  sink_write(s, "a");
  sl_buf data;
  sl_buf_init(&data);
  prepare(s, 1, &data);
  /* The commit data names the in-progress file first, then the final one. */
  const char *tmp = data.data + 1, *final = tmp + strlen(tmp) + 1;
  ck_assert_int_eq(data.data[0], 'P');
  ck_assert_uint_eq(data.len, 1 + strlen(tmp) + 1 + strlen(final) + 1);
  ck_assert_ptr_nonnull(strstr(tmp, "/out/.part-"));
  ck_assert_ptr_nonnull(strstr(final, "/out/part-"));
  unlink(tmp);
  sl_err_clear(&g_err);
  ck_assert_int_eq(s->vt->commit(s, data.data, data.len, &g_err), SL_ECHECKPOINT);
  char want[1024];
  snprintf(want, sizeof want,
           "cannot commit part file '%s': neither it nor its in-progress file '%s' exists, so its output is lost", final, tmp);
  ck_assert_str_eq(g_err.msg, want);
  sl_err_clear(&g_err);
  ck_assert_int_eq(s->vt->commit(s, "Pxy", 3, &g_err), SL_ECHECKPOINT);
  ck_assert_str_eq(g_err.msg, "cannot commit filesystem sink output: malformed commit data at byte 0 of 3");
  s->vt->free(s);
  sl_buf_destroy(&data);
}
END_TEST

START_TEST(test_fs_sink_recover_deletes_leftovers_not_committed_files) {
  sl_sink *s = sink_open(NULL, true);
  sink_write(s, "a");
  sl_buf data;
  sl_buf_init(&data);
  prepare(s, 1, &data);
  commit(s, &data);
  s->vt->free(s);
  PUT("out/.part-0000-0-0.inprogress", "junk\n");
  PUT("out/.part-1111-0-7.inprogress", "junk\n");
  PUT("out/.keep", "x\n"); /* hidden, but not a part file */
  ck_visible("a\n", 1, 3);
  s = sink_open(NULL, true);
  ck_assert_int_eq(s->vt->recover(s, &g_err), 0);
  ck_visible("a\n", 1, 1);
  s->vt->free(s);
  sl_buf_destroy(&data);
}
END_TEST

START_TEST(test_fs_sink_crash_then_restore_shows_exactly_the_committed_output) {
  const char *kv[] = {"sink.rolling-policy.file-size", "4", NULL};
  sl_sink *s = sink_open(kv, true);
  sink_write(s, "a1");
  sink_write(s, "a2");
  sink_write(s, "a3");
  sl_buf d1, d2;
  sl_buf_init(&d1);
  sl_buf_init(&d2);
  prepare(s, 1, &d1);     /* checkpoint 1 completes (its data is in the manifest) ... */
  sink_write(s, "b1");
  sink_write(s, "b2");
  prepare(s, 2, &d2);     /* ... checkpoint 2 never does */
  sink_write(s, "c1");
  sink_write(s, "c2");    /* rolled, pending */
  sink_write(s, "c3");    /* open */
  /* A crash: nothing is published and the hidden files of checkpoint 2 survive even free(). */
  s->vt->free(s);
  ck_visible("", 0, 3);
  s = sink_open(kv, true);
  commit(s, &d1);
  ck_assert_int_eq(s->vt->recover(s, &g_err), 0);
  ck_visible("a1\na2\na3\n", 2, 0);
  /* The restored job goes on with new, unique part names. */
  sink_write(s, "d1");
  sl_buf d3;
  sl_buf_init(&d3);
  prepare(s, 3, &d3);
  commit(s, &d3);
  ck_visible("a1\na2\na3\nd1\n", 3, 0);
  s->vt->free(s);
  sl_buf_destroy(&d1);
  sl_buf_destroy(&d2);
  sl_buf_destroy(&d3);
}
END_TEST

/* ------------------------------------------------------------------ partitioned sink helpers */

/* A sink over g_tmp/out with columns (s STRING, dt STRING, hr STRING) PARTITIONED BY (dt, hr),
 * format csv, and the extra options kv. */
static const char *p_names[] = {"s", "dt", "hr"};
static sl_type p_types[3];
static const int p_parts[] = {1, 2};

static sl_sink *psink_try(const char *const *kv, bool two_phase, int npart, int *rc) {
  for (int i = 0; i < 3; i++) p_types[i] = sl_type_make(SL_TYPE_VARCHAR, SL_VARCHAR_MAX, 0, true);
  sl_conn_table t = table("out", kv, two_phase);
  t.ncols = 3;
  t.names = p_names;
  t.types = p_types;
  t.npart = npart;
  t.part_cols = p_parts;
  sl_sink *s = NULL;
  sl_err_clear(&g_err);
  *rc = sl_fs_sink_new(&t, -1, &s, &g_err);
  return s;
}

static sl_sink *psink_open(const char *const *kv, bool two_phase) {
  int rc;
  sl_sink *s = psink_try(kv, two_phase, 2, &rc);
  ck_assert_msg(rc == 0, "sink: %s", g_err.msg);
  return s;
}

/* Writes rows "s,dt,hr;s,dt,hr;..." as one batch ("~" for NULL). */
static void prows(sl_sink *s, const char *rows) {
  int cap = 1;
  for (const char *c = rows; *c; c++) cap += *c == ';';
  sl_batch *b = sl_batch_new(3, p_types, cap);
  char *copy = strdup(rows), *save = NULL;
  for (char *r = strtok_r(copy, ";", &save); r; r = strtok_r(NULL, ";", &save)) {
    char *f[3] = {r, NULL, NULL};
    for (int i = 1; i < 3; i++) {
      char *comma = strchr(f[i - 1], ',');
      ck_assert_ptr_nonnull(comma);
      *comma = 0;
      f[i] = comma + 1;
    }
    for (int c = 0; c < 3; c++) {
      if (!strcmp(f[c], "~")) sl_batch_nulls(b, c)[b->nrows] = 1;
      else b->cols[c].str[b->nrows] = sl_batch_str(b, f[c], (uint32_t)strlen(f[c]));
    }
    b->nrows++;
  }
  free(copy);
  sl_err_clear(&g_err);
  ck_assert_msg(s->vt->write(s, b, &g_err) == 0, "write: %s", g_err.msg);
  sl_batch_free(b);
}

static void wm(sl_sink *s, const char *ts) {
  int64_t us = SL_WATERMARK_MAX;
  if (ts) ck_assert_int_eq(sl_ts_parse(ts, strlen(ts), false, &us), 0);
  sl_err_clear(&g_err);
  ck_assert_msg(s->vt->watermark(s, us, &g_err) == 0, "watermark: %s", g_err.msg);
}

static void finish(sl_sink *s) {
  sl_err_clear(&g_err);
  ck_assert_msg(s->vt->finish(s, &g_err) == 0, "finish: %s", g_err.msg);
}

/* The whole content of a file, gzip or zstd streams (any number, concatenated) decompressed
 * by the file's extension; NULL when it cannot be read or decoded. Caller frees. */
static char *slurp(const char *path, size_t *len) {
  FILE *f = fopen(path, "rb");
  if (!f) return NULL;
  sl_buf in;
  sl_buf_init(&in);
  char chunk[4096];
  size_t n;
  while ((n = fread(chunk, 1, sizeof chunk, f)) > 0) sl_buf_add(&in, chunk, n);
  fclose(f);
  if (!in.data) sl_buf_adds(&in, "");
  size_t pl = strlen(path);
  sl_buf out;
  sl_buf_init(&out);
  sl_buf_adds(&out, "");
  bool ok = true;
  if (pl > 3 && !strcmp(path + pl - 3, ".gz")) {
    size_t at = 0;
    while (ok && at < in.len) { /* member after member */
      z_stream z = {0};
      ok = inflateInit2(&z, 15 + 16) == Z_OK;
      z.next_in = (Bytef *)in.data + at;
      z.avail_in = (uInt)(in.len - at);
      int zr = Z_OK;
      while (ok && zr != Z_STREAM_END) {
        char buf[4096];
        z.next_out = (Bytef *)buf;
        z.avail_out = sizeof buf;
        zr = inflate(&z, Z_NO_FLUSH);
        ok = zr == Z_OK || zr == Z_STREAM_END;
        sl_buf_add(&out, buf, sizeof buf - z.avail_out);
      }
      at = in.len - z.avail_in;
      inflateEnd(&z);
    }
  } else if (pl > 4 && !strcmp(path + pl - 4, ".zst")) {
    ZSTD_DStream *d = ZSTD_createDStream();
    ZSTD_inBuffer zi = {in.data, in.len, 0};
    size_t r = 1;
    while (ok && zi.pos < zi.size) {
      char buf[4096];
      ZSTD_outBuffer zo = {buf, sizeof buf, 0};
      r = ZSTD_decompressStream(d, &zo, &zi);
      ok = !ZSTD_isError(r);
      sl_buf_add(&out, buf, zo.pos);
    }
    ok = ok && r == 0; /* the last frame is complete */
    ZSTD_freeDStream(d);
  } else {
    sl_buf_add(&out, in.data, in.len);
  }
  sl_buf_destroy(&in);
  if (!ok) {
    sl_buf_destroy(&out);
    return NULL;
  }
  *len = out.len;
  return out.data;
}

/* Appends "rel=content;" for every visible file under dir/rel, recursively, in name order, with
 * part file names shortened to "part-<n><ext>" (the UUID differs per run); counts hidden files. */
static int g_hidden;
static void tree_walk(const char *dir, const char *rel, sl_buf *out) {
  char path[1024];
  snprintf(path, sizeof path, "%s%s%s", dir, rel[0] ? "/" : "", rel);
  struct dirent **list;
  int n = scandir(path, &list, NULL, alphasort);
  ck_assert_int_ge(n, 0);
  for (int i = 0; i < n; i++) {
    const char *name = list[i]->d_name;
    char sub[1024], full[2100];
    snprintf(sub, sizeof sub, "%s%s%s", rel, rel[0] ? "/" : "", name);
    snprintf(full, sizeof full, "%s/%s", dir, sub);
    struct stat st;
    if (!strcmp(name, ".") || !strcmp(name, "..")) {
    } else if (name[0] == '.') {
      g_hidden++;
    } else if (stat(full, &st) == 0 && S_ISDIR(st.st_mode)) {
      tree_walk(dir, sub, out);
    } else {
      size_t len = 0;
      char *content = slurp(full, &len);
      ck_assert_msg(content != NULL, "cannot read or decompress %s", full);
      const char *shown = name;
      char shortname[64];
      if (!strncmp(name, "part-", 5) && strlen(name) > 41) { /* part-<36-char uuid>-0-<n><ext> */
        snprintf(shortname, sizeof shortname, "part-%s", name + 5 + 36 + 3);
        shown = shortname;
      }
      sl_buf_printf(out, "%.*s%s%s=%s;", (int)(strlen(sub) - strlen(name)), sub, "", shown, content);
      free(content);
    }
    free(list[i]);
  }
  free(list);
}

/* Checks the visible tree under g_tmp/out and the number of hidden files. */
static void ck_tree(const char *want, int hidden) {
  sl_buf got;
  sl_buf_init(&got);
  sl_buf_adds(&got, "");
  g_hidden = 0;
  tree_walk(tmp_file("out"), "", &got);
  ck_assert_str_eq(got.data, want);
  ck_assert_int_eq(g_hidden, hidden);
  sl_buf_destroy(&got);
}

/* ------------------------------------------------------------------ partitions */

START_TEST(test_fs_sink_partitions_are_hive_folders_without_their_columns) {
  sl_sink *s = psink_open(NULL, false);
  prows(s, "a,2024-03-01,08;b,2024-03-01,09;c,2024-03-01,08");
  ck_tree("", 2); /* two in-progress files, one per partition */
  finish(s);
  ck_tree("dt=2024-03-01/hr=08/part-0=a\nc\n;dt=2024-03-01/hr=09/part-1=b\n;", 0);
  s->vt->free(s);
}
END_TEST

START_TEST(test_fs_sink_partition_values_are_escaped_and_defaulted) {
  sl_sink *s = psink_open(NULL, false);
  /* Hive's escapes: / = % : # ? * ' " \ [ ] ^ { control characters; not space, '}' or UTF-8. */
  prows(s, "a,x/y=z%:#?*,08;b,~,;c,é },\t");
  finish(s);
  ck_tree("dt=__DEFAULT_PARTITION__/hr=__DEFAULT_PARTITION__/part-1=b\n;"
          "dt=x%2Fy%3Dz%25%3A%23%3F%2A/hr=08/part-0=a\n;"
          "dt=é }/hr=%09/part-2=c\n;", 0);
  s->vt->free(s);
  const char *kv[] = {"partition.default-name", "none", NULL};
  s = psink_open(kv, false);
  prows(s, "d,~,01");
  finish(s);
  s->vt->free(s);
  struct stat st;
  ck_assert_int_eq(stat(tmp_file("out/dt=none/hr=01"), &st), 0);
}
END_TEST

START_TEST(test_fs_sink_every_column_a_partition_is_an_error) {
  int rc;
  sl_sink *s = psink_try(NULL, false, 2, &rc);
  ck_assert_int_eq(rc, 0);
  s->vt->free(s);
  /* (s, dt, hr) partitioned by (dt, hr, s): rejected. */
  for (int i = 0; i < 3; i++) p_types[i] = sl_type_make(SL_TYPE_VARCHAR, SL_VARCHAR_MAX, 0, true);
  sl_conn_table t = table("out", NULL, false);
  static const int all[] = {1, 2, 0};
  t.ncols = 3, t.names = p_names, t.types = p_types, t.npart = 3, t.part_cols = all;
  sl_err_clear(&g_err);
  ck_assert_int_eq(sl_fs_sink_new(&t, -1, &s, &g_err), SL_ECONFIG);
  ck_assert_str_eq(g_err.msg, "table 't': every column is a partition column, so nothing is left to write into its files");
}
END_TEST

START_TEST(test_fs_sink_rolls_each_partition_by_size) {
  const char *kv[] = {"sink.rolling-policy.file-size", "5", NULL};
  sl_sink *s = psink_open(kv, false);
  prows(s, "a1,d,1;b1,d,2;a2,d,1"); /* one write per partition: "a1\na2\n" reaches 5 bytes */
  ck_tree("dt=d/hr=1/part-0=a1\na2\n;", 1);
  prows(s, "b2,d,2;a3,d,1");
  ck_tree("dt=d/hr=1/part-0=a1\na2\n;dt=d/hr=2/part-1=b1\nb2\n;", 1);
  finish(s);
  ck_tree("dt=d/hr=1/part-0=a1\na2\n;dt=d/hr=1/part-2=a3\n;dt=d/hr=2/part-1=b1\nb2\n;", 0);
  s->vt->free(s);
}
END_TEST

START_TEST(test_fs_sink_fresh_start_removes_leftovers) {
  ck_assert_int_eq(sl_mkdirs(tmp_file("out/dt=d/hr=1")), 0);
  PUT("out/.part-0000-0-3.inprogress", "junk\n"); /* a killed run that never completed a checkpoint */
  PUT("out/dt=d/hr=1/.part-0000-0-4.inprogress", "junk\n");
  sl_sink *s = psink_open(NULL, false); /* without checkpointing: left alone */
  prows(s, "a,d,1");
  finish(s);
  s->vt->free(s);
  ck_tree("dt=d/hr=1/part-0=a\n;", 2);
  s = psink_open(NULL, true); /* checkpointing, nothing restored: its first write cleans up */
  ck_tree("dt=d/hr=1/part-0=a\n;", 2);
  prows(s, "b,d,2");
  ck_tree("dt=d/hr=1/part-0=a\n;", 1); /* only its own in-progress file */
  s->vt->free(s);
}
END_TEST

/* ------------------------------------------------------------------ compression */

static void compressed_round_trip(const char *codec, const char *ext) {
  const char *kv[] = {"sink.compression", codec, "sink.rolling-policy.file-size", "200kb", NULL};
  sl_sink *s = psink_open(kv, false);
  sl_buf rows, want;
  sl_buf_init(&rows);
  sl_buf_init(&want);
  /* ~1 MB of rows (random hex: they compress about 2:1) into one partition: several rolled
   * parts, each a whole stream. */
  uint64_t x = 88172645463325252ULL;
  for (int batch = 0; batch < 60; batch++) {
    sl_buf_reset(&rows);
    for (int i = 0; i < 1000; i++) {
      x ^= x << 13, x ^= x >> 7, x ^= x << 17;
      sl_buf_printf(&rows, "%sr%016llx,d,1", i ? ";" : "", (unsigned long long)x);
      sl_buf_printf(&want, "r%016llx\n", (unsigned long long)x);
    }
    prows(s, rows.data);
  }
  finish(s);
  s->vt->free(s);
  /* Concatenate the parts in order: gzip members / zstd frames decompress to all rows. */
  struct dirent **list;
  int n = scandir(tmp_file("out/dt=d/hr=1"), &list, NULL, alphasort);
  ck_assert_int_ge(n, 3);
  char cat[300];
  snprintf(cat, sizeof cat, "%s/all%s", g_tmp, ext);
  FILE *all = fopen(cat, "wb");
  int parts = 0;
  for (int k = 0; k < n; k++) {
    const char *name = list[k]->d_name;
    char path[600];
    snprintf(path, sizeof path, "%s/%s", tmp_file("out/dt=d/hr=1"), name);
    if (name[0] != '.') {
      ck_assert_msg(strlen(name) > strlen(ext) && !strcmp(name + strlen(name) - strlen(ext), ext), "%s", name);
      size_t len;
      char *one = slurp(path, &len);
      ck_assert_msg(one != NULL, "%s does not decompress on its own", name);
      free(one);
      FILE *f = fopen(path, "rb");
      char buf[4096];
      size_t r;
      while ((r = fread(buf, 1, sizeof buf, f)) > 0) fwrite(buf, 1, r, all);
      fclose(f);
      parts++;
    }
    free(list[k]);
  }
  free(list);
  fclose(all);
  ck_assert_int_ge(parts, 2);
  ck_assert_int_lt(parts, 10);
  size_t len;
  char *content = slurp(cat, &len);
  ck_assert_ptr_nonnull(content);
  ck_assert_uint_eq(len, want.len);
  ck_assert_str_eq(content, want.data); /* below 10 parts, name order is counter order */
  sl_buf_destroy(&rows);
  sl_buf_destroy(&want);
  free(content);
}

START_TEST(test_fs_sink_gzip_parts_round_trip) { compressed_round_trip("gzip", ".gz"); }
END_TEST

START_TEST(test_fs_sink_zstd_parts_round_trip) { compressed_round_trip("zstd", ".zst"); }
END_TEST

START_TEST(test_fs_sink_compressed_exact_content) {
  const char *kv[] = {"sink.compression", "gzip", NULL};
  sl_sink *s = psink_open(kv, true);
  prows(s, "a,d,1;b,d,1;c,d,2");
  sl_buf data;
  sl_buf_init(&data);
  prepare(s, 1, &data);
  commit(s, &data);
  ck_tree("dt=d/hr=1/part-0.gz=a\nb\n;dt=d/hr=2/part-1.gz=c\n;", 0);
  s->vt->free(s);
  sl_buf_destroy(&data);
  const char *kv2[] = {"sink.compression", "zstd", NULL};
  s = psink_open(kv2, false);
  prows(s, "x,d,3");
  finish(s);
  s->vt->free(s);
  ck_tree("dt=d/hr=1/part-0.gz=a\nb\n;dt=d/hr=2/part-1.gz=c\n;dt=d/hr=3/part-0.zst=x\n;", 0);
}
END_TEST

/* ------------------------------------------------------------------ partition commit */

START_TEST(test_fs_sink_success_files_at_finish) {
  const char *kv[] = {"sink.partition-commit.policy.kind", "success-file", NULL};
  sl_sink *s = psink_open(kv, false);
  prows(s, "a,d,1;b,d,2");
  ck_tree("", 2);
  finish(s);
  ck_tree("dt=d/hr=1/_SUCCESS=;dt=d/hr=1/part-0=a\n;dt=d/hr=2/_SUCCESS=;dt=d/hr=2/part-1=b\n;", 0);
  s->vt->free(s);

  /* Without partitions: one at the root, even with no rows; a chosen name. */
  teardown(), setup();
  const char *kv2[] = {"sink.partition-commit.policy.kind", "success-file", "sink.partition-commit.success-file.name",
                       "_DONE", NULL};
  s = sink_open(kv2, false);
  finish(s);
  ck_tree("_DONE=;", 0);
  s->vt->free(s);
  /* Without the policy: none. */
  teardown(), setup();
  s = psink_open(NULL, false);
  prows(s, "a,d,1");
  finish(s);
  ck_tree("dt=d/hr=1/part-0=a\n;", 0);
  s->vt->free(s);
}
END_TEST

static const char *ptime_kv[] = {"sink.partition-commit.policy.kind", "success-file",
                                 "sink.partition-commit.trigger", "partition-time",
                                 "partition.time-extractor.timestamp-pattern", "$dt $hr:00:00",
                                 "sink.partition-commit.delay", "1 h", NULL};

START_TEST(test_fs_sink_partition_time_commit_by_watermark) {
  sl_sink *s = psink_open(ptime_kv, false);
  prows(s, "a,2024-03-01,08;b,2024-03-01,09");
  wm(s, "2024-03-01 08:59:59.999");
  ck_tree("", 2);
  wm(s, "2024-03-01 09:00:00"); /* 08:00 + 1 h: hr=08 is complete, its file published */
  ck_tree("dt=2024-03-01/hr=08/_SUCCESS=;dt=2024-03-01/hr=08/part-0=a\n;", 1);
  prows(s, "c,2024-03-01,08;d,2024-03-01,09"); /* late row: a new part, committed again */
  wm(s, "2024-03-01 09:30:00");
  ck_tree("dt=2024-03-01/hr=08/_SUCCESS=;dt=2024-03-01/hr=08/part-0=a\n;dt=2024-03-01/hr=08/part-2=c\n;", 1);
  finish(s);
  ck_tree("dt=2024-03-01/hr=08/_SUCCESS=;dt=2024-03-01/hr=08/part-0=a\n;dt=2024-03-01/hr=08/part-2=c\n;"
          "dt=2024-03-01/hr=09/_SUCCESS=;dt=2024-03-01/hr=09/part-1=b\nd\n;", 0);
  s->vt->free(s);
}
END_TEST

START_TEST(test_fs_sink_partition_time_commit_at_checkpoints) {
  sl_sink *s = psink_open(ptime_kv, true);
  sl_buf d1, d2, d3;
  sl_buf_init(&d1);
  sl_buf_init(&d2);
  sl_buf_init(&d3);
  prows(s, "a,2024-03-01,08;b,2024-03-01,09");
  wm(s, "2024-03-01 09:10:00");
  prows(s, "c,2024-03-01,09");
  prepare(s, 1, &d1);
  wm(s, "2024-03-01 11:00:00"); /* after the barrier: checkpoint 1 does not see it */
  commit(s, &d1);
  ck_tree("dt=2024-03-01/hr=08/_SUCCESS=;dt=2024-03-01/hr=08/part-0=a\n;dt=2024-03-01/hr=09/part-1=b\nc\n;", 0);
  /* Checkpoint 2 has no files, but hr=09 waits for its commit, which the watermark now allows. */
  prepare(s, 2, &d2);
  ck_assert_uint_gt(d2.len, 0);
  commit(s, &d2);
  ck_tree("dt=2024-03-01/hr=08/_SUCCESS=;dt=2024-03-01/hr=08/part-0=a\n;"
          "dt=2024-03-01/hr=09/_SUCCESS=;dt=2024-03-01/hr=09/part-1=b\nc\n;", 0);
  prepare(s, 3, &d3);
  ck_assert_uint_eq(d3.len, 0); /* nothing written, nothing waiting */
  s->vt->free(s);
  sl_buf_destroy(&d1);
  sl_buf_destroy(&d2);
  sl_buf_destroy(&d3);
}
END_TEST

START_TEST(test_fs_sink_waiting_partitions_survive_a_restore) {
  sl_sink *s = psink_open(ptime_kv, true);
  sl_buf d1, d2;
  sl_buf_init(&d1);
  sl_buf_init(&d2);
  prows(s, "a,2024-03-01,08");
  wm(s, "2024-03-01 08:30:00");
  prepare(s, 1, &d1); /* its checkpoint completes, then a crash before the commit */
  s->vt->free(s);
  s = psink_open(ptime_kv, true);
  commit(s, &d1); /* restore: the file is published, the partition not yet complete */
  ck_assert_int_eq(s->vt->recover(s, &g_err), 0);
  ck_tree("dt=2024-03-01/hr=08/part-0=a\n;", 0);
  wm(s, "2024-03-01 09:00:00");
  prepare(s, 2, &d2); /* carries the waiting partition */
  commit(s, &d2);
  ck_tree("dt=2024-03-01/hr=08/_SUCCESS=;dt=2024-03-01/hr=08/part-0=a\n;", 0);
  s->vt->free(s);
  sl_buf_destroy(&d1);
  sl_buf_destroy(&d2);
}
END_TEST

START_TEST(test_fs_sink_process_time_delay_and_end_of_input) {
  const char *kv[] = {"sink.partition-commit.policy.kind", "success-file", "sink.partition-commit.delay", "1 h", NULL};
  sl_sink *s = psink_open(kv, true);
  sl_buf d1, d2;
  sl_buf_init(&d1);
  sl_buf_init(&d2);
  prows(s, "a,d,1");
  prepare(s, 1, &d1);
  commit(s, &d1); /* first seen just now: an hour to go */
  ck_tree("dt=d/hr=1/part-0=a\n;", 0);
  wm(s, NULL); /* the end of input: the final checkpoint commits every partition */
  prepare(s, 2, &d2);
  commit(s, &d2);
  ck_tree("dt=d/hr=1/_SUCCESS=;dt=d/hr=1/part-0=a\n;", 0);
  s->vt->free(s);
  sl_buf_destroy(&d1);
  sl_buf_destroy(&d2);
  /* Delay 0 (the default): committed at the checkpoint that publishes the files. */
  teardown(), setup();
  const char *kv0[] = {"sink.partition-commit.policy.kind", "success-file", NULL};
  s = psink_open(kv0, true);
  sl_buf_init(&d1);
  prows(s, "a,d,1");
  prepare(s, 1, &d1);
  commit(s, &d1);
  ck_tree("dt=d/hr=1/_SUCCESS=;dt=d/hr=1/part-0=a\n;", 0);
  s->vt->free(s);
  sl_buf_destroy(&d1);
}
END_TEST

START_TEST(test_fs_sink_bad_partition_time_names_the_partition) {
  sl_sink *s = psink_open(ptime_kv, false);
  sl_batch *b = sl_batch_new(3, p_types, 1);
  b->cols[0].str[0] = sl_batch_str(b, "a", 1);
  b->cols[1].str[0] = sl_batch_str(b, "yesterday", 9);
  b->cols[2].str[0] = sl_batch_str(b, "08", 2);
  b->nrows = 1;
  sl_err_clear(&g_err);
  ck_assert_int_eq(s->vt->write(s, b, &g_err), SL_EFORMAT);
  ck_assert_str_eq(g_err.msg, "table 't': cannot tell the time of partition 'dt=yesterday/hr=08' for "
                              "'sink.partition-commit.trigger' = 'partition-time': 'yesterday 08:00:00' is not a "
                              "timestamp (yyyy-MM-dd[ HH:mm:ss])");
  sl_batch_free(b);
  s->vt->free(s);
  /* A formatter reads other layouts; the default pattern takes the first value. */
  const char *kv[] = {"sink.partition-commit.policy.kind", "success-file", "sink.partition-commit.trigger",
                      "partition-time", "partition.time-extractor.timestamp-pattern", "$dt$hr",
                      "partition.time-extractor.timestamp-formatter", "yyyyMMddHH", NULL};
  s = psink_open(kv, false);
  prows(s, "a,20240301,08");
  wm(s, "2024-03-01 08:00:00");
  ck_tree("dt=20240301/hr=08/_SUCCESS=;dt=20240301/hr=08/part-0=a\n;", 0);
  s->vt->free(s);
}
END_TEST

/* ------------------------------------------------------------------ rolling on time */

static void run_loop_ms(uv_loop_t *loop, int ms) {
  uint64_t until = uv_now(loop) + (uint64_t)ms;
  while (uv_now(loop) < until) {
    uv_run(loop, UV_RUN_NOWAIT);
    usleep(2000);
    uv_update_time(loop);
  }
}

START_TEST(test_fs_sink_rolls_inactive_and_old_parts_on_its_timer) {
  const char *kv[] = {"sink.rolling-policy.check-interval", "10 ms", "sink.rolling-policy.inactivity-interval", "200 ms",
                      "sink.rolling-policy.rollover-interval", "1 h", NULL};
  uv_loop_t loop;
  ck_assert_int_eq(uv_loop_init(&loop), 0);
  sl_sink *s = psink_open(kv, false);
  sl_conn_env env = {.loop = &loop};
  ck_assert_int_eq(s->vt->start(s, &env, &g_err), 0);
  prows(s, "a,d,1");
  run_loop_ms(&loop, 20);
  ck_tree("", 1); /* active */
  run_loop_ms(&loop, 400);
  ck_tree("dt=d/hr=1/part-0=a\n;", 0); /* inactive for 200 ms: rolled and published */
  s->vt->stop(s);
  uv_run(&loop, UV_RUN_DEFAULT);
  s->vt->free(s);

  /* An active part rolls once older than the rollover interval. */
  const char *kv2[] = {"sink.rolling-policy.check-interval", "10 ms", "sink.rolling-policy.rollover-interval", "80 ms",
                       NULL};
  s = psink_open(kv2, true);
  ck_assert_int_eq(s->vt->start(s, &env, &g_err), 0);
  for (int i = 0; i < 30; i++) {
    prows(s, "b,d,2");
    run_loop_ms(&loop, 10);
  }
  sl_buf d;
  sl_buf_init(&d);
  prepare(s, 1, &d);
  commit(s, &d);
  s->vt->stop(s);
  uv_run(&loop, UV_RUN_DEFAULT);
  s->vt->free(s);
  sl_buf_destroy(&d);
  struct dirent **list;
  int n = scandir(tmp_file("out/dt=d/hr=2"), &list, NULL, alphasort);
  for (int i = 0; i < n; i++) free(list[i]);
  free(list);
  ck_assert_int_ge(n - 2, 3); /* ~300 ms of rows: rolled at least twice, plus the checkpoint's */
  ck_assert_int_eq(uv_loop_close(&loop), 0);
}
END_TEST

/* ------------------------------------------------------------------ options */

/* Opening with key = value fails with a message that is want (or starts with it, when want ends
 * in a quote). */
static void ck_option_error(const char *key, const char *value, const char *want) {
  const char *kv[] = {key, value, NULL};
  int rc;
  sl_sink *s = psink_try(kv, false, 2, &rc);
  ck_assert_ptr_null(s);
  ck_assert_int_eq(rc, SL_ECONFIG);
  if (want[strlen(want) - 1] == '\'') ck_assert_msg(!strncmp(g_err.msg, want, strlen(want)), "%s", g_err.msg);
  else ck_assert_str_eq(g_err.msg, want);
}

START_TEST(test_fs_sink_option_errors) {
  sl_conn_table t = table("out", NULL, false);
  g_items[0].value = "hdfs:///data/t";
  sl_sink *s = NULL;
  sl_err_clear(&g_err);
  ck_assert_int_eq(sl_fs_sink_new(&t, -1, &s, &g_err), SL_ECONFIG);
  ck_assert_str_eq(g_err.msg, "unsupported path 'hdfs:///data/t' for connector 'filesystem': use a folder, "
                              "file:///folder or s3://bucket/prefix");
  ck_option_error("sink.partition-commit.policy.kind", "metastore,success-file",
                  "partition commit policy 'metastore' is not supported: sluice has no Hive metastore; use "
                  "'success-file' and let the catalog discover partitions (Glue crawler, MSCK REPAIR TABLE)");
  ck_option_error("sink.partition-commit.policy.kind", "custom",
                  "partition commit policy 'custom' is not supported: sluice runs no Java classes; use 'success-file'");
  ck_option_error("sink.partition-commit.policy.kind", "success",
                  "option 'sink.partition-commit.policy.kind' must list 'success-file' (or Flink's 'metastore' and "
                  "'custom', which sluice does not support), not 'success'");
  ck_option_error("sink.compression", "lz4", "option 'sink.compression' must be 'none', 'gzip' or 'zstd', not 'lz4'");
  ck_option_error("sink.partition-commit.trigger", "event-time",
                  "option 'sink.partition-commit.trigger' must be 'process-time' or 'partition-time', not 'event-time'");
  ck_option_error("sink.rolling-policy.check-interval", "0 s", "option 'sink.rolling-policy.check-interval' must be more than 0");
  ck_option_error("partition.time-extractor.kind", "custom",
                  "option 'partition.time-extractor.kind' supports only 'default', not 'custom' (sluice runs no Java classes)");
  ck_option_error("s3.endpoint", "http://127.0.0.1:9", "option 's3.endpoint' is for s3:// paths, and 'path' '");
  /* Both kinds listed with success-file first are still refused for metastore. */
  ck_option_error("sink.partition-commit.policy.kind", "success-file, metastore",
                  "partition commit policy 'metastore' is not supported: sluice has no Hive metastore; use "
                  "'success-file' and let the catalog discover partitions (Glue crawler, MSCK REPAIR TABLE)");
}
END_TEST

/* ------------------------------------------------------------------ S3 (under with_s3.sh) */

static char g_s3uri[256];   /* s3://bucket/<prefix of this test> */
static sl_objstore *g_store; /* the same prefix, straight to s3rver, to look at */

static const char *s3_env(const char *name) {
  const char *v = getenv(name);
  ck_assert_msg(v && v[0], "%s is not set: run under tests/services/with_s3.sh", name);
  return v;
}

static void s3_setup(void) {
  setup();
  static int n;
  snprintf(g_s3uri, sizeof g_s3uri, "s3://%s/fsconn-%ld-%d", s3_env("SLUICE_TEST_S3_BUCKET"), (long)getpid(), ++n);
  sl_objstore_opts o = {.s3_endpoint = s3_env("SLUICE_TEST_S3_ENDPOINT"), .s3_path_style = 1};
  ck_assert_int_eq(sl_objstore_open(g_s3uri, &o, &g_store, &g_err), 0);
}

static int delete_key(void *arg, const char *key, int64_t size) {
  (void)size;
  sl_err e;
  sl_err_clear(&e);
  return sl_objstore_delete(arg, key, &e);
}

static void s3_teardown(void) {
  FILE *f = fopen(getenv("SLUICE_TEST_S3_FLAKY_CONTROL"), "w");
  if (f) fclose(f);
  sl_err e;
  sl_err_clear(&e);
  sl_objstore_list(g_store, "", delete_key, g_store, &e);
  sl_objstore_free(g_store);
  g_store = NULL;
  teardown();
}

static void flaky(const char *cmd) {
  FILE *f = fopen(s3_env("SLUICE_TEST_S3_FLAKY_CONTROL"), "w");
  ck_assert_ptr_nonnull(f);
  fputs(cmd, f);
  fclose(f);
}

/* A partitioned sink on g_s3uri through the proxy, with the extra options kv. */
static sl_sink *s3sink_open(const char *const *kv, bool two_phase) {
  const char *all[24];
  int n = 0;
  all[n++] = "s3.endpoint";
  all[n++] = s3_env("SLUICE_TEST_S3_FLAKY_ENDPOINT");
  all[n++] = "s3.path.style.access";
  all[n++] = "true";
  for (int i = 0; kv && kv[i]; i++) all[n++] = kv[i];
  all[n] = NULL;
  for (int i = 0; i < 3; i++) p_types[i] = sl_type_make(SL_TYPE_VARCHAR, SL_VARCHAR_MAX, 0, true);
  sl_conn_table t = table("out", all, two_phase);
  g_items[0].value = g_s3uri;
  t.ncols = 3, t.names = p_names, t.types = p_types, t.npart = 2, t.part_cols = p_parts;
  sl_sink *s = NULL;
  sl_err_clear(&g_err);
  ck_assert_msg(sl_fs_sink_new(&t, -1, &s, &g_err) == 0, "sink: %s", g_err.msg);
  return s;
}

static int list_cb(void *arg, const char *key, int64_t size) {
  sl_buf_printf(arg, "%s=%lld;", key, (long long)size);
  return 0;
}

/* "key=size;..." under prefix, with part names shortened to "part-<n><ext>". */
static char *s3_list(const char *prefix) {
  sl_buf b, out;
  sl_buf_init(&b);
  sl_buf_init(&out);
  sl_buf_adds(&b, "");
  sl_buf_adds(&out, "");
  ck_assert_int_eq(sl_objstore_list(g_store, prefix, list_cb, &b, &g_err), 0);
  for (const char *p = b.data; *p;) {
    const char *part = strstr(p, "part-");
    const char *semi = strchr(p, ';');
    if (part && part < semi && semi - part > 41) {
      sl_buf_add(&out, p, (size_t)(part - p) + 5);
      p = part + 5 + 36 + 3;
    }
    sl_buf_add(&out, p, (size_t)(semi - p) + 1);
    p = semi + 1;
  }
  sl_buf_destroy(&b);
  return out.data;
}

/* How many requests the proxy logged as "METHOD /bucket/prefix/<key_query...> STATUS" (keys are
 * URL-encoded there: '=' is %3D). */
static int log_count(const char *method, const char *key_query, const char *status) {
  char want[512];
  snprintf(want, sizeof want, "%s /%s/%s", method, g_s3uri + 5, key_query);
  FILE *f = fopen(s3_env("SLUICE_TEST_S3_FLAKY_LOG"), "r");
  if (!f) return 0;
  char line[2048];
  int n = 0;
  while (fgets(line, sizeof line, f)) {
    line[strcspn(line, "\n")] = 0;
    char *sp = strrchr(line, ' ');
    if (sp && !strcmp(sp + 1, status) && !strncmp(line, want, strlen(want))) n++;
  }
  fclose(f);
  return n;
}

static char *s3_get(const char *key) {
  sl_buf b;
  sl_buf_init(&b);
  sl_err e;
  sl_err_clear(&e);
  ck_assert_msg(sl_objstore_get(g_store, key, &b, &e) == 0, "get %s: %s", key, e.msg);
  if (!b.data) sl_buf_adds(&b, "");
  return b.data;
}

/* The key of the one part object under prefix (which must have exactly one). */
static char *only_part(const char *prefix) {
  sl_buf b;
  sl_buf_init(&b);
  sl_buf_adds(&b, "");
  ck_assert_int_eq(sl_objstore_list(g_store, prefix, list_cb, &b, &g_err), 0);
  char *part = strstr(b.data, "part-");
  ck_assert_ptr_nonnull(part);
  ck_assert_ptr_null(strstr(part + 1, "part-"));
  char *start = part;
  while (start > b.data && start[-1] != ';') start--;
  *strchr(part, '=') = 0;
  char *key = strdup(start);
  sl_buf_destroy(&b);
  return key;
}

START_TEST(test_fs_sink_s3_uploads_while_growing_and_publishes_at_commit) {
  const char *kv[] = {"sink.partition-commit.policy.kind", "success-file", NULL};
  sl_sink *s = s3sink_open(kv, true);
  sl_buf rows, want;
  sl_buf_init(&rows);
  sl_buf_init(&want);
  /* 8.9 MiB of rows into one partition: one 8 MiB part goes up before the checkpoint. */
  for (int batch = 0; batch < 100; batch++) {
    sl_buf_reset(&rows);
    for (int i = 0; i < 1000; i++) {
      sl_buf_printf(&rows, "%s%090d,d,1", i ? ";" : "", batch * 1000 + i);
      sl_buf_printf(&want, "\"%090d\"\n", batch * 1000 + i); /* CSV quotes text over 24 characters */
    }
    prows(s, rows.data);
  }
  ck_assert_int_eq(log_count("PUT", "dt%3Dd/hr%3D1/part-", "200"), 1); /* partNumber=1 */
  char *l = s3_list("");
  ck_assert_msg(!strncmp(l, "_sluice_uploads/", 16) && !strstr(l, "dt="), "%s", l); /* a marker, no object */
  free(l);
  sl_buf d;
  sl_buf_init(&d);
  prepare(s, 1, &d);
  ck_assert_int_eq(d.data[0], 'U');
  ck_assert_int_eq(log_count("PUT", "dt%3Dd/hr%3D1/part-", "200"), 2); /* the tail */
  l = s3_list("dt=");
  ck_assert_str_eq(l, ""); /* nothing visible before the checkpoint completes */
  free(l);
  commit(s, &d);
  l = s3_list("");
  char want_list[128];
  snprintf(want_list, sizeof want_list, "dt=d/hr=1/_SUCCESS=0;dt=d/hr=1/part-0=%zu;", want.len);
  ck_assert_str_eq(l, want_list); /* published, and the marker is gone */
  free(l);
  char *key = only_part("dt=d/hr=1/");
  char *got = s3_get(key);
  ck_assert_int_eq(strcmp(got, want.data), 0);
  free(got);
  free(key);
  s->vt->free(s);
  /* A restore commits the same data again: the object is there, so nothing is completed twice. */
  s = s3sink_open(kv, true);
  commit(s, &d);
  ck_assert_int_eq(s->vt->recover(s, &g_err), 0);
  ck_assert_int_eq(log_count("POST", "dt%3Dd/hr%3D1/part-", "200"), 2); /* begin + one complete */
  s->vt->free(s);
  sl_buf_destroy(&d);
  sl_buf_destroy(&rows);
  sl_buf_destroy(&want);
}
END_TEST

START_TEST(test_fs_sink_s3_recover_aborts_abandoned_uploads) {
  sl_sink *s = s3sink_open(NULL, true);
  prows(s, "a,d,1;b,d,2");
  sl_buf d;
  sl_buf_init(&d);
  prepare(s, 1, &d); /* the checkpoint completes; then a crash before its commit */
  s->vt->free(s);
  /* What a crashed attempt leaves: an upload with a part, and its marker. */
  char *id = NULL, *etag = NULL;
  const char *key = "dt=d/hr=1/part-abandoned-0-7";
  const char *key_in_url = "dt%3Dd/hr%3D1/part-abandoned-0-7";
  char src[300];
  snprintf(src, sizeof src, "%s/piece", g_tmp);
  FILE *f = fopen(src, "w");
  fputs("lost\n", f);
  fclose(f);
  ck_assert_int_eq(sl_objstore_multipart_begin(g_store, key, &id, &g_err), 0);
  ck_assert_int_eq(sl_objstore_multipart_part(g_store, key, id, 1, src, 0, 5, &etag, &g_err), 0);
  char mkey[256], body[512];
  snprintf(mkey, sizeof mkey, "_sluice_uploads/%s", id);
  snprintf(body, sizeof body, "%s\n%s\n", key, id);
  ck_assert_int_eq(sl_objstore_put(g_store, mkey, body, strlen(body), &g_err), 0);
  /* The restore: checkpoint 1's files are published, the other upload is aborted. */
  s = s3sink_open(NULL, true);
  commit(s, &d);
  ck_assert_int_eq(s->vt->recover(s, &g_err), 0);
  char path[300];
  snprintf(path, sizeof path, "%s?uploadId=", key_in_url);
  ck_assert_int_eq(log_count("DELETE", path, "405"), 1); /* s3rver has no abort: tolerated */
  char *l = s3_list("");
  ck_assert_str_eq(l, "dt=d/hr=1/part-0=2;dt=d/hr=2/part-1=2;"); /* no marker left */
  free(l);
  s->vt->free(s);
  free(id);
  free(etag);
  sl_buf_destroy(&d);
}
END_TEST

START_TEST(test_fs_sink_s3_fresh_start_aborts_abandoned_uploads) {
  char *id = NULL, *etag = NULL;
  char src[300];
  snprintf(src, sizeof src, "%s/piece", g_tmp);
  FILE *f = fopen(src, "w");
  fputs("lost\n", f);
  fclose(f);
  ck_assert_int_eq(sl_objstore_multipart_begin(g_store, "dt=d/hr=1/part-x-0-0", &id, &g_err), 0);
  ck_assert_int_eq(sl_objstore_multipart_part(g_store, "dt=d/hr=1/part-x-0-0", id, 1, src, 0, 5, &etag, &g_err), 0);
  char mkey[256], body[512];
  snprintf(mkey, sizeof mkey, "_sluice_uploads/%s", id);
  snprintf(body, sizeof body, "dt=d/hr=1/part-x-0-0\n%s\n", id);
  ck_assert_int_eq(sl_objstore_put(g_store, mkey, body, strlen(body), &g_err), 0);
  sl_sink *s = s3sink_open(NULL, true);
  sl_buf d;
  sl_buf_init(&d);
  prepare(s, 1, &d); /* the first call of a run that restored nothing */
  ck_assert_int_eq(log_count("DELETE", "dt%3Dd/hr%3D1/part-x-0-0?uploadId=", "405"), 1);
  char *l = s3_list("");
  ck_assert_str_eq(l, "");
  free(l);
  s->vt->free(s);
  sl_buf_destroy(&d);
  free(id);
  free(etag);
}
END_TEST

START_TEST(test_fs_sink_s3_lost_upload_is_an_error) {
  sl_sink *s = s3sink_open(NULL, true);
  sl_buf d;
  sl_buf_init(&d);
  static const char entry[] = "Udt=d/hr=1/part-lost\0nope\0" "5\0" "1\0\"etag\"";
  sl_buf_add(&d, entry, sizeof entry);
  flaky("skip 1 fail 1 404 NoSuchUpload"); /* the HEAD passes (404), the complete is refused */
  sl_err_clear(&g_err);
  ck_assert_int_eq(s->vt->commit(s, d.data, d.len, &g_err), SL_ECHECKPOINT);
  char want[1024];
  snprintf(want, sizeof want,
           "cannot commit part file '%s/dt=d/hr=1/part-lost' (5 bytes): multipart PUT (complete) of "
           "'dt=d/hr=1/part-lost' in %s: NoSuchUpload; there is no object, so its output is lost",
           g_s3uri, g_s3uri);
  ck_assert_str_eq(g_err.msg, want);
  s->vt->free(s);
  sl_buf_destroy(&d);
}
END_TEST

START_TEST(test_fs_sink_s3_one_phase_gzip) {
  const char *kv[] = {"sink.compression", "gzip", "sink.partition-commit.policy.kind", "success-file", NULL};
  sl_sink *s = s3sink_open(kv, false);
  prows(s, "a,d,1;b,d,1;c,d,2");
  finish(s);
  s->vt->free(s);
  char *key = only_part("dt=d/hr=1/");
  ck_assert_ptr_nonnull(strstr(key, ".gz"));
  char *gz = s3_get(key);
  char path[300];
  snprintf(path, sizeof path, "%s/x.gz", g_tmp);
  sl_buf b;
  sl_buf_init(&b);
  ck_assert_int_eq(sl_objstore_get(g_store, key, &b, &g_err), 0);
  FILE *f = fopen(path, "wb");
  fwrite(b.data, 1, b.len, f);
  fclose(f);
  size_t len;
  char *plain = slurp(path, &len);
  ck_assert_str_eq(plain, "a\nb\n");
  free(plain);
  free(gz);
  free(key);
  sl_buf_destroy(&b);
  char *l = s3_list("");
  ck_assert_msg(strstr(l, "dt=d/hr=1/_SUCCESS=0;") && strstr(l, "dt=d/hr=2/_SUCCESS=0;") && !strstr(l, "_sluice"), "%s", l);
  free(l);
  ck_assert_int_eq(log_count("PUT", "_sluice_uploads/", "200"), 0); /* no markers without checkpoints */
}
END_TEST

/* ------------------------------------------------------------------ main */

static Suite *fs_conn_suite(void) {
  Suite *s = suite_create("fs_conn");
  TCase *tc = tcase_create("source_position");
  tcase_add_unchecked_fixture(tc, root_setup, root_teardown);
  tcase_add_checked_fixture(tc, setup, teardown);
  tcase_add_test(tc, test_fs_source_position_before_and_after_reading);
  tcase_add_test(tc, test_fs_source_empty_folder_has_no_splits);
  tcase_add_test(tc, test_fs_source_straight_read_sees_every_record_once);
  tcase_add_test(tc, test_fs_source_one_piece_after_seek_to_start);
  tcase_add_test(tc, test_fs_source_two_pieces_equal_straight_read);
  tcase_add_test(tc, test_fs_source_many_pieces_equal_straight_read);
  tcase_add_test(tc, test_fs_source_pieces_across_buffer_refills);
  tcase_add_test(tc, test_fs_source_single_file_path);
  suite_add_tcase(s, tc);
  tc = tcase_create("source_restore");
  tcase_add_unchecked_fixture(tc, root_setup, root_teardown);
  tcase_add_checked_fixture(tc, setup, teardown);
  tcase_add_test(tc, test_fs_source_seek_rejects_a_vanished_file);
  tcase_add_test(tc, test_fs_source_seek_rejects_a_shorter_file);
  tcase_add_test(tc, test_fs_source_skipped_count_is_carried);
  tcase_add_test(tc, test_fs_source_errors_after_restore_name_the_right_line);
  suite_add_tcase(s, tc);
  tc = tcase_create("sink_one_phase");
  tcase_add_unchecked_fixture(tc, root_setup, root_teardown);
  tcase_add_checked_fixture(tc, setup, teardown);
  tcase_add_test(tc, test_fs_sink_one_phase_publishes_at_finish);
  tcase_add_test(tc, test_fs_sink_one_phase_rolls_and_publishes);
  suite_add_tcase(s, tc);
  tc = tcase_create("sink_two_phase");
  tcase_add_unchecked_fixture(tc, root_setup, root_teardown);
  tcase_add_checked_fixture(tc, setup, teardown);
  tcase_add_test(tc, test_fs_sink_two_phase_publishes_only_at_commit);
  tcase_add_test(tc, test_fs_sink_two_phase_rolled_parts_wait_for_commit);
  tcase_add_test(tc, test_fs_sink_commit_of_lost_part_is_an_error);
  tcase_add_test(tc, test_fs_sink_recover_deletes_leftovers_not_committed_files);
  tcase_add_test(tc, test_fs_sink_crash_then_restore_shows_exactly_the_committed_output);
  suite_add_tcase(s, tc);
  tc = tcase_create("sink_partitions");
  tcase_add_unchecked_fixture(tc, root_setup, root_teardown);
  tcase_add_checked_fixture(tc, setup, teardown);
  tcase_add_test(tc, test_fs_sink_partitions_are_hive_folders_without_their_columns);
  tcase_add_test(tc, test_fs_sink_partition_values_are_escaped_and_defaulted);
  tcase_add_test(tc, test_fs_sink_every_column_a_partition_is_an_error);
  tcase_add_test(tc, test_fs_sink_rolls_each_partition_by_size);
  tcase_add_test(tc, test_fs_sink_fresh_start_removes_leftovers);
  tcase_add_test(tc, test_fs_sink_rolls_inactive_and_old_parts_on_its_timer);
  tcase_add_test(tc, test_fs_sink_option_errors);
  suite_add_tcase(s, tc);
  tc = tcase_create("sink_compression");
  tcase_add_unchecked_fixture(tc, root_setup, root_teardown);
  tcase_add_checked_fixture(tc, setup, teardown);
  tcase_add_test(tc, test_fs_sink_gzip_parts_round_trip);
  tcase_add_test(tc, test_fs_sink_zstd_parts_round_trip);
  tcase_add_test(tc, test_fs_sink_compressed_exact_content);
  suite_add_tcase(s, tc);
  tc = tcase_create("sink_partition_commit");
  tcase_add_unchecked_fixture(tc, root_setup, root_teardown);
  tcase_add_checked_fixture(tc, setup, teardown);
  tcase_add_test(tc, test_fs_sink_success_files_at_finish);
  tcase_add_test(tc, test_fs_sink_partition_time_commit_by_watermark);
  tcase_add_test(tc, test_fs_sink_partition_time_commit_at_checkpoints);
  tcase_add_test(tc, test_fs_sink_waiting_partitions_survive_a_restore);
  tcase_add_test(tc, test_fs_sink_process_time_delay_and_end_of_input);
  tcase_add_test(tc, test_fs_sink_bad_partition_time_names_the_partition);
  suite_add_tcase(s, tc);
  /* The S3 cases need the local S3 that tests/services/with_s3.sh starts (meson runs this suite
   * under it); run by hand without it, they are left out, and say so. */
  if (getenv("SLUICE_TEST_S3_ENDPOINT")) {
    tc = tcase_create("sink_s3");
    tcase_add_unchecked_fixture(tc, root_setup, root_teardown);
    tcase_add_checked_fixture(tc, s3_setup, s3_teardown);
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, test_fs_sink_s3_uploads_while_growing_and_publishes_at_commit);
    tcase_add_test(tc, test_fs_sink_s3_recover_aborts_abandoned_uploads);
    tcase_add_test(tc, test_fs_sink_s3_fresh_start_aborts_abandoned_uploads);
    tcase_add_test(tc, test_fs_sink_s3_lost_upload_is_an_error);
    tcase_add_test(tc, test_fs_sink_s3_one_phase_gzip);
    suite_add_tcase(s, tc);
  } else {
    fprintf(stderr, "test_fs_conn: SLUICE_TEST_S3_ENDPOINT is not set: the S3 cases are left out "
                    "(run under tests/services/with_s3.sh)\n");
  }
  return s;
}

int main(void) {
  SRunner *sr = srunner_create(fs_conn_suite());
  srunner_run_all(sr, CK_NORMAL);
  int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
