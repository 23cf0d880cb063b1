/* jobs.h - the job server's registry: the jobs `sluice serve` hosts, kept in --dir across its own
 * restarts, restarted per their restart strategy, and shown in Flink's REST shapes. Everything
 * here runs on the server's main thread (the one that also runs the HTTP daemon), except the log
 * and output callbacks, which take the registry's mutex. */
#ifndef SLUICE_SERVER_JOBS_H
#define SLUICE_SERVER_JOBS_H

#include <jansson.h>
#include <pthread.h>
#include <stddef.h>
#include <stdint.h>

#include <sluice.h>

/* The server's job states: sluice's (Flink's names) plus RESTARTING, which only the server knows. */
enum { SV_RESTARTING = 100 };

/* An error for a request: the HTTP status and the message of {"errors": [msg]}. */
typedef struct sv_err {
  int status;
  char msg[1024];
} sv_err;

/* A savepoint asked for through POST /jobs/<id>/savepoints. */
typedef struct sv_savepoint {
  char rid[33];            /* the request id shown to the client */
  int64_t req;             /* sluice's request id on the incarnation */
  const sluice_job *inc;   /* the incarnation it was asked of (compared, never dereferenced) */
  int done;                /* result holds the final outcome */
  sluice_savepoint result;
} sv_savepoint;

/* One job the server knows, running or ended. Never freed while the server runs. */
typedef struct sv_job {
  char id[33];
  char *name;
  char *sql;
  size_t sql_len;
  char *restore;           /* the restore asked for at submission (NULL, "latest" or a URI) */
  char **secrets;          /* option values of credential keys in the script: redacted everywhere */
  int nsecrets;
  int state;               /* sluice_job_state or SV_RESTARTING */
  int64_t start_time, end_time; /* ms since 1970; end_time 0 while not ended */
  int restarts;            /* restarts by the restart strategy (resumes after a server restart not counted) */
  int resumes;             /* starts from a restore: resumes, restarts and a submission's restore */
  int checkpointed;        /* a checkpoint of this job was seen complete: resume from "latest" */
  int stop_requested;      /* a savepoint with cancel-job: FINISHED+stopped shows as CANCELED */
  char failure[1024];      /* FAILED / RESTARTING: the cause, redacted */
  int restart_fixed;       /* restart strategy fixed-delay */
  int restart_attempts;
  int64_t restart_delay_ms;
  int64_t restart_at;      /* RESTARTING: when to start again */
  int gone;                /* its submission failed after registration: not listed */
  sluice_job *job;         /* the current incarnation, NULL once ended (freed then) or restarting */
  sluice_vertex *vertices; /* an ended job's operators with their last counters (job.json keeps them) */
  int nvertices;
  sluice_status st;        /* the latest status (polled, or loaded from job.json) */
  int64_t last_saved_ckpt; /* the checkpoint id job.json was last written with */
  sv_savepoint *sps;
  int nsps;
} sv_job;

typedef struct sv_registry {
  char *dir;               /* absolute --dir */
  char **allow;            /* --allow-path folders, resolved; none: every path allowed */
  int nallow;
  sluice_engine *eng;
  pthread_mutex_t mu;      /* guards jobs / njobs against the log and output callbacks */
  sv_job **jobs;
  int njobs, cap;
  int closing;             /* shutting down: job.json is no longer written */
} sv_registry;

/* Opens the registry in dir (created if missing): makes the engine, loads every job in dir and
 * resumes those that were running. allow (nallow folders) limits local paths of submitted jobs. */
int jobs_open(sv_registry **out, const char *dir, char **allow, int nallow, sv_err *err);
/* Frees the jobs (running ones are cancelled without touching their job.json, so they resume at
 * the next start) and the engine. */
void jobs_close(sv_registry *r);
/* Polls the running jobs, records state changes in job.json and runs due restarts. Returns the
 * ms until it wants to run again. */
int jobs_tick(sv_registry *r);

/* Submits a script: parsed and planned before it is accepted. id receives the job id. */
int jobs_submit(sv_registry *r, const char *sql, size_t len, const char *name, const char *restore, char id[33],
                sv_err *err);
sv_job *jobs_find(sv_registry *r, const char *id);
/* Refuses (403) a local path outside every --allow-path folder; URIs of other schemes pass. */
int jobs_check_path(sv_registry *r, const char *what, const char *path, sv_err *err);

int jobs_cancel(sv_registry *r, const char *id, sv_err *err);
int jobs_savepoint(sv_registry *r, const char *id, const char *target, int cancel, char rid[33], sv_err *err);

/* JSON documents of the REST API; the caller owns the json_t. */
json_t *jobs_list_json(sv_registry *r);
json_t *jobs_overview_json(sv_registry *r);
int jobs_detail_json(sv_registry *r, const char *id, json_t **out, sv_err *err);
int jobs_checkpoints_json(sv_registry *r, const char *id, json_t **out, sv_err *err);
int jobs_savepoint_json(sv_registry *r, const char *id, const char *rid, json_t **out, sv_err *err);

/* The shown state's name: Flink's names, RESTARTING included. */
const char *jobs_state_name(int state);
int64_t jobs_now_ms(void);
/* Makes s valid UTF-8 in place (bad bytes become '?'), for JSON. */
void jobs_utf8_clean(char *s);
/* Fills the job's vertices into *out (malloc'ed, caller frees; the running incarnation's, or an ended
 * job's last ones); returns the count. */
int jobs_vertices(sv_job *j, sluice_vertex **out);

/* metrics.c: GET /metrics in Prometheus' text format (malloc'ed). */
char *metrics_render(sv_registry *r, size_t *len);

#endif
