/* kinesis_source.c - the 'kinesis' source: every shard of a stream is a split, read with
 * GetShardIterator / GetRecords on the job's event loop and decoded by the table's format.
 *
 * A shard walks through: waiting for its parents (a child of a split or merge is read only once
 * every parent was read to its end, so records of one key stay in order) -> getting an iterator
 * -> fetching -> holding one GetRecords answer that read() decodes -> fetching again, at most once
 * per 'scan.shard.getrecords.intervalmillis' -> finished (a closed shard read to its end). Shards
 * are discovered with ListShards at the start and every discovery interval. An expired iterator
 * is replaced by one AFTER_SEQUENCE_NUMBER of the last record emitted.
 *
 * A shard's position is text: "TRIM_HORIZON", "AT_TIMESTAMP:<ms>", "AFTER_SEQUENCE_NUMBER:<seq>"
 * or "FINISHED". A shard started at LATEST is recorded as AT_TIMESTAMP of the moment its iterator
 * was asked for, so a restore before its first record misses nothing. Checkpoints hold every
 * shard's position, the arrival time of its last record (to tell a position that the stream's
 * retention has dropped) and its record count. */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <uv.h>

#include "base64.h"
#include "fmt.h"
#include "kinesis.h"
#include "kinesis_client.h"
#include "kinesis_records.h"
#include "metadata.h"

typedef enum {
  SH_WAIT_PARENTS,   /* a parent shard is not finished yet */
  SH_GET_ITERATOR,   /* GetShardIterator in flight */
  SH_SLEEPING,       /* waiting for the next fetch time */
  SH_FETCHING,       /* GetRecords in flight */
  SH_BUFFERED,       /* records of one answer wait for read() */
  SH_FINISHED
} shard_phase;

typedef struct kin_source kin_source;

typedef struct kin_shard {
  kin_source *src;
  int slot;
  char *id, *parent, *adjacent;
  char *position;         /* where reading resumes (see the top of the file) */
  int64_t arrival_ms;     /* arrival time of the last record emitted (or the start time), 0: unknown */
  int64_t records;        /* records read from this shard */
  char *iterator;
  shard_phase phase;
  sl_buf answer;          /* the GetRecords answer being read (its text) */
  sl_kin_records recs;    /* its records, pointing into answer */
  size_t next;            /* the next record to decode */
  bool closed;            /* the answer had no NextShardIterator: finished once drained */
  bool restored;          /* position came from a checkpoint */
  bool listed;            /* seen by the latest ListShards */
  uint64_t fetched_at;    /* loop time (ms) of the last GetRecords */
  int64_t data_at_us;     /* wall clock when records last came (idleness) */
  uv_timer_t timer;
  bool timer_on;
} kin_shard;

struct kin_source {
  sl_source base;
  char *table;
  char *stream, *stream_arn;
  sl_kin_opts o;
  sl_kin_client *client;
  sl_fmt_dec *dec;
  int npayload;
  int meta_col[3];        /* batch column of 'timestamp', 'shard-id', 'sequence-number', or -1 */
  kin_shard **shards;
  int nshards, capshards;
  uint8_t *states;
  int current;            /* slot of the last read()'s rows */
  int turn;
  sl_conn_env env;
  bool started, restored, listed_once, listing;
  uv_timer_t discovery;
  json_t *shard_list;     /* the shards of the pages so far */
  sl_err failure;         /* an asynchronous failure, reported by the next read() */
  bool failed;
  /* rows of the last batch, for where() */
  kin_shard *batch_shard;
  const char **row_seq;
  int row_cap;
  sl_buf retired;         /* the answer the last batch came from, kept until the next read */
  sl_buf data;            /* a decoded record */
  int64_t skipped;
};

static void fetch(kin_shard *sh);
static void get_iterator(kin_shard *sh);
static void list_shards(kin_source *s, const char *next_token);
static void describe_stream(kin_source *s);

