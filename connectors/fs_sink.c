/* fs_sink.c - the 'filesystem' sink: rows encoded by the table's format into part files in a
 * folder. A part file is written under a hidden in-progress name and renamed to its final name
 * only when complete, as Flink's FileSink does.
 *
 * Without checkpointing a part is published when it is rolled by size or at the end of input.
 * With checkpointing (two-phase) a closed part only becomes pending: prepare_commit() at a
 * barrier closes the open part and hands the pending parts out as commit data, commit() renames
 * them once the checkpoint is complete, and recover() deletes the in-progress files that no
 * completed checkpoint refers to. Commit data is a sequence of entries, one per part:
 *
 *     'P' <in-progress path> NUL <final path> NUL
 *
 * Entries are self-delimiting, so the data of several prepares may be concatenated. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../engine/sysutil.h"
#include "conn.h"
#include "fmt.h"
#include "metadata.h"

/* A closed part that waits for a checkpoint to complete before it is published. */
typedef struct fs_pending {
  char *tmp_path, *final_path;
} fs_pending;

typedef struct fs_sink {
  sl_sink base;
  bool two_phase;        /* publish only through prepare_commit + commit */
  char *dir;
  char uuid[40];
  int part;              /* counter of the current part file */
  int fd;                /* -1 when no part file is open */
  char *tmp_path;        /* current in-progress file */
  int64_t written;       /* bytes in the current part */
  int64_t roll_size;
  sl_fmt_enc *enc;
  sl_buf buf;
  fs_pending *pending;   /* closed parts not yet handed out by prepare_commit */
  int npending, pending_cap;
} fs_sink;

/* A version-4 UUID, as Flink names part files. */
static void make_uuid(char *out) {
  unsigned char r[16];
  sl_random_bytes(r, sizeof r);
  r[6] = (unsigned char)((r[6] & 0x0f) | 0x40);
  r[8] = (unsigned char)((r[8] & 0x3f) | 0x80);
  static const char hex[] = "0123456789abcdef";
  int k = 0;
  for (int i = 0; i < 16; i++) {
    if (i == 4 || i == 6 || i == 8 || i == 10) out[k++] = '-';
    out[k++] = hex[r[i] >> 4];
    out[k++] = hex[r[i] & 15];
  }
  out[k] = 0;
}

