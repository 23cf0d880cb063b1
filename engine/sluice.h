/* sluice.h - the public API of the sluice stream processing engine: an engine runs jobs written
 * in Flink SQL; a host program feeds them records through host sources and receives their
 * results through host sinks.
 *
 *   sluice_engine *eng;  sluice_job *job;  sluice_error err;
 *   sluice_engine_new(&eng, NULL, &err);
 *   sluice_job_new(eng, sql, strlen(sql), NULL, &job, &err);   parse and plan, nothing runs yet
 *   sluice_job_source(job, "transactions", &src, &err);        'connector' = 'host' tables
 *   sluice_job_sink(job, "alerts", on_rows, state, &err);
 *   sluice_job_start(job, &err);
 *   sluice_source_push_json(src, "{...}", len, &err);  ...  sluice_source_end(src);
 *   sluice_job_wait(job, -1, &err);
 *   sluice_job_free(job);  sluice_engine_free(eng);
 *
 * Conventions (libuv's): opaque handles, sluice_<noun>_<verb>; every fallible call returns 0 or a
 * negative SLUICE_E* code and fills the caller's sluice_error (which may be NULL); what a
 * _new returns is released by the matching _free. The library keeps no global state (engines
 * are independent), installs no signal handlers, never exits and never writes to stdout or
 * stderr: log lines go to the log callback, print sinks and SELECT tables to the output callback.
 *
 * Threads. An engine made by sluice_engine_new runs each job on a thread of its own; one made by
 * sluice_engine_new_on_loop runs its jobs from the host's libuv loop (no job threads; checkpoint
 * uploads and RocksDB still use worker threads of their own). Callbacks (log, output, sink rows,
 * source writable, job end) are called on the job's thread, or on the loop's thread in loop mode.
 * Thread-safe from any thread: sluice_job_status, sluice_job_vertices, sluice_job_cancel,
 * sluice_job_savepoint, sluice_job_savepoint_status, sluice_job_wait, and every sluice_source_
 * and sluice_row_ call on one source from one host thread at a time. The other calls (engine
 * options and callbacks, job creation, starting and freeing) belong to one thread, and in loop
 * mode to the loop's thread. */
#ifndef SLUICE_H
#define SLUICE_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define SLUICE_VERSION_MAJOR 0
#define SLUICE_VERSION_MINOR 2
#define SLUICE_VERSION_PATCH 0
#define SLUICE_VERSION "0.2.0"

/* The library's version, "MAJOR.MINOR.PATCH" (may differ from the header's SLUICE_VERSION). */
const char *sluice_version(void);

/* ---- Errors --------------------------------------------------------------------------------- */

#define SLUICE_ERRNO_MAP(XX)                                                  \
  XX(SYNTAX, -99, "syntax error")                                             \
  XX(BIND, -98, "semantic error")                                             \
  XX(TYPE, -97, "type error")                                                 \
  XX(UNSUPPORTED, -96, "not supported")                                       \
  XX(IO, -95, "i/o error")                                                    \
  XX(FORMAT, -94, "bad input data")                                           \
  XX(NOMEM, -93, "out of memory")                                             \
  XX(INVAL, -92, "invalid argument")                                          \
  XX(CONFIG, -91, "invalid option")                                           \
  XX(OVERFLOW, -90, "numeric overflow")                                       \
  XX(RUNTIME, -89, "runtime error")                                           \
  XX(NOTFOUND, -88, "not found")                                              \
  XX(CHECKPOINT, -87, "checkpoint error")                                     \
  XX(AGAIN, -86, "try again later")                                           \
  XX(STATE, -85, "not possible in the current state")

typedef enum {
  SLUICE_OK = 0,
#define XX(name, code, msg) SLUICE_E##name = code,
  SLUICE_ERRNO_MAP(XX)
#undef XX
} sluice_errno;

/* What went wrong: filled by every fallible call. */
typedef struct sluice_error {
  int code;            /* SLUICE_E*, 0 = no error */
  int line, column;    /* 1-based place in the SQL script; 0 when the error has no place */
  char message[512];   /* the cause, without the place: "column 'amout' not found" */
  char text[2048];     /* the whole report: "job.sql:3:14: ..." with the script line, a caret
                        * under the column and the hint, as the sluice CLI prints it */
} sluice_error;

