/* test_kinesis.c - the Kinesis connector's pure parts: base64 and the options of both dialects. */
#include <check.h>
#include <stdio.h>
#include <string.h>

#include "connectors/base64.h"
#include "connectors/kinesis.h"
#include "connectors/kinesis_records.h"

static sl_option g_items[16];
static sl_options g_opts;
static sl_err g_err;

/* A sl_conn_table whose options are kv (key, value, ..., NULL); key i sits at byte 10 * i. */
static sl_conn_table *table(const char *const *kv) {
  static sl_conn_table t;
  g_opts.n = 0;
  g_opts.items = g_items;
  for (int i = 0; kv[i]; i += 2) {
    int k = i / 2;
    g_items[k] = (sl_option){.key = kv[i], .value = kv[i + 1], .key_loc = 10 * k, .value_loc = 10 * k + 5};
    g_opts.n++;
  }
  sl_err_clear(&g_err);
  t = (sl_conn_table){.name = "tx", .connector = "kinesis", .opts = &g_opts};
  return &t;
}

START_TEST(test_base64_round_trip) {
  const char *cases[] = {"", "f", "fo", "foo", "foob", "fooba", "foobar", "{\"a\":1}\n"};
  const char *enc[] = {"", "Zg==", "Zm8=", "Zm9v", "Zm9vYg==", "Zm9vYmE=", "Zm9vYmFy", "eyJhIjoxfQo="};
  for (int i = 0; i < 8; i++) {
    sl_buf b, d;
    sl_buf_init(&b);
    sl_buf_init(&d);
    sl_base64_encode(cases[i], strlen(cases[i]), &b);
    ck_assert_str_eq(b.data, enc[i]);
    ck_assert_int_eq(sl_base64_decode(b.data, b.len, &d), 0);
    ck_assert_uint_eq(d.len, strlen(cases[i]));
    ck_assert(memcmp(d.data, cases[i], d.len) == 0);
    sl_buf_destroy(&b);
    sl_buf_destroy(&d);
  }
  unsigned char all[256];
  for (int i = 0; i < 256; i++) all[i] = (unsigned char)i;
  sl_buf b, d;
  sl_buf_init(&b);
  sl_buf_init(&d);
  sl_base64_encode(all, sizeof all, &b);
  ck_assert_int_eq(sl_base64_decode(b.data, b.len, &d), 0);
  ck_assert(d.len == 256 && memcmp(d.data, all, 256) == 0);
  sl_buf_destroy(&b);
  sl_buf_destroy(&d);
}
END_TEST

START_TEST(test_base64_rejects_bad_input) {
  const char *bad[] = {"Zg=", "Z===", "Zm9v!A==", "Zg==Zg==", "=Zg="};
  for (int i = 0; i < 5; i++) {
    sl_buf d;
    sl_buf_init(&d);
    ck_assert_msg(sl_base64_decode(bad[i], strlen(bad[i]), &d) != 0, "%s decoded", bad[i]);
    sl_buf_destroy(&d);
  }
}
END_TEST

START_TEST(test_kinesis_legacy_dialect) {
  const char *kv[] = {"stream", "tx", "aws.region", "eu-west-1", "scan.stream.initpos", "AT_TIMESTAMP",
                      "scan.stream.initpos-timestamp", "1709280000.25", "scan.shard.getrecords.maxrecordcount", "500",
                      "scan.shard.idle.interval", "3000", "format", "json", NULL};
  sl_kin_opts o;
  ck_assert_int_eq(sl_kin_opts_read(table(kv), 7, true, &o, &g_err), 0);
  ck_assert_str_eq(o.stream, "tx");
  ck_assert_str_eq(o.aws.region, "eu-west-1");
  ck_assert_int_eq(o.start, SL_KIN_AT_TIMESTAMP);
  ck_assert_int_eq(o.start_ts_ms, 1709280000250);
  ck_assert_int_eq(o.max_records, 500);
  ck_assert_int_eq(o.idle_ms, 3000);
  ck_assert_int_eq(o.fetch_interval_ms, 200);
  ck_assert_int_eq(o.discovery_interval_ms, 10000);
}
END_TEST

START_TEST(test_kinesis_current_dialect) {
  const char *kv[] = {"stream.arn", "arn:aws:kinesis:ap-south-1:123456789012:stream/orders", "source.init.position",
                      "AT_TIMESTAMP", "source.init.timestamp", "2024-03-01T08:00:00.000+01:00",
                      "source.shard.discovery.interval", "30 s", "format", "csv", NULL};
  sl_kin_opts o;
  ck_assert_int_eq(sl_kin_opts_read(table(kv), 7, true, &o, &g_err), 0);
  ck_assert_str_eq(o.stream, "orders");
  ck_assert_str_eq(o.aws.region, "ap-south-1");
  ck_assert_int_eq(o.start_ts_ms, 1709276400000); /* 07:00 UTC */
  ck_assert_int_eq(o.discovery_interval_ms, 30000);
}
END_TEST

