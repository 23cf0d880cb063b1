/* state_map.c - an in-memory hash map from byte keys to fixed-size value slots that never move:
 * the building block of keyed state (the hashmap backend, and the cache in front of RocksDB).
 *
 * Entries are malloc'd individually (key bytes follow the value slot) so that a slot pointer stays
 * valid while the table grows; the table stores (hash, entry) pairs and probes linearly.
 * Deletion uses backward-shift so no tombstones accumulate. */
#include "state_map.h"

#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "../engine/arena.h"

typedef struct entry {
  uint32_t klen;
  uint32_t pad;
  /* value slot (value_size bytes, 16-aligned) then key bytes */
  _Alignas(16) unsigned char data[];
} entry;

typedef struct bucket {
  uint64_t hash;
  entry *e;
} bucket;

struct sl_state_map {
  size_t value_size;  /* rounded up to 16 */
  size_t count, mask;
  size_t bytes;
  bucket *tab;
};

uint64_t sl_state_hash(const void *key, size_t n) {
  /* 64-bit FNV-1a over 8-byte words, then a final avalanche (murmur3 fmix). */
  const unsigned char *p = key;
  uint64_t h = 0xcbf29ce484222325ULL ^ n;
  while (n >= 8) {
    uint64_t w;
    memcpy(&w, p, 8);
    h = (h ^ w) * 0x100000001b3ULL;
    h ^= h >> 29;
    p += 8;
    n -= 8;
  }
  while (n--) h = (h ^ *p++) * 0x100000001b3ULL;
  h ^= h >> 33;
  h *= 0xff51afd7ed558ccdULL;
  h ^= h >> 33;
  h *= 0xc4ceb9fe1a85ec53ULL;
  h ^= h >> 33;
  return h;
}

sl_state_map *sl_state_map_new(size_t value_size) {
  sl_state_map *m = sl_calloc(1, sizeof *m);
  m->value_size = (value_size + 15) & ~(size_t)15;
  m->mask = 63;
  m->tab = sl_calloc(m->mask + 1, sizeof(bucket));
  return m;
}

void sl_state_map_free(sl_state_map *m) {
  if (!m) return;
  for (size_t i = 0; i <= m->mask; i++) free(m->tab[i].e);
  free(m->tab);
  free(m);
}

static int entry_matches(const sl_state_map *m, const bucket *b, const void *key, size_t klen, uint64_t hash) {
  return b->hash == hash && b->e->klen == klen && memcmp(b->e->data + m->value_size, key, klen) == 0;
}

void *sl_state_map_get(sl_state_map *m, const void *key, size_t klen, uint64_t hash) {
  for (size_t i = hash & m->mask;; i = (i + 1) & m->mask) {
    bucket *b = &m->tab[i];
    if (!b->e) return NULL;
    if (entry_matches(m, b, key, klen, hash)) return b->e->data;
  }
}

static void grow(sl_state_map *m) {
  size_t old_size = m->mask + 1;
  bucket *old = m->tab;
  m->mask = old_size * 2 - 1;
  m->tab = sl_calloc(m->mask + 1, sizeof(bucket));
  for (size_t i = 0; i < old_size; i++) {
    if (!old[i].e) continue;
    size_t j = old[i].hash & m->mask;
    while (m->tab[j].e) j = (j + 1) & m->mask;
    m->tab[j] = old[i];
  }
  free(old);
}

void *sl_state_map_upsert(sl_state_map *m, const void *key, size_t klen, uint64_t hash, bool *created) {
  size_t i = hash & m->mask;
  for (;; i = (i + 1) & m->mask) {
    bucket *b = &m->tab[i];
    if (!b->e) break;
    if (entry_matches(m, b, key, klen, hash)) {
      *created = false;
      return b->e->data;
    }
  }
  if ((m->count + 1) * 4 > (m->mask + 1) * 3) {
    grow(m);
    i = hash & m->mask;
    while (m->tab[i].e) i = (i + 1) & m->mask;
  }
  size_t sz = sizeof(entry) + m->value_size + klen;
  entry *e = sl_malloc(sz);
  e->klen = (uint32_t)klen;
  memset(e->data, 0, m->value_size);
  memcpy(e->data + m->value_size, key, klen);
  m->tab[i].hash = hash;
  m->tab[i].e = e;
  m->count++;
  m->bytes += sz;
  *created = true;
  return e->data;
}

bool sl_state_map_delete(sl_state_map *m, const void *key, size_t klen, uint64_t hash) {
  size_t i = hash & m->mask;
  for (;; i = (i + 1) & m->mask) {
    if (!m->tab[i].e) return false;
    if (entry_matches(m, &m->tab[i], key, klen, hash)) break;
  }
  m->bytes -= sizeof(entry) + m->value_size + m->tab[i].e->klen;
  free(m->tab[i].e);
  m->tab[i].e = NULL;
  m->count--;
  /* Backward-shift the following cluster so lookups never stop early. */
  size_t j = i;
  for (;;) {
    j = (j + 1) & m->mask;
    if (!m->tab[j].e) break;
    size_t home = m->tab[j].hash & m->mask;
    /* Move j into the hole i when its home is not within (i, j]. */
    int in_range = (i <= j) ? (home > i && home <= j) : (home > i || home <= j);
    if (!in_range) {
      m->tab[i] = m->tab[j];
      m->tab[j].e = NULL;
      i = j;
    }
  }
  return true;
}

size_t sl_state_map_count(const sl_state_map *m) { return m->count; }

size_t sl_state_map_bytes(const sl_state_map *m) { return m->bytes + (m->mask + 1) * sizeof(bucket); }

const void *sl_state_map_key(const sl_state_map *m, const void *slot, size_t *klen) {
  const entry *e = (const entry *)((const unsigned char *)slot - offsetof(entry, data));
  *klen = e->klen;
  return (const unsigned char *)slot + m->value_size;
}

void *sl_state_map_at(const sl_state_map *m, size_t *pos) {
  for (size_t i = *pos; i <= m->mask; i++) {
    if (m->tab[i].e) {
      *pos = i + 1;
      return m->tab[i].e->data;
    }
  }
  *pos = m->mask + 1;
  return NULL;
}

size_t sl_state_map_capacity(const sl_state_map *m) { return m->mask + 1; }
