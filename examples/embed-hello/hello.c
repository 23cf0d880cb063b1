/* hello.c - the smallest useful host program: it pushes card transactions into an embedded
 * sluice job and prints the per-card totals the job hands back. Build it against an installed
 * sluice with
 *     cc hello.c $(pkg-config --cflags --libs sluice) -o hello
 * It is the program docs/embedding.md walks through. */
#include <sluice.h>
#include <stdio.h>
#include <string.h>

static const char *sql =
    "CREATE TABLE tx (card STRING, amount DECIMAL(10, 2)) WITH ('connector' = 'host');\n"
    "CREATE TABLE big (card STRING, amount DECIMAL(10, 2), fee DECIMAL(10, 2)) WITH ('connector' = 'host');\n"
    "INSERT INTO big SELECT card, amount, CAST(amount * 0.02 AS DECIMAL(10, 2)) FROM tx WHERE amount >= 50;\n";

/* Result rows arrive here, on the job's thread, with their change kind (+I: an insert). */
static int on_rows(void *arg, const sluice_rows *rows) {
  for (int i = 0; i < sluice_rows_count(rows); i++) {
    char json[256];
    sluice_rows_json(rows, i, json, sizeof json);
    printf("%s %s\n", sluice_row_kind_name(sluice_rows_kind(rows, i)), json);
  }
  return 0; /* non-zero would fail the job */
}

int main(void) {
  sluice_engine *engine;
  sluice_job *job;
  sluice_source *tx;
  sluice_error err;
  if (sluice_engine_new(&engine, NULL, &err)) return 1;
  sluice_job_opts opts = {.name = "hello", .file = "hello.sql"};
  if (sluice_job_new(engine, sql, strlen(sql), &opts, &job, &err) ||
      sluice_job_source(job, "tx", &tx, &err) ||
      sluice_job_sink(job, "big", on_rows, NULL, &err) ||
      sluice_job_start(job, &err)) {
    fprintf(stderr, "%s\n", err.text); /* "hello.sql:3:8: ..." for SQL errors */
    sluice_engine_free(engine);
    return 1;
  }
  const char *records[] = {
      "{\"card\": \"4000-0001\", \"amount\": 12.50}",
      "{\"card\": \"4000-0002\", \"amount\": 99.00}",
      "{\"card\": \"4000-0001\", \"amount\": 250.00}",
  };
  for (int i = 0; i < 3; i++) {
    int rc;
    /* A full queue says SLUICE_EAGAIN: wait for room, then push again. */
    while ((rc = sluice_source_push_json(tx, records[i], strlen(records[i]), &err)) == SLUICE_EAGAIN)
      sluice_source_wait_writable(tx, -1, NULL);
    if (rc) fprintf(stderr, "%s\n", err.text);
  }
  sluice_source_end(tx, NULL);           /* end of input: the job finishes */
  int rc = sluice_job_wait(job, -1, &err);
  if (rc) fprintf(stderr, "%s\n", err.text);
  sluice_status st;
  sluice_job_status(job, &st);
  printf("%s: %lld rows read, %lld written\n", sluice_job_state_name(st.state), (long long)st.rows_read,
         (long long)st.rows_written);
  sluice_engine_free(engine);          /* frees the job and its source too */
  return rc ? 1 : 0;
}
