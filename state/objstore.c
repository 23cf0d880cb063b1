/* objstore.c - the object store front: parses the root URI, picks the backend (file:// or s3://),
 * checks keys, and dispatches the public calls through the backend's vtable. */
#include "objstore.h"

#include <ctype.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "../engine/arena.h"
#include "objstore_impl.h"

#define SCHEMES "file:///absolute/path, a plain path, or s3://bucket[/prefix]"

/* Length of "scheme" when uri starts with "scheme://" (RFC 3986 scheme characters), else 0. */
static size_t scheme_len(const char *uri) {
  size_t i = 0;
  if (!isalpha((unsigned char)uri[0])) return 0;
  while (isalnum((unsigned char)uri[i]) || uri[i] == '+' || uri[i] == '-' || uri[i] == '.') i++;
  return strncmp(uri + i, "://", 3) == 0 ? i : 0;
}

/* A copy of path without trailing slashes ("/" stays "/"). */
static char *strip_trailing_slashes(const char *path) {
  char *p = sl_strdup(path);
  size_t n = strlen(p);
  while (n > 1 && p[n - 1] == '/') p[--n] = 0;
  return p;
}

static int bad_uri(sl_err *err, const char *uri, const char *why) {
  return sl_err_set(err, SL_ECONFIG, SL_ERR_NOLOC, "bad object store URI '%s': %s; supported are " SCHEMES,
                    uri, why);
}

/* Bucket names as S3 allows them (plus '_' and upper case, which some S3 stand-ins accept). */
static int bucket_ok(const char *b, size_t n) {
  if (n == 0 || n > 255) return 0;
  for (size_t i = 0; i < n; i++)
    if (!isalnum((unsigned char)b[i]) && b[i] != '.' && b[i] != '-' && b[i] != '_') return 0;
  return 1;
}

/* Opens the s3 backend for "s3://bucket[/prefix]" (the part after "s3://" is rest). */
static int open_s3(sl_objstore *s, const char *uri, const char *rest, const sl_objstore_opts *opts, sl_err *err) {
  size_t bn = strcspn(rest, "/");
  if (!bucket_ok(rest, bn)) return bad_uri(err, uri, "the bucket name is missing or has characters S3 does not allow");
  char *bucket = sl_malloc(bn + 1);
  memcpy(bucket, rest, bn);
  bucket[bn] = 0;

  /* The prefix without leading/trailing slashes, then "prefix/" (or ""). */
  const char *p = rest + bn;
  while (*p == '/') p++;
  size_t pn = strlen(p);
  while (pn > 0 && p[pn - 1] == '/') pn--;
  char *prefix = sl_malloc(pn + 2);
  memcpy(prefix, p, pn);
  prefix[pn] = 0;
  int rc = 0;
  if (pn > 0) {
    /* The prefix must itself be a valid key path (no "..", no empty components). */
    if (sl__objstore_key_check(s, prefix, NULL) != 0)
      rc = bad_uri(err, uri, "the prefix has an empty, '.' or '..' component");
    prefix[pn] = '/';
    prefix[pn + 1] = 0;
  }
  if (rc == 0) rc = sl__objstore_s3_open(s, bucket, prefix, opts, err);
  free(bucket);
  free(prefix);
  return rc;
}

int sl_objstore_open(const char *uri, const sl_objstore_opts *opts, sl_objstore **out, sl_err *err) {
  *out = NULL;
  if (uri == NULL || uri[0] == 0)
    return sl_err_set(err, SL_ECONFIG, SL_ERR_NOLOC, "empty object store URI; supported are " SCHEMES);
  static const sl_objstore_opts no_opts = {NULL, -1, NULL, NULL, NULL};
  if (opts == NULL) opts = &no_opts;

  sl_objstore *s = sl_calloc(1, sizeof *s);
  s->uri = sl_strdup(uri);
  int rc;
  size_t sn = scheme_len(uri);
  if (sn == 0) {
    char *root = strip_trailing_slashes(uri);
    rc = sl__objstore_file_open(s, root, err);
    free(root);
  } else if (sn == 4 && strncasecmp(uri, "file", 4) == 0) {
    const char *path = uri + 7; /* after "file://" */
    if (strncmp(path, "localhost/", 10) == 0) path += 9;
    if (path[0] != '/') {
      rc = bad_uri(err, uri, "a file URI needs an absolute path (file:///path)");
    } else {
      char *root = strip_trailing_slashes(path);
      rc = sl__objstore_file_open(s, root, err);
      free(root);
    }
  } else if (sn == 2 && strncasecmp(uri, "s3", 2) == 0) {
    rc = open_s3(s, uri, uri + 5, opts, err);
  } else {
    rc = sl_err_set(err, SL_ECONFIG, SL_ERR_NOLOC, "unsupported object store URI '%s'; supported are " SCHEMES, uri);
  }
  if (rc != 0) {
    free(s->uri);
    free(s);
    return rc;
  }
  *out = s;
  return 0;
}

void sl_objstore_free(sl_objstore *s) {
  if (s == NULL) return;
  if (s->ops && s->ops->free) s->ops->free(s);
  free(s->uri);
  free(s);
}

const char *sl_objstore_uri(const sl_objstore *s) { return s->uri; }

int sl__objstore_key_check(const sl_objstore *s, const char *key, sl_err *err) {
  const char *why = NULL;
  if (key == NULL || key[0] == 0) {
    why = "it is empty";
  } else if (key[0] == '/') {
    why = "it starts with '/'";
  } else {
    for (const char *c = key; *c && !why;) {
      size_t n = strcspn(c, "/");
      if (n == 0) why = c[0] ? "it has an empty component ('//')" : "it ends with '/'";
      else if ((n == 1 && c[0] == '.') || (n == 2 && c[0] == '.' && c[1] == '.'))
        why = "it has a '.' or '..' component";
      c += n;
      if (*c == '/') {
        c++;
        if (*c == 0) why = "it ends with '/'";
      }
    }
  }
  if (!why) return 0;
  return sl_err_set(err, SL_EINVAL, SL_ERR_NOLOC, "bad object key '%s' in %s: %s", key ? key : "",
                    s ? s->uri : "?", why);
}

