/* http_server.c - a small HTTP/1.1 server on a libuv loop: http-parser's callbacks collect each
 * request; the connection then stops reading until the handler answers, so a handler that waits
 * (for room in a queue) holds its client back through TCP itself. Requests on a keep-alive
 * connection are answered in order; a malformed one gets 400 and the connection is closed. */
#include "http_server.h"

#include <http_parser.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_URL 8192

struct http_server {
  uv_tcp_t tcp;
  size_t max_body;
  http_request_cb cb;
  void *data;
  http_conn *conns;      /* open connections */
  int open;              /* handles not yet closed (the listener and the connections) */
  bool closing;
};

typedef struct buf {
  char *data;
  size_t len, cap;
} buf;

struct http_conn {
  uv_tcp_t tcp;
  http_server *srv;
  http_conn *prev, *next;
  http_parser parser;
  buf in;                /* bytes read, not yet parsed from in_off on */
  size_t in_off;
  buf url, body;
  char *path;
  bool too_large;        /* the body is over the limit: 413 */
  bool complete;         /* a whole request was parsed */
  bool keep_alive;
  bool busy;             /* the handler has the request and has not answered */
  bool dead;             /* a write failed while busy: close at the answer */
  bool closing;
  bool close_after_writes;
  bool reading;          /* uv_read_start is in force */
  bool in_feed;          /* feed is on the stack: an answer from the handler returns to it */
  int writes;            /* writes in flight */
};

typedef struct write_req {
  uv_write_t req;
  http_conn *c;
  char data[];
} write_req;

static void buf_add(buf *b, const char *p, size_t n) {
  if (b->len + n + 1 > b->cap) {
    size_t cap = b->cap ? b->cap : 256;
    while (cap < b->len + n + 1) cap *= 2;
    char *d = realloc(b->data, cap);
    if (!d) abort();
    b->data = d;
    b->cap = cap;
  }
  memcpy(b->data + b->len, p, n);
  b->len += n;
  b->data[b->len] = 0;
}

static const char *reason(int status) {
  switch (status) {
    case 200: return "OK";
    case 202: return "Accepted";
    case 400: return "Bad Request";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 409: return "Conflict";
    case 413: return "Payload Too Large";
    case 500: return "Internal Server Error";
    case 503: return "Service Unavailable";
  }
  return "Unknown";
}

/* ---- Connections ------------------------------------------------------------------------------ */

static void server_handle_closed(http_server *s) {
  if (--s->open == 0) free(s);
}

static void conn_closed(uv_handle_t *h) {
  http_conn *c = h->data;
  http_server *s = c->srv;
  free(c->in.data);
  free(c->url.data);
  free(c->body.data);
  free(c->path);
  free(c);
  server_handle_closed(s);
}

static void conn_close(http_conn *c) {
  if (c->closing) return;
  c->closing = true;
  if (c->prev) c->prev->next = c->next;
  else c->srv->conns = c->next;
  if (c->next) c->next->prev = c->prev;
  uv_close((uv_handle_t *)&c->tcp, conn_closed);
}

static void on_written(uv_write_t *req, int status) {
  write_req *w = (write_req *)req;
  http_conn *c = w->c;
  free(w);
  c->writes--;
  if (c->closing) return;
  if (status < 0) {
    if (c->busy) c->dead = true; /* the handler still holds c: close when it answers */
    else conn_close(c);
    return;
  }
  if (c->close_after_writes && c->writes == 0) conn_close(c);
}

/* Queues a whole response; with close, the connection is closed once it is written. */
static void send_response(http_conn *c, int status, const char *type, const char *body, size_t len, bool close) {
  char head[256];
  int n = snprintf(head, sizeof head,
                   "HTTP/1.1 %d %s\r\nContent-Type: %s\r\nContent-Length: %zu\r\nConnection: %s\r\n\r\n", status,
                   reason(status), type, len, close ? "close" : "keep-alive");
  write_req *w = malloc(sizeof *w + (size_t)n + len);
  if (!w) abort();
  memcpy(w->data, head, (size_t)n);
  if (len) memcpy(w->data + n, body, len);
  w->c = c;
  uv_buf_t b = uv_buf_init(w->data, (unsigned)((size_t)n + len));
  if (close) c->close_after_writes = true;
  if (uv_write(&w->req, (uv_stream_t *)&c->tcp, &b, 1, on_written) < 0) {
    free(w);
    conn_close(c);
    return;
  }
  c->writes++;
}

