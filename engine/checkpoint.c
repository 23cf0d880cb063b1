/* checkpoint.c - the checkpoint coordinator.
 *
 *   trigger(n):  manifest n <- barrier from the sources through every operator (each saves its
 *                own part: positions, watermarks, open windows, sink commit data)
 *                keyed state -> local snapshot folder (RocksDB checkpoint or hashmap file)
 *                worker thread: upload files, write _metadata last (complete), prune old ones
 *   poll():      upload done -> operators told checkpoint n is complete (sinks publish), or the
 *                failure is logged and the job carries on; the next checkpoint retries
 *   restore:     find the manifest, check the plan fingerprint, download, load keyed state,
 *                hand each operator its part (sources seek, sinks re-commit and clean up)
 * One checkpoint is in flight at a time. */
#include "checkpoint.h"

#include <errno.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "../state/ckpt_store.h"
#include "../state/state.h"
#include "dag.h"
#include "sysutil.h"

struct sl_ckpt_coord {
  sl_job_ctx *ctx;
  sl_dag *dag;
  sl_ckpt_config cfg;
  char *dir;                /* checkpoints URI */
  char *stage;              /* local staging folder (mkdtemp) */
  sl_objstore *os;
  sl_ckpt_store *store;
  char job_id[33];
  uint64_t fingerprint;
  int64_t next_id;
  sl_manifest *building;    /* manifest of the checkpoint whose barrier is travelling */
  sl_manifest *restored;
  /* the upload in flight */
  bool in_flight;
  pthread_t thread;
  bool threaded;
  atomic_bool done;
  sl_manifest *uploading;
  sl_ckpt_store *up_store;  /* where it goes: store, or a savepoint target's */
  sl_objstore *target_os;   /* a savepoint's target folder (sl_ckpt_savepoint_to), or NULL */
  sl_ckpt_store *target_store;
  sl_state_files files;
  char *snap_dir;
  int64_t started_ms;       /* when the checkpoint was triggered */
  int64_t paused_ms;        /* how long the job stood still for its synchronous part */
  int upload_rc;
  sl_err upload_err;
  /* counts */
  int64_t completed, failed;
  sl_buf last_uri;
  int64_t last_id, last_size, last_duration_ms, last_time_ms;
  char last_error[512];
};

static void drop_target(sl_ckpt_coord *c);