/* A list prefix may be "" or stop in the middle of a name, but must not climb out of the root. */
static int prefix_check(const sl_objstore *s, const char *prefix, sl_err *err) {
  if (prefix[0] == '/')
    return sl_err_set(err, SL_EINVAL, SL_ERR_NOLOC, "bad list prefix '%s' in %s: it starts with '/'", prefix, s->uri);
  for (const char *c = prefix; *c;) {
    size_t n = strcspn(c, "/");
    int dots = (n == 1 && c[0] == '.') || (n == 2 && c[0] == '.' && c[1] == '.');
    if ((dots && c[n] == '/') || (n == 0 && c[0] == '/'))
      return sl_err_set(err, SL_EINVAL, SL_ERR_NOLOC,
                        "bad list prefix '%s' in %s: it has an empty, '.' or '..' component", prefix, s->uri);
    c += n;
    if (*c == '/') c++;
  }
  return 0;
}

int sl_objstore_put(sl_objstore *s, const char *key, const void *data, size_t len, sl_err *err) {
  int rc = sl__objstore_key_check(s, key, err);
  return rc ? rc : s->ops->put(s, key, data, len, err);
}

int sl_objstore_put_file(sl_objstore *s, const char *key, const char *local_path, sl_err *err) {
  int rc = sl__objstore_key_check(s, key, err);
  return rc ? rc : s->ops->put_file(s, key, local_path, err);
}

int sl_objstore_get(sl_objstore *s, const char *key, sl_buf *out, sl_err *err) {
  int rc = sl__objstore_key_check(s, key, err);
  return rc ? rc : s->ops->get(s, key, out, err);
}

int sl_objstore_get_file(sl_objstore *s, const char *key, const char *local_path, sl_err *err) {
  int rc = sl__objstore_key_check(s, key, err);
  return rc ? rc : s->ops->get_file(s, key, local_path, err);
}

int sl_objstore_list(sl_objstore *s, const char *prefix, sl_objstore_list_fn fn, void *arg, sl_err *err) {
  if (prefix == NULL) prefix = "";
  int rc = prefix_check(s, prefix, err);
  return rc ? rc : s->ops->list(s, prefix, fn, arg, err);
}

int sl_objstore_delete(sl_objstore *s, const char *key, sl_err *err) {
  int rc = sl__objstore_key_check(s, key, err);
  return rc ? rc : s->ops->del(s, key, err);
}

int sl_objstore_size(sl_objstore *s, const char *key, int64_t *size, sl_err *err) {
  int rc = sl__objstore_key_check(s, key, err);
  return rc ? rc : s->ops->size(s, key, size, err);
}

/* ---------------------------------------------------------------------------------------------
 * Multipart uploads: arguments checked here, the protocol in the backends. */

/* An upload id goes into URLs (S3) or folder names (file): it must be non-empty and printable. */
static int upload_id_check(const sl_objstore *s, const char *key, const char *upload_id, sl_err *err) {
  bool ok = upload_id && upload_id[0];
  for (const char *c = upload_id; ok && *c; c++) ok = *c > ' ' && *c < 0x7f && *c != '/';
  if (ok) return 0;
  return sl_err_set(err, SL_EINVAL, SL_ERR_NOLOC, "bad multipart upload id for '%s' in %s", key, s->uri);
}

int sl_objstore_multipart_begin(sl_objstore *s, const char *key, char **upload_id, sl_err *err) {
  *upload_id = NULL;
  int rc = sl__objstore_key_check(s, key, err);
  return rc ? rc : s->ops->mp_begin(s, key, upload_id, err);
}

int sl_objstore_multipart_part(sl_objstore *s, const char *key, const char *upload_id, int part,
                               const char *local_path, int64_t offset, int64_t len, char **etag, sl_err *err) {
  *etag = NULL;
  int rc = sl__objstore_key_check(s, key, err);
  if (!rc) rc = upload_id_check(s, key, upload_id, err);
  if (rc) return rc;
  if (part < 1 || part > 10000 || offset < 0 || len < 0)
    return sl_err_set(err, SL_EINVAL, SL_ERR_NOLOC, "bad part %d (%lld bytes at %lld) of a multipart upload of '%s' in %s",
                      part, (long long)len, (long long)offset, key, s->uri);
  return s->ops->mp_part(s, key, upload_id, part, local_path, offset, len, etag, err);
}

int sl_objstore_multipart_complete(sl_objstore *s, const char *key, const char *upload_id, int nparts,
                                   const char *const *etags, sl_err *err) {
  int rc = sl__objstore_key_check(s, key, err);
  if (!rc) rc = upload_id_check(s, key, upload_id, err);
  if (rc) return rc;
  if (nparts < 1 || nparts > 10000)
    return sl_err_set(err, SL_EINVAL, SL_ERR_NOLOC, "a multipart upload of '%s' in %s cannot have %d parts", key,
                      s->uri, nparts);
  return s->ops->mp_complete(s, key, upload_id, nparts, etags, err);
}

int sl_objstore_multipart_abort(sl_objstore *s, const char *key, const char *upload_id, sl_err *err) {
  int rc = sl__objstore_key_check(s, key, err);
  if (!rc) rc = upload_id_check(s, key, upload_id, err);
  return rc ? rc : s->ops->mp_abort(s, key, upload_id, err);
}
