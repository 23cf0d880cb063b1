/* test_fs_conn.c - the filesystem connector under checkpoints: source position/seek replays exactly,
 * and the sink's two-phase commit publishes each part once and cleans up what no checkpoint holds. */
#include <check.h>
#include <dirent.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "connectors/conn.h"

/* ------------------------------------------------------------------ fixture */

static char g_root[64]; /* per test case, removed by the unchecked teardown even after failures */
static char g_tmp[128];  /* per test */
static char g_path[256];
static sl_option g_items[8];
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
  return s;
}

int main(void) {
  SRunner *sr = srunner_create(fs_conn_suite());
  srunner_run_all(sr, CK_NORMAL);
  int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
