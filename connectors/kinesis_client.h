/* kinesis_client.h - the Kinesis Data Streams JSON API (1.1) over libcurl, signed with SigV4.
 *
 * Two ways to call: asynchronously on a libuv loop (libcurl multi; what the source does, so that
 * one thread reads every shard), and blocking (set-up calls and the sink). Both retry what is
 * worth retrying, with exponential backoff and full jitter: throttling
 * (ProvisionedThroughputExceededException, LimitExceededException, ThrottlingException) without
 * limit, server errors and transport failures up to SL_KIN_MAX_ATTEMPTS. Throttling is counted and
 * logged. Any other error answer goes to the caller, with its type (ExpiredIteratorException, ...). */
#ifndef SL_KINESIS_CLIENT_H
#define SL_KINESIS_CLIENT_H

#include <stdint.h>
#include <stdio.h>
#include <uv.h>

#include "../engine/buf.h"
#include "../engine/err.h"
#include "../state/aws_auth.h"

#define SL_KIN_MAX_ATTEMPTS 8

typedef struct sl_kin_client sl_kin_client;

/* The outcome of one call, after retries. */
typedef struct sl_kin_result {
  long status;             /* HTTP status; 0 when the request never got an answer */
  const char *body;        /* the answer (JSON), NUL-terminated; valid during the callback */
  size_t len;
  const char *error_type;  /* "" on success, else the error's short type name
                              ("ExpiredIteratorException", "ResourceNotFoundException",
                              "transport" for a request without an answer) */
  const char *message;     /* a readable description of the failure ("" on success) */
  sl_buf *buf;             /* the buffer holding body: the callback may keep it by swapping an
                              initialized sl_buf in (then body is no longer valid) */
} sl_kin_result;

typedef void (*sl_kin_done_fn)(void *arg, const sl_kin_result *r);

/* Resolves credentials, region and endpoint (aws_auth.h's order; endpoint: explicit, else
 * AWS_ENDPOINT_URL_KINESIS, else AWS_ENDPOINT_URL, else AWS). what names the user of the client
 * in messages ("table 'transactions'"). log gets throttling and retry notices (may be NULL). */
int sl_kin_client_new(const sl_aws_settings *aws, const char *endpoint, const char *what, FILE *log,
                      sl_kin_client **out, sl_err *err);
/* Frees the client. Asynchronous mode: sl_kin_client_detach first, and the loop must have run
 * its close callbacks. */
void sl_kin_client_free(sl_kin_client *c);

/* Asynchronous mode: calls run on loop from now on. */
int sl_kin_client_attach(sl_kin_client *c, uv_loop_t *loop, sl_err *err);
/* Cancels every call in flight (their callbacks are not called) and closes the loop handles. */
void sl_kin_client_detach(sl_kin_client *c);

/* Starts op ("GetRecords", ...) with a JSON body (copied). done runs on the loop once, with the
 * answer or the final failure. Attached clients only. */
void sl_kin_call(sl_kin_client *c, const char *op, const char *body, size_t len, sl_kin_done_fn done, void *arg);

/* The same, blocking: the answer goes to out. Errors are SL_EIO naming op and what, with the
 * error type available in *type when not NULL (static storage of the client, until the next call). */
int sl_kin_call_sync(sl_kin_client *c, const char *op, const char *body, size_t len, sl_buf *out,
                     const char **type, sl_err *err);

/* A JSON string literal of s (quotes and escapes), appended to b. */
void sl_kin_json_string(sl_buf *b, const char *s);

#endif
