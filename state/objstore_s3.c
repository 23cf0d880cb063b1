/* objstore_s3.c - the s3:// object store: S3's REST API (PUT, GET, DELETE, ListObjectsV2 and
 * multipart upload) over one reused libcurl easy handle, signed by libcurl's SigV4.
 *
 * Every request goes through s3_do(), which retries throttling, server errors and transport
 * failures: up to 5 attempts, exponential backoff with full jitter (100 ms base, 2 s cap).
 * libcurl 7.88 signs the query string exactly as sent, so queries are always built in canonical
 * form here (sorted names, RFC 3986 encoding, "name=" for empty values). Payloads are sent as
 * UNSIGNED-PAYLOAD, so bodies stream from memory or a file without hashing them first.
 * The few XML elements needed (Key, Size, IsTruncated, NextContinuationToken, UploadId, Code,
 * Message) are picked out by hand. Multipart uploads are offered step by step as well (begin,
 * part, complete, abort), for the filesystem sink, which completes an upload only once the
 * checkpoint covering it has completed. */
#include <curl/curl.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "../engine/arena.h"
#include "aws_auth.h"
#include "objstore_impl.h"

#define MAX_ATTEMPTS 5
#define BACKOFF_BASE_MS 100
#define BACKOFF_CAP_MS 2000
#define CONNECT_TIMEOUT_MS 5000
#define LOW_SPEED_TIME_S 30 /* a transfer slower than 1 byte/s for this long has stalled */
#define MULTIPART_THRESHOLD ((int64_t)16 << 20)
#define PART_SIZE ((int64_t)8 << 20)
#define ERRBODY_MAX 65536

typedef struct s3_store {
  const char *uri; /* the store's root URI (owned by sl_objstore), for messages */
  char *bucket;
  char *prefix; /* "" or "a/b/" */
  char *region;
  char *base; /* the bucket's URL without trailing '/': "http://h:p/bucket" or "https://bucket.h" */
  int path_style;
  sl_aws_creds creds;
  CURL *h; /* reused for keep-alive */
  int max_keys;
  uint64_t rng;
  char errbuf[CURL_ERROR_SIZE];
} s3_store;

static s3_store *sst(sl_objstore *s) { return s->impl; }

/* ---------------------------------------------------------------------------------------------
 * Encoding and the little XML we read. */

/* RFC 3986 percent-encoding as SigV4 wants it (upper-case hex); '/' kept when keep_slash. */
static void uri_encode(sl_buf *b, const char *s, int keep_slash) {
  static const char hex[] = "0123456789ABCDEF";
  for (const unsigned char *c = (const unsigned char *)s; *c; c++) {
    if ((*c >= 'A' && *c <= 'Z') || (*c >= 'a' && *c <= 'z') || (*c >= '0' && *c <= '9') || *c == '-' ||
        *c == '.' || *c == '_' || *c == '~' || (keep_slash && *c == '/')) {
      sl_buf_addc(b, (char)*c);
    } else {
      char e[3] = {'%', hex[*c >> 4], hex[*c & 15]};
      sl_buf_add(b, e, 3);
    }
  }
}

