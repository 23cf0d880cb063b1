/* sluice.h - the public API of the sluice stream processing engine. */
#ifndef SLUICE_H
#define SLUICE_H

#include <stdint.h>
#include <stdio.h>

#ifdef __cplusplus
extern "C" {
#endif

#define SLUICE_VERSION "0.1.0"

/* The library version, "MAJOR.MINOR.PATCH". */
const char *sluice_version(void);

/* Flags of sluice_run_script. */
enum {
  SLUICE_EXPLAIN = 1 /* print the plan of every INSERT / SELECT instead of running it */
};

/* What a script run did, summed over its jobs. */
typedef struct sluice_stats {
  int64_t jobs;          /* INSERT / SELECT statements run */
  int64_t rows_read;     /* rows produced by sources */
  int64_t rows_written;  /* rows that reached sinks */
  int64_t late_rows;     /* rows dropped because they arrived behind the watermark */
  int64_t skipped_rows;  /* bad records skipped by '*.ignore-parse-errors' */
  int64_t checkpoints;   /* checkpoints completed (savepoints included) */
  int64_t checkpoints_failed;
  int stopped;           /* a job was stopped by *stop before the end of its input */
} sluice_stats;

/* How sluice_run runs a script. */
typedef struct sluice_run_opts {
  int flags;                 /* SLUICE_EXPLAIN */
  FILE *out;                 /* print sinks and SELECT tables (NULL: stdout) */
  FILE *log;                 /* checkpoint progress and failures, one line each (NULL: none) */
  const char *restore;       /* NULL, "latest" (newest complete checkpoint in
                              * 'state.checkpoints.dir', or a fresh start when there is none),
                              * or a checkpoint / savepoint folder URI */
  const volatile int *stop;  /* when *stop turns non-zero (e.g. from a signal handler), the
                              * running job stops with a final savepoint */
} sluice_run_opts;

/* As sluice_run_script, with options. */
int sluice_run(const char *sql, size_t len, const char *file, const sluice_run_opts *opts, sluice_stats *stats,
               char **errmsg);

/* Runs a SQL script: CREATE TABLE / VIEW, SET, INSERT INTO (runs a job to the end of its bounded
 * input), bare SELECT (prints a table to out), EXPLAIN. file names the script in messages.
 * Returns 0, or a negative error code with *errmsg set to a malloc'd message
 * ("job.sql:12:8: column 'amout' not found ...", with the source line and a caret) that the caller
 * frees with sluice_free. stats may be NULL. */
int sluice_run_script(const char *sql, size_t len, const char *file, int flags, FILE *out, sluice_stats *stats,
                      char **errmsg);

void sluice_free(void *p);

#ifdef __cplusplus
}
#endif

#endif
