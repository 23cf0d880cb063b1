/* objstore_impl.h - the object store's backend vtable, shared by objstore.c and its backends
 * (objstore_file.c, objstore_s3.c). Not for the rest of the engine: use objstore.h. */
#ifndef SL_OBJSTORE_IMPL_H
#define SL_OBJSTORE_IMPL_H

#include "objstore.h"

/* One backend. Keys reaching these functions are already validated (sl__objstore_key_check);
 * a list prefix is validated too and may be "" or end in the middle of a name. */
typedef struct sl_objstore_ops {
  const char *scheme; /* "file", "s3" */
  int (*put)(sl_objstore *s, const char *key, const void *data, size_t len, sl_err *err);
  int (*put_file)(sl_objstore *s, const char *key, const char *local_path, sl_err *err);
  int (*get)(sl_objstore *s, const char *key, sl_buf *out, sl_err *err);
  int (*get_file)(sl_objstore *s, const char *key, const char *local_path, sl_err *err);
  int (*list)(sl_objstore *s, const char *prefix, sl_objstore_list_fn fn, void *arg, sl_err *err);
  int (*del)(sl_objstore *s, const char *key, sl_err *err);
  int (*size)(sl_objstore *s, const char *key, int64_t *size, sl_err *err);
  int (*mp_begin)(sl_objstore *s, const char *key, char **upload_id, sl_err *err);
  int (*mp_part)(sl_objstore *s, const char *key, const char *upload_id, int part, const char *local_path,
                 int64_t offset, int64_t len, char **etag, sl_err *err);
  int (*mp_complete)(sl_objstore *s, const char *key, const char *upload_id, int nparts, const char *const *etags,
                     sl_err *err);
  int (*mp_abort)(sl_objstore *s, const char *key, const char *upload_id, sl_err *err);
  void (*free)(sl_objstore *s); /* frees impl only */
} sl_objstore_ops;

struct sl_objstore {
  const sl_objstore_ops *ops;
  char *uri;  /* the root URI as given, for messages */
  void *impl; /* the backend's state, owned by it */
};

/* Backend constructors: fill s->ops and s->impl. root is an absolute or relative folder without
 * a trailing '/'; prefix is "" or "a/b/" (always ending in '/'). */
int sl__objstore_file_open(sl_objstore *s, const char *root, sl_err *err);
int sl__objstore_s3_open(sl_objstore *s, const char *bucket, const char *prefix,
                         const sl_objstore_opts *opts, sl_err *err);

/* 0 when key is a usable object key: not empty, no leading or trailing '/', no empty, "." or
 * ".." component. Otherwise SL_EINVAL naming the key. */
int sl__objstore_key_check(const sl_objstore *s, const char *key, sl_err *err);

/* Test knob: the S3 backend asks for at most n keys per ListObjectsV2 page (default 1000), so
 * tests can exercise paging with few objects. No effect on other backends. */
void sl__objstore_s3_set_max_keys(sl_objstore *s, int n);

/* Test aid: the URL a request for key would use (NULL or "" key: the bucket itself), showing
 * the addressing style and key encoding; caller frees. NULL for other backends. */
char *sl__objstore_s3_url(sl_objstore *s, const char *key);

#endif