static void put_utf8(sl_buf *b, unsigned long cp) {
  if (cp < 0x80) {
    sl_buf_addc(b, (char)cp);
  } else if (cp < 0x800) {
    sl_buf_addc(b, (char)(0xC0 | (cp >> 6)));
    sl_buf_addc(b, (char)(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    sl_buf_addc(b, (char)(0xE0 | (cp >> 12)));
    sl_buf_addc(b, (char)(0x80 | ((cp >> 6) & 0x3F)));
    sl_buf_addc(b, (char)(0x80 | (cp & 0x3F)));
  } else {
    sl_buf_addc(b, (char)(0xF0 | (cp >> 18)));
    sl_buf_addc(b, (char)(0x80 | ((cp >> 12) & 0x3F)));
    sl_buf_addc(b, (char)(0x80 | ((cp >> 6) & 0x3F)));
    sl_buf_addc(b, (char)(0x80 | (cp & 0x3F)));
  }
}

/* Appends the XML text [p, end) to b with entities (&amp; &lt; &gt; &quot; &apos; &#N; &#xN;)
 * decoded. */
static void xml_decode(sl_buf *b, const char *p, const char *end) {
  static const struct { const char *name; char c; } ents[] = {
      {"amp;", '&'}, {"lt;", '<'}, {"gt;", '>'}, {"quot;", '"'}, {"apos;", '\''}};
  while (p < end) {
    if (*p != '&') {
      sl_buf_addc(b, *p++);
      continue;
    }
    size_t left = (size_t)(end - p - 1);
    int done = 0;
    for (size_t i = 0; i < sizeof ents / sizeof ents[0] && !done; i++) {
      size_t n = strlen(ents[i].name);
      if (left >= n && memcmp(p + 1, ents[i].name, n) == 0) {
        sl_buf_addc(b, ents[i].c);
        p += 1 + n;
        done = 1;
      }
    }
    if (!done && left >= 3 && p[1] == '#') {
      int hexa = p[2] == 'x' || p[2] == 'X';
      const char *q = p + 2 + hexa;
      unsigned long cp = 0;
      int digits = 0;
      while (q < end && *q != ';' && digits < 8) {
        int d = (*q >= '0' && *q <= '9') ? *q - '0'
                : hexa && (*q | 32) >= 'a' && (*q | 32) <= 'f' ? (*q | 32) - 'a' + 10
                                                              : -1;
        if (d < 0) break;
        cp = cp * (hexa ? 16 : 10) + (unsigned long)d;
        digits++;
        q++;
      }
      if (digits > 0 && q < end && *q == ';' && cp <= 0x10FFFF) {
        put_utf8(b, cp);
        p = q + 1;
        done = 1;
      }
    }
    if (!done) sl_buf_addc(b, *p++); /* a stray '&': keep it */
  }
}

/* Finds the first <tag>text</tag> in [p, end); sets ts and te to the raw text. */
static int xml_find(const char *p, const char *end, const char *tag, const char **ts, const char **te) {
  char open[64], close[64];
  snprintf(open, sizeof open, "<%s>", tag);
  snprintf(close, sizeof close, "</%s>", tag);
  const char *a = memmem(p, (size_t)(end - p), open, strlen(open));
  if (a == NULL) return 0;
  a += strlen(open);
  const char *z = memmem(a, (size_t)(end - a), close, strlen(close));
  if (z == NULL) return 0;
  *ts = a;
  *te = z;
  return 1;
}

/* The decoded text of the first <tag> in [p, end) into out (reset first); 0 when absent. */
static int xml_text(const char *p, const char *end, const char *tag, sl_buf *out) {
  const char *ts, *te;
  sl_buf_reset(out);
  if (!xml_find(p, end, tag, &ts, &te)) return 0;
  xml_decode(out, ts, te);
  return 1;
}

/* ---------------------------------------------------------------------------------------------
 * One request, with retries. */

typedef struct s3_req {
  const char *op;     /* for messages: "PUT", "GET", "LIST", "DELETE", "multipart PUT" */
  const char *method; /* the HTTP method */
  const char *key;    /* store-relative key: URL and messages; NULL for the bucket itself */
  const char *name;   /* for messages when key is NULL (a list prefix) */
  const char *query;  /* canonical query string, or NULL */
  const char *content_type;
  int has_body; /* then body_len bytes from body, or from body_fd at body_off */
  const char *body;
  int body_fd;
  const char *body_path;
  off_t body_off;
  size_t body_len;
  sl_buf *out; /* a 2xx response body is appended here... */
  int out_fd;  /* ...or written to this file (rewritten on a retry); -1 when unused */
  const char *out_path;
  int missing_ok;     /* 404 NoSuchKey (or missing_code) -> SL_ENOTFOUND, quietly */
  const char *missing_code; /* the 404 code meaning "not there", when not NoSuchKey (NoSuchUpload) */
  int unsupported_ok; /* 405 / 501 (the server lacks the operation) -> SL_EUNSUPPORTED, no retry */
  int body_may_err;   /* a 200 whose body is <Error> is an error (CompleteMultipartUpload) */
  int single_attempt; /* no retries (best-effort clean-up) */
  long status;        /* out: the last HTTP status */
  char etag[256];     /* out: the ETag response header */
  int64_t content_length; /* out: the Content-Length response header (HEAD), or -1 */
} s3_req;

typedef struct xfer {
  s3_req *r;
  CURL *h;
  size_t pos;       /* bytes of the body sent */
  sl_buf errbody;   /* a non-2xx response body */
  int local_errno;  /* a local read or write failed */
  int local_write;  /* ...and it was the write of the response */
} xfer;

static size_t read_cb(char *buf, size_t size, size_t nitems, void *ud) {
  xfer *x = ud;
  s3_req *r = x->r;
  size_t n = size * nitems, left = r->body_len - x->pos;
  if (n > left) n = left;
  if (n == 0) return 0;
  if (r->body) {
    memcpy(buf, r->body + x->pos, n);
  } else {
    ssize_t got;
    do got = pread(r->body_fd, buf, n, r->body_off + (off_t)x->pos);
    while (got < 0 && errno == EINTR);
    if (got <= 0) {
      x->local_errno = got < 0 ? errno : EIO; /* EIO: the file shrank under us */
      return CURL_READFUNC_ABORT;
    }
    n = (size_t)got;
  }
  x->pos += n;
  return n;
}

static int seek_cb(void *ud, curl_off_t offset, int origin) {
  xfer *x = ud;
  if (origin != SEEK_SET || offset < 0 || (size_t)offset > x->r->body_len) return CURL_SEEKFUNC_CANTSEEK;
  x->pos = (size_t)offset;
  return CURL_SEEKFUNC_OK;
}

static size_t write_cb(char *p, size_t size, size_t nmemb, void *ud) {
  xfer *x = ud;
  size_t n = size * nmemb;
  long code = 0;
  curl_easy_getinfo(x->h, CURLINFO_RESPONSE_CODE, &code);
  if (code < 200 || code >= 300) {
    if (x->errbody.len < ERRBODY_MAX) sl_buf_add(&x->errbody, p, n);
  } else if (x->r->out) {
    sl_buf_add(x->r->out, p, n);
  } else if (x->r->out_fd >= 0) {
    for (size_t done = 0; done < n;) {
      ssize_t w = write(x->r->out_fd, p + done, n - done);
      if (w < 0 && errno == EINTR) continue;
      if (w < 0) {
        x->local_errno = errno;
        x->local_write = 1;
        return 0; /* CURLE_WRITE_ERROR */
      }
      done += (size_t)w;
    }
  }
  return n;
}

static size_t header_cb(char *p, size_t size, size_t nitems, void *ud) {
  xfer *x = ud;
  size_t n = size * nitems;
  if (n >= 5 && memcmp(p, "HTTP/", 5) == 0) { /* a new response (after 100) */
    x->r->etag[0] = 0;
    x->r->content_length = -1;
  }
  if (n > 15 && strncasecmp(p, "content-length:", 15) == 0) x->r->content_length = strtoll(p + 15, NULL, 10);
  if (n > 5 && strncasecmp(p, "etag:", 5) == 0) {
    const char *v = p + 5, *e = p + n;
    while (v < e && (*v == ' ' || *v == '\t')) v++;
    while (e > v && (e[-1] == '\r' || e[-1] == '\n' || e[-1] == ' ')) e--;
    size_t len = (size_t)(e - v) < sizeof x->r->etag - 1 ? (size_t)(e - v) : sizeof x->r->etag - 1;
    memcpy(x->r->etag, v, len);
    x->r->etag[len] = 0;
  }
  return n;
}

/* "s3://bucket/prefix/key", naming a request's object (or list prefix) in messages. */
static void object_name(sl_buf *b, s3_store *st, const s3_req *r) {
  sl_buf_printf(b, "s3://%s/%s%s", st->bucket, st->prefix, r->key ? r->key : r->name ? r->name : "");
}

static void request_url(sl_buf *b, s3_store *st, const s3_req *r) {
  sl_buf_adds(b, st->base);
  if (r->key) {
    sl_buf_addc(b, '/');
    uri_encode(b, st->prefix, 1);
    uri_encode(b, r->key, 1);
  } else if (!st->path_style) {
    sl_buf_addc(b, '/'); /* the bucket itself: "/" on its virtual host, "/bucket" path-style */
  }
  if (r->query && r->query[0]) {
    sl_buf_addc(b, '?');
    sl_buf_adds(b, r->query);
  }
}


static int code_retryable(long status, const char *code) {
  return status >= 500 || status == 429 || strcmp(code, "SlowDown") == 0 || strcmp(code, "RequestTimeout") == 0 ||
         strcmp(code, "InternalError") == 0;
}

/* Sleeps a random time in [0, min(cap, base * 2^(attempt-1))] ms: full jitter. */
static void backoff(s3_store *st, int attempt) {
  long cap = BACKOFF_BASE_MS << (attempt - 1);
  if (cap > BACKOFF_CAP_MS) cap = BACKOFF_CAP_MS;
  st->rng ^= st->rng << 13;
  st->rng ^= st->rng >> 7;
  st->rng ^= st->rng << 17;
  long ms = (long)(st->rng % (uint64_t)(cap + 1));
  struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
  while (nanosleep(&ts, &ts) != 0 && errno == EINTR) {
  }
}

/* Runs one attempt of r; returns the curl result. */
static CURLcode perform(s3_store *st, s3_req *r, const char *url, xfer *x, sl_err *err, int *sign_rc) {
  CURL *h = st->h;
  curl_easy_reset(h); /* keeps the connection cache: keep-alive survives */
  struct curl_slist *hdrs = curl_slist_append(NULL, "x-amz-content-sha256: UNSIGNED-PAYLOAD");
  if (r->content_type) {
    char ct[128];
    snprintf(ct, sizeof ct, "Content-Type: %s", r->content_type);
    hdrs = curl_slist_append(hdrs, ct);
  }
  *sign_rc = sl_aws_curl_sign(h, "s3", st->region, &st->creds, &hdrs, err);
  if (*sign_rc != 0) {
    curl_slist_free_all(hdrs);
    return CURLE_FAILED_INIT;
  }
  st->errbuf[0] = 0;
  curl_easy_setopt(h, CURLOPT_URL, url);
  curl_easy_setopt(h, CURLOPT_HTTPHEADER, hdrs);
  curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, (long)CONNECT_TIMEOUT_MS);
  curl_easy_setopt(h, CURLOPT_LOW_SPEED_LIMIT, 1L);
  curl_easy_setopt(h, CURLOPT_LOW_SPEED_TIME, (long)LOW_SPEED_TIME_S);
  curl_easy_setopt(h, CURLOPT_TCP_KEEPALIVE, 1L);
  curl_easy_setopt(h, CURLOPT_ERRORBUFFER, st->errbuf);
  curl_easy_setopt(h, CURLOPT_USERAGENT, "sluice");
  curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, write_cb);
  curl_easy_setopt(h, CURLOPT_WRITEDATA, x);
  curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, header_cb);
  curl_easy_setopt(h, CURLOPT_HEADERDATA, x);
  if (r->has_body) {
    curl_easy_setopt(h, CURLOPT_UPLOAD, 1L);
    curl_easy_setopt(h, CURLOPT_READFUNCTION, read_cb);
    curl_easy_setopt(h, CURLOPT_READDATA, x);
    curl_easy_setopt(h, CURLOPT_SEEKFUNCTION, seek_cb);
    curl_easy_setopt(h, CURLOPT_SEEKDATA, x);
    curl_easy_setopt(h, CURLOPT_INFILESIZE_LARGE, (curl_off_t)r->body_len);
    if (strcmp(r->method, "PUT") != 0) curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, r->method);
  } else if (strcmp(r->method, "GET") == 0) {
    curl_easy_setopt(h, CURLOPT_HTTPGET, 1L);
  } else if (strcmp(r->method, "HEAD") == 0) {
    curl_easy_setopt(h, CURLOPT_NOBODY, 1L);
  } else {
    curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, r->method);
  }
  CURLcode cc = curl_easy_perform(h);
  curl_easy_setopt(h, CURLOPT_HTTPHEADER, NULL);
  curl_slist_free_all(hdrs);
  return cc;
}

