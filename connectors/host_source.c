/* host_source.c - the host source: records the host pushes (JSON text or typed rows, from any
 * one thread) queue up in chunks of decoded rows; the job takes a chunk at a time. The queue is
 * bounded ('source.queue-size' rows): a push that would overfill it is refused with
 * SLUICE_EAGAIN, and the host hears through a callback (or a wait) once it has drained to half.
 * A watermark seals the chunk it follows, so it applies after exactly the records pushed
 * before it. JSON is decoded on the pushing thread: a bad record is refused at its push. */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <uv.h>

#include "../engine/decimal.h"
#include "../engine/sysutil.h"
#include "../engine/value_text.h"
#include "fmt.h"
#include "host.h"

#define CHUNK_ROWS 1024
#define DEFAULT_QUEUE_ROWS 16384
#define DEFAULT_BUFFER_TIMEOUT_US 1000 /* 'source.buffer-timeout': 1 ms */

typedef struct chunk {
  sl_batch *b;
  int64_t wm_after;      /* watermark the host set after these rows (µs), or INT64_MIN */
  bool sealed;           /* a watermark followed: later rows go to a new chunk */
  int64_t first;         /* offset of its first record */
  uint64_t born_ns;      /* when its first row came (uv_hrtime): the buffer timeout counts from it */
  struct chunk *next;
} chunk;

struct sluice_source {
  char *table;
  int ncols;
  char **names;
  sl_type *types;
  sl_fmt_dec *json;
  pthread_mutex_t mu;
  pthread_cond_t room;
  chunk *head, *tail, *spare;
  int64_t queued, cap;   /* rows in the queue, and its bound */
  int64_t pushed;        /* the next record's offset: records pushed, from the restored position */
  int64_t origin;        /* the restored position (0 on a fresh start): offsets count from it */
  int nchunks, max_chunks; /* chunks queued, and their bound (a chunk holds room for CHUNK_ROWS
                          * rows however few it has: one row and a watermark at a time would
                          * otherwise queue queue-size chunks) */
  bool ended;            /* the host called end */
  bool closed;           /* the job is over */
  bool full;             /* a push was refused: tell the host when there is room */
  bool reader_waiting;   /* the job found the queue empty: wake it on the next push */
  bool reader_lingering; /* the job left a young partial chunk: wake it only when a chunk fills or is
                          * sealed, the queue is full or the input ends (else its timer does) */
  bool attached;         /* a query reads it */
  uv_async_t *async;     /* wakes the job's loop (while a query reads the source) */
  sluice_source_writable_cb on_writable;
  void *writable_arg;
  sl_err err;            /* scratch for decode errors */
  sluice_source *next_source;
};

struct sluice_row {
  sluice_source *src;
  sl_value *vals;
  size_t *str_off;       /* string values: offset into strs (their ptr is fixed up at push) */
  sl_buf strs;
};

/* ---- The queue (host side) --------------------------------------------------------------- */

