/* kinesis.h - the 'kinesis' connector's parts: its table options (both Flink dialects) and the
 * source and sink built on them. */
#ifndef SL_KINESIS_H
#define SL_KINESIS_H

#include "../state/aws_auth.h"
#include "conn.h"

/* Where a shard starts when the job has no checkpoint for it. */
typedef enum { SL_KIN_LATEST, SL_KIN_TRIM_HORIZON, SL_KIN_AT_TIMESTAMP } sl_kin_start;

typedef struct sl_kin_opts {
  const char *stream;           /* stream name (from 'stream', or the end of 'stream.arn') */
  const char *stream_arn;       /* 'stream.arn', or NULL */
  const char *endpoint;         /* 'aws.endpoint', or NULL */
  sl_aws_settings aws;          /* region, explicit keys or profile */
  char arn_region[64];          /* the region of 'stream.arn' (aws.region points here when unset) */
  const char *format;
  int64_t loc;                  /* the table, for messages without a better place */
  /* source */
  sl_kin_start start;
  int64_t start_ts_ms;          /* AT_TIMESTAMP */
  int64_t max_records;          /* GetRecords Limit */
  int64_t fetch_interval_ms;    /* between GetRecords calls on one shard */
  int64_t discovery_interval_ms;
  int64_t idle_ms;              /* a shard without records this long is idle; 0: never */
  bool expired_from_trim_horizon; /* restore: start a shard whose position expired at TRIM_HORIZON */
  /* sink */
  bool random_partitioner;      /* 'sink.partitioner' = random (else: fixed or by columns) */
  int64_t batch_max;            /* records per PutRecords */
  int64_t flush_bytes;          /* buffered bytes that trigger a flush */
  int64_t flush_timeout_ms;
  int64_t max_buffered;         /* records buffered at most before a write blocks on a flush */
  bool fail_on_error;
  char delimiter;               /* between partition key columns */
} sl_kin_opts;

/* Reads the options of t (marking them used) for a source or a sink. Errors name the option. */
int sl_kin_opts_read(sl_conn_table *t, int64_t loc, bool source, sl_kin_opts *o, sl_err *err);

/* Once the format has read its options: fails at the first option nobody read (before looking
 * for credentials, so a misspelt option is named first), then makes the table's client. The
 * options' strings belong to the table: o forgets them. */
struct sl_kin_client;
int sl_kin_open_client(sl_conn_table *t, sl_kin_opts *o, struct sl_kin_client **out, sl_err *err);

/* Restore: whether a position whose last record arrived at arrival_ms (0: unknown) is older than
 * a retention of retention_hours at now_ms. */
bool sl_kin_position_expired(int64_t now_ms, int64_t arrival_ms, int64_t retention_hours);

int sl_kinesis_source_new(sl_conn_table *t, int64_t loc, sl_source **out, sl_err *err);
int sl_kinesis_sink_new(sl_conn_table *t, int64_t loc, sl_sink **out, sl_err *err);

#endif
