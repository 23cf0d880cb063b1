/* api_job.c - the job half of the public API: a job is a script checked at creation (parsed,
 * bound and planned, so that SQL errors come back at once with their place) and run when started:
 * on a thread of its own, or a step at a time from the host's libuv loop. Its status and metrics
 * are published under a lock at every tick of the running query, so that any thread may read
 * them; requests (cancel, savepoints) travel the other way through the job's control block. */
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../state/state.h"
#include "api.h"
#include "arena.h"
#include "checkpoint.h"
#include "sysutil.h"

typedef struct savepoint_req {
  int64_t id;
  char target[1024];         /* "" for the checkpoints folder */
  sluice_savepoint result;
} savepoint_req;

/* The handles a loop-mode job keeps on the host's loop. They outlive the job when it is freed
 * with closes pending: the last close callback frees them. */
typedef struct loop_driver {
  uv_idle_t idle;
  uv_timer_t timer;
  uv_poll_t *poll;           /* on the current query's loop's backend fd, or NULL; its own allocation,
                              * so that a new one can start while the old one's close is pending */
  int poll_fd;
  int open;                  /* handles initialised and not yet closed (idle, timer, polls) */
  bool released;             /* the job let go: free once open reaches 0 */
  sluice_job *j;             /* NULL once the job let go */
} loop_driver;

struct sluice_job {
  sluice_engine *e;
  sluice_job *next;          /* in the engine's list */
  char id[33];
  char *name, *file, *restore;
  bool id_given;             /* the host chose the id: restore "latest" is this job's latest */
  char *sql;
  size_t len;
  sl_script *check;          /* the creation-time pass: its catalog answers sluice_job_source */
  sl_host_tables *host;
  sl_job_control control;
  FILE *log, *out, *errout;

  /* running (the job's thread) */
  sl_script *run;
  bool in_query;
  sl_err err;
  pthread_t thread;
  bool threaded;
  loop_driver *drv;

  /* published state (mu) */
  pthread_mutex_t mu;
  pthread_cond_t changed;
  int state;
  bool started, ended;
  int64_t start_ms, end_ms;
  sluice_status st;
  sluice_vertex *vertices;
  int nvertices;
  int64_t vertices_query;    /* which query (ss->queries at the time) the vertices describe */
  int sp_upto;               /* requests asked before the savepoint being taken began (reqs[0, sp_upto)) */
  savepoint_req *reqs;
  int nreqs;
  int64_t next_req;
  sluice_job_end_cb on_end;
  void *end_arg;
};

