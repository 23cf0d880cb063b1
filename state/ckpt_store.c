/* ckpt_store.c - checkpoints in an object store: upload, manifest last, retention, discovery.
 *
 * A checkpoint is complete exactly when <job>/chk-<n>/_metadata exists; it is written last (with an
 * atomic put) and deleted first, so no reader ever sees a complete-looking checkpoint with missing
 * files. The store remembers the retained checkpoints (as manifests holding only the file list)
 * to reuse shared files and to know which shared files are still referenced. */
#include "ckpt_store.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "../engine/arena.h"
#include "../engine/sysutil.h"

struct sl_ckpt_store {
  sl_objstore *os;        /* not owned */
  char *job_id;
  int num_retained;
  int64_t last_uploaded;  /* bytes the last write uploaded (files and manifest) */
  char runtag[9];         /* 8 hex digits, suffix of the shared files this store uploads */
  sl_manifest **ret;      /* retained checkpoints, oldest first: job_id, checkpoint_id, files */
  int nret;
  sl_manifest *restored;  /* the checkpoint this run restored (its files), or NULL */
  char **garbage;         /* objects whose delete failed (the store was down): retried later */
  int ngarbage;
  int64_t first_written;  /* id of this run's first checkpoint, 0 before it */
};

/* ------------------------------------------------------------------------------------------ */
/* Helpers                                                                                     */

/* "<uri>/<key>" for messages. */
static void uri_of(sl_objstore *os, const char *key, sl_buf *out) {
  const char *uri = sl_objstore_uri(os);
  size_t n = strlen(uri);
  sl_buf_adds(out, uri);
  if (n && uri[n - 1] != '/') sl_buf_addc(out, '/');
  sl_buf_adds(out, key);
}

static void folder_of(const char *job_id, int64_t checkpoint_id, sl_buf *out) {
  sl_buf_printf(out, "%s/chk-%" PRId64, job_id, checkpoint_id);
}

/* A copy of m that keeps only what retention needs: ids and the file list. */
static sl_manifest *retained_copy(const sl_manifest *m) {
  sl_manifest *r = sl_manifest_new();
  r->job_id = sl_strdup(m->job_id ? m->job_id : "");
  r->checkpoint_id = m->checkpoint_id;
  for (int i = 0; i < m->nfiles; i++)
    sl_manifest_add_file(r, m->files[i].name, m->files[i].key, m->files[i].size, m->files[i].shared);
  return r;
}

/* Whether any retained checkpoint (other than ret[skip]) references key. */
static bool referenced(const sl_ckpt_store *cs, const char *key, int skip) {
  for (int i = 0; i < cs->nret; i++) {
    if (i == skip) continue;
    for (int j = 0; j < cs->ret[i]->nfiles; j++)
      if (!strcmp(cs->ret[i]->files[j].key, key)) return true;
  }
  return false;
}

/* The newest retained shared file of this name, or NULL: uploading it again is not needed. */
static const sl_manifest_file *shared_in(const sl_manifest *m, const char *name) {
  for (int j = 0; m && j < m->nfiles; j++)
    if (m->files[j].shared && !strcmp(m->files[j].name, name)) return &m->files[j];
  return NULL;
}

/* A shared file already in the store under this local name. Only this run's checkpoints and
 * the one it restored count: the local state descends from them, while a file of the same name
 * in another retained checkpoint (an older branch of restores) may hold other bytes. */
static const sl_manifest_file *find_shared(const sl_ckpt_store *cs, const char *name) {
  for (int i = cs->nret - 1; i >= 0; i--) {
    if (!cs->first_written || cs->ret[i]->checkpoint_id < cs->first_written) break;
    const sl_manifest_file *f = shared_in(cs->ret[i], name);
    if (f) return f;
  }
  const sl_manifest_file *f = shared_in(cs->restored, name);
  return f && referenced(cs, f->key, -1) ? f : NULL; /* still in the store */
}

static void drop_files(sl_manifest *m) {
  for (int i = 0; i < m->nfiles; i++) {
    free(m->files[i].name);
    free(m->files[i].key);
  }
  free(m->files);
  m->files = NULL;
  m->nfiles = 0;
}

