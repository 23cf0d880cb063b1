/* client.c - the CLI's job-server commands: submit, list, status, cancel and savepoint as REST
 * calls (libcurl) to a `sluice serve`, answers read with jansson. The server comes from --server,
 * else $SLUICE_SERVER, else http://127.0.0.1:8081. Exit codes a script can rely on: 0 done,
 * 1 the server refused or the job did not end FINISHED, 2 bad usage, 3 no server to talk to. */
#include "client.h"
#include "file.h"

#include <curl/curl.h>
#include <errno.h>
#include <jansson.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

enum { EXIT_REFUSED = 1, EXIT_USAGE = 2, EXIT_UNREACHABLE = 3 };

typedef struct client {
  const char *server;    /* base URL, no trailing slash */
  char *token;           /* bearer token (--token-file / $SLUICE_TOKEN_FILE), or NULL */
  CURL *curl;
} client;

typedef struct reply {
  long status;           /* HTTP status, 0 when the server could not be reached */
  char *body;
  size_t len;
  json_t *json;          /* the body parsed, when it is JSON */
} reply;

static size_t on_body(char *data, size_t size, size_t n, void *arg) {
  reply *r = arg;
  size_t add = size * n;
  char *nb = realloc(r->body, r->len + add + 1);
  if (!nb) return 0;
  r->body = nb;
  memcpy(r->body + r->len, data, add);
  r->len += add;
  r->body[r->len] = 0;
  return add;
}

static void reply_free(reply *r) {
  free(r->body);
  if (r->json) json_decref(r->json);
  memset(r, 0, sizeof *r);
}

/* One request; body may be NULL. Fills r (r->status 0 and a message on stderr when the server
 * is unreachable). */
static void call(client *c, const char *method, const char *path, const char *type, const char *body, reply *r) {
  memset(r, 0, sizeof *r);
  char url[2048];
  snprintf(url, sizeof url, "%s%s", c->server, path);
  curl_easy_reset(c->curl);
  curl_easy_setopt(c->curl, CURLOPT_URL, url);
  curl_easy_setopt(c->curl, CURLOPT_CUSTOMREQUEST, method);
  curl_easy_setopt(c->curl, CURLOPT_WRITEFUNCTION, on_body);
  curl_easy_setopt(c->curl, CURLOPT_WRITEDATA, r);
  curl_easy_setopt(c->curl, CURLOPT_CONNECTTIMEOUT_MS, 5000L);
  curl_easy_setopt(c->curl, CURLOPT_TIMEOUT_MS, 60000L);
  curl_easy_setopt(c->curl, CURLOPT_NOSIGNAL, 1L);
  struct curl_slist *headers = NULL;
  char h[4200];
  if (type) {
    snprintf(h, sizeof h, "Content-Type: %s", type);
    headers = curl_slist_append(headers, h);
  }
  if (c->token) {
    snprintf(h, sizeof h, "Authorization: Bearer %s", c->token);
    headers = curl_slist_append(headers, h);
  }
  headers = curl_slist_append(headers, "Expect:");
  curl_easy_setopt(c->curl, CURLOPT_HTTPHEADER, headers);
  if (body) {
    curl_easy_setopt(c->curl, CURLOPT_POSTFIELDS, body);
    curl_easy_setopt(c->curl, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)strlen(body));
  }
  CURLcode rc = curl_easy_perform(c->curl);
  curl_slist_free_all(headers);
  if (rc != CURLE_OK) {
    fprintf(stderr, "sluice: cannot reach the job server at %s: %s\n", c->server, curl_easy_strerror(rc));
    r->status = 0;
    return;
  }
  curl_easy_getinfo(c->curl, CURLINFO_RESPONSE_CODE, &r->status);
  if (r->body) r->json = json_loadb(r->body, r->len, 0, NULL);
}

/* Says why the server refused (its {"errors": [...]}) and returns the exit code. */
static int refused(client *c, const reply *r, const char *what) {
  if (r->status == 0) return EXIT_UNREACHABLE;
  json_t *errors = r->json ? json_object_get(r->json, "errors") : NULL;
  if (json_is_array(errors) && json_array_size(errors) > 0) {
    size_t i;
    json_t *e;
    json_array_foreach(errors, i, e) {
      fprintf(stderr, "sluice: %s: %s\n", what, json_is_string(e) ? json_string_value(e) : "(error)");
    }
  } else {
    fprintf(stderr, "sluice: %s: the server answered %ld\n", what, r->status);
  }
  return EXIT_REFUSED;
}

