/* state.h - keyed state for operators, with two backends behind one interface.
 *
 * A job has one state backend; each operator opens the keyed states it needs by name
 * ("3/acc": operator 3's accumulators). An entry is addressed by a namespace (e.g. a window's
 * end), a key (the serialized grouping or join key, any bytes) and the key's hash; the hash also
 * picks the entry's key group, so that state can later be split across a different parallelism.
 *
 *   hashmap  every entry lives in memory, in one hash map per namespace; a checkpoint writes a
 *            full snapshot file.
 *   rocksdb  entries live in RocksDB (a column family per keyed state; keys laid out as
 *            key group | namespace | key), behind a bounded in-memory layer of the same hash
 *            maps that absorbs the hot path; a checkpoint flushes that layer and takes a RocksDB
 *            checkpoint whose SST files are shared by later checkpoints (incremental).
 *
 * Values are either fixed-size slots updated in place (accumulators) or variable-length byte
 * strings. A value pointer stays valid until its entry is written, deleted or drained, or until
 * sl_state_backend_trim, which operators call between batches.
 * Idle entries expire after a time-to-live when one is set (processing time, reset on write).
 * Not thread-safe: one job thread uses a backend. */
#ifndef SL_STATE_H
#define SL_STATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../engine/err.h"
#include "state_map.h"

typedef enum { SL_STATE_HASHMAP, SL_STATE_ROCKSDB } sl_state_kind;

#define SL_STATE_KEY_GROUPS 128 /* Flink's default maximum parallelism */

typedef struct sl_state_config {
  sl_state_kind kind;
  const char *local_dir;         /* rocksdb: parent of its working folder (NULL: $TMPDIR or /tmp) */
  size_t block_cache_bytes;      /* rocksdb block cache (0: 8 MiB) */
  size_t write_buffer_bytes;     /* rocksdb memtable size (0: 64 MiB) */
  size_t front_cache_bytes;      /* rocksdb: budget of the in-memory layer (0: 64 MiB) */
  bool incremental;              /* rocksdb: share SST files across checkpoints */
} sl_state_config;

typedef struct sl_state_backend sl_state_backend;
typedef struct sl_kstate sl_kstate;

/* Variable-length values: the marker for sl_kstate_open's value_size. */
#define SL_KSTATE_VAR 0

int sl_state_backend_new(const sl_state_config *cfg, sl_state_backend **out, sl_err *err);
void sl_state_backend_free(sl_state_backend *be);
const char *sl_state_backend_name(const sl_state_backend *be);
/* Processing-time clock for TTL, in microseconds (tests replace it). */
void sl_state_backend_set_clock(sl_state_backend *be, int64_t (*now_us)(void *arg), void *arg);
/* rocksdb: writes the in-memory layer back and empties it when it is over its budget, which
 * invalidates every value pointer handed out. Operators call it at the end of a batch. */
int sl_state_backend_trim(sl_state_backend *be, sl_err *err);
/* Bytes of state held in memory (maps and, for rocksdb, its memtables and block cache use). */
size_t sl_state_backend_memory(const sl_state_backend *be);
/* Bytes of the states whose names start with prefix ("<operator id>/": one operator's), in
 * memory and, for rocksdb, on disk: for metrics. */
int64_t sl_state_backend_bytes_of(const sl_state_backend *be, const char *prefix);

/* Opens the keyed state `name`: value_size bytes per fixed slot, or SL_KSTATE_VAR; ttl_us > 0
 * expires entries not written for that long. Reopening a restored state needs the same shape. */
int sl_kstate_open(sl_state_backend *be, const char *name, uint32_t value_size, int64_t ttl_us, sl_kstate **out,
                   sl_err *err);

/* Fixed slots: finds or creates (zeroed) the entry; the slot may be changed in place until the
 * next call on this backend. */
int sl_kstate_upsert(sl_kstate *s, uint64_t ns, const void *key, uint32_t klen, uint64_t hash, void **slot,
                     bool *created);
/* Reads an entry: *value NULL when absent or expired; *vlen its length. */
int sl_kstate_get(sl_kstate *s, uint64_t ns, const void *key, uint32_t klen, uint64_t hash, const void **value,
                  uint32_t *vlen);
/* Writes an entry (variable-length states, or a whole fixed slot). */
int sl_kstate_put(sl_kstate *s, uint64_t ns, const void *key, uint32_t klen, uint64_t hash, const void *value,
                  uint32_t vlen);
int sl_kstate_delete(sl_kstate *s, uint64_t ns, const void *key, uint32_t klen, uint64_t hash);

/* Visits every live entry of namespace ns (in no particular order) and then removes them all
 * (a window firing). A non-zero return from fn stops and is returned; the namespace is then
 * left as it was. */
typedef int (*sl_kstate_visit_fn)(void *arg, const void *key, uint32_t klen, const void *value, uint32_t vlen);
int sl_kstate_drain(sl_kstate *s, uint64_t ns, sl_kstate_visit_fn fn, void *arg);
/* Removes namespace ns without visiting it. */
int sl_kstate_drop(sl_kstate *s, uint64_t ns);

/* ---- Snapshots (used by checkpoints) ------------------------------------------------------ */

/* Files of a snapshot taken into a local folder. */
typedef struct sl_state_file {
  char *name;          /* file name inside the folder */
  char *path;          /* full local path */
  bool shared;         /* immutable: may be shared by later checkpoints */
} sl_state_file;

typedef struct sl_state_files {
  int n, cap;
  sl_state_file *files;
} sl_state_files;

void sl_state_files_destroy(sl_state_files *f);

/* Writes a consistent snapshot of every keyed state into dir (which must not exist yet) and
 * lists its files. Called between batches, when every operator has seen the barrier. */
int sl_state_backend_snapshot(sl_state_backend *be, const char *dir, sl_state_files *out, sl_err *err);
/* Loads a snapshot downloaded into dir; call right after sl_state_backend_new, before any
 * sl_kstate_open. dir may be consumed (files moved). */
int sl_state_backend_restore(sl_state_backend *be, const char *dir, sl_err *err);

#endif
