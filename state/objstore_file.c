/* objstore_file.c - the file:// object store: each object is a file under a root folder, written
 * atomically (temp file in the same folder + fsync + rename + fsync of the folder).
 *
 * Temp files are named ".sl-tmp-<pid>-<n>" in the target's folder; list skips them, so a crash
 * mid-put leaves an invisible leftover, never a torn object. Folders are created on demand and
 * removed again when a delete leaves them empty (up to, not including, the root). Multipart
 * uploads keep their parts in a hidden folder until completed (see the banner below). */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../engine/arena.h"
#include "../engine/sysutil.h"
#include "objstore_impl.h"

#define TMP_PREFIX ".sl-tmp-"

typedef struct file_store {
  char *root; /* no trailing '/' unless it is "/" */
} file_store;

static file_store *fst(sl_objstore *s) { return s->impl; }

/* root + "/" + rel, malloc'd. */
static char *join(const char *root, const char *rel) {
  size_t rn = strlen(root), kn = strlen(rel);
  int slash = !(rn > 0 && root[rn - 1] == '/');
  char *p = sl_malloc(rn + slash + kn + 1);
  memcpy(p, root, rn);
  if (slash) p[rn] = '/';
  memcpy(p + rn + slash, rel, kn + 1);
  return p;
}

static int io_err(sl_err *err, const char *what, const char *path, int e) {
  return sl_err_set(err, SL_EIO, SL_ERR_NOLOC, "cannot %s '%s': %s", what, path, strerror(e));
}

static int not_found(sl_objstore *s, const char *key, sl_err *err) {
  return sl_err_set(err, SL_ENOTFOUND, SL_ERR_NOLOC, "object '%s' not found in %s", key, s->uri);
}

/* fsync of a folder makes a rename or create in it durable; some file systems refuse (EINVAL). */
static int fsync_dir(const char *dir, sl_err *err) {
  int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return io_err(err, "open folder", dir, errno);
  int rc = 0;
  if (fsync(fd) != 0 && errno != EINVAL && errno != EROFS) rc = io_err(err, "fsync folder", dir, errno);
  close(fd);
  return rc;
}

/* mkdir -p dir (dir is modified temporarily); each folder created is made durable in its parent. */
static int make_dirs(char *dir, sl_err *err) {
  if (mkdir(dir, 0777) == 0) goto created;
  if (errno == EEXIST) return 0;
  if (errno != ENOENT) return io_err(err, "create folder", dir, errno);
  char *slash = strrchr(dir, '/');
  if (slash == NULL || slash == dir) return io_err(err, "create folder", dir, ENOENT);
  *slash = 0;
  int rc = make_dirs(dir, err);
  *slash = '/';
  if (rc != 0) return rc;
  if (mkdir(dir, 0777) != 0 && errno != EEXIST) return io_err(err, "create folder", dir, errno);
created:;
  char *slash2 = strrchr(dir, '/');
  if (slash2 == NULL) return fsync_dir(".", err);
  if (slash2 == dir) return fsync_dir("/", err);
  *slash2 = 0;
  int rc2 = fsync_dir(dir, err);
  *slash2 = '/';
  return rc2;
}

static int write_all(int fd, const void *data, size_t len) {
  const char *p = data;
  while (len > 0) {
    ssize_t n = write(fd, p, len);
    if (n < 0) {
      if (errno == EINTR) continue;
      return -1;
    }
    p += n;
    len -= (size_t)n;
  }
  return 0;
}

/* Copies all of in (from its current offset) to out: copy_file_range where the kernel can,
 * read/write otherwise. Returns 0 or -1 with errno set. */
static int copy_fd(int in, int out) {
  int fallback = 0;
  while (!fallback) {
    ssize_t n = copy_file_range(in, NULL, out, NULL, 1 << 30, 0);
    if (n == 0) return 0;
    if (n > 0) continue;
    if (errno == EINTR) continue;
    if (errno == EXDEV || errno == ENOSYS || errno == EOPNOTSUPP || errno == EINVAL || errno == EPERM)
      fallback = 1;
    else
      return -1;
  }
  char buf[65536];
  for (;;) {
    ssize_t n = read(in, buf, sizeof buf);
    if (n == 0) return 0;
    if (n < 0) {
      if (errno == EINTR) continue;
      return -1;
    }
    if (write_all(out, buf, (size_t)n) != 0) return -1;
  }
}

