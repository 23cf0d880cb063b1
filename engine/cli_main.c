/* cli_main.c - the sluice command line: run or explain a SQL script, serve jobs, talk to a job
 * server. Uses only <sluice.h> (and, for the server and its client, libmicrohttpd, libcurl and
 * jansson). */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sluice.h>

#include "client/client.h"
#include "client/file.h"
#include "server/server.h"

static const char usage[] =
    "usage: sluice <command> [options]\n"
    "\n"
    "commands:\n"
    "  run FILE.sql          run a Flink SQL script (CREATE TABLE/VIEW, SET, INSERT INTO, SELECT)\n"
    "  run -e \"SQL\"          run SQL given on the command line\n"
    "  explain FILE.sql      print the logical plan and the physical DAG of each query\n"
    "  explain -e \"SQL\"      the same for SQL given on the command line\n"
    "  serve [options]       run the job server (sluice serve --help)\n"
    "  submit FILE.sql       submit a script to a job server and print its job id\n"
    "                        [--name N] [--restore latest|URI] [--wait: wait, fail unless FINISHED]\n"
    "  list [-a]             the server's running jobs (-a: all jobs)\n"
    "  status JOB_ID         a job's state and operators\n"
    "  cancel JOB_ID         cancel a job\n"
    "  savepoint JOB_ID [URI] [--cancel]  take a savepoint (into URI), cancel the job after it\n"
    "\n"
    "options:\n"
    "  --restore latest|URI  resume from the newest complete checkpoint in 'state.checkpoints.dir'\n"
    "                        (a fresh start when there is none yet), or from the checkpoint or\n"
    "                        savepoint folder URI\n"
    "  -q, --quiet           no job summary on stderr\n"
    "  --server URL          the job server (default $SLUICE_SERVER, else http://127.0.0.1:8081)\n"
    "  --token-file F        bearer token for the job server (default $SLUICE_TOKEN_FILE)\n"
    "  -h, --help            show this help\n"
    "  -V, --version         show the version\n";

/* SIGINT / SIGTERM: the running job stops with a final savepoint (a second signal kills). */
static volatile int stop_requested;

static void on_stop_signal(int sig) {
  if (stop_requested) {
    signal(sig, SIG_DFL);
    raise(sig);
  }
  stop_requested = 1;
}

/* Log lines of the engine go to stderr, print sinks and SELECT tables to stdout (or stderr). */
static void on_log(void *arg, const char *jobid, const char *line) { fprintf(stderr, "sluice: %s\n", line); }

static void on_output(void *arg, const char *jobid, int stream, const char *data, size_t len) {
  FILE *f = stream == 2 ? stderr : stdout;
  fwrite(data, 1, len, f);
  fflush(f);
}

/* Runs the script as one job; the first SIGINT / SIGTERM stops it with a savepoint. */
static int run(sluice_engine *eng, const char *sql, size_t len, const char *file, const char *restore, int quiet) {
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_stop_signal;
  sigaction(SIGINT, &sa, NULL);
  sigaction(SIGTERM, &sa, NULL);
  sluice_error err;
  sluice_job *job;
  sluice_job_opts opts = {.file = file, .restore = restore};
  if (sluice_engine_submit(eng, sql, len, &opts, &job, &err)) {
    fprintf(stderr, "%s\n", err.text);
    return 1;
  }
  int rc, asked = 0;
  while ((rc = sluice_job_wait(job, 100, &err)) == SLUICE_EAGAIN)
    if (stop_requested && !asked) {
      asked = 1;
      sluice_job_savepoint(job, NULL, 1, NULL, NULL);
    }
  fflush(stdout);
  if (rc) {
    fprintf(stderr, "%s\n", err.text);
    return 1;
  }
  sluice_status st;
  sluice_job_status(job, &st);
  if (st.stopped) {
    if (!quiet) fprintf(stderr, "sluice: job stopped on request\n");
    return 0;
  }
  if (!quiet && st.queries)
    fprintf(stderr, "sluice: %lld job%s finished: %lld rows read, %lld rows written, %lld late rows dropped%s\n",
            (long long)st.queries, st.queries == 1 ? "" : "s", (long long)st.rows_read, (long long)st.rows_written,
            (long long)st.late_rows, st.skipped_rows ? ", bad records skipped" : "");
  if (!quiet && st.skipped_rows)
    fprintf(stderr, "sluice: %lld bad records skipped (ignore-parse-errors)\n", (long long)st.skipped_rows);
  return 0;
}