/* "syntax error", ... for a SLUICE_E* code. */
const char *sluice_strerror(int code);
/* "SLUICE_ESYNTAX", ... */
const char *sluice_err_name(int code);

/* ---- Engine ---------------------------------------------------------------------------------- */

typedef struct sluice_engine sluice_engine;
struct uv_loop_s;

/* A log line ("checkpoint 3 complete in 41 ms ...") of job jobid (32 hex digits), no newline. */
typedef void (*sluice_log_cb)(void *arg, const char *jobid, const char *line);
/* Output of print sinks and bare SELECT statements: stream 1 is the print connector's standard
 * output, 2 its 'standard-error' = 'true'. */
typedef void (*sluice_output_cb)(void *arg, const char *jobid, int stream, const char *data, size_t len);

/* An engine that runs each job on a thread of its own. opts is reserved (NULL). */
int sluice_engine_new(sluice_engine **out, const void *opts, sluice_error *err);
/* An engine whose jobs run from the host's libuv loop: they advance while the host runs the
 * loop, and sluice_job_wait is refused (use sluice_job_on_end). */
int sluice_engine_new_on_loop(sluice_engine **out, struct uv_loop_s *loop, sluice_error *err);
/* Cancels the jobs still running, waits for them and frees the engine. Jobs must be freed first
 * or are freed here. */
void sluice_engine_free(sluice_engine *e);

/* An option for jobs created from now on, as `SET 'key' = 'value';` at the top of their script
 * ('execution.checkpointing.interval', 'state.checkpoints.dir', 'state.backend', ...). */
int sluice_engine_set(sluice_engine *e, const char *key, const char *value, sluice_error *err);
void sluice_engine_set_log(sluice_engine *e, sluice_log_cb cb, void *arg);
void sluice_engine_set_output(sluice_engine *e, sluice_output_cb cb, void *arg);

/* The logical plan and physical DAG of every query in the script, as `sluice explain` prints
 * them, into *plan (freed with sluice_free). file names the script in error messages. */
int sluice_engine_explain(sluice_engine *e, const char *sql, size_t len, const char *file, char **plan,
                          sluice_error *err);

void sluice_free(void *p);

/* ---- Jobs ------------------------------------------------------------------------------------- */

typedef struct sluice_job sluice_job;

typedef struct sluice_job_opts {
  const char *name;     /* shown in status (default: the script's file name, else "sluice job") */
  const char *file;     /* names the script in error messages (default "<script>") */
  const char *restore;  /* NULL; "latest": the newest complete checkpoint in
                         * 'state.checkpoints.dir' (of this job id when jobid is given, else of
                         * any job; a fresh start when there is none); or a checkpoint /
                         * savepoint folder URI */
  const char *jobid;    /* 32 hex digits to use as the job id (checkpoints are kept under it);
                         * NULL: a random one */
} sluice_job_opts;

/* Job states, as Flink names them (sluice_job_state_name). */
typedef enum {
  SLUICE_JOB_CREATED = 0,
  SLUICE_JOB_RUNNING,
  SLUICE_JOB_CANCELLING,
  SLUICE_JOB_FINISHED,
  SLUICE_JOB_CANCELED,
  SLUICE_JOB_FAILED
} sluice_job_state;

const char *sluice_job_state_name(int state);  /* "RUNNING", ... */

/* Parses the script (DDL, SET, INSERT INTO, SELECT, statement sets) and binds and plans every
 * query in it; a SQL error comes back with its line and column. The job does not run until
 * sluice_job_start: first attach host sources and sinks. */
int sluice_job_new(sluice_engine *e, const char *sql, size_t len, const sluice_job_opts *opts, sluice_job **out,
                   sluice_error *err);
/* Starts the job: its statements run in order, each INSERT / SELECT (or statement set) to the
 * end of its input or until the job is cancelled or stopped. */
int sluice_job_start(sluice_job *j, sluice_error *err);
/* sluice_job_new, then sluice_job_start. */
int sluice_engine_submit(sluice_engine *e, const char *sql, size_t len, const sluice_job_opts *opts,
                         sluice_job **out, sluice_error *err);