/* Runs r until it succeeds, fails for good, or runs out of attempts. 0, SL_ENOTFOUND (missing_ok
 * and the object does not exist) or SL_EIO with a message naming the object. */
static int s3_do(s3_store *st, s3_req *r, sl_err *err) {
  sl_buf url;
  sl_buf_init(&url);
  request_url(&url, st, r);
  int max = r->single_attempt ? 1 : MAX_ATTEMPTS;
  size_t out_len0 = r->out ? r->out->len : 0;
  sl_buf why, code, msg;
  sl_buf_init(&why);
  sl_buf_init(&code);
  sl_buf_init(&msg);
  int rc = 0;
  for (int attempt = 1;; attempt++) {
    xfer x = {.r = r, .h = st->h};
    sl_buf_init(&x.errbody);
    r->etag[0] = 0;
    r->status = 0;
    r->content_length = -1;
    if (r->out) {
      r->out->len = out_len0;
      if (r->out->data) r->out->data[out_len0] = 0;
    }
    if (r->out_fd >= 0 && attempt > 1 && (ftruncate(r->out_fd, 0) != 0 || lseek(r->out_fd, 0, SEEK_SET) != 0)) {
      rc = sl_err_set(err, SL_EIO, SL_ERR_NOLOC, "cannot rewrite '%s': %s", r->out_path, strerror(errno));
      sl_buf_destroy(&x.errbody);
      break;
    }
    int sign_rc = 0;
    CURLcode cc = perform(st, r, url.data, &x, err, &sign_rc);
    if (sign_rc != 0) {
      rc = sign_rc;
      sl_buf_destroy(&x.errbody);
      break;
    }
    curl_easy_getinfo(st->h, CURLINFO_RESPONSE_CODE, &r->status);
    int retry = 0;
    sl_buf_reset(&why);
    sl_buf_reset(&code);
    sl_buf_reset(&msg);
    if (x.local_errno) {
      rc = sl_err_set(err, SL_EIO, SL_ERR_NOLOC, "cannot %s '%s': %s", x.local_write ? "write" : "read",
                      x.local_write ? r->out_path : r->body_path, strerror(x.local_errno));
      sl_buf_destroy(&x.errbody);
      break;
    }
    if (cc != CURLE_OK) {
      retry = sl_aws_transport_retryable(cc);
      sl_buf_adds(&why, st->errbuf[0] ? st->errbuf : curl_easy_strerror(cc)); /* errbuf is the more specific */
    } else {
      /* An error body: a non-2xx, or a 200 that carries <Error> (CompleteMultipartUpload). */
      const char *eb = NULL, *ee = NULL;
      if (r->status < 200 || r->status >= 300) {
        eb = x.errbody.data;
        ee = eb + x.errbody.len;
      } else if (r->body_may_err && r->out && memmem(r->out->data + out_len0, r->out->len - out_len0, "<Error>", 7)) {
        eb = r->out->data + out_len0;
        ee = r->out->data + r->out->len;
      }
      if (eb == NULL) {
        sl_buf_destroy(&x.errbody);
        break; /* success */
      }
      xml_text(eb, ee, "Code", &code);
      xml_text(eb, ee, "Message", &msg);
      const char *missing = r->missing_code ? r->missing_code : "NoSuchKey";
      if (r->missing_ok && r->status == 404 && (code.len == 0 || strcmp(code.data, missing) == 0)) {
        if (r->missing_code)
          rc = sl_err_set(err, SL_ENOTFOUND, SL_ERR_NOLOC, "%s of '%s' in %s: %s", r->op, r->key, st->uri, missing);
        else
          rc = sl_err_set(err, SL_ENOTFOUND, SL_ERR_NOLOC, "object '%s' not found in %s", r->key, st->uri);
        sl_buf_destroy(&x.errbody);
        break;
      }
      if (r->unsupported_ok && (r->status == 405 || r->status == 501)) {
        rc = sl_err_set(err, SL_EUNSUPPORTED, SL_ERR_NOLOC, "%s of '%s' in %s: the server does not support it (%ld%s%s)",
                        r->op, r->key, st->uri, r->status, code.len ? " " : "", code.len ? code.data : "");
        sl_buf_destroy(&x.errbody);
        break;
      }
      retry = code_retryable(r->status, code.data);
      sl_buf_printf(&why, "%ld", r->status);
      if (code.len) sl_buf_printf(&why, " %s", code.data);
      if (msg.len) sl_buf_printf(&why, ": %s", msg.data);
    }
    sl_buf_destroy(&x.errbody);
    if (!retry || attempt >= max) {
      sl_buf name;
      sl_buf_init(&name);
      object_name(&name, st, r);
      char tail[48] = "";
      if (retry && attempt > 1) snprintf(tail, sizeof tail, " (gave up after %d attempts)", attempt);
      rc = sl_err_set(err, SL_EIO, SL_ERR_NOLOC, "%s: %s failed: %s%s", name.data, r->op, why.data, tail);
      sl_buf_destroy(&name);
      break;
    }
    backoff(st, attempt);
  }
  if (rc != 0 && r->out) {
    r->out->len = out_len0;
    if (r->out->data) r->out->data[out_len0] = 0;
  }
  sl_buf_destroy(&why);
  sl_buf_destroy(&code);
  sl_buf_destroy(&msg);
  sl_buf_destroy(&url);
  return rc;
}