static int64_t now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int fail(sluice_error *out, int code, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static int fail(sluice_error *out, int code, const char *fmt, ...) {
  sl_err e;
  sl_err_clear(&e);
  va_list ap;
  va_start(ap, fmt);
  sl_err_vset(&e, code, SL_ERR_NOLOC, fmt, ap);
  va_end(ap);
  sl_error_fill(out, &e, NULL, NULL);
  return code;
}

const char *sluice_job_state_name(int state) {
  static const char *const names[] = {"CREATED", "RUNNING", "CANCELLING", "FINISHED", "CANCELED", "FAILED"};
  return state >= 0 && state <= SLUICE_JOB_FAILED ? names[state] : "UNKNOWN";
}

/* ---- Status publication (job thread) ---------------------------------------------------------- */

/* Copies the running query's counters and vertices into the published status (under mu). */
static void publish_locked(sluice_job *j) {
  const sl_script_stats *ss = sl_script_stats_get(j->run);
  sluice_status *st = &j->st;
  st->queries = ss->queries;
  st->rows_read = ss->rows_read;
  st->rows_written = ss->rows_written;
  st->late_rows = ss->late_rows;
  st->skipped_rows = ss->skipped_rows;
  st->checkpoints_completed = ss->checkpoints;
  st->checkpoints_failed = ss->checkpoints_failed;
  st->checkpoints_in_progress = 0;
  st->stopped = ss->stopped;
  sl_dag *d = j->in_query ? sl_script_dag(j->run) : NULL;
  if (!d) return;
  const sl_job_ctx *ctx = d->ctx;
  for (int i = 0; i < d->nops; i++) {
    if (d->ops[i]->ninputs == 0) st->rows_read += d->ops[i]->rows_out;
    if (d->ops[i]->nouts == 0) st->rows_written += d->ops[i]->rows_in;
  }
  st->late_rows += ctx->late_rows;
  st->skipped_rows += ctx->skipped_rows;
  if (ctx->ckpt) {
    st->checkpoints_completed += sl_ckpt_completed(ctx->ckpt);
    st->checkpoints_failed += sl_ckpt_failed(ctx->ckpt);
    st->checkpoints_in_progress = sl_ckpt_in_flight(ctx->ckpt);
    int64_t id, size, dur, when;
    sl_ckpt_last_info(ctx->ckpt, &id, &size, &dur, &when);
    if (id) {
      st->last_checkpoint_id = id;
      st->last_checkpoint_size = size;
      st->last_checkpoint_duration_ms = dur;
      st->last_checkpoint_time_ms = when;
      snprintf(st->last_checkpoint, sizeof st->last_checkpoint, "%s", sl_ckpt_last_uri(ctx->ckpt));
    }
  }
  if (j->nvertices != d->nops || j->vertices_query != ss->queries) {
    j->vertices_query = ss->queries;
    free(j->vertices);
    j->vertices = sl_calloc((size_t)d->nops, sizeof(sluice_vertex));
    j->nvertices = d->nops;
    sl_buf b;
    sl_buf_init(&b);
    for (int i = 0; i < d->nops; i++) {
      const sl_op *op = d->ops[i];
      sl_buf_reset(&b);
      sl_buf_adds(&b, op->vt->name);
      if (op->vt->explain) {
        sl_buf_adds(&b, "(");
        op->vt->explain(op, &b);
        sl_buf_adds(&b, ")");
      }
      snprintf(j->vertices[i].name, sizeof j->vertices[i].name, "%s", b.data);
      j->vertices[i].parallelism = 1;
    }
    sl_buf_destroy(&b);
  }
  for (int i = 0; i < d->nops; i++) {
    const sl_op *op = d->ops[i];
    j->vertices[i].records_in = op->rows_in;
    j->vertices[i].records_out = op->rows_out;
    int64_t wm = op->ninputs ? op->watermark : op->out_wm;
    j->vertices[i].watermark_ms = wm == SL_WATERMARK_MIN ? INT64_MIN : wm / 1000;
    char prefix[24];
    snprintf(prefix, sizeof prefix, "%d/", op->id);
    j->vertices[i].state_bytes = ctx->state ? sl_state_backend_bytes_of(ctx->state, prefix) : 0;
  }
}

static void on_tick(void *arg) {
  sluice_job *j = arg;
  pthread_mutex_lock(&j->mu);
  publish_locked(j);
  pthread_mutex_unlock(&j->mu);
}

/* The oldest savepoint request not answered yet (under mu), or NULL. */
static savepoint_req *next_request(sluice_job *j) {
  for (int i = 0; i < j->nreqs; i++)
    if (j->reqs[i].result.state == SLUICE_SAVEPOINT_IN_PROGRESS) return &j->reqs[i];
  return NULL;
}

static void savepoint_target(void *arg, char *buf, size_t cap) {
  sluice_job *j = arg;
  pthread_mutex_lock(&j->mu);
  savepoint_req *q = next_request(j);
  snprintf(buf, cap, "%s", q ? q->target : "");
  j->sp_upto = j->nreqs;
  pthread_mutex_unlock(&j->mu);
}

/* Answers the oldest request; a completed savepoint also answers the later ones for the same
 * target that were asked before it began (a stop asked after a plain savepoint is not left
 * without one when the job stops with the first). */
static void on_savepoint(void *arg, int rc, const char *uri, const sl_err *err) {
  sluice_job *j = arg;
  pthread_mutex_lock(&j->mu);
  savepoint_req *q = next_request(j);
  if (q) {
    sluice_savepoint *r = &q->result;
    if (rc == 0) {
      for (int i = 0; i < j->sp_upto && i < j->nreqs; i++) {
        sluice_savepoint *o = &j->reqs[i].result;
        if (o->state != SLUICE_SAVEPOINT_IN_PROGRESS || strcmp(j->reqs[i].target, q->target)) continue;
        o->state = SLUICE_SAVEPOINT_COMPLETED;
        snprintf(o->location, sizeof o->location, "%s", uri);
        if (o != r) j->control.savepoints_taken++; /* answered: the job need not take it again */
      }
    } else {
      r->state = SLUICE_SAVEPOINT_FAILED;
      snprintf(r->failure, sizeof r->failure, "%s", err && err->msg[0] ? err->msg : "savepoint failed");
    }
  }
  pthread_mutex_unlock(&j->mu);
}

/* ---- Creation ---------------------------------------------------------------------------------- */

static bool is_hex_id(const char *s) {
  if (!s || strlen(s) != 32) return false;
  for (int i = 0; i < 32; i++)
    if (!isxdigit((unsigned char)s[i])) return false;
  return true;
}

static void job_destroy(sluice_job *j) {
  sl_script_free(j->run);
  sl_script_free(j->check);
  sl_host_tables_free(j->host);
  if (j->log) fclose(j->log);
  if (j->out) fclose(j->out);
  if (j->errout) fclose(j->errout);
  free(j->vertices);
  free(j->reqs);
  free(j->name);
  free(j->file);
  free(j->restore);
  free(j->sql);
  pthread_mutex_destroy(&j->mu);
  pthread_cond_destroy(&j->changed);
  free(j);
}

static sl_script_opts script_opts(sluice_job *j, sl_script_mode mode) {
  return (sl_script_opts){.sql = j->sql, .len = j->len, .file = j->file, .mode = mode, .restore = j->restore,
                          .job_id = j->id, .latest_of_job = j->id_given, .out = j->out, .errout = j->errout, .log = j->log,
                          .control = &j->control, .host = j->host, .nsettings = j->e->nsettings,
                          .settings = (const char *const *)j->e->settings};
}

int sluice_job_new(sluice_engine *e, const char *sql, size_t len, const sluice_job_opts *opts, sluice_job **out,
                   sluice_error *err) {
  if (!e || !sql || !out) return fail(err, SLUICE_EINVAL, "sluice_job_new: engine, sql and out must be given");
  *out = NULL;
  sluice_job_opts none = {0};
  if (!opts) opts = &none;
  if (opts->jobid && !is_hex_id(opts->jobid))
    return fail(err, SLUICE_EINVAL, "job id '%s' is not 32 hex digits", opts->jobid);
  sluice_job *j = sl_calloc(1, sizeof *j);
  j->e = e;
  j->id_given = opts->jobid != NULL;
  if (opts->jobid) {
    for (int i = 0; i < 32; i++) j->id[i] = (char)tolower((unsigned char)opts->jobid[i]);
  } else {
    sl_random_hex(j->id, 16);
  }
  j->file = sl_strdup(opts->file ? opts->file : "<script>");
  j->name = sl_strdup(opts->name ? opts->name : opts->file ? opts->file : "sluice job");
  j->restore = opts->restore ? sl_strdup(opts->restore) : NULL;
  j->sql = sl_malloc(len + 1);
  memcpy(j->sql, sql, len);
  j->sql[len] = 0;
  j->len = len;
  j->host = sl_host_tables_new();
  pthread_mutex_init(&j->mu, NULL);
  pthread_cond_init(&j->changed, NULL);
  j->state = SLUICE_JOB_CREATED;
  j->control.tick = on_tick;
  j->control.savepoint_done = on_savepoint;
  j->control.savepoint_target = savepoint_target;
  j->control.arg = j;
  j->log = sl_api_stream(e, j->id, 0);
  j->out = sl_api_stream(e, j->id, 1);
  j->errout = sl_api_stream(e, j->id, 2);
  sl_err_clear(&j->err);
  /* The check: every statement as the run will see it, queries planned but not run. */
  sl_script_opts so = script_opts(j, SL_SCRIPT_CHECK);
  so.out = so.errout = so.log = NULL;
  int rc = sl_script_new(&so, &j->check, &j->err);
  if (!rc) rc = sl_script_next(j->check, &j->err);
  if (rc) {
    sl_error_fill(err, &j->err, j->file, j->sql);
    job_destroy(j);
    return rc;
  }
  pthread_mutex_lock(&e->mu);
  j->next = e->jobs;
  e->jobs = j;
  pthread_mutex_unlock(&e->mu);
  *out = j;
  return 0;
}

const char *sluice_job_id(const sluice_job *j) { return j->id; }
const char *sluice_job_name(const sluice_job *j) { return j->name; }

const char *sluice_job_setting(const sluice_job *j, const char *key) {
  return key ? sl_catalog_setting(sl_script_catalog(j->check), key) : NULL;
}

int sluice_job_source(sluice_job *j, const char *table, sluice_source **out, sluice_error *err) {
  const sl_table_def *t = table ? sl_catalog_table(sl_script_catalog(j->check), table) : NULL;
  if (!t) return fail(err, SLUICE_ENOTFOUND, "the script declares no table '%s'", table ? table : "(null)");
  if (!t->connector || strcmp(t->connector, "host"))
    return fail(err, SLUICE_EINVAL, "table '%s' uses connector '%s', not 'host'", table,
                t->connector ? t->connector : "(none)");
  if (j->started && !sl_host_source_find(j->host, t->name, out))
    return fail(err, SLUICE_ESTATE, "table '%s': host sources are attached before sluice_job_start", table);
  const char *names[t->ncols + 1];
  sl_type types[t->ncols + 1];
  int n = 0;
  for (int i = 0; i < t->ncols; i++)
    if (!t->cols[i].computed && !t->cols[i].metadata) {
      names[n] = t->cols[i].name;
      types[n++] = t->cols[i].type;
    }
  sl_err e;
  sl_err_clear(&e);
  int rc = sl_host_source_get(j->host, t->name, n, names, types, (sl_options *)&t->opts, t->loc, out, &e);
  if (rc) sl_error_fill(err, &e, j->file, j->sql);
  return rc;
}

int sluice_job_sink(sluice_job *j, const char *table, sluice_sink_cb cb, void *arg, sluice_error *err) {
  const sl_table_def *t = table ? sl_catalog_table(sl_script_catalog(j->check), table) : NULL;
  if (!t) return fail(err, SLUICE_ENOTFOUND, "the script declares no table '%s'", table ? table : "(null)");
  if (!t->connector || strcmp(t->connector, "host"))
    return fail(err, SLUICE_EINVAL, "table '%s' uses connector '%s', not 'host'", table,
                t->connector ? t->connector : "(none)");
  if (!cb) return fail(err, SLUICE_EINVAL, "sluice_job_sink: a callback is needed");
  if (j->started) return fail(err, SLUICE_ESTATE, "sluice_job_sink: the job has already started");
  sl_host_sink_set(j->host, t->name, cb, arg);
  return 0;
}

/* ---- Running ------------------------------------------------------------------------------------ */

/* The job has ended in state (job thread): publishes, fails open savepoint requests, wakes
 * waiters, tells the host. */
static void job_ended(sluice_job *j, int state) {
  sl_host_tables_close(j->host);
  if (j->log) fflush(j->log);
  if (j->out) fflush(j->out);
  if (j->errout) fflush(j->errout);
  pthread_mutex_lock(&j->mu);
  publish_locked(j);
  j->state = state;
  j->st.state = state;
  j->ended = true;
  j->end_ms = now_ms();
  if (state == SLUICE_JOB_FAILED) sl_error_fill(&j->st.failure, &j->err, j->file, j->sql);
  for (int i = 0; i < j->nreqs; i++) {
    sluice_savepoint *r = &j->reqs[i].result;
    if (r->state != SLUICE_SAVEPOINT_IN_PROGRESS) continue;
    r->state = SLUICE_SAVEPOINT_FAILED;
    snprintf(r->failure, sizeof r->failure, "the job ended (%s) before the savepoint was taken",
             sluice_job_state_name(state));
  }
  sluice_job_end_cb cb = j->on_end;
  void *arg = j->end_arg;
  pthread_cond_broadcast(&j->changed);
  pthread_mutex_unlock(&j->mu);
  if (cb) cb(arg, j);
}

/* Moves the job on: starts the next query, runs the current one (one loop iteration with
 * nowait, else to its end) or ends it. Returns true once the job has ended. */
static bool advance(sluice_job *j, bool nowait) {
  if (!j->in_query) {
    if (j->control.cancel) {
      job_ended(j, SLUICE_JOB_CANCELED);
      return true;
    }
    int rc = sl_script_next(j->run, &j->err);
    if (rc < 0) {
      job_ended(j, SLUICE_JOB_FAILED);
      return true;
    }
    if (rc == 0) {
      job_ended(j, SLUICE_JOB_FINISHED);
      return true;
    }
    j->in_query = true;
    on_tick(j);
    return false;
  }
  sl_runner *r = sl_script_runner(j->run);
  if (r && !sl_runner_step(r, nowait)) return false;
  int rc = sl_script_end_query(j->run, &j->err);
  j->in_query = false;
  const sl_script_stats *ss = sl_script_stats_get(j->run);
  if (rc) {
    job_ended(j, SLUICE_JOB_FAILED);
    return true;
  }
  if (ss->canceled) {
    job_ended(j, SLUICE_JOB_CANCELED);
    return true;
  }
  if (ss->stopped) {
    job_ended(j, SLUICE_JOB_FINISHED);
    return true;
  }
  on_tick(j);
  return false;
}

static void *job_thread(void *arg) {
  sluice_job *j = arg;
  while (!advance(j, false)) {
  }
  return NULL;
}

/* ---- Loop mode: the job's loop driven from the host's ------------------------------------------ */

static void drv_closed(uv_handle_t *h) {
  loop_driver *d = h->data;
  if (h->type == UV_POLL) free(h);
  if (--d->open == 0 && d->released) free(d);
}

/* Stops watching a query's loop (before that loop is closed, or for the next query's). */
static void drv_close_poll(loop_driver *d) {
  if (!d->poll) return;
  uv_close((uv_handle_t *)d->poll, drv_closed);
  d->poll = NULL;
}

/* Lets go of the host's loop (the job has ended). */
static void drv_release(loop_driver *d) {
  d->j = NULL;
  d->released = true;
  drv_close_poll(d);
  uv_close((uv_handle_t *)&d->idle, drv_closed);
  uv_close((uv_handle_t *)&d->timer, drv_closed);
}

static void drv_run(loop_driver *d);

static void drv_on_idle(uv_idle_t *h) { drv_run(h->data); }
static void drv_on_timer(uv_timer_t *h) { drv_run(h->data); }
static void drv_on_poll(uv_poll_t *h, int status, int events) { drv_run(h->data); }

/* Runs the job a step and arms the host's handles for the next: at once while the job's loop
 * has work, else when its backend fd is readable or its next timer is due. */
static void drv_run(loop_driver *d) {
  sluice_job *j = d->j;
  if (!j) return;
  bool ended = advance(j, true);
  if (d->j != j) return; /* freed from its end callback */
  if (ended) {
    j->drv = NULL;
    drv_release(d);
    return;
  }
  sl_runner *r = j->in_query ? sl_script_runner(j->run) : NULL;
  if (!r) {
    drv_close_poll(d); /* the query's loop is gone */
    uv_idle_start(&d->idle, drv_on_idle); /* between queries: go on at once */
    return;
  }
  uv_loop_t *inner = sl_runner_loop(r);
  int fd = uv_backend_fd(inner);
  if (d->poll && d->poll_fd != fd) drv_close_poll(d);
  if (!d->poll) {
    uv_poll_t *p = sl_malloc(sizeof *p);
    if (uv_poll_init(j->e->loop, p, fd) == 0) {
      p->data = d;
      d->poll = p;
      d->poll_fd = fd;
      d->open++;
      uv_poll_start(p, UV_READABLE, drv_on_poll);
    } else {
      free(p); /* the timer still wakes it */
    }
  }
  int timeout = uv_backend_timeout(inner);
  if (timeout == 0) {
    uv_idle_start(&d->idle, drv_on_idle);
    uv_timer_stop(&d->timer);
  } else {
    uv_idle_stop(&d->idle);
    if (timeout > 0) uv_timer_start(&d->timer, drv_on_timer, (uint64_t)timeout, 0);
    else uv_timer_stop(&d->timer);
  }
}

static void drv_start(sluice_job *j) {
  loop_driver *d = sl_calloc(1, sizeof *d);
  d->j = j;
  uv_idle_init(j->e->loop, &d->idle);
  uv_timer_init(j->e->loop, &d->timer);
  d->idle.data = d->timer.data = d;
  d->open = 2;
  j->drv = d;
  uv_idle_start(&d->idle, drv_on_idle);
}

int sluice_job_start(sluice_job *j, sluice_error *err) {
  pthread_mutex_lock(&j->mu);
  bool started = j->started;
  bool canceled = j->ended;
  j->started = true;
  pthread_mutex_unlock(&j->mu);
  if (started || canceled) return fail(err, SLUICE_ESTATE, "job %s has already %s", j->id, started ? "started" : "ended");
  sl_script_opts so = script_opts(j, SL_SCRIPT_RUN);
  int rc = sl_script_new(&so, &j->run, &j->err);
  if (rc) {
    /* It ends FAILED here, so that waiting for it returns. */
    sl_host_tables_close(j->host);
    pthread_mutex_lock(&j->mu);
    sl_error_fill(&j->st.failure, &j->err, j->file, j->sql);
    if (err) *err = j->st.failure;
    j->ended = true;
    j->state = j->st.state = SLUICE_JOB_FAILED;
    j->end_ms = now_ms();
    pthread_cond_broadcast(&j->changed);
    pthread_mutex_unlock(&j->mu);
    return rc;
  }
  pthread_mutex_lock(&j->mu);
  j->state = j->st.state = SLUICE_JOB_RUNNING;
  j->start_ms = now_ms();
  pthread_mutex_unlock(&j->mu);
  if (j->e->loop) {
    drv_start(j);
    return 0;
  }
  if (pthread_create(&j->thread, NULL, job_thread, j) != 0) {
    job_ended(j, SLUICE_JOB_FAILED);
    return fail(err, SLUICE_ERUNTIME, "cannot start a thread for job %s: %s", j->id, strerror(errno));
  }
  j->threaded = true;
  return 0;
}

int sluice_engine_submit(sluice_engine *e, const char *sql, size_t len, const sluice_job_opts *opts,
                         sluice_job **out, sluice_error *err) {
  int rc = sluice_job_new(e, sql, len, opts, out, err);
  if (rc) return rc;
  rc = sluice_job_start(*out, err);
  if (rc) {
    sluice_job_free(*out);
    *out = NULL;
  }
  return rc;
}

/* ---- Requests ----------------------------------------------------------------------------------- */

int sluice_job_wait(sluice_job *j, int timeout_ms, sluice_error *err) {
  if (j->e->loop) return fail(err, SLUICE_ESTATE, "sluice_job_wait cannot wait in loop mode (use sluice_job_on_end)");
  struct timespec until = sl_deadline_after_ms(timeout_ms);
  pthread_mutex_lock(&j->mu);
  if (!j->started && !j->ended) {
    pthread_mutex_unlock(&j->mu);
    return fail(err, SLUICE_ESTATE, "job %s has not been started", j->id);
  }
  while (!j->ended && timeout_ms != 0) {
    if (timeout_ms < 0) pthread_cond_wait(&j->changed, &j->mu);
    else if (pthread_cond_timedwait(&j->changed, &j->mu, &until)) break;
  }
  int rc = 0;
  if (!j->ended) rc = fail(err, SLUICE_EAGAIN, "job %s is still running", j->id);
  else if (j->state == SLUICE_JOB_FAILED) {
    if (err) *err = j->st.failure;
    rc = j->st.failure.code;
  }
  pthread_mutex_unlock(&j->mu);
  return rc;
}

void sluice_job_on_end(sluice_job *j, sluice_job_end_cb cb, void *arg) {
  pthread_mutex_lock(&j->mu);
  j->on_end = cb;
  j->end_arg = arg;
  pthread_mutex_unlock(&j->mu);
}

int sluice_job_cancel(sluice_job *j, sluice_error *err) {
  pthread_mutex_lock(&j->mu);
  int rc = 0;
  bool never_started = false;
  if (j->ended) {
    rc = fail(err, SLUICE_ESTATE, "job %s has already ended (%s)", j->id, sluice_job_state_name(j->state));
  } else if (!j->started) {
    /* Never started: it ends here. */
    never_started = true;
    j->started = true;
    j->ended = true;
    j->state = j->st.state = SLUICE_JOB_CANCELED;
    j->end_ms = now_ms();
    pthread_cond_broadcast(&j->changed);
  } else {
    j->control.cancel = 1;
    if (j->state == SLUICE_JOB_RUNNING) j->state = j->st.state = SLUICE_JOB_CANCELLING;
  }
  pthread_mutex_unlock(&j->mu);
  if (never_started) sl_host_tables_close(j->host); /* pushes now say the job has ended */
  return rc;
}

int sluice_job_savepoint(sluice_job *j, const char *target, int stop, int64_t *request, sluice_error *err) {
  if (target && strlen(target) >= sizeof(((savepoint_req *)0)->target))
    return fail(err, SLUICE_EINVAL, "savepoint target is too long (%zu bytes)", strlen(target));
  pthread_mutex_lock(&j->mu);
  int rc = 0;
  if (!j->started || j->ended || j->control.cancel) {
    rc = fail(err, SLUICE_ESTATE, "job %s is not running (%s)", j->id, sluice_job_state_name(j->state));
  } else {
    j->reqs = sl_realloc(j->reqs, sizeof(savepoint_req) * (size_t)(j->nreqs + 1));
    savepoint_req *r = &j->reqs[j->nreqs++];
    memset(r, 0, sizeof *r);
    r->id = ++j->next_req;
    r->result.state = SLUICE_SAVEPOINT_IN_PROGRESS;
    snprintf(r->target, sizeof r->target, "%s", target ? target : "");
    if (request) *request = r->id;
    if (stop) j->control.stop = 1;
    j->control.savepoints++;
  }
  pthread_mutex_unlock(&j->mu);
  return rc;
}

int sluice_job_savepoint_status(sluice_job *j, int64_t request, sluice_savepoint *out, sluice_error *err) {
  pthread_mutex_lock(&j->mu);
  int rc = SLUICE_ENOTFOUND;
  for (int i = 0; i < j->nreqs; i++)
    if (j->reqs[i].id == request) {
      *out = j->reqs[i].result;
      rc = 0;
    }
  pthread_mutex_unlock(&j->mu);
  if (rc) fail(err, rc, "job %s has no savepoint request %lld", j->id, (long long)request);
  return rc;
}

int sluice_job_status(sluice_job *j, sluice_status *out) {
  pthread_mutex_lock(&j->mu);
  *out = j->st;
  out->state = j->state;
  out->start_time_ms = j->start_ms;
  out->end_time_ms = j->end_ms;
  pthread_mutex_unlock(&j->mu);
  return 0;
}

int sluice_job_vertices(sluice_job *j, sluice_vertex *out, int cap) {
  pthread_mutex_lock(&j->mu);
  int n = j->nvertices;
  for (int i = 0; i < n && i < cap; i++) out[i] = j->vertices[i];
  pthread_mutex_unlock(&j->mu);
  return n;
}

void sl_api_engine_forget(sluice_engine *e, sluice_job *j) {
  pthread_mutex_lock(&e->mu);
  for (sluice_job **p = &e->jobs; *p; p = &(*p)->next)
    if (*p == j) {
      *p = j->next;
      break;
    }
  pthread_mutex_unlock(&e->mu);
}

void sluice_job_free(sluice_job *j) {
  if (!j) return;
  pthread_mutex_lock(&j->mu);
  bool running = j->started && !j->ended;
  if (running) j->control.cancel = 1;
  j->on_end = NULL; /* a job being freed is not announced: the callback could free it again */
  pthread_mutex_unlock(&j->mu);
  if (j->threaded) {
    pthread_join(j->thread, NULL);
  } else if (j->drv) {
    /* Loop mode: the job lets go of the host's loop, running to its end right here if needed. */
    loop_driver *d = j->drv;
    j->drv = NULL;
    d->j = NULL;
    while (running && !advance(j, false)) {
    }
    drv_release(d);
  }
  sl_host_tables_close(j->host); /* a never-started job's too */
  sl_api_engine_forget(j->e, j);
  job_destroy(j);
}
