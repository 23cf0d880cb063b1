/* kinesis_sink.c - the 'kinesis' sink: rows encoded by the table's format become records, sent
 * with PutRecords in batches (at most 'sink.batch.max-size' records, 5 MiB). Records a partial
 * failure names (FailedRecordCount) are sent again, after a backoff, before anything newer.
 * Buffers are flushed when full, after 'sink.flush-buffer.timeout', at every checkpoint barrier
 * and at the end: at-least-once, as Flink's Kinesis sink (a restore resends what came after the
 * checkpoint). The partition key joins the PARTITIONED BY columns' values, else it is random
 * ('sink.partitioner' = 'random') or constant ('fixed'). */
#include <errno.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <uv.h>

#include "../engine/value_text.h"
#include "base64.h"
#include "fmt.h"
#include "kinesis.h"
#include "kinesis_client.h"
#include "metadata.h"

#define MAX_REQUEST_BYTES (5 << 20)   /* PutRecords: data and keys of all records */
#define MAX_RECORD_BYTES (1 << 20)    /* one record's data and key */
#define MAX_KEY_CHARS 256
#define MAX_ATTEMPTS 30               /* sends of one batch before giving up (~2 min) */
#define BACKOFF_BASE_MS 100
#define BACKOFF_CAP_MS 5000

typedef struct kin_sink {
  sl_sink base;
  char *table, *stream, *stream_arn;
  sl_kin_opts o;
  sl_kin_client *client;
  sl_fmt_enc *enc;
  int npart;
  int *part_cols;
  /* buffered records: JSON entries {"Data":..,"PartitionKey":..} back to back in recs */
  sl_buf recs;
  size_t *off, *size;     /* per entry: offset in recs, and its data + key bytes */
  int n, cap;
  size_t bytes;           /* data + key bytes buffered */
  uint64_t oldest_ms;     /* loop time of the oldest buffered record */
  uv_loop_t *loop;
  uv_timer_t timer;
  bool timer_on;
  sl_err deferred;        /* a failed timed flush, reported by the next call */
  bool failed;
  FILE *log;
  sl_buf line, key, body, resp;
  uint64_t rng;
  int64_t partial_failures;
} kin_sink;

static uint64_t next_random(kin_sink *s) {
  s->rng ^= s->rng << 13;
  s->rng ^= s->rng >> 7;
  s->rng ^= s->rng << 17;
  return s->rng;
}

static void sleep_ms(uint64_t ms) {
  struct timespec ts = {(time_t)(ms / 1000), (long)(ms % 1000) * 1000000L};
  while (nanosleep(&ts, &ts) != 0 && errno == EINTR) {
  }
}

/* The request body for the buffered entries idx[0..count), into s->body. */
static void build_request(kin_sink *s, const int *idx, int count) {
  sl_buf_reset(&s->body);
  if (s->stream_arn) {
    sl_buf_adds(&s->body, "{\"StreamARN\":");
    sl_kin_json_string(&s->body, s->stream_arn);
  } else {
    sl_buf_adds(&s->body, "{\"StreamName\":");
    sl_kin_json_string(&s->body, s->stream);
  }
  sl_buf_adds(&s->body, ",\"Records\":[");
  for (int i = 0; i < count; i++) {
    if (i) sl_buf_addc(&s->body, ',');
    int e = idx[i];
    size_t end = e + 1 < s->n ? s->off[e + 1] : s->recs.len;
    sl_buf_add(&s->body, s->recs.data + s->off[e], end - s->off[e]);
  }
  sl_buf_adds(&s->body, "]}");
}

/* Sends entries [0, count) until every one is stored; the failed ones of each answer go again
 * after a backoff. */