/* ---------------------------------------------------------------------------------------------
 * The operations. */

static int s3_put(sl_objstore *s, const char *key, const void *data, size_t len, sl_err *err) {
  s3_req r = {.op = "PUT", .method = "PUT", .key = key, .has_body = 1, .body = data ? data : "",
              .body_len = len, .out_fd = -1};
  return s3_do(sst(s), &r, err);
}

/* ---------------------------------------------------------------------------------------------
 * Multipart uploads, step by step. */

/* "uploadId=<id>" (canonical: the only name), or "partNumber=<n>&uploadId=<id>" when part > 0. */
static void upload_query(sl_buf *q, int part, const char *upload_id) {
  sl_buf_reset(q);
  if (part > 0) sl_buf_printf(q, "partNumber=%d&", part); /* canonical order: p < u */
  sl_buf_adds(q, "uploadId=");
  uri_encode(q, upload_id, 0);
}

static int s3_mp_begin(sl_objstore *s, const char *key, char **upload_id, sl_err *err) {
  s3_store *st = sst(s);
  sl_buf resp, id;
  sl_buf_init(&resp);
  sl_buf_init(&id);
  s3_req create = {.op = "multipart PUT (create)", .method = "POST", .key = key, .query = "uploads=",
                   .has_body = 1, .body = "", .out = &resp, .out_fd = -1};
  int rc = s3_do(st, &create, err);
  if (rc == 0 && (!xml_text(resp.data, resp.data + resp.len, "UploadId", &id) || id.len == 0))
    rc = sl_err_set(err, SL_EIO, SL_ERR_NOLOC, "s3://%s/%s%s: multipart PUT failed: no UploadId in the answer",
                    st->bucket, st->prefix, key);
  if (rc == 0) {
    *upload_id = id.data;
    id.data = NULL;
  }
  sl_buf_destroy(&resp);
  sl_buf_destroy(&id);
  return rc;
}

