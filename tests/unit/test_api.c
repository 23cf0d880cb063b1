/* test_api.c - the public API of <sluice.h>, used as a host program uses it (this suite links
 * the installed-style shared library and sees only the public header): errors with positions,
 * host sources (JSON, typed rows, backpressure, watermarks, end of input), host sinks, status,
 * savepoints and restore, two engines at once, the libuv loop mode, and 1,000 submit / cancel /
 * free cycles in flat memory. */
#include <check.h>
#include <pthread.h>
#include <sluice.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <uv.h>

/* ---- A sink that collects rows as JSON lines ---------------------------------------------------- */

typedef struct collected {
  pthread_mutex_t mu;
  int n;
  char rows[4096][256];
  int kinds[4096];
} collected;

static int collect(void *arg, const sluice_rows *rows) {
  collected *c = arg;
  if (!c) return 0; /* rows not looked at */
  pthread_mutex_lock(&c->mu);
  for (int i = 0; i < sluice_rows_count(rows); i++, c->n++) {
    if (c->n >= 4096) continue; /* counted, not kept */
    sluice_rows_json(rows, i, c->rows[c->n], sizeof c->rows[c->n]);
    c->kinds[c->n] = sluice_rows_kind(rows, i);
  }
  pthread_mutex_unlock(&c->mu);
  return 0;
}

static int count_of(collected *c) {
  pthread_mutex_lock(&c->mu);
  int n = c->n;
  pthread_mutex_unlock(&c->mu);
  return n;
}

static collected *collected_new(void) {
  collected *c = calloc(1, sizeof *c);
  pthread_mutex_init(&c->mu, NULL);
  return c;
}

static void collected_free(collected *c) {
  pthread_mutex_destroy(&c->mu);
  free(c);
}

static int cmp_rows(const void *a, const void *b) { return strcmp(a, b); }

static void sort_rows(collected *c) {
  ck_assert_int_le(c->n, 4096);
  qsort(c->rows, (size_t)c->n, sizeof c->rows[0], cmp_rows);
}

static const char *window_sql =
    "CREATE TABLE tx (\n"
    "  card STRING,\n"
    "  amount DECIMAL(10, 2),\n"
    "  ts TIMESTAMP(3),\n"
    "  WATERMARK FOR ts AS ts\n"
    ") WITH ('connector' = 'host');\n"
    "CREATE TABLE totals (card STRING, total DECIMAL(10, 2), n BIGINT, wstart TIMESTAMP(3))\n"
    "  WITH ('connector' = 'host');\n"
    "INSERT INTO totals\n"
    "SELECT card, SUM(amount), COUNT(*), window_start\n"
    "FROM TABLE(TUMBLE(TABLE tx, DESCRIPTOR(ts), INTERVAL '1' MINUTE))\n"
    "GROUP BY card, window_start, window_end;\n";

/* Record i of a deterministic stream: 4 cards, one record every 7 seconds from 2024-03-01. */
static int tx_json(int i, char *buf, size_t cap) {
  int sec = i * 7;
  return snprintf(buf, cap, "{\"card\": \"c%d\", \"amount\": %d.%02d, \"ts\": \"2024-03-01 %02d:%02d:%02d\"}", i % 4,
                  i % 50, i % 100, 8 + sec / 3600, sec / 60 % 60, sec % 60);
}

static void push_all(sluice_source *src, int from, int to) {
  char rec[256];
  sluice_error err;
  for (int i = from; i < to; i++) {
    int n = tx_json(i, rec, sizeof rec);
    int rc;
    while ((rc = sluice_source_push_json(src, rec, (size_t)n, &err)) == SLUICE_EAGAIN)
      ck_assert_int_eq(sluice_source_wait_writable(src, 5000, &err), 0);
    ck_assert_msg(rc == 0, "push %d: %s", i, err.text);
  }
}

/* A job of sql on e (opts may be NULL), not started: *src is the host source of table `in`, and the
 * rows of host table `out` are collected into c (NULL: dropped). */
static sluice_job *host_job(sluice_engine *e, const char *sql, const sluice_job_opts *opts, const char *in,
                            const char *out, collected *c, sluice_source **src) {
  sluice_error err;
  sluice_job *j;
  ck_assert_msg(sluice_job_new(e, sql, strlen(sql), opts, &j, &err) == 0, "%s", err.text);
  ck_assert_int_eq(sluice_job_source(j, in, src, &err), 0);
  ck_assert_int_eq(sluice_job_sink(j, out, collect, c, &err), 0);
  return j;
}

/* Starts the window query on e (opts may be NULL) with its rows collected into c (NULL: dropped);
 * *src is its host source. */
static sluice_job *start_windows(sluice_engine *e, const sluice_job_opts *opts, collected *c, sluice_source **src) {
  sluice_job *j = host_job(e, window_sql, opts, "tx", "totals", c, src);
  sluice_error err;
  ck_assert_int_eq(sluice_job_start(j, &err), 0);
  return j;
}

/* Runs the window query over records [0, n) and returns the sorted rows. */
static collected *run_windows(int n) {
  sluice_engine *e;
  sluice_error err;
  ck_assert_int_eq(sluice_engine_new(&e, NULL, &err), 0);
  collected *c = collected_new();
  sluice_source *src;
  sluice_job *j = start_windows(e, NULL, c, &src);
  push_all(src, 0, n);
  ck_assert_int_eq(sluice_source_end(src, &err), 0);
  ck_assert_msg(sluice_job_wait(j, -1, &err) == 0, "%s", err.text);
  sluice_engine_free(e);
  sort_rows(c);
  return c;
}

/* ---- Errors ------------------------------------------------------------------------------------- */

