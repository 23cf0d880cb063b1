/* fraud_service.c - an HTTP fraud-scoring service built on <sluice.h> in libuv loop mode: one uv
 * loop runs both the HTTP server and an embedded job (fraud_service.sql) that reads the posted
 * card transactions from a host source and hands its alerts to a host sink.
 *
 *   POST /transactions   one JSON object, a JSON array of objects, or JSON lines: 202 {"accepted": N}
 *   POST /end            ends the input: every window closes and the job finishes
 *   GET  /alerts         the alerts so far, a JSON array in arrival order (one alert a line)
 *   GET  /healthz        {"status": "ok", "job": "RUNNING", ...}
 *
 * Backpressure: a push the source refuses (its queue is full) parks the request, which stops
 * reading its connection, in a first-in first-out line; the source's writable callback resumes
 * the line where it stopped. Nothing is dropped and records keep the order they were posted in.
 * Usage: embed-fraud-service [--listen HOST:PORT] [--sql PATH] [--alerts-log PATH] */
#include <errno.h>
#include <inttypes.h>
#include <signal.h>
#include <stdarg.h>
#include <sluice.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <uv.h>

#include "http_server.h"

#ifndef EFS_DEFAULT_SQL
#define EFS_DEFAULT_SQL "fraud_service.sql"
#endif

#define MAX_BODY ((size_t)16 << 20)
/* The rowtime column of fraud_service.sql (its WATERMARK): every record must have one. */
#define ROWTIME "event_time"

typedef struct text {
  char *data;
  size_t len, cap;
} text;

/* A POST /transactions (or /end) that is being pushed, or waits for its turn or for room. */
typedef struct pending {
  http_conn *c;
  bool end;              /* POST /end */
  const char *body;
  size_t len;
  size_t pos;            /* where the next record starts */
  bool in_array;         /* the body is a JSON array; pos is inside it */
  bool array_done;       /* its closing bracket was read */
  int64_t record;        /* the next record's number in the request, from 1 */
  int64_t accepted;
  struct pending *next;
} pending;

typedef struct service {
  http_server *http;
  sluice_engine *engine;
  sluice_job *job;
  sluice_source *source;
  FILE *alerts_log;
  text alerts;           /* the alert rows, ",\n"-separated */
  int64_t nalerts;
  int64_t accepted;      /* records pushed */
  int64_t pauses;        /* times a full queue made a request wait */
  pending *line, *line_tail;
  uv_idle_t resume;      /* runs the line again once the source has room */
  uv_signal_t sigint, sigterm;
  bool input_ended;
  bool job_ended;
  bool stopping;         /* a signal came: shut down once the job has ended */
  bool down;
} service;

/* ---- Text helpers ---------------------------------------------------------------------------- */

static void text_add(text *t, const char *p, size_t n) {
  if (t->len + n + 1 > t->cap) {
    size_t cap = t->cap ? t->cap : 1024;
    while (cap < t->len + n + 1) cap *= 2;
    char *d = realloc(t->data, cap);
    if (!d) abort();
    t->data = d;
    t->cap = cap;
  }
  memcpy(t->data + t->len, p, n);
  t->len += n;
  t->data[t->len] = 0;
}

static void text_adds(text *t, const char *s) { text_add(t, s, strlen(s)); }