START_TEST(test_kinesis_option_errors_name_the_option) {
  const char *both[] = {"stream", "a", "stream.arn", "arn:aws:kinesis:us-east-1:1:stream/b", "format", "json", NULL};
  sl_kin_opts o;
  ck_assert_int_eq(sl_kin_opts_read(table(both), 7, true, &o, &g_err), SL_ECONFIG);
  ck_assert_str_eq(g_err.msg, "options 'stream' and 'stream.arn' both set the same thing; give one of them");
  ck_assert_int_eq(g_err.loc, 10);
  const char *none[] = {"format", "json", NULL};
  ck_assert_int_eq(sl_kin_opts_read(table(none), 7, true, &o, &g_err), SL_ECONFIG);
  ck_assert_int_eq(g_err.loc, 7);
  const char *pos[] = {"stream", "a", "scan.stream.initpos", "EARLIEST", "format", "json", NULL};
  ck_assert_int_eq(sl_kin_opts_read(table(pos), 7, true, &o, &g_err), SL_ECONFIG);
  ck_assert_str_eq(g_err.msg, "option 'scan.stream.initpos' must be LATEST, TRIM_HORIZON or AT_TIMESTAMP, not 'EARLIEST'");
  const char *ts[] = {"stream", "a", "scan.stream.initpos", "AT_TIMESTAMP", "format", "json", NULL};
  ck_assert_int_eq(sl_kin_opts_read(table(ts), 7, true, &o, &g_err), SL_ECONFIG);
  ck_assert_str_eq(g_err.msg, "start position AT_TIMESTAMP needs option 'scan.stream.initpos-timestamp'");
  const char *basic[] = {"stream", "a", "aws.credentials.provider", "BASIC", "format", "json", NULL};
  ck_assert_int_eq(sl_kin_opts_read(table(basic), 7, true, &o, &g_err), SL_ECONFIG);
  const char *batch[] = {"stream", "a", "sink.batch.max-size", "501", "format", "json", NULL};
  ck_assert_int_eq(sl_kin_opts_read(table(batch), 7, false, &o, &g_err), SL_ECONFIG);
  ck_assert_str_eq(g_err.msg, "option 'sink.batch.max-size' must be between 1 and 500, not '501'");
}
END_TEST

/* Parses text (copied: the parser writes into it). */
static int parse(const char *text, sl_kin_records *r, char *buf, size_t cap) {
  snprintf(buf, cap, "%s", text);
  return sl_kin_records_parse(buf, strlen(buf), r);
}

START_TEST(test_getrecords_answer_read_in_place) {
  char buf[1024];
  sl_kin_records r = {0};
  ck_assert_int_eq(parse("{\"Records\":[{\"SequenceNumber\":\"4959\",\"ApproximateArrivalTimestamp\":1709280000.123,"
                         "\"Data\":\"eyJhIjoxfQ==\",\"PartitionKey\":\"k \\\"1\\\"\",\"EncryptionType\":null},"
                         "{\"Data\":\"Zm9v\",\"SequenceNumber\":\"4960\",\"Extra\":{\"a\":[1,2,{\"b\":true}]}}],"
                         "\"NextShardIterator\":\"AAAA\\/BB==\",\"MillisBehindLatest\":0,\"ChildShards\":[]}",
                         &r, buf, sizeof buf), 0);
  ck_assert_uint_eq(r.n, 2);
  ck_assert_str_eq(r.recs[0].seq, "4959");
  ck_assert_str_eq(r.recs[0].data, "eyJhIjoxfQ==");
  ck_assert(r.recs[0].has_arrival);
  ck_assert(r.recs[0].arrival > 1709280000.12 && r.recs[0].arrival < 1709280000.13);
  ck_assert_str_eq(r.recs[1].seq, "4960");
  ck_assert_uint_eq(r.recs[1].data_len, 4);
  ck_assert(!r.recs[1].has_arrival);
  ck_assert_str_eq(r.next_iterator, "AAAA/BB==");
  /* A closed shard read to its end: no iterator (absent or null), no records. */
  ck_assert_int_eq(parse("{\"Records\":[],\"NextShardIterator\":null}", &r, buf, sizeof buf), 0);
  ck_assert_uint_eq(r.n, 0);
  ck_assert_ptr_null(r.next_iterator);
  const char *bad[] = {"", "[]", "{}", "{\"Records\":[{\"Data\":\"Zm9v\"}]}", "{\"Records\":[{\"SequenceNumber\":\"1\",",
                       "{\"Records\":[1]}", "{\"NextShardIterator\":\"A\"}", "{\"Records\":[]"};
  for (int i = 0; i < 8; i++) ck_assert_msg(parse(bad[i], &r, buf, sizeof buf) != 0, "parsed: %s", bad[i]);
  sl_kin_records_free(&r);
}
END_TEST

START_TEST(test_kinesis_retention_check) {
  int64_t h = 3600000;
  ck_assert(!sl_kin_position_expired(100 * h, 90 * h, 24));
  ck_assert(!sl_kin_position_expired(100 * h, 76 * h, 24)); /* exactly the retention */
  ck_assert(sl_kin_position_expired(100 * h, 76 * h - 1, 24));
  ck_assert(!sl_kin_position_expired(100 * h, 0, 24));       /* unknown arrival */
  ck_assert(!sl_kin_position_expired(100 * h, 1, 0));        /* unknown retention */
}
END_TEST

int main(void) {
  Suite *s = suite_create("kinesis");
  TCase *tc = tcase_create("kinesis");
  tcase_add_test(tc, test_base64_round_trip);
  tcase_add_test(tc, test_base64_rejects_bad_input);
  tcase_add_test(tc, test_kinesis_legacy_dialect);
  tcase_add_test(tc, test_kinesis_current_dialect);
  tcase_add_test(tc, test_kinesis_option_errors_name_the_option);
  tcase_add_test(tc, test_getrecords_answer_read_in_place);
  tcase_add_test(tc, test_kinesis_retention_check);
  suite_add_tcase(s, tc);
  SRunner *sr = srunner_create(s);
  srunner_run_all(sr, CK_NORMAL);
  int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  return failed ? 1 : 0;
}
