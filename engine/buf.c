/* buf.c - growable byte buffer. */
#include "buf.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"

void sl_buf_init(sl_buf *b) {
  b->cap = 256;
  b->data = sl_malloc(b->cap);
  b->data[0] = 0;
  b->len = 0;
}

void sl_buf_destroy(sl_buf *b) {
  free(b->data);
  b->data = NULL;
  b->len = b->cap = 0;
}

void sl_buf_reset(sl_buf *b) {
  b->len = 0;
  if (b->data) b->data[0] = 0;
}

char *sl_buf_reserve(sl_buf *b, size_t n) {
  if (b->len + n + 1 > b->cap) {
    size_t cap = b->cap ? b->cap : 256;
    while (cap < b->len + n + 1) cap *= 2;
    b->data = sl_realloc(b->data, cap);
    b->cap = cap;
  }
  return b->data + b->len;
}

void sl_buf_add(sl_buf *b, const void *p, size_t n) {
  char *w = sl_buf_reserve(b, n);
  if (n) memcpy(w, p, n);
  b->len += n;
  b->data[b->len] = 0;
}

void sl_buf_addc(sl_buf *b, char c) {
  char *w = sl_buf_reserve(b, 1);
  *w = c;
  b->len++;
  b->data[b->len] = 0;
}

void sl_buf_adds(sl_buf *b, const char *s) { sl_buf_add(b, s, strlen(s)); }

void sl_buf_printf(sl_buf *b, const char *fmt, ...) {
  va_list ap, ap2;
  va_start(ap, fmt);
  va_copy(ap2, ap);
  /* Try in place first; only a long result needs a second pass. */
  size_t room = b->cap > b->len ? b->cap - b->len : 0;
  if (room < 64) {
    sl_buf_reserve(b, 64);
    room = b->cap - b->len;
  }
  int n = vsnprintf(b->data + b->len, room, fmt, ap);
  va_end(ap);
  if (n < 0) n = 0;
  if ((size_t)n >= room) {
    sl_buf_reserve(b, (size_t)n);
    vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap2);
  }
  va_end(ap2);
  b->len += (size_t)n;
}
