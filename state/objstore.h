/* objstore.h - the object store checkpoints live in: a local folder (file://) or an S3 bucket
 * (s3://) behind one interface of whole objects: put, get, list, delete.
 *
 * Keys are relative to the store's root URI ("job/chk-3/_metadata") and use '/' as separator.
 * A store handle is not thread-safe: use it from one thread at a time (the checkpoint uploader
 * runs on one worker thread). Messages never contain credentials. */
#ifndef SL_OBJSTORE_H
#define SL_OBJSTORE_H

#include <stdint.h>

#include "../engine/buf.h"
#include "../engine/err.h"

typedef struct sl_objstore sl_objstore;

/* Settings from SET / WITH options; NULL or -1 means not given (then the AWS environment
 * decides: AWS_ENDPOINT_URL_S3, AWS_ENDPOINT_URL, AWS_REGION, AWS_PROFILE, ...). */
typedef struct sl_objstore_opts {
  const char *s3_endpoint;      /* 's3.endpoint', e.g. http://127.0.0.1:4568 */
  int s3_path_style;            /* 's3.path.style.access': 1, 0, or -1 (unset) */
  const char *s3_access_key;    /* 's3.access-key' */
  const char *s3_secret_key;    /* 's3.secret-key' */
  const char *region;           /* 's3.region' / 'aws.region' */
} sl_objstore_opts;

/* Opens the store rooted at uri: "file:///abs/path", a plain path, or "s3://bucket[/prefix]".
 * Nothing is created or contacted yet. */
int sl_objstore_open(const char *uri, const sl_objstore_opts *opts, sl_objstore **out, sl_err *err);
void sl_objstore_free(sl_objstore *s);

/* The root URI as given (for messages; never holds credentials). */
const char *sl_objstore_uri(const sl_objstore *s);

/* Writes a whole object. Atomic for readers: they see the previous object or the new one, never
 * a part of it (file: temp file + fsync + rename; S3: PUT or completed multipart upload). */
int sl_objstore_put(sl_objstore *s, const char *key, const void *data, size_t len, sl_err *err);
/* The same from a local file (S3: multipart upload above 16 MiB). */
int sl_objstore_put_file(sl_objstore *s, const char *key, const char *local_path, sl_err *err);

/* Reads a whole object into out (appended). SL_ENOTFOUND when it does not exist. */
int sl_objstore_get(sl_objstore *s, const char *key, sl_buf *out, sl_err *err);
/* The same into a local file (created or truncated). */
int sl_objstore_get_file(sl_objstore *s, const char *key, const char *local_path, sl_err *err);

/* Calls fn for every key under prefix (recursively, "" for all), in byte order, with its size.
 * A non-zero return from fn stops the listing and is returned. */
typedef int (*sl_objstore_list_fn)(void *arg, const char *key, int64_t size);
int sl_objstore_list(sl_objstore *s, const char *prefix, sl_objstore_list_fn fn, void *arg, sl_err *err);

/* Deletes an object; a missing object is not an error. */
int sl_objstore_delete(sl_objstore *s, const char *key, sl_err *err);

#endif