static int send_batch(kin_sink *s, int count, sl_err *err) {
  int *idx = sl_malloc(sizeof(int) * (size_t)count);
  for (int i = 0; i < count; i++) idx[i] = i;
  int left = count, rc = 0;
  for (int attempt = 1; left > 0; attempt++) {
    build_request(s, idx, left);
    sl_buf_reset(&s->resp);
    if ((rc = sl_kin_call_sync(s->client, "PutRecords", s->body.data, s->body.len, &s->resp, NULL, err))) break;
    json_t *j = json_loadb(s->resp.data, s->resp.len, 0, NULL);
    json_t *recs = json_object_get(j, "Records");
    if (!json_is_array(recs) || json_array_size(recs) != (size_t)left) {
      json_decref(j);
      rc = sl_err_set(err, SL_EIO, SL_ERR_NOLOC, "table '%s': PutRecords to stream '%s': unexpected answer", s->table,
                      s->stream);
      break;
    }
    int failed = 0;
    const char *code = NULL, *msg = NULL;
    for (int i = 0; i < left; i++) {
      json_t *r = json_array_get(recs, (size_t)i);
      const char *c = json_string_value(json_object_get(r, "ErrorCode"));
      if (!c) continue;
      if (!code) {
        code = c;
        msg = json_string_value(json_object_get(r, "ErrorMessage"));
      }
      idx[failed++] = idx[i];
    }
    if (failed && (s->o.fail_on_error || attempt >= MAX_ATTEMPTS)) {
      rc = sl_err_set(err, SL_EIO, SL_ERR_NOLOC, "table '%s': PutRecords to stream '%s': %d of %d records failed: %s%s%s%s",
                      s->table, s->stream, failed, left, code, msg ? " (" : "", msg ? msg : "", msg ? ")" : "");
      if (!s->o.fail_on_error) sl_err_hint(err, "gave up after %d attempts", attempt);
      json_decref(j);
      break;
    }
    if (failed) {
      s->partial_failures++;
      uint64_t cap = BACKOFF_BASE_MS;
      for (int i = 1; i < attempt && cap < BACKOFF_CAP_MS; i++) cap <<= 1;
      if (cap > BACKOFF_CAP_MS) cap = BACKOFF_CAP_MS;
      uint64_t delay = next_random(s) % (cap + 1);
      if (s->log && !(s->partial_failures & (s->partial_failures - 1)))
        fprintf(s->log,
                "sluice: kinesis (table '%s'): PutRecords: %d of %d records failed (%s), sending them again in %llu ms; "
                "%lld partial failures so far\n",
                s->table, failed, left, code, (unsigned long long)delay, (long long)s->partial_failures);
      json_decref(j);
      sleep_ms(delay);
    } else {
      json_decref(j);
    }
    left = failed;
  }
  free(idx);
  return rc;
}

/* Forgets the first k buffered entries. */
static void drop_front(kin_sink *s, int k) {
  size_t base = k < s->n ? s->off[k] : s->recs.len;
  memmove(s->recs.data, s->recs.data + base, s->recs.len - base);
  s->recs.len -= base;
  for (int i = k; i < s->n; i++) {
    s->off[i - k] = s->off[i] - base;
    s->size[i - k] = s->size[i];
  }
  s->n -= k;
}

/* Sends buffered records in batches: all of them, or (all = false) only full batches. */
static int flush_records(kin_sink *s, bool all, sl_err *err) {
  while (s->n > 0) {
    int count = 0;
    size_t bytes = 0;
    while (count < s->n && count < s->o.batch_max && bytes + s->size[count] <= MAX_REQUEST_BYTES)
      bytes += s->size[count++];
    bool full = count < s->n || count == s->o.batch_max || bytes >= (size_t)s->o.flush_bytes;
    if (!all && !full) break;
    int rc = send_batch(s, count, err);
    if (rc) return rc;
    drop_front(s, count);
    s->bytes -= bytes;
  }
  if (s->n && s->loop) s->oldest_ms = uv_now(s->loop);
  return 0;
}

/* The partition key of row: the PARTITIONED BY values joined by the delimiter, else random or fixed. */
static void partition_key(kin_sink *s, const sl_batch *b, uint32_t row) {
  sl_buf_reset(&s->key);
  if (s->npart == 0) {
    if (s->o.random_partitioner) sl_buf_printf(&s->key, "%016llx", (unsigned long long)next_random(s));
    else sl_buf_adds(&s->key, "0");
    return;
  }
  for (int i = 0; i < s->npart; i++) {
    if (i) sl_buf_addc(&s->key, s->o.delimiter);
    sl_value v;
    int c = s->part_cols[i];
    sl_col_get(&b->cols[c], row, &v);
    if (v.is_null) sl_buf_adds(&s->key, "null");
    else sl_value_render(b->cols[c].type, &v, &s->key);
  }
  /* At most 256 characters (cut at a UTF-8 character boundary), and never empty. */
  size_t chars = 0, i = 0;
  for (; i < s->key.len; i++)
    if (((unsigned char)s->key.data[i] & 0xC0) != 0x80 && ++chars > MAX_KEY_CHARS) break;
  s->key.len = i;
  if (s->key.len == 0) sl_buf_adds(&s->key, "null");
  s->key.data[s->key.len] = 0;
}

static int ksk_write(sl_sink *sink, const sl_batch *b, sl_err *err) {
  kin_sink *s = (kin_sink *)sink;
  if (s->failed) {
    *err = s->deferred;
    return err->code;
  }
  int live = sl_batch_live(b);
  for (int i = 0; i < live; i++) {
    uint32_t row = sl_batch_row(b, i);
    sl_buf_reset(&s->line);
    sl_fmt_enc_row(s->enc, b, row, &s->line);
    size_t n = s->line.len;
    while (n > 0 && s->line.data[n - 1] == '\n') n--;
    partition_key(s, b, row);
    size_t size = n + s->key.len;
    if (size > MAX_RECORD_BYTES)
      return sl_err_set(err, SL_EIO, SL_ERR_NOLOC, "table '%s': a record of %zu bytes is over Kinesis' 1 MiB limit",
                        s->table, size);
    if (s->n == s->cap) {
      s->cap = s->cap ? s->cap * 2 : 1024;
      s->off = sl_realloc(s->off, sizeof(size_t) * (size_t)s->cap);
      s->size = sl_realloc(s->size, sizeof(size_t) * (size_t)s->cap);
    }
    if (s->n == 0 && s->loop) s->oldest_ms = uv_now(s->loop);
    s->off[s->n] = s->recs.len;
    s->size[s->n++] = size;
    s->bytes += size;
    sl_buf_adds(&s->recs, "{\"Data\":\"");
    sl_base64_encode(s->line.data, n, &s->recs);
    sl_buf_adds(&s->recs, "\",\"PartitionKey\":");
    sl_kin_json_string(&s->recs, s->key.data);
    sl_buf_addc(&s->recs, '}');
  }
  if (s->n >= s->o.batch_max || s->bytes >= (size_t)s->o.flush_bytes) return flush_records(s, false, err);
  return 0;
}