/* Parses "chk-<n>" (canonical decimal, n >= 1); -1 if seg is not a checkpoint folder name. */
static int64_t parse_chk(const char *seg, size_t len) {
  if (len < 5 || len > 4 + 18 || strncmp(seg, "chk-", 4) || seg[4] == '0') return -1;
  int64_t n = 0;
  for (size_t i = 4; i < len; i++) {
    if (seg[i] < '0' || seg[i] > '9') return -1;
    n = n * 10 + (seg[i] - '0');
  }
  return n;
}

static bool is_hex32(const char *s, size_t len) {
  if (len != 32) return false;
  for (size_t i = 0; i < len; i++)
    if (!strchr("0123456789abcdefABCDEF", s[i])) return false;
  return true;
}

/* A listed key split as "<job>/chk-<n>/<rest>"; returns false for any other key. */
typedef struct chk_key {
  const char *job;
  size_t job_len;
  size_t folder_len;   /* length of "<job>/chk-<n>" */
  int64_t id;
  const char *rest;
} chk_key;

static bool split_chk_key(const char *key, chk_key *k) {
  const char *s1 = strchr(key, '/');
  if (!s1 || !is_hex32(key, (size_t)(s1 - key))) return false;
  const char *s2 = strchr(s1 + 1, '/');
  if (!s2) return false;
  int64_t id = parse_chk(s1 + 1, (size_t)(s2 - s1 - 1));
  if (id < 1) return false;
  *k = (chk_key){.job = key, .job_len = (size_t)(s1 - key), .folder_len = (size_t)(s2 - key), .id = id,
                 .rest = s2 + 1};
  return true;
}

/* ------------------------------------------------------------------------------------------ */
/* Lifecycle                                                                                   */

sl_ckpt_store *sl_ckpt_store_new(sl_objstore *os, const char *job_id, int num_retained) {
  sl_ckpt_store *cs = sl_calloc(1, sizeof *cs);
  cs->os = os;
  cs->job_id = sl_strdup(job_id);
  cs->num_retained = num_retained < 1 ? 1 : num_retained;
  sl_random_hex(cs->runtag, 4);
  return cs;
}

void sl_ckpt_store_free(sl_ckpt_store *cs) {
  if (!cs) return;
  for (int i = 0; i < cs->nret; i++) sl_manifest_free(cs->ret[i]);
  free(cs->ret);
  sl_manifest_free(cs->restored);
  for (int i = 0; i < cs->ngarbage; i++) free(cs->garbage[i]);
  free(cs->garbage);
  free(cs->job_id);
  free(cs);
}

/* Deletes an object no checkpoint needs; when the store fails, remembers it for a retry after
 * the next successful checkpoint (an outage must not leave a failed checkpoint's files behind). */
static void delete_or_remember(sl_ckpt_store *cs, const char *key) {
  sl_err ignored;
  sl_err_clear(&ignored);
  if (sl_objstore_delete(cs->os, key, &ignored) == 0) return;
  cs->garbage = sl_realloc(cs->garbage, ((size_t)cs->ngarbage + 1) * sizeof *cs->garbage);
  cs->garbage[cs->ngarbage++] = sl_strdup(key);
}

/* Retries the deletes that failed before; keys a retained checkpoint uses again are kept. */
static void retry_garbage(sl_ckpt_store *cs) {
  int n = cs->ngarbage;
  char **keys = cs->garbage;
  cs->garbage = NULL;
  cs->ngarbage = 0;
  for (int i = 0; i < n; i++) {
    if (!referenced(cs, keys[i], -1)) delete_or_remember(cs, keys[i]);
    free(keys[i]);
  }
  free(keys);
}

/* Keeps m among the retained checkpoints, in id order (once). */
static void retain(sl_ckpt_store *cs, const sl_manifest *m) {
  int pos = cs->nret;
  for (int i = 0; i < cs->nret; i++) {
    if (cs->ret[i]->checkpoint_id == m->checkpoint_id && m->job_id && !strcmp(cs->ret[i]->job_id, m->job_id)) return;
    if (cs->ret[i]->checkpoint_id > m->checkpoint_id && pos == cs->nret) pos = i;
  }
  cs->ret = sl_realloc(cs->ret, ((size_t)cs->nret + 1) * sizeof *cs->ret);
  memmove(&cs->ret[pos + 1], &cs->ret[pos], (size_t)(cs->nret - pos) * sizeof *cs->ret);
  cs->ret[pos] = retained_copy(m);
  cs->nret++;
}

