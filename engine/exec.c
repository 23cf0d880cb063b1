/* exec.c - drives a job on a libuv loop: an idle handle polls a source one batch at a time (the
 * source furthest behind in event time, so that joins and windows keep little state), a timer
 * asks for checkpoints, and each source's end of input travels down its path as finish() and a
 * final watermark. Once every source is done (then, with checkpointing, a final checkpoint
 * publishes the output of exactly-once sinks) the job ends. A stop request ends it with a
 * savepoint instead; a cancel request ends it at once.
 *
 * A source on the network may have nothing to give (SL_OP_WAIT): it is skipped until it wakes
 * the job, and once every source waits, the idle handle stops so the loop sleeps in epoll. A
 * tick timer restarts it now and then, for requests, checkpoints and idle splits.
 *
 * The loop is the runner's own; sl_dag_run runs it to the end on the calling thread, and the
 * embedding API's loop mode runs it a step at a time from the host's loop. */
#include <stdlib.h>
#include <uv.h>

#include "checkpoint.h"
#include "dag.h"

struct sl_runner {
  uv_loop_t loop;
  uv_idle_t idle;
  uv_timer_t timer;
  uv_timer_t tick;
  bool idle_on;
  bool finished;         /* stop_loop was called: only sl_runner_finish is left */
  sl_dag *d;
  sl_ckpt_coord *ckpt;
  bool checkpoint_due;
  int rc;
  sl_op **sources;
  bool *done;
  bool *waiting;
  int nsources, ndone, turn;
};
typedef struct sl_runner runner;

#define TICK_MS 50

/* The source to poll next: of those not done, the one with the lowest watermark; ties (sources
 * without watermarks, or equal ones) take turns. */
static int next_source(runner *r) {
  int best = -1;
  for (int k = 0; k < r->nsources; k++) {
    int i = (r->turn + k) % r->nsources;
    if (r->done[i] || r->waiting[i]) continue;
    if (best < 0 || r->sources[i]->out_wm < r->sources[best]->out_wm) best = i;
  }
  r->turn = (r->turn + 1) % r->nsources;
  return best;
}

static void stop_loop(runner *r, int rc) {
  r->rc = rc;
  r->finished = true;
  uv_idle_stop(&r->idle);
  uv_timer_stop(&r->timer);
  uv_timer_stop(&r->tick);
  uv_stop(&r->loop);
}

static void on_idle(uv_idle_t *h);

/* Polls every source again (one woke up, or a tick passed). */
static void wake(void *arg) {
  runner *r = arg;
  for (int i = 0; i < r->nsources; i++) r->waiting[i] = false;
  if (!r->idle_on) {
    r->idle_on = true;
    uv_idle_start(&r->idle, on_idle);
  }
}

static void on_tick(uv_timer_t *h) {
  runner *r = h->data;
  sl_job_control *jc = r->d->ctx->control;
  if (jc && jc->tick) jc->tick(jc->arg);
  wake(r);
}

/* A savepoint the host asked for: taken now, on the job's thread. Returns 0 when taken, 1 when
 * it failed but the job carries on (an upload failure, or no checkpointing), SL_OP_ERROR when an
 * operator failed (the job fails). */
static int take_savepoint(runner *r, sl_job_control *jc) {
  sl_job_ctx *ctx = r->d->ctx;
  jc->savepoints_taken++;
  sl_err local;
  sl_err_clear(&local);
  char target[1024] = "";
  if (jc->savepoint_target) jc->savepoint_target(jc->arg, target, sizeof target);
  if (!r->ckpt) {
    sl_err_set(&local, SL_ESTATE, SL_ERR_NOLOC,
               "the job has no checkpointing: set 'execution.checkpointing.interval' to take savepoints");
    if (jc->savepoint_done) jc->savepoint_done(jc->arg, SL_ESTATE, NULL, &local);
    return 1;
  }
  if (target[0] && sl_ckpt_savepoint_to(r->ckpt, target, &local)) {
    if (jc->savepoint_done) jc->savepoint_done(jc->arg, local.code, NULL, &local);
    return 1;
  }
  sl_err *saved = ctx->err;
  int64_t failed = sl_ckpt_failed(r->ckpt);
  ctx->err = &local;
  int rc = sl_ckpt_trigger(r->ckpt, true, false, true);
  ctx->err = saved;
  if (!rc) {
    if (jc->savepoint_done) jc->savepoint_done(jc->arg, 0, sl_ckpt_last_uri(r->ckpt), NULL);
    return 0;
  }
  if (!local.code) sl_err_set(&local, SL_ECHECKPOINT, SL_ERR_NOLOC, "savepoint failed");
  if (jc->savepoint_done) jc->savepoint_done(jc->arg, local.code, NULL, &local);
  if (sl_ckpt_failed(r->ckpt) > failed) return 1;
  *saved = local;
  return SL_OP_ERROR;
}