START_TEST(sql_errors_have_their_place) {
  sluice_engine *e;
  sluice_error err;
  ck_assert_int_eq(sluice_engine_new(&e, NULL, &err), 0);
  const char *sql =
      "CREATE TABLE t (a INT, b STRING) WITH ('connector' = 'host');\n"
      "CREATE TABLE o (a INT) WITH ('connector' = 'host');\n"
      "INSERT INTO o SELECT amout FROM t;\n";
  sluice_job *j = NULL;
  sluice_job_opts o = {.file = "job.sql"};
  int rc = sluice_job_new(e, sql, strlen(sql), &o, &j, &err);
  ck_assert_int_eq(rc, SLUICE_EBIND);
  ck_assert_ptr_null(j);
  ck_assert_int_eq(err.code, SLUICE_EBIND);
  ck_assert_int_eq(err.line, 3);
  ck_assert_int_eq(err.column, 22);
  ck_assert_msg(strstr(err.message, "amout") != NULL, "%s", err.message);
  ck_assert_msg(!strncmp(err.text, "job.sql:3:22: ", 14), "%s", err.text);
  ck_assert_str_eq(sluice_err_name(rc), "SLUICE_EBIND");

  const char *bad = "SELECT FROM;";
  ck_assert_int_eq(sluice_job_new(e, bad, strlen(bad), NULL, &j, &err), SLUICE_ESYNTAX);
  ck_assert_int_eq(err.line, 1);
  ck_assert_int_gt(err.column, 1);

  /* Options are checked when the query opens its connectors: a failed job with the cause. */
  const char *opt =
      "CREATE TABLE t (a INT) WITH ('connector' = 'host', 'source.queue-size' = '0');\n"
      "CREATE TABLE o (a INT) WITH ('connector' = 'blackhole');\n"
      "INSERT INTO o SELECT a FROM t;\n";
  ck_assert_int_eq(sluice_job_new(e, opt, strlen(opt), NULL, &j, &err), 0);
  sluice_source *src;
  ck_assert_int_eq(sluice_job_source(j, "t", &src, &err), SLUICE_ECONFIG);
  ck_assert_int_eq(err.line, 1);
  ck_assert_int_eq(sluice_job_source(j, "nope", &src, &err), SLUICE_ENOTFOUND);
  ck_assert_int_eq(sluice_job_source(j, "o", &src, &err), SLUICE_EINVAL);
  ck_assert_int_eq(sluice_job_start(j, &err), 0);
  ck_assert_int_eq(sluice_job_wait(j, -1, &err), SLUICE_ECONFIG);
  ck_assert_msg(strstr(err.text, "source.queue-size") != NULL, "%s", err.text);
  sluice_status st;
  sluice_job_status(j, &st);
  ck_assert_str_eq(sluice_job_state_name(st.state), "FAILED");
  ck_assert_int_eq(st.failure.code, SLUICE_ECONFIG);
  sluice_job_free(j);
  sluice_engine_free(e);
}
END_TEST

/* ---- Host source and sink ------------------------------------------------------------------------ */

START_TEST(json_in_rows_out) {
  collected *c = run_windows(400);
  /* 400 records 7 s apart span 2800 s: windows of 1 minute, 4 cards each. */
  ck_assert_int_gt(c->n, 150);
  int first = 0;
  for (int i = 0; i < c->n; i++)
    if (strstr(c->rows[i], "\"card\":\"c0\"") && strstr(c->rows[i], "\"wstart\":\"2024-03-01 08:00:00\"")) first++;
  ck_assert_int_eq(first, 1);
  /* Every record counted once. */
  int64_t total = 0;
  for (int i = 0; i < c->n; i++) {
    const char *p = strstr(c->rows[i], "\"n\":");
    ck_assert_ptr_nonnull(p);
    total += atoll(p + 4);
  }
  ck_assert_int_eq(total, 400);
  collected_free(c);
}
END_TEST

typedef struct typed_seen {
  int rows;
  int64_t id_sum;
  double price_sum;
  char name[64];
  int64_t ts_ms;
  int kind;
  char text[64];
} typed_seen;

static int typed_sink(void *arg, const sluice_rows *r) {
  typed_seen *s = arg;
  ck_assert_int_eq(sluice_rows_columns(r), 5);
  ck_assert_str_eq(sluice_rows_column_name(r, 2), "name");
  ck_assert_int_eq(sluice_rows_column_type(r, 1), SLUICE_TYPE_DECIMAL);
  ck_assert_str_eq(sluice_rows_table(r), "o");
  for (int i = 0; i < sluice_rows_count(r); i++) {
    s->rows++;
    s->id_sum += sluice_rows_int64(r, i, 0);
    s->price_sum += sluice_rows_double(r, i, 1);
    size_t len;
    const char *name = sluice_rows_string(r, i, 2, &len);
    if (name) snprintf(s->name, sizeof s->name, "%.*s", (int)len, name);
    else ck_assert(sluice_rows_is_null(r, i, 2));
    if (!sluice_rows_is_null(r, i, 3)) s->ts_ms = sluice_rows_int64(r, i, 3);
    s->kind = sluice_rows_kind(r, i);
    sluice_rows_text(r, i, 1, s->text, sizeof s->text);
  }
  return 0;
}

