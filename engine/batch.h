/* batch.h - columnar batches: the unit of data moving between operators. */
#ifndef SL_BATCH_H
#define SL_BATCH_H

#include <stdint.h>

#include "arena.h"
#include "types.h"

#define SL_BATCH_DEFAULT_ROWS 4096

/* Change kinds of rows in an update stream (Flink's RowKind). */
typedef enum { SL_ROW_INSERT = 0, SL_ROW_UPDATE_BEFORE, SL_ROW_UPDATE_AFTER, SL_ROW_DELETE } sl_row_kind;

/* One column: a slot array of the type's physical class and a per-row NULL flag array.
 * nulls == NULL means no row is NULL. String slots point into the batch arena (or into memory
 * that outlives the batch, such as constants). */
typedef struct sl_col {
  sl_type type;
  union {
    int64_t *i64;
    double *f64;
    sl_i128 *dec;
    sl_str *str;
    void *raw;
  };
  uint8_t *nulls; /* 1 = NULL */
} sl_col;

/* A batch owns its slot arrays and its string arena. Rows [0, nrows) exist; when sel is set,
 * only the rows listed in sel[0..nsel) are live (a filter narrows sel instead of copying). */
typedef struct sl_batch {
  int ncols;
  int nrows;
  int cap;
  sl_col *cols;
  uint32_t *sel;   /* NULL = all rows live */
  int nsel;
  uint8_t *kinds;  /* per-row sl_row_kind; NULL = all inserts */
  sl_arena arena;  /* strings and the slot arrays themselves */
} sl_batch;

/* Allocates a batch with room for cap rows of the given column types. */
sl_batch *sl_batch_new(int ncols, const sl_type *types, int cap);
void sl_batch_free(sl_batch *b);
/* Forgets all rows (keeps the column arrays); strings in the arena are released. */
void sl_batch_reset(sl_batch *b);
/* Makes sure column c has a NULL-flag array (zeroed) and returns it. */
uint8_t *sl_batch_nulls(sl_batch *b, int c);
/* Number of live rows (nsel when a selection is set, else nrows). */
static inline int sl_batch_live(const sl_batch *b) { return b->sel ? b->nsel : b->nrows; }
/* The i-th live row's index. */
static inline uint32_t sl_batch_row(const sl_batch *b, int i) { return b->sel ? b->sel[i] : (uint32_t)i; }
static inline int sl_col_is_null(const sl_col *c, uint32_t row) { return c->nulls && c->nulls[row]; }
/* Copies a string into the batch arena and returns the slot value. */
sl_str sl_batch_str(sl_batch *b, const char *s, uint32_t n);
/* Reads a value out of a column (strings are referenced, not copied). */
void sl_col_get(const sl_col *c, uint32_t row, sl_value *out);
/* Writes a value into row of column c of b; strings are copied into the batch arena. */
void sl_batch_set(sl_batch *b, int c, uint32_t row, const sl_value *v);

#endif
