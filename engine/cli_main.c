/* cli_main.c - the sluice command line: run or explain a SQL script. Uses only <sluice.h>. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sluice.h"

static const char usage[] =
    "usage: sluice <command> [options]\n"
    "\n"
    "commands:\n"
    "  run FILE.sql          run a Flink SQL script (CREATE TABLE/VIEW, SET, INSERT INTO, SELECT)\n"
    "  run -e \"SQL\"          run SQL given on the command line\n"
    "  explain FILE.sql      print the logical plan and the physical DAG of each query\n"
    "  explain -e \"SQL\"      the same for SQL given on the command line\n"
    "\n"
    "options:\n"
    "  --restore latest|URI  resume from the newest complete checkpoint in 'state.checkpoints.dir'\n"
    "                        (a fresh start when there is none yet), or from the checkpoint or\n"
    "                        savepoint folder URI\n"
    "  -q, --quiet           no job summary on stderr\n"
    "  -h, --help            show this help\n"
    "  -V, --version         show the version\n";

/* Reads a whole file into a NUL-terminated buffer. */
static char *read_file(const char *path, size_t *len) {
  FILE *f = strcmp(path, "-") ? fopen(path, "rb") : stdin;
  if (!f) return NULL;
  size_t cap = 1 << 16, n = 0;
  char *buf = malloc(cap);
  for (;;) {
    if (!buf) break;
    if (n + 1 >= cap) {
      char *nb = realloc(buf, cap *= 2);
      if (!nb) {
        free(buf);
        buf = NULL;
        break;
      }
      buf = nb;
    }
    size_t r = fread(buf + n, 1, cap - n - 1, f);
    n += r;
    if (r == 0) break;
  }
  int failed = ferror(f);
  if (f != stdin) fclose(f);
  if (!buf || failed) {
    free(buf);
    return NULL;
  }
  buf[n] = 0;
  *len = n;
  return buf;
}

/* SIGINT / SIGTERM: the running job stops with a final savepoint (a second signal kills). */
static volatile int stop_requested;

static void on_stop_signal(int sig) {
  if (stop_requested) {
    signal(sig, SIG_DFL);
    raise(sig);
  }
  stop_requested = 1;
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
    sql = read_file(file, &len);
    if (!sql) {
      fprintf(stderr, "sluice: cannot read '%s': %s\n", file, strerror(errno));
      return 1;
    }
  }
  int flags = !strcmp(cmd, "explain") ? SLUICE_EXPLAIN : 0;
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_stop_signal;
  sigaction(SIGINT, &sa, NULL);
  sigaction(SIGTERM, &sa, NULL);
  sluice_run_opts opts = {.flags = flags, .out = stdout, .log = stderr, .restore = restore, .stop = &stop_requested};
  sluice_stats stats;
  char *errmsg = NULL;
  int rc = sluice_run(sql, len, file, &opts, &stats, &errmsg);
  fflush(stdout);
  if (rc) {
    fprintf(stderr, "%s\n", errmsg ? errmsg : "sluice: failed");
    sluice_free(errmsg);
    free(sql);
    return 1;
  }
  if (stats.stopped) {
    if (!quiet) fprintf(stderr, "sluice: job stopped on request\n");
    free(sql);
    return 0;
  }
  if (!quiet && stats.jobs)
    fprintf(stderr, "sluice: %lld job%s finished: %lld rows read, %lld rows written, %lld late rows dropped%s\n",
            (long long)stats.jobs, stats.jobs == 1 ? "" : "s", (long long)stats.rows_read, (long long)stats.rows_written,
            (long long)stats.late_rows, stats.skipped_rows ? ", bad records skipped" : "");
  if (!quiet && stats.skipped_rows)
    fprintf(stderr, "sluice: %lld bad records skipped (ignore-parse-errors)\n", (long long)stats.skipped_rows);
  free(sql);
  return 0;
}