START_TEST(typed_rows) {
  sluice_engine *e;
  sluice_error err;
  ck_assert_int_eq(sluice_engine_new(&e, NULL, &err), 0);
  const char *sql =
      "CREATE TABLE t (id INT, price DECIMAL(8, 2), name STRING, ts TIMESTAMP(3), ok BOOLEAN)\n"
      "  WITH ('connector' = 'host');\n"
      "CREATE TABLE o (id INT, price DECIMAL(8, 2), name STRING, ts TIMESTAMP(3), ok BOOLEAN)\n"
      "  WITH ('connector' = 'host');\n"
      "INSERT INTO o SELECT * FROM t WHERE ok;\n";
  sluice_job *j;
  ck_assert_int_eq(sluice_job_new(e, sql, strlen(sql), NULL, &j, &err), 0);
  sluice_source *src;
  ck_assert_int_eq(sluice_job_source(j, "t", &src, &err), 0);
  ck_assert_int_eq(sluice_source_columns(src), 5);
  ck_assert_int_eq(sluice_source_column_index(src, "price"), 1);
  ck_assert_int_eq(sluice_source_column_type(src, 3), SLUICE_TYPE_TIMESTAMP);
  typed_seen seen = {0};
  ck_assert_int_eq(sluice_job_sink(j, "o", typed_sink, &seen, &err), 0);
  sluice_row *r = sluice_row_new(src);
  for (int i = 1; i <= 10; i++) {
    sluice_row_clear(r);
    ck_assert_int_eq(sluice_row_set_int64(r, 0, i, &err), 0);
    if (i % 4) ck_assert_int_eq(sluice_row_set_double(r, 1, 1.25, &err), 0);
    else ck_assert_int_eq(sluice_row_set_decimal(r, 1, 125, 2, &err), 0);
    if (i != 10) ck_assert_int_eq(sluice_row_set_string(r, 2, "alice-xyz", 5, &err), 0);
    ck_assert_int_eq(sluice_row_set_timestamp_ms(r, 3, 1709280001326LL, &err), 0);
    ck_assert_int_eq(sluice_row_set_bool(r, 4, i % 2 == 0, &err), 0);
    ck_assert_int_eq(sluice_source_push_row(src, r, &err), 0);
  }
  /* Setters check the column's type. */
  ck_assert_int_eq(sluice_row_set_string(r, 0, "twelve", 6, &err), SLUICE_EFORMAT);
  ck_assert_int_eq(sluice_row_set_string(r, 0, "12", 2, &err), 0);
  ck_assert_int_eq(sluice_row_set_bool(r, 0, 1, &err), SLUICE_ETYPE);
  ck_assert_msg(strstr(err.message, "'id'") != NULL, "%s", err.message);
  ck_assert_int_eq(sluice_row_set_int64(r, 0, 1LL << 40, &err), SLUICE_EOVERFLOW);
  ck_assert_int_eq(sluice_row_set_double(r, 1, 1e9, &err), SLUICE_EOVERFLOW);
  ck_assert_int_eq(sluice_row_set_int64(r, 9, 1, &err), SLUICE_EINVAL);
  ck_assert_int_eq(sluice_row_set_string(r, 1, "7.5", 3, &err), 0);
  ck_assert_int_eq(sluice_row_set_decimal(r, 1, 12345, 3, &err), 0); /* 12.345 -> 12.35 */
  ck_assert_int_eq(sluice_row_set_decimal(r, 1, 1000000, 0, &err), SLUICE_EOVERFLOW);
  ck_assert_int_eq(sluice_row_set_decimal(r, 2, 1, 0, &err), SLUICE_ETYPE);
  sluice_row_free(r);
  /* A bad JSON record is refused at its push, named by its offset. */
  ck_assert_int_eq(sluice_source_push_json(src, "{\"id\": \"x\"}", 11, &err), SLUICE_EFORMAT);
  ck_assert_msg(strstr(err.message, "record 10") != NULL, "%s", err.message);
  ck_assert_int_eq(sluice_source_pushed(src), 10); /* a refused record takes no offset */
  ck_assert_int_eq(sluice_job_start(j, &err), 0);
  sluice_source *again;
  ck_assert_int_eq(sluice_job_source(j, "t", &again, &err), 0);
  ck_assert_ptr_eq(again, src);
  ck_assert_int_eq(sluice_job_sink(j, "o", typed_sink, &seen, &err), SLUICE_ESTATE);
  ck_assert_int_eq(sluice_source_end(src, &err), 0);
  ck_assert_int_eq(sluice_source_push_json(src, "{}", 2, &err), SLUICE_ESTATE);
  ck_assert_msg(sluice_job_wait(j, -1, &err) == 0, "%s", err.text);
  ck_assert_int_eq(seen.rows, 5);
  ck_assert_int_eq(seen.id_sum, 2 + 4 + 6 + 8 + 10);
  ck_assert(seen.price_sum > 6.24 && seen.price_sum < 6.26);
  ck_assert_str_eq(seen.name, "alice");
  ck_assert_int_eq(seen.ts_ms, 1709280001326LL);
  ck_assert_int_eq(seen.kind, SLUICE_INSERT);
  ck_assert_str_eq(seen.text, "1.25");
  ck_assert_str_eq(sluice_row_kind_name(SLUICE_UPDATE_AFTER), "+U");
  sluice_status st;
  sluice_job_status(j, &st);
  ck_assert_int_eq(st.state, SLUICE_JOB_FINISHED);
  ck_assert_int_eq(st.rows_read, 10);
  ck_assert_int_eq(st.rows_written, 5);
  sluice_vertex v[16];
  int nv = sluice_job_vertices(j, v, 16);
  ck_assert_int_ge(nv, 3);
  ck_assert_msg(strstr(v[0].name, "Source") != NULL, "%s", v[0].name);
  ck_assert_int_eq(v[0].records_out, 10);
  ck_assert_int_eq(v[0].parallelism, 1);
  sluice_engine_free(e);
}
END_TEST

static void on_writable(void *arg, sluice_source *s) { (*(int *)arg)++; }

START_TEST(backpressure) {
  sluice_engine *e;
  sluice_error err;
  ck_assert_int_eq(sluice_engine_new(&e, NULL, &err), 0);
  const char *sql =
      "CREATE TABLE t (a INT) WITH ('connector' = 'host', 'source.queue-size' = '8');\n"
      "CREATE TABLE o (a INT) WITH ('connector' = 'host');\n"
      "INSERT INTO o SELECT a FROM t;\n";
  collected *c = collected_new();
  sluice_source *src;
  sluice_job *j = host_job(e, sql, NULL, "t", "o", c, &src);
  int writable = 0;
  sluice_source_on_writable(src, on_writable, &writable);
  /* Before the start nothing drains the queue: the ninth push is refused. */
  for (int i = 0; i < 8; i++) ck_assert_int_eq(sluice_source_push_json(src, "{\"a\": 1}", 8, &err), 0);
  ck_assert_int_eq(sluice_source_push_json(src, "{\"a\": 1}", 8, &err), SLUICE_EAGAIN);
  ck_assert_int_eq(sluice_source_wait_writable(src, 50, &err), SLUICE_EAGAIN);
  ck_assert_int_eq(sluice_source_pushed(src), 8);
  ck_assert_int_eq(sluice_job_start(j, &err), 0);
  ck_assert_int_eq(sluice_source_wait_writable(src, 10000, &err), 0);
  /* 5,000 more through a queue of 8: pushes block on the queue, none is lost. */
  int refused = 0;
  for (int i = 0; i < 5000; i++) {
    int rc;
    while ((rc = sluice_source_push_json(src, "{\"a\": 2}", 8, &err)) == SLUICE_EAGAIN) {
      refused++;
      ck_assert_int_eq(sluice_source_wait_writable(src, 10000, &err), 0);
    }
    ck_assert_int_eq(rc, 0);
  }
  ck_assert_int_eq(sluice_source_end(src, &err), 0);
  ck_assert_int_eq(sluice_job_wait(j, -1, &err), 0);
  ck_assert_int_eq(count_of(c), 5008);
  ck_assert_int_gt(refused, 0);
  ck_assert_int_gt(writable, 0);
  ck_assert_int_eq(sluice_source_wait_writable(src, 10, &err), SLUICE_ESTATE);
  sluice_engine_free(e);
  collected_free(c);
}
END_TEST