/* One part from the open file fd (path for messages). */
static int part_from_fd(s3_store *st, const char *key, const char *upload_id, int part, int fd, const char *path,
                        int64_t off, int64_t len, char **etag, sl_err *err) {
  sl_buf q;
  sl_buf_init(&q);
  upload_query(&q, part, upload_id);
  s3_req r = {.op = "multipart PUT (part)", .method = "PUT", .key = key, .query = q.data, .has_body = 1,
              .body_fd = fd, .body_path = path, .body_off = (off_t)off, .body_len = (size_t)len, .out_fd = -1};
  int rc = s3_do(st, &r, err);
  if (rc == 0 && r.etag[0] == 0)
    rc = sl_err_set(err, SL_EIO, SL_ERR_NOLOC, "s3://%s/%s%s: multipart PUT failed: part %d has no ETag", st->bucket,
                    st->prefix, key, part);
  if (rc == 0) *etag = sl_strdup(r.etag);
  sl_buf_destroy(&q);
  return rc;
}

static int s3_mp_part(sl_objstore *s, const char *key, const char *upload_id, int part, const char *local_path,
                      int64_t offset, int64_t len, char **etag, sl_err *err) {
  int fd = open(local_path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) return sl_err_set(err, SL_EIO, SL_ERR_NOLOC, "cannot open '%s': %s", local_path, strerror(errno));
  int rc = part_from_fd(sst(s), key, upload_id, part, fd, local_path, offset, len, etag, err);
  close(fd);
  return rc;
}

