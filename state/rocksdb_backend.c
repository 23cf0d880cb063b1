/* rocksdb_backend.c - keyed state in RocksDB: one column family per keyed state, keys laid out as
 * key group | namespace | key, values as expiry time | value.
 *
 * The write-ahead log is off: durability comes from checkpoints (RocksDB checkpoints of flushed
 * memtables), as in Flink. A compaction filter drops entries whose time-to-live has passed. The
 * DB works in a private folder that is deleted when the job ends. */
#include <dirent.h>
#include <errno.h>
#include <rocksdb/c.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../engine/arena.h"
#include "../engine/sysutil.h"
#include "state_impl.h"

typedef struct rdb {
  rocksdb_t *db;
  rocksdb_options_t *opts;
  rocksdb_block_based_table_options_t *table;
  rocksdb_cache_t *cache;
  rocksdb_compactionfilter_t *ttl_filter;
  rocksdb_readoptions_t *ropts;
  rocksdb_writeoptions_t *wopts;
  rocksdb_writebatch_t *batch;
  rocksdb_column_family_handle_t *meta; /* the default family: "state/<name>" -> value size */
  rocksdb_column_family_handle_t **cfs; /* owned handles, freed at close */
  int ncfs;
  char *dir;
} rdb;

static int rdb_fail(sl_err *err, const char *what, char *msg) {
  int rc = sl_err_set(err, SL_EIO, SL_ERR_NOLOC, "rocksdb: %s: %s", what, msg ? msg : "unknown error");
  rocksdb_free(msg);
  return rc;
}

/* ---- Time-to-live ------------------------------------------------------------------------- */

static unsigned char ttl_filter(void *state, int level, const char *key, size_t klen, const char *value, size_t vlen,
                                char **new_value, size_t *new_vlen, unsigned char *changed) {
  (void)level, (void)key, (void)klen, (void)new_value, (void)new_vlen;
  sl_state_backend *be = state;
  *changed = 0;
  if (vlen < 8 || klen < 10) return 0; /* the meta entries of the default family */
  int64_t expiry;
  memcpy(&expiry, value, 8);
  return expiry != 0 && be->now_us(be->clock_arg) >= expiry;
}

static void ttl_filter_destroy(void *state) { (void)state; }
static const char *ttl_filter_name(void *state) {
  (void)state;
  return "sluice-ttl";
}

/* ---- Open and close ----------------------------------------------------------------------- */

static void add_cf(rdb *r, rocksdb_column_family_handle_t *h) {
  r->cfs = sl_realloc(r->cfs, sizeof(*r->cfs) * (size_t)(r->ncfs + 1));
  r->cfs[r->ncfs++] = h;
}

/* Meta key of a namespace held in the DB: "ns/<state>/" then the namespace, big-endian. */
static size_t ns_key(char *out, size_t cap, const char *state, uint64_t ns, bool with_ns) {
  int n = snprintf(out, cap, "ns/%s/", state);
  if (n < 0 || (size_t)n + 8 > cap) return 0;
  if (!with_ns) return (size_t)n;
  for (int i = 0; i < 8; i++) out[n + i] = (char)(ns >> (56 - 8 * i));
  return (size_t)n + 8;
}

void sl_rdb_mark_ns(sl_state_backend *be, sl_kstate *s, uint64_t ns, bool present) {
  rdb *r = be->rdb;
  char key[4200];
  size_t kl = ns_key(key, sizeof key, s->name, ns, true);
  if (present) rocksdb_writebatch_put_cf(r->batch, r->meta, key, kl, "", 0);
  else rocksdb_writebatch_delete_cf(r->batch, r->meta, key, kl);
}

/* A restored state: the namespaces RocksDB holds, so that only they are looked up there. */
static int load_namespaces(sl_state_backend *be, sl_kstate *s, sl_err *err) {
  rdb *r = be->rdb;
  char prefix[4200];
  size_t pl = ns_key(prefix, sizeof prefix, s->name, 0, false);
  rocksdb_iterator_t *it = rocksdb_create_iterator_cf(r->db, r->ropts, r->meta);
  for (rocksdb_iter_seek(it, prefix, pl); rocksdb_iter_valid(it); rocksdb_iter_next(it)) {
    size_t kl;
    const char *k = rocksdb_iter_key(it, &kl);
    if (kl != pl + 8 || memcmp(k, prefix, pl) != 0) break;
    uint64_t ns = 0;
    for (int i = 0; i < 8; i++) ns = ns << 8 | (unsigned char)k[pl + i];
    sl_kstate_mark_in_db(s, ns);
  }
  char *msg = NULL;
  rocksdb_iter_get_error(it, &msg);
  rocksdb_iter_destroy(it);
  return msg ? rdb_fail(err, "cannot read the restored state", msg) : 0;
}