int main(int argc, char **argv) {
  if (argc < 2) {
    fputs(usage, stderr);
    return 2;
  }
  const char *cmd = argv[1];
  if (!strcmp(cmd, "-h") || !strcmp(cmd, "--help") || !strcmp(cmd, "help")) {
    fputs(usage, stdout);
    return 0;
  }
  if (!strcmp(cmd, "-V") || !strcmp(cmd, "--version") || !strcmp(cmd, "version")) {
    printf("sluice %s\n", sluice_version());
    return 0;
  }
  if (!strcmp(cmd, "serve")) return serve_main(argc - 1, argv + 1);
  if (!strcmp(cmd, "submit") || !strcmp(cmd, "list") || !strcmp(cmd, "status") || !strcmp(cmd, "cancel") ||
      !strcmp(cmd, "savepoint"))
    return client_main(argc - 1, argv + 1);
  if (strcmp(cmd, "run") && strcmp(cmd, "explain")) {
    fprintf(stderr, "sluice: unknown command '%s'\n\n%s", cmd, usage);
    return 2;
  }
  const char *file = NULL, *inline_sql = NULL, *restore = NULL;
  int quiet = 0;
  for (int i = 2; i < argc; i++) {
    if (!strcmp(argv[i], "-e") && i + 1 < argc) inline_sql = argv[++i];
    else if (!strcmp(argv[i], "--restore") && i + 1 < argc) restore = argv[++i];
    else if (!strncmp(argv[i], "--restore=", 10)) restore = argv[i] + 10;
    else if (!strcmp(argv[i], "-q") || !strcmp(argv[i], "--quiet")) quiet = 1;
    else if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
      fputs(usage, stdout);
      return 0;
    } else if (argv[i][0] == '-' && argv[i][1]) {
      fprintf(stderr, "sluice: unknown option '%s'\n\n%s", argv[i], usage);
      return 2;
    } else if (!file) file = argv[i];
    else {
      fprintf(stderr, "sluice: one script at a time ('%s' and '%s')\n", file, argv[i]);
      return 2;
    }
  }
  if (!file == !inline_sql) {
    fprintf(stderr, "sluice %s: give a script file or -e \"SQL\"\n\n%s", cmd, usage);
    return 2;
  }
  size_t len;
  char *sql;
  if (inline_sql) {
    sql = strdup(inline_sql);
    len = strlen(inline_sql);
    file = "<command line>";
  } else {
    sql = cli_read_file(file, &len);
    if (!sql) {
      fprintf(stderr, "sluice: cannot read '%s': %s\n", file, strerror(errno));
      return 1;
    }
  }
  int rc = 0;
  sluice_engine *eng;
  sluice_error err;
  sluice_engine_new(&eng, NULL, &err);
  sluice_engine_set_log(eng, on_log, NULL);
  sluice_engine_set_output(eng, on_output, NULL);
  if (!strcmp(cmd, "explain")) {
    char *plan;
    if (sluice_engine_explain(eng, sql, len, file, &plan, &err)) {
      fprintf(stderr, "%s\n", err.text);
      rc = 1;
    } else {
      fputs(plan, stdout);
      sluice_free(plan);
    }
  } else {
    rc = run(eng, sql, len, file, restore, quiet);
  }
  sluice_engine_free(eng);
  free(sql);
  return rc;
}
