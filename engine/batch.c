/* batch.c - allocation and row access for columnar batches. */
#include "batch.h"

#include <stdlib.h>
#include <string.h>

static void alloc_slots(sl_batch *b) {
  for (int c = 0; c < b->ncols; c++) {
    b->cols[c].raw = sl_malloc((size_t)b->cap * (size_t)sl_type_slot_size(b->cols[c].type));
    b->cols[c].nulls = NULL;
  }
}

sl_batch *sl_batch_new(int ncols, const sl_type *types, int cap) {
  sl_batch *b = sl_calloc(1, sizeof *b);
  b->ncols = ncols;
  b->cap = cap > 0 ? cap : SL_BATCH_DEFAULT_ROWS;
  b->cols = sl_calloc((size_t)(ncols ? ncols : 1), sizeof(sl_col));
  for (int c = 0; c < ncols; c++) b->cols[c].type = types[c];
  sl_arena_init(&b->arena, 16384);
  alloc_slots(b);
  return b;
}

void sl_batch_free(sl_batch *b) {
  if (!b) return;
  for (int c = 0; c < b->ncols; c++) {
    free(b->cols[c].raw);
    free(b->cols[c].nulls);
  }
  free(b->cols);
  free(b->sel);
  free(b->kinds);
  sl_arena_destroy(&b->arena);
  free(b);
}

void sl_batch_reset(sl_batch *b) {
  b->nrows = 0;
  b->nsel = 0;
  free(b->sel);
  b->sel = NULL;
  free(b->kinds);
  b->kinds = NULL;
  for (int c = 0; c < b->ncols; c++) {
    free(b->cols[c].nulls);
    b->cols[c].nulls = NULL;
  }
  sl_arena_reset(&b->arena);
}

uint8_t *sl_batch_nulls(sl_batch *b, int c) {
  if (!b->cols[c].nulls) b->cols[c].nulls = sl_calloc((size_t)b->cap, 1);
  return b->cols[c].nulls;
}

sl_str sl_batch_str(sl_batch *b, const char *s, uint32_t n) {
  sl_str r;
  if (n == 0) {
    r.ptr = "";
    r.len = 0;
    return r;
  }
  char *d = sl_arena_alloc(&b->arena, n);
  memcpy(d, s, n);
  r.ptr = d;
  r.len = n;
  return r;
}

void sl_col_get(const sl_col *c, uint32_t row, sl_value *out) {
  out->is_null = sl_col_is_null(c, row);
  switch (sl_type_phys(c->type)) {
    case SL_PHYS_I64: out->i64 = c->i64[row]; break;
    case SL_PHYS_F64: out->f64 = c->f64[row]; break;
    case SL_PHYS_DEC: out->dec = c->dec[row]; break;
    case SL_PHYS_STR: out->str = c->str[row]; break;
  }
}

void sl_batch_set(sl_batch *b, int c, uint32_t row, const sl_value *v) {
  sl_col *col = &b->cols[c];
  if (v->is_null) {
    sl_batch_nulls(b, c)[row] = 1;
    memset((char *)col->raw + (size_t)row * (size_t)sl_type_slot_size(col->type), 0,
           (size_t)sl_type_slot_size(col->type));
    return;
  }
  if (col->nulls) col->nulls[row] = 0;
  switch (sl_type_phys(col->type)) {
    case SL_PHYS_I64: col->i64[row] = v->i64; break;
    case SL_PHYS_F64: col->f64[row] = v->f64; break;
    case SL_PHYS_DEC: col->dec[row] = v->dec; break;
    case SL_PHYS_STR: col->str[row] = sl_batch_str(b, v->str.ptr, v->str.len); break;
  }
}
