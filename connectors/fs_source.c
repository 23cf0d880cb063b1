/* fs_source.c - the 'filesystem' source: a file, or every file of a folder in name order, read
 * line by line and decoded by the table's format. Bounded and replayable: its position is the
 * file being read and the byte offset of the next record in it. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "conn.h"
#include "fmt.h"
#include "metadata.h"

#define CHUNK (1 << 20)

typedef struct fs_source {
  sl_source base;
  const char *path;      /* as written in the options */
  char **files;          /* full paths, in order */
  char **shown;          /* names used in messages: path, or path/relative-name */
  int nfiles, cur;
  int fd;
  char *buf;             /* read buffer: [pos, len) not yet consumed */
  size_t cap, pos, len;
  int64_t off;           /* byte offset in the current file of buf[0] */
  bool eof;              /* current file fully read into buf */
  int64_t line;          /* lines consumed from the current file */
  sl_fmt_dec *dec;
  uint32_t *row_line;    /* per batch row: its line number */
  int *row_file;
  int row_cap;
  int64_t skipped;
  int nmeta;             /* METADATA columns, after the decoded ones: each one's FS_META_* */
  int *meta;
  sl_batch *meta_batch;  /* the batch and file meta_val was copied for (once per file and batch) */
  int meta_file;
  sl_str meta_val[2];
} fs_source;

/* Flink's filesystem metadata this source reads: the path of the file a row came from (as
 * messages show it) and its base name. */
enum { FS_META_PATH, FS_META_NAME };
static const sl_meta_key fs_meta_keys[] = {
    [FS_META_PATH] = {"file.path", SL_TYPE_VARCHAR, "STRING NOT NULL"},
    [FS_META_NAME] = {"file.name", SL_TYPE_VARCHAR, "STRING NOT NULL"},
};