void sl_ckpt_store_adopt(sl_ckpt_store *cs, const sl_manifest *restored) {
  sl_manifest_free(cs->restored);
  cs->restored = retained_copy(restored);
  retain(cs, restored);
}

void sl_ckpt_store_path(const sl_ckpt_store *cs, int64_t checkpoint_id, sl_buf *out) {
  folder_of(cs->job_id, checkpoint_id, out);
}

/* ------------------------------------------------------------------------------------------ */
/* Writing and retention                                                                       */

/* Deletes the oldest retained checkpoint: _metadata first, then its private files, then the
 * shared files no other retained checkpoint uses. If _metadata cannot be deleted the checkpoint
 * stays retained (and intact) and -1 is returned; later failures only leave garbage for clean(). */
static int drop_oldest(sl_ckpt_store *cs) {
  sl_manifest *old = cs->ret[0];
  sl_err err;
  sl_err_clear(&err);
  sl_buf key = {0};
  folder_of(old->job_id, old->checkpoint_id, &key);
  sl_buf_adds(&key, "/_metadata");
  int rc = sl_objstore_delete(cs->os, key.data, &err);
  sl_buf_destroy(&key);
  if (rc) return -1;
  for (int i = 0; i < old->nfiles; i++) {
    const sl_manifest_file *f = &old->files[i];
    if (f->shared && referenced(cs, f->key, 0)) continue;
    delete_or_remember(cs, f->key);
  }
  memmove(cs->ret, cs->ret + 1, (size_t)(cs->nret - 1) * sizeof *cs->ret);
  cs->nret--;
  sl_manifest_free(old);
  return 0;
}

/* Everything write() checks before it uploads anything. */
static int check_write(sl_ckpt_store *cs, const sl_manifest *m, const sl_ckpt_file *files, int nfiles, sl_err *err) {
  if (m->job_id && strcmp(m->job_id, cs->job_id))
    return sl_err_set(err, SL_EINVAL, SL_ERR_NOLOC, "checkpoint of job %s given to the store of job %s", m->job_id,
                      cs->job_id);
  if (m->nfiles)
    return sl_err_set(err, SL_EINVAL, SL_ERR_NOLOC, "checkpoint %" PRId64 " already lists files", m->checkpoint_id);
  if (m->checkpoint_id < 1)
    return sl_err_set(err, SL_EINVAL, SL_ERR_NOLOC, "checkpoint id %" PRId64 " is not >= 1", m->checkpoint_id);
  for (int i = 0; i < cs->nret; i++)
    if (!strcmp(cs->ret[i]->job_id, cs->job_id) && cs->ret[i]->checkpoint_id >= m->checkpoint_id)
      return sl_err_set(err, SL_EINVAL, SL_ERR_NOLOC,
                        "checkpoint id %" PRId64 " is not above the retained checkpoint %" PRId64 " of job %s",
                        m->checkpoint_id, cs->ret[i]->checkpoint_id, cs->job_id);
  for (int i = 0; i < nfiles; i++) {
    const char *n = files[i].name;
    if (!n || !*n || strchr(n, '/') || !strcmp(n, ".") || !strcmp(n, "..") || !strcmp(n, "_metadata"))
      return sl_err_set(err, SL_EINVAL, SL_ERR_NOLOC, "bad snapshot file name '%s'", n ? n : "(null)");
    for (int j = 0; j < i; j++)
      if (!strcmp(files[j].name, n))
        return sl_err_set(err, SL_EINVAL, SL_ERR_NOLOC, "snapshot file '%s' given twice", n);
  }
  return 0;
}

static int file_size(const char *path, int64_t *size, sl_err *err) {
  struct stat st;
  if (stat(path, &st) != 0)
    return sl_err_set(err, SL_EIO, SL_ERR_NOLOC, "cannot read snapshot file %s: %s", path, strerror(errno));
  *size = (int64_t)st.st_size;
  return 0;
}

/* Uploads one file (or reuses the shared copy) and lists it in m; *uploaded is set to the new
 * object's key (malloc'd) when an upload was attempted. */