static void text_printf(text *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void text_printf(text *t, const char *fmt, ...) {
  char small[512];
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(small, sizeof small, fmt, ap);
  va_end(ap);
  if (n < 0) return;
  if ((size_t)n < sizeof small) {
    text_add(t, small, (size_t)n);
    return;
  }
  char *big = malloc((size_t)n + 1);
  if (!big) abort();
  va_start(ap, fmt);
  vsnprintf(big, (size_t)n + 1, fmt, ap);
  va_end(ap);
  text_add(t, big, (size_t)n);
  free(big);
}

/* Appends s as a JSON string literal. */
static void text_json_string(text *t, const char *s) {
  text_adds(t, "\"");
  for (; *s; s++) {
    unsigned char ch = (unsigned char)*s;
    if (ch == '"' || ch == '\\') text_printf(t, "\\%c", ch);
    else if (ch < 0x20) text_printf(t, "\\u%04x", ch);
    else text_add(t, (const char *)&ch, 1);
  }
  text_adds(t, "\"");
}

static void respond_text(http_conn *c, int status, text *t) {
  http_conn_respond(c, status, "application/json", t->data, t->len);
  free(t->data);
}

static void respond_error(http_conn *c, int status, const char *message) {
  text t = {0};
  text_adds(&t, "{\"errors\": [");
  text_json_string(&t, message);
  text_adds(&t, "]}\n");
  respond_text(c, status, &t);
}

/* ---- Splitting a body into records ------------------------------------------------------------ */

static bool is_space(char ch) { return ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r'; }

static size_t skip_space(const char *p, size_t pos, size_t len) {
  while (pos < len && is_space(p[pos])) pos++;
  return pos;
}

/* The end of the JSON value that starts at p[pos]: a string to its closing quote, objects and
 * arrays to their balancing bracket (brackets in strings do not count), anything else to the
 * next separator. Returns len + 1 when the value is unterminated. The record's JSON itself is
 * checked by sluice_source_push_json. */
static size_t value_end(const char *p, size_t pos, size_t len) {
  if (p[pos] == '"') {
    for (pos++; pos < len; pos++) {
      if (p[pos] == '\\') pos++;
      else if (p[pos] == '"') return pos + 1;
    }
    return len + 1;
  }
  if (p[pos] != '{' && p[pos] != '[') {
    while (pos < len && !is_space(p[pos]) && p[pos] != ',' && p[pos] != ']' && p[pos] != '}' && p[pos] != ':') pos++;
    return pos;
  }
  int depth = 0;
  bool in_str = false;
  for (; pos < len; pos++) {
    char ch = p[pos];
    if (in_str) {
      if (ch == '\\') pos++;
      else if (ch == '"') in_str = false;
    } else if (ch == '"') {
      in_str = true;
    } else if (ch == '{' || ch == '[') {
      depth++;
    } else if ((ch == '}' || ch == ']') && --depth == 0) {
      return pos + 1;
    }
  }
  return len + 1;
}

/* The next record of the request: 1 with [*start, *end) and *after (where the one after it
 * starts), 0 at the end of the body, -1 with *why for a body that is not a sequence of JSON
 * values or one array of them. Moves nothing: take_record commits once the record is queued. */
static int next_record(const pending *q, size_t *start, size_t *end, size_t *after, const char **why) {
  size_t pos = skip_space(q->body, q->pos, q->len);
  if (q->in_array && (q->array_done || (q->record == 1 && pos < q->len && q->body[pos] == ']'))) {
    if (!q->array_done) pos++; /* [] */
    if (skip_space(q->body, pos, q->len) < q->len) {
      *why = "text after the closing bracket of the array";
      return -1;
    }
    return 0;
  }
  if (pos >= q->len) {
    if (q->in_array) {
      *why = "the array is not closed";
      return -1;
    }
    return 0;
  }
  size_t e = value_end(q->body, pos, q->len);
  if (e > q->len) {
    *why = "unterminated JSON value";
    return -1;
  }
  if (e == pos) {
    *why = "expected a JSON object";
    return -1;
  }
  *start = pos;
  *end = e;
  size_t next = skip_space(q->body, e, q->len);
  if (q->in_array) {
    if (next >= q->len || (q->body[next] != ',' && q->body[next] != ']')) {
      *why = "expected ',' or ']' after the record";
      return -1;
    }
    next++;
  }
  *after = next;
  return 1;
}

/* Whether the JSON object [p, p + len) lacks the top-level member key or has it null. A record
 * without its event time would fail the whole job (a NULL rowtime is a runtime error, as in
 * Flink), so the service turns it away at the door. Anything it cannot follow counts as present:
 * sluice_source_push_json then reports the bad JSON itself. */
static bool member_null(const char *p, size_t len, const char *key) {
  size_t klen = strlen(key), pos = skip_space(p, 0, len);
  if (pos >= len || p[pos] != '{') return false;
  pos++;
  for (;;) {
    pos = skip_space(p, pos, len);
    if (pos >= len || p[pos] == '}') return true;
    if (p[pos] != '"') return false;
    size_t k = pos + 1, ke = value_end(p, pos, len);
    if (ke > len) return false;
    bool match = ke - k - 1 == klen && !memcmp(p + k, key, klen);
    pos = skip_space(p, ke, len);
    if (pos >= len || p[pos] != ':') return false;
    pos = skip_space(p, pos + 1, len);
    if (pos >= len) return false;
    size_t ve = value_end(p, pos, len);
    if (ve > len) return false;
    if (match) return ve - pos == 4 && !memcmp(p + pos, "null", 4);
    pos = skip_space(p, ve, len);
    if (pos < len && p[pos] == ',') pos++;
    else if (pos >= len || p[pos] != '}') return false;
  }
}

static void take_record(pending *q, size_t after) {
  if (q->in_array && q->body[after - 1] == ']') q->array_done = true;
  q->pos = after;
  q->record++;
  q->accepted++;
}

/* ---- Pushing the posted records ------------------------------------------------------------ */

/* "table 'transactions', record 812: cannot parse ..." names the record by its offset in the
 * stream; the client wants it by its place in the request, which we give instead. */
static const char *strip_record_prefix(const char *m) {
  if (strncmp(m, "table '", 7)) return m;
  const char *r = strstr(m, ", record ");
  if (!r) return m;
  const char *colon = strstr(r, ": ");
  return colon ? colon + 2 : m;
}

static void respond_pending(service *svc, pending *q, int status, const char *message) {
  text t = {0};
  text_printf(&t, "{\"accepted\": %" PRId64, q->accepted);
  if (message) {
    text_adds(&t, ", \"errors\": [");
    char head[64];
    snprintf(head, sizeof head, "record %" PRId64 ": ", q->record);
    text e = {0};
    text_adds(&e, head);
    text_adds(&e, message);
    text_json_string(&t, e.data);
    free(e.data);
    text_printf(&t, "], \"note\": \"the %" PRId64 " records before record %" PRId64
                    " were accepted; it and the records after it were not\"",
                q->accepted, q->record);
  }
  text_adds(&t, "}\n");
  respond_text(q->c, status, &t);
}

/* Pushes the request's records until its end (answers and returns true) or a full queue
 * (returns false: it waits for the writable callback). */
static bool run_pending(service *svc, pending *q) {
  sluice_error err;
  if (q->end) {
    if (!svc->input_ended && !svc->job_ended && sluice_source_end(svc->source, &err))
      fprintf(stderr, "embed-fraud-service: cannot end the input: %s\n", err.message);
    svc->input_ended = true;
    if (q->c) { /* else the end a signal asked for */
      text t = {0};
      text_printf(&t, "{\"ended\": true, \"accepted\": %" PRId64 "}\n", svc->accepted);
      respond_text(q->c, 202, &t);
    }
    return true;
  }
  for (;;) {
    size_t start = 0, end = 0, after = 0;
    const char *why = NULL;
    int r = next_record(q, &start, &end, &after, &why);
    if (r < 0) {
      respond_pending(svc, q, 400, why);
      return true;
    }
    if (r == 0) {
      if (q->accepted == 0) respond_pending(svc, q, 400, "the body holds no records");
      else respond_pending(svc, q, 202, NULL);
      return true;
    }
    if (member_null(q->body + start, end - start, ROWTIME)) {
      respond_pending(svc, q, 400, "'" ROWTIME "' is missing or null (the query's event time)");
      return true;
    }
    int rc = sluice_source_push_json(svc->source, q->body + start, end - start, &err);
    if (rc == SLUICE_EAGAIN && !svc->job_ended) {
      svc->pauses++;
      return false;
    }
    if (rc == SLUICE_EFORMAT) {
      respond_pending(svc, q, 400, strip_record_prefix(err.message));
      return true;
    }
    if (rc == SLUICE_ESTATE || rc == SLUICE_EAGAIN) {
      if (svc->job_ended) respond_pending(svc, q, 503, "the job has ended; no more transactions are taken");
      else respond_pending(svc, q, 409, "the input has ended (POST /end); no more transactions are taken");
      return true;
    }
    if (rc) {
      respond_pending(svc, q, 500, err.message);
      return true;
    }
    take_record(q, after);
    svc->accepted++;
  }
}

/* Runs the line of waiting requests in order until one waits for room. */
static void run_line(service *svc) {
  while (svc->line) {
    pending *q = svc->line;
    if (!run_pending(svc, q)) return;
    svc->line = q->next;
    if (!svc->line) svc->line_tail = NULL;
    free(q);
  }
}

/* Puts a request (c NULL: the end a signal asks for) in line; it runs at once when first. */
static void enqueue(service *svc, http_conn *c, const http_request *req, bool end) {
  pending *q = calloc(1, sizeof *q);
  if (!q) abort();
  q->c = c;
  q->end = end;
  q->record = 1;
  if (req) {
    q->body = req->body;
    q->len = req->body_len;
    size_t first = skip_space(q->body, 0, q->len);
    if (first < q->len && q->body[first] == '[') {
      q->in_array = true;
      q->pos = first + 1;
    }
  }
  if (svc->line_tail) svc->line_tail->next = q;
  else svc->line = q;
  svc->line_tail = q;
  if (svc->line == q) run_line(svc); /* else it waits behind the requests before it */
}

static void on_resume(uv_idle_t *h) {
  service *svc = h->data;
  uv_idle_stop(h);
  run_line(svc);
}

/* The queue has room again (called while the job reads it): resume from the loop, not from
 * inside the job's step. */
static void on_writable(void *arg, sluice_source *s) {
  service *svc = arg;
  uv_idle_start(&svc->resume, on_resume);
}

/* ---- The job's side -------------------------------------------------------------------------- */

/* Alert rows, in the order the job produces them: kept for GET /alerts and appended to the log. */
static int on_alerts(void *arg, const sluice_rows *rows) {
  service *svc = arg;
  char small[1024];
  for (int i = 0; i < sluice_rows_count(rows); i++) {
    size_t n = sluice_rows_json(rows, i, small, sizeof small);
    char *row = small;
    if (n >= sizeof small) {
      row = malloc(n + 1);
      if (!row) abort();
      sluice_rows_json(rows, i, row, n + 1);
    }
    if (sluice_rows_kind(rows, i) != SLUICE_INSERT)
      fprintf(stderr, "embed-fraud-service: alert row of kind %s\n", sluice_row_kind_name(sluice_rows_kind(rows, i)));
    if (svc->nalerts) text_adds(&svc->alerts, ",\n");
    text_add(&svc->alerts, row, n);
    svc->nalerts++;
    if (svc->alerts_log) {
      fwrite(row, 1, n, svc->alerts_log);
      fputc('\n', svc->alerts_log);
    }
    if (row != small) free(row);
  }
  if (svc->alerts_log && fflush(svc->alerts_log))
    fprintf(stderr, "embed-fraud-service: cannot write the alerts log: %s\n", strerror(errno));
  return 0;
}

static void on_log(void *arg, const char *jobid, const char *line) {
  fprintf(stderr, "sluice [%.8s]: %s\n", jobid, line);
}

static void close_handle(uv_handle_t *h) {
  if (!uv_is_closing(h)) uv_close(h, NULL);
}

/* Stops serving: the loop then runs out once the job has let go of it. */
static void shut_down(service *svc) {
  if (svc->down) return;
  svc->down = true;
  while (svc->line) {
    pending *q = svc->line;
    svc->line = q->next;
    free(q);
  }
  svc->line_tail = NULL;
  http_server_close(svc->http);
  svc->http = NULL;
  close_handle((uv_handle_t *)&svc->resume);
  close_handle((uv_handle_t *)&svc->sigint);
  close_handle((uv_handle_t *)&svc->sigterm);
}

static void on_job_end(void *arg, sluice_job *j) {
  service *svc = arg;
  svc->job_ended = true;
  sluice_status st;
  sluice_job_status(j, &st);
  fprintf(stderr, "embed-fraud-service: the job ended %s: %" PRId64 " transactions read, %" PRId64 " alerts\n",
          sluice_job_state_name(st.state), st.rows_read, svc->nalerts);
  if (st.state == SLUICE_JOB_FAILED) fprintf(stderr, "%s\n", st.failure.text);
  if (svc->stopping) shut_down(svc);
  else if (svc->line) uv_idle_start(&svc->resume, on_resume); /* the waiting requests get 409 */
}

/* SIGINT / SIGTERM: end the input (after the requests in line) and let the job finish; a second
 * one cancels the job. */
static void on_signal(uv_signal_t *h, int signum) {
  service *svc = h->data;
  if (svc->job_ended) {
    shut_down(svc);
    return;
  }
  if (svc->stopping) {
    sluice_error err;
    fprintf(stderr, "embed-fraud-service: cancelling the job\n");
    if (sluice_job_cancel(svc->job, &err)) fprintf(stderr, "embed-fraud-service: %s\n", err.message);
    return;
  }
  svc->stopping = true;
  fprintf(stderr, "embed-fraud-service: %s: ending the input\n", signum == SIGINT ? "SIGINT" : "SIGTERM");
  enqueue(svc, NULL, NULL, true);
}

/* ---- HTTP endpoints ---------------------------------------------------------------------------- */

static void get_alerts(service *svc, http_conn *c) {
  text t = {0};
  text_adds(&t, "[\n");
  if (svc->nalerts) {
    text_add(&t, svc->alerts.data, svc->alerts.len);
    text_adds(&t, "\n");
  }
  text_adds(&t, "]\n");
  respond_text(c, 200, &t);
}

static void get_health(service *svc, http_conn *c) {
  sluice_status st;
  sluice_job_status(svc->job, &st);
  bool failed = st.state == SLUICE_JOB_FAILED;
  text t = {0};
  text_printf(&t, "{\"status\": \"%s\", \"job\": \"%s\", \"accepted\": %" PRId64 ", \"read\": %" PRId64
                  ", \"alerts\": %" PRId64 ", \"backpressure_pauses\": %" PRId64 ", \"input_ended\": %s",
              failed ? "failed" : "ok", sluice_job_state_name(st.state), svc->accepted, st.rows_read, svc->nalerts,
              svc->pauses, svc->input_ended ? "true" : "false");
  if (failed) {
    text_adds(&t, ", \"error\": ");
    text_json_string(&t, st.failure.message);
  }
  text_adds(&t, "}\n");
  respond_text(c, failed ? 503 : 200, &t);
}

static void on_request(void *data, http_conn *c, const http_request *req) {
  service *svc = data;
  bool get = !strcmp(req->method, "GET"), post = !strcmp(req->method, "POST");
  if (!strcmp(req->path, "/transactions")) {
    if (!post) respond_error(c, 405, "use POST /transactions");
    else if (svc->stopping) respond_error(c, 503, "the service is shutting down");
    else enqueue(svc, c, req, false);
  } else if (!strcmp(req->path, "/end")) {
    if (!post) respond_error(c, 405, "use POST /end");
    else enqueue(svc, c, req, true);
  } else if (!strcmp(req->path, "/alerts")) {
    if (!get) respond_error(c, 405, "use GET /alerts");
    else get_alerts(svc, c);
  } else if (!strcmp(req->path, "/healthz")) {
    if (!get) respond_error(c, 405, "use GET /healthz");
    else get_health(svc, c);
  } else {
    respond_error(c, 404, "no such endpoint (POST /transactions, POST /end, GET /alerts, GET /healthz)");
  }
}

/* ---- Start-up ---------------------------------------------------------------------------------- */

static void usage(FILE *f) {
  fprintf(f,
          "usage: embed-fraud-service [--listen HOST:PORT] [--sql PATH] [--alerts-log PATH]\n"
          "  --listen HOST:PORT   where to serve HTTP (default 127.0.0.1:8088; port 0: any free port)\n"
          "  --sql PATH           the job's script (default %s)\n"
          "  --alerts-log PATH    appends each alert as a JSON line (default fraud_alerts.log)\n",
          EFS_DEFAULT_SQL);
}

static int read_file(const char *path, char **out, size_t *len) {
  FILE *f = fopen(path, "rb");
  if (!f) return -1;
  text t = {0};
  char chunk[8192];
  size_t n;
  while ((n = fread(chunk, 1, sizeof chunk, f)) > 0) text_add(&t, chunk, n);
  int bad = ferror(f);
  fclose(f);
  if (bad) {
    free(t.data);
    return -1;
  }
  *out = t.data ? t.data : calloc(1, 1);
  *len = t.len;
  return 0;
}

/* "HOST:PORT" or "[V6]:PORT" into host (copied into buf) and port. */
static int parse_listen(const char *s, char *buf, size_t cap, int *port) {
  const char *colon = strrchr(s, ':');
  if (!colon) return -1;
  const char *h = s;
  size_t hl = (size_t)(colon - s);
  if (hl >= 2 && h[0] == '[' && h[hl - 1] == ']') {
    h++;
    hl -= 2;
  }
  if (hl == 0 || hl >= cap) return -1;
  char *end;
  long p = strtol(colon + 1, &end, 10);
  if (*end || end == colon + 1 || p < 0 || p > 65535) return -1;
  memcpy(buf, h, hl);
  buf[hl] = 0;
  *port = (int)p;
  return 0;
}

int main(int argc, char **argv) {
  const char *listen = "127.0.0.1:8088", *sql_path = EFS_DEFAULT_SQL, *log_path = "fraud_alerts.log";
  for (int i = 1; i < argc; i++) {
    if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
      usage(stdout);
      return 0;
    }
    if (i + 1 < argc && !strcmp(argv[i], "--listen")) listen = argv[++i];
    else if (i + 1 < argc && !strcmp(argv[i], "--sql")) sql_path = argv[++i];
    else if (i + 1 < argc && !strcmp(argv[i], "--alerts-log")) log_path = argv[++i];
    else {
      usage(stderr);
      return 2;
    }
  }
  char host[256];
  int port;
  if (parse_listen(listen, host, sizeof host, &port)) {
    fprintf(stderr, "embed-fraud-service: --listen wants HOST:PORT, not '%s'\n", listen);
    return 2;
  }
  char *sql;
  size_t sql_len;
  if (read_file(sql_path, &sql, &sql_len)) {
    fprintf(stderr, "embed-fraud-service: cannot read %s: %s\n", sql_path, strerror(errno));
    return 1;
  }
  signal(SIGPIPE, SIG_IGN);

  service svc = {0};
  uv_loop_t loop;
  uv_loop_init(&loop);
  sluice_error err;
  sluice_job_opts opts = {.name = "fraud-service", .file = sql_path};
  int rc = sluice_engine_new_on_loop(&svc.engine, &loop, &err);
  if (!rc) {
    sluice_engine_set_log(svc.engine, on_log, &svc);
    rc = sluice_job_new(svc.engine, sql, sql_len, &opts, &svc.job, &err);
  }
  free(sql);
  if (!rc) rc = sluice_job_source(svc.job, "transactions", &svc.source, &err);
  if (!rc) rc = sluice_job_sink(svc.job, "fraud_alerts", on_alerts, &svc, &err);
  if (rc) {
    fprintf(stderr, "embed-fraud-service: %s\n", err.text);
    sluice_engine_free(svc.engine);
    uv_loop_close(&loop);
    return 1;
  }
  svc.alerts_log = fopen(log_path, "a");
  if (!svc.alerts_log) {
    fprintf(stderr, "embed-fraud-service: cannot open %s: %s\n", log_path, strerror(errno));
    sluice_engine_free(svc.engine);
    uv_loop_close(&loop);
    return 1;
  }
  sluice_source_on_writable(svc.source, on_writable, &svc);
  sluice_job_on_end(svc.job, on_job_end, &svc);
  uv_idle_init(&loop, &svc.resume);
  svc.resume.data = &svc;
  uv_signal_init(&loop, &svc.sigint);
  uv_signal_init(&loop, &svc.sigterm);
  svc.sigint.data = svc.sigterm.data = &svc;
  uv_signal_start(&svc.sigint, on_signal, SIGINT);
  uv_signal_start(&svc.sigterm, on_signal, SIGTERM);

  char bound[128];
  rc = http_server_start(&loop, host, port, MAX_BODY, on_request, &svc, &svc.http, bound, sizeof bound);
  if (rc) {
    fprintf(stderr, "embed-fraud-service: cannot listen on %s: %s\n", listen, uv_strerror(rc));
  } else if ((rc = sluice_job_start(svc.job, &err))) {
    fprintf(stderr, "embed-fraud-service: %s\n", err.text);
  }
  if (rc) {
    shut_down(&svc);
  } else {
    printf("listening on %s\n", bound);
    fflush(stdout);
  }
  uv_run(&loop, UV_RUN_DEFAULT);

  sluice_status st;
  sluice_job_status(svc.job, &st);
  int status = rc ? 1 : st.state == SLUICE_JOB_FAILED ? 1 : 0;
  fprintf(stderr, "embed-fraud-service: %" PRId64 " transactions accepted, %" PRId64 " alerts, %" PRId64
                  " backpressure pauses\n",
          svc.accepted, svc.nalerts, svc.pauses);
  sluice_job_free(svc.job);
  sluice_engine_free(svc.engine);
  uv_run(&loop, UV_RUN_DEFAULT); /* the close callbacks of what the job left on the loop */
  if (uv_loop_close(&loop)) fprintf(stderr, "embed-fraud-service: handles left open on the loop\n");
  fclose(svc.alerts_log);
  free(svc.alerts.data);
  return status;
}
