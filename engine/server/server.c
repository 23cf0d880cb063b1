/* server.c - `sluice serve`: the HTTP side of the job server. libmicrohttpd parses HTTP; this file
 * reads options, checks the bearer token and the body cap, routes Flink's REST paths to the job
 * registry (jobs.c) and answers in JSON, every error as {"errors": ["..."]}.
 *
 * One thread does everything: it runs the daemon (MHD's external polling mode, MHD_run_wait) and
 * the registry's tick between requests, so the engine's job calls all come from one thread. */
#include <arpa/inet.h>
#include <errno.h>
#include <limits.h>
#include <netdb.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>

#include <jansson.h>
#include <microhttpd.h>
#include <sluice.h>

#include "../client/file.h"
#include "jobs.h"
#include "server.h"

static const char usage[] =
    "usage: sluice serve [options]\n"
    "\n"
    "Runs the job server: Flink's REST API for SQL jobs, kept in DIR across restarts.\n"
    "\n"
    "options:\n"
    "  --listen HOST:PORT     address to listen on (default 127.0.0.1:8081; port 0 picks a free one)\n"
    "  --dir DIR              where the server keeps its jobs and checkpoints (default ./sluice-server)\n"
    "  --token-file FILE      require 'Authorization: Bearer <token>', the token read from FILE\n"
    "                         (required to listen on a non-loopback address)\n"
    "  --max-body BYTES       largest request body (default 104857600, 100 MiB)\n"
    "  --allow-path DIR       submitted jobs may read and write local paths under DIR only\n"
    "                         (repeatable; default: any path)\n"
    "  -h, --help             show this help\n";

typedef struct server {
  sv_registry *reg;
  char *token;          /* NULL: no authentication */
  uint64_t max_body;
} server;

/* The state of one request across the access handler's calls. */
typedef struct request {
  char *body;
  size_t len, cap;
  int too_big;
  int answered;         /* a response was queued before the body was read */
} request;

static volatile sig_atomic_t stop_requested;

static void on_stop_signal(int sig) { stop_requested = 1; }

/* ---- Responses ------------------------------------------------------------------------------- */

static enum MHD_Result send_text(struct MHD_Connection *c, unsigned status, const char *type, char *text, size_t len) {
  struct MHD_Response *resp = MHD_create_response_from_buffer(len, text, MHD_RESPMEM_MUST_FREE);
  if (!resp) {
    free(text);
    return MHD_NO;
  }
  MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, type);
  MHD_add_response_header(resp, "Cache-Control", "no-store");
  enum MHD_Result rc = MHD_queue_response(c, status, resp);
  MHD_destroy_response(resp);
  return rc;
}

/* Sends o (consumed) as JSON. */
static enum MHD_Result send_json(struct MHD_Connection *c, unsigned status, json_t *o) {
  char *text = o ? json_dumps(o, JSON_COMPACT) : NULL;
  json_decref(o);
  if (!text) {
    const char *fallback = "{\"errors\": [\"internal error\"]}";
    text = strdup(fallback);
    status = 500;
    if (!text) return MHD_NO;
  }
  return send_text(c, status, "application/json", text, strlen(text));
}

static enum MHD_Result send_error(struct MHD_Connection *c, unsigned status, const char *fmt, ...) {
  char msg[1200];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  jobs_utf8_clean(msg);
  return send_json(c, status, json_pack("{s:[s]}", "errors", msg));
}

static enum MHD_Result send_sv_err(struct MHD_Connection *c, const sv_err *e) {
  return send_error(c, e->status >= 400 && e->status < 600 ? (unsigned)e->status : 500, "%s", e->msg);
}