static int put_one(sl_ckpt_store *cs, sl_manifest *m, const sl_ckpt_file *f, char **uploaded, sl_err *err) {
  int64_t size = 0;
  int rc = file_size(f->local_path, &size, err);
  if (rc) return rc;
  if (f->shared) {
    const sl_manifest_file *prev = find_shared(cs, f->name);
    if (prev) {
      if (prev->size != size)
        return sl_err_set(err, SL_ECHECKPOINT, SL_ERR_NOLOC,
                          "shared snapshot file %s changed size (%" PRId64 " bytes in %s, now %" PRId64
                          "): shared files must be immutable",
                          f->local_path, prev->size, prev->key, size);
      sl_manifest_add_file(m, f->name, prev->key, size, true);
      return 0;
    }
  }
  sl_buf key = {0};
  if (f->shared)
    sl_buf_printf(&key, "%s/shared/%s-%s", cs->job_id, f->name, cs->runtag);
  else {
    folder_of(cs->job_id, m->checkpoint_id, &key);
    sl_buf_printf(&key, "/%s", f->name);
  }
  *uploaded = sl_strdup(key.data);
  rc = sl_objstore_put_file(cs->os, key.data, f->local_path, err);
  if (rc == 0) {
    sl_manifest_add_file(m, f->name, key.data, size, f->shared);
    cs->last_uploaded += size;
  }
  sl_buf_destroy(&key);
  return rc;
}

int sl_ckpt_store_write(sl_ckpt_store *cs, sl_manifest *m, const sl_ckpt_file *files, int nfiles, sl_err *err) {
  int rc = check_write(cs, m, files, nfiles, err);
  if (rc) return rc;
  if (!m->job_id) m->job_id = sl_strdup(cs->job_id);

  char **uploaded = sl_calloc((size_t)nfiles + 1, sizeof *uploaded);
  int nup = 0;
  cs->last_uploaded = 0;
  for (int i = 0; i < nfiles && rc == 0; i++) {
    rc = put_one(cs, m, &files[i], &uploaded[nup], err);
    if (uploaded[nup]) nup++;
  }

  sl_buf key = {0}, bytes = {0}, where = {0};
  if (rc == 0) {
    sl_manifest_encode(m, &bytes);
    folder_of(cs->job_id, m->checkpoint_id, &key);
    sl_buf_adds(&key, "/_metadata");
    uri_of(cs->os, key.data, &where);
    /* Decode what is about to become the checkpoint: an unreadable manifest must never be written. */
    sl_manifest *check = NULL;
    rc = sl_manifest_decode(bytes.data, bytes.len, where.data, &check, err);
    sl_manifest_free(check);
    if (rc == 0) rc = sl_objstore_put(cs->os, key.data, bytes.data, bytes.len, err);
    if (rc == 0) cs->last_uploaded += (int64_t)bytes.len;
  }

  if (rc) {
    /* Undo this attempt; a separate err keeps the first error in the caller's. */
    for (int i = 0; i < nup; i++)
      if (!referenced(cs, uploaded[i], -1)) delete_or_remember(cs, uploaded[i]);
    drop_files(m);
  } else {
    retain(cs, m);
    if (!cs->first_written) cs->first_written = m->checkpoint_id;
    while (cs->nret > cs->num_retained)
      if (drop_oldest(cs) != 0) break; /* retried after the next checkpoint */
    retry_garbage(cs);
  }
  for (int i = 0; i < nup; i++) free(uploaded[i]);
  free(uploaded);
  sl_buf_destroy(&key);
  sl_buf_destroy(&bytes);
  sl_buf_destroy(&where);
  return rc;
}

/* ------------------------------------------------------------------------------------------ */
/* Reading                                                                                     */

int sl_ckpt_read(sl_objstore *os, const char *folder, sl_manifest **out, sl_err *err) {
  *out = NULL;
  sl_buf key = {0}, where = {0}, bytes = {0};
  sl_buf_printf(&key, "%s/_metadata", folder);
  uri_of(os, key.data, &where);
  sl_err e2;
  sl_err_clear(&e2);
  int rc = sl_objstore_get(os, key.data, &bytes, &e2);
  if (rc == SL_ENOTFOUND) {
    sl_buf_reset(&where);
    uri_of(os, folder, &where);
    rc = sl_err_set(err, SL_ENOTFOUND, SL_ERR_NOLOC, "no checkpoint at %s (no _metadata)", where.data);
  } else if (rc) {
    rc = sl_err_set(err, rc, SL_ERR_NOLOC, "%s", e2.msg);
  } else {
    rc = sl_manifest_decode(bytes.data, bytes.len, where.data, out, err);
  }
  sl_buf_destroy(&key);
  sl_buf_destroy(&where);
  sl_buf_destroy(&bytes);
  return rc;
}