/* Creates a fresh temp file in dir (creating dir if needed); *tmp gets its malloc'd path. */
static int open_temp(char *dir, char **tmp, int *fd, sl_err *err) {
  static atomic_uint counter;
  for (int attempt = 0; attempt < 100; attempt++) {
    char name[64];
    snprintf(name, sizeof name, TMP_PREFIX "%ld-%u", (long)getpid(), atomic_fetch_add(&counter, 1));
    char *p = join(dir, name);
    *fd = open(p, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
    if (*fd >= 0) {
      *tmp = p;
      return 0;
    }
    int e = errno;
    free(p);
    if (e == ENOENT) {
      int rc = make_dirs(dir, err); /* again on a later turn if a delete removed it meanwhile */
      if (rc != 0) return rc;
    } else if (e != EEXIST) {
      return io_err(err, "create a temp file in", dir, e);
    }
  }
  return io_err(err, "create a temp file in", dir, EEXIST);
}

/* The shared tail of put and put_file: fsync + close the temp file, rename it over the target,
 * fsync the folder. Always consumes fd and tmp. */
static int commit_temp(int fd, char *tmp, const char *path, char *dir, sl_err *err) {
  int rc = 0;
  if (fsync(fd) != 0) rc = io_err(err, "fsync", tmp, errno);
  if (close(fd) != 0 && rc == 0) rc = io_err(err, "close", tmp, errno);
  if (rc == 0 && rename(tmp, path) != 0) rc = io_err(err, "rename a temp file to", path, errno);
  if (rc != 0) unlink(tmp);
  free(tmp);
  return rc != 0 ? rc : fsync_dir(dir, err);
}

/* Writes an object through a temp file; src_fd >= 0 copies from it, else writes data. */
static int put_common(sl_objstore *s, const char *key, const void *data, size_t len, int src_fd, sl_err *err) {
  char *path = join(fst(s)->root, key);
  char *dir = sl_strdup(path);
  *strrchr(dir, '/') = 0; /* path always has a '/' after the root */
  char *tmp = NULL;
  int fd = -1;
  int rc = open_temp(dir, &tmp, &fd, err);
  if (rc == 0) {
    int bad = src_fd >= 0 ? copy_fd(src_fd, fd) : write_all(fd, data, len);
    if (bad != 0) {
      rc = io_err(err, "write", tmp, errno);
      close(fd);
      unlink(tmp);
      free(tmp);
    } else {
      rc = commit_temp(fd, tmp, path, dir, err);
    }
  }
  free(dir);
  free(path);
  return rc;
}

static int file_put(sl_objstore *s, const char *key, const void *data, size_t len, sl_err *err) {
  return put_common(s, key, data, len, -1, err);
}

static int file_put_file(sl_objstore *s, const char *key, const char *local_path, sl_err *err) {
  int src = open(local_path, O_RDONLY | O_CLOEXEC);
  if (src < 0) return io_err(err, "open", local_path, errno);
  int rc = put_common(s, key, NULL, 0, src, err);
  close(src);
  return rc;
}

/* Opens the object for reading: SL_ENOTFOUND when it is missing or not a regular file. */
static int open_object(sl_objstore *s, const char *key, int *fd, struct stat *st, sl_err *err) {
  char *path = join(fst(s)->root, key);
  int rc = 0;
  *fd = open(path, O_RDONLY | O_CLOEXEC);
  if (*fd < 0) {
    rc = (errno == ENOENT || errno == ENOTDIR) ? not_found(s, key, err) : io_err(err, "open", path, errno);
  } else if (fstat(*fd, st) != 0) {
    rc = io_err(err, "stat", path, errno);
  } else if (!S_ISREG(st->st_mode)) {
    rc = not_found(s, key, err);
  }
  if (rc != 0 && *fd >= 0) close(*fd);
  free(path);
  return rc;
}

static int file_get(sl_objstore *s, const char *key, sl_buf *out, sl_err *err) {
  int fd;
  struct stat st;
  int rc = open_object(s, key, &fd, &st, err);
  if (rc != 0) return rc;
  sl_buf_reserve(out, (size_t)st.st_size);
  for (;;) {
    char *w = sl_buf_reserve(out, 65536);
    ssize_t n = read(fd, w, out->cap - out->len - 1);
    if (n == 0) break;
    if (n < 0) {
      if (errno == EINTR) continue;
      char *path = join(fst(s)->root, key);
      rc = io_err(err, "read", path, errno);
      free(path);
      break;
    }
    out->len += (size_t)n;
    out->data[out->len] = 0;
  }
  close(fd);
  return rc;
}

static int file_get_file(sl_objstore *s, const char *key, const char *local_path, sl_err *err) {
  int fd;
  struct stat st;
  int rc = open_object(s, key, &fd, &st, err);
  if (rc != 0) return rc;
  int out = open(local_path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
  if (out < 0) {
    rc = io_err(err, "create", local_path, errno);
  } else {
    if (copy_fd(fd, out) != 0) rc = io_err(err, "write", local_path, errno);
    if (close(out) != 0 && rc == 0) rc = io_err(err, "close", local_path, errno);
  }
  close(fd);
  return rc;
}

/* ---------------------------------------------------------------------------------------------
 * Listing: walk the folder the prefix points into, collect matching files, sort by bytes. */

typedef struct entry {
  char *key;
  int64_t size;
} entry;

typedef struct walk {
  const char *prefix;
  entry *v;
  size_t n, cap;
} walk;

/* Recurses into dir (the folder of key prefix rel, "" or ending in '/'). */
static int walk_dir(walk *w, const char *dir, const char *rel, int top, sl_err *err) {
  DIR *d = opendir(dir);
  if (d == NULL) {
    if (top && (errno == ENOENT || errno == ENOTDIR)) return 0; /* nothing stored there yet */
    return io_err(err, "list folder", dir, errno);
  }
  int rc = 0;
  size_t pn = strlen(w->prefix), rn = strlen(rel);
  struct dirent *de;
  while (rc == 0 && (errno = 0, de = readdir(d)) != NULL) {
    const char *name = de->d_name;
    if (strcmp(name, ".") == 0 || strcmp(name, "..") == 0) continue;
    if (strncmp(name, TMP_PREFIX, strlen(TMP_PREFIX)) == 0) continue;
    struct stat st;
    if (fstatat(dirfd(d), name, &st, AT_SYMLINK_NOFOLLOW) != 0) {
      if (errno == ENOENT) continue; /* deleted while we looked */
      rc = io_err(err, "stat in folder", dir, errno);
      break;
    }
    size_t nn = strlen(name);
    char *key = sl_malloc(rn + nn + 2);
    memcpy(key, rel, rn);
    memcpy(key + rn, name, nn + 1);
    if (S_ISDIR(st.st_mode)) {
      key[rn + nn] = '/';
      key[rn + nn + 1] = 0;
      size_t kn = rn + nn + 1;
      /* Only folders that can hold matching keys: key/ starts with prefix or prefix with key/. */
      if (strncmp(key, w->prefix, kn < pn ? kn : pn) == 0) {
        char *sub = join(dir, name);
        rc = walk_dir(w, sub, key, 0, err);
        free(sub);
      }
      free(key);
    } else if (S_ISREG(st.st_mode) && strncmp(key, w->prefix, pn) == 0) {
      if (w->n == w->cap) {
        w->cap = w->cap ? 2 * w->cap : 64;
        w->v = sl_realloc(w->v, w->cap * sizeof *w->v);
      }
      w->v[w->n++] = (entry){key, (int64_t)st.st_size};
    } else {
      free(key);
    }
  }
  if (rc == 0 && errno != 0) rc = io_err(err, "list folder", dir, errno);
  closedir(d);
  return rc;
}

static int entry_cmp(const void *a, const void *b) {
  return strcmp(((const entry *)a)->key, ((const entry *)b)->key);
}

static int file_list(sl_objstore *s, const char *prefix, sl_objstore_list_fn fn, void *arg, sl_err *err) {
  walk w = {.prefix = prefix};
  /* Start in the deepest folder the prefix names: "job/chk-" starts in root/job. */
  const char *slash = strrchr(prefix, '/');
  size_t rn = slash ? (size_t)(slash - prefix) + 1 : 0;
  char *rel = sl_malloc(rn + 1);
  memcpy(rel, prefix, rn);
  rel[rn] = 0;
  char *dir = rn ? join(fst(s)->root, rel) : sl_strdup(fst(s)->root);
  int rc = walk_dir(&w, dir, rel, 1, err);
  free(dir);
  free(rel);
  if (rc == 0) {
    if (w.n > 1) qsort(w.v, w.n, sizeof *w.v, entry_cmp);
    for (size_t i = 0; i < w.n && rc == 0; i++) rc = fn(arg, w.v[i].key, w.v[i].size);
  }
  for (size_t i = 0; i < w.n; i++) free(w.v[i].key);
  free(w.v);
  return rc;
}

/* ---------------------------------------------------------------------------------------------
 * Delete: unlink, then remove folders the delete left empty, up to (not including) the root. */

static int file_del(sl_objstore *s, const char *key, sl_err *err) {
  char *path = join(fst(s)->root, key);
  int rc = 0;
  if (unlink(path) != 0) {
    if (errno != ENOENT && errno != ENOTDIR && errno != EISDIR) rc = io_err(err, "delete", path, errno);
  } else {
    size_t root_n = strlen(path) - strlen(key); /* the folders of key start after this */
    char *slash;
    while ((slash = strrchr(path, '/')) != NULL && (size_t)(slash - path) >= root_n) {
      *slash = 0;
      if (rmdir(path) != 0) break; /* not empty (or already gone): stop */
    }
  }
  free(path);
  return rc;
}


static int file_size(sl_objstore *s, const char *key, int64_t *size, sl_err *err) {
  int fd;
  struct stat st;
  int rc = open_object(s, key, &fd, &st, err);
  if (rc != 0) return rc;
  close(fd);
  *size = (int64_t)st.st_size;
  return 0;
}

/* ---------------------------------------------------------------------------------------------
 * Multipart uploads: each upload is a hidden folder "<root>/.sl-tmp-mpu/<id>/" holding its parts
 * as files "1", "2", ...; completing concatenates them into a temp file beside the target and
 * renames it (so readers see the whole object or nothing), then removes the folder. An ETag is a
 * hash of the part's bytes, so that completing with the wrong list of parts fails. */

#define MPU_DIR TMP_PREFIX "mpu"

/* "<root>/.sl-tmp-mpu/<id>" plus "/<part>" when part > 0, malloc'd. */
static char *mpu_path(sl_objstore *s, const char *upload_id, int part) {
  size_t n = strlen(fst(s)->root) + strlen(upload_id) + 48;
  char *p = sl_malloc(n);
  if (part > 0) snprintf(p, n, "%s/" MPU_DIR "/%s/%d", fst(s)->root, upload_id, part);
  else snprintf(p, n, "%s/" MPU_DIR "/%s", fst(s)->root, upload_id);
  return p;
}


/* Ids this store hands out are 32 hex digits; anything else (say "..") names no upload. */
static bool id_ok(const char *upload_id) {
  size_t n = 0;
  for (; upload_id[n]; n++)
    if (!((upload_id[n] >= '0' && upload_id[n] <= '9') || (upload_id[n] >= 'a' && upload_id[n] <= 'f'))) return false;
  return n == 32;
}

static int no_upload(sl_objstore *s, const char *key, const char *upload_id, sl_err *err) {
  return sl_err_set(err, SL_ENOTFOUND, SL_ERR_NOLOC, "multipart upload '%s' of '%s' not found in %s", upload_id, key,
                    s->uri);
}

static int file_mp_begin(sl_objstore *s, const char *key, char **upload_id, sl_err *err) {
  char id[33];
  sl_random_hex(id, 16);
  char *dir = mpu_path(s, id, 0);
  int rc = make_dirs(dir, err);
  free(dir);
  if (rc == 0) *upload_id = sl_strdup(id);
  return rc;
}

/* FNV-1a over the bytes of a part: its ETag. */
static uint64_t fnv1a(uint64_t h, const unsigned char *p, size_t n) {
  for (size_t i = 0; i < n; i++) h = (h ^ p[i]) * 1099511628211ULL;
  return h;
}

static int file_mp_part(sl_objstore *s, const char *key, const char *upload_id, int part, const char *local_path,
                        int64_t offset, int64_t len, char **etag, sl_err *err) {
  if (!id_ok(upload_id)) return no_upload(s, key, upload_id, err);
  char *dir = mpu_path(s, upload_id, 0);
  struct stat st;
  if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode)) {
    free(dir);
    return no_upload(s, key, upload_id, err);
  }
  int src = open(local_path, O_RDONLY | O_CLOEXEC);
  if (src < 0) {
    free(dir);
    return io_err(err, "open", local_path, errno);
  }
  char *tmp = NULL;
  int fd = -1;
  int rc = open_temp(dir, &tmp, &fd, err);
  uint64_t h = 14695981039346656037ULL;
  char buf[65536];
  for (int64_t done = 0; rc == 0 && done < len;) {
    size_t want = len - done < (int64_t)sizeof buf ? (size_t)(len - done) : sizeof buf;
    ssize_t got = pread(src, buf, want, (off_t)(offset + done));
    if (got < 0 && errno == EINTR) continue;
    if (got <= 0) rc = io_err(err, "read", local_path, got < 0 ? errno : EIO); /* EIO: shorter than len */
    else if (write_all(fd, buf, (size_t)got) != 0) rc = io_err(err, "write", tmp, errno);
    else {
      h = fnv1a(h, (const unsigned char *)buf, (size_t)got);
      done += got;
    }
  }
  close(src);
  if (rc == 0) {
    char *path = mpu_path(s, upload_id, part);
    rc = commit_temp(fd, tmp, path, dir, err); /* consumes fd and tmp */
    free(path);
  } else if (tmp) {
    close(fd);
    unlink(tmp);
    free(tmp);
  }
  free(dir);
  if (rc == 0) {
    char e[40];
    snprintf(e, sizeof e, "\"%016llx\"", (unsigned long long)h);
    *etag = sl_strdup(e);
  }
  return rc;
}

