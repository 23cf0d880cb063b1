/* conn.h - the source and sink interfaces every connector implements, and the registry. */
#ifndef SL_CONN_H
#define SL_CONN_H

#include <stdio.h>

#include "../engine/batch.h"
#include "../engine/buf.h"
#include "../engine/err.h"
#include "options.h"

/* What a connector is told about its table. */
typedef struct sl_conn_table {
  const char *name;          /* table name */
  const char *connector;
  sl_options *opts;          /* reads mark options used; the registry rejects unread ones */
  int ncols;                 /* physical columns only */
  const char *const *names;
  const sl_type *types;
  int nmeta;                 /* sources: the last nmeta of the ncols columns are metadata
                              * columns (METADATA [FROM 'key']), the others the payload */
  const char *const *meta_keys; /* their keys ("timestamp", "shard-id", ...), nmeta entries */
  const int64_t *meta_loc;   /* where each one's METADATA clause is, for errors */
  int npart;                 /* PARTITIONED BY (...): how many columns, */
  const int *part_cols;      /* and which (indexes into the ncols columns) */
  FILE *out;                 /* stdout for print sinks */
  FILE *errout;              /* stderr for print sinks with 'standard-error' */
  FILE *log;                 /* progress and retry notices (stderr), or NULL */
  struct sl_host_tables *host; /* host sources and sinks of the embedding API, or NULL */
  bool two_phase;            /* sinks: checkpointing is on, so output is published only by
                              * commit() after prepare_commit(), never by rolling or finish() */
} sl_conn_table;

/* A source's replayable position: one entry per split (the filesystem source has one: the file
 * being read, the byte offset of the next record in it, and that record's line number). */
typedef struct sl_split_pos {
  char *split;        /* split id, e.g. the file's path; malloc'd */
  int64_t offset;     /* byte offset (or sequence) of the next record */
  int64_t record;     /* records (lines) consumed before offset, for messages */
  char *position;     /* a position that is not a number (Kinesis: "AFTER_SEQUENCE_NUMBER:<seq>"),
                       * or NULL; malloc'd */
} sl_split_pos;

typedef struct sl_source_pos {
  int n, cap;
  sl_split_pos *splits;
  int64_t skipped;    /* records skipped so far (ignore-parse-errors), carried across restores */
} sl_source_pos;

void sl_source_pos_add(sl_source_pos *p, const char *split, int64_t offset, int64_t record, const char *position);
void sl_source_pos_destroy(sl_source_pos *p);

/* The split states of a source that reads several splits at once (sl_source_vtable.splits). */
typedef enum {
  SL_SPLIT_ACTIVE = 0, /* read; its watermark counts */
  SL_SPLIT_IDLE,       /* no records for the idle timeout: its watermark does not hold others back */
  SL_SPLIT_WAITING,    /* not read yet (a child shard waiting for its parents): does not count */
  SL_SPLIT_FINISHED    /* read to its end */
} sl_split_state;

/* What a connector on the network gets from the job (the start() of sources and sinks). */
typedef struct sl_conn_env {
  struct uv_loop_s *loop;     /* the job's event loop */
  void (*wake)(void *arg);    /* call when read() has something again after SL_SOURCE_WAIT */
  void *wake_arg;
  FILE *log;                  /* progress and retry notices, or NULL */
  int64_t idle_timeout_us;    /* 'table.exec.source.idle-timeout' (0: none) */
} sl_conn_env;

/* read() has nothing now: the source calls env->wake once it has. */
#define SL_SOURCE_WAIT 2

typedef struct sl_source sl_source;
typedef struct sl_source_vtable {
  /* Appends up to b->cap - b->nrows decoded records to b. Returns 0 (rows may be 0 only when a
   * whole chunk was skipped), SL_OP_DONE (1) at end of input, or a negative error whose message
   * names the record ("in/tx.json:3: field 'amount': ..."). */
  int (*read)(sl_source *s, sl_batch *b, sl_err *err);
  /* Names the record behind row r of the last batch read ("in/tx.json:3"). */
  void (*where)(sl_source *s, uint32_t row, sl_buf *out);
  int64_t (*skipped)(sl_source *s);   /* records skipped by ignore-parse-errors */
  void (*describe)(sl_source *s, sl_buf *out);
  void (*free)(sl_source *s);
  /* Replayable position (for checkpoints): where the next read() starts, as split offsets.
   * Called between reads; every record read so far has been emitted. NULL: not replayable. */
  int (*position)(sl_source *s, sl_source_pos *out, sl_err *err);
  /* Restore: the next read() continues exactly at pos (as returned by position()). */
  int (*seek)(sl_source *s, const sl_source_pos *pos, sl_err *err);
  /* Unbounded sources on the network: start on the job's loop (after seek() on a restore, before
   * the first read()); read() may then return SL_SOURCE_WAIT. stop() closes the loop handles
   * when the job ends. NULL for sources that never wait. */
  int (*start)(sl_source *s, const sl_conn_env *env, sl_err *err);
  void (*stop)(sl_source *s);
  /* Sources reading several splits at once (Kinesis shards), so that each split has its own
   * watermark: returns the number of split slots so far (slots keep their index for the
   * source's life, in the order position() lists them), sets *state to their states and
   * *current to the slot the rows of the last read() came from. NULL: one split, always active. */
  int (*splits)(sl_source *s, const uint8_t **state, int *current);
  /* A watermark the source was given along with its records (the host source: the host sets it),
   * in µs, applying after the rows of the last read(); INT64_MIN when none. NULL: none. */
  int64_t (*watermark)(sl_source *s);
} sl_source_vtable;

