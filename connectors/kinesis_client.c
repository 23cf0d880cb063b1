/* kinesis_client.c - Kinesis JSON API calls: libcurl multi driven by a libuv loop (uv_poll per
 * socket, one uv_timer for libcurl's timeouts, one per call for backoff), or blocking. */
#include <errno.h>
#include <stdbool.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "../engine/arena.h"
#include "kinesis_client.h"

#define BACKOFF_BASE_MS 100
#define BACKOFF_CAP_MS 5000
#define CONNECT_TIMEOUT_MS 5000
#define REQUEST_TIMEOUT_MS 60000

typedef struct kin_sock kin_sock;
typedef struct kin_call kin_call;

struct sl_kin_client {
  char *region, *endpoint, *what;
  sl_aws_creds creds;
  FILE *log;
  uv_loop_t *loop;        /* NULL until attached */
  CURLM *multi;
  uv_timer_t timer;       /* libcurl's timeout */
  kin_call *calls;        /* in flight or backing off */
  kin_sock *socks;
  CURL *sync_h;           /* blocking calls */
  uint64_t rng;
  int64_t throttled;      /* throttled answers so far (logged) */
  char sync_type[96];
};

struct kin_sock {
  uv_poll_t poll;
  curl_socket_t fd;
  sl_kin_client *c;
  kin_sock *next;
};

struct kin_call {
  sl_kin_client *c;
  CURL *h;
  struct curl_slist *hdrs;
  char op[48];
  sl_buf body, resp;
  int attempt;            /* failed attempts so far (throttling not counted) */
  int throttles;          /* throttled answers in a row */
  sl_kin_done_fn done;
  void *arg;
  uv_timer_t backoff;
  kin_call *next;
  char errbuf[CURL_ERROR_SIZE];
};

/* ---------------------------------------------------------------------------------------------
 * What an answer means. */

typedef enum { KIN_OK, KIN_THROTTLED, KIN_RETRY, KIN_FAIL } kin_verdict;

/* Reads an error answer's type (the part after '#' of "__type") and message into type/msg. */
static void error_of(const char *body, size_t len, char *type, size_t tcap, char *msg, size_t mcap) {
  type[0] = msg[0] = 0;
  json_t *j = json_loadb(body, len, 0, NULL);
  if (!json_is_object(j)) {
    json_decref(j);
    return;
  }
  const char *t = json_string_value(json_object_get(j, "__type"));
  const char *m = json_string_value(json_object_get(j, "message"));
  if (!m) m = json_string_value(json_object_get(j, "Message"));
  if (t) {
    const char *hash = strrchr(t, '#');
    snprintf(type, tcap, "%s", hash ? hash + 1 : t);
  }
  if (m) snprintf(msg, mcap, "%s", m);
  json_decref(j);
}

static kin_verdict judge(CURLcode cc, long status, const char *type) {
  if (cc != CURLE_OK) return sl_aws_transport_retryable(cc) ? KIN_RETRY : KIN_FAIL;
  if (status >= 200 && status < 300) return KIN_OK;
  if (!strcmp(type, "ProvisionedThroughputExceededException") || !strcmp(type, "LimitExceededException") ||
      !strcmp(type, "ThrottlingException") || status == 429)
    return KIN_THROTTLED;
  if (status >= 500 || !strcmp(type, "InternalFailure") || !strcmp(type, "ServiceUnavailable")) return KIN_RETRY;
  return KIN_FAIL;
}

/* A random delay in [0, min(cap, base * 2^(n-1))] ms: exponential backoff with full jitter. */
static uint64_t backoff_ms(sl_kin_client *c, int n) {
  uint64_t cap = BACKOFF_BASE_MS;
  for (int i = 1; i < n && cap < BACKOFF_CAP_MS; i++) cap <<= 1;
  if (cap > BACKOFF_CAP_MS) cap = BACKOFF_CAP_MS;
  c->rng ^= c->rng << 13;
  c->rng ^= c->rng >> 7;
  c->rng ^= c->rng << 17;
  return c->rng % (cap + 1);
}

