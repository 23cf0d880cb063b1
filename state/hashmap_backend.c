/* hashmap_backend.c - snapshots of the in-memory backend: every live entry of every keyed state
 * written to one file (state.bin), read back on restore.
 *
 * Format (host byte order; the magic's version catches other layouts):
 *   "SLSTATE1"
 *   per state:  'S' u32 name_len, name, u32 value_size, i64 ttl_us
 *   per entry:  'E' u64 ns, i64 expiry, u32 klen, u32 vlen, key, value
 *   end:        'Z' u64 entries */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../engine/arena.h"
#include "state_impl.h"

#define MAGIC "SLSTATE1"
#define FILE_NAME "state.bin"

static void put(FILE *f, const void *p, size_t n) { fwrite(p, 1, n, f); }

static void write_state(FILE *f, const sl_kstate *s, uint64_t *count) {
  uint32_t nl = (uint32_t)strlen(s->name);
  put(f, "S", 1);
  put(f, &nl, 4);
  put(f, s->name, nl);
  put(f, &s->value_size, 4);
  put(f, &s->ttl_us, 8);
  int64_t now = s->be->now_us(s->be->clock_arg);
  for (int j = 0; j < s->nns; j++) {
    const nsmap *n = &s->nss[j];
    size_t pos = 0;
    void *slot;
    while ((slot = sl_state_map_at(n->m, &pos))) {
      const centry *e = slot;
      if (e->ts != 0 && now >= e->ts) continue; /* expired: cleaned by the snapshot */
      size_t klen;
      const void *key = sl_state_map_key(n->m, slot, &klen);
      const void *v = CENTRY_VALUE(e);
      if (s->value_size == SL_KSTATE_VAR) memcpy(&v, CENTRY_VALUE(e), sizeof v);
      uint32_t kl = (uint32_t)klen;
      put(f, "E", 1);
      put(f, &n->ns, 8);
      put(f, &e->ts, 8);
      put(f, &kl, 4);
      put(f, &e->vlen, 4);
      put(f, key, klen);
      put(f, v, e->vlen);
      (*count)++;
    }
  }
}

int sl_hashmap_snapshot(sl_state_backend *be, const char *dir, sl_state_files *out, sl_err *err) {
  if (mkdir(dir, 0777) != 0)
    return sl_err_set(err, SL_EIO, SL_ERR_NOLOC, "cannot create snapshot folder '%s': %s", dir, strerror(errno));
  sl_state_files_add(out, dir, FILE_NAME, false);
  const char *path = out->files[out->n - 1].path;
  FILE *f = fopen(path, "wb");
  if (!f) return sl_err_set(err, SL_EIO, SL_ERR_NOLOC, "cannot create '%s': %s", path, strerror(errno));
  put(f, MAGIC, 8);
  uint64_t count = 0;
  for (int i = 0; i < be->nstates; i++) write_state(f, be->states[i], &count);
  put(f, "Z", 1);
  put(f, &count, 8);
  bool ok = fflush(f) == 0 && fsync(fileno(f)) == 0;
  if (fclose(f) != 0) ok = false;
  if (!ok) return sl_err_set(err, SL_EIO, SL_ERR_NOLOC, "cannot write '%s': %s", path, strerror(errno));
  return 0;
}

/* ---- Restore ------------------------------------------------------------------------------ */

static bool get(FILE *f, void *p, size_t n) { return fread(p, 1, n, f) == n; }

int sl_hashmap_restore(sl_state_backend *be, const char *dir, sl_err *err) {
  char path[4096];
  snprintf(path, sizeof path, "%s/%s", dir, FILE_NAME);
  FILE *f = fopen(path, "rb");
  if (!f)
    return sl_err_set(err, SL_ECHECKPOINT, SL_ERR_NOLOC,
                      "cannot read keyed state snapshot '%s': %s (was the checkpoint taken with state.backend "
                      "'rocksdb'?)",
                      path, strerror(errno));
  char magic[8];
  int rc = 0;
  sl_buf key, val;
  sl_buf_init(&key);
  sl_buf_init(&val);
  sl_kstate *s = NULL;
  uint64_t count = 0;
  if (!get(f, magic, 8) || memcmp(magic, MAGIC, 8) != 0) goto bad;
  for (;;) {
    char tag;
    if (!get(f, &tag, 1)) goto bad;
    if (tag == 'S') {
      uint32_t nl, vs;
      int64_t ttl;
      if (!get(f, &nl, 4) || nl > 4096) goto bad;
      char name[4097];
      if (!get(f, name, nl) || !get(f, &vs, 4) || !get(f, &ttl, 8)) goto bad;
      name[nl] = 0;
      if (sl_kstate_find(be, name)) goto bad;
      s = sl_kstate_add(be, name, vs, ttl);
    } else if (tag == 'E') {
      uint64_t ns;
      int64_t ts;
      uint32_t kl, vl;
      if (!s || !get(f, &ns, 8) || !get(f, &ts, 8) || !get(f, &kl, 4) || !get(f, &vl, 4)) goto bad;
      if (s->value_size != SL_KSTATE_VAR && vl != s->value_size) goto bad;
      sl_buf_reset(&key);
      sl_buf_reset(&val);
      if (!get(f, sl_buf_reserve(&key, kl + 1), kl) || !get(f, sl_buf_reserve(&val, vl + 1), vl)) goto bad;
      sl_kstate_load(s, ns, key.data, kl, ts, val.data, vl);
      count++;
    } else if (tag == 'Z') {
      uint64_t n;
      if (!get(f, &n, 8) || n != count) goto bad;
      break;
    } else {
      goto bad;
    }
  }
  goto done;
bad:
  rc = sl_err_set(err, SL_ECHECKPOINT, SL_ERR_NOLOC, "keyed state snapshot '%s' is damaged or truncated", path);
done:
  fclose(f);
  sl_buf_destroy(&key);
  sl_buf_destroy(&val);
  return rc;
}
