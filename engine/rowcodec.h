/* rowcodec.h - values and rows as bytes, for keys and rows kept in keyed state. */
#ifndef SL_ROWCODEC_H
#define SL_ROWCODEC_H

#include <stdint.h>

#include "batch.h"
#include "buf.h"

/* Appends the value at row of c: a NULL flag byte, then the value (equal values of the same
 * physical class give equal bytes: -0.0 is written as 0.0). */
void sl_codec_add_value(sl_buf *k, const sl_col *c, uint32_t row);
/* Reads a value written by sl_codec_add_value back; strings point into the bytes. Returns the
 * position after it. */
const unsigned char *sl_codec_read_value(const unsigned char *p, sl_type t, sl_value *v);
/* Appends every column of row of b (sl_codec_add_value each). */
void sl_codec_add_row(sl_buf *k, const sl_batch *b, uint32_t row);
/* Reads ncols values written by sl_codec_add_row into columns first.. of out at row (strings
 * copied into out's arena); returns the position after them. */
const unsigned char *sl_codec_read_row(const unsigned char *p, sl_batch *out, int first, int ncols, uint32_t row);

#endif