START_TEST(watermark_closes_windows_before_the_end) {
  sluice_engine *e;
  sluice_error err;
  ck_assert_int_eq(sluice_engine_new(&e, NULL, &err), 0);
  collected *c = collected_new();
  sluice_source *src;
  sluice_job *j = start_windows(e, NULL, c, &src);
  push_all(src, 0, 8); /* 08:00:00 .. 08:00:49: one window, open */
  usleep(200 * 1000);
  ck_assert_int_eq(count_of(c), 0);
  /* The host says event time has reached 08:01:00: the first window closes, 4 cards. */
  ck_assert_int_eq(sluice_source_watermark(src, 1709280060000LL, &err), 0);
  for (int i = 0; i < 200 && count_of(c) < 4; i++) usleep(10 * 1000);
  ck_assert_int_eq(count_of(c), 4);
  sluice_status st;
  sluice_job_status(j, &st);
  ck_assert_int_eq(st.state, SLUICE_JOB_RUNNING);
  sluice_vertex v[16];
  for (int i = 0; i < 100; i++) { /* published at the next tick */
    ck_assert_int_ge(sluice_job_vertices(j, v, 16), 1);
    if (v[0].watermark_ms == 1709280060000LL) break;
    usleep(10 * 1000);
  }
  ck_assert_int_eq(v[0].watermark_ms, 1709280060000LL);
  ck_assert_int_eq(sluice_source_end(src, &err), 0);
  ck_assert_int_eq(sluice_job_wait(j, -1, &err), 0);
  ck_assert_int_eq(count_of(c), 4);
  sluice_engine_free(e);
  collected_free(c);
}
END_TEST

/* One row then one watermark, over and over: each watermark closes a chunk, so the queue is bound
 * in chunks as well as rows (16384 rows: 18 chunks) — pushes before the start say EAGAIN early,
 * repeated watermarks without rows add nothing, and once the job runs every row gets through. */
START_TEST(watermark_per_row_stays_bounded) {
  sluice_engine *e;
  sluice_error err;
  ck_assert_int_eq(sluice_engine_new(&e, NULL, &err), 0);
  const char *sql = "CREATE TABLE t (a INT) WITH ('connector' = 'host');\n"
                    "CREATE TABLE o (a INT) WITH ('connector' = 'host');\n"
                    "INSERT INTO o SELECT a FROM t;\n";
  collected *c = collected_new();
  sluice_source *src;
  sluice_job *j = host_job(e, sql, NULL, "t", "o", c, &src);
  for (int i = 0; i < 1000; i++) ck_assert_int_eq(sluice_source_watermark(src, 1000, &err), 0);
  int pushed = 0, rc = 0;
  while (pushed < 3000) {
    char rec[32];
    int n = snprintf(rec, sizeof rec, "{\"a\": %d}", pushed);
    if ((rc = sluice_source_push_json(src, rec, (size_t)n, &err)) != 0) break;
    pushed++;
    ck_assert_int_eq(sluice_source_watermark(src, 1000 + pushed, &err), 0);
  }
  ck_assert_int_eq(rc, SLUICE_EAGAIN);
  ck_assert_int_le(pushed, 18);
  ck_assert_int_ge(pushed, 16);
  ck_assert_int_eq(sluice_job_start(j, &err), 0);
  while (pushed < 3000) {
    char rec[32];
    int n = snprintf(rec, sizeof rec, "{\"a\": %d}", pushed);
    rc = sluice_source_push_json(src, rec, (size_t)n, &err);
    if (rc == SLUICE_EAGAIN) {
      ck_assert_int_ne(sluice_source_wait_writable(src, 10000, &err), SLUICE_EAGAIN);
      continue;
    }
    ck_assert_int_eq(rc, 0);
    pushed++;
    ck_assert_int_eq(sluice_source_watermark(src, 1000 + pushed, &err), 0);
  }
  ck_assert_int_eq(sluice_source_end(src, &err), 0);
  ck_assert_msg(sluice_job_wait(j, -1, &err) == 0, "%s", err.text);
  ck_assert_int_eq(count_of(c), 3000);
  sluice_engine_free(e);
  collected_free(c);
}
END_TEST

/* Rows pushed one at a time wait in a partial chunk for at most 'source.buffer-timeout': they reach
 * the sink without a watermark or the end, whatever the timeout (0: at once); a bad value is an
 * error at its place (host tables' options are read when the host attaches its source). */
START_TEST(buffer_timeout_hands_on_lone_rows) {
  const char *timeouts[] = {NULL, "0", "20 ms"};
  for (int k = 0; k < 3; k++) {
    sluice_engine *e;
    sluice_error err;
    ck_assert_int_eq(sluice_engine_new(&e, NULL, &err), 0);
    char sql[512];
    char opt[64] = "";
    if (timeouts[k]) snprintf(opt, sizeof opt, ", 'source.buffer-timeout' = '%s'", timeouts[k]);
    snprintf(sql, sizeof sql,
             "CREATE TABLE t (a INT) WITH ('connector' = 'host'%s);\n"
             "CREATE TABLE o (a INT) WITH ('connector' = 'host');\n"
             "INSERT INTO o SELECT a FROM t WHERE a > 0;\n",
             opt);
    collected *c = collected_new();
    sluice_source *src;
    sluice_job *j = host_job(e, sql, NULL, "t", "o", c, &src);
    ck_assert_int_eq(sluice_job_start(j, &err), 0);
    for (int row = 1; row <= 3; row++) {
      char rec[32];
      int n = snprintf(rec, sizeof rec, "{\"a\": %d}", row);
      ck_assert_int_eq(sluice_source_push_json(src, rec, (size_t)n, &err), 0);
      for (int i = 0; i < 1000 && count_of(c) < row; i++) usleep(5 * 1000);
      ck_assert_msg(count_of(c) == row, "timeout %s: row %d did not arrive", timeouts[k] ? timeouts[k] : "default", row);
    }
    ck_assert_int_eq(sluice_job_cancel(j, &err), 0);
    ck_assert_int_eq(sluice_job_wait(j, -1, &err), 0);
    sluice_engine_free(e);
    collected_free(c);
  }
  sluice_engine *e;
  sluice_error err;
  ck_assert_int_eq(sluice_engine_new(&e, NULL, &err), 0);
  const char *bad = "CREATE TABLE t (a INT) WITH ('connector' = 'host', 'source.buffer-timeout' = 'soon');\n"
                    "CREATE TABLE o (a INT) WITH ('connector' = 'host');\n"
                    "INSERT INTO o SELECT a FROM t;\n";
  sluice_job *j;
  ck_assert_int_eq(sluice_job_new(e, bad, strlen(bad), NULL, &j, &err), 0);
  sluice_source *src;
  ck_assert_int_eq(sluice_job_source(j, "t", &src, &err), SLUICE_ECONFIG);
  ck_assert_int_eq(err.line, 1);
  ck_assert_int_eq(err.column, 78);
  ck_assert_msg(strstr(err.message, "source.buffer-timeout"), "%s", err.message);
  sluice_engine_free(e);
}
END_TEST

