/* embed_push.c - how fast a host pushes card transactions through a host source into the fraud
 * query, as JSON text or as typed rows, and how long a job takes from sluice_job_new to RUNNING.
 * A benchmark, not a test: bench/embed.sh builds and runs it.
 *
 * usage: embed_push json|typed|submit N
 * Prints one line: "mode=json records=N wall_s=... cpu_s=... alerts=..." (cpu: the whole
 * process, user + system: the pushing thread and the job's). */
#include <sluice.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

static const char *sql =
    "CREATE TABLE transactions (\n"
    "  transaction_id STRING, card_id STRING, amount DECIMAL(10, 2), merchant_country STRING,\n"
    "  event_time TIMESTAMP(3), WATERMARK FOR event_time AS event_time - INTERVAL '5' SECOND\n"
    ") WITH ('connector' = 'host');\n"
    "CREATE TABLE fraud_alerts (card_id STRING, window_start TIMESTAMP(3), tx_count BIGINT,\n"
    "  total_amount DECIMAL(10, 2)) WITH ('connector' = 'host');\n"
    "INSERT INTO fraud_alerts\n"
    "SELECT card_id, TUMBLE_START(event_time, INTERVAL '5' MINUTE), COUNT(*), SUM(amount)\n"
    "FROM transactions WHERE merchant_country <> 'CA'\n"
    "GROUP BY card_id, TUMBLE(event_time, INTERVAL '5' MINUTE)\n"
    "HAVING COUNT(*) > 3 AND SUM(amount) > 500;\n";