static enum MHD_Result method_not_allowed(struct MHD_Connection *c, const char *method, const char *allow) {
  char *text = NULL;
  json_t *o = json_pack("{s:[s]}", "errors", "method not allowed");
  if (o) text = json_dumps(o, JSON_COMPACT);
  json_decref(o);
  if (!text) return MHD_NO;
  struct MHD_Response *resp = MHD_create_response_from_buffer(strlen(text), text, MHD_RESPMEM_MUST_FREE);
  if (!resp) {
    free(text);
    return MHD_NO;
  }
  MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, "application/json");
  MHD_add_response_header(resp, MHD_HTTP_HEADER_ALLOW, allow);
  enum MHD_Result rc = MHD_queue_response(c, MHD_HTTP_METHOD_NOT_ALLOWED, resp);
  MHD_destroy_response(resp);
  return rc;
}

/* ---- Authentication -------------------------------------------------------------------------- */

/* Compares in time that depends only on the lengths, not on where the strings differ. */
static int const_time_equal(const char *a, size_t an, const char *b, size_t bn) {
  unsigned char diff = (unsigned char)(an != bn);
  size_t n = an > bn ? an : bn;
  for (size_t i = 0; i < n; i++) {
    unsigned char x = i < an ? (unsigned char)a[i] : 0, y = i < bn ? (unsigned char)b[i] : 0;
    diff |= (unsigned char)(x ^ y);
  }
  return diff == 0;
}

static int authorized(const server *s, struct MHD_Connection *c) {
  if (!s->token) return 1;
  const char *h = MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_AUTHORIZATION);
  if (!h || strncasecmp(h, "Bearer ", 7)) return 0;
  h += 7;
  while (*h == ' ') h++;
  return const_time_equal(h, strlen(h), s->token, strlen(s->token));
}

/* ---- Routes ---------------------------------------------------------------------------------- */

/* Content types POST /jobs takes as the script itself. */
static int is_sql_type(const char *ct) {
  if (!ct || !*ct) return 1;
  static const char *types[] = {"application/sql", "text/plain", "text/x-sql", "application/x-sql", "text/sql",
                                "application/octet-stream"};
  for (size_t i = 0; i < sizeof types / sizeof types[0]; i++) {
    size_t n = strlen(types[i]);
    if (!strncasecmp(ct, types[i], n) && (ct[n] == 0 || ct[n] == ';' || ct[n] == ' ')) return 1;
  }
  return 0;
}

static int is_json_type(const char *ct) {
  return ct && !strncasecmp(ct, "application/json", 16) && (ct[16] == 0 || ct[16] == ';' || ct[16] == ' ');
}

static enum MHD_Result post_jobs(server *s, struct MHD_Connection *c, request *rq) {
  const char *ct = MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_TYPE);
  const char *sql = rq->body, *name = NULL, *restore = NULL;
  size_t len = rq->len;
  json_t *doc = NULL;
  if (is_json_type(ct)) {
    json_error_t je;
    doc = json_loadb(rq->body ? rq->body : "", rq->len, 0, &je);
    if (!json_is_object(doc)) {
      json_decref(doc);
      return send_error(c, 400, "request body is not a JSON object: %s (line %d, column %d)", je.text, je.line,
                        je.column);
    }
    json_t *v = json_object_get(doc, "sql");
    json_t *n = json_object_get(doc, "name");
    json_t *rs = json_object_get(doc, "restore");
    if (!rs) rs = json_object_get(doc, "savepointPath");
    if (!json_is_string(v) || (n && !json_is_string(n) && !json_is_null(n)) ||
        (rs && !json_is_string(rs) && !json_is_null(rs))) {
      json_decref(doc);
      return send_error(c, 400, "expected {\"sql\": \"...\", \"name\": \"...\", \"restore\": \"latest\" | \"<uri>\"}");
    }
    sql = json_string_value(v);
    len = json_string_length(v);
    name = json_is_string(n) ? json_string_value(n) : NULL;
    restore = json_is_string(rs) && json_string_length(rs) ? json_string_value(rs) : NULL;
  } else if (!is_sql_type(ct)) {
    return send_error(c, 415, "unsupported Content-Type '%.100s': send the script as application/sql or text/plain, "
                              "or JSON {\"sql\": ...} as application/json", ct);
  }
  size_t lead = 0;
  while (sql && lead < len && (sql[lead] == ' ' || sql[lead] == '\t' || sql[lead] == '\n' || sql[lead] == '\r')) lead++;
  if (!sql || lead == len) {
    json_decref(doc);
    return send_error(c, 400, "empty script");
  }
  if (memchr(sql, 0, len)) {
    json_decref(doc);
    return send_error(c, 400, "the script contains a NUL byte");
  }
  char id[33];
  sv_err e;
  int rc = jobs_submit(s->reg, sql, len, name, restore, id, &e);
  json_decref(doc);
  if (rc) return send_sv_err(c, &e);
  return send_json(c, 202, json_pack("{s:s}", "jobid", id));
}