static const char *str_of(json_t *o, const char *key) {
  json_t *v = o ? json_object_get(o, key) : NULL;
  return json_is_string(v) ? json_string_value(v) : "";
}

static long long int_of(json_t *o, const char *key) {
  json_t *v = o ? json_object_get(o, key) : NULL;
  return json_is_integer(v) ? (long long)json_integer_value(v) : json_is_real(v) ? (long long)json_real_value(v) : -1;
}

static bool terminal(const char *state) {
  return !strcmp(state, "FINISHED") || !strcmp(state, "CANCELED") || !strcmp(state, "FAILED");
}

static void sleep_ms(int ms) {
  struct timespec ts = {.tv_sec = ms / 1000, .tv_nsec = (long)(ms % 1000) * 1000000};
  nanosleep(&ts, NULL);
}

static void fmt_time(long long ms, char *buf, size_t cap) {
  if (ms <= 0) {
    snprintf(buf, cap, "-");
    return;
  }
  time_t t = (time_t)(ms / 1000);
  struct tm tm;
  gmtime_r(&t, &tm);
  strftime(buf, cap, "%Y-%m-%d %H:%M:%S", &tm);
}

/* ---- Commands ----------------------------------------------------------------------------------- */

/* GET /jobs/<id>: *state filled; returns 0 or an exit code. */
static int job_state(client *c, const char *id, char *state, size_t cap, reply *r) {
  char path[256];
  snprintf(path, sizeof path, "/jobs/%s", id);
  call(c, "GET", path, NULL, NULL, r);
  if (r->status != 200) return refused(c, r, id);
  snprintf(state, cap, "%s", str_of(r->json, "state"));
  return 0;
}

/* Waits for the job's end: 0 when FINISHED, else 1 (the state and cause on stderr). */
static int wait_job(client *c, const char *id) {
  char state[64] = "";
  for (int delay = 50;; delay = delay < 1000 ? delay * 2 : 1000) {
    reply r;
    int rc = job_state(c, id, state, sizeof state, &r);
    if (rc) {
      reply_free(&r);
      return rc;
    }
    if (terminal(state)) {
      int code = 0;
      if (strcmp(state, "FINISHED")) {
        json_t *cause = json_object_get(r.json, "failure-cause");
        const char *why = json_is_string(cause) ? json_string_value(cause) : str_of(cause, "stack-trace");
        fprintf(stderr, "sluice: job %s ended %s%s%s\n", id, state, why[0] ? ": " : "", why);
        code = EXIT_REFUSED;
      }
      reply_free(&r);
      return code;
    }
    reply_free(&r);
    sleep_ms(delay);
  }
}

static int cmd_submit(client *c, int argc, char **argv) {
  const char *file = NULL, *name = NULL, *restore = NULL;
  bool wait = false;
  for (int i = 1; i < argc; i++) {
    if (!strcmp(argv[i], "--name") && i + 1 < argc) name = argv[++i];
    else if (!strcmp(argv[i], "--restore") && i + 1 < argc) restore = argv[++i];
    else if (!strcmp(argv[i], "--wait")) wait = true;
    else if (argv[i][0] == '-' && argv[i][1]) {
      fprintf(stderr, "sluice submit: unknown option '%s'\n", argv[i]);
      return EXIT_USAGE;
    } else if (!file) file = argv[i];
    else {
      fprintf(stderr, "sluice submit: one script at a time\n");
      return EXIT_USAGE;
    }
  }
  if (!file) {
    fprintf(stderr, "usage: sluice submit FILE.sql [--name N] [--restore latest|URI] [--wait]\n");
    return EXIT_USAGE;
  }
  size_t len;
  char *sql = cli_read_file(file, &len);
  if (!sql) {
    fprintf(stderr, "sluice: cannot read '%s': %s\n", file, strerror(errno));
    return EXIT_USAGE;
  }
  json_t *req = json_object();
  json_object_set_new(req, "sql", json_stringn(sql, len));
  json_object_set_new(req, "name", json_string(name ? name : file));
  if (restore) json_object_set_new(req, "restore", json_string(restore));
  char *body = json_dumps(req, JSON_COMPACT);
  json_decref(req);
  free(sql);
  if (!body) {
    fprintf(stderr, "sluice: '%s' is not valid UTF-8 text\n", file);
    return EXIT_REFUSED;
  }
  reply r;
  call(c, "POST", "/jobs", "application/json", body, &r);
  free(body);
  if (r.status != 202 && r.status != 200) {
    int rc = refused(c, &r, file);
    reply_free(&r);
    return rc;
  }
  char id[64];
  snprintf(id, sizeof id, "%s", str_of(r.json, "jobid"));
  reply_free(&r);
  printf("%s\n", id);
  fflush(stdout);
  return wait ? wait_job(c, id) : 0;
}