int sl_rdb_open(sl_state_backend *be, const char *restore_dir, sl_err *err) {
  if (be->rdb) return sl_err_set(err, SL_EINVAL, SL_ERR_NOLOC, "rocksdb: restore after the state was opened");
  rdb *r = sl_calloc(1, sizeof *r);
  if (restore_dir) {
    r->dir = sl_strdup(restore_dir);
  } else {
    if (sl_work_dir_new(be->cfg.local_dir, "sluice-rocksdb", &r->dir) != 0) {
      int rc = sl_err_set(err, SL_EIO, SL_ERR_NOLOC, "cannot create the RocksDB folder: %s "
                          "(set 'state.backend.rocksdb.localdir')", strerror(errno));
      free(r);
      return rc;
    }
  }
  r->opts = rocksdb_options_create();
  rocksdb_options_set_create_if_missing(r->opts, 1);
  rocksdb_options_set_create_missing_column_families(r->opts, 1);
  rocksdb_options_set_write_buffer_size(r->opts, be->cfg.write_buffer_bytes);
  rocksdb_options_set_max_background_jobs(r->opts, 2);
  rocksdb_options_set_compression(r->opts, rocksdb_lz4_compression);
  r->cache = rocksdb_cache_create_lru(be->cfg.block_cache_bytes);
  r->table = rocksdb_block_based_options_create();
  rocksdb_block_based_options_set_block_cache(r->table, r->cache);
  /* Index and filter blocks are charged to the block cache, so memory stays bounded, but split
   * into 4 KB partitions under a pinned top level: with whole-file filters, a cache smaller than
   * the state evicts them and every lookup re-reads a filter block of ~1 MB. */
  rocksdb_block_based_options_set_cache_index_and_filter_blocks(r->table, 1);
  rocksdb_block_based_options_set_cache_index_and_filter_blocks_with_high_priority(r->table, 1);
  rocksdb_block_based_options_set_pin_top_level_index_and_filter(r->table, 1);
  rocksdb_block_based_options_set_pin_l0_filter_and_index_blocks_in_cache(r->table, 1);
  rocksdb_block_based_options_set_index_type(r->table, rocksdb_block_based_table_index_type_two_level_index_search);
  rocksdb_block_based_options_set_partition_filters(r->table, 1);
  rocksdb_block_based_options_set_metadata_block_size(r->table, 4096);
  rocksdb_block_based_options_set_filter_policy(r->table, rocksdb_filterpolicy_create_bloom(10));
  /* Most lookups are of keys not in the DB (a key's first row in a window): a memtable bloom
   * filter answers them without walking the skip list. */
  rocksdb_options_set_memtable_prefix_bloom_size_ratio(r->opts, 0.1);
  rocksdb_options_set_memtable_whole_key_filtering(r->opts, 1);
  rocksdb_options_set_block_based_table_factory(r->opts, r->table);
  r->ttl_filter = rocksdb_compactionfilter_create(be, ttl_filter_destroy, ttl_filter, ttl_filter_name);
  rocksdb_options_set_compaction_filter(r->opts, r->ttl_filter);
  r->ropts = rocksdb_readoptions_create();
  r->wopts = rocksdb_writeoptions_create();
  rocksdb_writeoptions_disable_WAL(r->wopts, 1);
  r->batch = rocksdb_writebatch_create();
  be->rdb = r;

  /* Open with every family the folder has (a restored DB has one per keyed state). */
  char *msg = NULL;
  size_t nnames = 0;
  char **names = NULL;
  if (restore_dir) {
    names = rocksdb_list_column_families(r->opts, r->dir, &nnames, &msg);
    if (msg) return rdb_fail(err, "cannot read the restored state", msg);
  }
  int n = nnames ? (int)nnames : 1;
  const char **cf_names = sl_calloc((size_t)n, sizeof(char *));
  const rocksdb_options_t **cf_opts = sl_calloc((size_t)n, sizeof(void *));
  rocksdb_column_family_handle_t **handles = sl_calloc((size_t)n, sizeof(void *));
  for (int i = 0; i < n; i++) {
    cf_names[i] = nnames ? names[i] : "default";
    cf_opts[i] = r->opts;
  }
  r->db = rocksdb_open_column_families(r->opts, r->dir, n, cf_names, cf_opts, handles, &msg);
  int rc = 0;
  if (msg) {
    rc = rdb_fail(err, "cannot open the state database", msg);
  } else {
    for (int i = 0; i < n; i++) {
      add_cf(r, handles[i]);
      if (!strcmp(cf_names[i], "default")) {
        r->meta = handles[i];
        continue;
      }
      /* A restored keyed state: its value size is in the meta family. */
      char key[4200];
      snprintf(key, sizeof key, "state/%s", cf_names[i]);
      size_t vl = 0;
      char *v = rocksdb_get_cf(r->db, r->ropts, r->meta ? r->meta : handles[0], key, strlen(key), &vl, &msg);
      if (msg || !v || vl != 4) {
        rocksdb_free(v);
        rc = msg ? rdb_fail(err, "cannot read the restored state", msg)
                 : sl_err_set(err, SL_ECHECKPOINT, SL_ERR_NOLOC, "restored state '%s' has no description", cf_names[i]);
        break;
      }
      uint32_t vs;
      memcpy(&vs, v, 4);
      rocksdb_free(v);
      sl_kstate *s = sl_kstate_add(be, cf_names[i], vs, 0);
      s->cf = handles[i];
      if ((rc = load_namespaces(be, s, err))) break;
    }
  }
  free(cf_names);
  free(cf_opts);
  free(handles);
  if (names) rocksdb_list_column_families_destroy(names, nnames);
  return rc;
}