static enum MHD_Result patch_job(server *s, struct MHD_Connection *c, const char *id) {
  const char *mode = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "mode");
  if (mode && strcmp(mode, "cancel"))
    return send_error(c, 400, "unsupported mode '%.40s' (use mode=cancel, or a savepoint with cancel-job)", mode);
  sv_err e;
  if (jobs_cancel(s->reg, id, &e)) return send_sv_err(c, &e);
  return send_json(c, 202, json_object());
}

static enum MHD_Result post_savepoint(server *s, struct MHD_Connection *c, const char *id, request *rq) {
  json_t *doc = NULL;
  const char *target = NULL;
  int cancel = 0;
  if (rq->len) {
    json_error_t je;
    doc = json_loadb(rq->body, rq->len, 0, &je);
    if (!json_is_object(doc)) {
      json_decref(doc);
      return send_error(c, 400, "request body is not a JSON object: %s (line %d, column %d)", je.text, je.line,
                        je.column);
    }
    json_t *t = json_object_get(doc, "target-directory");
    json_t *k = json_object_get(doc, "cancel-job");
    if ((t && !json_is_string(t) && !json_is_null(t)) || (k && !json_is_boolean(k))) {
      json_decref(doc);
      return send_error(c, 400, "expected {\"target-directory\": \"<uri>\", \"cancel-job\": false}");
    }
    if (json_is_string(t) && json_string_length(t)) target = json_string_value(t);
    cancel = json_is_true(k);
  }
  char rid[33];
  sv_err e;
  int rc = jobs_savepoint(s->reg, id, target, cancel, rid, &e);
  json_decref(doc);
  if (rc) return send_sv_err(c, &e);
  return send_json(c, 202, json_pack("{s:s}", "request-id", rid));
}

/* Splits the path into at most 4 segments; returns the count, or -1 for too many. */
static int split_path(const char *url, char seg[4][80]) {
  int n = 0;
  const char *p = url;
  while (*p) {
    while (*p == '/') p++;
    if (!*p) break;
    const char *e = strchr(p, '/');
    size_t l = e ? (size_t)(e - p) : strlen(p);
    if (n == 4 || l >= 80) return -1;
    memcpy(seg[n], p, l);
    seg[n][l] = 0;
    n++;
    p += l;
  }
  return n;
}