/* ---- Engines, cancel, free ----------------------------------------------------------------------- */

typedef struct engine_run {
  int offset;
  int64_t total;
} engine_run;

static void *engine_thread(void *arg) {
  engine_run *r = arg;
  collected *c = run_windows(300 + r->offset);
  for (int i = 0; i < c->n; i++) r->total += atoll(strstr(c->rows[i], "\"n\":") + 4);
  collected_free(c);
  return NULL;
}

START_TEST(two_engines_at_once) {
  engine_run a = {.offset = 0}, b = {.offset = 100};
  pthread_t ta, tb;
  pthread_create(&ta, NULL, engine_thread, &a);
  pthread_create(&tb, NULL, engine_thread, &b);
  pthread_join(ta, NULL);
  pthread_join(tb, NULL);
  ck_assert_int_eq(a.total, 300);
  ck_assert_int_eq(b.total, 400);
}
END_TEST

#if defined(__SANITIZE_ADDRESS__)
static const bool built_with_asan = true;
#else
static const bool built_with_asan = false;
#endif

static long rss_kb(void) {
  FILE *f = fopen("/proc/self/statm", "r");
  long pages = 0, resident = 0;
  if (f) {
    if (fscanf(f, "%ld %ld", &pages, &resident) != 2) resident = 0;
    fclose(f);
  }
  return resident * (sysconf(_SC_PAGESIZE) / 1024);
}

START_TEST(submit_cancel_free_cycles) {
  sluice_engine *e;
  sluice_error err;
  ck_assert_int_eq(sluice_engine_new(&e, NULL, &err), 0);
  ck_assert_int_eq(sluice_engine_set(e, "table.exec.source.idle-timeout", "5 s", &err), 0);
  long at100 = 0;
  for (int i = 0; i < 1000; i++) {
    sluice_source *src;
    sluice_job *j = start_windows(e, NULL, NULL, &src);
    if (i % 2) {
      char rec[256];
      int n = tx_json(i, rec, sizeof rec);
      ck_assert_int_eq(sluice_source_push_json(src, rec, (size_t)n, &err), 0);
    }
    ck_assert_int_eq(sluice_job_cancel(j, &err), 0);
    ck_assert_int_eq(sluice_job_wait(j, -1, &err), 0);
    sluice_status st;
    sluice_job_status(j, &st);
    ck_assert_int_eq(st.state, SLUICE_JOB_CANCELED);
    ck_assert_int_eq(sluice_job_cancel(j, &err), SLUICE_ESTATE);
    sluice_job_free(j);
    if (i == 99) at100 = rss_kb();
  }
  long at1000 = rss_kb();
  /* Flat: the last 900 cycles grew the process by less than 4 MiB (under ASan, whose quarantine
   * holds freed memory back, leaks are what its leak check finds instead). */
  ck_assert_msg(at1000 - at100 < 4096 || built_with_asan, "RSS %ld kB after 100 cycles, %ld kB after 1000",
                at100, at1000);
  /* A job never started cancels at once; one freed while running is cancelled by the free. */
  sluice_job *j;
  ck_assert_int_eq(sluice_job_new(e, window_sql, strlen(window_sql), NULL, &j, &err), 0);
  ck_assert_int_eq(sluice_job_cancel(j, &err), 0);
  ck_assert_int_eq(sluice_job_start(j, &err), SLUICE_ESTATE);
  sluice_job_free(j);
  sluice_source *src;
  j = start_windows(e, NULL, NULL, &src);
  sluice_job_free(j);
  sluice_engine_free(e);
}
END_TEST

/* ---- Savepoints and restore ---------------------------------------------------------------------- */

static char *savepoint_of(sluice_job *j, const char *target, int stop) {
  sluice_error err;
  int64_t req;
  ck_assert_int_eq(sluice_job_savepoint(j, target, stop, &req, &err), 0);
  sluice_savepoint sp = {0};
  for (int i = 0; i < 1000; i++) {
    ck_assert_int_eq(sluice_job_savepoint_status(j, req, &sp, &err), 0);
    if (sp.state != SLUICE_SAVEPOINT_IN_PROGRESS) break;
    usleep(10 * 1000);
  }
  ck_assert_msg(sp.state == SLUICE_SAVEPOINT_COMPLETED, "savepoint: %s", sp.failure);
  return strdup(sp.location);
}

