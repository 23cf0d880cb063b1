/* kinesis_records.h - a GetRecords answer, read in place (see kinesis_records.c). */
#ifndef SL_KINESIS_RECORDS_H
#define SL_KINESIS_RECORDS_H

#include <stdbool.h>
#include <stddef.h>

typedef struct sl_kin_record {
  char *seq;              /* SequenceNumber */
  char *data;             /* Data, base64 */
  size_t data_len;
  double arrival;         /* ApproximateArrivalTimestamp, seconds since the epoch */
  bool has_arrival;
} sl_kin_record;

typedef struct sl_kin_records {
  sl_kin_record *recs;
  size_t n, cap;
  char *next_iterator;    /* NextShardIterator, NULL when the shard is closed and read to its end */
} sl_kin_records;

/* Parses body[0..len) (which must stay alive and is modified: strings are NUL-terminated in
 * place) into out, reusing out's array. Returns 0, or -1 when it is not a GetRecords answer
 * (no "Records" array, a record without SequenceNumber or Data, bad JSON). */
int sl_kin_records_parse(char *body, size_t len, sl_kin_records *out);
void sl_kin_records_free(sl_kin_records *r);

#endif
