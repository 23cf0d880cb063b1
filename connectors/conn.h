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
  FILE *out;                 /* stdout for print sinks */
  bool two_phase;            /* sinks: checkpointing is on, so output is published only by
                              * commit() after prepare_commit(), never by rolling or finish() */
} sl_conn_table;

/* A source's replayable position: one entry per split (the filesystem source has one: the file
 * being read, the byte offset of the next record in it, and that record's line number). */
typedef struct sl_split_pos {
  char *split;        /* split id, e.g. the file's path; malloc'd */
  int64_t offset;     /* byte offset (or sequence) of the next record */
  int64_t record;     /* records (lines) consumed before offset, for messages */
} sl_split_pos;

typedef struct sl_source_pos {
  int n, cap;
  sl_split_pos *splits;
  int64_t skipped;    /* records skipped so far (ignore-parse-errors), carried across restores */
} sl_source_pos;

void sl_source_pos_add(sl_source_pos *p, const char *split, int64_t offset, int64_t record);
void sl_source_pos_destroy(sl_source_pos *p);

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