typedef struct candidates {
  char **folders;
  int64_t *ids;
  int n;
  const char *job;     /* only this job's folders, or NULL for all */
  char **other;        /* clean(): every other key of the job, see collect_job */
  int nother;
} candidates;

/* List callback: keeps the folders of "<job>/chk-<n>/_metadata" keys. */
static int collect_complete(void *arg, const char *key, int64_t size) {
  candidates *c = arg;
  chk_key k;
  if (!split_chk_key(key, &k) || strcmp(k.rest, "_metadata")) return 0;
  if (c->job && (strlen(c->job) != k.job_len || strncmp(c->job, k.job, k.job_len))) return 0;
  c->folders = sl_realloc(c->folders, ((size_t)c->n + 1) * sizeof *c->folders);
  c->ids = sl_realloc(c->ids, ((size_t)c->n + 1) * sizeof *c->ids);
  c->folders[c->n] = sl_strdup(key);
  c->folders[c->n][k.folder_len] = 0;
  c->ids[c->n++] = k.id;
  return 0;
}

static void candidates_free(candidates *c) {
  for (int i = 0; i < c->n; i++) free(c->folders[i]);
  for (int i = 0; i < c->nother; i++) free(c->other[i]);
  free(c->folders);
  free(c->ids);
  free(c->other);
}

int sl_ckpt_find_latest(sl_objstore *os, char **folder, sl_err *err) {
  return sl_ckpt_find_latest_of(os, NULL, folder, err);
}

int sl_ckpt_find_latest_of(sl_objstore *os, const char *job, char **folder, sl_err *err) {
  *folder = NULL;
  candidates c = {.job = job};
  int rc = sl_objstore_list(os, "", collect_complete, &c, err);
  int64_t best_id = 0;
  for (int i = 0; i < c.n; i++)
    if (c.ids[i] > best_id) best_id = c.ids[i];
  int best = -1;
  int64_t best_ts = 0;
  /* Only the folders with the highest id are read; the manifest must agree with its folder. */
  for (int i = 0; rc == 0 && i < c.n; i++) {
    if (c.ids[i] != best_id) continue;
    sl_manifest *m = NULL;
    rc = sl_ckpt_read(os, c.folders[i], &m, err);
    if (rc) break;
    if (m->checkpoint_id != c.ids[i] || strncmp(c.folders[i], m->job_id, 32)) {
      sl_buf where = {0};
      uri_of(os, c.folders[i], &where);
      rc = sl_err_set(err, SL_ECHECKPOINT, SL_ERR_NOLOC,
                      "%s/_metadata: manifest of job %s checkpoint %" PRId64 " is in the wrong folder", where.data,
                      m->job_id, m->checkpoint_id);
      sl_buf_destroy(&where);
    } else if (best < 0 || m->timestamp_ms > best_ts) {
      best = i;
      best_ts = m->timestamp_ms;
    }
    sl_manifest_free(m);
  }
  if (rc == 0 && best < 0)
    rc = sl_err_set(err, SL_ENOTFOUND, SL_ERR_NOLOC, "no complete checkpoint in %s", sl_objstore_uri(os));
  if (rc == 0) {
    *folder = c.folders[best];
    c.folders[best] = NULL;
  }
  candidates_free(&c);
  return rc;
}