/* Logs throttling at its 1st, 2nd, 4th, 8th, ... occurrence: visible, never a flood. */
static void note_throttled(sl_kin_client *c, const char *op, const char *type, uint64_t delay) {
  c->throttled++;
  if (c->log && !(c->throttled & (c->throttled - 1)))
    fprintf(c->log, "sluice: kinesis (%s): %s throttled (%s), backing off %llu ms; %lld throttled answers so far\n",
            c->what, op, type[0] ? type : "HTTP 429", (unsigned long long)delay, (long long)c->throttled);
}

static void describe_failure(char *out, size_t cap, CURLcode cc, const char *errbuf, long status, const char *type,
                             const char *msg) {
  if (cc != CURLE_OK) snprintf(out, cap, "%s", errbuf[0] ? errbuf : curl_easy_strerror(cc));
  else snprintf(out, cap, "HTTP %ld%s%s%s%s", status, type[0] ? " " : "", type, msg[0] ? ": " : "", msg);
}

/* ---------------------------------------------------------------------------------------------
 * Requests. */

static size_t write_cb(char *p, size_t size, size_t n, void *ud) {
  sl_buf_add(ud, p, size * n);
  return size * n;
}

/* Sizes the answer's buffer from Content-Length once (a GetRecords answer may be megabytes). */
static size_t header_cb(char *p, size_t size, size_t n, void *ud) {
  size_t len = size * n;
  if (len > 15 && !strncasecmp(p, "content-length:", 15)) {
    long long v = atoll(p + 15);
    if (v > 0 && v < (1ll << 30)) sl_buf_reserve(ud, (size_t)v + 1);
  }
  return len;
}

/* Sets up h to POST body as op, collecting the answer into resp. */
static int prepare(sl_kin_client *c, CURL *h, struct curl_slist **hdrs, const char *op, const sl_buf *body,
                   sl_buf *resp, char *errbuf, sl_err *err) {
  curl_easy_reset(h);
  char target[96];
  snprintf(target, sizeof target, "X-Amz-Target: Kinesis_20131202.%s", op);
  *hdrs = curl_slist_append(NULL, "Content-Type: application/x-amz-json-1.1");
  *hdrs = curl_slist_append(*hdrs, target);
  *hdrs = curl_slist_append(*hdrs, "Expect:");
  int rc = sl_aws_curl_sign(h, "kinesis", c->region, &c->creds, hdrs, err);
  if (rc) return rc;
  errbuf[0] = 0;
  sl_buf_reset(resp);
  curl_easy_setopt(h, CURLOPT_URL, c->endpoint);
  curl_easy_setopt(h, CURLOPT_HTTPHEADER, *hdrs);
  curl_easy_setopt(h, CURLOPT_POST, 1L);
  curl_easy_setopt(h, CURLOPT_POSTFIELDS, body->data ? body->data : "");
  curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)body->len);
  curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, (long)CONNECT_TIMEOUT_MS);
  curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, (long)REQUEST_TIMEOUT_MS);
  curl_easy_setopt(h, CURLOPT_TCP_KEEPALIVE, 1L);
  curl_easy_setopt(h, CURLOPT_ERRORBUFFER, errbuf);
  curl_easy_setopt(h, CURLOPT_USERAGENT, "sluice");
  curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, write_cb);
  curl_easy_setopt(h, CURLOPT_WRITEDATA, resp);
  curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, header_cb);
  curl_easy_setopt(h, CURLOPT_HEADERDATA, resp);
  return 0;
}

static void free_call_cb(uv_handle_t *h) {
  kin_call *k = h->data;
  sl_buf_destroy(&k->body);
  sl_buf_destroy(&k->resp);
  free(k);
}

/* Unlinks k, frees its curl handle and closes its timer (which frees it). */
static void drop_call(kin_call *k) {
  sl_kin_client *c = k->c;
  for (kin_call **p = &c->calls; *p; p = &(*p)->next)
    if (*p == k) {
      *p = k->next;
      break;
    }
  if (k->h) {
    curl_multi_remove_handle(c->multi, k->h);
    curl_easy_cleanup(k->h);
    k->h = NULL;
  }
  curl_slist_free_all(k->hdrs);
  k->hdrs = NULL;
  uv_close((uv_handle_t *)&k->backoff, free_call_cb);
}