static int cmd_list(client *c, int argc, char **argv) {
  bool all = false;
  for (int i = 1; i < argc; i++) {
    if (!strcmp(argv[i], "-a") || !strcmp(argv[i], "--all")) all = true;
    else {
      fprintf(stderr, "usage: sluice list [-a]\n");
      return EXIT_USAGE;
    }
  }
  reply r;
  call(c, "GET", "/jobs", NULL, NULL, &r);
  if (r.status != 200) {
    int rc = refused(c, &r, "list");
    reply_free(&r);
    return rc;
  }
  json_t *jobs = json_object_get(r.json, "jobs");
  size_t i;
  json_t *job;
  int shown = 0;
  json_array_foreach(jobs, i, job) {
    const char *id = str_of(job, "id");
    const char *status = str_of(job, "status");
    if (!all && terminal(status)) continue;
    char path[256];
    snprintf(path, sizeof path, "/jobs/%s", id);
    reply d;
    call(c, "GET", path, NULL, NULL, &d);
    char start[32];
    fmt_time(int_of(d.json, "start-time"), start, sizeof start);
    /* Flink's `flink list` line: start time : id : name (STATE) */
    printf("%s : %s : %s (%s)\n", start, id, d.status == 200 ? str_of(d.json, "name") : "?", status);
    reply_free(&d);
    shown++;
  }
  if (!shown) printf(all ? "No jobs.\n" : "No running jobs.\n");
  reply_free(&r);
  return 0;
}

static int cmd_status(client *c, int argc, char **argv) {
  if (argc != 2) {
    fprintf(stderr, "usage: sluice status JOB_ID\n");
    return EXIT_USAGE;
  }
  char state[64];
  reply r;
  int rc = job_state(c, argv[1], state, sizeof state, &r);
  if (rc) {
    reply_free(&r);
    return rc;
  }
  char start[32], end[32];
  fmt_time(int_of(r.json, "start-time"), start, sizeof start);
  fmt_time(int_of(r.json, "end-time"), end, sizeof end);
  printf("job:      %s\nname:     %s\nstate:    %s\nstarted:  %s\nended:    %s\nduration: %lld ms\n", argv[1],
         str_of(r.json, "name"), state, start, end, int_of(r.json, "duration"));
  json_t *cause = json_object_get(r.json, "failure-cause");
  if (cause) {
    const char *why = json_is_string(cause) ? json_string_value(cause) : str_of(cause, "stack-trace");
    printf("cause:    %s\n", why);
  }
  json_t *vertices = json_object_get(r.json, "vertices");
  size_t i;
  json_t *v;
  if (json_array_size(vertices)) printf("%-12s %-12s %s\n", "records in", "records out", "operator");
  json_array_foreach(vertices, i, v) {
    json_t *m = json_object_get(v, "metrics");
    printf("%-12lld %-12lld %s\n", int_of(m, "read-records"), int_of(m, "write-records"), str_of(v, "name"));
  }
  reply_free(&r);
  return 0;
}

static int cmd_cancel(client *c, int argc, char **argv) {
  if (argc != 2) {
    fprintf(stderr, "usage: sluice cancel JOB_ID\n");
    return EXIT_USAGE;
  }
  char path[256];
  snprintf(path, sizeof path, "/jobs/%s?mode=cancel", argv[1]);
  reply r;
  call(c, "PATCH", path, NULL, NULL, &r);
  int rc = r.status == 202 || r.status == 200 ? 0 : refused(c, &r, argv[1]);
  if (!rc) printf("Cancelled job %s.\n", argv[1]);
  reply_free(&r);
  return rc;
}