static enum MHD_Result route(server *s, struct MHD_Connection *c, const char *url, const char *method, request *rq) {
  char seg[4][80];
  int n = split_path(url, seg);
  int get = !strcmp(method, "GET") || !strcmp(method, "HEAD");
  int post = !strcmp(method, "POST"), patch = !strcmp(method, "PATCH");
  json_t *o;
  sv_err e;
  if (n < 0) return send_error(c, 404, "not found");
  if (n == 1 && !strcmp(seg[0], "healthz")) {
    if (!get) return method_not_allowed(c, method, "GET");
    return send_json(c, 200, json_pack("{s:s}", "status", "ok"));
  }
  if (n == 1 && !strcmp(seg[0], "metrics")) {
    if (!get) return method_not_allowed(c, method, "GET");
    size_t len;
    char *text = metrics_render(s->reg, &len);
    return send_text(c, 200, "text/plain; version=0.0.4; charset=utf-8", text, len);
  }
  if (n == 0 || strcmp(seg[0], "jobs")) return send_error(c, 404, "not found: %.200s", url);
  if (n == 1) {
    if (get) return send_json(c, 200, jobs_list_json(s->reg));
    if (post) return post_jobs(s, c, rq);
    return method_not_allowed(c, method, "GET, POST");
  }
  if (n == 2 && !strcmp(seg[1], "overview")) {
    if (!get) return method_not_allowed(c, method, "GET");
    return send_json(c, 200, jobs_overview_json(s->reg));
  }
  const char *id = seg[1];
  if (n == 2) {
    if (get) return jobs_detail_json(s->reg, id, &o, &e) ? send_sv_err(c, &e) : send_json(c, 200, o);
    if (patch) return patch_job(s, c, id);
    return method_not_allowed(c, method, "GET, PATCH");
  }
  if (n == 3 && !strcmp(seg[2], "checkpoints")) {
    if (!get) return method_not_allowed(c, method, "GET");
    return jobs_checkpoints_json(s->reg, id, &o, &e) ? send_sv_err(c, &e) : send_json(c, 200, o);
  }
  if (n == 3 && !strcmp(seg[2], "savepoints")) {
    if (!post) return method_not_allowed(c, method, "POST");
    return post_savepoint(s, c, id, rq);
  }
  if (n == 4 && !strcmp(seg[2], "savepoints")) {
    if (!get) return method_not_allowed(c, method, "GET");
    return jobs_savepoint_json(s->reg, id, seg[3], &o, &e) ? send_sv_err(c, &e) : send_json(c, 200, o);
  }
  return send_error(c, 404, "not found: %.200s", url);
}

/* MHD's access handler: called once with the headers, then with each piece of the body, then
 * once more with none left, when the request is answered. */
static enum MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url, const char *method,
                                  const char *version, const char *upload_data, size_t *upload_data_size,
                                  void **con_cls) {
  server *s = cls;
  request *rq = *con_cls;
  if (!rq) {
    rq = calloc(1, sizeof *rq);
    if (!rq) return MHD_NO;
    *con_cls = rq;
    if (!authorized(s, c)) {
      rq->answered = 1;
      return send_error(c, 401, "missing or wrong bearer token (Authorization: Bearer <token>)");
    }
    const char *cl = MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_LENGTH);
    if (cl) {
      char *end;
      errno = 0;
      unsigned long long v = strtoull(cl, &end, 10);
      if (errno || end == cl || v > s->max_body) {
        rq->answered = 1;
        return send_error(c, 413, "request body larger than %llu bytes (--max-body)", (unsigned long long)s->max_body);
      }
    }
    return MHD_YES;
  }
  if (*upload_data_size) {
    size_t n = *upload_data_size;
    *upload_data_size = 0;
    if (rq->answered || rq->too_big) return MHD_YES;
    if (rq->len + n > s->max_body) {
      rq->too_big = 1;
      free(rq->body);
      rq->body = NULL;
      rq->len = rq->cap = 0;
      /* Answer at once: MHD closes the connection instead of reading the rest. */
      if (send_error(c, 413, "request body larger than %llu bytes (--max-body)", (unsigned long long)s->max_body) ==
          MHD_YES)
        rq->answered = 1;
      return MHD_YES;
    }
    if (rq->len + n + 1 > rq->cap) {
      size_t cap = rq->cap ? rq->cap : 4096;
      while (cap < rq->len + n + 1) cap *= 2;
      char *nb = realloc(rq->body, cap);
      if (!nb) return MHD_NO;
      rq->body = nb;
      rq->cap = cap;
    }
    memcpy(rq->body + rq->len, upload_data, n);
    rq->len += n;
    rq->body[rq->len] = 0;
    return MHD_YES;
  }
  if (rq->answered) return MHD_YES;
  if (rq->too_big)
    return send_error(c, 413, "request body larger than %llu bytes (--max-body)", (unsigned long long)s->max_body);
  return route(s, c, url, method, rq);
}