static void finish_call(kin_call *k, long status, const char *type, const char *message) {
  if (k->resp.data == NULL) sl_buf_adds(&k->resp, "");
  sl_kin_result r = {.status = status, .body = k->resp.data, .len = k->resp.len, .error_type = type, .message = message,
                     .buf = &k->resp};
  sl_kin_done_fn done = k->done;
  void *arg = k->arg;
  k->done = NULL;
  done(arg, &r);
  drop_call(k);
}

static void start_attempt(kin_call *k) {
  sl_err err;
  sl_err_clear(&err);
  curl_slist_free_all(k->hdrs);
  k->hdrs = NULL;
  if (prepare(k->c, k->h, &k->hdrs, k->op, &k->body, &k->resp, k->errbuf, &err) ||
      curl_easy_setopt(k->h, CURLOPT_PRIVATE, k) != CURLE_OK || curl_multi_add_handle(k->c->multi, k->h) != CURLM_OK)
    finish_call(k, 0, "transport", err.msg[0] ? err.msg : "cannot start a request");
}

static void on_backoff(uv_timer_t *t) { start_attempt(t->data); }

/* A finished transfer: done, or retried after a backoff. */
static void transfer_done(kin_call *k, CURLcode cc) {
  sl_kin_client *c = k->c;
  curl_multi_remove_handle(c->multi, k->h);
  long status = 0;
  curl_easy_getinfo(k->h, CURLINFO_RESPONSE_CODE, &status);
  char type[96] = "", msg[256] = "";
  if (cc == CURLE_OK && (status < 200 || status >= 300)) error_of(k->resp.data, k->resp.len, type, sizeof type, msg, sizeof msg);
  kin_verdict v = judge(cc, status, type);
  if (v == KIN_OK) return finish_call(k, status, "", "");
  uint64_t delay = 0;
  if (v == KIN_THROTTLED) {
    delay = backoff_ms(c, ++k->throttles);
    note_throttled(c, k->op, type, delay);
  } else if (v == KIN_RETRY && ++k->attempt < SL_KIN_MAX_ATTEMPTS) {
    k->throttles = 0;
    delay = backoff_ms(c, k->attempt);
  } else {
    char why[512];
    describe_failure(why, sizeof why, cc, k->errbuf, status, type, msg);
    if (v == KIN_RETRY) {
      size_t n = strlen(why);
      snprintf(why + n, sizeof why - n, " (gave up after %d attempts)", k->attempt);
    }
    return finish_call(k, cc == CURLE_OK ? status : 0, cc == CURLE_OK ? type : "transport", why);
  }
  uv_timer_start(&k->backoff, on_backoff, delay, 0);
}

static void check_done(sl_kin_client *c) {
  CURLMsg *m;
  int left;
  while ((m = curl_multi_info_read(c->multi, &left))) {
    if (m->msg != CURLMSG_DONE) continue;
    kin_call *k = NULL;
    curl_easy_getinfo(m->easy_handle, CURLINFO_PRIVATE, (char **)&k);
    CURLcode cc = m->data.result;
    if (k) transfer_done(k, cc);
  }
}

void sl_kin_call(sl_kin_client *c, const char *op, const char *body, size_t len, sl_kin_done_fn done, void *arg) {
  kin_call *k = sl_calloc(1, sizeof *k);
  k->c = c;
  snprintf(k->op, sizeof k->op, "%s", op);
  sl_buf_init(&k->body);
  sl_buf_init(&k->resp);
  sl_buf_add(&k->body, body, len);
  k->done = done;
  k->arg = arg;
  k->h = curl_easy_init();
  if (!k->h) abort();
  uv_timer_init(c->loop, &k->backoff);
  k->backoff.data = k;
  k->next = c->calls;
  c->calls = k;
  start_attempt(k);
}

/* ---------------------------------------------------------------------------------------------
 * libcurl multi on libuv. */