START_TEST(savepoint_then_restore_equals_one_run) {
  collected *whole = run_windows(500);
  char dir[] = "/tmp/sluice-test-api-XXXXXX";
  ck_assert_ptr_nonnull(mkdtemp(dir));
  char uri[512];
  snprintf(uri, sizeof uri, "file://%s", dir);
  sluice_engine *e;
  sluice_error err;
  ck_assert_int_eq(sluice_engine_new(&e, NULL, &err), 0);
  ck_assert_int_eq(sluice_engine_set(e, "execution.checkpointing.interval", "1 h", &err), 0);
  ck_assert_int_eq(sluice_engine_set(e, "state.checkpoints.dir", uri, &err), 0);
  collected *c = collected_new();

  /* First run: 300 records, a savepoint, 100 more (which a stop must not lose), stop with a
   * savepoint. */
  sluice_source *src;
  sluice_job *j = start_windows(e, NULL, c, &src);
  push_all(src, 0, 300);
  sluice_status st;
  for (int i = 0; i < 500; i++) {
    sluice_job_status(j, &st);
    if (st.rows_read == 300) break;
    usleep(10 * 1000);
  }
  ck_assert_int_eq(st.rows_read, 300);
  /* Open windows are state of the window aggregate alone. */
  sluice_vertex v[16];
  int nv = sluice_job_vertices(j, v, 16);
  int64_t agg_state = 0, other_state = 0;
  for (int k = 0; k < nv; k++) {
    if (strstr(v[k].name, "WindowAggregate") == v[k].name) agg_state += v[k].state_bytes;
    else other_state += v[k].state_bytes;
  }
  ck_assert_int_gt(agg_state, 0);
  ck_assert_int_eq(other_state, 0);
  /* A savepoint into a folder of its own: it must stand alone. */
  char target[600];
  snprintf(target, sizeof target, "%s/savepoints", uri);
  char *first = savepoint_of(j, target, 0);
  ck_assert_msg(!strncmp(first, target, strlen(target)) && strstr(first, "/chk-"), "%s", first);
  int before_first = count_of(c);
  char first_id[33];
  snprintf(first_id, sizeof first_id, "%s", sluice_job_id(j));
  sluice_job_status(j, &st);
  ck_assert_int_eq(st.state, SLUICE_JOB_RUNNING);
  ck_assert_int_ge(st.checkpoints_completed, 1);
  push_all(src, 300, 400);
  /* Wait until the job has taken them all, then stop: a savepoint after record 400. */
  for (int i = 0; i < 500; i++) {
    sluice_job_status(j, &st);
    if (st.rows_read == 400) break;
    usleep(10 * 1000);
  }
  ck_assert_int_eq(st.rows_read, 400);
  char *last = savepoint_of(j, NULL, 1);
  ck_assert_int_eq(sluice_job_wait(j, -1, &err), 0);
  sluice_job_status(j, &st);
  ck_assert_int_eq(st.state, SLUICE_JOB_FINISHED);
  ck_assert_int_eq(st.stopped, 1);
  ck_assert_str_eq(st.last_checkpoint, last);
  sluice_job_free(j);

  /* Second run from the stop's savepoint: the rest of the records. */
  sluice_job_opts o = {.restore = last};
  j = start_windows(e, &o, c, &src);
  push_all(src, 400, 500);
  ck_assert_int_eq(sluice_source_end(src, &err), 0);
  ck_assert_msg(sluice_job_wait(j, -1, &err) == 0, "%s", err.text);
  /* Offsets count from the restored position: the host's next record would be 500. */
  ck_assert_int_eq(sluice_source_pushed(src), 500);
  sluice_job_status(j, &st);
  ck_assert_int_eq(st.rows_read, 100);
  sluice_job_free(j);

  /* Third run from the first savepoint (in its own folder), with the rows the first run had
   * emitted before it: the same again. */
  collected *c3 = collected_new();
  memcpy(c3->rows, c->rows, sizeof c->rows[0] * (size_t)before_first);
  c3->n = before_first;
  o.restore = first;
  j = start_windows(e, &o, c3, &src);
  push_all(src, 300, 500);
  ck_assert_int_eq(sluice_source_end(src, &err), 0);
  ck_assert_msg(sluice_job_wait(j, -1, &err) == 0, "%s", err.text);
  ck_assert_int_eq(sluice_source_pushed(src), 500);
  sluice_job_free(j);

  /* "latest" with a job id: that job's newest checkpoint (the second run ended the first run's
   * job with a final checkpoint: nothing left to do); with a new id, a fresh start. */
  o.restore = "latest";
  o.jobid = first_id;
  j = start_windows(e, &o, NULL, &src);
  ck_assert_msg(sluice_job_wait(j, -1, &err) == 0, "%s", err.text);
  sluice_job_status(j, &st);
  ck_assert_int_eq(st.rows_read, 0);
  sluice_job_free(j);
  o.jobid = "0123456789abcdef0123456789abcdef";
  j = start_windows(e, &o, NULL, &src);
  push_all(src, 0, 10);
  ck_assert_int_eq(sluice_source_end(src, &err), 0);
  ck_assert_msg(sluice_job_wait(j, -1, &err) == 0, "%s", err.text);
  sluice_job_status(j, &st);
  ck_assert_int_eq(st.rows_read, 10);
  ck_assert_str_eq(sluice_job_name(j), "sluice job");
  ck_assert_str_eq(sluice_job_setting(j, "state.checkpoints.dir"), uri);
  ck_assert_ptr_null(sluice_job_setting(j, "restart-strategy.type"));
  sluice_engine_free(e);

  sort_rows(c);
  ck_assert_int_eq(c->n, whole->n);
  for (int i = 0; i < c->n; i++) ck_assert_str_eq(c->rows[i], whole->rows[i]);
  sort_rows(c3);
  ck_assert_int_eq(c3->n, whole->n);
  for (int i = 0; i < c3->n; i++) ck_assert_str_eq(c3->rows[i], whole->rows[i]);
  collected_free(c3);
  free(first);
  free(last);
  collected_free(c);
  collected_free(whole);
  char cmd[600];
  snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
  ck_assert_int_eq(system(cmd), 0);
}
END_TEST

/* A savepoint, then at once a stop with a savepoint: both are answered COMPLETED (by one
 * savepoint when both were waiting), and the job ends FINISHED, stopped. */
START_TEST(savepoint_then_stop_both_complete) {
  char dir[] = "/tmp/sluice-test-api-XXXXXX";
  ck_assert_ptr_nonnull(mkdtemp(dir));
  char uri[512];
  snprintf(uri, sizeof uri, "file://%s", dir);
  sluice_engine *e;
  sluice_error err;
  ck_assert_int_eq(sluice_engine_new(&e, NULL, &err), 0);
  ck_assert_int_eq(sluice_engine_set(e, "execution.checkpointing.interval", "1 h", &err), 0);
  ck_assert_int_eq(sluice_engine_set(e, "state.checkpoints.dir", uri, &err), 0);
  for (int round = 0; round < 5; round++) {
    sluice_source *src;
    sluice_job *j = start_windows(e, NULL, NULL, &src);
    push_all(src, 0, 50);
    int64_t plain, stop;
    ck_assert_int_eq(sluice_job_savepoint(j, NULL, 0, &plain, &err), 0);
    ck_assert_int_eq(sluice_job_savepoint(j, NULL, 1, &stop, &err), 0);
    ck_assert_int_eq(sluice_job_wait(j, -1, &err), 0);
    sluice_savepoint a, b;
    ck_assert_int_eq(sluice_job_savepoint_status(j, plain, &a, &err), 0);
    ck_assert_int_eq(sluice_job_savepoint_status(j, stop, &b, &err), 0);
    ck_assert_msg(a.state == SLUICE_SAVEPOINT_COMPLETED, "plain savepoint: %s", a.failure);
    ck_assert_msg(b.state == SLUICE_SAVEPOINT_COMPLETED, "stop savepoint: %s", b.failure);
    sluice_status st;
    sluice_job_status(j, &st);
    ck_assert_int_eq(st.state, SLUICE_JOB_FINISHED);
    ck_assert_int_eq(st.stopped, 1);
    ck_assert_str_eq(st.last_checkpoint, b.location);
    sluice_job_free(j);
  }
  sluice_engine_free(e);
  char cmd[600];
  snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
  ck_assert_int_eq(system(cmd), 0);
}
END_TEST

