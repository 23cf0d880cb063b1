/* arena.h - bump allocator: per-query, per-batch and scratch memory freed in one call. */
#ifndef SL_ARENA_H
#define SL_ARENA_H

#include <stddef.h>

typedef struct sl_arena_block sl_arena_block;

/* Caller-provided storage; sl_arena_init/destroy. A zeroed struct is a valid empty arena. */
typedef struct sl_arena {
  sl_arena_block *head;   /* current block, chained to older ones */
  size_t block_size;      /* size of the next block to allocate */
  size_t total;           /* bytes handed out since the last reset */
} sl_arena;

void sl_arena_init(sl_arena *a, size_t first_block);
void sl_arena_destroy(sl_arena *a);
/* Frees every block but the first and rewinds it; pointers handed out become invalid. */
void sl_arena_reset(sl_arena *a);
/* 16-byte aligned, never NULL (aborts on out of memory, like the rest of the engine's allocs). */
void *sl_arena_alloc(sl_arena *a, size_t n);
void *sl_arena_zalloc(sl_arena *a, size_t n);
/* Copies n bytes and adds a terminating NUL. */
char *sl_arena_strndup(sl_arena *a, const char *s, size_t n);
char *sl_arena_strdup(sl_arena *a, const char *s);
char *sl_arena_printf(sl_arena *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Heap helpers that abort on exhaustion instead of returning NULL. */
void *sl_malloc(size_t n);
void *sl_calloc(size_t n, size_t size);
void *sl_realloc(void *p, size_t n);
char *sl_strdup(const char *s);

#endif