static int s3_mp_complete(sl_objstore *s, const char *key, const char *upload_id, int nparts,
                          const char *const *etags, sl_err *err) {
  sl_buf q, done, resp;
  sl_buf_init(&q);
  sl_buf_init(&done);
  sl_buf_init(&resp);
  sl_buf_adds(&done, "<CompleteMultipartUpload>");
  for (int i = 0; i < nparts; i++) {
    sl_buf_printf(&done, "<Part><PartNumber>%d</PartNumber><ETag>", i + 1);
    for (const char *c = etags[i]; *c; c++) {
      if (*c == '"') sl_buf_adds(&done, "&quot;");
      else if (*c == '&') sl_buf_adds(&done, "&amp;");
      else if (*c == '<') sl_buf_adds(&done, "&lt;");
      else sl_buf_addc(&done, *c);
    }
    sl_buf_adds(&done, "</ETag></Part>");
  }
  sl_buf_adds(&done, "</CompleteMultipartUpload>");
  upload_query(&q, 0, upload_id);
  s3_req r = {.op = "multipart PUT (complete)", .method = "POST", .key = key, .query = q.data,
              .content_type = "application/xml", .has_body = 1, .body = done.data, .body_len = done.len,
              .out = &resp, .out_fd = -1, .body_may_err = 1, .missing_ok = 1, .missing_code = "NoSuchUpload"};
  int rc = s3_do(sst(s), &r, err);
  sl_buf_destroy(&q);
  sl_buf_destroy(&done);
  sl_buf_destroy(&resp);
  return rc;
}

static int s3_mp_abort(sl_objstore *s, const char *key, const char *upload_id, sl_err *err) {
  sl_buf q;
  sl_buf_init(&q);
  upload_query(&q, 0, upload_id);
  s3_req r = {.op = "multipart abort", .method = "DELETE", .key = key, .query = q.data, .out_fd = -1,
              .missing_ok = 1, .missing_code = "NoSuchUpload", .unsupported_ok = 1};
  int rc = s3_do(sst(s), &r, err);
  sl_buf_destroy(&q);
  return rc == SL_ENOTFOUND ? 0 : rc;
}

/* Aborts a multipart upload once, best effort: after a failed put the parts are garbage anyway,
 * and some servers do not support it (405/501). */
static void abort_multipart(sl_objstore *s, const char *key, const char *upload_id) {
  sl_buf q;
  sl_buf_init(&q);
  upload_query(&q, 0, upload_id);
  s3_req r = {.op = "multipart abort", .method = "DELETE", .key = key, .query = q.data, .out_fd = -1,
              .single_attempt = 1};
  sl_err ignored;
  sl_err_clear(&ignored);
  s3_do(sst(s), &r, &ignored);
  sl_buf_destroy(&q);
}

/* Multipart upload of fd (size bytes) in one go: begin, PART_SIZE parts, complete; abort on
 * failure. */
static int multipart_put(sl_objstore *s, const char *key, int fd, const char *path, int64_t size, sl_err *err) {
  char *upload_id = NULL;
  int rc = s3_mp_begin(s, key, &upload_id, err);
  if (rc != 0) return rc;
  int parts = (int)((size + PART_SIZE - 1) / PART_SIZE);
  char **etags = sl_calloc((size_t)parts, sizeof(char *));
  for (int i = 1; i <= parts && rc == 0; i++) {
    int64_t off = (int64_t)(i - 1) * PART_SIZE;
    rc = part_from_fd(sst(s), key, upload_id, i, fd, path, off, size - off < PART_SIZE ? size - off : PART_SIZE,
                      &etags[i - 1], err);
  }
  if (rc == 0) rc = s3_mp_complete(s, key, upload_id, parts, (const char *const *)etags, err);
  if (rc != 0) abort_multipart(s, key, upload_id);
  for (int i = 0; i < parts; i++) free(etags[i]);
  free(etags);
  free(upload_id);
  return rc;
}

static int s3_size(sl_objstore *s, const char *key, int64_t *size, sl_err *err) {
  s3_req r = {.op = "HEAD", .method = "HEAD", .key = key, .out_fd = -1, .missing_ok = 1};
  int rc = s3_do(sst(s), &r, err);
  if (rc == 0 && r.content_length < 0)
    rc = sl_err_set(err, SL_EIO, SL_ERR_NOLOC, "s3://%s/%s%s: HEAD failed: no Content-Length in the answer",
                    sst(s)->bucket, sst(s)->prefix, key);
  if (rc == 0) *size = r.content_length;
  return rc;
}