void sl_rdb_close(sl_state_backend *be) {
  rdb *r = be->rdb;
  if (!r) return;
  for (int i = 0; i < r->ncfs; i++) rocksdb_column_family_handle_destroy(r->cfs[i]);
  free(r->cfs);
  if (r->db) rocksdb_close(r->db);
  rocksdb_writebatch_destroy(r->batch);
  rocksdb_readoptions_destroy(r->ropts);
  rocksdb_writeoptions_destroy(r->wopts);
  rocksdb_options_destroy(r->opts);
  rocksdb_block_based_options_destroy(r->table);
  rocksdb_cache_destroy(r->cache);
  rocksdb_compactionfilter_destroy(r->ttl_filter);
  sl_rm_tree(r->dir);
  free(r->dir);
  free(r);
  be->rdb = NULL;
}

int sl_rdb_cf(sl_state_backend *be, sl_kstate *s, sl_err *err) {
  rdb *r = be->rdb;
  if (s->cf) return 0;
  char *msg = NULL;
  rocksdb_column_family_handle_t *h = rocksdb_create_column_family(r->db, r->opts, s->name, &msg);
  if (msg) return rdb_fail(err, "cannot create a column family", msg);
  add_cf(r, h);
  s->cf = h;
  char key[4200];
  snprintf(key, sizeof key, "state/%s", s->name);
  rocksdb_put_cf(r->db, r->wopts, r->meta, key, strlen(key), (const char *)&s->value_size, 4, &msg);
  if (msg) return rdb_fail(err, "cannot describe a keyed state", msg);
  return 0;
}

/* ---- Entries ------------------------------------------------------------------------------ */

void sl_rdb_key(sl_buf *out, uint64_t hash, uint64_t ns, const void *key, uint32_t klen) {
  sl_buf_reset(out);
  unsigned char *p = (unsigned char *)sl_buf_reserve(out, 10 + klen);
  uint16_t kg = (uint16_t)(hash % SL_STATE_KEY_GROUPS);
  p[0] = (unsigned char)(kg >> 8);
  p[1] = (unsigned char)kg;
  for (int i = 0; i < 8; i++) p[2 + i] = (unsigned char)(ns >> (56 - 8 * i));
  memcpy(p + 10, key, klen);
  out->len = 10 + klen;
}

int sl_rdb_get(sl_state_backend *be, sl_kstate *s, const sl_buf *k, bool *found, sl_err *err) {
  rdb *r = be->rdb;
  char *msg = NULL;
  rocksdb_pinnableslice_t *v = rocksdb_get_pinned_cf(r->db, r->ropts, s->cf, k->data, k->len, &msg);
  if (msg) return rdb_fail(err, "read failed", msg);
  *found = v != NULL;
  sl_buf_reset(&be->val);
  if (v) {
    size_t n;
    const char *p = rocksdb_pinnableslice_value(v, &n);
    sl_buf_add(&be->val, p, n);
    rocksdb_pinnableslice_destroy(v);
    if (n < 8) return sl_err_set(err, SL_ECHECKPOINT, SL_ERR_NOLOC, "state '%s' holds a damaged entry", s->name);
  }
  return 0;
}

void sl_rdb_put(sl_state_backend *be, sl_kstate *s, const void *k, size_t kl, int64_t ts, const void *v, uint32_t vl) {
  rdb *r = be->rdb;
  const char *parts[2] = {(const char *)&ts, v};
  size_t sizes[2] = {8, vl};
  const char *kparts[1] = {k};
  size_t ksizes[1] = {kl};
  rocksdb_writebatch_putv_cf(r->batch, s->cf, 1, kparts, ksizes, 2, parts, sizes);
}

void sl_rdb_del(sl_state_backend *be, sl_kstate *s, const void *k, size_t kl) {
  rocksdb_writebatch_delete_cf(((rdb *)be->rdb)->batch, s->cf, k, kl);
}

