/* ops.h - constructors of the built-in operators. */
#ifndef SL_OPS_H
#define SL_OPS_H

#include "../connectors/conn.h"
#include "expr.h"
#include "op.h"

/* Source: reads batches from src (physical columns), evaluates computed columns, stamps watermarks.
 * ncols table columns; phys[i] = physical column of table column i, or -1 when computed[i] is set.
 * wm_expr/rowtime may be NULL/-1. Takes ownership of src (NULL when only explained). desc names the connector for EXPLAIN. */
sl_op *sl_op_source_new(sl_job_ctx *ctx, const char *table, const char *desc, sl_source *src, int nphys, const sl_type *phys_types,
                        int ncols, const sl_type *types, const char *const *names, const int *phys,
                        sl_expr **computed, sl_expr *wm_expr, int rowtime);
/* One row of zero columns (SELECT without FROM). */
sl_op *sl_op_values_new(sl_job_ctx *ctx);
/* Calc: optional filter pred, then the projection exprs (NULL exprs = pass the input through). */
sl_op *sl_op_calc_new(sl_job_ctx *ctx, sl_expr *pred, int nexprs, sl_expr **exprs, const char *const *in_names,
                      const char *const *out_names);
/* Tumbling window aggregate; see op_window_agg.c for the output layout. */
struct sl_agg_call;
sl_op *sl_op_window_agg_new(sl_job_ctx *ctx, int time_col, int64_t size, int nkeys, sl_expr **keys, int naggs,
                            const struct sl_agg_call *aggs, const char *const *in_names, const char *const *out_names);
/* What a join operator needs from the plan: inputs of nl and nr columns, output = left columns
 * then right columns (out_types carry the nullability of outer joins). */
typedef struct sl_op_join_spec {
  int nl, nr;
  const sl_type *out_types;
  const char *const *out_names;
  int nkeys;
  sl_expr **lkeys, **rkeys;   /* over each input */
  sl_expr *residual;          /* over the output, or NULL */
  bool left_outer, right_outer;
  int ltime, rtime;           /* interval and temporal joins: time columns of each input
                                 (window join: window_end), */
  int64_t lower, upper;       /* interval join: ltime - rtime in [lower, upper] */
  int64_t win_size;           /* window join: the tumbling windows' size */
} sl_op_join_spec;

/* Interval join; see op_join_interval.c. */
sl_op *sl_op_interval_join_new(sl_job_ctx *ctx, const sl_op_join_spec *spec);
/* Event-time temporal join against a versioned table (right input); see op_join_temporal.c. */
sl_op *sl_op_temporal_join_new(sl_job_ctx *ctx, const sl_op_join_spec *spec);
/* Window join of two tumbling-windowed inputs; see op_join_window.c. */
sl_op *sl_op_window_join_new(sl_job_ctx *ctx, const sl_op_join_spec *spec);
/* Regular (unbounded) join with changelog output; see op_join_regular.c. */
sl_op *sl_op_regular_join_new(sl_job_ctx *ctx, const sl_op_join_spec *spec);
/* Sink: writes to a connector sink (takes ownership), or, when sink is NULL, collects the rows and
 * prints them as a table at the end (a bare SELECT): table is NULL then. */
sl_op *sl_op_sink_new(sl_job_ctx *ctx, const char *table, const char *desc, sl_sink *sink, int ncols, const char *const *names,
                      const sl_type *types);

#endif
