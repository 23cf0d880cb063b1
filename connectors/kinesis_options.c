/* kinesis_options.c - the 'kinesis' connector's options, in both dialects Flink users have: the
 * legacy connector's ('stream', 'scan.stream.initpos', 'scan.shard.*') and the current one's
 * ('stream.arn', 'source.init.position', 'source.shard.discovery.interval'). Giving the same
 * setting in both dialects is an error naming the second option. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "../engine/datetime.h"
#include "kinesis.h"
#include "kinesis_client.h"

/* The option of either dialect that is set: "a" and "b" both set is an error at b. */
static int either(sl_options *opts, const char *a, const char *b, sl_option **out, sl_err *err) {
  sl_option *oa = sl_options_find(opts, a), *ob = sl_options_find(opts, b);
  *out = NULL;
  if (oa) oa->used = true;
  if (ob) ob->used = true;
  if (oa && ob)
    return sl_err_set(err, SL_ECONFIG, ob->key_loc, "options '%s' and '%s' both set the same thing; give one of them", a,
                      b);
  *out = oa ? oa : ob;
  return 0;
}

static int bad_value(const sl_option *o, const char *expected, sl_err *err) {
  return sl_err_set(err, SL_ECONFIG, o->value_loc, "option '%s' must be %s, not '%s'", o->key, expected, o->value);
}

/* 'scan.stream.initpos-timestamp': seconds since the epoch ("1459799926.480"), or a date-time
 * ("2024-03-01T08:00:00.000Z", "2024-03-01 08:00:00", with an optional "+hh:mm" offset), or text
 * in the given Java pattern. */
static int parse_start_ts(const sl_option *o, const sl_option *fmt, int64_t *ms, sl_err *err) {
  const char *v = o->value;
  char *end;
  double secs = strtod(v, &end);
  if (end != v && *end == 0) {
    *ms = (int64_t)(secs * 1000.0 + (secs >= 0 ? 0.5 : -0.5));
    return 0;
  }
  int64_t us;
  if (fmt) {
    if (sl_ts_parse_pattern(v, strlen(v), fmt->value, strlen(fmt->value), &us))
      return sl_err_set(err, SL_ECONFIG, o->value_loc, "option '%s': '%s' does not match the format '%s'", o->key, v,
                        fmt->value);
    *ms = us / 1000;
    return 0;
  }
  size_t n = strlen(v);
  int64_t offset_min = 0;
  /* A trailing zone offset "+hh:mm" / "-hh:mm" (the default Flink pattern ends in XXX). */
  if (n > 6 && (v[n - 6] == '+' || v[n - 6] == '-') && v[n - 3] == ':') {
    int h = atoi(v + n - 5), m = atoi(v + n - 2);
    offset_min = (v[n - 6] == '-' ? -1 : 1) * (h * 60 + m);
    n -= 6;
  }
  if (sl_ts_parse(v, n, true, &us))
    return bad_value(o, "seconds since the epoch or a date-time such as '2024-03-01T08:00:00.000Z'", err);
  *ms = us / 1000 - offset_min * 60000;
  return 0;
}

static int read_start(sl_options *opts, sl_kin_opts *o, sl_err *err) {
  sl_option *pos, *ts, *fmt;
  int rc;
  if ((rc = either(opts, "scan.stream.initpos", "source.init.position", &pos, err)) ||
      (rc = either(opts, "scan.stream.initpos-timestamp", "source.init.timestamp", &ts, err)) ||
      (rc = either(opts, "scan.stream.initpos-timestamp-format", "source.init.timestamp.format", &fmt, err)))
    return rc;
  o->start = SL_KIN_LATEST;
  if (pos) {
    if (!strcasecmp(pos->value, "LATEST")) o->start = SL_KIN_LATEST;
    else if (!strcasecmp(pos->value, "TRIM_HORIZON")) o->start = SL_KIN_TRIM_HORIZON;
    else if (!strcasecmp(pos->value, "AT_TIMESTAMP")) o->start = SL_KIN_AT_TIMESTAMP;
    else return bad_value(pos, "LATEST, TRIM_HORIZON or AT_TIMESTAMP", err);
  }
  if (o->start == SL_KIN_AT_TIMESTAMP) {
    if (!ts)
      return sl_err_set(err, SL_ECONFIG, pos->value_loc, "start position AT_TIMESTAMP needs option '%s'",
                        !strcmp(pos->key, "scan.stream.initpos") ? "scan.stream.initpos-timestamp" : "source.init.timestamp");
    return parse_start_ts(ts, fmt, &o->start_ts_ms, err);
  }
  if (ts)
    return sl_err_set(err, SL_ECONFIG, ts->key_loc, "option '%s' only applies to the start position AT_TIMESTAMP", ts->key);
  return 0;
}

/* Milliseconds from an option of either dialect: the legacy one is a plain number of
 * milliseconds, the current one a Flink duration. */
