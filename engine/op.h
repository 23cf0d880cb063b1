/* op.h - the operator interface: every node of a running job is an sl_op with this vtable.
 *
 * Operators form a DAG run on one thread: sources have no inputs, a join has two (ports 0 and 1),
 * sinks have no successors, and an operator may feed several (a statement set's sinks share the
 * sources and the common part of their plans). A call on an operator may push batches and
 * watermarks to its successors with sl_op_emit and sl_op_emit_watermark, synchronously. An operator's watermark is the minimum over its inputs'. A batch passed to process() is only valid during the call
 * and must not be modified; what an operator keeps, it copies into its state (keyed state lives
 * in ctx->state).
 *
 * Checkpoint barriers travel in-band too (sl_op_emit_barrier). An operator with several inputs
 * aligns them: once a barrier arrived on one input, that input's batches wait until the barrier
 * arrived on every input; then the operator snapshots and forwards the barrier (Flink's aligned
 * checkpoints). */
#ifndef SL_OP_H
#define SL_OP_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "batch.h"
#include "buf.h"
#include "err.h"

#define SL_WATERMARK_MIN INT64_MIN
#define SL_WATERMARK_MAX INT64_MAX
#define SL_OP_MAX_INPUTS 8

typedef struct sl_op sl_op;
typedef struct sl_job_ctx sl_job_ctx;
typedef struct sl_manifest_op sl_manifest_op;
typedef struct sl_state_backend sl_state_backend;
typedef struct sl_ckpt_coord sl_ckpt_coord;

/* Requests to a running job from other threads (the embedding API), read by the job's loop at
 * every batch and tick, and the job's hooks back. */
typedef struct sl_job_control {
  _Atomic int cancel;            /* stop now, without a savepoint */
  _Atomic int stop;              /* stop with a final savepoint */
  _Atomic int64_t savepoints;    /* savepoints asked for so far */
  int64_t savepoints_taken;      /* (job thread) savepoints answered so far */
  /* The target folder URI of the next savepoint asked for, into buf ("" for the checkpoints
   * folder). */
  void (*savepoint_target)(void *arg, char *buf, size_t cap);
  /* The next savepoint asked for was taken (rc 0, uri its folder) or failed (rc, err says why);
   * savepoints are answered one at a time, in the order they were asked for. */
  void (*savepoint_done)(void *arg, int rc, const char *uri, const sl_err *err);
  /* Every tick of a running query (50 ms) and at its end: a chance to publish metrics. */
  void (*tick)(void *arg);
  void *arg;
} sl_job_control;

/* Results of the vtable calls. */
typedef enum {
  SL_OP_OK = 0,       /* carry on */
  SL_OP_DONE = 1,     /* (sources) no more input */
  SL_OP_WAIT = 2,     /* (sources) nothing now; ctx->wake is called once there is */
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
  /* A checkpoint barrier passed (aligned on every input): save what the operator keeps outside
   * keyed state into m (sources: positions; sinks: commit data). NULL: nothing to save. */
  int (*snapshot)(sl_op *op, int64_t checkpoint_id, sl_manifest_op *m);
  /* After open(), before any input: load what snapshot() saved (sinks: commit restored output). */
  int (*restore)(sl_op *op, const sl_manifest_op *m);
  /* The checkpoint is complete (its manifest is durable): publish the output it covers. */
  int (*checkpoint_complete)(sl_op *op, int64_t checkpoint_id);
  /* The event loop ends: close the handles opened on ctx->loop. NULL: none. */
  void (*detach)(sl_op *op);
} sl_op_vtable;

/* An edge of the DAG: the successor and which of its inputs it is. */
typedef struct sl_op_edge {
  sl_op *op;
  int port;
} sl_op_edge;

/* A batch held back on an input that already delivered the current barrier. */
typedef struct sl_held_batch {
  int port;
  sl_batch *b;
} sl_held_batch;

struct sl_op {
  const sl_op_vtable *vt;
  sl_op_edge *outs;      /* successors (none for a sink) */
  int nouts;
  sl_job_ctx *ctx;
  int id;
  int ninputs;           /* 0 for sources, else >= 1 */
  int64_t watermark;     /* the minimum of the inputs' watermarks: the operator's event time */
  int64_t in_wm[SL_OP_MAX_INPUTS]; /* last watermark per input */
  int64_t out_wm;        /* last watermark emitted */
  uint32_t ended;        /* inputs that reached their end */
  int64_t rows_in, rows_out;
  /* barrier alignment */
  int64_t aligning;      /* checkpoint id being aligned, 0 when none */
  uint32_t arrived;      /* inputs that delivered its barrier */
  sl_held_batch *held;
  int nheld, capheld;
};

/* Shared by all operators of a job. */
struct sl_job_ctx {
  sl_err *err;
  const char *sql;       /* script text, for positions in runtime errors */
  const char *file;      /* script file name */
  int64_t late_rows;     /* rows dropped behind the watermark */
  int64_t skipped_rows;  /* records skipped by ignore-parse-errors */
  FILE *out;             /* where print sinks write (stdout) */
  FILE *errout;          /* print sinks with 'standard-error' (stderr) */
  sl_state_backend *state;  /* keyed state of the job's operators */
  int64_t state_ttl_us;  /* 'table.exec.state.ttl' for state without its own cleanup (0: none) */
  bool checkpointing;    /* sinks commit in two phases (set before planning) */
  sl_ckpt_coord *ckpt;   /* checkpoint coordinator, NULL when checkpointing is off */
  sl_job_control *control;   /* requests from the host (cancel, savepoints), or NULL */
  FILE *log;             /* progress and retry notices (stderr), or NULL */
  int64_t idle_timeout_us;   /* 'table.exec.source.idle-timeout' (0: none) */
  struct uv_loop_s *loop;    /* the running job's event loop (set by sl_dag_run) */
  void (*wake)(void *arg);   /* a waiting source has input again */
  void *wake_arg;
  bool stopped;          /* the job stopped with a savepoint before the end of its input */
  bool canceled;         /* the job was cancelled (no savepoint) */
  struct sl_host_tables *host; /* the host's sources and sinks (embedding API), or NULL */
};

int sl_op_emit(sl_op *op, const sl_batch *b);
int sl_op_emit_watermark(sl_op *op, int64_t wm);
/* op's input is over (all of its inputs, or a source's own): finish() it, emit the final
 * watermark, and end that input of its successor, which finishes once all its inputs ended. */
int sl_op_end(sl_op *op);
/* Sets every input watermark and the operator's own to wm (restore). */
void sl_op_reset_watermark(sl_op *op, int64_t wm);
/* Sends checkpoint barrier id downstream (sources call it between batches). */
int sl_op_emit_barrier(sl_op *op, int64_t id);
/* A batch / barrier arriving on input port of op (what emit calls on the successor). */
int sl_op_deliver(sl_op *op, int port, const sl_batch *b);
int sl_op_deliver_barrier(sl_op *op, int port, int64_t id);
/* Releases held batches (close). */
void sl_op_release_held(sl_op *op);

#endif