static void on_completed(void *cls, struct MHD_Connection *c, void **con_cls, enum MHD_RequestTerminationCode toe) {
  request *rq = *con_cls;
  if (!rq) return;
  free(rq->body);
  free(rq);
  *con_cls = NULL;
}

static void on_mhd_log(void *cls, const char *fmt, va_list ap) {
  char buf[512];
  vsnprintf(buf, sizeof buf, fmt, ap);
  size_t n = strlen(buf);
  while (n && buf[n - 1] == '\n') buf[--n] = 0;
  fprintf(stderr, "sluice: http: %s\n", buf);
}

/* ---- Options --------------------------------------------------------------------------------- */

/* Parses HOST:PORT ([v6]:PORT) into addr; *loopback tells whether it is a loopback address. */
static int parse_listen(const char *spec, struct sockaddr_storage *addr, socklen_t *alen, int *loopback, char *host,
                        size_t hcap, int *port) {
  const char *colon;
  if (spec[0] == '[') {
    const char *close = strchr(spec, ']');
    if (!close || close[1] != ':') return -1;
    snprintf(host, hcap, "%.*s", (int)(close - spec - 1), spec + 1);
    colon = close + 1;
  } else {
    colon = strrchr(spec, ':');
    if (!colon) return -1;
    snprintf(host, hcap, "%.*s", (int)(colon - spec), spec);
  }
  char *end;
  long p = strtol(colon + 1, &end, 10);
  if (end == colon + 1 || *end || p < 0 || p > 65535) return -1;
  *port = (int)p;
  struct addrinfo hints = {.ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM, .ai_flags = AI_PASSIVE};
  struct addrinfo *res;
  char ps[8];
  snprintf(ps, sizeof ps, "%d", *port);
  if (getaddrinfo(host[0] ? host : NULL, ps, &hints, &res) || !res) return -1;
  memcpy(addr, res->ai_addr, res->ai_addrlen);
  *alen = res->ai_addrlen;
  freeaddrinfo(res);
  if (addr->ss_family == AF_INET) {
    const struct sockaddr_in *in = (const struct sockaddr_in *)addr;
    *loopback = (ntohl(in->sin_addr.s_addr) >> 24) == 127;
  } else {
    const struct sockaddr_in6 *in6 = (const struct sockaddr_in6 *)addr;
    *loopback = IN6_IS_ADDR_LOOPBACK(&in6->sin6_addr);
  }
  return 0;
}

static const char *opt_value(int argc, char **argv, int *i, const char *name) {
  size_t n = strlen(name);
  if (!strncmp(argv[*i], name, n) && argv[*i][n] == '=') return argv[*i] + n + 1;
  if (!strcmp(argv[*i], name)) {
    if (*i + 1 >= argc) return NULL;
    return argv[++*i];
  }
  return NULL;
}