static int cmp_str(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

/* Collects regular, non-hidden files under dir (recursively), as paths relative to root. */
static int list_files(const char *root, const char *rel, char ***files, int *n, int *cap, sl_err *err, int64_t loc) {
  char dir[4096];
  snprintf(dir, sizeof dir, "%s%s%s", root, rel[0] ? "/" : "", rel);
  DIR *d = opendir(dir);
  if (!d) return sl_err_set(err, SL_EIO, loc, "cannot open folder '%s': %s", dir, strerror(errno));
  struct dirent *de;
  int rc = 0;
  while ((de = readdir(d)) != NULL) {
    if (de->d_name[0] == '.' || de->d_name[0] == '_') continue;
    char relp[4096], full[8192];
    snprintf(relp, sizeof relp, "%s%s%s", rel, rel[0] ? "/" : "", de->d_name);
    snprintf(full, sizeof full, "%s/%s", root, relp);
    struct stat st;
    if (stat(full, &st) != 0) continue;
    if (S_ISDIR(st.st_mode)) {
      if ((rc = list_files(root, relp, files, n, cap, err, loc))) break;
    } else if (S_ISREG(st.st_mode)) {
      if (*n == *cap) {
        *cap = *cap ? *cap * 2 : 16;
        *files = sl_realloc(*files, sizeof(char *) * (size_t)*cap);
      }
      (*files)[(*n)++] = sl_strdup(relp);
    }
  }
  closedir(d);
  return rc;
}

/* Moves to the next file. Past the last one, off + pos and line keep naming the end of the last
 * file, which is the position reported after everything was read. */
static int open_next(fs_source *s, sl_err *err) {
  if (s->fd >= 0) close(s->fd);
  s->fd = -1;
  s->eof = true;
  if (s->cur + 1 >= s->nfiles) {
    s->cur = s->nfiles;
    return 1;
  }
  s->cur++;
  s->pos = s->len = 0;
  s->off = 0;
  s->eof = false;
  s->line = 0;
  s->fd = open(s->files[s->cur], O_RDONLY | O_CLOEXEC);
  if (s->fd < 0) return sl_err_set(err, SL_EIO, SL_ERR_NOLOC, "cannot open '%s': %s", s->shown[s->cur], strerror(errno));
  return 0;
}

/* Makes sure buf holds a full line at pos (or the file's last bytes). */
static int fill(fs_source *s, sl_err *err) {
  if (s->pos > 0) {
    memmove(s->buf, s->buf + s->pos, s->len - s->pos);
    s->len -= s->pos;
    s->off += (int64_t)s->pos;
    s->pos = 0;
  }
  if (s->cap - s->len < CHUNK / 2) {
    s->cap *= 2;
    s->buf = sl_realloc(s->buf, s->cap);
  }
  ssize_t r;
  do r = read(s->fd, s->buf + s->len, s->cap - s->len);
  while (r < 0 && errno == EINTR);
  if (r < 0) return sl_err_set(err, SL_EIO, SL_ERR_NOLOC, "cannot read '%s': %s", s->shown[s->cur], strerror(errno));
  if (r == 0) s->eof = true;
  s->len += (size_t)r;
  return 0;
}

/* Sets the metadata columns of row (the last nmeta of b) from the file being read. The values are
 * copied into b's arena when the batch or the file changes; a batch starting again at row 0 was
 * reset, which released its arena. */
static void fill_meta(fs_source *s, sl_batch *b, uint32_t row) {
  if (row == 0 || s->meta_batch != b || s->meta_file != s->cur) {
    const char *path = s->shown[s->cur], *slash = strrchr(path, '/');
    const char *name = slash ? slash + 1 : path;
    s->meta_val[FS_META_PATH] = sl_batch_str(b, path, (uint32_t)strlen(path));
    s->meta_val[FS_META_NAME] = sl_batch_str(b, name, (uint32_t)strlen(name));
    s->meta_batch = b;
    s->meta_file = s->cur;
  }
  for (int i = 0; i < s->nmeta; i++) {
    sl_col *c = &b->cols[b->ncols - s->nmeta + i];
    c->str[row] = s->meta_val[s->meta[i]];
    if (c->nulls) c->nulls[row] = 0;
  }
}

static int fs_read(sl_source *src, sl_batch *b, sl_err *err) {
  fs_source *s = (fs_source *)src;
  if (s->row_cap < b->cap) {
    s->row_cap = b->cap;
    s->row_line = sl_realloc(s->row_line, sizeof(uint32_t) * (size_t)b->cap);
    s->row_file = sl_realloc(s->row_file, sizeof(int) * (size_t)b->cap);
  }
  while (b->nrows < b->cap) {
    if (s->cur >= s->nfiles) return b->nrows ? 0 : 1;
    char *nl = memchr(s->buf + s->pos, '\n', s->len - s->pos);
    if (!nl) {
      if (!s->eof) {
        int rc = fill(s, err);
        if (rc) return rc;
        continue;
      }
      if (s->pos == s->len) {
        /* The file is done; an empty batch so far means read the next one. */
        int rc = open_next(s, err);
        if (rc < 0) return rc;
        if (rc == 1) return b->nrows ? 0 : 1;
        continue;
      }
      nl = s->buf + s->len; /* last line without a newline */
    }
    char *rec = s->buf + s->pos;
    size_t n = (size_t)(nl - rec);
    s->pos = (size_t)(nl - s->buf) + (nl < s->buf + s->len ? 1 : 0);
    s->line++;
    if (n && rec[n - 1] == '\r') n--;
    if (n == 0) continue;
    uint32_t row = (uint32_t)b->nrows;
    int rc = sl_fmt_dec_record(s->dec, rec, n, b, row, err);
    if (rc < 0) {
      char msg[sizeof err->msg + 600];
      snprintf(msg, sizeof msg, "%s:%lld: %s", s->shown[s->cur], (long long)s->line, err->msg);
      snprintf(err->msg, sizeof err->msg, "%.*s", (int)sizeof err->msg - 1, msg);
      err->loc = SL_ERR_NOLOC;
      return rc;
    }
    if (rc == 1) {
      s->skipped++;
      continue;
    }
    if (s->nmeta) fill_meta(s, b, row);
    s->row_line[row] = (uint32_t)s->line;
    s->row_file[row] = s->cur;
    b->nrows++;
  }
  return 0;
}

static void fs_where(sl_source *src, uint32_t row, sl_buf *out) {
  fs_source *s = (fs_source *)src;
  sl_buf_printf(out, "%s:%u", s->shown[s->row_file[row]], s->row_line[row]);
}

static int64_t fs_skipped(sl_source *src) { return ((fs_source *)src)->skipped; }

static void fs_describe(sl_source *src, sl_buf *out) {
  fs_source *s = (fs_source *)src;
  sl_buf_printf(out, "filesystem path=%s (%d file%s)", s->path, s->nfiles, s->nfiles == 1 ? "" : "s");
}

static void fs_free(sl_source *src) {
  fs_source *s = (fs_source *)src;
  if (s->fd >= 0) close(s->fd);
  for (int i = 0; i < s->nfiles; i++) {
    free(s->files[i]);
    free(s->shown[i]);
  }
  free(s->files);
  free(s->shown);
  free(s->buf);
  free(s->row_line);
  free(s->row_file);
  free(s->meta);
  sl_fmt_dec_free(s->dec);
  free(s);
}

/* ------------------------------------------------------------------ checkpoints */

/* One split: the file being read, the offset of the next record not yet returned and the lines
 * consumed before it. Past the end it names the end of the last file; no files, no split. */
static int fs_position(sl_source *src, sl_source_pos *out, sl_err *err) {
  (void)err;
  fs_source *s = (fs_source *)src;
  out->skipped = s->skipped;
  if (s->nfiles == 0) return 0;
  int f = s->cur < s->nfiles ? s->cur : s->nfiles - 1;
  sl_source_pos_add(out, s->files[f], s->off + (int64_t)s->pos, s->line, NULL);
  return 0;
}

/* Reopens the checkpointed file at its offset; the files before it count as done. Validates
 * everything before changing the source, so a failed seek leaves it as it was. */
static int fs_seek(sl_source *src, const sl_source_pos *p, sl_err *err) {
  fs_source *s = (fs_source *)src;
  if (p->n > 1)
    return sl_err_set(err, SL_ECHECKPOINT, SL_ERR_NOLOC,
                      "cannot restore source position: the filesystem source of '%s' has one split, not %d", s->path, p->n);
  if (p->n == 0) {
    /* The checkpoint saw no files, so every file there is now is new: start at the first. */
    s->cur = -1;
    int rc = open_next(s, err);
    if (rc < 0) return rc;
    s->skipped = p->skipped;
    return 0;
  }
  const sl_split_pos *sp = &p->splits[0];
  int f = 0;
  while (f < s->nfiles && strcmp(s->files[f], sp->split) != 0) f++;
  if (f == s->nfiles)
    return sl_err_set(err, SL_ECHECKPOINT, SL_ERR_NOLOC, "cannot restore source position: file '%s' is no longer in '%s'",
                      sp->split, s->path);
  if (sp->offset < 0 || sp->record < 0)
    return sl_err_set(err, SL_ECHECKPOINT, SL_ERR_NOLOC,
                      "cannot restore source position: invalid offset %lld (line %lld) for file '%s'",
                      (long long)sp->offset, (long long)sp->record, s->shown[f]);
  int fd = open(s->files[f], O_RDONLY | O_CLOEXEC);
  if (fd < 0) return sl_err_set(err, SL_EIO, SL_ERR_NOLOC, "cannot open '%s': %s", s->shown[f], strerror(errno));
  struct stat st;
  int rc = 0;
  if (fstat(fd, &st) != 0) rc = sl_err_set(err, SL_EIO, SL_ERR_NOLOC, "cannot stat '%s': %s", s->shown[f], strerror(errno));
  else if ((int64_t)st.st_size < sp->offset)
    rc = sl_err_set(err, SL_ECHECKPOINT, SL_ERR_NOLOC,
                    "cannot restore source position: file '%s' is shorter than its checkpointed offset %lld; was it rewritten?",
                    s->shown[f], (long long)sp->offset);
  else if (lseek(fd, (off_t)sp->offset, SEEK_SET) < 0)
    rc = sl_err_set(err, SL_EIO, SL_ERR_NOLOC, "cannot seek in '%s': %s", s->shown[f], strerror(errno));
  if (rc) {
    close(fd);
    return rc;
  }
  if (s->fd >= 0) close(s->fd);
  s->fd = fd;
  s->cur = f;
  s->off = sp->offset;
  s->pos = s->len = 0;
  s->eof = false;
  s->line = sp->record;
  s->skipped = p->skipped;
  return 0;
}

static const sl_source_vtable fs_source_vt = {.read = fs_read,
                                              .where = fs_where,
                                              .skipped = fs_skipped,
                                              .describe = fs_describe,
                                              .free = fs_free,
                                              .position = fs_position,
                                              .seek = fs_seek};

int sl_fs_source_new(sl_conn_table *t, int64_t loc, sl_source **out, sl_err *err) {
  sl_option *po = sl_options_find(t->opts, "path");
  const char *path = sl_options_get(t->opts, "path");
  if (!path) return sl_err_set(err, SL_ECONFIG, loc, "missing option 'path' for connector 'filesystem'");
  const char *format = sl_options_get(t->opts, "format");
  if (!format) return sl_err_set(err, SL_ECONFIG, loc, "missing option 'format' for connector 'filesystem'");
  int *meta = sl_calloc((size_t)(t->nmeta ? t->nmeta : 1), sizeof(int));
  int rc = sl_conn_meta_resolve(t, fs_meta_keys, (int)(sizeof fs_meta_keys / sizeof fs_meta_keys[0]), meta, err);
  if (rc) {
    free(meta);
    return rc;
  }
  if (!strncmp(path, "file://", 7)) path += 7;
  struct stat st;
  if (stat(path, &st) != 0) {
    free(meta);
    return sl_err_set(err, SL_EIO, po ? po->value_loc : loc, "cannot read path '%s' of table '%s': %s", path, t->name,
                      strerror(errno));
  }
  fs_source *s = sl_calloc(1, sizeof *s);
  s->base.vt = &fs_source_vt;
  s->path = path;
  s->fd = -1;
  s->cur = -1;
  s->nmeta = t->nmeta;
  s->meta = meta;
  if (S_ISDIR(st.st_mode)) {
    int cap = 0;
    char **rel = NULL;
    rc = list_files(path, "", &rel, &s->nfiles, &cap, err, po ? po->value_loc : loc);
    if (s->nfiles) qsort(rel, (size_t)s->nfiles, sizeof(char *), cmp_str);
    s->files = sl_calloc((size_t)(s->nfiles + 1), sizeof(char *));
    s->shown = sl_calloc((size_t)(s->nfiles + 1), sizeof(char *));
    size_t pl = strlen(path);
    bool slash = pl && path[pl - 1] == '/';
    for (int i = 0; i < s->nfiles; i++) {
      size_t n = pl + strlen(rel[i]) + 2;
      s->files[i] = sl_malloc(n);
      snprintf(s->files[i], n, "%s%s%s", path, slash ? "" : "/", rel[i]);
      s->shown[i] = sl_strdup(s->files[i]);
      free(rel[i]);
    }
    free(rel);
  } else {
    s->nfiles = 1;
    s->files = sl_calloc(1, sizeof(char *));
    s->shown = sl_calloc(1, sizeof(char *));
    s->files[0] = sl_strdup(path);
    s->shown[0] = sl_strdup(path);
  }
  if (!rc) rc = sl_fmt_dec_new(format, t->ncols - t->nmeta, t->names, t->types, t->opts, &s->dec, err);
  if (rc) {
    fs_free(&s->base);
    return rc;
  }
  s->cap = CHUNK;
  s->buf = sl_malloc(s->cap);
  rc = open_next(s, err);
  if (rc < 0) {
    fs_free(&s->base);
    return rc;
  }
  *out = &s->base;
  return 0;
}
