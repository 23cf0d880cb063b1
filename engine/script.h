/* script.h - a SQL script as a sequence of statements: DDL and SET go to the catalog, each
 * INSERT / SELECT / statement set is bound, planned and started as a query of its own on a
 * runner, which the caller drives (sl_dag_run's steps) before the script moves on. */
#ifndef SL_SCRIPT_H
#define SL_SCRIPT_H

#include <stdio.h>

#include "../sql/catalog.h"
#include "dag.h"

typedef enum {
  SL_SCRIPT_RUN = 0,    /* run every query */
  SL_SCRIPT_EXPLAIN,    /* print each query's plans to out instead */
  SL_SCRIPT_CHECK       /* bind and plan each query, run nothing (validation before a submit) */
} sl_script_mode;

typedef struct sl_script_opts {
  const char *sql;              /* the script text (kept by the caller while the script lives) */
  size_t len;
  const char *file;             /* names the script in messages */
  sl_script_mode mode;
  const char *restore;          /* NULL, "latest" or a checkpoint / savepoint folder URI */
  const char *job_id;           /* checkpoints go under it (NULL: a random id) */
  bool latest_of_job;           /* restore "latest" picks among job_id's checkpoints only */
  FILE *out;                    /* print sinks, SELECT tables, SET listings, EXPLAIN */
  FILE *errout;                 /* print sinks with 'standard-error' */
  FILE *log;                    /* progress lines, or NULL */
  sl_job_control *control;      /* host requests, or NULL */
  struct sl_host_tables *host;  /* host sources and sinks, or NULL */
  int nsettings;                /* options set before the script's first statement */
  const char *const *settings;  /* key, value, key, value, ... */
} sl_script_opts;

/* What the script's queries did so far. */
typedef struct sl_script_stats {
  int64_t queries, rows_read, rows_written, late_rows, skipped_rows;
  int64_t checkpoints, checkpoints_failed;
  bool stopped;                 /* a query stopped with a savepoint */
  bool canceled;                /* a query was cancelled */
} sl_script_stats;

typedef struct sl_script sl_script;

/* Parses the script; errors (with their place) in err. */
int sl_script_new(const sl_script_opts *o, sl_script **out, sl_err *err);
void sl_script_free(sl_script *s);
/* Runs statements up to the next query and starts it: returns 1 when a query is running (drive
 * sl_script_runner, then sl_script_end_query), 0 at the end of the script, or an error code.
 * In the explain and check modes queries are planned but never run (never 1). */
int sl_script_next(sl_script *s, sl_err *err);
/* The running query's runner (NULL when the query had nothing to run: sl_script_end_query at
 * once), its DAG and context (for metrics). */
sl_runner *sl_script_runner(sl_script *s);
sl_dag *sl_script_dag(sl_script *s);
/* Ends the running query (finishing its runner), adding to the stats. */
int sl_script_end_query(sl_script *s, sl_err *err);
const sl_script_stats *sl_script_stats_get(const sl_script *s);
/* The catalog as the statements so far left it. */
const sl_catalog *sl_script_catalog(const sl_script *s);

#endif
