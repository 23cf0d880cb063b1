/* arena.c - the bump allocator behind query, batch and scratch memory. */
#include "arena.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct sl_arena_block {
  sl_arena_block *prev;
  size_t size, used;
  _Alignas(16) unsigned char data[];
};

void *sl_malloc(size_t n) {
  void *p = malloc(n ? n : 1);
  if (!p) { fputs("sluice: out of memory\n", stderr); abort(); }
  return p;
}

void *sl_calloc(size_t n, size_t size) {
  void *p = calloc(n ? n : 1, size ? size : 1);
  if (!p) { fputs("sluice: out of memory\n", stderr); abort(); }
  return p;
}

void *sl_realloc(void *p, size_t n) {
  void *q = realloc(p, n ? n : 1);
  if (!q) { fputs("sluice: out of memory\n", stderr); abort(); }
  return q;
}

char *sl_strdup(const char *s) {
  size_t n = strlen(s);
  char *d = sl_malloc(n + 1);
  memcpy(d, s, n + 1);
  return d;
}

void sl_arena_init(sl_arena *a, size_t first_block) {
  a->head = NULL;
  a->block_size = first_block ? first_block : 4096;
  a->total = 0;
}

void sl_arena_destroy(sl_arena *a) {
  sl_arena_block *b = a->head;
  while (b) {
    sl_arena_block *prev = b->prev;
    free(b);
    b = prev;
  }
  a->head = NULL;
  a->total = 0;
}

void sl_arena_reset(sl_arena *a) {
  sl_arena_block *b = a->head;
  if (!b) return;
  while (b->prev) {
    sl_arena_block *prev = b->prev;
    free(b);
    b = prev;
  }
  /* Keep the oldest block; when later blocks were needed, grow it so the next round fits. */
  if (a->total > b->size) {
    size_t want = a->total;
    free(b);
    b = sl_malloc(sizeof *b + want);
    b->size = want;
    b->prev = NULL;
  }
  b->used = 0;
  a->head = b;
  a->total = 0;
}

void *sl_arena_alloc(sl_arena *a, size_t n) {
  n = (n + 15) & ~(size_t)15;
  sl_arena_block *b = a->head;
  if (!b || b->size - b->used < n) {
    size_t size = a->block_size ? a->block_size : 4096;
    while (size < n) size *= 2;
    if (a->block_size < (1u << 20)) a->block_size *= 2;
    b = sl_malloc(sizeof *b + size);
    b->size = size;
    b->used = 0;
    b->prev = a->head;
    a->head = b;
  }
  void *p = b->data + b->used;
  b->used += n;
  a->total += n;
  return p;
}

void *sl_arena_zalloc(sl_arena *a, size_t n) {
  void *p = sl_arena_alloc(a, n);
  memset(p, 0, n);
  return p;
}

char *sl_arena_strndup(sl_arena *a, const char *s, size_t n) {
  char *d = sl_arena_alloc(a, n + 1);
  if (n) memcpy(d, s, n);
  d[n] = 0;
  return d;
}

char *sl_arena_strdup(sl_arena *a, const char *s) { return sl_arena_strndup(a, s, strlen(s)); }

char *sl_arena_printf(sl_arena *a, const char *fmt, ...) {
  char small[256];
  va_list ap, ap2;
  va_start(ap, fmt);
  va_copy(ap2, ap);
  int n = vsnprintf(small, sizeof small, fmt, ap);
  va_end(ap);
  if (n < 0) n = 0;
  char *d = sl_arena_alloc(a, (size_t)n + 1);
  if ((size_t)n < sizeof small) memcpy(d, small, (size_t)n + 1);
  else vsnprintf(d, (size_t)n + 1, fmt, ap2);
  va_end(ap2);
  return d;
}
