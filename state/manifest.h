/* manifest.h - what one completed checkpoint holds, as plain C structs; encoded with protobuf-c
 * (state/checkpoint.proto) into the checkpoint's _metadata object, written last. */
#ifndef SL_MANIFEST_H
#define SL_MANIFEST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../engine/buf.h"
#include "../engine/err.h"

#define SL_MANIFEST_VERSION 1

/* One file of the state backend's snapshot, and where the store keeps it. */
typedef struct sl_manifest_file {
  char *name;          /* name inside the snapshot folder, e.g. "000012.sst" or "state.bin" */
  char *key;           /* object key relative to the store root, e.g. "<job>/shared/000012.sst-1a2b" */
  int64_t size;
  bool shared;         /* immutable file that later checkpoints may reference too */
} sl_manifest_file;

/* A source split's position (see sl_split_pos). */
typedef struct sl_manifest_split {
  char *split;
  int64_t offset;
  int64_t record;
  char *position;      /* text position (Kinesis: "AFTER_SEQUENCE_NUMBER:<seq>"), or NULL */
} sl_manifest_split;

/* The non-keyed part of one operator's snapshot. */
typedef struct sl_manifest_op {
  int32_t id;              /* operator id in the DAG */
  char *kind;              /* operator name, e.g. "WindowAggregate", checked on restore */
  sl_buf data;             /* operator-owned bytes (watermark, open windows, ...) */
  int nsplits;             /* sources: positions */
  sl_manifest_split *splits;
  int64_t skipped;         /* sources: records skipped so far */
  int ncommits;            /* two-phase sinks: commit data of prepared, not yet published output */
  sl_buf *commits;
} sl_manifest_op;

typedef struct sl_manifest {
  uint32_t version;
  char *job_id;            /* 32 hex digits */
  int64_t checkpoint_id;   /* 1, 2, ... continuing across restores */
  uint64_t plan_fingerprint;
  int64_t timestamp_ms;    /* wall clock when the checkpoint was triggered */
  bool savepoint;          /* taken on stop (SIGINT/SIGTERM) or on request */
  bool finished;           /* taken at the end of bounded input: nothing left to read */
  char *backend;           /* "hashmap" or "rocksdb" */
  int nfiles;
  sl_manifest_file *files;
  int nops;
  sl_manifest_op *ops;
} sl_manifest;

sl_manifest *sl_manifest_new(void);
void sl_manifest_free(sl_manifest *m);

/* Builders: each returns the new element (zeroed except the copied arguments). */
sl_manifest_file *sl_manifest_add_file(sl_manifest *m, const char *name, const char *key, int64_t size, bool shared);
sl_manifest_op *sl_manifest_add_op(sl_manifest *m, int32_t id, const char *kind);
void sl_manifest_op_add_split(sl_manifest_op *op, const char *split, int64_t offset, int64_t record, const char *position);
void sl_manifest_op_add_commit(sl_manifest_op *op, const void *data, size_t len);
/* The operator entry with this id, or NULL. */
sl_manifest_op *sl_manifest_find_op(const sl_manifest *m, int32_t id);

/* Serializes to protobuf bytes (appended to out). */
void sl_manifest_encode(const sl_manifest *m, sl_buf *out);
/* Parses and validates (version, required fields); `where` names the object in messages. */
int sl_manifest_decode(const void *data, size_t len, const char *where, sl_manifest **out, sl_err *err);

#endif