static int cmd_savepoint(client *c, int argc, char **argv) {
  const char *id = NULL, *target = NULL;
  bool cancel = false;
  for (int i = 1; i < argc; i++) {
    if (!strcmp(argv[i], "--cancel")) cancel = true;
    else if (argv[i][0] == '-' && argv[i][1]) {
      fprintf(stderr, "sluice savepoint: unknown option '%s'\n", argv[i]);
      return EXIT_USAGE;
    } else if (!id) id = argv[i];
    else if (!target) target = argv[i];
    else {
      fprintf(stderr, "usage: sluice savepoint JOB_ID [TARGET_URI] [--cancel]\n");
      return EXIT_USAGE;
    }
  }
  if (!id) {
    fprintf(stderr, "usage: sluice savepoint JOB_ID [TARGET_URI] [--cancel]\n");
    return EXIT_USAGE;
  }
  json_t *req = json_object();
  if (target) json_object_set_new(req, "target-directory", json_string(target));
  json_object_set_new(req, "cancel-job", json_boolean(cancel));
  char *body = json_dumps(req, JSON_COMPACT);
  json_decref(req);
  char path[256];
  snprintf(path, sizeof path, "/jobs/%s/savepoints", id);
  reply r;
  call(c, "POST", path, "application/json", body, &r);
  free(body);
  if (r.status != 202 && r.status != 200) {
    int rc = refused(c, &r, id);
    reply_free(&r);
    return rc;
  }
  char rid[128];
  snprintf(rid, sizeof rid, "%s", str_of(r.json, "request-id"));
  reply_free(&r);
  snprintf(path, sizeof path, "/jobs/%s/savepoints/%s", id, rid);
  for (int delay = 50;; delay = delay < 1000 ? delay * 2 : 1000) {
    call(c, "GET", path, NULL, NULL, &r);
    if (r.status != 200) {
      int rc = refused(c, &r, id);
      reply_free(&r);
      return rc;
    }
    json_t *op = json_object_get(r.json, "operation");
    if (!strcmp(str_of(json_object_get(r.json, "status"), "id"), "COMPLETED")) {
      json_t *cause = json_object_get(op, "failure-cause");
      int rc = 0;
      if (cause) {
        fprintf(stderr, "sluice: savepoint of job %s failed: %s\n", id, str_of(cause, "stack-trace"));
        rc = EXIT_REFUSED;
      } else {
        printf("Savepoint completed. Path: %s\n", str_of(op, "location"));
      }
      reply_free(&r);
      return rc;
    }
    reply_free(&r);
    sleep_ms(delay);
  }
}

int client_main(int argc, char **argv) {
  client c = {.server = getenv("SLUICE_SERVER")};
  if (!c.server || !*c.server) c.server = "http://127.0.0.1:8081";
  const char *token_file = getenv("SLUICE_TOKEN_FILE");
  /* --server URL and --token-file F may come anywhere after the command; the rest is the
   * command's own. */
  char **rest = calloc((size_t)argc + 1, sizeof(char *));
  int n = 0;
  for (int i = 0; i < argc; i++) {
    if (i > 0 && !strcmp(argv[i], "--server") && i + 1 < argc) c.server = argv[++i];
    else if (i > 0 && !strncmp(argv[i], "--server=", 9)) c.server = argv[i] + 9;
    else if (i > 0 && !strcmp(argv[i], "--token-file") && i + 1 < argc) token_file = argv[++i];
    else rest[n++] = argv[i];
  }
  char server[1024];
  snprintf(server, sizeof server, "%s", c.server);
  for (size_t l = strlen(server); l > 0 && server[l - 1] == '/'; l--) server[l - 1] = 0;
  c.server = server;
  if (token_file && !(c.token = cli_read_token(token_file))) {
    fprintf(stderr, "sluice: cannot read the token file '%s': %s\n", token_file, strerror(errno));
    free(rest);
    return EXIT_USAGE;
  }
  curl_global_init(CURL_GLOBAL_DEFAULT);
  c.curl = curl_easy_init();
  int rc;
  const char *cmd = rest[0];
  if (!strcmp(cmd, "submit")) rc = cmd_submit(&c, n, rest);
  else if (!strcmp(cmd, "list")) rc = cmd_list(&c, n, rest);
  else if (!strcmp(cmd, "status")) rc = cmd_status(&c, n, rest);
  else if (!strcmp(cmd, "cancel")) rc = cmd_cancel(&c, n, rest);
  else if (!strcmp(cmd, "savepoint")) rc = cmd_savepoint(&c, n, rest);
  else {
    fprintf(stderr, "sluice: unknown command '%s'\n", cmd);
    rc = EXIT_USAGE;
  }
  curl_easy_cleanup(c.curl);
  curl_global_cleanup();
  free(c.token);
  free(rest);
  return rc;
}