int sl_ckpt_download(sl_objstore *os, const sl_manifest *m, const char *local_dir, sl_err *err) {
  int rc = 0;
  if (sl_mkdirs(local_dir) != 0)
    rc = sl_err_set(err, SL_EIO, SL_ERR_NOLOC, "cannot create folder %s: %s", local_dir, strerror(errno));
  sl_buf path = {0};
  for (int i = 0; rc == 0 && i < m->nfiles; i++) {
    const sl_manifest_file *f = &m->files[i];
    if (!f->name || !*f->name || strchr(f->name, '/') || !strcmp(f->name, ".") || !strcmp(f->name, "..")) {
      rc = sl_err_set(err, SL_ECHECKPOINT, SL_ERR_NOLOC, "bad snapshot file name '%s' in checkpoint %" PRId64,
                      f->name ? f->name : "(null)", m->checkpoint_id);
      break;
    }
    sl_buf_reset(&path);
    sl_buf_printf(&path, "%s/%s", local_dir, f->name);
    rc = sl_objstore_get_file(os, f->key, path.data, err);
    int64_t size = 0;
    if (rc == 0) rc = file_size(path.data, &size, err);
    if (rc == 0 && size != f->size)
      rc = sl_err_set(err, SL_ECHECKPOINT, SL_ERR_NOLOC,
                      "checkpoint file %s has %" PRId64 " bytes, the manifest says %" PRId64, f->key, size, f->size);
  }
  sl_buf_destroy(&path);
  return rc;
}

/* ------------------------------------------------------------------------------------------ */
/* Cleaning up after an earlier run                                                            */

/* List callback for clean(): complete folders of the job into folders, every other key of the
 * job's chk-<n> folders and shared folder into other. */
static int collect_job(void *arg, const char *key, int64_t size) {
  candidates *c = arg;
  chk_key k;
  if (split_chk_key(key, &k) && !strcmp(k.rest, "_metadata")) return collect_complete(arg, key, size);
  size_t jl = strlen(c->job);
  bool shared = !strncmp(key + jl, "/shared/", 8);
  if (!shared && !(split_chk_key(key, &k) && k.job_len == jl)) return 0;
  c->other = sl_realloc(c->other, ((size_t)c->nother + 1) * sizeof *c->other);
  c->other[c->nother++] = sl_strdup(key);
  return 0;
}

int64_t sl_ckpt_store_max_id(const sl_ckpt_store *cs) {
  int64_t max = 0;
  for (int i = 0; i < cs->nret; i++)
    if (cs->ret[i]->checkpoint_id > max) max = cs->ret[i]->checkpoint_id;
  return max;
}

int sl_ckpt_store_clean(sl_ckpt_store *cs, sl_err *err) {
  candidates c = {.job = cs->job_id};
  sl_buf prefix = {0};
  sl_buf_printf(&prefix, "%s/", cs->job_id);
  int rc = sl_objstore_list(cs->os, prefix.data, collect_job, &c, err);
  sl_buf_destroy(&prefix);

  /* Every complete checkpoint's references, read before anything is deleted. */
  sl_manifest **ms = sl_calloc((size_t)c.n + 1, sizeof *ms);
  for (int i = 0; rc == 0 && i < c.n; i++) rc = sl_ckpt_read(cs->os, c.folders[i], &ms[i], err);

  for (int i = 0; rc == 0 && i < c.nother; i++) {
    const char *key = c.other[i];
    chk_key k;
    bool keep = false;
    if (split_chk_key(key, &k)) { /* in a chk folder: keep if that folder is complete */
      for (int j = 0; j < c.n && !keep; j++)
        keep = strlen(c.folders[j]) == k.folder_len && !strncmp(c.folders[j], key, k.folder_len);
    } else { /* a shared file: keep if a complete or retained checkpoint references it */
      keep = referenced(cs, key, -1);
      for (int j = 0; j < c.n && !keep; j++)
        for (int f = 0; f < ms[j]->nfiles && !keep; f++) keep = !strcmp(ms[j]->files[f].key, key);
    }
    if (!keep) rc = sl_objstore_delete(cs->os, key, err);
  }
  /* The complete checkpoints are this run's now: retained oldest first, the oldest beyond
   * num_retained deleted. */
  if (rc == 0) {
    for (int i = 0; i < c.n; i++) retain(cs, ms[i]);
    while (cs->nret > cs->num_retained)
      if (drop_oldest(cs) != 0) break;
  }
  for (int i = 0; i < c.n; i++) sl_manifest_free(ms[i]);
  free(ms);
  candidates_free(&c);
  return rc;
}

int64_t sl_ckpt_store_last_uploaded(const sl_ckpt_store *cs) { return cs->last_uploaded; }