static int open_part(fs_sink *s, sl_err *err) {
  free(s->tmp_path);
  size_t n = strlen(s->dir) + 128;
  s->tmp_path = sl_malloc(n);
  snprintf(s->tmp_path, n, "%s/.part-%s-0-%d.inprogress", s->dir, s->uuid, s->part);
  s->fd = open(s->tmp_path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
  if (s->fd < 0) return sl_err_set(err, SL_EIO, SL_ERR_NOLOC, "cannot create '%s': %s", s->tmp_path, strerror(errno));
  s->written = 0;
  return 0;
}

/* Makes the folder's entries (new and renamed files) durable. */
static int sync_dir(const char *dir, sl_err *err) {
  int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return sl_err_set(err, SL_EIO, SL_ERR_NOLOC, "cannot open folder '%s': %s", dir, strerror(errno));
  int rc = 0;
  if (fsync(fd) != 0) rc = sl_err_set(err, SL_EIO, SL_ERR_NOLOC, "cannot sync folder '%s': %s", dir, strerror(errno));
  close(fd);
  return rc;
}

/* Makes the current part durable, then publishes it under its final name, or in two-phase mode
 * adds it to the pending parts (which then own its in-progress path). */
static int close_part(fs_sink *s, sl_err *err) {
  if (s->fd < 0) return 0;
  int rc = 0;
  if (fsync(s->fd) != 0) rc = sl_err_set(err, SL_EIO, SL_ERR_NOLOC, "cannot sync '%s': %s", s->tmp_path, strerror(errno));
  close(s->fd);
  s->fd = -1;
  if (rc) return rc;
  size_t n = strlen(s->dir) + 128;
  char *final = sl_malloc(n);
  snprintf(final, n, "%s/part-%s-0-%d", s->dir, s->uuid, s->part);
  s->part++;
  if (s->two_phase) {
    if (s->npending == s->pending_cap) {
      s->pending_cap = s->pending_cap ? s->pending_cap * 2 : 4;
      s->pending = sl_realloc(s->pending, sizeof(fs_pending) * (size_t)s->pending_cap);
    }
    s->pending[s->npending++] = (fs_pending){.tmp_path = s->tmp_path, .final_path = final};
    s->tmp_path = NULL;
    return 0;
  }
  if (rename(s->tmp_path, final) != 0)
    rc = sl_err_set(err, SL_EIO, SL_ERR_NOLOC, "cannot publish '%s': %s", final, strerror(errno));
  free(final);
  return rc;
}

static int write_all(fs_sink *s, const char *p, size_t n, sl_err *err) {
  while (n) {
    ssize_t w = write(s->fd, p, n);
    if (w < 0 && errno == EINTR) continue;
    if (w < 0) return sl_err_set(err, SL_EIO, SL_ERR_NOLOC, "cannot write '%s': %s", s->tmp_path, strerror(errno));
    p += w;
    n -= (size_t)w;
  }
  return 0;
}

static int fs_write(sl_sink *sink, const sl_batch *b, sl_err *err) {
  fs_sink *s = (fs_sink *)sink;
  int n = sl_batch_live(b);
  if (n == 0) return 0;
  sl_buf_reset(&s->buf);
  for (int i = 0; i < n; i++) sl_fmt_enc_row(s->enc, b, sl_batch_row(b, i), &s->buf);
  int rc;
  if (s->fd < 0 && (rc = open_part(s, err))) return rc;
  if ((rc = write_all(s, s->buf.data, s->buf.len, err))) return rc;
  s->written += (int64_t)s->buf.len;
  if (s->written >= s->roll_size) return close_part(s, err);
  return 0;
}

static int fs_finish(sl_sink *sink, sl_err *err) { return close_part((fs_sink *)sink, err); }

static void fs_describe(sl_sink *sink, sl_buf *out) { sl_buf_printf(out, "filesystem path=%s", ((fs_sink *)sink)->dir); }

static void fs_free(sl_sink *sink) {
  fs_sink *s = (fs_sink *)sink;
  if (s->fd >= 0) {
    /* An unfinished part stays hidden; remove it so that a failed job leaves no litter. */
    close(s->fd);
    unlink(s->tmp_path);
  }
  for (int i = 0; i < s->npending; i++) {
    /* Never handed to a checkpoint, so nothing can ever publish it. */
    unlink(s->pending[i].tmp_path);
    free(s->pending[i].tmp_path);
    free(s->pending[i].final_path);
  }
  free(s->pending);
  free(s->tmp_path);
  free(s->dir);
  sl_fmt_enc_free(s->enc);
  sl_buf_destroy(&s->buf);
  free(s);
}

/* ------------------------------------------------------------------ two-phase commit */

/* Closes the open part and appends every pending part to out (see the file comment); the parts
 * then belong to the checkpoint, not to the sink. */
static int fs_prepare_commit(sl_sink *sink, int64_t checkpoint_id, sl_buf *out, sl_err *err) {
  (void)checkpoint_id;
  fs_sink *s = (fs_sink *)sink;
  int rc = close_part(s, err);
  if (rc) return rc;
  if (s->npending == 0) return 0;
  /* The in-progress files' folder entries must survive a crash as well as their bytes. */
  if ((rc = sync_dir(s->dir, err))) return rc;
  for (int i = 0; i < s->npending; i++) {
    sl_buf_addc(out, 'P');
    sl_buf_add(out, s->pending[i].tmp_path, strlen(s->pending[i].tmp_path) + 1);
    sl_buf_add(out, s->pending[i].final_path, strlen(s->pending[i].final_path) + 1);
    free(s->pending[i].tmp_path);
    free(s->pending[i].final_path);
  }
  s->npending = 0;
  return 0;
}

/* Reads the NUL-terminated string at *p (before end) into *str; false when there is none. */
static bool next_str(const char **p, const char *end, const char **str) {
  const char *z = memchr(*p, 0, (size_t)(end - *p));
  if (!z || z == *p) return false;
  *str = *p;
  *p = z + 1;
  return true;
}

/* Reads the commit-data entry at *p (before end); false when it is malformed. */
static bool next_part(const char **p, const char *end, const char **tmp, const char **final) {
  if (**p != 'P') return false;
  ++*p;
  return next_str(p, end, tmp) && next_str(p, end, final);
}

/* The folder of path, malloc'd: "." for a bare name, "/" for a file at the root. */
static char *dir_of(const char *path) {
  const char *slash = strrchr(path, '/');
  if (!slash) return sl_strdup(".");
  size_t n = slash == path ? 1 : (size_t)(slash - path);
  char *d = sl_malloc(n + 1);
  memcpy(d, path, n);
  d[n] = 0;
  return d;
}

/* Publishes every part of data. Validates the whole data first; a part already published (final
 * name there, in-progress gone) is fine, a part with neither file is lost output and an error. */
static int fs_commit(sl_sink *sink, const void *data, size_t len, sl_err *err) {
  (void)sink;
  const char *p = data, *end = p + len;
  const char *tmp = NULL, *final = NULL;
  while (p < end) {
    size_t at = (size_t)(p - (const char *)data);
    if (!next_part(&p, end, &tmp, &final))
      return sl_err_set(err, SL_ECHECKPOINT, SL_ERR_NOLOC,
                        "cannot commit filesystem sink output: malformed commit data at byte %zu of %zu", at, len);
  }
  char *synced = NULL; /* the folder synced last, to sync each folder once per run of parts */
  int rc = 0;
  for (p = data; p < end && !rc && next_part(&p, end, &tmp, &final);) {
    if (rename(tmp, final) != 0) {
      int e = errno;
      struct stat st;
      if (e != ENOENT)
        rc = sl_err_set(err, SL_EIO, SL_ERR_NOLOC, "cannot publish '%s': %s", final, strerror(e));
      else if (stat(final, &st) != 0)
        rc = sl_err_set(err, SL_ECHECKPOINT, SL_ERR_NOLOC,
                        "cannot commit part file '%s': neither it nor its in-progress file '%s' exists, so its output is lost",
                        final, tmp);
      continue; /* already published by an earlier commit */
    }
    char *dir = dir_of(final);
    if (synced && !strcmp(synced, dir)) {
      free(dir);
      continue;
    }
    free(synced);
    synced = dir;
    rc = sync_dir(synced, err);
  }
  free(synced);
  return rc;
}

/* Deletes the hidden in-progress part files in the folder: after the restored checkpoint's data
 * was committed, no completed checkpoint refers to them any more. */
static int fs_recover(sl_sink *sink, sl_err *err) {
  fs_sink *s = (fs_sink *)sink;
  DIR *d = opendir(s->dir);
  if (!d) return sl_err_set(err, SL_EIO, SL_ERR_NOLOC, "cannot open folder '%s': %s", s->dir, strerror(errno));
  int rc = 0;
  struct dirent *de;
  while (!rc && (de = readdir(d)) != NULL) {
    const char *name = de->d_name;
    size_t n = strlen(name), sl = strlen(".inprogress");
    if (strncmp(name, ".part-", 6) != 0 || n <= 6 + sl || strcmp(name + n - sl, ".inprogress") != 0) continue;
    size_t pl = strlen(s->dir) + n + 2;
    char *path = sl_malloc(pl);
    snprintf(path, pl, "%s/%s", s->dir, name);
    bool mine = s->fd >= 0 && !strcmp(path, s->tmp_path);
    for (int i = 0; i < s->npending && !mine; i++) mine = !strcmp(path, s->pending[i].tmp_path);
    if (!mine && unlink(path) != 0 && errno != ENOENT)
      rc = sl_err_set(err, SL_EIO, SL_ERR_NOLOC, "cannot delete leftover part file '%s': %s", path, strerror(errno));
    free(path);
  }
  closedir(d);
  return rc;
}

static const sl_sink_vtable fs_sink_vt = {.write = fs_write,
                                          .finish = fs_finish,
                                          .describe = fs_describe,
                                          .free = fs_free,
                                          .prepare_commit = fs_prepare_commit,
                                          .commit = fs_commit,
                                          .recover = fs_recover};

int sl_fs_sink_new(sl_conn_table *t, int64_t loc, sl_sink **out, sl_err *err) {
  int rc = sl_conn_meta_none(t, err);
  if (rc) return rc;
  const char *path = sl_options_get(t->opts, "path");
  if (!path) return sl_err_set(err, SL_ECONFIG, loc, "missing option 'path' for connector 'filesystem'");
  const char *format = sl_options_get(t->opts, "format");
  if (!format) return sl_err_set(err, SL_ECONFIG, loc, "missing option 'format' for connector 'filesystem'");
  if (!strncmp(path, "file://", 7)) path += 7;
  int64_t roll;
  rc = sl_options_size(t->opts, "sink.rolling-policy.file-size", 128LL << 20, &roll, err);
  if (rc) return rc;
  if (roll <= 0)
    return sl_err_set(err, SL_ECONFIG, sl_options_find(t->opts, "sink.rolling-policy.file-size")->value_loc,
                      "option 'sink.rolling-policy.file-size' must be more than 0 bytes");
  fs_sink *s = sl_calloc(1, sizeof *s);
  s->base.vt = &fs_sink_vt;
  s->two_phase = t->two_phase;
  s->fd = -1;
  s->roll_size = roll;
  s->dir = sl_strdup(path);
  size_t dl = strlen(s->dir);
  while (dl > 1 && s->dir[dl - 1] == '/') s->dir[--dl] = 0;
  make_uuid(s->uuid);
  sl_buf_init(&s->buf);
  rc = sl_fmt_enc_new(format, t->ncols, t->names, t->types, t->opts, &s->enc, err);
  if (!rc && sl_mkdirs(s->dir) != 0)
    rc = sl_err_set(err, SL_EIO, loc, "cannot create folder '%s': %s", s->dir, strerror(errno));
  if (rc) {
    fs_free(&s->base);
    return rc;
  }
  *out = &s->base;
  return 0;
}