START_TEST(savepoint_needs_checkpointing) {
  sluice_engine *e;
  sluice_error err;
  ck_assert_int_eq(sluice_engine_new(&e, NULL, &err), 0);
  sluice_job *j;
  ck_assert_int_eq(sluice_job_new(e, window_sql, strlen(window_sql), NULL, &j, &err), 0);
  sluice_source *src;
  ck_assert_int_eq(sluice_job_source(j, "tx", &src, &err), 0);
  ck_assert_int_eq(sluice_job_sink(j, "totals", collect, NULL, &err), 0);
  int64_t req;
  ck_assert_int_eq(sluice_job_savepoint(j, NULL, 0, &req, &err), SLUICE_ESTATE);
  ck_assert_int_eq(sluice_job_start(j, &err), 0);
  ck_assert_int_eq(sluice_job_savepoint(j, NULL, 0, &req, &err), 0);
  sluice_savepoint sp = {0};
  for (int i = 0; i < 500 && sp.state == SLUICE_SAVEPOINT_IN_PROGRESS; i++) {
    usleep(10 * 1000);
    ck_assert_int_eq(sluice_job_savepoint_status(j, req, &sp, &err), 0);
  }
  ck_assert_int_eq(sp.state, SLUICE_SAVEPOINT_FAILED);
  ck_assert_msg(strstr(sp.failure, "execution.checkpointing.interval") != NULL, "%s", sp.failure);
  ck_assert_int_eq(sluice_job_savepoint_status(j, req + 1, &sp, &err), SLUICE_ENOTFOUND);
  ck_assert_int_eq(sluice_source_end(src, &err), 0);
  ck_assert_int_eq(sluice_job_wait(j, -1, &err), 0);
  sluice_engine_free(e);
}
END_TEST

/* ---- Loop mode ------------------------------------------------------------------------------------ */

typedef struct loop_host {
  sluice_source *src;
  uv_timer_t feed;
  int next;
  int ended;
  int blocked;
  sluice_job *job;
} loop_host;

/* Pushes what the queue takes, 40 records per tick, then ends the input. */
static void on_feed(uv_timer_t *t) {
  loop_host *h = t->data;
  sluice_error err;
  char rec[256];
  for (int k = 0; k < 40 && h->next < 600; k++) {
    int n = tx_json(h->next, rec, sizeof rec);
    int rc = sluice_source_push_json(h->src, rec, (size_t)n, &err);
    if (rc == SLUICE_EAGAIN) {
      h->blocked++;
      return;
    }
    ck_assert_int_eq(rc, 0);
    h->next++;
  }
  if (h->next == 600) {
    ck_assert_int_eq(sluice_source_end(h->src, &err), 0);
    uv_timer_stop(t);
  }
}

static void on_job_end(void *arg, sluice_job *j) {
  loop_host *h = arg;
  h->ended = 1;
  uv_close((uv_handle_t *)&h->feed, NULL);
}

START_TEST(libuv_loop_mode) {
  collected *whole = run_windows(600);
  uv_loop_t loop;
  uv_loop_init(&loop);
  sluice_engine *e;
  sluice_error err;
  ck_assert_int_eq(sluice_engine_new_on_loop(&e, &loop, &err), 0);
  const char *sql_small_queue = window_sql;
  sluice_job *j;
  ck_assert_int_eq(sluice_job_new(e, sql_small_queue, strlen(sql_small_queue), NULL, &j, &err), 0);
  loop_host h = {.job = j};
  ck_assert_int_eq(sluice_job_source(j, "tx", &h.src, &err), 0);
  collected *c = collected_new();
  ck_assert_int_eq(sluice_job_sink(j, "totals", collect, c, &err), 0);
  sluice_job_on_end(j, on_job_end, &h);
  ck_assert_int_eq(sluice_job_start(j, &err), 0);
  ck_assert_int_eq(sluice_job_wait(j, 0, &err), SLUICE_ESTATE);
  uv_timer_init(&loop, &h.feed);
  h.feed.data = &h;
  uv_timer_start(&h.feed, on_feed, 1, 1);
  /* Everything happens on this thread, inside uv_run; it returns once the job let go. */
  ck_assert_int_eq(uv_run(&loop, UV_RUN_DEFAULT), 0);
  ck_assert_int_eq(h.ended, 1);
  sluice_status st;
  sluice_job_status(j, &st);
  ck_assert_int_eq(st.state, SLUICE_JOB_FINISHED);
  ck_assert_int_eq(st.rows_read, 600);
  sluice_job_free(j);
  sluice_engine_free(e);
  ck_assert_int_eq(uv_loop_close(&loop), 0);
  sort_rows(c);
  ck_assert_int_eq(c->n, whole->n);
  for (int i = 0; i < c->n; i++) ck_assert_str_eq(c->rows[i], whole->rows[i]);
  collected_free(c);
  collected_free(whole);
}
END_TEST

static void free_at_end(void *arg, sluice_job *j) {
  *(int *)arg = 1;
  sluice_job_free(j); /* allowed in loop mode */
}

/* A script of three queries in loop mode: the host's loop watches each query's own loop in turn
 * (each has a new backend fd), and the job frees itself from its end callback. */
START_TEST(loop_mode_several_queries) {
  char dir[] = "/tmp/sluice-test-api-XXXXXX";
  ck_assert_ptr_nonnull(mkdtemp(dir));
  char in[600];
  snprintf(in, sizeof in, "%s/in.json", dir);
  FILE *f = fopen(in, "w");
  for (int i = 0; i < 100; i++) fprintf(f, "{\"a\": %d}\n", i);
  fclose(f);
  char sql[2048];
  snprintf(sql, sizeof sql,
           "CREATE TABLE t (a INT) WITH ('connector' = 'filesystem', 'path' = '%s', 'format' = 'json');\n"
           "CREATE TABLE o (a INT) WITH ('connector' = 'host');\n"
           "INSERT INTO o SELECT a FROM t WHERE a < 10;\n"
           "INSERT INTO o SELECT a FROM t WHERE a >= 90;\n"
           "INSERT INTO o SELECT a FROM t WHERE a = 50;\n",
           in);
  uv_loop_t loop;
  uv_loop_init(&loop);
  sluice_engine *e;
  sluice_error err;
  ck_assert_int_eq(sluice_engine_new_on_loop(&e, &loop, &err), 0);
  sluice_job *j;
  ck_assert_msg(sluice_job_new(e, sql, strlen(sql), NULL, &j, &err) == 0, "%s", err.text);
  collected *c = collected_new();
  ck_assert_int_eq(sluice_job_sink(j, "o", collect, c, &err), 0);
  int ended = 0;
  sluice_job_on_end(j, free_at_end, &ended);
  ck_assert_int_eq(sluice_job_start(j, &err), 0);
  ck_assert_int_eq(uv_run(&loop, UV_RUN_DEFAULT), 0);
  ck_assert_int_eq(ended, 1);
  ck_assert_int_eq(count_of(c), 21);
  sluice_engine_free(e);
  ck_assert_int_eq(uv_loop_close(&loop), 0);
  collected_free(c);
  char cmd[600];
  snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
  ck_assert_int_eq(system(cmd), 0);
}
END_TEST