/* The job id: 32 hex digits. */
const char *sluice_job_id(const sluice_job *j);
/* The job's name (sluice_job_opts.name, else its file, else "sluice job"). */
const char *sluice_job_name(const sluice_job *j);
/* The value a setting has for the job: the script's last `SET 'key' = ...`, else the engine's
 * option, else NULL ('restart-strategy.type', ...). */
const char *sluice_job_setting(const sluice_job *j, const char *key);

/* Waits for the job's end, at most timeout_ms (-1: no limit). Returns SLUICE_EAGAIN when it is
 * still running, 0 when it ended FINISHED or CANCELED, else the failure (err says why).
 * Refused (SLUICE_ESTATE) in loop mode and before sluice_job_start. */
int sluice_job_wait(sluice_job *j, int timeout_ms, sluice_error *err);
/* cb(arg, job) is called once when the job has ended (on its thread, or the loop's; in loop mode it
 * may free the job there). Not called for a job sluice_job_free has begun to free. */
typedef void (*sluice_job_end_cb)(void *arg, sluice_job *j);
void sluice_job_on_end(sluice_job *j, sluice_job_end_cb cb, void *arg);

/* Cancels the job: it stops without a savepoint (output an exactly-once sink had not committed
 * is discarded) and ends CANCELED. SLUICE_ESTATE when it has already ended. */
int sluice_job_cancel(sluice_job *j, sluice_error *err);

/* Asks for a savepoint of the running query (the job must have checkpointing, i.e.
 * 'execution.checkpointing.interval' or a restore): into target, a folder URI (file:// or s3://)
 * under which it gets a folder of its own holding everything it needs, or with target NULL into
 * 'state.checkpoints.dir' beside the checkpoints. With stop, the job then stops (Flink's
 * stop-with-savepoint; it ends FINISHED and resumes from the savepoint with restore).
 * *request (may be NULL) identifies it for sluice_job_savepoint_status. */
int sluice_job_savepoint(sluice_job *j, const char *target, int stop, int64_t *request, sluice_error *err);

typedef enum { SLUICE_SAVEPOINT_IN_PROGRESS = 0, SLUICE_SAVEPOINT_COMPLETED, SLUICE_SAVEPOINT_FAILED } sluice_savepoint_state;
typedef struct sluice_savepoint {
  int state;             /* sluice_savepoint_state */
  char location[1024];   /* COMPLETED: the savepoint's folder URI, for restore */
  char failure[512];     /* FAILED: why */
} sluice_savepoint;
int sluice_job_savepoint_status(sluice_job *j, int64_t request, sluice_savepoint *out, sluice_error *err);

/* Cancels the job if it still runs, waits for its end (running the teardown on this thread in
 * loop mode) and frees it, with its sources. */
void sluice_job_free(sluice_job *j);

/* ---- Status and metrics ------------------------------------------------------------------------ */

typedef struct sluice_status {
  int state;                     /* sluice_job_state */
  int64_t start_time_ms;         /* wall clock, ms since 1970; 0 before the start */
  int64_t end_time_ms;           /* 0 while running */
  int64_t queries;               /* INSERT / SELECT statements (statement sets) run so far */
  int64_t rows_read;             /* rows the sources produced (all queries so far) */
  int64_t rows_written;          /* rows that reached sinks */
  int64_t late_rows;             /* rows dropped as late (behind the watermark) */
  int64_t skipped_rows;          /* bad records skipped by '*.ignore-parse-errors' */
  int64_t checkpoints_completed; /* savepoints included */
  int64_t checkpoints_failed;
  int64_t checkpoints_in_progress;
  int64_t last_checkpoint_id;    /* 0 before the first */
  int64_t last_checkpoint_size;  /* bytes of state in it */
  int64_t last_checkpoint_duration_ms;
  int64_t last_checkpoint_time_ms; /* when it completed, wall clock */
  char last_checkpoint[1024];    /* its folder URI, "" before the first */
  int stopped;                   /* the job stopped with a savepoint before the end of its input */
  sluice_error failure;          /* FAILED: the cause */
} sluice_status;

int sluice_job_status(sluice_job *j, sluice_status *out);

