/* state_map.h - an in-memory hash map from byte keys to fixed-size value slots that never move. */
#ifndef SL_STATE_MAP_H
#define SL_STATE_MAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct sl_state_map sl_state_map;

/* A map from keys (any bytes) to value slots of value_size bytes, zeroed when created. */
sl_state_map *sl_state_map_new(size_t value_size);
void sl_state_map_free(sl_state_map *m);
/* Finds key; NULL when absent. hash must be sl_state_hash(key, klen). */
void *sl_state_map_get(sl_state_map *m, const void *key, size_t klen, uint64_t hash);
/* Finds or inserts key; *created tells which. The slot stays valid until the key is deleted
 * (slots never move). */
void *sl_state_map_upsert(sl_state_map *m, const void *key, size_t klen, uint64_t hash, bool *created);
/* Removes key; returns whether it was present. */
bool sl_state_map_delete(sl_state_map *m, const void *key, size_t klen, uint64_t hash);
size_t sl_state_map_count(const sl_state_map *m);
/* The key bytes stored for a value slot returned by get/upsert. */
const void *sl_state_map_key(const sl_state_map *m, const void *slot, size_t *klen);
/* Bytes held by the map (entries + table), for metrics. */
size_t sl_state_map_bytes(const sl_state_map *m);
/* Iteration: the first slot at table position >= *pos (NULL at the end); *pos moves past it.
 * Start with *pos = 0. Deleting the returned key during iteration is allowed only through
 * sl_state_map_delete of that key followed by restarting at the same *pos - 1. */
void *sl_state_map_at(const sl_state_map *m, size_t *pos);
size_t sl_state_map_capacity(const sl_state_map *m);

uint64_t sl_state_hash(const void *key, size_t n);

#endif
