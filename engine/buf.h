/* buf.h - a growable byte buffer for rendering text (rows, plans, messages). */
#ifndef SL_BUF_H
#define SL_BUF_H

#include <stddef.h>

typedef struct sl_buf {
  char *data;  /* always NUL-terminated when len > 0 or after sl_buf_init */
  size_t len, cap;
} sl_buf;

void sl_buf_init(sl_buf *b);
void sl_buf_destroy(sl_buf *b);
void sl_buf_reset(sl_buf *b); /* len = 0, keeps memory */
/* Makes room for n more bytes and returns the write position (caller then bumps len). */
char *sl_buf_reserve(sl_buf *b, size_t n);
void sl_buf_add(sl_buf *b, const void *p, size_t n);
void sl_buf_addc(sl_buf *b, char c);
void sl_buf_adds(sl_buf *b, const char *s);
void sl_buf_printf(sl_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
