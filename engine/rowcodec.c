/* rowcodec.c - values as bytes (see rowcodec.h). */
#include "rowcodec.h"

#include <string.h>

void sl_codec_add_value(sl_buf *k, const sl_col *c, uint32_t row) {
  if (sl_col_is_null(c, row)) {
    sl_buf_addc(k, 0);
    return;
  }
  sl_buf_addc(k, 1);
  switch (sl_type_phys(c->type)) {
    case SL_PHYS_I64: sl_buf_add(k, &c->i64[row], 8); break;
    case SL_PHYS_F64: {
      double d = c->f64[row];
      if (d == 0) d = 0; /* -0.0 and 0.0 group together */
      sl_buf_add(k, &d, 8);
      break;
    }
    case SL_PHYS_DEC: sl_buf_add(k, &c->dec[row], 16); break;
    case SL_PHYS_STR: {
      uint32_t len = c->str[row].len;
      sl_buf_add(k, &len, 4);
      sl_buf_add(k, c->str[row].ptr, len);
      break;
    }
  }
}

const unsigned char *sl_codec_read_value(const unsigned char *p, sl_type t, sl_value *v) {
  v->is_null = *p++ == 0;
  if (v->is_null) return p;
  switch (sl_type_phys(t)) {
    case SL_PHYS_I64: memcpy(&v->i64, p, 8); return p + 8;
    case SL_PHYS_F64: memcpy(&v->f64, p, 8); return p + 8;
    case SL_PHYS_DEC: memcpy(&v->dec, p, 16); return p + 16;
    case SL_PHYS_STR: {
      uint32_t len;
      memcpy(&len, p, 4);
      v->str.ptr = (const char *)p + 4;
      v->str.len = len;
      return p + 4 + len;
    }
  }
  return p;
}

void sl_codec_add_row(sl_buf *k, const sl_batch *b, uint32_t row) {
  for (int c = 0; c < b->ncols; c++) sl_codec_add_value(k, &b->cols[c], row);
}

const unsigned char *sl_codec_read_row(const unsigned char *p, sl_batch *out, int first, int ncols, uint32_t row) {
  for (int c = first; c < first + ncols; c++) {
    sl_value v;
    p = sl_codec_read_value(p, out->cols[c].type, &v);
    sl_batch_set(out, c, row, &v);
  }
  return p;
}