static int read_ms(sl_options *opts, const char *legacy, const char *current, int64_t dflt_ms, int64_t *out,
                   sl_err *err) {
  sl_option *o;
  int rc = either(opts, legacy, current, &o, err);
  if (rc) return rc;
  *out = dflt_ms;
  if (!o) return 0;
  int64_t us;
  if (o == sl_options_find(opts, legacy)) {
    char *end;
    long long v = strtoll(o->value, &end, 10);
    if (end == o->value || *end) return bad_value(o, "a number of milliseconds", err);
    *out = v;
    return 0;
  }
  if ((rc = sl_options_duration(opts, current, 0, &us, err))) return rc;
  *out = us / 1000;
  return 0;
}

static int read_source(sl_options *opts, sl_kin_opts *o, sl_err *err) {
  int rc;
  if ((rc = read_start(opts, o, err))) return rc;
  if ((rc = sl_options_int(opts, "scan.shard.getrecords.maxrecordcount", 10000, &o->max_records, err))) return rc;
  if (o->max_records < 1 || o->max_records > 10000)
    return bad_value(sl_options_find(opts, "scan.shard.getrecords.maxrecordcount"), "between 1 and 10000", err);
  if ((rc = sl_options_int(opts, "scan.shard.getrecords.intervalmillis", 200, &o->fetch_interval_ms, err))) return rc;
  if (o->fetch_interval_ms < 0) return bad_value(sl_options_find(opts, "scan.shard.getrecords.intervalmillis"), ">= 0", err);
  if ((rc = read_ms(opts, "scan.shard.discovery.intervalmillis", "source.shard.discovery.interval", 10000,
                    &o->discovery_interval_ms, err)))
    return rc;
  if (o->discovery_interval_ms < 1) {
    sl_option *d = sl_options_find(opts, "scan.shard.discovery.intervalmillis");
    return bad_value(d ? d : sl_options_find(opts, "source.shard.discovery.interval"), "positive", err);
  }
  int64_t idle;
  if ((rc = sl_options_int(opts, "scan.shard.idle.interval", -1, &idle, err))) return rc;
  o->idle_ms = idle > 0 ? idle : 0;
  sl_option *rp;
  if ((rc = either(opts, "scan.stream.recordpublisher", "source.reader.type", &rp, err))) return rc;
  if (rp && strcasecmp(rp->value, "POLLING")) {
    if (!strcasecmp(rp->value, "EFO"))
      return sl_err_set(err, SL_EUNSUPPORTED, rp->value_loc,
                        "enhanced fan-out (EFO) is not supported; sluice reads shards with GetRecords ('POLLING')");
    return bad_value(rp, "POLLING or EFO", err);
  }
  sl_option *ex = sl_options_find(opts, "scan.stream.restore.expired-position");
  if (ex) {
    ex->used = true;
    if (!strcasecmp(ex->value, "TRIM_HORIZON")) o->expired_from_trim_horizon = true;
    else if (strcasecmp(ex->value, "FAIL")) return bad_value(ex, "FAIL or TRIM_HORIZON", err);
  }
  return 0;
}

static int read_sink(sl_options *opts, sl_kin_opts *o, sl_err *err) {
  int rc;
  o->random_partitioner = true;
  sl_option *p = sl_options_find(opts, "sink.partitioner");
  if (p) {
    p->used = true;
    if (!strcasecmp(p->value, "fixed")) o->random_partitioner = false;
    else if (strcasecmp(p->value, "random"))
      return bad_value(p, "'random' or 'fixed' (custom partitioner classes are Java; use PARTITIONED BY columns)", err);
  }
  if ((rc = sl_options_char(opts, "sink.partitioner-field-delimiter", '|', &o->delimiter, err)) ||
      (rc = sl_options_int(opts, "sink.batch.max-size", 500, &o->batch_max, err)) ||
      (rc = sl_options_size(opts, "sink.flush-buffer.size", 5 << 20, &o->flush_bytes, err)) ||
      (rc = sl_options_int(opts, "sink.requests.max-buffered", 10000, &o->max_buffered, err)) ||
      (rc = sl_options_bool(opts, "sink.fail-on-error", false, &o->fail_on_error, err)))
    return rc;
  int64_t us, inflight;
  if ((rc = sl_options_duration(opts, "sink.flush-buffer.timeout", 5000000, &us, err)) ||
      (rc = sl_options_int(opts, "sink.requests.max-inflight", 50, &inflight, err)))
    return rc;
  o->flush_timeout_ms = us / 1000;
  if (o->batch_max < 1 || o->batch_max > 500) return bad_value(sl_options_find(opts, "sink.batch.max-size"), "between 1 and 500", err);
  if (o->flush_bytes < 1) return bad_value(sl_options_find(opts, "sink.flush-buffer.size"), "positive", err);
  return 0;
}