/* One operator of the running (or last) query: Flink's job vertex. */
typedef struct sluice_vertex {
  char name[256];        /* its EXPLAIN line, cut at 255 bytes: "Source(table=[tx], ...)", "Calc(...)", ... */
  int parallelism;       /* 1: sluice runs a query on one thread */
  int64_t records_in, records_out;
  int64_t watermark_ms;  /* INT64_MIN before the first watermark */
  int64_t state_bytes;   /* its keyed state, in memory and (rocksdb) on disk; 0 for stateless ones */
} sluice_vertex;

/* Fills up to cap vertices and returns how many the query has. Updated while a query runs
 * (every 50 ms) and at its end. */
int sluice_job_vertices(sluice_job *j, sluice_vertex *out, int cap);

/* ---- Host sources: 'connector' = 'host' tables the host pushes records into ------------------- */

typedef struct sluice_source sluice_source;

/* The host source of the script's table (declared WITH ('connector' = 'host')), owned by the job.
 * Records pushed before the job starts wait in its queue. */
int sluice_job_source(sluice_job *j, const char *table, sluice_source **out, sluice_error *err);

/* Pushes one record as JSON text (the table's columns by name, as the 'json' format reads).
 * Returns SLUICE_EAGAIN when the queue ('source.queue-size' rows, default 16384, in chunks of 1024
 * that each watermark closes, at most queue-size / 1024 + 2 of them) is full: push again once the
 * writable callback fires; SLUICE_EFORMAT for bad JSON (err names the record by
 * its offset: the count of records pushed before it); SLUICE_ESTATE after sluice_source_end. */
int sluice_source_push_json(sluice_source *s, const char *json, size_t len, sluice_error *err);
/* Raises the source's watermark (event time, ms since 1970) after the records pushed so far. */
int sluice_source_watermark(sluice_source *s, int64_t ts_ms, sluice_error *err);
/* End of input: the query finishes once it has read what is queued. */
int sluice_source_end(sluice_source *s, sluice_error *err);
/* cb(arg, s) is called (on the job's thread) when a queue that refused a push has room again. */
typedef void (*sluice_source_writable_cb)(void *arg, sluice_source *s);
void sluice_source_on_writable(sluice_source *s, sluice_source_writable_cb cb, void *arg);
/* For threaded hosts: blocks until the queue has room (0), timeout_ms passes (SLUICE_EAGAIN) or
 * the job ends (SLUICE_ESTATE). */
int sluice_source_wait_writable(sluice_source *s, int timeout_ms, sluice_error *err);
/* The offset the next record gets: records pushed so far, counted from the restored position once
 * a restored job runs (its checkpoint holds the offset of the records the job had taken). */
int64_t sluice_source_pushed(const sluice_source *s);

/* Column types (Flink's SQL types). */
typedef enum {
  SLUICE_TYPE_BOOLEAN = 1,
  SLUICE_TYPE_TINYINT,
  SLUICE_TYPE_SMALLINT,
  SLUICE_TYPE_INT,
  SLUICE_TYPE_BIGINT,
  SLUICE_TYPE_FLOAT,
  SLUICE_TYPE_DOUBLE,
  SLUICE_TYPE_DECIMAL,
  SLUICE_TYPE_CHAR,
  SLUICE_TYPE_VARCHAR,   /* STRING too */
  SLUICE_TYPE_DATE,
  SLUICE_TYPE_TIME,
  SLUICE_TYPE_TIMESTAMP,
  SLUICE_TYPE_TIMESTAMP_LTZ,
  SLUICE_TYPE_INTERVAL_YM,
  SLUICE_TYPE_INTERVAL_DT
} sluice_type;

/* The source table's columns: count, name and type of column i, index of a name (or -1). */
int sluice_source_columns(const sluice_source *s);
const char *sluice_source_column_name(const sluice_source *s, int col);
int sluice_source_column_type(const sluice_source *s, int col);
int sluice_source_column_index(const sluice_source *s, const char *name);

/* A typed row for a source: set columns (the others are NULL), push, set again. A setter of the
 * wrong kind for the column (a string into an INT) is SLUICE_ETYPE; numbers convert between
 * numeric types when the value fits. */