START_TEST(loop_mode_free_while_running) {
  uv_loop_t loop;
  uv_loop_init(&loop);
  sluice_engine *e;
  sluice_error err;
  ck_assert_int_eq(sluice_engine_new_on_loop(&e, &loop, &err), 0);
  sluice_source *src;
  sluice_job *j = start_windows(e, NULL, NULL, &src);
  for (int i = 0; i < 20; i++) uv_run(&loop, UV_RUN_NOWAIT);
  sluice_status st;
  sluice_job_status(j, &st);
  ck_assert_int_eq(st.state, SLUICE_JOB_RUNNING);
  sluice_job_free(j);
  sluice_engine_free(e);
  uv_run(&loop, UV_RUN_DEFAULT); /* the driver's handles close */
  ck_assert_int_eq(uv_loop_close(&loop), 0);
}
END_TEST

/* ---- Engine-level calls --------------------------------------------------------------------------- */

typedef struct logged {
  int lines;
  int checkpoint_lines;
  char jobid[33];
  int out_bytes;
} logged;

static void on_log(void *arg, const char *jobid, const char *line) {
  logged *l = arg;
  l->lines++;
  if (strstr(line, "checkpoint")) l->checkpoint_lines++;
  snprintf(l->jobid, sizeof l->jobid, "%s", jobid);
  ck_assert_msg(strncmp(line, "sluice: ", 8) && !strchr(line, '\n'), "%s", line);
}

static void on_output(void *arg, const char *jobid, int stream, const char *data, size_t len) {
  ((logged *)arg)->out_bytes += (int)len;
  ck_assert_int_eq(stream, 1);
}

START_TEST(explain_log_output_version) {
  ck_assert_str_eq(sluice_version(), SLUICE_VERSION);
  sluice_engine *e;
  sluice_error err;
  ck_assert_int_eq(sluice_engine_new(&e, NULL, &err), 0);
  ck_assert_int_eq(sluice_engine_new(NULL, NULL, &err), SLUICE_EINVAL);
  char *plan;
  ck_assert_int_eq(sluice_engine_explain(e, window_sql, strlen(window_sql), "w.sql", &plan, &err), 0);
  ck_assert_msg(strstr(plan, "== Physical DAG ==") && strstr(plan, "host"), "%s", plan);
  sluice_free(plan);
  ck_assert_int_eq(sluice_engine_explain(e, "SELECT x FROM nowhere;", 22, "w.sql", &plan, &err), SLUICE_EBIND);
  ck_assert_msg(!strncmp(err.text, "w.sql:1:", 8), "%s", err.text);

  char dir[] = "/tmp/sluice-test-api-XXXXXX";
  ck_assert_ptr_nonnull(mkdtemp(dir));
  char uri[512];
  snprintf(uri, sizeof uri, "file://%s", dir);
  logged l = {0};
  sluice_engine_set_log(e, on_log, &l);
  sluice_engine_set_output(e, on_output, &l);
  ck_assert_int_eq(sluice_engine_set(e, "execution.checkpointing.interval", "1 h", &err), 0);
  ck_assert_int_eq(sluice_engine_set(e, "state.checkpoints.dir", uri, &err), 0);
  const char *sql = "SELECT 1 AS x;";
  sluice_job *j;
  sluice_job_opts o = {.jobid = "00112233445566778899AABBCCDDEEFF", .name = "one"};
  ck_assert_int_eq(sluice_engine_submit(e, sql, strlen(sql), &o, &j, &err), 0);
  ck_assert_str_eq(sluice_job_id(j), "00112233445566778899aabbccddeeff");
  ck_assert_int_eq(sluice_job_wait(j, -1, &err), 0);
  ck_assert_int_gt(l.out_bytes, 10);              /* the SELECT's table */
  ck_assert_int_ge(l.checkpoint_lines, 1);        /* the final checkpoint */
  ck_assert_str_eq(l.jobid, "00112233445566778899aabbccddeeff");
  sluice_status st;
  sluice_job_status(j, &st);
  ck_assert_msg(strstr(st.last_checkpoint, "00112233445566778899aabbccddeeff/chk-") != NULL, "%s", st.last_checkpoint);
  o.jobid = "xyz";
  ck_assert_int_eq(sluice_job_new(e, sql, strlen(sql), &o, &j, &err), SLUICE_EINVAL);
  sluice_engine_free(e);
  char cmd[600];
  snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
  ck_assert_int_eq(system(cmd), 0);
}
END_TEST

static Suite *api_suite(void) {
  Suite *s = suite_create("api");
  TCase *tc = tcase_create("api");
  tcase_set_timeout(tc, 300);
  tcase_add_test(tc, sql_errors_have_their_place);
  tcase_add_test(tc, json_in_rows_out);
  tcase_add_test(tc, typed_rows);
  tcase_add_test(tc, backpressure);
  tcase_add_test(tc, watermark_closes_windows_before_the_end);
  tcase_add_test(tc, buffer_timeout_hands_on_lone_rows);
  tcase_add_test(tc, watermark_per_row_stays_bounded);
  tcase_add_test(tc, two_engines_at_once);
  tcase_add_test(tc, submit_cancel_free_cycles);
  tcase_add_test(tc, savepoint_then_restore_equals_one_run);
  tcase_add_test(tc, savepoint_needs_checkpointing);
  tcase_add_test(tc, savepoint_then_stop_both_complete);
  tcase_add_test(tc, libuv_loop_mode);
  tcase_add_test(tc, loop_mode_free_while_running);
  tcase_add_test(tc, loop_mode_several_queries);
  tcase_add_test(tc, explain_log_output_version);
  suite_add_tcase(s, tc);
  return s;
}

int main(void) {
  SRunner *sr = srunner_create(api_suite());
  srunner_run_all(sr, CK_NORMAL);
  int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