/* Answers with an error message and closes the connection (the request could not be read). */
static void reject(http_conn *c, int status, const char *message) {
  char body[256];
  int n = snprintf(body, sizeof body, "{\"errors\": [\"%s\"]}\n", message);
  send_response(c, status, "application/json", body, (size_t)n, true);
}

/* ---- Parsing ------------------------------------------------------------------------------------ */

static int on_message_begin(http_parser *p) {
  http_conn *c = p->data;
  c->url.len = c->body.len = 0;
  c->too_large = c->complete = false;
  return 0;
}

static int on_url(http_parser *p, const char *at, size_t n) {
  http_conn *c = p->data;
  if (c->url.len + n > MAX_URL) return -1;
  buf_add(&c->url, at, n);
  return 0;
}

static int on_headers_complete(http_parser *p) {
  http_conn *c = p->data;
  if ((p->flags & F_CONTENTLENGTH) && p->content_length > c->srv->max_body) {
    c->too_large = true;
    return -1; /* stops the parser: answered 413 */
  }
  return 0;
}

static int on_body(http_parser *p, const char *at, size_t n) {
  http_conn *c = p->data;
  if (c->body.len + n > c->srv->max_body) {
    c->too_large = true;
    return -1;
  }
  buf_add(&c->body, at, n);
  return 0;
}

/* A whole request: pause the parser so that execute returns here, with any pipelined bytes left. */
static int on_message_complete(http_parser *p) {
  http_conn *c = p->data;
  c->complete = true;
  c->keep_alive = http_should_keep_alive(p) != 0;
  http_parser_pause(p, 1);
  return 0;
}

static http_parser_settings settings = {
    .on_message_begin = on_message_begin,
    .on_url = on_url,
    .on_headers_complete = on_headers_complete,
    .on_body = on_body,
    .on_message_complete = on_message_complete,
};

/* Hands the parsed request to the handler (which answers now or later). */
static void dispatch(http_conn *c) {
  struct http_parser_url u;
  http_parser_url_init(&u);
  if (http_parser_parse_url(c->url.data ? c->url.data : "", c->url.len, 0, &u) || !(u.field_set & (1 << UF_PATH))) {
    reject(c, 400, "bad request target");
    return;
  }
  free(c->path);
  c->path = strndup(c->url.data + u.field_data[UF_PATH].off, u.field_data[UF_PATH].len);
  if (!c->path) abort();
  http_request req = {.method = http_method_str((enum http_method)c->parser.method), .path = c->path,
                      .body = c->body.data ? c->body.data : "", .body_len = c->body.len};
  c->busy = true;
  c->srv->cb(c->srv->data, c, &req);
}

static void on_alloc(uv_handle_t *h, size_t hint, uv_buf_t *b) {
  http_conn *c = h->data;
  size_t want = 65536;
  if (c->in.cap < c->in.len + want + 1) {
    char *d = realloc(c->in.data, c->in.len + want + 1);
    if (!d) abort();
    c->in.data = d;
    c->in.cap = c->in.len + want + 1;
  }
  *b = uv_buf_init(c->in.data + c->in.len, (unsigned)want);
}

static void on_read(uv_stream_t *stream, ssize_t nread, const uv_buf_t *b);

/* Reads from the client exactly while it may send a request we would parse now. */
static void set_reading(http_conn *c, bool on) {
  if (c->closing || on == c->reading) return;
  if (on && uv_read_start((uv_stream_t *)&c->tcp, on_alloc, on_read) < 0) {
    conn_close(c);
    return;
  }
  if (!on) uv_read_stop((uv_stream_t *)&c->tcp);
  c->reading = on;
}

