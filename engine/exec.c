/* exec.c - drives a job on a libuv loop: an idle handle polls the source one batch at a time,
 * a timer asks for checkpoints, and the end of input travels down the chain as a final
 * watermark followed by finish() (then, with checkpointing, a final checkpoint publishes the
 * output of exactly-once sinks). A stop request ends the job with a savepoint instead. */
#include <uv.h>

#include "checkpoint.h"
#include "dag.h"

typedef struct runner {
  uv_loop_t loop;
  uv_idle_t idle;
  uv_timer_t timer;
  sl_dag *d;
  sl_ckpt_coord *ckpt;
  bool checkpoint_due;
  int rc;
} runner;

/* End of input: every operator finishes in chain order, so a window fired by finish() reaches
 * operators that have not finished yet. */
static int finish_chain(sl_dag *d) {
  for (int i = 0; i < d->nops; i++) {
    sl_op *op = d->ops[i];
    if (op->vt->finish(op)) return SL_OP_ERROR;
    if (sl_op_emit_watermark(op, SL_WATERMARK_MAX)) return SL_OP_ERROR;
  }
  return SL_OP_OK;
}

static void stop_loop(runner *r, int rc) {
  r->rc = rc;
  uv_idle_stop(&r->idle);
  uv_timer_stop(&r->timer);
  uv_stop(&r->loop);
}

static void on_idle(uv_idle_t *h) {
  runner *r = h->data;
  sl_job_ctx *ctx = r->d->ctx;
  if (r->ckpt) {
    if (sl_ckpt_poll(r->ckpt)) return stop_loop(r, SL_OP_ERROR);
    if (ctx->stop && *ctx->stop) {
      /* Stop with a savepoint: no final watermark, the job resumes from here. */
      ctx->stopped = true;
      return stop_loop(r, sl_ckpt_trigger(r->ckpt, true, false, true) ? SL_OP_ERROR : SL_OP_OK);
    }
    if (r->checkpoint_due && !sl_ckpt_in_flight(r->ckpt)) {
      r->checkpoint_due = false;
      if (sl_ckpt_trigger(r->ckpt, false, false, false)) return stop_loop(r, SL_OP_ERROR);
    }
  } else if (ctx->stop && *ctx->stop) {
    ctx->stopped = true;
    return stop_loop(r, SL_OP_OK);
  }
  sl_op *src = r->d->ops[0];
  int rc = src->vt->poll(src);
  if (rc == SL_OP_OK) return;
  if (rc != SL_OP_DONE) return stop_loop(r, SL_OP_ERROR);
  rc = finish_chain(r->d);
  if (!rc && r->ckpt) rc = sl_ckpt_trigger(r->ckpt, false, true, true);
  stop_loop(r, rc ? SL_OP_ERROR : SL_OP_OK);
}

static void on_timer(uv_timer_t *h) {
  runner *r = h->data;
  r->checkpoint_due = true;
}

int sl_dag_run(sl_dag *d) {
  if (d->nops == 0) return SL_OP_OK;
  sl_job_ctx *ctx = d->ctx;
  sl_ckpt_coord *ckpt = ctx->ckpt;
  if (ckpt && sl_ckpt_restore_state(ckpt)) return SL_OP_ERROR;
  for (int i = 0; i < d->nops; i++)
    if (d->ops[i]->vt->open(d->ops[i])) return SL_OP_ERROR;
  if (ckpt && sl_ckpt_restore_ops(ckpt)) return SL_OP_ERROR;
  if (ckpt && sl_ckpt_restored_finished(ckpt)) return SL_OP_OK; /* it had already run to the end */

  runner r = {.d = d, .ckpt = ckpt};
  if (uv_loop_init(&r.loop) != 0) return sl_err_set(ctx->err, SL_ERUNTIME, SL_ERR_NOLOC, "cannot start an event loop");
  uv_idle_init(&r.loop, &r.idle);
  uv_timer_init(&r.loop, &r.timer);
  r.idle.data = r.timer.data = &r;
  uv_idle_start(&r.idle, on_idle);
  int64_t interval = ckpt ? sl_ckpt_interval_ms(ckpt) : 0;
  if (interval > 0) uv_timer_start(&r.timer, on_timer, (uint64_t)interval, (uint64_t)interval);
  uv_run(&r.loop, UV_RUN_DEFAULT);
  uv_close((uv_handle_t *)&r.idle, NULL);
  uv_close((uv_handle_t *)&r.timer, NULL);
  uv_run(&r.loop, UV_RUN_DEFAULT);
  uv_loop_close(&r.loop);
  if (ckpt && !r.rc) r.rc = sl_ckpt_wait(ckpt);
  return r.rc;
}