static double now_s(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static double cpu_s(void) {
  struct rusage ru;
  getrusage(RUSAGE_SELF, &ru);
  return (double)ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6 + (double)ru.ru_stime.tv_sec +
         ru.ru_stime.tv_usec / 1e6;
}

static int on_alerts(void *arg, const sluice_rows *rows) {
  *(long *)arg += sluice_rows_count(rows);
  return 0;
}

/* Transaction i, the same stream as gen_transactions.sh's shape: 1000 cards, 0-199 ms apart,
 * 40% foreign, one card in 40 bursting abroad. */
typedef struct tx {
  char id[24], card[16], country[4];
  long cents;
  long long ms;
} tx;

static unsigned long long rng = 42;
static unsigned rnd(void) {
  rng ^= rng << 13;
  rng ^= rng >> 7;
  rng ^= rng << 17;
  return (unsigned)(rng >> 11);
}

static void make_tx(long i, long long *t, tx *out) {
  static const char *foreign[] = {"US", "FR", "DE", "GB", "MX", "JP", "BR", "IN"};
  *t += rnd() % 200;
  int card = (int)(rnd() % 1000);
  bool burst = card % 40 == 0;
  snprintf(out->id, sizeof out->id, "tx-%ld", i);
  snprintf(out->card, sizeof out->card, "card-%04d", card);
  snprintf(out->country, sizeof out->country, "%s", burst || rnd() % 10 < 4 ? foreign[rnd() % 8] : "CA");
  out->cents = burst ? 15000 + rnd() % 20000 : 500 + rnd() % 20000;
  out->ms = *t;
}

static void die(const char *what, const sluice_error *err) {
  fprintf(stderr, "embed_push: %s: %s\n", what, err->text);
  exit(1);
}

int main(int argc, char **argv) {
  if (argc != 3) {
    fprintf(stderr, "usage: embed_push json|typed|submit N\n");
    return 2;
  }
  const char *mode = argv[1];
  long n = atol(argv[2]);
  sluice_engine *e;
  sluice_error err;
  if (sluice_engine_new(&e, NULL, &err)) die("engine", &err);

  if (!strcmp(mode, "submit")) {
    /* n jobs: the median time from sluice_job_new to the job's RUNNING state. */
    double *lat = calloc((size_t)n, sizeof(double));
    for (long k = 0; k < n; k++) {
      double t0 = now_s();
      sluice_job *j;
      sluice_source *src;
      long alerts = 0;
      if (sluice_job_new(e, sql, strlen(sql), NULL, &j, &err) || sluice_job_source(j, "transactions", &src, &err) ||
          sluice_job_sink(j, "fraud_alerts", on_alerts, &alerts, &err) || sluice_job_start(j, &err))
        die("submit", &err);
      sluice_status st;
      for (;;) {
        sluice_job_status(j, &st);
        if (st.state == SLUICE_JOB_RUNNING && st.queries == 0 && sluice_job_vertices(j, NULL, 0) > 0) break;
        struct timespec ts = {0, 20000};
        nanosleep(&ts, NULL);
      }
      lat[k] = now_s() - t0;
      sluice_job_free(j);
    }
    for (long a = 0; a < n; a++)
      for (long b = a + 1; b < n; b++)
        if (lat[b] < lat[a]) {
          double t = lat[a];
          lat[a] = lat[b];
          lat[b] = t;
        }
    printf("mode=submit jobs=%ld median_ms=%.3f max_ms=%.3f\n", n, lat[n / 2] * 1000, lat[n - 1] * 1000);
    free(lat);
    sluice_engine_free(e);
    return 0;
  }

  bool typed = !strcmp(mode, "typed");
  /* The input is made before the clock starts: JSON text, or the values for typed rows. */
  tx *txs = malloc(sizeof(tx) * (size_t)n);
  char **json = typed ? NULL : malloc(sizeof(char *) * (size_t)n);
  long long t = 1709280000000LL;
  for (long i = 0; i < n; i++) {
    make_tx(i, &t, &txs[i]);
    if (!typed) {
      char buf[256];
      time_t sec = (time_t)(txs[i].ms / 1000);
      struct tm tm;
      gmtime_r(&sec, &tm);
      char when[32];
      strftime(when, sizeof when, "%Y-%m-%d %H:%M:%S", &tm);
      snprintf(buf, sizeof buf,
               "{\"transaction_id\":\"%s\",\"card_id\":\"%s\",\"amount\":%ld.%02ld,\"merchant_country\":\"%s\","
               "\"event_time\":\"%s.%03lld\"}",
               txs[i].id, txs[i].card, txs[i].cents / 100, txs[i].cents % 100, txs[i].country, when,
               txs[i].ms % 1000);
      json[i] = strdup(buf);
    }
  }
  sluice_job *j;
  sluice_source *src;
  long alerts = 0;
  if (sluice_job_new(e, sql, strlen(sql), NULL, &j, &err) || sluice_job_source(j, "transactions", &src, &err) ||
      sluice_job_sink(j, "fraud_alerts", on_alerts, &alerts, &err))
    die("job", &err);
  sluice_row *row = typed ? sluice_row_new(src) : NULL;
  int c_id = sluice_source_column_index(src, "transaction_id"), c_card = sluice_source_column_index(src, "card_id");
  int c_amount = sluice_source_column_index(src, "amount"), c_country = sluice_source_column_index(src, "merchant_country");
  int c_time = sluice_source_column_index(src, "event_time");
  double c0 = cpu_s(), t0 = now_s();
  if (sluice_job_start(j, &err)) die("start", &err);
  long waits = 0;
  for (long i = 0; i < n; i++) {
    int rc;
    if (typed) {
      if (sluice_row_set_string(row, c_id, txs[i].id, strlen(txs[i].id), &err) ||
          sluice_row_set_string(row, c_card, txs[i].card, strlen(txs[i].card), &err) ||
          sluice_row_set_decimal(row, c_amount, txs[i].cents, 2, &err) ||
          sluice_row_set_string(row, c_country, txs[i].country, 2, &err) ||
          sluice_row_set_timestamp_ms(row, c_time, txs[i].ms, &err))
        die("row", &err);
      while ((rc = sluice_source_push_row(src, row, &err)) == SLUICE_EAGAIN) {
        waits++;
        sluice_source_wait_writable(src, -1, NULL);
      }
    } else {
      while ((rc = sluice_source_push_json(src, json[i], strlen(json[i]), &err)) == SLUICE_EAGAIN) {
        waits++;
        sluice_source_wait_writable(src, -1, NULL);
      }
    }
    if (rc) die("push", &err);
  }
  sluice_source_end(src, NULL);
  if (sluice_job_wait(j, -1, &err)) die("wait", &err);
  double wall = now_s() - t0, cpu = cpu_s() - c0;
  printf("mode=%s records=%ld wall_s=%.3f cpu_s=%.3f alerts=%ld queue_full_waits=%ld\n", mode, n, wall, cpu, alerts,
         waits);
  sluice_row_free(row);
  sluice_engine_free(e);
  for (long i = 0; !typed && i < n; i++) free(json[i]);
  free(json);
  free(txs);
  return 0;
}