static void on_poll(uv_poll_t *p, int status, int events) {
  kin_sock *s = p->data;
  int flags = 0;
  if (status < 0) flags |= CURL_CSELECT_ERR;
  if (events & UV_READABLE) flags |= CURL_CSELECT_IN;
  if (events & UV_WRITABLE) flags |= CURL_CSELECT_OUT;
  sl_kin_client *c = s->c;
  int running;
  curl_multi_socket_action(c->multi, s->fd, flags, &running);
  check_done(c);
}

static void free_sock_cb(uv_handle_t *h) { free(h->data); }

static void close_sock(sl_kin_client *c, kin_sock *s) {
  for (kin_sock **p = &c->socks; *p; p = &(*p)->next)
    if (*p == s) {
      *p = s->next;
      break;
    }
  uv_poll_stop(&s->poll);
  uv_close((uv_handle_t *)&s->poll, free_sock_cb);
}

static int on_socket(CURL *e, curl_socket_t fd, int what, void *userp, void *socketp) {
  sl_kin_client *c = userp;
  kin_sock *s = socketp;
  if (what == CURL_POLL_REMOVE) {
    if (s) {
      curl_multi_assign(c->multi, fd, NULL);
      close_sock(c, s);
    }
    return 0;
  }
  if (!s) {
    /* A socket libcurl closed without telling us may have left a watcher on a reused fd. */
    for (kin_sock *o = c->socks; o; o = o->next)
      if (o->fd == fd) {
        close_sock(c, o);
        break;
      }
    s = sl_calloc(1, sizeof *s);
    s->fd = fd;
    s->c = c;
    if (uv_poll_init_socket(c->loop, &s->poll, fd) != 0) {
      free(s);
      return -1;
    }
    s->poll.data = s;
    s->next = c->socks;
    c->socks = s;
    curl_multi_assign(c->multi, fd, s);
  }
  int ev = 0;
  if (what & CURL_POLL_IN) ev |= UV_READABLE;
  if (what & CURL_POLL_OUT) ev |= UV_WRITABLE;
  uv_poll_start(&s->poll, ev, on_poll);
  return 0;
}

static void on_timeout(uv_timer_t *t) {
  sl_kin_client *c = t->data;
  int running;
  curl_multi_socket_action(c->multi, CURL_SOCKET_TIMEOUT, 0, &running);
  check_done(c);
}

static int on_timer_change(CURLM *m, long ms, void *userp) {
  sl_kin_client *c = userp;
  if (ms < 0) uv_timer_stop(&c->timer);
  else uv_timer_start(&c->timer, on_timeout, (uint64_t)ms, 0);
  return 0;
}

int sl_kin_client_attach(sl_kin_client *c, uv_loop_t *loop, sl_err *err) {
  c->multi = curl_multi_init();
  if (!c->multi) return sl_err_set(err, SL_EIO, SL_ERR_NOLOC, "%s: cannot start libcurl", c->what);
  c->loop = loop;
  uv_timer_init(loop, &c->timer);
  c->timer.data = c;
  curl_multi_setopt(c->multi, CURLMOPT_SOCKETFUNCTION, on_socket);
  curl_multi_setopt(c->multi, CURLMOPT_SOCKETDATA, c);
  curl_multi_setopt(c->multi, CURLMOPT_TIMERFUNCTION, on_timer_change);
  curl_multi_setopt(c->multi, CURLMOPT_TIMERDATA, c);
  return 0;
}

void sl_kin_client_detach(sl_kin_client *c) {
  if (!c->loop) return;
  while (c->calls) drop_call(c->calls);
  curl_multi_cleanup(c->multi);
  c->multi = NULL;
  while (c->socks) close_sock(c, c->socks);
  uv_timer_stop(&c->timer);
  uv_close((uv_handle_t *)&c->timer, NULL);
  c->loop = NULL;
}

/* ---------------------------------------------------------------------------------------------
 * Blocking calls. */

static void sleep_ms(uint64_t ms) {
  struct timespec ts = {(time_t)(ms / 1000), (long)(ms % 1000) * 1000000L};
  while (nanosleep(&ts, &ts) != 0 && errno == EINTR) {
  }
}