/* Parses what has been read, request by request, until a request awaits its answer. */
static void feed(http_conn *c) {
  c->in_feed = true;
  while (!c->busy && !c->closing && !c->close_after_writes && c->in_off < c->in.len) {
    size_t n = http_parser_execute(&c->parser, &settings, c->in.data + c->in_off, c->in.len - c->in_off);
    c->in_off += n;
    enum http_errno e = HTTP_PARSER_ERRNO(&c->parser);
    if (e == HPE_PAUSED) {
      http_parser_pause(&c->parser, 0);
      if (c->complete) dispatch(c);
      continue;
    }
    if (e != HPE_OK) {
      if (c->too_large) reject(c, 413, "the request body is too large");
      else reject(c, 400, "malformed HTTP request");
      break;
    }
    if (n == 0) break;
  }
  c->in_feed = false;
  if (c->in_off == c->in.len) {
    c->in.len = c->in_off = 0;
  } else if (c->in_off > 0) {
    memmove(c->in.data, c->in.data + c->in_off, c->in.len - c->in_off);
    c->in.len -= c->in_off;
    c->in_off = 0;
  }
  set_reading(c, !c->busy && !c->close_after_writes);
}

static void on_read(uv_stream_t *stream, ssize_t nread, const uv_buf_t *b) {
  http_conn *c = stream->data;
  if (nread < 0) {
    /* The client is gone or half-closed: finish the answers in flight, then close. */
    set_reading(c, false);
    if (c->writes) c->close_after_writes = true;
    else conn_close(c);
    return;
  }
  c->in.len += (size_t)nread;
  feed(c);
}

void http_conn_respond(http_conn *c, int status, const char *content_type, const char *body, size_t len) {
  c->busy = false;
  if (c->dead || c->closing) {
    conn_close(c);
    return;
  }
  send_response(c, status, content_type, body, len, !c->keep_alive);
  if (!c->in_feed) feed(c); /* else the feed on the stack goes on with the next request */
}

/* ---- The listener -------------------------------------------------------------------------- */

static void on_connection(uv_stream_t *server, int status) {
  http_server *s = server->data;
  if (status < 0 || s->closing) return;
  http_conn *c = calloc(1, sizeof *c);
  if (!c) abort();
  c->srv = s;
  uv_tcp_init(server->loop, &c->tcp);
  c->tcp.data = c;
  s->open++;
  c->next = s->conns;
  if (s->conns) s->conns->prev = c;
  s->conns = c;
  if (uv_accept(server, (uv_stream_t *)&c->tcp) < 0) {
    conn_close(c);
    return;
  }
  http_parser_init(&c->parser, HTTP_REQUEST);
  c->parser.data = c;
  uv_tcp_nodelay(&c->tcp, 1);
  set_reading(c, true);
}

static void listener_closed(uv_handle_t *h) { server_handle_closed(h->data); }

int http_server_start(uv_loop_t *loop, const char *host, int port, size_t max_body, http_request_cb cb, void *data,
                      http_server **out, char *bound, size_t cap) {
  struct sockaddr_storage addr;
  int rc = strchr(host, ':') ? uv_ip6_addr(host, port, (struct sockaddr_in6 *)&addr)
                             : uv_ip4_addr(host, port, (struct sockaddr_in *)&addr);
  if (rc) return rc;
  http_server *s = calloc(1, sizeof *s);
  if (!s) abort();
  s->max_body = max_body;
  s->cb = cb;
  s->data = data;
  uv_tcp_init(loop, &s->tcp);
  s->tcp.data = s;
  s->open = 1;
  rc = uv_tcp_bind(&s->tcp, (const struct sockaddr *)&addr, 0);
  if (!rc) rc = uv_listen((uv_stream_t *)&s->tcp, 128, on_connection);
  struct sockaddr_storage name;
  int namelen = sizeof name;
  if (!rc) rc = uv_tcp_getsockname(&s->tcp, (struct sockaddr *)&name, &namelen);
  if (rc) {
    uv_close((uv_handle_t *)&s->tcp, listener_closed);
    return rc;
  }
  char ip[64];
  if (name.ss_family == AF_INET6) {
    uv_ip6_name((struct sockaddr_in6 *)&name, ip, sizeof ip);
    snprintf(bound, cap, "[%s]:%d", ip, ntohs(((struct sockaddr_in6 *)&name)->sin6_port));
  } else {
    uv_ip4_name((struct sockaddr_in *)&name, ip, sizeof ip);
    snprintf(bound, cap, "%s:%d", ip, ntohs(((struct sockaddr_in *)&name)->sin_port));
  }
  *out = s;
  return 0;
}

void http_server_close(http_server *s) {
  if (!s || s->closing) return;
  s->closing = true;
  while (s->conns) conn_close(s->conns);
  uv_close((uv_handle_t *)&s->tcp, listener_closed);
}