static int s3_put_file(sl_objstore *s, const char *key, const char *local_path, sl_err *err) {
  int fd = open(local_path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) return sl_err_set(err, SL_EIO, SL_ERR_NOLOC, "cannot open '%s': %s", local_path, strerror(errno));
  struct stat st;
  int rc;
  if (fstat(fd, &st) != 0) {
    rc = sl_err_set(err, SL_EIO, SL_ERR_NOLOC, "cannot stat '%s': %s", local_path, strerror(errno));
  } else if ((int64_t)st.st_size > MULTIPART_THRESHOLD) {
    rc = multipart_put(s, key, fd, local_path, (int64_t)st.st_size, err);
  } else {
    s3_req r = {.op = "PUT", .method = "PUT", .key = key, .has_body = 1, .body_fd = fd, .body_path = local_path,
                .body_len = (size_t)st.st_size, .out_fd = -1};
    rc = s3_do(sst(s), &r, err);
  }
  close(fd);
  return rc;
}

static int s3_get(sl_objstore *s, const char *key, sl_buf *out, sl_err *err) {
  if (out->data == NULL) sl_buf_init(out);
  s3_req r = {.op = "GET", .method = "GET", .key = key, .out = out, .out_fd = -1, .missing_ok = 1};
  return s3_do(sst(s), &r, err);
}