struct sl_source {
  const sl_source_vtable *vt;
};

typedef struct sl_sink sl_sink;
typedef struct sl_sink_vtable {
  /* Writes the live rows of b (columns = the table's physical columns). */
  int (*write)(sl_sink *s, const sl_batch *b, sl_err *err);
  /* End of input without checkpointing: flush and publish (the filesystem sink renames its part
   * files). With checkpointing (two_phase) the engine calls prepare_commit + commit instead. */
  int (*finish)(sl_sink *s, sl_err *err);
  void (*describe)(sl_sink *s, sl_buf *out);
  void (*free)(sl_sink *s);
  /* Two-phase commit (Flink's FileSink protocol); all three NULL for at-least-once sinks.
   * prepare_commit: at a checkpoint barrier, make what was written so far durable but not yet
   * visible, and append to out the commit data (opaque bytes) that publishes it. */
  int (*prepare_commit)(sl_sink *s, int64_t checkpoint_id, sl_buf *out, sl_err *err);
  /* The checkpoint holding this commit data completed: publish it. Idempotent: data already
   * published (or applied by an earlier run) is not an error. */
  int (*commit)(sl_sink *s, const void *data, size_t len, sl_err *err);
  /* Restore, before writing anything: the engine first passes the restored checkpoint's commit
   * data to commit(), then calls recover() to discard what earlier attempts wrote but never got
   * into a completed checkpoint (hidden in-progress files). */
  int (*recover)(sl_sink *s, sl_err *err);
  /* At-least-once sinks that buffer: send everything buffered (at each checkpoint barrier, so
   * that a completed checkpoint never covers unsent rows). NULL: nothing buffered. */
  int (*flush)(sl_sink *s, sl_err *err);
  /* Sinks that flush on a timer: start on the job's loop before the first write; stop() closes
   * the loop handles when the job ends. NULL: not needed. */
  int (*start)(sl_sink *s, const sl_conn_env *env, sl_err *err);
  void (*stop)(sl_sink *s);
  /* The sink's input watermark advanced to wm (event time, microseconds): sinks that commit by
   * event time (the filesystem sink's partition-time trigger). NULL: not needed. */
  int (*watermark)(sl_sink *s, int64_t wm, sl_err *err);
} sl_sink_vtable;

struct sl_sink {
  const sl_sink_vtable *vt;
};

/* Opens the source / sink for a table by its 'connector'; unknown connectors, missing and unused
 * options are SL_ECONFIG errors located at the option (or the table). */
int sl_conn_source_open(sl_conn_table *t, int64_t loc, sl_source **out, sl_err *err);
int sl_conn_sink_open(sl_conn_table *t, int64_t loc, sl_sink **out, sl_err *err);
/* Whether a connector name is known at all (for EXPLAIN of not-yet-runnable connectors). */
/* Whether a sink of connector c takes an update stream (-U/+U/-D rows), not only inserts. */
bool sl_conn_sink_takes_updates(const char *c);
bool sl_conn_known(const char *connector);

/* Constructors behind the registry. */
int sl_fs_source_new(sl_conn_table *t, int64_t loc, sl_source **out, sl_err *err);
int sl_fs_sink_new(sl_conn_table *t, int64_t loc, sl_sink **out, sl_err *err);
int sl_print_sink_new(sl_conn_table *t, int64_t loc, sl_sink **out, sl_err *err);
int sl_blackhole_sink_new(sl_conn_table *t, int64_t loc, sl_sink **out, sl_err *err);

/* Renders row `row` of b the way the print connector does: "+I[a, b, null]". */
void sl_render_row(const sl_batch *b, uint32_t row, sl_buf *out);

#endif
