/* checkpoint.h - the checkpoint coordinator of a job: triggers barriers at the sources, collects
 * operator snapshots into a manifest, snapshots keyed state, uploads it all on a worker thread,
 * tells operators when a checkpoint is complete, and restores a job from a checkpoint. */
#ifndef SL_CHECKPOINT_H
#define SL_CHECKPOINT_H

#include <stdbool.h>
#include <stdio.h>

#include "../state/objstore.h"
#include "op.h"

typedef struct sl_dag sl_dag;

typedef struct sl_ckpt_config {
  int64_t interval_ms;        /* 'execution.checkpointing.interval'; 0 = no periodic checkpoints */
  const char *dir;            /* 'state.checkpoints.dir' URI */
  int64_t dir_loc;            /* where the SET gave it (for messages), or SL_ERR_NOLOC */
  int num_retained;           /* 'state.checkpoints.num-retained' */
  const char *restore;        /* NULL, "latest", or a checkpoint folder URI */
  const char *local_dir;      /* where snapshots are staged before upload */
  sl_objstore_opts store;     /* S3 settings */
  const char *job_id;         /* 32 hex digits: the folder checkpoints go under (NULL: random) */
  bool latest_of_job;         /* restore "latest" looks among job_id's checkpoints only */
  FILE *log;                  /* progress and failures ("sluice: ..."), or NULL */
} sl_ckpt_config;

/* Creates the coordinator for dag (ctx->state must be set). Nothing is contacted yet. */
int sl_ckpt_coord_new(sl_job_ctx *ctx, sl_dag *dag, const sl_ckpt_config *cfg, sl_ckpt_coord **out, sl_err *err);
void sl_ckpt_coord_free(sl_ckpt_coord *c);

/* Restore, part 1 (before operators open): finds the checkpoint, checks it belongs to this plan,
 * downloads it and loads keyed state. With "latest" and no checkpoint yet, it says so on the log
 * and the job starts fresh. */
int sl_ckpt_restore_state(sl_ckpt_coord *c);
/* Restore, part 2 (after operators open): hands each operator its saved part. */
int sl_ckpt_restore_ops(sl_ckpt_coord *c);
/* Whether a restored checkpoint was taken at the end of the input (nothing left to do). */
bool sl_ckpt_restored_finished(const sl_ckpt_coord *c);

/* Takes checkpoint: barrier from the sources, snapshots, then the upload on a worker thread
 * (savepoint/finished mark the manifest). With wait, returns after the upload and completion. */
int sl_ckpt_trigger(sl_ckpt_coord *c, bool savepoint, bool finished, bool wait);
/* The two halves of sl_ckpt_trigger, for drivers that deliver barriers themselves: begin starts
 * checkpoint n's manifest (returns n, or -1 on error); once the barrier has reached every
 * operator, end snapshots keyed state and uploads. */
int64_t sl_ckpt_begin(sl_ckpt_coord *c, bool savepoint, bool finished);
int sl_ckpt_end(sl_ckpt_coord *c, bool wait);
/* The next savepoint goes into target (a folder URI) instead of the checkpoints folder, in a
 * folder of its own holding all its files. */
int sl_ckpt_savepoint_to(sl_ckpt_coord *c, const char *target, sl_err *err);
/* Handles a finished upload, if any (on the job thread): completion or a logged failure. */
int sl_ckpt_poll(sl_ckpt_coord *c);
/* Waits for the upload in flight, then as sl_ckpt_poll. */
int sl_ckpt_wait(sl_ckpt_coord *c);
bool sl_ckpt_in_flight(const sl_ckpt_coord *c);
int64_t sl_ckpt_interval_ms(const sl_ckpt_coord *c);
/* The URI of the last completed checkpoint ("" before the first). */
const char *sl_ckpt_last_uri(const sl_ckpt_coord *c);
/* Counts for status output. */
int64_t sl_ckpt_completed(const sl_ckpt_coord *c);
int64_t sl_ckpt_failed(const sl_ckpt_coord *c);
/* The last completed checkpoint: id (0: none yet), bytes of state, duration and completion time. */
void sl_ckpt_last_info(const sl_ckpt_coord *c, int64_t *id, int64_t *size, int64_t *duration_ms, int64_t *time_ms);

/* Called by barrier alignment (op.c) when op has the barrier on every input. */
int sl_ckpt_snapshot_op(sl_ckpt_coord *c, sl_op *op, int64_t id);

/* A fingerprint of the job's plan: operators and their logic, not connector locations. */
uint64_t sl_dag_fingerprint(const sl_dag *d);

#endif