/* The AWS options: region, endpoint and the credentials provider with its keys. */
static int read_aws(sl_options *opts, sl_kin_opts *o, sl_err *err) {
  memset(&o->aws, 0, sizeof o->aws);
  o->aws.region = sl_options_get(opts, "aws.region");
  o->endpoint = sl_options_get(opts, "aws.endpoint");
  sl_option *prov = sl_options_find(opts, "aws.credentials.provider");
  const char *kind = "AUTO";
  if (prov) {
    prov->used = true;
    kind = prov->value;
  }
  const char *ak = sl_options_get(opts, "aws.credentials.provider.basic.accesskeyid");
  const char *sk = sl_options_get(opts, "aws.credentials.provider.basic.secretkey");
  const char *profile = sl_options_get(opts, "aws.credentials.provider.profile.name");
  if (!strcasecmp(kind, "BASIC")) {
    if (!ak || !sk)
      return sl_err_set(err, SL_ECONFIG, prov->value_loc,
                        "credentials provider BASIC needs 'aws.credentials.provider.basic.accesskeyid' and "
                        "'aws.credentials.provider.basic.secretkey'");
    o->aws.access_key = ak;
    o->aws.secret_key = sk;
  } else if (!strcasecmp(kind, "PROFILE")) {
    o->aws.profile = profile;
  } else if (strcasecmp(kind, "AUTO") && strcasecmp(kind, "ENV_VAR")) {
    return sl_err_set(err, SL_EUNSUPPORTED, prov->value_loc,
                      "credentials provider '%s' is not supported; use AUTO (environment, then profile), ENV_VAR, "
                      "BASIC or PROFILE",
                      kind);
  }
  if (strcasecmp(kind, "BASIC") && (ak || sk)) {
    sl_option *k = sl_options_find(opts, ak ? "aws.credentials.provider.basic.accesskeyid"
                                             : "aws.credentials.provider.basic.secretkey");
    return sl_err_set(err, SL_ECONFIG, k->key_loc, "option '%s' needs 'aws.credentials.provider' = 'BASIC'", k->key);
  }
  if (profile && strcasecmp(kind, "PROFILE"))
    return sl_err_set(err, SL_ECONFIG, sl_options_find(opts, "aws.credentials.provider.profile.name")->key_loc,
                      "option 'aws.credentials.provider.profile.name' needs 'aws.credentials.provider' = 'PROFILE'");
  return 0;
}

/* The stream: 'stream' (a name) or 'stream.arn' (arn:aws:kinesis:REGION:ACCOUNT:stream/NAME),
 * whose region serves when 'aws.region' is not given. */
static int read_stream(sl_options *opts, sl_kin_opts *o, int64_t loc, sl_err *err) {
  sl_option *s;
  int rc = either(opts, "stream", "stream.arn", &s, err);
  if (rc) return rc;
  if (!s) return sl_err_set(err, SL_ECONFIG, loc, "connector 'kinesis' needs option 'stream' or 'stream.arn'");
  if (!strcmp(s->key, "stream")) {
    if (!s->value[0]) return bad_value(s, "a stream name", err);
    o->stream = s->value;
    return 0;
  }
  const char *slash = strstr(s->value, ":stream/");
  if (strncmp(s->value, "arn:", 4) || !slash || !slash[8])
    return bad_value(s, "a stream ARN such as 'arn:aws:kinesis:us-east-1:123456789012:stream/transactions'", err);
  o->stream_arn = s->value;
  o->stream = slash + 8;
  if (!o->aws.region) {
    /* arn:PARTITION:kinesis:REGION:... */
    const char *p = s->value;
    for (int i = 0; i < 3 && p; i++) p = strchr(p + 1, ':');
    if (p) {
      const char *e = strchr(p + 1, ':');
      if (e && e - p - 1 > 0 && (size_t)(e - p - 1) < sizeof o->arn_region) {
        memcpy(o->arn_region, p + 1, (size_t)(e - p - 1));
        o->arn_region[e - p - 1] = 0;
        o->aws.region = o->arn_region;
      }
    }
  }
  return 0;
}

int sl_kin_open_client(sl_conn_table *t, sl_kin_opts *o, sl_kin_client **out, sl_err *err) {
  int rc = sl_options_check_unused(t->opts, "connector 'kinesis'", err);
  if (rc) return rc;
  char what[256];
  snprintf(what, sizeof what, "table '%s'", t->name);
  rc = sl_kin_client_new(&o->aws, o->endpoint, what, t->log, out, err);
  o->stream = o->stream_arn = o->endpoint = o->format = NULL;
  memset(&o->aws, 0, sizeof o->aws);
  return rc;
}

int sl_kin_opts_read(sl_conn_table *t, int64_t loc, bool source, sl_kin_opts *o, sl_err *err) {
  memset(o, 0, sizeof *o);
  o->loc = loc;
  int rc;
  if ((rc = read_aws(t->opts, o, err)) || (rc = read_stream(t->opts, o, loc, err))) return rc;
  o->format = sl_options_get(t->opts, "format");
  if (!o->format) return sl_err_set(err, SL_ECONFIG, loc, "connector 'kinesis' needs option 'format' (json or csv)");
  return source ? read_source(t->opts, o, err) : read_sink(t->opts, o, err);
}
