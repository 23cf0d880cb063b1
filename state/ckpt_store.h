/* ckpt_store.h - checkpoints in an object store: the layout, incremental upload of state files,
 * the manifest written last, retention, and finding the newest complete checkpoint.
 *
 * Layout under the store root (as Flink's):
 *   <job-id>/chk-<n>/_metadata        the manifest; a checkpoint without it is incomplete
 *   <job-id>/chk-<n>/<file>           files private to checkpoint n (hashmap snapshot, RocksDB
 *                                     MANIFEST/CURRENT/OPTIONS, ...)
 *   <job-id>/shared/<file>-<run-tag>  immutable files (RocksDB SSTs) shared by retained checkpoints
 * A shared file is uploaded once per run and kept while any retained checkpoint references it. */
#ifndef SL_CKPT_STORE_H
#define SL_CKPT_STORE_H

#include <stdbool.h>

#include "manifest.h"
#include "objstore.h"

/* One file of a local snapshot folder to put into a checkpoint. */
typedef struct sl_ckpt_file {
  const char *name;        /* file name inside the snapshot */
  const char *local_path;  /* where it is now */
  bool shared;             /* immutable under this name for the whole run: upload once, share */
} sl_ckpt_file;

typedef struct sl_ckpt_store sl_ckpt_store;

/* A store for job_id's checkpoints. num_retained (>= 1) completed checkpoints are kept.
 * The store handle does not own os. */
sl_ckpt_store *sl_ckpt_store_new(sl_objstore *os, const char *job_id, int num_retained);
void sl_ckpt_store_free(sl_ckpt_store *cs);

/* Seeds the store with the checkpoint restored from: its shared files count as uploaded (the
 * local state descends from them), and it is retained like one this run completed. Shared files
 * of other retained checkpoints are never reused by name. */
void sl_ckpt_store_adopt(sl_ckpt_store *cs, const sl_manifest *restored);

/* Writes checkpoint m->checkpoint_id: uploads files (shared ones not uploaded before), fills
 * m->files, then writes <job>/chk-<n>/_metadata last. On failure everything this call uploaded
 * that no retained checkpoint references is deleted and m is left without files. On success
 * the oldest checkpoints beyond num_retained are deleted, with the shared files only they used. */
int sl_ckpt_store_write(sl_ckpt_store *cs, sl_manifest *m, const sl_ckpt_file *files, int nfiles, sl_err *err);

/* Bytes the last successful sl_ckpt_store_write uploaded (new files and the manifest). */
int64_t sl_ckpt_store_last_uploaded(const sl_ckpt_store *cs);

/* The object key of checkpoint n's folder ("<job>/chk-<n>"), into out. */
void sl_ckpt_store_path(const sl_ckpt_store *cs, int64_t checkpoint_id, sl_buf *out);

/* Finds the newest complete checkpoint under the store root, over every job id: the highest
 * checkpoint id, ties broken by timestamp. Sets *folder (malloc'd key of its folder, e.g.
 * "<job>/chk-7") or returns SL_ENOTFOUND. Incomplete folders (no _metadata) are ignored. */
int sl_ckpt_find_latest(sl_objstore *os, char **folder, sl_err *err);
/* The same among job's checkpoints only (job NULL: every job's). */
int sl_ckpt_find_latest_of(sl_objstore *os, const char *job, char **folder, sl_err *err);

/* Reads and validates the manifest of the checkpoint in folder (a key under the store root). */
int sl_ckpt_read(sl_objstore *os, const char *folder, sl_manifest **out, sl_err *err);

/* Downloads every file of m into local_dir (created), under its snapshot name. */
int sl_ckpt_download(sl_objstore *os, const sl_manifest *m, const char *local_dir, sl_err *err);

/* Takes over what earlier runs of job_id left: deletes checkpoint folders without _metadata and
 * shared files no complete checkpoint references, then retains the complete checkpoints (the
 * oldest beyond num_retained are deleted). */
int sl_ckpt_store_clean(sl_ckpt_store *cs, sl_err *err);
/* The highest checkpoint id retained (0 when none): a restored job continues after it. */
int64_t sl_ckpt_store_max_id(const sl_ckpt_store *cs);

#endif
