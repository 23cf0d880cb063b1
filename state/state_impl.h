/* state_impl.h - what the keyed-state layer (kstate.c) and its two backends share. */
#ifndef SL_STATE_IMPL_H
#define SL_STATE_IMPL_H

#include "../engine/buf.h"
#include "state.h"

/* Every cached entry's slot starts with this header; the value follows (fixed slots), or a
 * pointer to a malloc'd copy (variable-length values). */
typedef struct centry {
  int64_t ts;          /* expiry (processing time, us) or 0 for never: last write + TTL */
  uint32_t vlen;       /* value length */
  uint8_t dirty;       /* changed since it was last written to RocksDB */
  uint8_t used;        /* read or written since the eviction sweep last passed (CLOCK) */
  uint8_t pad[2];
} centry;

#define CENTRY_VALUE(e) ((unsigned char *)(e) + sizeof(centry))

/* One namespace's entries held in memory. */
typedef struct nsmap {
  uint64_t ns;
  sl_state_map *m;
  bool in_db;          /* RocksDB may hold entries of this namespace too */
} nsmap;

struct sl_kstate {
  sl_state_backend *be;
  char *name;
  uint32_t value_size;  /* SL_KSTATE_VAR or bytes */
  int64_t ttl_us;
  bool opened;          /* by an operator (restored states exist before) */
  nsmap *nss;           /* sorted by ns */
  int nns, capns;
  int last;             /* index of the last namespace used */
  void *cf;             /* rocksdb column family handle */
  size_t var_bytes;     /* its variable-length values held by the in-memory layer */
};

struct sl_state_backend {
  sl_state_config cfg;
  sl_kstate **states;
  int nstates, capstates;
  size_t var_bytes;     /* variable-length values held by the in-memory layer */
  int draining;         /* > 0 while a drain iterates: no spilling */
  int sweep_state;      /* where the eviction sweep stands: state, namespace, table position */
  int sweep_ns;
  size_t sweep_pos;
  int ttl_state, ttl_ns;  /* where the expired-entry sweep stands */
  size_t ttl_pos;
  int64_t writes;       /* entries written since the last sweep */
  int64_t (*now_us)(void *arg);
  void *clock_arg;
  int64_t now_cached;   /* the wall clock as of the last trim (time-to-live is per batch) */
  void *rdb;            /* rocksdb_backend.c's handle, NULL for hashmap */
  sl_buf scratch;       /* encoded RocksDB key */
  sl_buf val;           /* value read from RocksDB */
  sl_buf drained;       /* value of the entry being drained, aligned for slots */
  sl_err *err;          /* where errors of value-returning calls go */
};

/* kstate.c */
sl_kstate *sl_kstate_find(sl_state_backend *be, const char *name);
sl_kstate *sl_kstate_add(sl_state_backend *be, const char *name, uint32_t value_size, int64_t ttl_us);
void sl_kstate_free_all(sl_state_backend *be);
/* Inserts a restored entry into the in-memory layer (clean). */
void sl_kstate_load(sl_kstate *s, uint64_t ns, const void *key, uint32_t klen, int64_t ts, const void *value,
                    uint32_t vlen);
size_t sl_kstate_slot_size(const sl_kstate *s);
/* RocksDB holds entries of namespace ns (a restored state). */
void sl_kstate_mark_in_db(sl_kstate *s, uint64_t ns);

/* hashmap_backend.c: full snapshot file of every state */
int sl_hashmap_snapshot(sl_state_backend *be, const char *dir, sl_state_files *out, sl_err *err);
int sl_hashmap_restore(sl_state_backend *be, const char *dir, sl_err *err);

/* rocksdb_backend.c */
int sl_rdb_open(sl_state_backend *be, const char *restore_dir, sl_err *err);
void sl_rdb_close(sl_state_backend *be);
int sl_rdb_cf(sl_state_backend *be, sl_kstate *s, sl_err *err);
/* Key layout: key group (2 bytes, big-endian) | namespace (8 bytes, big-endian) | key. */
void sl_rdb_key(sl_buf *out, uint64_t hash, uint64_t ns, const void *key, uint32_t klen);
int sl_rdb_get(sl_state_backend *be, sl_kstate *s, const sl_buf *k, bool *found, sl_err *err);
void sl_rdb_put(sl_state_backend *be, sl_kstate *s, const void *k, size_t kl, int64_t ts, const void *v, uint32_t vl);
void sl_rdb_del(sl_state_backend *be, sl_kstate *s, const void *k, size_t kl);
int sl_rdb_commit(sl_state_backend *be, sl_err *err);
/* Records (in the batch) whether a namespace of s has entries in the DB, so that a restore
 * knows which namespaces to look up there. */
void sl_rdb_mark_ns(sl_state_backend *be, sl_kstate *s, uint64_t ns, bool present);
typedef int (*sl_rdb_scan_fn)(void *arg, const void *k, size_t kl, int64_t ts, const void *v, uint32_t vl);
/* Every entry of namespace ns, over all key groups. */
int sl_rdb_scan_ns(sl_state_backend *be, sl_kstate *s, uint64_t ns, sl_rdb_scan_fn fn, void *arg, sl_err *err);
int sl_rdb_snapshot(sl_state_backend *be, const char *dir, sl_state_files *out, sl_err *err);
size_t sl_rdb_memory(const sl_state_backend *be);
/* Bytes of one state in RocksDB: its SST files and memtables. */
size_t sl_rdb_state_bytes(const sl_state_backend *be, void *cf);

void sl_state_files_add(sl_state_files *f, const char *dir, const char *name, bool shared);

#endif