/* Removes an upload's folder and its parts. */
static void mpu_remove(sl_objstore *s, const char *upload_id) {
  char *dir = mpu_path(s, upload_id, 0);
  sl_rm_tree(dir);
  *strrchr(dir, '/') = 0;
  rmdir(dir); /* ".sl-tmp-mpu" itself, when no other upload is open */
  free(dir);
}

static int file_mp_complete(sl_objstore *s, const char *key, const char *upload_id, int nparts,
                            const char *const *etags, sl_err *err) {
  if (!id_ok(upload_id)) return no_upload(s, key, upload_id, err);
  char *dir = mpu_path(s, upload_id, 0);
  struct stat st;
  bool there = stat(dir, &st) == 0 && S_ISDIR(st.st_mode);
  free(dir);
  if (!there) return no_upload(s, key, upload_id, err);
  char *path = join(fst(s)->root, key);
  char *tdir = sl_strdup(path);
  *strrchr(tdir, '/') = 0;
  char *tmp = NULL;
  int fd = -1;
  int rc = open_temp(tdir, &tmp, &fd, err);
  for (int i = 1; i <= nparts && rc == 0; i++) {
    char *pp = mpu_path(s, upload_id, i);
    int in = open(pp, O_RDONLY | O_CLOEXEC);
    if (in < 0) {
      rc = sl_err_set(err, SL_EINVAL, SL_ERR_NOLOC, "cannot complete the multipart upload of '%s' in %s: part %d is missing",
                      key, s->uri, i);
    } else {
      uint64_t h = 14695981039346656037ULL;
      char buf[65536];
      for (;;) {
        ssize_t got = read(in, buf, sizeof buf);
        if (got < 0 && errno == EINTR) continue;
        if (got < 0) rc = io_err(err, "read", pp, errno);
        if (got <= 0) break;
        h = fnv1a(h, (const unsigned char *)buf, (size_t)got);
        if (write_all(fd, buf, (size_t)got) != 0) {
          rc = io_err(err, "write", tmp, errno);
          break;
        }
      }
      close(in);
      char e[40];
      snprintf(e, sizeof e, "\"%016llx\"", (unsigned long long)h);
      if (rc == 0 && (etags[i - 1] == NULL || strcmp(etags[i - 1], e) != 0))
        rc = sl_err_set(err, SL_EINVAL, SL_ERR_NOLOC,
                        "cannot complete the multipart upload of '%s' in %s: part %d has ETag %s, not %s", key, s->uri,
                        i, e, etags[i - 1] ? etags[i - 1] : "(none)");
    }
    free(pp);
  }
  if (rc == 0) {
    rc = commit_temp(fd, tmp, path, tdir, err);
  } else if (tmp) {
    close(fd);
    unlink(tmp);
    free(tmp);
  }
  if (rc == 0) mpu_remove(s, upload_id);
  free(tdir);
  free(path);
  return rc;
}

static int file_mp_abort(sl_objstore *s, const char *key, const char *upload_id, sl_err *err) {
  (void)key, (void)err;
  if (!id_ok(upload_id)) return 0;
  mpu_remove(s, upload_id);
  return 0;
}

static void file_free(sl_objstore *s) {
  file_store *f = fst(s);
  if (f == NULL) return;
  free(f->root);
  free(f);
}

static const sl_objstore_ops file_ops = {
    .scheme = "file",
    .put = file_put,
    .put_file = file_put_file,
    .get = file_get,
    .get_file = file_get_file,
    .list = file_list,
    .del = file_del,
    .size = file_size,
    .mp_begin = file_mp_begin,
    .mp_part = file_mp_part,
    .mp_complete = file_mp_complete,
    .mp_abort = file_mp_abort,
    .free = file_free,
};

int sl__objstore_file_open(sl_objstore *s, const char *root, sl_err *err) {
  (void)err;
  file_store *f = sl_calloc(1, sizeof *f);
  f->root = sl_strdup(root);
  s->ops = &file_ops;
  s->impl = f;
  return 0;
}