static void on_idle(uv_idle_t *h) {
  runner *r = h->data;
  sl_job_ctx *ctx = r->d->ctx;
  sl_job_control *jc = ctx->control;
  if (jc && jc->cancel) {
    ctx->canceled = true;
    return stop_loop(r, SL_OP_OK);
  }
  bool stop = jc && jc->stop;
  if (jc && jc->savepoints > jc->savepoints_taken && !stop && take_savepoint(r, jc) < 0) return stop_loop(r, SL_OP_ERROR);
  if (r->ckpt) {
    if (sl_ckpt_poll(r->ckpt)) return stop_loop(r, SL_OP_ERROR);
    if (stop) {
      /* Stop with a savepoint: no final watermark, the job resumes from here. */
      int rc = take_savepoint(r, jc);
      if (rc < 0) return stop_loop(r, SL_OP_ERROR);
      if (rc == 0) {
        ctx->stopped = true;
        return stop_loop(r, SL_OP_OK);
      }
      jc->stop = 0; /* the savepoint failed: the job carries on, as Flink's stop-with-savepoint */
    }
    if (r->checkpoint_due && !sl_ckpt_in_flight(r->ckpt)) {
      r->checkpoint_due = false;
      if (sl_ckpt_trigger(r->ckpt, false, false, false)) return stop_loop(r, SL_OP_ERROR);
    }
  } else if (stop) {
    ctx->stopped = true;
    take_savepoint(r, jc); /* answers that there is none */
    return stop_loop(r, SL_OP_OK);
  }
  int i = next_source(r);
  if (i < 0) {
    /* Every source waits: sleep until one wakes the job, or the next tick. */
    r->idle_on = false;
    uv_idle_stop(&r->idle);
    return;
  }
  sl_op *src = r->sources[i];
  int rc = src->vt->poll(src);
  if (rc == SL_OP_OK) return;
  if (rc == SL_OP_WAIT) {
    r->waiting[i] = true;
    return;
  }
  if (rc != SL_OP_DONE) return stop_loop(r, SL_OP_ERROR);
  r->done[i] = true;
  r->ndone++;
  rc = sl_op_end(src);
  if (!rc && r->ndone < r->nsources) return;
  if (!rc && r->ckpt) rc = sl_ckpt_trigger(r->ckpt, false, true, true);
  stop_loop(r, rc ? SL_OP_ERROR : SL_OP_OK);
}

static void on_timer(uv_timer_t *h) {
  runner *r = h->data;
  r->checkpoint_due = true;
  wake(r);
}

int sl_runner_start(sl_dag *d, sl_runner **out) {
  *out = NULL;
  if (d->nops == 0) return SL_OP_OK;
  sl_job_ctx *ctx = d->ctx;
  sl_ckpt_coord *ckpt = ctx->ckpt;
  if (ckpt && sl_ckpt_restore_state(ckpt)) return SL_OP_ERROR;
  for (int i = 0; i < d->nops; i++)
    if (d->ops[i]->vt->open(d->ops[i])) return SL_OP_ERROR;
  if (ckpt && sl_ckpt_restore_ops(ckpt)) return SL_OP_ERROR;
  if (ckpt && sl_ckpt_restored_finished(ckpt)) return SL_OP_OK; /* it had already run to the end */

  runner *r = sl_calloc(1, sizeof *r);
  r->d = d;
  r->ckpt = ckpt;
  if (uv_loop_init(&r->loop) != 0) {
    free(r);
    return sl_err_set(ctx->err, SL_ERUNTIME, SL_ERR_NOLOC, "cannot start an event loop");
  }
  r->sources = sl_calloc((size_t)d->nops, sizeof(sl_op *));
  r->done = sl_calloc((size_t)d->nops, sizeof(bool));
  r->waiting = sl_calloc((size_t)d->nops, sizeof(bool));
  for (int i = 0; i < d->nops; i++)
    if (d->ops[i]->ninputs == 0) r->sources[r->nsources++] = d->ops[i];
  ctx->loop = &r->loop;
  ctx->wake = wake;
  ctx->wake_arg = r;
  uv_idle_init(&r->loop, &r->idle);
  uv_timer_init(&r->loop, &r->timer);
  uv_timer_init(&r->loop, &r->tick);
  r->idle.data = r->timer.data = r->tick.data = r;
  r->idle_on = true;
  uv_idle_start(&r->idle, on_idle);
  uv_timer_start(&r->tick, on_tick, TICK_MS, TICK_MS);
  int64_t interval = ckpt ? sl_ckpt_interval_ms(ckpt) : 0;
  if (interval > 0) uv_timer_start(&r->timer, on_timer, (uint64_t)interval, (uint64_t)interval);
  *out = r;
  return SL_OP_OK;
}

struct uv_loop_s *sl_runner_loop(sl_runner *r) { return &r->loop; }

bool sl_runner_step(sl_runner *r, bool nowait) {
  if (!r->finished) uv_run(&r->loop, nowait ? UV_RUN_NOWAIT : UV_RUN_DEFAULT);
  return r->finished;
}

int sl_runner_finish(sl_runner *r) {
  sl_dag *d = r->d;
  sl_job_ctx *ctx = d->ctx;
  for (int i = 0; i < d->nops; i++)
    if (d->ops[i]->vt->detach) d->ops[i]->vt->detach(d->ops[i]);
  uv_close((uv_handle_t *)&r->idle, NULL);
  uv_close((uv_handle_t *)&r->timer, NULL);
  uv_close((uv_handle_t *)&r->tick, NULL);
  uv_run(&r->loop, UV_RUN_DEFAULT);
  int rc = r->rc;
  if (uv_loop_close(&r->loop) != 0 && !rc)
    rc = sl_err_set(ctx->err, SL_ERUNTIME, SL_ERR_NOLOC, "an operator left handles open on the event loop");
  ctx->loop = NULL;
  free(r->sources);
  free(r->done);
  free(r->waiting);
  free(r);
  if (ctx->ckpt && !rc) rc = sl_ckpt_wait(ctx->ckpt);
  if (ctx->control && ctx->control->tick) ctx->control->tick(ctx->control->arg);
  return rc;
}

int sl_dag_run(sl_dag *d) {
  sl_runner *r;
  if (sl_runner_start(d, &r)) return SL_OP_ERROR;
  if (!r) return SL_OP_OK;
  while (!sl_runner_step(r, false)) {
  }
  return sl_runner_finish(r);
}
