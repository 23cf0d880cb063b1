/* base64.h - standard base64 (RFC 4648, with padding): Kinesis carries record data this way. */
#ifndef SL_BASE64_H
#define SL_BASE64_H

#include <stddef.h>

#include "../engine/buf.h"

/* Appends the encoding of n bytes at p to out. */
void sl_base64_encode(const void *p, size_t n, sl_buf *out);
/* Appends the decoded bytes of s[0..n) to out; returns 0, or -1 for a character outside the
 * alphabet or a bad length (out then holds a partial result). */
int sl_base64_decode(const char *s, size_t n, sl_buf *out);

#endif
