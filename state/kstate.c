/* kstate.c - keyed state: per-namespace hash maps in memory, which are all of the state for the
 * hashmap backend and a bounded write-back layer in front of RocksDB for the rocksdb backend.
 *
 * With RocksDB, a miss goes to the DB only for namespaces that have been spilled there (or after
 * a restore), so a fresh window never pays for a DB read. When the layer outgrows its budget, a
 * CLOCK sweep evicts entries not used since it last passed, writing the dirty ones to the DB. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../engine/arena.h"
#include "state_impl.h"

/* ---- Backend ------------------------------------------------------------------------------ */

static int64_t wall_clock_us(void *arg) {
  (void)arg;
  struct timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

int sl_state_backend_new(const sl_state_config *cfg, sl_state_backend **out, sl_err *err) {
  sl_state_backend *be = sl_calloc(1, sizeof *be);
  be->cfg = *cfg;
  if (!be->cfg.block_cache_bytes) be->cfg.block_cache_bytes = 8u << 20;
  if (!be->cfg.write_buffer_bytes) be->cfg.write_buffer_bytes = 64u << 20;
  if (!be->cfg.front_cache_bytes) be->cfg.front_cache_bytes = 64u << 20;
  be->now_us = wall_clock_us;
  be->now_cached = wall_clock_us(NULL);
  be->err = err;
  sl_buf_init(&be->scratch);
  sl_buf_init(&be->val);
  sl_buf_init(&be->drained);
  *out = be;
  return 0;
}

void sl_state_backend_free(sl_state_backend *be) {
  if (!be) return;
  sl_kstate_free_all(be);
  if (be->rdb) sl_rdb_close(be);
  sl_buf_destroy(&be->scratch);
  sl_buf_destroy(&be->val);
  sl_buf_destroy(&be->drained);
  free(be);
}

const char *sl_state_backend_name(const sl_state_backend *be) {
  return be->cfg.kind == SL_STATE_ROCKSDB ? "rocksdb" : "hashmap";
}

void sl_state_backend_set_clock(sl_state_backend *be, int64_t (*now_us)(void *), void *arg) {
  be->now_us = now_us;
  be->clock_arg = arg;
}

/* Bytes held by the in-memory layer: the maps and the variable-length values. */
static size_t layer_bytes(const sl_state_backend *be) {
  size_t n = be->var_bytes;
  for (int i = 0; i < be->nstates; i++)
    for (int j = 0; j < be->states[i]->nns; j++) n += sl_state_map_bytes(be->states[i]->nss[j].m);
  return n;
}

size_t sl_state_backend_memory(const sl_state_backend *be) {
  size_t n = layer_bytes(be);
  if (be->rdb) n += sl_rdb_memory(be);
  return n;
}

int64_t sl_state_backend_bytes_of(const sl_state_backend *be, const char *prefix) {
  size_t plen = strlen(prefix);
  int64_t n = 0;
  for (int i = 0; i < be->nstates; i++) {
    const sl_kstate *s = be->states[i];
    if (strncmp(s->name, prefix, plen)) continue;
    n += (int64_t)s->var_bytes;
    for (int j = 0; j < s->nns; j++) n += (int64_t)sl_state_map_bytes(s->nss[j].m);
    if (be->rdb && s->cf) n += (int64_t)sl_rdb_state_bytes(be, s->cf);
  }
  return n;
}

/* The DB is opened lazily by the first state (or by restore), so that a job whose operators
 * keep no state never creates one. */
static int ensure_db(sl_state_backend *be, sl_err *err) {
  if (be->cfg.kind != SL_STATE_ROCKSDB || be->rdb) return 0;
  return sl_rdb_open(be, NULL, err);
}

/* ---- States and namespaces ---------------------------------------------------------------- */

size_t sl_kstate_slot_size(const sl_kstate *s) {
  return sizeof(centry) + (s->value_size == SL_KSTATE_VAR ? sizeof(void *) : s->value_size);
}

sl_kstate *sl_kstate_find(sl_state_backend *be, const char *name) {
  for (int i = 0; i < be->nstates; i++)
    if (!strcmp(be->states[i]->name, name)) return be->states[i];
  return NULL;
}

sl_kstate *sl_kstate_add(sl_state_backend *be, const char *name, uint32_t value_size, int64_t ttl_us) {
  if (be->nstates == be->capstates) {
    be->capstates = be->capstates ? be->capstates * 2 : 8;
    be->states = sl_realloc(be->states, sizeof(sl_kstate *) * (size_t)be->capstates);
  }
  sl_kstate *s = sl_calloc(1, sizeof *s);
  s->be = be;
  s->name = sl_strdup(name);
  s->value_size = value_size;
  s->ttl_us = ttl_us;
  be->states[be->nstates++] = s;
  return s;
}

static void free_var_values(sl_kstate *s, sl_state_map *m) {
  if (s->value_size != SL_KSTATE_VAR) return;
  size_t pos = 0;
  void *slot;
  while ((slot = sl_state_map_at(m, &pos))) {
    void *p;
    memcpy(&p, CENTRY_VALUE(slot), sizeof p);
    free(p);
    s->be->var_bytes -= ((centry *)slot)->vlen;
    s->var_bytes -= ((centry *)slot)->vlen;
  }
}

static void free_nsmap(sl_kstate *s, nsmap *n) {
  free_var_values(s, n->m);
  sl_state_map_free(n->m);
  n->m = NULL;
}

void sl_kstate_free_all(sl_state_backend *be) {
  for (int i = 0; i < be->nstates; i++) {
    sl_kstate *s = be->states[i];
    for (int j = 0; j < s->nns; j++) free_nsmap(s, &s->nss[j]);
    free(s->nss);
    free(s->name);
    free(s);
  }
  free(be->states);
  be->states = NULL;
  be->nstates = be->capstates = 0;
}

int sl_kstate_open(sl_state_backend *be, const char *name, uint32_t value_size, int64_t ttl_us, sl_kstate **out,
                   sl_err *err) {
  int rc = ensure_db(be, err);
  if (rc) return rc;
  sl_kstate *s = sl_kstate_find(be, name);
  if (s && s->opened) return sl_err_set(err, SL_EINVAL, SL_ERR_NOLOC, "keyed state '%s' is opened twice", name);
  if (s && s->value_size != value_size)
    return sl_err_set(err, SL_ECHECKPOINT, SL_ERR_NOLOC,
                      "restored keyed state '%s' holds %u-byte values but the job expects %u: the query changed", name,
                      s->value_size, value_size);
  if (!s) s = sl_kstate_add(be, name, value_size, ttl_us);
  s->ttl_us = ttl_us;
  if (be->rdb && (rc = sl_rdb_cf(be, s, err))) return rc;
  s->opened = true;
  *out = s;
  return 0;
}

/* The in-memory map of namespace ns, created when `create` is set (else NULL if absent). */
static nsmap *find_ns(sl_kstate *s, uint64_t ns, bool create) {
  if (s->last < s->nns && s->nss[s->last].ns == ns) return &s->nss[s->last];
  int lo = 0, hi = s->nns;
  while (lo < hi) {
    int mid = (lo + hi) / 2;
    if (s->nss[mid].ns < ns) lo = mid + 1;
    else hi = mid;
  }
  if (lo < s->nns && s->nss[lo].ns == ns) {
    s->last = lo;
    return &s->nss[lo];
  }
  if (!create) return NULL;
  if (s->nns == s->capns) {
    s->capns = s->capns ? s->capns * 2 : 8;
    s->nss = sl_realloc(s->nss, sizeof(nsmap) * (size_t)s->capns);
  }
  memmove(&s->nss[lo + 1], &s->nss[lo], sizeof(nsmap) * (size_t)(s->nns - lo));
  s->nns++;
  s->nss[lo] = (nsmap){.ns = ns, .m = sl_state_map_new(sl_kstate_slot_size(s))};
  s->last = lo;
  return &s->nss[lo];
}

static void remove_ns(sl_kstate *s, nsmap *n) {
  int i = (int)(n - s->nss);
  free_nsmap(s, n);
  memmove(&s->nss[i], &s->nss[i + 1], sizeof(nsmap) * (size_t)(s->nns - i - 1));
  s->nns--;
  s->last = 0;
}

/* Entries carry their expiry time (0: never), so that RocksDB's compaction filter needs no
 * knowledge of each state's time-to-live. */
/* Processing time for time-to-live: the wall clock read once per batch (at each trim), as reading
 * it per entry costs more than the lookup; a clock set by the embedder or a test is asked each time. */
static int64_t now_of(const sl_state_backend *be) {
  return be->now_us == wall_clock_us ? be->now_cached : be->now_us(be->clock_arg);
}

static bool expired(const sl_kstate *s, int64_t expiry) { return expiry != 0 && now_of(s->be) >= expiry; }

static int64_t expiry_for(const sl_kstate *s) { return s->ttl_us > 0 ? now_of(s->be) + s->ttl_us : 0; }

void sl_kstate_mark_in_db(sl_kstate *s, uint64_t ns) { find_ns(s, ns, true)->in_db = true; }

/* Frees a variable-length entry's value before the entry itself goes. */
static void drop_var(sl_kstate *s, centry *e) {
  if (s->value_size != SL_KSTATE_VAR) return;
  void *p;
  memcpy(&p, CENTRY_VALUE(e), sizeof p);
  free(p);
  s->be->var_bytes -= e->vlen;
  s->var_bytes -= e->vlen;
}

/* ---- Spilling to RocksDB ------------------------------------------------------------------ */

/* Adds an in-memory entry to the pending RocksDB batch; it becomes clean. */
static void write_entry(sl_kstate *s, nsmap *n, centry *e) {
  sl_state_backend *be = s->be;
  size_t klen;
  const void *key = sl_state_map_key(n->m, e, &klen);
  sl_rdb_key(&be->scratch, sl_state_hash(key, klen), n->ns, key, (uint32_t)klen);
  const void *v = CENTRY_VALUE(e);
  if (s->value_size == SL_KSTATE_VAR) memcpy(&v, CENTRY_VALUE(e), sizeof v);
  sl_rdb_put(be, s, be->scratch.data, be->scratch.len, e->ts, v, e->vlen);
  e->dirty = 0;
  if (!n->in_db) sl_rdb_mark_ns(be, s, n->ns, true);
  n->in_db = true;
}

/* Writes every dirty in-memory entry to the DB (one batch); entries become clean. */
static int flush_dirty(sl_state_backend *be, sl_err *err) {
  for (int i = 0; i < be->nstates; i++) {
    sl_kstate *s = be->states[i];
    for (int j = 0; j < s->nns; j++) {
      nsmap *n = &s->nss[j];
      size_t pos = 0;
      void *slot;
      while ((slot = sl_state_map_at(n->m, &pos)))
        if (((centry *)slot)->dirty) write_entry(s, n, slot);
    }
  }
  return sl_rdb_commit(be, err);
}

/* Deletes one in-memory entry during a sweep (the caller then revisits position *pos - 1). */
static void delete_at(sl_kstate *s, nsmap *n, centry *e, size_t *pos) {
  sl_state_backend *be = s->be;
  size_t klen;
  const void *key = sl_state_map_key(n->m, e, &klen);
  /* The key lives in the entry: delete by a copy of it. */
  sl_buf_reset(&be->drained);
  sl_buf_add(&be->drained, key, klen);
  drop_var(s, e);
  sl_state_map_delete(n->m, be->drained.data, klen, sl_state_hash(be->drained.data, klen));
  (*pos)--; /* the cluster shifted back into this position */
}

/* Evicts entries, the least recently used first (CLOCK: an entry used since the sweep last
 * passed it is spared once), until the layer holds at most `target` bytes. Dirty entries are
 * written to the DB as they go. The sweep resumes where it stopped, so every entry is met in
 * turn; two passes over everything always reach the target. */
static int evict(sl_state_backend *be, size_t target, sl_err *err) {
  size_t bytes = layer_bytes(be);
  for (int pass = 0; pass < 2 * be->nstates + 2 && bytes > target; pass++) {
    if (be->sweep_state >= be->nstates) be->sweep_state = 0, be->sweep_ns = 0, be->sweep_pos = 0;
    sl_kstate *s = be->states[be->sweep_state];
    for (; be->sweep_ns < s->nns && bytes > target; be->sweep_ns++, be->sweep_pos = 0) {
      nsmap *n = &s->nss[be->sweep_ns];
      void *slot;
      while (bytes > target && (slot = sl_state_map_at(n->m, &be->sweep_pos))) {
        centry *e = slot;
        if (e->used) {
          e->used = 0;
          continue;
        }
        /* An expired entry goes without being written: it is as good as deleted. */
        if (e->dirty && !expired(s, e->ts)) write_entry(s, n, e);
        size_t before = sl_state_map_bytes(n->m) + be->var_bytes;
        delete_at(s, n, e, &be->sweep_pos);
        bytes -= before - (sl_state_map_bytes(n->m) + be->var_bytes);
      }
      if (bytes <= target) break;
    }
    if (bytes > target) be->sweep_state++, be->sweep_ns = 0, be->sweep_pos = 0;
  }
  return sl_rdb_commit(be, err);
}

/* Incremental TTL cleanup, as Flink's heap backend does it: visits up to `budget` in-memory
 * entries of states with a time-to-live, resuming where the last sweep stopped, and deletes the
 * expired ones, so that state nobody reads again still goes. (A copy in RocksDB carries the same
 * or an older expiry: lookups ignore it, and compaction drops it.) */
static void sweep_expired(sl_state_backend *be, int64_t budget) {
  for (int round = 0; round <= be->nstates && budget > 0; round++) {
    if (be->ttl_state >= be->nstates) be->ttl_state = 0, be->ttl_ns = 0, be->ttl_pos = 0;
    sl_kstate *s = be->states[be->ttl_state];
    for (; s->ttl_us > 0 && be->ttl_ns < s->nns && budget > 0; be->ttl_ns++, be->ttl_pos = 0) {
      nsmap *n = &s->nss[be->ttl_ns];
      void *slot;
      while (budget > 0 && (slot = sl_state_map_at(n->m, &be->ttl_pos))) {
        budget--;
        if (expired(s, ((centry *)slot)->ts)) delete_at(s, n, slot, &be->ttl_pos);
      }
      if (budget == 0) return;
    }
    be->ttl_state++, be->ttl_ns = 0, be->ttl_pos = 0;
  }
}

/* Called between batches: sweeps expired entries (twice as many visits as writes since the
 * last call), and brings the in-memory layer back under budget once it is over (never while a
 * drain iterates it): a quarter of the budget is evicted at a time, so that most hot entries stay. */
int sl_state_backend_trim(sl_state_backend *be, sl_err *err) {
  if (be->draining) return 0;
  if (be->now_us == wall_clock_us) be->now_cached = wall_clock_us(NULL);
  if (be->writes > 0) {
    /* Twice as many visits as writes: in a steady state entries expire as fast as they are
     * written, so a full pass takes half a time-to-live and expired entries linger that long. */
    sweep_expired(be, 2 * be->writes + 64);
    be->writes = 0;
  }
  if (!be->rdb || layer_bytes(be) <= be->cfg.front_cache_bytes) return 0;
  return evict(be, be->cfg.front_cache_bytes / 4 * 3, err);
}

/* ---- Entries ------------------------------------------------------------------------------ */

static void set_var(sl_kstate *s, centry *e, const void *value, uint32_t vlen) {
  void *old;
  memcpy(&old, CENTRY_VALUE(e), sizeof old);
  free(old);
  s->be->var_bytes += (size_t)vlen - (old ? e->vlen : 0);
  s->var_bytes += (size_t)vlen - (old ? e->vlen : 0);
  void *p = sl_malloc(vlen ? vlen : 1);
  if (vlen) memcpy(p, value, vlen);
  memcpy(CENTRY_VALUE(e), &p, sizeof p);
  e->vlen = vlen;
}

/* Finds the entry in memory, loading it from RocksDB when the namespace may be there. With
 * `create`, a missing (or expired) entry is made, zeroed and dirty. *e is NULL when absent. */
static int lookup(sl_kstate *s, uint64_t ns, const void *key, uint32_t klen, uint64_t hash, bool create, centry **out,
                  bool *created) {
  sl_state_backend *be = s->be;
  int rc;
  *out = NULL;
  if (created) *created = false;
  nsmap *n = find_ns(s, ns, create);
  if (!n) return 0;
  centry *e = sl_state_map_get(n->m, key, klen, hash);
  if (e) e->used = 1;
  if (e && expired(s, e->ts)) {
    /* Expired: gone, as if deleted. A copy in the DB is older, so expired too: lookups ignore
     * it and compaction drops it, no need to write a delete. */
    drop_var(s, e);
    sl_state_map_delete(n->m, key, klen, hash);
    e = NULL;
    if (!create) return 0;
  } else if (!e && n->in_db) {
    sl_rdb_key(&be->scratch, hash, ns, key, klen);
    bool found;
    if ((rc = sl_rdb_get(be, s, &be->scratch, &found, be->err))) return rc;
    if (found) {
      int64_t ts;
      memcpy(&ts, be->val.data, 8);
      const void *v = be->val.data + 8;
      uint32_t vlen = (uint32_t)(be->val.len - 8);
      if (!expired(s, ts)) {
        bool c;
        e = sl_state_map_upsert(n->m, key, klen, hash, &c);
        e->ts = ts;
        if (s->value_size == SL_KSTATE_VAR) set_var(s, e, v, vlen);
        else memcpy(CENTRY_VALUE(e), v, vlen < s->value_size ? vlen : s->value_size);
        e->vlen = s->value_size == SL_KSTATE_VAR ? vlen : s->value_size;
        *out = e;
        return 0;
      }
      /* Expired in the DB: absent (compaction drops it). */
    }
  }
  if (e || !create) {
    *out = e;
    return 0;
  }
  bool c;
  e = sl_state_map_upsert(n->m, key, klen, hash, &c);
  memset(e, 0, sl_kstate_slot_size(s));
  e->vlen = s->value_size;
  e->ts = expiry_for(s);
  e->dirty = 1;
  if (created) *created = true;
  *out = e;
  return 0;
}

int sl_kstate_upsert(sl_kstate *s, uint64_t ns, const void *key, uint32_t klen, uint64_t hash, void **slot,
                     bool *created) {
  centry *e;
  int rc = lookup(s, ns, key, klen, hash, true, &e, created);
  if (rc) return rc;
  if (s->ttl_us > 0 && !*created) e->ts = expiry_for(s);
  e->dirty = 1;
  s->be->writes++;
  *slot = CENTRY_VALUE(e);
  return 0;
}

int sl_kstate_get(sl_kstate *s, uint64_t ns, const void *key, uint32_t klen, uint64_t hash, const void **value,
                  uint32_t *vlen) {
  centry *e;
  int rc = lookup(s, ns, key, klen, hash, false, &e, NULL);
  if (rc) return rc;
  *value = NULL;
  *vlen = 0;
  if (!e) return 0;
  *vlen = e->vlen;
  if (s->value_size == SL_KSTATE_VAR) memcpy(value, CENTRY_VALUE(e), sizeof *value);
  else *value = CENTRY_VALUE(e);
  return 0;
}

int sl_kstate_put(sl_kstate *s, uint64_t ns, const void *key, uint32_t klen, uint64_t hash, const void *value,
                  uint32_t vlen) {
  if (s->value_size != SL_KSTATE_VAR && vlen != s->value_size)
    return sl_err_set(s->be->err, SL_EINVAL, SL_ERR_NOLOC, "keyed state '%s' holds %u-byte values, not %u", s->name,
                      s->value_size, vlen);
  centry *e;
  bool created;
  int rc = lookup(s, ns, key, klen, hash, true, &e, &created);
  if (rc) return rc;
  if (s->value_size == SL_KSTATE_VAR) {
    set_var(s, e, value, vlen);
  } else {
    memcpy(CENTRY_VALUE(e), value, vlen);
  }
  e->ts = expiry_for(s);
  e->dirty = 1;
  s->be->writes++;
  return 0;
}

int sl_kstate_delete(sl_kstate *s, uint64_t ns, const void *key, uint32_t klen, uint64_t hash) {
  sl_state_backend *be = s->be;
  nsmap *n = find_ns(s, ns, false);
  if (!n) return 0;
  centry *e = sl_state_map_get(n->m, key, klen, hash);
  if (e) {
    drop_var(s, e);
    sl_state_map_delete(n->m, key, klen, hash);
  }
  if (!n->in_db) return 0;
  sl_rdb_key(&be->scratch, hash, ns, key, klen);
  sl_rdb_del(be, s, be->scratch.data, be->scratch.len);
  return sl_rdb_commit(be, be->err);
}

/* ---- Draining a namespace ----------------------------------------------------------------- */

typedef struct drain_ctx {
  sl_kstate *s;
  nsmap *n;
  sl_kstate_visit_fn fn;
  void *arg;
} drain_ctx;

/* A DB entry of the namespace: visited unless the in-memory copy (newer) exists or it expired. */
static int drain_db_entry(void *arg, const void *k, size_t kl, int64_t ts, const void *v, uint32_t vl) {
  drain_ctx *d = arg;
  const unsigned char *key = (const unsigned char *)k + 10;
  uint32_t klen = (uint32_t)(kl - 10);
  int rc = 0;
  if (!sl_state_map_get(d->n->m, key, klen, sl_state_hash(key, klen)) && !expired(d->s, ts)) {
    /* RocksDB's bytes follow the 8-byte expiry: copy them to malloc alignment for slots. */
    sl_buf *a = &d->s->be->drained;
    sl_buf_reset(a);
    sl_buf_add(a, v, vl);
    rc = d->fn(d->arg, key, klen, a->data, vl);
  }
  if (!rc) sl_rdb_del(d->s->be, d->s, k, kl);
  return rc;
}

int sl_kstate_drain(sl_kstate *s, uint64_t ns, sl_kstate_visit_fn fn, void *arg) {
  sl_state_backend *be = s->be;
  nsmap *n = find_ns(s, ns, false);
  if (!n) return 0;
  int rc = 0;
  be->draining++;
  if (n->in_db) {
    drain_ctx d = {s, n, fn, arg};
    rc = sl_rdb_scan_ns(be, s, ns, drain_db_entry, &d, be->err);
  }
  size_t pos = 0;
  void *slot;
  while (!rc && (slot = sl_state_map_at(n->m, &pos))) {
    centry *e = slot;
    if (expired(s, e->ts)) continue;
    size_t klen;
    const void *key = sl_state_map_key(n->m, slot, &klen);
    const void *v = CENTRY_VALUE(e);
    if (s->value_size == SL_KSTATE_VAR) memcpy(&v, CENTRY_VALUE(e), sizeof v);
    rc = fn(arg, key, (uint32_t)klen, v, e->vlen);
  }
  be->draining--;
  if (n->in_db) {
    int crc = sl_rdb_commit(be, be->err);
    if (!rc) rc = crc;
  }
  if (rc) return rc;
  n = find_ns(s, ns, false); /* fn may have added namespaces, moving the array */
  if (n && n->in_db) {
    sl_rdb_mark_ns(be, s, ns, false);
    if ((rc = sl_rdb_commit(be, be->err))) return rc;
  }
  if (n) remove_ns(s, n);
  return 0;
}

static int drop_visit(void *arg, const void *key, uint32_t klen, const void *value, uint32_t vlen) {
  (void)arg, (void)key, (void)klen, (void)value, (void)vlen;
  return 0;
}

int sl_kstate_drop(sl_kstate *s, uint64_t ns) { return sl_kstate_drain(s, ns, drop_visit, NULL); }

/* ---- Snapshots ---------------------------------------------------------------------------- */

void sl_kstate_load(sl_kstate *s, uint64_t ns, const void *key, uint32_t klen, int64_t ts, const void *value,
                    uint32_t vlen) {
  nsmap *n = find_ns(s, ns, true);
  uint64_t hash = sl_state_hash(key, klen);
  bool c;
  centry *e = sl_state_map_upsert(n->m, key, klen, hash, &c);
  e->ts = ts;
  if (s->value_size == SL_KSTATE_VAR) set_var(s, e, value, vlen);
  else memcpy(CENTRY_VALUE(e), value, vlen < s->value_size ? vlen : s->value_size);
  e->vlen = s->value_size == SL_KSTATE_VAR ? vlen : s->value_size;
}

void sl_state_files_add(sl_state_files *f, const char *dir, const char *name, bool shared) {
  if (f->n == f->cap) {
    f->cap = f->cap ? f->cap * 2 : 16;
    f->files = sl_realloc(f->files, sizeof(sl_state_file) * (size_t)f->cap);
  }
  size_t n = strlen(dir) + strlen(name) + 2;
  char *path = sl_malloc(n);
  snprintf(path, n, "%s/%s", dir, name);
  f->files[f->n++] = (sl_state_file){.name = sl_strdup(name), .path = path, .shared = shared};
}

void sl_state_files_destroy(sl_state_files *f) {
  for (int i = 0; i < f->n; i++) {
    free(f->files[i].name);
    free(f->files[i].path);
  }
  free(f->files);
  *f = (sl_state_files){0};
}

int sl_state_backend_snapshot(sl_state_backend *be, const char *dir, sl_state_files *out, sl_err *err) {
  if (be->cfg.kind == SL_STATE_HASHMAP) return sl_hashmap_snapshot(be, dir, out, err);
  int rc = ensure_db(be, err);
  if (!rc) rc = flush_dirty(be, err);
  if (!rc) rc = sl_rdb_snapshot(be, dir, out, err);
  return rc;
}

int sl_state_backend_restore(sl_state_backend *be, const char *dir, sl_err *err) {
  if (be->cfg.kind == SL_STATE_HASHMAP) return sl_hashmap_restore(be, dir, err);
  return sl_rdb_open(be, dir, err);
}
