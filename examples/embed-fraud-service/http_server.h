/* http_server.h - a small HTTP/1.1 server on a libuv loop (http-parser does the parsing): one
 * request at a time per connection, answered now or later. */
#ifndef EFS_HTTP_SERVER_H
#define EFS_HTTP_SERVER_H

#include <stddef.h>
#include <uv.h>

typedef struct http_server http_server;
typedef struct http_conn http_conn;

/* A complete request. Its strings belong to the connection and stay valid until the answer. */
typedef struct http_request {
  const char *method;    /* "GET", "POST", ... */
  const char *path;      /* the URL's path, NUL-terminated, without the query */
  const char *body;      /* body_len bytes (not NUL-terminated) */
  size_t body_len;
} http_request;

/* Called for each request. The connection reads nothing more until http_conn_respond: a handler
 * that cannot answer yet keeps c and answers later, which holds the client back meanwhile. */
typedef void (*http_request_cb)(void *data, http_conn *c, const http_request *req);

/* Listens on host:port (port 0: any free one) and serves requests of at most max_body bytes of
 * body (larger: 413). *bound gets "HOST:PORT" as bound. Returns 0 or a negative libuv error; the
 * server is freed by http_server_close. */
int http_server_start(uv_loop_t *loop, const char *host, int port, size_t max_body, http_request_cb cb, void *data,
                      http_server **out, char *bound, size_t cap);

/* Answers the connection's current request with a JSON (or other content_type) body, which is
 * copied, and goes on reading the connection's next request. */
void http_conn_respond(http_conn *c, int status, const char *content_type, const char *body, size_t len);

/* Stops listening and closes every connection (a request awaiting its answer is dropped); the
 * server is freed once its handles have closed on the loop. */
void http_server_close(http_server *s);

#endif