static int64_t wall_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int64_t mono_us(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

/* Records an asynchronous failure; read() reports it. */
static void fail(kin_source *s, const char *fmt, const char *a, const char *b) {
  if (s->failed) return;
  s->failed = true;
  sl_err_set(&s->failure, SL_EIO, SL_ERR_NOLOC, fmt, s->table, a, b);
  s->env.wake(s->env.wake_arg);
}

static void set_position(kin_shard *sh, const char *kind, const char *value) {
  free(sh->position);
  sl_buf b;
  sl_buf_init(&b);
  sl_buf_adds(&b, kind);
  if (value) {
    sl_buf_addc(&b, ':');
    sl_buf_adds(&b, value);
  }
  sh->position = b.data;
}

/* ---------------------------------------------------------------------------------------------
 * Shards. */

static kin_shard *find_shard(kin_source *s, const char *id) {
  for (int i = 0; i < s->nshards; i++)
    if (!strcmp(s->shards[i]->id, id)) return s->shards[i];
  return NULL;
}

static kin_shard *add_shard(kin_source *s, const char *id) {
  if (s->nshards == s->capshards) {
    s->capshards = s->capshards ? s->capshards * 2 : 8;
    s->shards = sl_realloc(s->shards, sizeof(kin_shard *) * (size_t)s->capshards);
    s->states = sl_realloc(s->states, (size_t)s->capshards);
  }
  kin_shard *sh = sl_calloc(1, sizeof *sh);
  sh->src = s;
  sh->slot = s->nshards;
  sh->id = sl_strdup(id);
  sl_buf_init(&sh->answer);
  sh->phase = SH_WAIT_PARENTS;
  sh->data_at_us = mono_us();
  s->shards[s->nshards] = sh;
  s->states[s->nshards++] = SL_SPLIT_WAITING;
  return sh;
}

static void on_shard_timer(uv_timer_t *t) {
  kin_shard *sh = t->data;
  if (sh->phase == SH_SLEEPING) fetch(sh);
}

/* Fetches again once the interval since the last fetch has passed. */
static void schedule_fetch(kin_shard *sh) {
  kin_source *s = sh->src;
  sh->phase = SH_SLEEPING;
  uint64_t now = uv_now(s->env.loop), due = sh->fetched_at + (uint64_t)s->o.fetch_interval_ms;
  if (!sh->timer_on) {
    uv_timer_init(s->env.loop, &sh->timer);
    sh->timer.data = sh;
    sh->timer_on = true;
  }
  uv_timer_start(&sh->timer, on_shard_timer, due > now ? due - now : 0, 0);
}

static bool parent_done(kin_source *s, const char *id) {
  if (!id) return true;
  kin_shard *p = find_shard(s, id);
  return !p || p->phase == SH_FINISHED; /* a parent gone from the stream has expired: done */
}

/* Starts every shard whose parents are finished. */
static void start_ready_shards(kin_source *s) {
  for (int i = 0; i < s->nshards; i++) {
    kin_shard *sh = s->shards[i];
    if (sh->phase != SH_WAIT_PARENTS || !parent_done(s, sh->parent) || !parent_done(s, sh->adjacent)) continue;
    if (!strcmp(sh->position, "FINISHED")) {
      sh->phase = SH_FINISHED;
      s->states[sh->slot] = SL_SPLIT_FINISHED;
      i = -1; /* its children may start now */
      continue;
    }
    sh->data_at_us = mono_us();
    s->states[sh->slot] = SL_SPLIT_ACTIVE;
    if (s->env.log)
      fprintf(s->env.log, "sluice: kinesis (table '%s'): reading shard %s of stream '%s' from %s\n", s->table, sh->id,
              s->stream, sh->position);
    get_iterator(sh);
  }
}

static void finish_shard(kin_shard *sh) {
  kin_source *s = sh->src;
  sh->phase = SH_FINISHED;
  set_position(sh, "FINISHED", NULL);
  s->states[sh->slot] = SL_SPLIT_FINISHED;
  free(sh->iterator);
  sh->iterator = NULL;
  if (s->env.log)
    fprintf(s->env.log, "sluice: kinesis (table '%s'): shard %s read to its end (%lld records)\n", s->table, sh->id,
            (long long)sh->records);
  start_ready_shards(s);
}

/* ---------------------------------------------------------------------------------------------
 * GetShardIterator and GetRecords. */

static void on_iterator(void *arg, const sl_kin_result *r) {
  kin_shard *sh = arg;
  kin_source *s = sh->src;
  if (r->error_type[0]) {
    if (!strcmp(r->error_type, "ResourceNotFoundException") && s->env.log) {
      /* The shard expired or the stream is gone: the next discovery tells which. */
      fprintf(s->env.log, "sluice: kinesis (table '%s'): shard %s not found: %s\n", s->table, sh->id, r->message);
    }
    return fail(s, "table '%s': cannot get an iterator for shard %s: %s", sh->id, r->message);
  }
  json_t *j = json_loadb(r->body, r->len, 0, NULL);
  const char *it = json_string_value(json_object_get(j, "ShardIterator"));
  free(sh->iterator);
  sh->iterator = it ? sl_strdup(it) : NULL;
  json_decref(j);
  if (!sh->iterator) return finish_shard(sh); /* a closed shard with nothing after the position */
  sh->fetched_at = 0;
  fetch(sh);
}

static void get_iterator(kin_shard *sh) {
  kin_source *s = sh->src;
  sh->phase = SH_GET_ITERATOR;
  sl_buf b;
  sl_buf_init(&b);
  sl_buf_adds(&b, "{");
  if (s->stream_arn) {
    sl_buf_adds(&b, "\"StreamARN\":");
    sl_kin_json_string(&b, s->stream_arn);
  } else {
    sl_buf_adds(&b, "\"StreamName\":");
    sl_kin_json_string(&b, s->stream);
  }
  sl_buf_adds(&b, ",\"ShardId\":");
  sl_kin_json_string(&b, sh->id);
  const char *p = sh->position;
  if (!strcmp(p, "LATEST")) {
    /* Recorded as the moment asked, so that a restore before the first record misses nothing. */
    char ms[32];
    snprintf(ms, sizeof ms, "%lld", (long long)wall_ms());
    set_position(sh, "AT_TIMESTAMP", ms);
    sh->arrival_ms = wall_ms();
    sl_buf_adds(&b, ",\"ShardIteratorType\":\"LATEST\"}");
  } else if (!strcmp(p, "TRIM_HORIZON")) {
    sl_buf_adds(&b, ",\"ShardIteratorType\":\"TRIM_HORIZON\"}");
  } else if (!strncmp(p, "AT_TIMESTAMP:", 13)) {
    long long ms = atoll(p + 13);
    sl_buf_printf(&b, ",\"ShardIteratorType\":\"AT_TIMESTAMP\",\"Timestamp\":%lld.%03lld}", ms / 1000, ms % 1000);
  } else {
    sl_buf_adds(&b, ",\"ShardIteratorType\":\"AFTER_SEQUENCE_NUMBER\",\"StartingSequenceNumber\":");
    sl_kin_json_string(&b, p + strlen("AFTER_SEQUENCE_NUMBER:"));
    sl_buf_adds(&b, "}");
  }
  sl_kin_call(s->client, "GetShardIterator", b.data, b.len, on_iterator, sh);
  sl_buf_destroy(&b);
}

static void on_records(void *arg, const sl_kin_result *r) {
  kin_shard *sh = arg;
  kin_source *s = sh->src;
  if (!strcmp(r->error_type, "ExpiredIteratorException")) {
    if (s->env.log)
      fprintf(s->env.log, "sluice: kinesis (table '%s'): the iterator of shard %s expired; continuing from %s\n", s->table,
              sh->id, sh->position);
    return get_iterator(sh);
  }
  if (r->error_type[0]) return fail(s, "table '%s': GetRecords on shard %s failed: %s", sh->id, r->message);
  /* The answer's buffer becomes the shard's (no copy); the records point into it. */
  sl_buf t = sh->answer;
  sh->answer = *r->buf;
  *r->buf = t;
  if (sl_kin_records_parse(sh->answer.data, sh->answer.len, &sh->recs))
    return fail(s, "table '%s': GetRecords on shard %s: not a GetRecords answer: %.200s", sh->id, sh->answer.data);
  const char *next = sh->recs.next_iterator;
  free(sh->iterator);
  sh->iterator = next ? sl_strdup(next) : NULL;
  sh->closed = next == NULL;
  if (sh->recs.n == 0) {
    if (sh->closed) return finish_shard(sh);
    return schedule_fetch(sh);
  }
  sh->next = 0;
  sh->phase = SH_BUFFERED;
  sh->data_at_us = mono_us();
  s->states[sh->slot] = SL_SPLIT_ACTIVE;
  s->env.wake(s->env.wake_arg);
}

static void fetch(kin_shard *sh) {
  kin_source *s = sh->src;
  sh->phase = SH_FETCHING;
  sh->fetched_at = uv_now(s->env.loop);
  sl_buf b;
  sl_buf_init(&b);
  sl_buf_adds(&b, "{\"ShardIterator\":");
  sl_kin_json_string(&b, sh->iterator);
  sl_buf_printf(&b, ",\"Limit\":%lld}", (long long)s->o.max_records);
  sl_kin_call(s->client, "GetRecords", b.data, b.len, on_records, sh);
  sl_buf_destroy(&b);
}

/* ---------------------------------------------------------------------------------------------
 * Discovery. */

static void on_discovery_timer(uv_timer_t *t) {
  kin_source *s = t->data;
  if (!s->listing) list_shards(s, NULL);
}

/* The shards of a complete listing: new ones join (children of a reshard start at TRIM_HORIZON,
 * shards of the first listing at the start position); on a restore, a checkpointed shard that is
 * no longer listed and not finished has outlived the stream's retention. */
static void apply_listing(kin_source *s, json_t *shards) {
  bool first = !s->listed_once;
  s->listed_once = true;
  for (int i = 0; i < s->nshards; i++) s->shards[i]->listed = false;
  size_t k;
  json_t *e;
  json_array_foreach(shards, k, e) {
    const char *id = json_string_value(json_object_get(e, "ShardId"));
    if (!id) continue;
    kin_shard *sh = find_shard(s, id);
    if (!sh) {
      sh = add_shard(s, id);
      const char *p = json_string_value(json_object_get(e, "ParentShardId"));
      const char *a = json_string_value(json_object_get(e, "AdjacentParentShardId"));
      sh->parent = p ? sl_strdup(p) : NULL;
      sh->adjacent = a ? sl_strdup(a) : NULL;
      if (first && !s->restored) {
        if (s->o.start == SL_KIN_LATEST) set_position(sh, "LATEST", NULL);
        else if (s->o.start == SL_KIN_TRIM_HORIZON) set_position(sh, "TRIM_HORIZON", NULL);
        else {
          char ms[32];
          snprintf(ms, sizeof ms, "%lld", (long long)s->o.start_ts_ms);
          set_position(sh, "AT_TIMESTAMP", ms);
          sh->arrival_ms = s->o.start_ts_ms;
        }
      } else {
        set_position(sh, "TRIM_HORIZON", NULL);
        if (!first && s->env.log)
          fprintf(s->env.log, "sluice: kinesis (table '%s'): new shard %s (parents %s%s%s)\n", s->table, id,
                  p ? p : "none", a ? ", " : "", a ? a : "");
      }
    } else if (!sh->parent && sh->restored) {
      const char *p = json_string_value(json_object_get(e, "ParentShardId"));
      const char *a = json_string_value(json_object_get(e, "AdjacentParentShardId"));
      sh->parent = p ? sl_strdup(p) : NULL;
      sh->adjacent = a ? sl_strdup(a) : NULL;
    }
    sh->listed = true;
  }
  if (first && s->restored) {
    for (int i = 0; i < s->nshards; i++) {
      kin_shard *sh = s->shards[i];
      if (sh->listed || sh->phase == SH_FINISHED || !strcmp(sh->position, "FINISHED")) continue;
      if (!s->o.expired_from_trim_horizon)
        return fail(s,
                    "table '%s': shard %s of the checkpoint is no longer in the stream (%s): the records after the "
                    "checkpoint's position have expired; set 'scan.stream.restore.expired-position' = 'TRIM_HORIZON' "
                    "to go on without them",
                    sh->id, sh->position);
      /* Gone entirely: nothing is left to read in it. */
      if (s->env.log)
        fprintf(s->env.log, "sluice: kinesis (table '%s'): shard %s of the checkpoint has expired; skipping it\n",
                s->table, sh->id);
      sh->phase = SH_FINISHED;
      s->states[sh->slot] = SL_SPLIT_FINISHED;
      set_position(sh, "FINISHED", NULL);
    }
    return describe_stream(s); /* the retention check, then the shards start */
  }
  start_ready_shards(s);
}

bool sl_kin_position_expired(int64_t now_ms, int64_t arrival_ms, int64_t retention_hours) {
  return arrival_ms > 0 && retention_hours > 0 && now_ms - arrival_ms > retention_hours * 3600000;
}

/* Restore: a shard whose last record read arrived longer ago than the stream keeps records may
 * have lost the records after it (Kinesis would start the iterator at the trim horizon without a
 * word): fail, or with the option start it at TRIM_HORIZON knowingly. */
static void on_describe(void *arg, const sl_kin_result *r) {
  kin_source *s = arg;
  json_t *j = r->error_type[0] ? NULL : json_loadb(r->body, r->len, 0, NULL);
  json_int_t hours = json_integer_value(json_object_get(json_object_get(j, "StreamDescriptionSummary"), "RetentionPeriodHours"));
  json_decref(j);
  if (hours <= 0 && s->env.log)
    fprintf(s->env.log, "sluice: kinesis (table '%s'): cannot tell the stream's retention (%s); positions not checked\n",
            s->table, r->error_type[0] ? r->message : "no RetentionPeriodHours");
  int64_t now = wall_ms();
  for (int i = 0; hours > 0 && i < s->nshards; i++) {
    kin_shard *sh = s->shards[i];
    if (!sh->restored || sh->phase == SH_FINISHED || strncmp(sh->position, "AFTER_SEQUENCE_NUMBER:", 22) ||
        !sl_kin_position_expired(now, sh->arrival_ms, hours))
      continue;
    if (!s->o.expired_from_trim_horizon) {
      char what[160];
      snprintf(what, sizeof what, "its last record read arrived %lld h ago, the stream keeps %lld h",
               (long long)((now - sh->arrival_ms) / 3600000), (long long)hours);
      return fail(s,
                  "table '%s': the checkpoint's position in shard %s is older than the stream's retention (%s): "
                  "records after it may have expired; set 'scan.stream.restore.expired-position' = 'TRIM_HORIZON' "
                  "to go on from the oldest record kept",
                  sh->id, what);
    }
    if (s->env.log)
      fprintf(s->env.log, "sluice: kinesis (table '%s'): the position in shard %s is older than the retention; reading it "
              "from TRIM_HORIZON\n", s->table, sh->id);
    set_position(sh, "TRIM_HORIZON", NULL);
  }
  start_ready_shards(s);
}

static void describe_stream(kin_source *s) {
  sl_buf b;
  sl_buf_init(&b);
  sl_buf_adds(&b, s->stream_arn ? "{\"StreamARN\":" : "{\"StreamName\":");
  sl_kin_json_string(&b, s->stream_arn ? s->stream_arn : s->stream);
  sl_buf_adds(&b, "}");
  sl_kin_call(s->client, "DescribeStreamSummary", b.data, b.len, on_describe, s);
  sl_buf_destroy(&b);
}

static void on_list(void *arg, const sl_kin_result *r) {
  kin_source *s = arg;
  if (r->error_type[0]) {
    s->listing = false;
    if (!strcmp(r->error_type, "ResourceNotFoundException"))
      return fail(s, "table '%s': stream '%s' not found: %s", s->stream, r->message);
    if (s->listed_once) {
      /* Discovery fails now and then; reading goes on and the next round tries again. */
      if (s->env.log)
        fprintf(s->env.log, "sluice: kinesis (table '%s'): shard discovery failed: %s\n", s->table, r->message);
      uv_timer_start(&s->discovery, on_discovery_timer, (uint64_t)s->o.discovery_interval_ms, 0);
      return;
    }
    return fail(s, "table '%s': cannot list the shards of stream '%s': %s", s->stream, r->message);
  }
  json_t *j = json_loadb(r->body, r->len, 0, NULL);
  json_t *shards = json_object_get(j, "Shards");
  if (!s->shard_list) s->shard_list = json_array();
  json_array_extend(s->shard_list, shards);
  const char *next = json_string_value(json_object_get(j, "NextToken"));
  if (next) {
    list_shards(s, next);
    json_decref(j);
    return;
  }
  json_decref(j);
  s->listing = false;
  json_t *all = s->shard_list;
  s->shard_list = NULL;
  apply_listing(s, all);
  json_decref(all);
  uv_timer_start(&s->discovery, on_discovery_timer, (uint64_t)s->o.discovery_interval_ms, 0);
}

static void list_shards(kin_source *s, const char *next_token) {
  s->listing = true;
  sl_buf b;
  sl_buf_init(&b);
  if (next_token) {
    sl_buf_adds(&b, "{\"NextToken\":");
    sl_kin_json_string(&b, next_token);
  } else if (s->stream_arn) {
    sl_buf_adds(&b, "{\"StreamARN\":");
    sl_kin_json_string(&b, s->stream_arn);
  } else {
    sl_buf_adds(&b, "{\"StreamName\":");
    sl_kin_json_string(&b, s->stream);
  }
  sl_buf_adds(&b, "}");
  sl_kin_call(s->client, "ListShards", b.data, b.len, on_list, s);
  sl_buf_destroy(&b);
}

/* ---------------------------------------------------------------------------------------------
 * The source interface. */

static int ks_start(sl_source *src, const sl_conn_env *env, sl_err *err) {
  kin_source *s = (kin_source *)src;
  s->env = *env;
  if (s->o.idle_ms == 0 && env->idle_timeout_us > 0) s->o.idle_ms = env->idle_timeout_us / 1000;
  int rc = sl_kin_client_attach(s->client, env->loop, err);
  if (rc) return rc;
  uv_timer_init(env->loop, &s->discovery);
  s->discovery.data = s;
  s->started = true;
  list_shards(s, NULL);
  return 0;
}

static void close_shard_timer(kin_shard *sh) {
  if (sh->timer_on) {
    uv_close((uv_handle_t *)&sh->timer, NULL);
    sh->timer_on = false;
  }
}

static void ks_stop(sl_source *src) {
  kin_source *s = (kin_source *)src;
  if (!s->started) return;
  sl_kin_client_detach(s->client);
  for (int i = 0; i < s->nshards; i++) close_shard_timer(s->shards[i]);
  uv_close((uv_handle_t *)&s->discovery, NULL);
  s->started = false;
}

/* The shard to read from: one holding records, taking turns. */
static kin_shard *next_buffered(kin_source *s) {
  for (int k = 0; k < s->nshards; k++) {
    kin_shard *sh = s->shards[(s->turn + k) % s->nshards];
    if (sh->phase == SH_BUFFERED) {
      s->turn = (sh->slot + 1) % s->nshards;
      return sh;
    }
  }
  return NULL;
}

/* The metadata columns of row: arrival time (to the declared precision), shard, sequence number. */
static void fill_meta(kin_source *s, kin_shard *sh, const sl_kin_record *rec, sl_batch *b, uint32_t row) {
  for (int k = 0; k < 3; k++) {
    int c = s->meta_col[k];
    if (c < 0) continue;
    sl_col *col = &b->cols[c];
    if (col->nulls) col->nulls[row] = 0;
    if (k == 0) {
      int64_t us = (int64_t)(rec->arrival * 1000.0 + 0.5) * 1000, unit = 1;
      for (int p = col->type.precision; p < 6; p++) unit *= 10;
      col->i64[row] = us - us % unit;
    } else {
      const char *v = k == 1 ? sh->id : rec->seq;
      col->str[row] = sl_batch_str(b, v, (uint32_t)strlen(v));
    }
  }
}

static int ks_read(sl_source *src, sl_batch *b, sl_err *err) {
  kin_source *s = (kin_source *)src;
  if (s->failed) {
    *err = s->failure;
    return err->code;
  }
  sl_buf_reset(&s->retired);
  kin_shard *sh = next_buffered(s);
  if (!sh) return SL_SOURCE_WAIT;
  if (s->row_cap < b->cap) {
    s->row_cap = b->cap;
    s->row_seq = sl_realloc(s->row_seq, sizeof(char *) * (size_t)b->cap);
  }
  s->current = sh->slot;
  s->batch_shard = sh;
  const char *seq = NULL;
  while (b->nrows < b->cap && sh->next < sh->recs.n) {
    const sl_kin_record *rec = &sh->recs.recs[sh->next++];
    seq = rec->seq;
    if (rec->has_arrival) sh->arrival_ms = (int64_t)(rec->arrival * 1000.0 + 0.5);
    sh->records++;
    sl_buf_reset(&s->data);
    if (sl_base64_decode(rec->data, rec->data_len, &s->data)) {
      sl_err_set(err, SL_EFORMAT, SL_ERR_NOLOC, "table '%s': shard %s, sequence number %s: Data is not base64",
                 s->table, sh->id, seq);
      return SL_EFORMAT;
    }
    size_t n = s->data.len;
    while (n > 0 && (s->data.data[n - 1] == '\n' || s->data.data[n - 1] == '\r')) n--;
    uint32_t row = (uint32_t)b->nrows;
    int rc = sl_fmt_dec_record(s->dec, s->data.data ? s->data.data : "", n, b, row, err);
    if (rc == 1) {
      s->skipped++;
      continue;
    }
    if (rc) {
      sl_err e = *err;
      sl_err_clear(err);
      sl_err_set(err, rc, SL_ERR_NOLOC, "table '%s': shard %s, sequence number %s: %s", s->table, sh->id, seq, e.msg);
      return rc;
    }
    fill_meta(s, sh, rec, b, row);
    s->row_seq[row] = seq;
    b->nrows++;
  }
  if (seq) set_position(sh, "AFTER_SEQUENCE_NUMBER", seq);
  if (sh->next >= sh->recs.n) {
    /* Drained: the answer lives on until the next read (where() may look at it). */
    sl_buf t = s->retired;
    s->retired = sh->answer;
    sh->answer = t;
    if (sh->closed) finish_shard(sh);
    else schedule_fetch(sh);
  }
  return 0;
}

static void ks_where(sl_source *src, uint32_t row, sl_buf *out) {
  kin_source *s = (kin_source *)src;
  sl_buf_printf(out, "table '%s': shard %s, sequence number %s", s->table, s->batch_shard ? s->batch_shard->id : "?",
                row < (uint32_t)s->row_cap && s->row_seq[row] ? s->row_seq[row] : "?");
}

static int64_t ks_skipped(sl_source *src) { return ((kin_source *)src)->skipped; }

static void ks_describe(sl_source *src, sl_buf *out) {
  kin_source *s = (kin_source *)src;
  sl_buf_printf(out, "kinesis stream '%s'", s->stream);
}

static int ks_splits(sl_source *src, const uint8_t **state, int *current) {
  kin_source *s = (kin_source *)src;
  if (s->o.idle_ms > 0) {
    int64_t now = mono_us();
    for (int i = 0; i < s->nshards; i++) {
      kin_shard *sh = s->shards[i];
      if (s->states[i] == SL_SPLIT_FINISHED || s->states[i] == SL_SPLIT_WAITING) continue;
      bool idle = sh->phase != SH_BUFFERED && now - sh->data_at_us > s->o.idle_ms * 1000;
      s->states[i] = idle ? SL_SPLIT_IDLE : SL_SPLIT_ACTIVE;
    }
  }
  *state = s->states;
  *current = s->current;
  return s->nshards;
}

static int ks_position(sl_source *src, sl_source_pos *out, sl_err *err) {
  kin_source *s = (kin_source *)src;
  for (int i = 0; i < s->nshards; i++) {
    kin_shard *sh = s->shards[i];
    sl_source_pos_add(out, sh->id, sh->arrival_ms, sh->records, sh->position);
  }
  out->skipped = s->skipped;
  return 0;
}

/* Restore: the checkpoint's shards, in slot order, resume where it says. */
static int ks_seek(sl_source *src, const sl_source_pos *pos, sl_err *err) {
  kin_source *s = (kin_source *)src;
  s->restored = true;
  s->skipped = pos->skipped;
  for (int i = 0; i < pos->n; i++) {
    const sl_split_pos *p = &pos->splits[i];
    if (!p->position)
      return sl_err_set(err, SL_ECHECKPOINT, SL_ERR_NOLOC, "checkpoint does not match the job: source '%s'", s->table);
    kin_shard *sh = add_shard(s, p->split);
    sh->position = sl_strdup(p->position);
    sh->arrival_ms = p->offset;
    sh->records = p->record;
    sh->restored = true;
    if (!strcmp(sh->position, "FINISHED")) {
      sh->phase = SH_FINISHED;
      s->states[sh->slot] = SL_SPLIT_FINISHED;
    }
  }
  return 0;
}

static void ks_free(sl_source *src) {
  kin_source *s = (kin_source *)src;
  for (int i = 0; i < s->nshards; i++) {
    kin_shard *sh = s->shards[i];
    free(sh->id);
    free(sh->parent);
    free(sh->adjacent);
    free(sh->position);
    free(sh->iterator);
    sl_buf_destroy(&sh->answer);
    sl_kin_records_free(&sh->recs);
    free(sh);
  }
  free(s->shards);
  free(s->states);
  sl_buf_destroy(&s->retired);
  json_decref(s->shard_list);
  sl_kin_client_free(s->client);
  sl_fmt_dec_free(s->dec);
  free(s->row_seq);
  sl_buf_destroy(&s->data);
  free(s->table);
  free(s->stream);
  free(s->stream_arn);
  free(s);
}

static const sl_source_vtable kinesis_source_vt = {
  .read = ks_read, .where = ks_where, .skipped = ks_skipped, .describe = ks_describe, .free = ks_free,
  .position = ks_position, .seek = ks_seek, .start = ks_start, .stop = ks_stop, .splits = ks_splits,
};

/* The metadata Flink's Kinesis connector offers. */
static const sl_meta_key kinesis_meta[] = {
  {"timestamp", SL_TYPE_TIMESTAMP_LTZ, "TIMESTAMP_LTZ(3)"},
  {"shard-id", SL_TYPE_VARCHAR, "STRING"},
  {"sequence-number", SL_TYPE_VARCHAR, "STRING"},
};

int sl_kinesis_source_new(sl_conn_table *t, int64_t loc, sl_source **out, sl_err *err) {
  kin_source *s = sl_calloc(1, sizeof *s);
  s->base.vt = &kinesis_source_vt;
  sl_buf_init(&s->data);
  sl_buf_init(&s->retired);
  s->meta_col[0] = s->meta_col[1] = s->meta_col[2] = -1;
  int rc = sl_kin_opts_read(t, loc, true, &s->o, err);
  s->table = sl_strdup(t->name);
  s->stream = sl_strdup(s->o.stream ? s->o.stream : "");
  s->stream_arn = s->o.stream_arn ? sl_strdup(s->o.stream_arn) : NULL;
  s->npayload = t->ncols - t->nmeta;
  int idx[64];
  if (!rc && t->nmeta > 64) rc = sl_err_set(err, SL_EUNSUPPORTED, loc, "too many metadata columns");
  if (!rc) rc = sl_conn_meta_resolve(t, kinesis_meta, 3, idx, err);
  for (int i = 0; !rc && i < t->nmeta; i++) s->meta_col[idx[i]] = s->npayload + i;
  if (!rc) rc = sl_fmt_dec_new(s->o.format, s->npayload, t->names, t->types, t->opts, &s->dec, err);
  if (!rc) rc = sl_kin_open_client(t, &s->o, &s->client, err);
  if (rc) {
    ks_free(&s->base);
    return rc;
  }
  *out = &s->base;
  return 0;
}