int serve_main(int argc, char **argv) {
  const char *listen = "127.0.0.1:8081", *dir = "./sluice-server", *token_file = NULL;
  uint64_t max_body = 104857600ULL;
  char **allow = calloc((size_t)argc + 1, sizeof(char *));
  int nallow = 0, rc = 1;
  if (!allow) return 1;
  for (int i = 1; i < argc; i++) {
    const char *v, *a = argv[i];
    if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
      fputs(usage, stdout);
      free(allow);
      return 0;
    }
    int is_opt = !strncmp(a, "--listen", 8) || !strncmp(a, "--dir", 5) || !strncmp(a, "--token-file", 12) ||
                 !strncmp(a, "--max-body", 10) || !strncmp(a, "--allow-path", 12);
    if (!is_opt) {
      fprintf(stderr, "sluice serve: unknown option '%s'\n\n%s", a, usage);
      free(allow);
      return 2;
    }
    if ((v = opt_value(argc, argv, &i, "--listen"))) listen = v;
    else if ((v = opt_value(argc, argv, &i, "--dir"))) dir = v;
    else if ((v = opt_value(argc, argv, &i, "--token-file"))) token_file = v;
    else if ((v = opt_value(argc, argv, &i, "--allow-path"))) allow[nallow++] = (char *)v;
    else if ((v = opt_value(argc, argv, &i, "--max-body"))) {
      char *end;
      errno = 0;
      unsigned long long m = strtoull(v, &end, 10);
      if (errno || end == v || *end || m == 0 || v[0] == '-') {
        fprintf(stderr, "sluice serve: --max-body '%s' is not a positive number of bytes\n", v);
        free(allow);
        return 2;
      }
      max_body = m;
    } else {
      fprintf(stderr, "sluice serve: option '%s' needs a value\n\n%s", a, usage);
      free(allow);
      return 2;
    }
  }
  struct sockaddr_storage addr;
  socklen_t alen;
  int loopback = 0, port = 0;
  char host[256];
  if (parse_listen(listen, &addr, &alen, &loopback, host, sizeof host, &port)) {
    fprintf(stderr, "sluice serve: --listen '%s' is not HOST:PORT (127.0.0.1:8081, [::1]:8081)\n", listen);
    free(allow);
    return 2;
  }
  if (!loopback && !token_file) {
    fprintf(stderr, "sluice serve: refusing to listen on non-loopback address '%s' without --token-file "
                    "(anyone who can reach it could run jobs)\n", listen);
    free(allow);
    return 2;
  }
  server s = {.max_body = max_body};
  if (token_file) {
    s.token = cli_read_token(token_file);
    if (!s.token || !s.token[0]) {
      fprintf(stderr, "sluice serve: cannot read a token from --token-file '%s'%s%s\n", token_file,
              s.token ? "" : ": ", s.token ? " (it is empty)" : strerror(errno));
      free(s.token);
      free(allow);
      return 2;
    }
  }
  sv_err e;
  if (jobs_open(&s.reg, dir, allow, nallow, &e)) {
    fprintf(stderr, "sluice serve: %s\n", e.msg);
    free(s.token);
    free(allow);
    return e.status == 2 ? 2 : 1;
  }
  free(allow);

  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_stop_signal;
  sigaction(SIGINT, &sa, NULL);
  sigaction(SIGTERM, &sa, NULL);
  signal(SIGPIPE, SIG_IGN);

  unsigned flags = MHD_USE_AUTO | MHD_USE_ERROR_LOG;
  if (addr.ss_family == AF_INET6) flags |= MHD_USE_IPv6;
  struct MHD_Daemon *d = MHD_start_daemon(
      flags, (uint16_t)port, NULL, NULL, on_request, &s, MHD_OPTION_EXTERNAL_LOGGER, on_mhd_log, NULL,
      MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&addr, MHD_OPTION_NOTIFY_COMPLETED, on_completed, NULL,
      MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)60, MHD_OPTION_CONNECTION_LIMIT, (unsigned)512,
      MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)65536, MHD_OPTION_END);
  if (!d) {
    fprintf(stderr, "sluice serve: cannot listen on %s: %s\n", listen, strerror(errno));
    jobs_close(s.reg);
    free(s.token);
    return 1;
  }
  const union MHD_DaemonInfo *info = MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
  if (info && info->port) port = info->port;
  if (strchr(host, ':')) fprintf(stderr, "sluice: serving on http://[%s]:%d\n", host, port);
  else fprintf(stderr, "sluice: serving on http://%s:%d\n", host[0] ? host : "0.0.0.0", port);
  fflush(stderr);

  int wait_ms = 100;
  while (!stop_requested) {
    MHD_run_wait(d, wait_ms);
    wait_ms = jobs_tick(s.reg);
    if (wait_ms > 100) wait_ms = 100;
  }
  fprintf(stderr, "sluice: stopping; running jobs resume at the next start\n");
  MHD_stop_daemon(d);
  jobs_close(s.reg);
  free(s.token);
  rc = 0;
  return rc;
}