static int ksk_flush(sl_sink *sink, sl_err *err) {
  kin_sink *s = (kin_sink *)sink;
  if (s->failed) {
    *err = s->deferred;
    return err->code;
  }
  return flush_records(s, true, err);
}

static void on_timer(uv_timer_t *t) {
  kin_sink *s = t->data;
  if (s->failed || s->n == 0 || uv_now(s->loop) - s->oldest_ms < (uint64_t)s->o.flush_timeout_ms) return;
  sl_err_clear(&s->deferred);
  if (flush_records(s, true, &s->deferred)) s->failed = true;
}

static int ksk_start(sl_sink *sink, const sl_conn_env *env, sl_err *err) {
  kin_sink *s = (kin_sink *)sink;
  s->loop = env->loop;
  s->oldest_ms = uv_now(s->loop);
  if (s->o.flush_timeout_ms <= 0) return 0;
  uv_timer_init(s->loop, &s->timer);
  s->timer.data = s;
  s->timer_on = true;
  uint64_t every = (uint64_t)s->o.flush_timeout_ms / 4 + 1;
  uv_timer_start(&s->timer, on_timer, every, every);
  return 0;
}

static void ksk_stop(sl_sink *sink) {
  kin_sink *s = (kin_sink *)sink;
  if (s->timer_on) uv_close((uv_handle_t *)&s->timer, NULL);
  s->timer_on = false;
  s->loop = NULL;
}

static void ksk_describe(sl_sink *sink, sl_buf *out) { sl_buf_printf(out, "kinesis stream '%s'", ((kin_sink *)sink)->stream); }

static void ksk_free(sl_sink *sink) {
  kin_sink *s = (kin_sink *)sink;
  sl_kin_client_free(s->client);
  sl_fmt_enc_free(s->enc);
  free(s->part_cols);
  free(s->off);
  free(s->size);
  sl_buf_destroy(&s->recs);
  sl_buf_destroy(&s->line);
  sl_buf_destroy(&s->key);
  sl_buf_destroy(&s->body);
  sl_buf_destroy(&s->resp);
  free(s->table);
  free(s->stream);
  free(s->stream_arn);
  free(s);
}

static const sl_sink_vtable kinesis_sink_vt = {
  .write = ksk_write, .finish = ksk_flush, .describe = ksk_describe, .free = ksk_free,
  .flush = ksk_flush, .start = ksk_start, .stop = ksk_stop,
};

int sl_kinesis_sink_new(sl_conn_table *t, int64_t loc, sl_sink **out, sl_err *err) {
  kin_sink *s = sl_calloc(1, sizeof *s);
  s->base.vt = &kinesis_sink_vt;
  sl_buf_init(&s->recs);
  sl_buf_init(&s->line);
  sl_buf_init(&s->key);
  sl_buf_init(&s->body);
  sl_buf_init(&s->resp);
  s->log = t->log;
  s->rng = (uint64_t)time(NULL) * 0x9E3779B97F4A7C15ull ^ (uint64_t)(uintptr_t)s;
  if (!s->rng) s->rng = 1;
  int rc = sl_conn_meta_none(t, err);
  if (!rc) rc = sl_kin_opts_read(t, loc, false, &s->o, err);
  s->table = sl_strdup(t->name);
  s->stream = sl_strdup(s->o.stream ? s->o.stream : "");
  s->stream_arn = s->o.stream_arn ? sl_strdup(s->o.stream_arn) : NULL;
  s->npart = t->npart;
  if (t->npart) {
    s->part_cols = sl_malloc(sizeof(int) * (size_t)t->npart);
    memcpy(s->part_cols, t->part_cols, sizeof(int) * (size_t)t->npart);
  }
  if (!rc) rc = sl_fmt_enc_new(s->o.format, t->ncols, t->names, t->types, t->opts, &s->enc, err);
  if (!rc) rc = sl_kin_open_client(t, &s->o, &s->client, err);
  if (rc) {
    ksk_free(&s->base);
    return rc;
  }
  *out = &s->base;
  return 0;
}