int sl_rdb_commit(sl_state_backend *be, sl_err *err) {
  rdb *r = be->rdb;
  if (rocksdb_writebatch_count(r->batch) == 0) return 0;
  char *msg = NULL;
  rocksdb_write(r->db, r->wopts, r->batch, &msg);
  rocksdb_writebatch_clear(r->batch);
  if (msg) return rdb_fail(err, "write failed", msg);
  return 0;
}

int sl_rdb_scan_ns(sl_state_backend *be, sl_kstate *s, uint64_t ns, sl_rdb_scan_fn fn, void *arg, sl_err *err) {
  rdb *r = be->rdb;
  rocksdb_iterator_t *it = rocksdb_create_iterator_cf(r->db, r->ropts, s->cf);
  int rc = 0;
  unsigned char prefix[10];
  for (uint32_t kg = 0; kg < SL_STATE_KEY_GROUPS && !rc; kg++) {
    prefix[0] = (unsigned char)(kg >> 8);
    prefix[1] = (unsigned char)kg;
    for (int i = 0; i < 8; i++) prefix[2 + i] = (unsigned char)(ns >> (56 - 8 * i));
    for (rocksdb_iter_seek(it, (const char *)prefix, 10); rocksdb_iter_valid(it); rocksdb_iter_next(it)) {
      size_t kl, vl;
      const char *k = rocksdb_iter_key(it, &kl);
      if (kl < 10 || memcmp(k, prefix, 10) != 0) break;
      const char *v = rocksdb_iter_value(it, &vl);
      if (vl < 8) {
        rc = sl_err_set(err, SL_ECHECKPOINT, SL_ERR_NOLOC, "state '%s' holds a damaged entry", s->name);
        break;
      }
      int64_t ts;
      memcpy(&ts, v, 8);
      if ((rc = fn(arg, k, kl, ts, v + 8, (uint32_t)(vl - 8)))) break;
    }
    char *msg = NULL;
    rocksdb_iter_get_error(it, &msg);
    if (msg && !rc) rc = rdb_fail(err, "scan failed", msg);
    else rocksdb_free(msg);
  }
  rocksdb_iter_destroy(it);
  return rc;
}

/* ---- Snapshots ---------------------------------------------------------------------------- */

static int ends_with(const char *s, const char *suffix) {
  size_t n = strlen(s), m = strlen(suffix);
  return n >= m && !strcmp(s + n - m, suffix);
}

int sl_rdb_snapshot(sl_state_backend *be, const char *dir, sl_state_files *out, sl_err *err) {
  rdb *r = be->rdb;
  char *msg = NULL;
  /* Flush the memtables so that the checkpoint is SST files only (no WAL to replay). */
  rocksdb_flushoptions_t *fo = rocksdb_flushoptions_create();
  rocksdb_flushoptions_set_wait(fo, 1);
  for (int i = 0; i < r->ncfs && !msg; i++) rocksdb_flush_cf(r->db, fo, r->cfs[i], &msg);
  rocksdb_flushoptions_destroy(fo);
  if (msg) return rdb_fail(err, "flush failed", msg);
  rocksdb_checkpoint_t *cp = rocksdb_checkpoint_object_create(r->db, &msg);
  if (msg) return rdb_fail(err, "cannot take a checkpoint", msg);
  rocksdb_checkpoint_create(cp, dir, 0, &msg);
  rocksdb_checkpoint_object_destroy(cp);
  if (msg) return rdb_fail(err, "cannot take a checkpoint", msg);
  DIR *d = opendir(dir);
  if (!d) return sl_err_set(err, SL_EIO, SL_ERR_NOLOC, "cannot list '%s': %s", dir, strerror(errno));
  struct dirent *de;
  while ((de = readdir(d))) {
    if (de->d_name[0] == '.') continue;
    sl_state_files_add(out, dir, de->d_name, be->cfg.incremental && ends_with(de->d_name, ".sst"));
  }
  closedir(d);
  return 0;
}

size_t sl_rdb_memory(const sl_state_backend *be) {
  const rdb *r = be->rdb;
  uint64_t mem = 0;
  for (int i = 0; i < r->ncfs; i++) {
    uint64_t v = 0;
    if (rocksdb_property_int_cf(r->db, r->cfs[i], "rocksdb.cur-size-all-mem-tables", &v) == 0) mem += v;
  }
  return (size_t)mem + rocksdb_cache_get_usage(r->cache);
}

size_t sl_rdb_state_bytes(const sl_state_backend *be, void *cf) {
  const rdb *r = be->rdb;
  uint64_t sst = 0, mem = 0;
  rocksdb_property_int_cf(r->db, cf, "rocksdb.total-sst-files-size", &sst);
  rocksdb_property_int_cf(r->db, cf, "rocksdb.cur-size-all-mem-tables", &mem);
  return (size_t)(sst + mem);
}
