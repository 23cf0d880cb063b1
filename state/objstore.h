/* objstore.h - the object store checkpoints and the filesystem sink's s3:// tables live in: a
 * local folder (file://) or an S3 bucket (s3://) behind one interface of whole objects (put, get,
 * size, list, delete) plus multipart uploads that publish an object only when completed.
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

/* The size of an object (S3: HEAD). SL_ENOTFOUND when it does not exist. */
int sl_objstore_size(sl_objstore *s, const char *key, int64_t *size, sl_err *err);

/* Multipart upload: an object sent in numbered parts (from 1) that readers see only once it is
 * completed, all at once; until then it can be aborted. The exactly-once filesystem sink uploads
 * a part file while it grows and completes it when the checkpoint covering it completes. On AWS
 * every part but the last must be at least 5 MiB, and an upload id is meaningful only with its
 * key. The file:// store keeps parts under "<root>/.sl-tmp-mpu/<upload id>/" (hidden from list). */

/* Starts an upload of key; *upload_id gets its id (malloc'd: the caller frees it). */
int sl_objstore_multipart_begin(sl_objstore *s, const char *key, char **upload_id, sl_err *err);
/* Uploads len bytes of local_path from offset as part number part (1..10000); *etag gets the
 * part's ETag (malloc'd), which completing needs. Uploading a number again replaces that part. */
int sl_objstore_multipart_part(sl_objstore *s, const char *key, const char *upload_id, int part,
                               const char *local_path, int64_t offset, int64_t len, char **etag, sl_err *err);
/* Publishes the object made of parts 1..nparts (their ETags in order). SL_ENOTFOUND when the
 * upload is unknown (S3's NoSuchUpload: completed or aborted before); some S3 stand-ins answer
 * that with a server error instead, so a caller that may complete twice checks the object too. */
int sl_objstore_multipart_complete(sl_objstore *s, const char *key, const char *upload_id, int nparts,
                                   const char *const *etags, sl_err *err);
/* Drops an upload and its parts. 0 also when it is unknown (completed or aborted before);
 * SL_EUNSUPPORTED when the server has no abort (405/501, as on some S3 stand-ins): the parts are
 * then left to the bucket's lifecycle rule. */
int sl_objstore_multipart_abort(sl_objstore *s, const char *key, const char *upload_id, sl_err *err);

#endif