typedef struct sluice_row sluice_row;
sluice_row *sluice_row_new(sluice_source *s);
void sluice_row_free(sluice_row *r);
void sluice_row_clear(sluice_row *r);   /* every column NULL again */
int sluice_row_set_null(sluice_row *r, int col, sluice_error *err);
int sluice_row_set_bool(sluice_row *r, int col, int v, sluice_error *err);
int sluice_row_set_int64(sluice_row *r, int col, int64_t v, sluice_error *err);
int sluice_row_set_double(sluice_row *r, int col, double v, sluice_error *err);
/* DECIMAL columns (also FLOAT / DOUBLE): the value unscaled * 10^-scale (1250, 2 is 12.50),
 * brought to the column's scale (rounding HALF_UP when it has fewer digits after the point, as a
 * CAST does); a value too large for the column's precision is SLUICE_EOVERFLOW. */
int sluice_row_set_decimal(sluice_row *r, int col, int64_t unscaled, int scale, sluice_error *err);
/* Strings into CHAR / VARCHAR; into other types the text is parsed as a SQL literal of the type
 * ("12.50" for a DECIMAL, "2024-01-01 10:00:00" for a TIMESTAMP). */
int sluice_row_set_string(sluice_row *r, int col, const char *v, size_t len, sluice_error *err);
/* TIMESTAMP / TIMESTAMP_LTZ columns: ms since 1970 (UTC). */
int sluice_row_set_timestamp_ms(sluice_row *r, int col, int64_t ms, sluice_error *err);
/* Copies the row into the queue (SLUICE_EAGAIN when it is full); the row can be reused. */
int sluice_source_push_row(sluice_source *s, const sluice_row *r, sluice_error *err);

/* ---- Host sinks: result rows delivered to a callback ------------------------------------------- */

typedef struct sluice_rows sluice_rows;

/* Row kinds of an update stream (Flink's RowKind). */
typedef enum { SLUICE_INSERT = 0, SLUICE_UPDATE_BEFORE, SLUICE_UPDATE_AFTER, SLUICE_DELETE } sluice_row_kind;

/* Called with each batch of rows for a 'connector' = 'host' sink table, valid only during the
 * call. A non-zero return fails the job. Rows are delivered as they are produced (at-least-once:
 * after a restore, rows since the restored checkpoint come again). */
typedef int (*sluice_sink_cb)(void *arg, const sluice_rows *rows);
/* Routes the rows of the script's host sink table to cb. Before sluice_job_start. */
int sluice_job_sink(sluice_job *j, const char *table, sluice_sink_cb cb, void *arg, sluice_error *err);

int sluice_rows_count(const sluice_rows *r);
const char *sluice_rows_table(const sluice_rows *r);
int sluice_rows_columns(const sluice_rows *r);
const char *sluice_rows_column_name(const sluice_rows *r, int col);
int sluice_rows_column_type(const sluice_rows *r, int col);   /* sluice_type */
int sluice_rows_kind(const sluice_rows *r, int row);           /* sluice_row_kind */
const char *sluice_row_kind_name(int kind);                    /* "+I", "-U", "+U", "-D" */
int sluice_rows_is_null(const sluice_rows *r, int row, int col);
/* Typed accessors (0 for NULL): booleans and integer types, DATE (days since 1970), TIME (ms of
 * the day), TIMESTAMP (ms since 1970), intervals (months / ms) through int64; FLOAT, DOUBLE and
 * DECIMAL through double; CHAR / VARCHAR through string (not NUL-terminated, *len bytes). */
int64_t sluice_rows_int64(const sluice_rows *r, int row, int col);
double sluice_rows_double(const sluice_rows *r, int row, int col);
const char *sluice_rows_string(const sluice_rows *r, int row, int col, size_t *len);
/* Any column as SQL text ("12.50", "2024-01-01 10:00:00.000", "null") into buf; returns the
 * length it needs (snprintf's rule: truncated when >= cap). */
size_t sluice_rows_text(const sluice_rows *r, int row, int col, char *buf, size_t cap);
/* The row as a JSON object of its columns, as the 'json' format writes it. Same rule. */
size_t sluice_rows_json(const sluice_rows *r, int row, char *buf, size_t cap);

#ifdef __cplusplus
}
#endif

#endif