/* Downloads into local_path; on failure the local file is removed. */
static int s3_get_file(sl_objstore *s, const char *key, const char *local_path, sl_err *err) {
  int fd = open(local_path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
  if (fd < 0) return sl_err_set(err, SL_EIO, SL_ERR_NOLOC, "cannot create '%s': %s", local_path, strerror(errno));
  s3_req r = {.op = "GET", .method = "GET", .key = key, .out_fd = fd, .out_path = local_path, .missing_ok = 1};
  int rc = s3_do(sst(s), &r, err);
  if (close(fd) != 0 && rc == 0)
    rc = sl_err_set(err, SL_EIO, SL_ERR_NOLOC, "cannot write '%s': %s", local_path, strerror(errno));
  if (rc != 0) unlink(local_path);
  return rc;
}

static int s3_del(sl_objstore *s, const char *key, sl_err *err) {
  s3_req r = {.op = "DELETE", .method = "DELETE", .key = key, .out_fd = -1};
  int rc = s3_do(sst(s), &r, err);
  return rc;
}

typedef struct list_entry {
  char *key; /* store-relative */
  int64_t size;
} list_entry;

static int list_entry_cmp(const void *a, const void *b) {
  return strcmp(((const list_entry *)a)->key, ((const list_entry *)b)->key);
}

/* ListObjectsV2, page by page, collecting every key before fn sees any: so fn may use the store
 * (delete what it lists, for example), and the order is byte order even on S3 stand-ins that
 * list in another order (s3rver does). */
static int s3_list(sl_objstore *s, const char *prefix, sl_objstore_list_fn fn, void *arg, sl_err *err) {
  s3_store *st = sst(s);
  sl_buf full, token, q, page, key, size, trunc;
  sl_buf_init(&full);
  sl_buf_init(&token);
  sl_buf_init(&q);
  sl_buf_init(&page);
  sl_buf_init(&key);
  sl_buf_init(&size);
  sl_buf_init(&trunc);
  sl_buf_printf(&full, "%s%s", st->prefix, prefix);
  size_t pn = strlen(st->prefix);
  list_entry *v = NULL;
  size_t n = 0, cap = 0;
  int rc = 0, more = 1;
  while (rc == 0 && more) {
    sl_buf_reset(&q); /* names in canonical (sorted) order */
    if (token.len) {
      sl_buf_adds(&q, "continuation-token=");
      uri_encode(&q, token.data, 0);
      sl_buf_addc(&q, '&');
    }
    sl_buf_printf(&q, "list-type=2&max-keys=%d&prefix=", st->max_keys);
    uri_encode(&q, full.data, 0);
    sl_buf_reset(&page);
    s3_req r = {.op = "LIST", .method = "GET", .name = prefix, .query = q.data, .out = &page, .out_fd = -1};
    rc = s3_do(st, &r, err);
    if (rc != 0) break;
    const char *p = page.data, *end = page.data + page.len;
    more = xml_text(p, end, "IsTruncated", &trunc) && strcmp(trunc.data, "true") == 0;
    if (more && (!xml_text(p, end, "NextContinuationToken", &token) || token.len == 0))
      rc = sl_err_set(err, SL_EIO, SL_ERR_NOLOC,
                      "s3://%s/%s%s: LIST failed: a truncated page without NextContinuationToken", st->bucket,
                      st->prefix, prefix);
    const char *cs, *ce;
    while (rc == 0 && xml_find(p, end, "Contents", &cs, &ce)) {
      p = ce + strlen("</Contents>");
      if (!xml_text(cs, ce, "Key", &key) || !xml_text(cs, ce, "Size", &size)) continue;
      if (key.len < pn || memcmp(key.data, st->prefix, pn) != 0) continue;
      if (n == cap) {
        cap = cap ? 2 * cap : 64;
        v = sl_realloc(v, cap * sizeof *v);
      }
      v[n++] = (list_entry){sl_strdup(key.data + pn), strtoll(size.data, NULL, 10)};
    }
  }
  if (rc == 0) {
    if (n > 1) qsort(v, n, sizeof *v, list_entry_cmp);
    for (size_t i = 0; i < n && rc == 0; i++) rc = fn(arg, v[i].key, v[i].size);
  }
  for (size_t i = 0; i < n; i++) free(v[i].key);
  free(v);
  sl_buf_destroy(&full);
  sl_buf_destroy(&token);
  sl_buf_destroy(&q);
  sl_buf_destroy(&page);
  sl_buf_destroy(&key);
  sl_buf_destroy(&size);
  sl_buf_destroy(&trunc);
  return rc;
}

static void s3_free(sl_objstore *s) {
  s3_store *st = sst(s);
  if (st == NULL) return;
  if (st->h) curl_easy_cleanup(st->h);
  sl_aws_creds_destroy(&st->creds);
  free(st->bucket);
  free(st->prefix);
  free(st->region);
  free(st->base);
  free(st);
}

static const sl_objstore_ops s3_ops = {
    .scheme = "s3",
    .put = s3_put,
    .put_file = s3_put_file,
    .get = s3_get,
    .get_file = s3_get_file,
    .list = s3_list,
    .del = s3_del,
    .size = s3_size,
    .mp_begin = s3_mp_begin,
    .mp_part = s3_mp_part,
    .mp_complete = s3_mp_complete,
    .mp_abort = s3_mp_abort,
    .free = s3_free,
};

/* ---------------------------------------------------------------------------------------------
 * Opening: endpoint, addressing style, credentials. */

/* Is the endpoint's host an IP address or localhost (which cannot take "bucket." in front)? */
static int host_is_local_or_ip(const char *url) {
  const char *h = strstr(url, "://");
  h = h ? h + 3 : url;
  if (*h == '[') return 1; /* IPv6 literal */
  size_t n = strcspn(h, ":/?#");
  if (n == 9 && strncasecmp(h, "localhost", 9) == 0) return 1;
  if (n == 0) return 0;
  for (size_t i = 0; i < n; i++)
    if (!((h[i] >= '0' && h[i] <= '9') || h[i] == '.')) return 0;
  return 1;
}

int sl__objstore_s3_open(sl_objstore *s, const char *bucket, const char *prefix, const sl_objstore_opts *opts,
                         sl_err *err) {
  sl_aws_settings set = {.access_key = opts->s3_access_key, .secret_key = opts->s3_secret_key,
                         .region = opts->region};
  s3_store *st = sl_calloc(1, sizeof *st);
  int rc = sl_aws_creds_resolve(&set, &st->creds, err);
  if (rc != 0) {
    sl_err_detail(err, "needed for %s", s->uri);
    free(st);
    return rc;
  }
  st->uri = s->uri;
  st->bucket = sl_strdup(bucket);
  st->prefix = sl_strdup(prefix);
  st->region = sl_aws_region_resolve(&set);
  st->max_keys = 1000;
  st->rng = (uint64_t)time(NULL) * 6364136223846793005ULL ^ (uint64_t)getpid() ^ (uint64_t)(uintptr_t)st;
  if (st->rng == 0) st->rng = 1;

  char *endpoint = sl_aws_endpoint("s3", st->region, opts->s3_endpoint);
  /* Path style when asked, for IP/localhost hosts, and (as the AWS SDKs do) for dotted bucket
   * names over https, whose virtual host would not match the certificate. */
  int path_style = opts->s3_path_style == 1 || host_is_local_or_ip(endpoint) ||
                   (strchr(bucket, '.') && strncasecmp(endpoint, "https://", 8) == 0);
  sl_buf base;
  sl_buf_init(&base);
  if (path_style) {
    sl_buf_printf(&base, "%s/", endpoint);
    uri_encode(&base, bucket, 0);
  } else {
    const char *h = strstr(endpoint, "://") + 3; /* sl_aws_endpoint always gives a scheme */
    sl_buf_add(&base, endpoint, (size_t)(h - endpoint));
    sl_buf_printf(&base, "%s.%s", bucket, h);
  }
  free(endpoint);
  st->base = base.data;
  st->path_style = path_style;

  sl_aws_curl_global_init();
  st->h = curl_easy_init();
  if (st->h == NULL) {
    s->impl = st;
    s3_free(s);
    s->impl = NULL;
    return sl_err_set(err, SL_EIO, SL_ERR_NOLOC, "%s: cannot create an HTTP client (curl_easy_init failed)", s->uri);
  }
  s->ops = &s3_ops;
  s->impl = st;
  return 0;
}

char *sl__objstore_s3_url(sl_objstore *s, const char *key) {
  if (s == NULL || s->ops != &s3_ops) return NULL;
  sl_buf b;
  sl_buf_init(&b);
  s3_req r = {.key = key && key[0] ? key : NULL};
  request_url(&b, sst(s), &r);
  return b.data;
}

void sl__objstore_s3_set_max_keys(sl_objstore *s, int n) {
  if (s && s->ops == &s3_ops && n > 0) sst(s)->max_keys = n;
}