int sl_kin_call_sync(sl_kin_client *c, const char *op, const char *body, size_t len, sl_buf *out,
                     const char **type_out, sl_err *err) {
  sl_buf b = {.data = (char *)body, .len = len, .cap = len};
  char errbuf[CURL_ERROR_SIZE];
  c->sync_type[0] = 0;
  if (type_out) *type_out = c->sync_type;
  for (int attempt = 0, throttles = 0;;) {
    struct curl_slist *hdrs = NULL;
    int rc = prepare(c, c->sync_h, &hdrs, op, &b, out, errbuf, err);
    if (rc) {
      curl_slist_free_all(hdrs);
      return rc;
    }
    CURLcode cc = curl_easy_perform(c->sync_h);
    curl_slist_free_all(hdrs);
    long status = 0;
    curl_easy_getinfo(c->sync_h, CURLINFO_RESPONSE_CODE, &status);
    char msg[256] = "";
    c->sync_type[0] = 0;
    if (cc == CURLE_OK && (status < 200 || status >= 300))
      error_of(out->data, out->len, c->sync_type, sizeof c->sync_type, msg, sizeof msg);
    kin_verdict v = judge(cc, status, c->sync_type);
    if (v == KIN_OK) {
      if (!out->data) sl_buf_adds(out, "");
      return 0;
    }
    if (v == KIN_THROTTLED) {
      uint64_t d = backoff_ms(c, ++throttles);
      note_throttled(c, op, c->sync_type, d);
      sleep_ms(d);
      continue;
    }
    if (v == KIN_RETRY && ++attempt < SL_KIN_MAX_ATTEMPTS) {
      throttles = 0;
      sleep_ms(backoff_ms(c, attempt));
      continue;
    }
    char why[512];
    describe_failure(why, sizeof why, cc, errbuf, status, c->sync_type, msg);
    if (cc != CURLE_OK) snprintf(c->sync_type, sizeof c->sync_type, "transport");
    return sl_err_set(err, SL_EIO, SL_ERR_NOLOC, "%s: Kinesis %s at %s failed: %s%s", c->what, op, c->endpoint, why,
                      v == KIN_RETRY ? " (gave up after retries)" : "");
  }
}

/* ---------------------------------------------------------------------------------------------
 * The client. */

int sl_kin_client_new(const sl_aws_settings *aws, const char *endpoint, const char *what, FILE *log,
                      sl_kin_client **out, sl_err *err) {
  sl_aws_curl_global_init();
  sl_kin_client *c = sl_calloc(1, sizeof *c);
  int rc = sl_aws_creds_resolve(aws, &c->creds, err);
  if (rc) {
    sl_err e = *err;
    sl_err_clear(err);
    sl_err_set(err, rc, e.loc, "%s: %s", what, e.msg);
    if (e.hint[0]) sl_err_hint(err, "%s", e.hint);
    free(c);
    return rc;
  }
  c->region = sl_aws_region_resolve(aws);
  c->endpoint = sl_aws_endpoint("kinesis", c->region, endpoint);
  c->what = sl_strdup(what);
  c->log = log;
  c->rng = (uint64_t)time(NULL) * 0x9E3779B97F4A7C15ull ^ (uint64_t)(uintptr_t)c;
  if (!c->rng) c->rng = 1;
  c->sync_h = curl_easy_init();
  if (!c->sync_h) abort();
  *out = c;
  return 0;
}

void sl_kin_client_free(sl_kin_client *c) {
  if (!c) return;
  sl_kin_client_detach(c);
  if (c->sync_h) curl_easy_cleanup(c->sync_h);
  sl_aws_creds_destroy(&c->creds);
  free(c->region);
  free(c->endpoint);
  free(c->what);
  free(c);
}


void sl_kin_json_string(sl_buf *b, const char *s) {
  sl_buf_addc(b, '"');
  for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
    if (*p == '"' || *p == '\\') {
      sl_buf_addc(b, '\\');
      sl_buf_addc(b, (char)*p);
    } else if (*p < 0x20) {
      sl_buf_printf(b, "\\u%04x", *p);
    } else {
      sl_buf_addc(b, (char)*p);
    }
  }
  sl_buf_addc(b, '"');
}
