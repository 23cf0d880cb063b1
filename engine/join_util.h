/* join_util.h - pieces every join operator uses: the sorted list of live time buckets or windows
 * (saved with each checkpoint), join keys as bytes, the per-side keyed states, EXPLAIN's head. */
#ifndef SL_JOIN_UTIL_H
#define SL_JOIN_UTIL_H

#include <stdbool.h>
#include <stdint.h>

#include "batch.h"
#include "buf.h"
#include "expr.h"
#include "op.h"

typedef struct sl_kstate sl_kstate;

/* Distinct int64 values (time buckets, window ends), ascending. */
typedef struct sl_time_list {
  int64_t *v;
  int n, cap;
} sl_time_list;

/* The index of the first value >= x. */
int sl_time_list_find(const sl_time_list *l, int64_t x);
/* Adds x unless present. */
void sl_time_list_add(sl_time_list *l, int64_t x);
/* Removes the first k values. */
void sl_time_list_drop_front(sl_time_list *l, int k);
/* Appends count (int32) and values to b; reads them back from data at *at (advanced); false when
 * the bytes are damaged. */
void sl_time_list_save(const sl_time_list *l, sl_buf *b);
bool sl_time_list_load(sl_time_list *l, const sl_buf *data, size_t *at);
void sl_time_list_free(sl_time_list *l);

/* The join key of row (nkeys evaluated key columns) as bytes into key; false when a key column
 * is NULL: such a row never matches. */
bool sl_join_key(sl_buf *key, const sl_col *cols, int nkeys, uint32_t row);

/* Opens side p's keyed states "<op id>/lcount" | "rcount" (count_size-byte slots) and
 * "<op id>/lrows" | "rrows" (variable-length), both with time-to-live ttl_us (0: none). */
int sl_join_open_side(sl_op *op, int p, uint32_t count_size, int64_t ttl_us, sl_kstate **count, sl_kstate **rows);

/* EXPLAIN's "joinType=[...], where=[l1 = r1 AND ..." (names: the output columns, the right side's
 * from nl on); the caller goes on with the rest of the condition and closes the bracket. */
void sl_join_explain_head(sl_buf *out, bool left_outer, bool right_outer, int nkeys, sl_expr *const *lkeys,
                          sl_expr *const *rkeys, const char *const *names, int nl);

#endif