static void set_error(sluice_error *out, int code, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void set_error(sluice_error *out, int code, const char *fmt, ...) {
  if (!out) return;
  sl_err e;
  sl_err_clear(&e);
  va_list ap;
  va_start(ap, fmt);
  sl_err_vset(&e, code, SL_ERR_NOLOC, fmt, ap);
  va_end(ap);
  sl_error_fill(out, &e, NULL, NULL);
}

static chunk *new_chunk(sluice_source *s) {
  chunk *c = s->spare;
  if (c) {
    s->spare = c->next;
    sl_batch_reset(c->b);
  } else {
    c = sl_calloc(1, sizeof *c);
    c->b = sl_batch_new(s->ncols, s->types, CHUNK_ROWS);
  }
  c->next = NULL;
  c->wm_after = INT64_MIN;
  c->sealed = false;
  c->first = s->pushed;
  c->born_ns = uv_hrtime();
  if (s->tail) s->tail->next = c;
  else s->head = c;
  s->tail = c;
  s->nchunks++;
  return c;
}

/* The chunk the next row goes to (under the lock). */
static chunk *fill_chunk(sluice_source *s) {
  chunk *c = s->tail;
  if (!c || c->sealed || c->b->nrows >= CHUNK_ROWS) c = new_chunk(s);
  return c;
}

/* Wakes the job if it waits for input, or, when urgent (a chunk filled or was sealed, the queue is
 * full, the input ended), if it waits for a partial chunk to fill (under the lock). */
static void wake_reader(sluice_source *s, bool urgent) {
  if (s->async && (s->reader_waiting || (urgent && s->reader_lingering))) {
    s->reader_waiting = false;
    s->reader_lingering = false;
    uv_async_send(s->async);
  }
}

/* Whether a row fits: within the row bound, and in the tail chunk or a new one within the chunk
 * bound (under the lock). */
static bool has_room(const sluice_source *s) {
  if (s->queued >= s->cap) return false;
  const chunk *t = s->tail;
  return s->nchunks < s->max_chunks || (t && !t->sealed && t->b->nrows < CHUNK_ROWS);
}

/* Checks that a push may go ahead (under the lock). */
static int can_push(sluice_source *s, sluice_error *err) {
  if (s->closed) {
    set_error(err, SLUICE_ESTATE, "table '%s': the job has ended", s->table);
    return SLUICE_ESTATE;
  }
  if (s->ended) {
    set_error(err, SLUICE_ESTATE, "table '%s': the input was ended (sluice_source_end)", s->table);
    return SLUICE_ESTATE;
  }
  if (!has_room(s)) {
    s->full = true;
    set_error(err, SLUICE_EAGAIN, "table '%s': the queue is full (%lld rows)", s->table, (long long)s->cap);
    return SLUICE_EAGAIN;
  }
  return 0;
}

int sluice_source_push_json(sluice_source *s, const char *json, size_t len, sluice_error *err) {
  pthread_mutex_lock(&s->mu);
  int rc = can_push(s, err);
  if (!rc) {
    chunk *c = fill_chunk(s);
    sl_err_clear(&s->err);
    rc = sl_fmt_dec_record(s->json, json, len, c->b, (uint32_t)c->b->nrows, &s->err);
    if (rc == 0) {
      c->b->nrows++;
      s->queued++;
      wake_reader(s, c->b->nrows >= CHUNK_ROWS || !has_room(s));
    }
    if (rc >= 0) {
      s->pushed++;
      rc = 0;
    } else {
      set_error(err, SLUICE_EFORMAT, "table '%s', record %lld: %s", s->table, (long long)s->pushed, s->err.msg);
      rc = SLUICE_EFORMAT;
    }
  }
  pthread_mutex_unlock(&s->mu);
  return rc;
}

int sluice_source_watermark(sluice_source *s, int64_t ts_ms, sluice_error *err) {
  pthread_mutex_lock(&s->mu);
  int rc = 0;
  if (s->closed || s->ended) {
    rc = SLUICE_ESTATE;
    set_error(err, rc, "table '%s': %s", s->table, s->closed ? "the job has ended" : "the input was ended");
  } else {
    chunk *c = s->tail ? s->tail : new_chunk(s); /* a sealed tail just takes the higher watermark */
    int64_t wm = ts_ms * 1000;
    if (wm > c->wm_after) c->wm_after = wm;
    c->sealed = true;
    wake_reader(s, true);
  }
  pthread_mutex_unlock(&s->mu);
  return rc;
}

int sluice_source_end(sluice_source *s, sluice_error *err) {
  pthread_mutex_lock(&s->mu);
  int rc = 0;
  if (s->closed) {
    rc = SLUICE_ESTATE;
    set_error(err, rc, "table '%s': the job has ended", s->table);
  } else {
    s->ended = true;
    wake_reader(s, true);
  }
  pthread_mutex_unlock(&s->mu);
  return rc;
}

void sluice_source_on_writable(sluice_source *s, sluice_source_writable_cb cb, void *arg) {
  pthread_mutex_lock(&s->mu);
  s->on_writable = cb;
  s->writable_arg = arg;
  pthread_mutex_unlock(&s->mu);
}

int sluice_source_wait_writable(sluice_source *s, int timeout_ms, sluice_error *err) {
  struct timespec until = sl_deadline_after_ms(timeout_ms);
  pthread_mutex_lock(&s->mu);
  int rc = 0;
  while (!s->closed && !has_room(s)) {
    s->full = true;
    if (timeout_ms < 0) pthread_cond_wait(&s->room, &s->mu);
    else if (pthread_cond_timedwait(&s->room, &s->mu, &until)) {
      if (!has_room(s)) rc = SLUICE_EAGAIN;
      break;
    }
  }
  if (s->closed) rc = SLUICE_ESTATE;
  pthread_mutex_unlock(&s->mu);
  if (rc == SLUICE_EAGAIN) set_error(err, rc, "table '%s': the queue is still full", s->table);
  if (rc == SLUICE_ESTATE) set_error(err, rc, "table '%s': the job has ended", s->table);
  return rc;
}

int64_t sluice_source_pushed(const sluice_source *s) {
  sluice_source *m = (sluice_source *)s;
  pthread_mutex_lock(&m->mu);
  int64_t n = m->pushed;
  pthread_mutex_unlock(&m->mu);
  return n;
}

int sluice_source_columns(const sluice_source *s) { return s->ncols; }

const char *sluice_source_column_name(const sluice_source *s, int col) {
  return col >= 0 && col < s->ncols ? s->names[col] : NULL;
}

int sluice_source_column_type(const sluice_source *s, int col) {
  return col >= 0 && col < s->ncols ? s->types[col].kind : 0;
}

int sluice_source_column_index(const sluice_source *s, const char *name) {
  for (int i = 0; i < s->ncols; i++)
    if (!strcmp(s->names[i], name)) return i;
  return -1;
}

/* ---- Typed rows ---------------------------------------------------------------------------- */

sluice_row *sluice_row_new(sluice_source *s) {
  sluice_row *r = sl_calloc(1, sizeof *r);
  r->src = s;
  r->vals = sl_calloc((size_t)(s->ncols ? s->ncols : 1), sizeof(sl_value));
  r->str_off = sl_calloc((size_t)(s->ncols ? s->ncols : 1), sizeof(size_t));
  sl_buf_init(&r->strs);
  sluice_row_clear(r);
  return r;
}

void sluice_row_free(sluice_row *r) {
  if (!r) return;
  free(r->vals);
  free(r->str_off);
  sl_buf_destroy(&r->strs);
  free(r);
}

void sluice_row_clear(sluice_row *r) {
  for (int i = 0; i < r->src->ncols; i++) r->vals[i] = (sl_value){.is_null = true};
  sl_buf_reset(&r->strs);
}

static int check_col(sluice_row *r, int col, sluice_error *err) {
  if (col >= 0 && col < r->src->ncols) return 0;
  set_error(err, SLUICE_EINVAL, "table '%s' has no column %d (it has %d)", r->src->table, col, r->src->ncols);
  return SLUICE_EINVAL;
}

static int wrong_type(sluice_row *r, int col, const char *what, sluice_error *err) {
  char tn[64];
  sl_type_name(r->src->types[col], tn, sizeof tn);
  set_error(err, SLUICE_ETYPE, "table '%s', column '%s' is %s: cannot set it from %s", r->src->table,
            r->src->names[col], tn, what);
  return SLUICE_ETYPE;
}

static int out_of_range(sluice_row *r, int col, sluice_error *err) {
  char tn[64];
  sl_type_name(r->src->types[col], tn, sizeof tn);
  set_error(err, SLUICE_EOVERFLOW, "table '%s', column '%s': the value is out of range for %s", r->src->table,
            r->src->names[col], tn);
  return SLUICE_EOVERFLOW;
}

int sluice_row_set_null(sluice_row *r, int col, sluice_error *err) {
  int rc = check_col(r, col, err);
  if (!rc) r->vals[col] = (sl_value){.is_null = true};
  return rc;
}

int sluice_row_set_bool(sluice_row *r, int col, int v, sluice_error *err) {
  int rc = check_col(r, col, err);
  if (rc) return rc;
  if (r->src->types[col].kind != SL_TYPE_BOOLEAN) return wrong_type(r, col, "a boolean", err);
  r->vals[col] = (sl_value){.i64 = v != 0};
  return 0;
}

int sluice_row_set_int64(sluice_row *r, int col, int64_t v, sluice_error *err) {
  int rc = check_col(r, col, err);
  if (rc) return rc;
  sl_type t = r->src->types[col];
  sl_value *out = &r->vals[col];
  if (sl_type_is_integer(t)) {
    if (!sl_int_fits(t.kind, v)) return out_of_range(r, col, err);
    *out = (sl_value){.i64 = v};
  } else if (t.kind == SL_TYPE_DOUBLE || t.kind == SL_TYPE_FLOAT) {
    *out = (sl_value){.f64 = (double)v};
  } else if (t.kind == SL_TYPE_DECIMAL) {
    sl_i128 d;
    if (sl_dec_rescale((sl_i128)v, 0, t.scale, &d) || !sl_dec_fits(d, t.precision)) return out_of_range(r, col, err);
    *out = (sl_value){.dec = d};
  } else {
    return wrong_type(r, col, "an integer", err);
  }
  return 0;
}

int sluice_row_set_double(sluice_row *r, int col, double v, sluice_error *err) {
  int rc = check_col(r, col, err);
  if (rc) return rc;
  sl_type t = r->src->types[col];
  if (t.kind == SL_TYPE_DOUBLE || t.kind == SL_TYPE_FLOAT) {
    r->vals[col] = (sl_value){.f64 = t.kind == SL_TYPE_FLOAT ? (double)(float)v : v};
  } else if (t.kind == SL_TYPE_DECIMAL) {
    sl_i128 d;
    if (sl_dec_from_double(v, t.precision, t.scale, &d)) return out_of_range(r, col, err);
    r->vals[col] = (sl_value){.dec = d};
  } else {
    return wrong_type(r, col, "a double", err);
  }
  return 0;
}

int sluice_row_set_decimal(sluice_row *r, int col, int64_t unscaled, int scale, sluice_error *err) {
  int rc = check_col(r, col, err);
  if (rc) return rc;
  sl_type t = r->src->types[col];
  if (scale < 0 || scale > 38) {
    set_error(err, SLUICE_EINVAL, "table '%s', column '%s': scale %d is not between 0 and 38", r->src->table,
              r->src->names[col], scale);
    return SLUICE_EINVAL;
  }
  if (t.kind == SL_TYPE_DOUBLE || t.kind == SL_TYPE_FLOAT)
    return sluice_row_set_double(r, col, (double)unscaled / (double)sl_dec_pow10(scale), err);
  if (t.kind != SL_TYPE_DECIMAL) return wrong_type(r, col, "a decimal", err);
  sl_i128 d;
  if (sl_dec_rescale((sl_i128)unscaled, scale, t.scale, &d) || !sl_dec_fits(d, t.precision))
    return out_of_range(r, col, err);
  r->vals[col] = (sl_value){.dec = d};
  return 0;
}

int sluice_row_set_string(sluice_row *r, int col, const char *v, size_t len, sluice_error *err) {
  int rc = check_col(r, col, err);
  if (rc) return rc;
  sl_type t = r->src->types[col];
  if (sl_type_is_string(t)) {
    if (len > (size_t)t.precision) len = (size_t)t.precision; /* CHAR(n) / VARCHAR(n) keep n, as CAST */
    r->str_off[col] = r->strs.len;
    sl_buf_add(&r->strs, v, len);
    r->vals[col] = (sl_value){.str = {.ptr = NULL, .len = (uint32_t)len}};
    return 0;
  }
  sl_value out;
  rc = sl_value_parse(t, v, len, NULL, &out);
  if (rc == SL_EOVERFLOW) return out_of_range(r, col, err);
  if (rc) {
    char tn[64];
    sl_type_name(t, tn, sizeof tn);
    set_error(err, SLUICE_EFORMAT, "table '%s', column '%s': cannot parse '%.*s' as %s", r->src->table,
              r->src->names[col], (int)(len > 64 ? 64 : len), v, tn);
    return SLUICE_EFORMAT;
  }
  r->vals[col] = out;
  return 0;
}

int sluice_row_set_timestamp_ms(sluice_row *r, int col, int64_t ms, sluice_error *err) {
  int rc = check_col(r, col, err);
  if (rc) return rc;
  sl_type t = r->src->types[col];
  if (t.kind != SL_TYPE_TIMESTAMP && t.kind != SL_TYPE_TIMESTAMP_LTZ) return wrong_type(r, col, "a timestamp", err);
  if (ms > INT64_MAX / 1000 || ms < INT64_MIN / 1000) return out_of_range(r, col, err);
  r->vals[col] = (sl_value){.i64 = ms * 1000};
  return 0;
}

int sluice_source_push_row(sluice_source *s, const sluice_row *r, sluice_error *err) {
  if (r->src != s) {
    set_error(err, SLUICE_EINVAL, "the row was made for table '%s', not '%s'", r->src->table, s->table);
    return SLUICE_EINVAL;
  }
  pthread_mutex_lock(&s->mu);
  int rc = can_push(s, err);
  if (!rc) {
    chunk *c = fill_chunk(s);
    uint32_t row = (uint32_t)c->b->nrows;
    for (int i = 0; i < s->ncols; i++) {
      sl_value v = r->vals[i];
      if (!v.is_null && sl_type_is_string(s->types[i])) v.str.ptr = r->strs.data + r->str_off[i];
      sl_batch_set(c->b, i, row, &v);
    }
    c->b->nrows++;
    s->queued++;
    s->pushed++;
    wake_reader(s, c->b->nrows >= CHUNK_ROWS || !has_room(s));
  }
  pthread_mutex_unlock(&s->mu);
  return rc;
}

/* ---- The tables of a job --------------------------------------------------------------------- */

typedef struct host_sink_ref {
  char *table;
  sluice_sink_cb cb;
  void *arg;
} host_sink_ref;

struct sl_host_tables {
  sluice_source *sources;
  host_sink_ref *sinks;
  int nsinks;
};

sl_host_tables *sl_host_tables_new(void) { return sl_calloc(1, sizeof(sl_host_tables)); }

static void free_chunks(chunk *c) {
  while (c) {
    chunk *n = c->next;
    sl_batch_free(c->b);
    free(c);
    c = n;
  }
}

void sl_host_tables_close(sl_host_tables *h) {
  for (sluice_source *s = h->sources; s; s = s->next_source) {
    pthread_mutex_lock(&s->mu);
    s->closed = true;
    pthread_cond_broadcast(&s->room);
    pthread_mutex_unlock(&s->mu);
  }
}

void sl_host_tables_free(sl_host_tables *h) {
  if (!h) return;
  sluice_source *s = h->sources;
  while (s) {
    sluice_source *n = s->next_source;
    free_chunks(s->head);
    free_chunks(s->spare);
    sl_fmt_dec_free(s->json);
    for (int i = 0; i < s->ncols; i++) free(s->names[i]);
    free(s->names);
    free(s->types);
    free(s->table);
    pthread_mutex_destroy(&s->mu);
    pthread_cond_destroy(&s->room);
    free(s);
    s = n;
  }
  for (int i = 0; i < h->nsinks; i++) free(h->sinks[i].table);
  free(h->sinks);
  free(h);
}

int sl_host_source_options(sl_options *opts, int64_t *queue_rows, int64_t *buffer_timeout_us, sl_err *err) {
  int rc = sl_options_int(opts, "source.queue-size", DEFAULT_QUEUE_ROWS, queue_rows, err);
  if (!rc) rc = sl_options_duration(opts, "source.buffer-timeout", DEFAULT_BUFFER_TIMEOUT_US, buffer_timeout_us, err);
  if (rc) return rc;
  if (*queue_rows < 1 || *queue_rows > (int64_t)1 << 30) {
    sl_option *o = sl_options_find(opts, "source.queue-size");
    return sl_err_set(err, SL_ECONFIG, o ? o->value_loc : SL_ERR_NOLOC,
                      "option 'source.queue-size' must be between 1 and 1073741824 rows");
  }
  return 0;
}

/* A JSON reader for the table's columns following its options ('format' must be json). */
static int json_reader(int ncols, const char *const *names, const sl_type *types, sl_options *opts,
                       sl_fmt_dec **out, sl_err *err) {
  const char *format = sl_options_get(opts, "format");
  if (format && strcmp(format, "json")) {
    sl_option *o = sl_options_find(opts, "format");
    return sl_err_set(err, SL_ECONFIG, o->value_loc, "connector 'host' reads JSON records: 'format' must be 'json'");
  }
  return sl_fmt_dec_new("json", ncols, names, types, opts, out, err);
}

int sl_host_source_find(sl_host_tables *h, const char *table, sluice_source **out) {
  for (sluice_source *s = h->sources; s; s = s->next_source)
    if (!strcmp(s->table, table)) {
      *out = s;
      return 1;
    }
  return 0;
}

int sl_host_source_get(sl_host_tables *h, const char *table, int ncols, const char *const *names,
                       const sl_type *types, sl_options *opts, int64_t loc, sluice_source **out, sl_err *err) {
  if (sl_host_source_find(h, table, out)) return 0;
  int64_t cap, buffer_timeout_us;
  sl_fmt_dec *json;
  int rc = sl_host_source_options(opts, &cap, &buffer_timeout_us, err);
  if (!rc) rc = json_reader(ncols, names, types, opts, &json, err);
  if (rc) return rc;
  sluice_source *s = sl_calloc(1, sizeof *s);
  s->table = sl_strdup(table);
  s->ncols = ncols;
  s->names = sl_calloc((size_t)(ncols ? ncols : 1), sizeof(char *));
  s->types = sl_calloc((size_t)(ncols ? ncols : 1), sizeof(sl_type));
  for (int i = 0; i < ncols; i++) {
    s->names[i] = sl_strdup(names[i]);
    s->types[i] = types[i];
  }
  s->json = json;
  s->cap = cap;
  s->max_chunks = (int)(cap / CHUNK_ROWS) + 2;
  pthread_mutex_init(&s->mu, NULL);
  pthread_cond_init(&s->room, NULL);
  s->next_source = h->sources;
  h->sources = s;
  *out = s;
  return 0;
}

void sl_host_sink_set(sl_host_tables *h, const char *table, sluice_sink_cb cb, void *arg) {
  for (int i = 0; i < h->nsinks; i++)
    if (!strcmp(h->sinks[i].table, table)) {
      h->sinks[i].cb = cb;
      h->sinks[i].arg = arg;
      return;
    }
  h->sinks = sl_realloc(h->sinks, sizeof(host_sink_ref) * (size_t)(h->nsinks + 1));
  h->sinks[h->nsinks++] = (host_sink_ref){.table = sl_strdup(table), .cb = cb, .arg = arg};
}

/* Used by host_sink.c. */
int sl_host_sink_find(sl_host_tables *h, const char *table, sluice_sink_cb *cb, void **arg);
int sl_host_sink_find(sl_host_tables *h, const char *table, sluice_sink_cb *cb, void **arg) {
  for (int i = 0; h && i < h->nsinks; i++)
    if (!strcmp(h->sinks[i].table, table)) {
      *cb = h->sinks[i].cb;
      *arg = h->sinks[i].arg;
      return 1;
    }
  return 0;
}

/* ---- The connector (job side) ------------------------------------------------------------------ */

typedef struct host_source {
  sl_source base;
  sluice_source *q;
  sl_conn_env env;
  uv_async_t async;
  uv_timer_t linger;     /* wakes the job when a partial chunk's buffer timeout is up */
  int64_t buffer_timeout_us; /* 'source.buffer-timeout' */
  bool started;
  int64_t taken;         /* records taken by the job: the checkpoint position */
  int64_t first;         /* offset of the first record of the last read */
  int64_t wm;            /* the highest watermark the host set, µs */
} host_source;

static void on_async(uv_async_t *a) {
  host_source *h = a->data;
  h->env.wake(h->env.wake_arg);
}

static void on_linger(uv_timer_t *t) {
  host_source *h = t->data;
  h->env.wake(h->env.wake_arg);
}

/* Takes the head chunk into b (the job's thread). */
static int hs_read(sl_source *src, sl_batch *b, sl_err *err) {
  host_source *h = (host_source *)src;
  sluice_source *s = h->q;
  pthread_mutex_lock(&s->mu);
  chunk *c = s->head;
  if (!c) {
    int rc = s->ended ? 1 : SL_SOURCE_WAIT; /* 1: end of input */
    if (rc == SL_SOURCE_WAIT) s->reader_waiting = true;
    pthread_mutex_unlock(&s->mu);
    return rc;
  }
  /* A partial chunk the host is still filling waits for more rows, up to the buffer timeout:
   * batches of a few rows would cost the job more than the rows themselves. */
  if (c == s->tail && !c->sealed && c->b->nrows < CHUNK_ROWS && has_room(s) && !s->ended &&
      h->buffer_timeout_us > 0) {
    int64_t age_us = (int64_t)((uv_hrtime() - c->born_ns) / 1000);
    if (age_us < h->buffer_timeout_us) {
      s->reader_lingering = true;
      pthread_mutex_unlock(&s->mu);
      uv_timer_start(&h->linger, on_linger, (uint64_t)((h->buffer_timeout_us - age_us + 999) / 1000), 0);
      return SL_SOURCE_WAIT;
    }
  }
  s->reader_lingering = false;
  s->head = c->next;
  if (!s->head) s->tail = NULL;
  s->nchunks--;
  pthread_mutex_unlock(&s->mu);

  int n = c->b->nrows;
  for (int col = 0; col < s->ncols; col++) {
    const sl_col *from = &c->b->cols[col];
    if (sl_type_phys(from->type) == SL_PHYS_STR || from->nulls) {
      for (int i = 0; i < n; i++) {
        sl_value v;
        sl_col_get(from, (uint32_t)i, &v);
        sl_batch_set(b, col, (uint32_t)i, &v);
      }
    } else {
      memcpy(b->cols[col].raw, from->raw, (size_t)sl_type_slot_size(from->type) * (size_t)n);
    }
  }
  b->nrows = n;
  h->first = c->first;
  h->taken = c->first + n;
  if (c->wm_after > h->wm) h->wm = c->wm_after;

  pthread_mutex_lock(&s->mu);
  s->queued -= n;
  c->next = s->spare;
  s->spare = c;
  bool notify = s->full && s->queued <= s->cap / 2 && s->nchunks < s->max_chunks;
  if (notify) {
    s->full = false;
    pthread_cond_broadcast(&s->room);
  }
  sluice_source_writable_cb cb = s->on_writable;
  void *arg = s->writable_arg;
  pthread_mutex_unlock(&s->mu);
  if (notify && cb) cb(arg, s);
  return 0;
}

static void hs_where(sl_source *src, uint32_t row, sl_buf *out) {
  host_source *h = (host_source *)src;
  sl_buf_printf(out, "table '%s', record %lld", h->q->table, (long long)(h->first + row));
}

static int64_t hs_skipped(sl_source *src) { return 0; }

static void hs_describe(sl_source *src, sl_buf *out) { sl_buf_adds(out, "host"); }

static int64_t hs_watermark(sl_source *src) { return ((host_source *)src)->wm; }

static int hs_start(sl_source *src, const sl_conn_env *env, sl_err *err) {
  host_source *h = (host_source *)src;
  h->env = *env;
  if (uv_async_init(env->loop, &h->async, on_async))
    return sl_err_set(err, SL_ERUNTIME, SL_ERR_NOLOC, "table '%s': cannot set up a wake-up handle", h->q->table);
  h->async.data = h;
  uv_timer_init(env->loop, &h->linger);
  h->linger.data = h;
  h->started = true;
  pthread_mutex_lock(&h->q->mu);
  h->q->async = &h->async;
  pthread_mutex_unlock(&h->q->mu);
  return 0;
}

static void hs_stop(sl_source *src) {
  host_source *h = (host_source *)src;
  if (!h->started) return;
  pthread_mutex_lock(&h->q->mu);
  h->q->async = NULL;
  h->q->reader_waiting = false;
  h->q->reader_lingering = false;
  pthread_mutex_unlock(&h->q->mu);
  uv_close((uv_handle_t *)&h->async, NULL);
  uv_close((uv_handle_t *)&h->linger, NULL);
  h->started = false;
}

/* The position is the count of records the job has taken: the host, which alone can replay
 * them, resumes after it. */
static int hs_position(sl_source *src, sl_source_pos *out, sl_err *err) {
  host_source *h = (host_source *)src;
  sl_source_pos_add(out, h->q->table, h->taken, h->taken, NULL);
  return 0;
}

static int hs_seek(sl_source *src, const sl_source_pos *pos, sl_err *err) {
  host_source *h = (host_source *)src;
  if (pos->n != 1) return 0;
  /* Offsets count from the restored position, the records already queued included. */
  sluice_source *q = h->q;
  pthread_mutex_lock(&q->mu);
  int64_t shift = pos->splits[0].offset - q->origin;
  for (chunk *c = q->head; c; c = c->next) c->first += shift;
  q->pushed += shift;
  q->origin = pos->splits[0].offset;
  h->taken = h->first = q->origin;
  pthread_mutex_unlock(&q->mu);
  return 0;
}

static void hs_free(sl_source *src) {
  host_source *h = (host_source *)src;
  pthread_mutex_lock(&h->q->mu);
  h->q->attached = false;
  pthread_mutex_unlock(&h->q->mu);
  free(h);
}

static const sl_source_vtable host_source_vt = {
  .read = hs_read, .where = hs_where, .skipped = hs_skipped, .describe = hs_describe, .free = hs_free,
  .position = hs_position, .seek = hs_seek, .start = hs_start, .stop = hs_stop, .watermark = hs_watermark,
};

int sl_host_source_new(sl_conn_table *t, int64_t loc, sl_source **out, sl_err *err) {
  if (t->nmeta)
    return sl_err_set(err, SL_ECONFIG, t->meta_loc[0], "connector 'host' offers no metadata columns (table '%s')",
                      t->name);
  sluice_source *q = NULL;
  int64_t cap;
  sl_fmt_dec *check = NULL;
  int64_t buffer_timeout_us;
  int rc = sl_host_source_options(t->opts, &cap, &buffer_timeout_us, err);
  if (!rc) rc = json_reader(t->ncols, t->names, t->types, t->opts, &check, err); /* marks the json.* options */
  sl_fmt_dec_free(check);
  if (rc) return rc;
  if (!t->host || !sl_host_source_find(t->host, t->name, &q))
    return sl_err_set(err, SL_ECONFIG, loc,
                      "table '%s' is a host source, but no host feeds it (an embedding program attaches one with "
                      "sluice_job_source before the job starts)",
                      t->name);
  if (q->ncols != t->ncols)
    return sl_err_set(err, SL_ECONFIG, loc, "table '%s': the host source has %d columns, the table %d", t->name,
                      q->ncols, t->ncols);
  pthread_mutex_lock(&q->mu);
  bool busy = q->attached;
  q->attached = true;
  pthread_mutex_unlock(&q->mu);
  if (busy)
    return sl_err_set(err, SL_EUNSUPPORTED, loc, "table '%s': a host source can be read by one query at a time",
                      t->name);
  host_source *h = sl_calloc(1, sizeof *h);
  h->base.vt = &host_source_vt;
  h->q = q;
  h->wm = INT64_MIN;
  h->buffer_timeout_us = buffer_timeout_us;
  *out = &h->base;
  return 0;
}