static int64_t now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void logf_(sl_ckpt_coord *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void logf_(sl_ckpt_coord *c, const char *fmt, ...) {
  if (!c->cfg.log) return;
  va_list ap;
  va_start(ap, fmt);
  fputs("sluice: ", c->cfg.log);
  vfprintf(c->cfg.log, fmt, ap);
  fputc('\n', c->cfg.log);
  fflush(c->cfg.log);
  va_end(ap);
}

/* ---- Plan fingerprint --------------------------------------------------------------------- */

uint64_t sl_dag_fingerprint(const sl_dag *d) {
  sl_buf b;
  sl_buf_init(&b);
  for (int i = 0; i < d->nops; i++) {
    const sl_op *op = d->ops[i];
    sl_buf_printf(&b, "%d:%s", op->id, op->vt->name);
    for (int k = 0; k < (op->nouts ? op->nouts : 1); k++)
      sl_buf_printf(&b, "->%d.%d", op->nouts ? op->outs[k].op->id : 0, op->nouts ? op->outs[k].port : 0);
    sl_buf_adds(&b, "(");
    /* Sources and sinks are fingerprinted by name and shape only: moving a file or bucket
     * does not change the query. */
    if (op->vt->explain && op->ninputs > 0 && op->nouts) op->vt->explain(op, &b);
    sl_buf_adds(&b, ")\n");
  }
  uint64_t h = sl_state_hash(b.data, b.len);
  sl_buf_destroy(&b);
  return h;
}

/* ---- Set-up ------------------------------------------------------------------------------- */

int sl_ckpt_coord_new(sl_job_ctx *ctx, sl_dag *dag, const sl_ckpt_config *cfg, sl_ckpt_coord **out, sl_err *err) {
  sl_ckpt_coord *c = sl_calloc(1, sizeof *c);
  c->ctx = ctx;
  c->dag = dag;
  c->cfg = *cfg;
  if (c->cfg.num_retained < 1) c->cfg.num_retained = 1;
  c->dir = sl_strdup(cfg->dir);
  sl_buf_init(&c->last_uri);
  sl_err_clear(&c->upload_err);
  if (cfg->job_id && strlen(cfg->job_id) == 32) memcpy(c->job_id, cfg->job_id, 33);
  else sl_random_hex(c->job_id, 16);
  c->fingerprint = sl_dag_fingerprint(dag);
  c->next_id = 1;
  int rc = sl_objstore_open(c->dir, &cfg->store, &c->os, err);
  if (rc && err->loc == SL_ERR_NOLOC) err->loc = cfg->dir_loc; /* point at the SET */
  if (!rc) {
    if (sl_work_dir_new(cfg->local_dir, "sluice-ckpt", &c->stage) != 0)
      rc = sl_err_set(err, SL_EIO, SL_ERR_NOLOC, "cannot create a checkpoint staging folder: %s", strerror(errno));
  }
  if (rc) {
    sl_ckpt_coord_free(c);
    return rc;
  }
  *out = c;
  return 0;
}

void sl_ckpt_coord_free(sl_ckpt_coord *c) {
  if (!c) return;
  if (c->in_flight) sl_ckpt_wait(c);
  sl_manifest_free(c->building);
  sl_manifest_free(c->restored);
  drop_target(c);
  sl_ckpt_store_free(c->store);
  sl_objstore_free(c->os);
  if (c->stage) sl_rm_tree(c->stage);
  free(c->stage);
  free(c->dir);
  sl_buf_destroy(&c->last_uri);
  free(c);
}

static sl_ckpt_store *store_of(sl_ckpt_coord *c) {
  if (!c->store) c->store = sl_ckpt_store_new(c->os, c->job_id, c->cfg.num_retained);
  return c->store;
}

int64_t sl_ckpt_interval_ms(const sl_ckpt_coord *c) { return c->cfg.interval_ms; }
bool sl_ckpt_in_flight(const sl_ckpt_coord *c) { return c->in_flight; }
const char *sl_ckpt_last_uri(const sl_ckpt_coord *c) { return c->last_uri.len ? c->last_uri.data : ""; }
int64_t sl_ckpt_completed(const sl_ckpt_coord *c) { return c->completed; }
int64_t sl_ckpt_failed(const sl_ckpt_coord *c) { return c->failed; }
void sl_ckpt_last_info(const sl_ckpt_coord *c, int64_t *id, int64_t *size, int64_t *duration_ms, int64_t *time_ms) {
  *id = c->last_id;
  *size = c->last_size;
  *duration_ms = c->last_duration_ms;
  *time_ms = c->last_time_ms;
}
bool sl_ckpt_restored_finished(const sl_ckpt_coord *c) { return c->restored && c->restored->finished; }

/* ---- Taking a checkpoint ------------------------------------------------------------------ */

int sl_ckpt_snapshot_op(sl_ckpt_coord *c, sl_op *op, int64_t id) {
  if (!c || !c->building || c->building->checkpoint_id != id)
    return sl_err_set(op->ctx->err, SL_ECHECKPOINT, SL_ERR_NOLOC, "%s: unexpected barrier of checkpoint %lld",
                      op->vt->name, (long long)id);
  sl_manifest_op *m = sl_manifest_add_op(c->building, op->id, op->vt->name);
  sl_buf_add(&m->data, &op->watermark, 8);
  if (op->vt->snapshot && op->vt->snapshot(op, id, m)) return SL_OP_ERROR;
  return SL_OP_OK;
}

static void *upload_main(void *arg) {
  sl_ckpt_coord *c = arg;
  sl_ckpt_file *files = sl_calloc((size_t)(c->files.n ? c->files.n : 1), sizeof *files);
  for (int i = 0; i < c->files.n; i++)
    files[i] = (sl_ckpt_file){.name = c->files.files[i].name, .local_path = c->files.files[i].path,
                              .shared = c->files.files[i].shared};
  c->upload_rc = sl_ckpt_store_write(c->up_store, c->uploading, files, c->files.n, &c->upload_err);
  free(files);
  atomic_store(&c->done, true);
  return NULL;
}

/* Forgets a savepoint target once its savepoint is written (or could not be). */
static void drop_target(sl_ckpt_coord *c) {
  sl_ckpt_store_free(c->target_store);
  sl_objstore_free(c->target_os);
  c->target_store = NULL;
  c->target_os = NULL;
}

int sl_ckpt_savepoint_to(sl_ckpt_coord *c, const char *target, sl_err *err) {
  drop_target(c);
  int rc = sl_objstore_open(target, &c->cfg.store, &c->target_os, err);
  if (rc) return rc;
  /* A store of its own: every file of the savepoint is uploaded there, shared ones too, so
   * that it stands alone (and outlives the job's checkpoints). */
  c->target_store = sl_ckpt_store_new(c->target_os, c->job_id, 1);
  return 0;
}

/* Runs on the job thread once the upload thread is done. */
static int finish_upload(sl_ckpt_coord *c) {
  if (c->threaded) pthread_join(c->thread, NULL);
  c->in_flight = false;
  atomic_store(&c->done, false);
  sl_rm_tree(c->snap_dir);
  free(c->snap_dir);
  c->snap_dir = NULL;
  sl_state_files_destroy(&c->files);
  sl_manifest *m = c->uploading;
  c->uploading = NULL;
  int rc = 0;
  if (c->upload_rc) {
    c->failed++;
    logf_(c, "checkpoint %lld failed, the job carries on: %s", (long long)m->checkpoint_id, c->upload_err.msg);
    snprintf(c->last_error, sizeof c->last_error, "%s", c->upload_err.msg);
    sl_err_clear(&c->upload_err);
  } else {
    c->completed++;
    sl_buf_reset(&c->last_uri);
    sl_buf_printf(&c->last_uri, "%s/", sl_objstore_uri(c->up_store == c->store ? c->os : c->target_os));
    sl_ckpt_store_path(c->up_store, m->checkpoint_id, &c->last_uri);
    int64_t state_bytes = 0;
    for (int i = 0; i < m->nfiles; i++) state_bytes += m->files[i].size;
    c->last_id = m->checkpoint_id;
    c->last_size = state_bytes;
    c->last_time_ms = now_ms();
    c->last_duration_ms = c->last_time_ms - c->started_ms;
    logf_(c, "%s %lld complete in %lld ms (job paused %lld ms): %d files, %lld bytes of state, %lld bytes uploaded%s%s",
          m->savepoint ? "savepoint" : "checkpoint", (long long)m->checkpoint_id, (long long)(now_ms() - c->started_ms),
          (long long)c->paused_ms,
          m->nfiles, (long long)state_bytes, (long long)sl_ckpt_store_last_uploaded(c->up_store),
          m->savepoint ? ", written to " : "", m->savepoint ? c->last_uri.data : "");
    for (int i = 0; i < c->dag->nops && !rc; i++) {
      sl_op *op = c->dag->ops[i];
      if (op->vt->checkpoint_complete && op->vt->checkpoint_complete(op, m->checkpoint_id)) rc = SL_OP_ERROR;
    }
  }
  sl_manifest_free(m);
  if (c->up_store == c->target_store) drop_target(c); /* (a checkpoint before it keeps it) */
  return rc;
}

int sl_ckpt_poll(sl_ckpt_coord *c) {
  if (!c->in_flight || !atomic_load(&c->done)) return 0;
  return finish_upload(c);
}

int sl_ckpt_wait(sl_ckpt_coord *c) {
  if (!c->in_flight) return 0;
  return finish_upload(c);
}

int64_t sl_ckpt_begin(sl_ckpt_coord *c, bool savepoint, bool finished) {
  if (sl_ckpt_wait(c)) return -1;
  sl_manifest *m = sl_manifest_new();
  m->job_id = sl_strdup(c->job_id);
  m->checkpoint_id = c->next_id++;
  m->plan_fingerprint = c->fingerprint;
  m->timestamp_ms = now_ms();
  c->started_ms = m->timestamp_ms;
  m->savepoint = savepoint;
  m->finished = finished;
  m->backend = sl_strdup(sl_state_backend_name(c->ctx->state));
  sl_manifest_free(c->building);
  c->building = m;
  return m->checkpoint_id;
}

int sl_ckpt_end(sl_ckpt_coord *c, bool wait) {
  sl_err *err = c->ctx->err;
  sl_manifest *m = c->building;
  c->building = NULL;
  if (!m) return sl_err_set(err, SL_ECHECKPOINT, SL_ERR_NOLOC, "no checkpoint was begun");
  if (m->nops != c->dag->nops) {
    int64_t id = m->checkpoint_id;
    sl_manifest_free(m);
    return sl_err_set(err, SL_ECHECKPOINT, SL_ERR_NOLOC,
                      "checkpoint %lld: the barrier has not reached every operator (alignment incomplete)",
                      (long long)id);
  }
  size_t n = strlen(c->stage) + 32;
  c->snap_dir = sl_malloc(n);
  snprintf(c->snap_dir, n, "%s/chk-%lld", c->stage, (long long)m->checkpoint_id);
  int rc = sl_state_backend_snapshot(c->ctx->state, c->snap_dir, &c->files, err);
  if (rc) {
    sl_rm_tree(c->snap_dir);
    free(c->snap_dir);
    c->snap_dir = NULL;
    sl_state_files_destroy(&c->files);
    sl_manifest_free(m);
    drop_target(c);
    return rc;
  }
  c->up_store = m->savepoint && c->target_store ? c->target_store : store_of(c);
  c->uploading = m;
  c->paused_ms = now_ms() - c->started_ms;
  c->in_flight = true;
  c->threaded = pthread_create(&c->thread, NULL, upload_main, c) == 0;
  if (!c->threaded) upload_main(c); /* no thread to be had: upload right here */
  if (!wait) return 0;
  int64_t failed = c->failed;
  bool savepoint = m->savepoint;
  int64_t id = m->checkpoint_id;
  if ((rc = sl_ckpt_wait(c))) return rc;
  if (c->failed > failed)
    return sl_err_set(err, SL_ECHECKPOINT, SL_ERR_NOLOC, "%s %lld failed: %s", savepoint ? "savepoint" : "checkpoint",
                      (long long)id, c->last_error);
  return 0;
}

int sl_ckpt_trigger(sl_ckpt_coord *c, bool savepoint, bool finished, bool wait) {
  int64_t id = sl_ckpt_begin(c, savepoint, finished);
  if (id < 0) return SL_OP_ERROR;
  /* The barrier: from every source down the DAG, synchronously; an operator with several
   * inputs snapshots once it has the barrier on all of them. */
  int rc = 0;
  for (int i = 0; i < c->dag->nops && !rc; i++) {
    sl_op *op = c->dag->ops[i];
    if (op->ninputs > 0) continue;
    rc = sl_ckpt_snapshot_op(c, op, id);
    if (!rc) rc = sl_op_emit_barrier(op, id);
  }
  if (rc) {
    sl_manifest_free(c->building);
    c->building = NULL;
    return SL_OP_ERROR;
  }
  return sl_ckpt_end(c, wait);
}

/* ---- Restore ------------------------------------------------------------------------------ */

/* Splits a checkpoint folder URI ".../<job>/chk-<n>" into the store root and "<job>/chk-<n>". */
static int split_folder(const char *uri, char **root, char **folder, sl_err *err) {
  size_t n = strlen(uri);
  while (n > 1 && uri[n - 1] == '/') n--;
  if (n > 9 && !strncmp(uri + n - 9, "_metadata", 9)) n -= 9;
  while (n > 1 && uri[n - 1] == '/') n--;
  int slashes = 0;
  size_t i = n;
  while (i > 0 && slashes < 2) {
    i--;
    if (uri[i] == '/') slashes++;
  }
  if (slashes < 2 || i == 0)
    return sl_err_set(err, SL_ECONFIG, SL_ERR_NOLOC,
                      "cannot restore from '%s': expected a checkpoint folder such as file:///ckpts/<job-id>/chk-7 "
                      "or 'latest'",
                      uri);
  *root = sl_malloc(i + 1);
  memcpy(*root, uri, i);
  (*root)[i] = 0;
  *folder = sl_malloc(n - i);
  memcpy(*folder, uri + i + 1, n - i - 1);
  (*folder)[n - i - 1] = 0;
  return 0;
}

int sl_ckpt_restore_state(sl_ckpt_coord *c) {
  sl_err *err = c->ctx->err;
  const char *want = c->cfg.restore;
  if (!want) return 0;
  char *folder = NULL;
  int rc;
  sl_objstore *os = c->os;
  bool own_os = false;
  if (!strcmp(want, "latest")) {
    rc = sl_ckpt_find_latest_of(os, c->cfg.latest_of_job ? c->job_id : NULL, &folder, err);
    if (rc == SL_ENOTFOUND) {
      sl_err_clear(err);
      logf_(c, "no completed checkpoint in %s yet: starting fresh", sl_objstore_uri(os));
      return 0;
    }
    if (rc) return rc;
  } else {
    char *root = NULL;
    if ((rc = split_folder(want, &root, &folder, err))) return rc;
    /* A checkpoint under this job's own checkpoints folder keeps sharing its files; one from
     * elsewhere is read from there and the next checkpoint uploads everything anew. */
    size_t dl = strlen(c->dir);
    while (dl > 1 && c->dir[dl - 1] == '/') dl--;
    if (strlen(root) != dl || strncmp(root, c->dir, dl) != 0) {
      rc = sl_objstore_open(root, &c->cfg.store, &os, err);
      own_os = true;
    }
    free(root);
    if (rc) {
      free(folder);
      return rc;
    }
  }
  sl_manifest *m = NULL;
  rc = sl_ckpt_read(os, folder, &m, err);
  if (!rc && m->plan_fingerprint != c->fingerprint)
    rc = sl_err_set(err, SL_ECHECKPOINT, SL_ERR_NOLOC,
                    "cannot restore %s/%s: it was taken by a different query (plan fingerprint %016llx, this job's "
                    "is %016llx); start this query without --restore, or with a checkpoint it wrote",
                    sl_objstore_uri(os), folder, (unsigned long long)m->plan_fingerprint,
                    (unsigned long long)c->fingerprint);
  if (!rc && strcmp(m->backend, sl_state_backend_name(c->ctx->state)) != 0)
    rc = sl_err_set(err, SL_ECHECKPOINT, SL_ERR_NOLOC,
                    "cannot restore %s/%s: it holds '%s' state but this job uses state.backend '%s'",
                    sl_objstore_uri(os), folder, m->backend, sl_state_backend_name(c->ctx->state));
  char *local = NULL;
  if (!rc) {
    size_t n = strlen(c->stage) + 32;
    local = sl_malloc(n);
    snprintf(local, n, "%s/restore", c->stage);
    rc = sl_ckpt_download(os, m, local, err);
  }
  if (!rc) rc = sl_state_backend_restore(c->ctx->state, local, err);
  if (!rc) {
    logf_(c, "restoring from %s/%s (checkpoint %lld%s)", sl_objstore_uri(os), folder, (long long)m->checkpoint_id,
          m->savepoint ? ", a savepoint" : "");
    memcpy(c->job_id, m->job_id, 32);
    c->job_id[32] = 0;
    c->next_id = m->checkpoint_id + 1;
    c->restored = m;
    m = NULL;
    /* Checkpoints under our own folder: leftovers of killed attempts go, complete ones are
     * retained, and ids continue after the newest (a restore of an older one must not
     * overwrite it). */
    if (!own_os) {
      sl_ckpt_store_adopt(store_of(c), c->restored);
      rc = sl_ckpt_store_clean(c->store, err);
      int64_t max = sl_ckpt_store_max_id(c->store);
      if (max >= c->next_id) c->next_id = max + 1;
    }
  }
  sl_manifest_free(m);
  free(local);
  free(folder);
  if (own_os) sl_objstore_free(os);
  return rc;
}

int sl_ckpt_restore_ops(sl_ckpt_coord *c) {
  if (!c->restored) return 0;
  sl_err *err = c->ctx->err;
  for (int i = 0; i < c->dag->nops; i++) {
    sl_op *op = c->dag->ops[i];
    const sl_manifest_op *m = sl_manifest_find_op(c->restored, op->id);
    if (!m || strcmp(m->kind, op->vt->name) != 0 || m->data.len < 8)
      return sl_err_set(err, SL_ECHECKPOINT, SL_ERR_NOLOC, "checkpoint does not match the job: operator %d (%s) %s",
                        op->id, op->vt->name, m ? "has another kind in the checkpoint" : "is missing from it");
    int64_t wm;
    memcpy(&wm, m->data.data, 8);
    sl_op_reset_watermark(op, wm);
    if (op->vt->restore && op->vt->restore(op, m)) return SL_OP_ERROR;
  }
  return 0;
}
