/* op.h - the operator interface: every node of a running job is an sl_op with this vtable.
 *
 * Operators are connected in a chain (this version runs one pipeline on one thread): a call on an
 * operator may push batches and watermarks to its successor with sl_op_emit and
 * sl_op_emit_watermark, synchronously. A batch passed to process() is only valid during the call
 * and must not be modified; what an operator keeps, it copies into its state. */
#ifndef SL_OP_H
#define SL_OP_H

#include <stdint.h>
#include <stdio.h>

#include "batch.h"
#include "buf.h"
#include "err.h"

#define SL_WATERMARK_MIN INT64_MIN
#define SL_WATERMARK_MAX INT64_MAX

typedef struct sl_op sl_op;
typedef struct sl_job_ctx sl_job_ctx;

/* Results of the vtable calls. */
typedef enum {
  SL_OP_OK = 0,       /* carry on */
  SL_OP_DONE = 1,     /* (sources) no more input */
  SL_OP_ERROR = -1    /* failed: the job context's err says why */
} sl_op_result;

typedef struct sl_op_vtable {
  const char *name;
  /* Allocates state and opens resources. */
  int (*open)(sl_op *op);
  /* Sources only: produce the next batch (emitting it downstream). */
  int (*poll)(sl_op *op);
  /* One input batch arrived on port. */
  int (*process)(sl_op *op, int port, const sl_batch *b);
  /* The minimum watermark over the inputs advanced to wm. */
  int (*on_watermark)(sl_op *op, int64_t wm);
  /* End of input: flush what is pending (emitting is allowed). */
  int (*finish)(sl_op *op);
  /* Frees everything; never emits. */
  void (*close)(sl_op *op);
  /* One line of EXPLAIN detail (keys, predicates, ...). */
  void (*explain)(const sl_op *op, sl_buf *out);
} sl_op_vtable;

struct sl_op {
  const sl_op_vtable *vt;
  sl_op *next;           /* successor, or NULL for a sink */
  sl_job_ctx *ctx;
  int id;
  int64_t watermark;     /* last watermark seen */
  int64_t rows_in, rows_out;
};

/* Shared by all operators of a job. */
struct sl_job_ctx {
  sl_err *err;
  const char *sql;       /* script text, for positions in runtime errors */
  const char *file;      /* script file name */
  int64_t late_rows;     /* rows dropped behind the watermark */
  int64_t skipped_rows;  /* records skipped by ignore-parse-errors */
  FILE *out;             /* where print sinks write (stdout) */
};

int sl_op_emit(sl_op *op, const sl_batch *b);
int sl_op_emit_watermark(sl_op *op, int64_t wm);

#endif
