/* fs_sink.c - the 'filesystem' sink: rows encoded by the table's format into part files in a
 * folder. A part file is written under a hidden in-progress name and renamed to its final name
 * only when complete (rolled by size, or at the end of input), as Flink's FileSink does. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <sys/stat.h>
#include <unistd.h>

#include "conn.h"
#include "fmt.h"

typedef struct fs_sink {
  sl_sink base;
  char *dir;
  char uuid[40];
  int part;              /* counter of the current part file */
  int fd;                /* -1 when no part file is open */
  char *tmp_path;        /* current in-progress file */
  int64_t written;       /* bytes in the current part */
  int64_t roll_size;
  sl_fmt_enc *enc;
  sl_buf buf;
} fs_sink;

static void make_uuid(char *out) {
  unsigned char r[16];
  int fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC);
  ssize_t got = fd >= 0 ? read(fd, r, sizeof r) : -1;
  if (fd >= 0) close(fd);
  if (got != (ssize_t)sizeof r) {
    /* Fall back to time and pid: unique enough for part names of one process. */
    uint64_t x = (uint64_t)time(NULL) ^ ((uint64_t)getpid() << 32);
    for (int i = 0; i < 16; i++) {
      x = x * 6364136223846793005ULL + 1442695040888963407ULL;
      r[i] = (unsigned char)(x >> 56);
    }
  }
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

static int mkdirs(const char *path) {
  char tmp[4096];
  snprintf(tmp, sizeof tmp, "%s", path);
  for (char *p = tmp + 1; *p; p++) {
    if (*p != '/') continue;
    *p = 0;
    if (mkdir(tmp, 0777) != 0 && errno != EEXIST) return -1;
    *p = '/';
  }
  if (mkdir(tmp, 0777) != 0 && errno != EEXIST) return -1;
  return 0;
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

/* Makes the current part durable and publishes it under its final name. */
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
  if (rename(s->tmp_path, final) != 0)
    rc = sl_err_set(err, SL_EIO, SL_ERR_NOLOC, "cannot publish '%s': %s", final, strerror(errno));
  free(final);
  s->part++;
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
  free(s->tmp_path);
  free(s->dir);
  sl_fmt_enc_free(s->enc);
  sl_buf_destroy(&s->buf);
  free(s);
}

static const sl_sink_vtable fs_sink_vt = {.write = fs_write, .finish = fs_finish, .describe = fs_describe, .free = fs_free};

/* Parses a memory size such as '128MB', '1 kb', '4096' (bytes). */
static int parse_size(const char *v, int64_t *out) {
  char *end;
  long long n = strtoll(v, &end, 10);
  if (end == v || n < 0) return -1;
  while (*end == ' ') end++;
  int64_t mul = 1;
  if (!*end || !strcasecmp(end, "b") || !strcasecmp(end, "bytes")) mul = 1;
  else if (!strcasecmp(end, "k") || !strcasecmp(end, "kb")) mul = 1024;
  else if (!strcasecmp(end, "m") || !strcasecmp(end, "mb")) mul = 1024 * 1024;
  else if (!strcasecmp(end, "g") || !strcasecmp(end, "gb")) mul = 1024LL * 1024 * 1024;
  else return -1;
  *out = n * mul;
  return 0;
}

int sl_fs_sink_new(sl_conn_table *t, int64_t loc, sl_sink **out, sl_err *err) {
  const char *path = sl_options_get(t->opts, "path");
  if (!path) return sl_err_set(err, SL_ECONFIG, loc, "missing option 'path' for connector 'filesystem'");
  const char *format = sl_options_get(t->opts, "format");
  if (!format) return sl_err_set(err, SL_ECONFIG, loc, "missing option 'format' for connector 'filesystem'");
  if (!strncmp(path, "file://", 7)) path += 7;
  int64_t roll = 128LL * 1024 * 1024;
  sl_option *ro = sl_options_find(t->opts, "sink.rolling-policy.file-size");
  if (ro) {
    ro->used = true;
    if (parse_size(ro->value, &roll) || roll <= 0)
      return sl_err_set(err, SL_ECONFIG, ro->value_loc, "option 'sink.rolling-policy.file-size' must be a size such as '128MB', not '%s'",
                        ro->value);
  }
  fs_sink *s = sl_calloc(1, sizeof *s);
  s->base.vt = &fs_sink_vt;
  s->fd = -1;
  s->roll_size = roll;
  s->dir = sl_strdup(path);
  size_t dl = strlen(s->dir);
  while (dl > 1 && s->dir[dl - 1] == '/') s->dir[--dl] = 0;
  make_uuid(s->uuid);
  sl_buf_init(&s->buf);
  int rc = sl_fmt_enc_new(format, t->ncols, t->names, t->types, t->opts, &s->enc, err);
  if (!rc && mkdirs(s->dir) != 0)
    rc = sl_err_set(err, SL_EIO, loc, "cannot create folder '%s': %s", s->dir, strerror(errno));
  if (rc) {
    fs_free(&s->base);
    return rc;
  }
  *out = &s->base;
  return 0;
}
