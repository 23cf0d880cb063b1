/* test_bind.c - the binder's errors (code, exact message, byte position) and the plan of the fraud query. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../sql/plan.h"

#define TX_DDL                                                                              \
  "CREATE TABLE transactions (\n"                                                           \
  "  transaction_id STRING,\n"                                                              \
  "  card_id STRING,\n"                                                                     \
  "  amount DECIMAL(10, 2),\n"                                                              \
  "  merchant_country STRING,\n"                                                            \
  "  event_time TIMESTAMP(3),\n"                                                            \
  "  WATERMARK FOR event_time AS event_time - INTERVAL '5' SECOND\n"                        \
  ") WITH ('connector' = 'blackhole');\n"

#define ALERTS_DDL                                                                          \
  "CREATE TABLE fraud_alerts (\n"                                                           \
  "  card_id STRING,\n"                                                                     \
  "  window_start TIMESTAMP(3),\n"                                                          \
  "  tx_count BIGINT,\n"                                                                    \
  "  total_amount DECIMAL(10, 2)\n"                                                         \
  ") WITH ('connector' = 'blackhole');\n"

static sl_arena arena;
static sl_catalog cat;
static sl_err err;
static sl_plan *plan; /* plan of the last INSERT/SELECT bound */

static void setup(void) {
  sl_arena_init(&arena, 0);
  sl_catalog_init(&cat, &arena);
  sl_err_clear(&err);
  plan = NULL;
}

static void teardown(void) {
  sl_catalog_destroy(&cat);
  sl_arena_destroy(&arena);
}

/* Parses and binds every statement in order; stops at the first error and returns its code. */
static int run(const char *sql) {
  sl_ast_script *script;
  int rc = sl_sql_parse(sql, strlen(sql), &arena, &script, &err);
  ck_assert_msg(rc == 0, "parse failed: %s", err.msg);
  for (int i = 0; i < script->stmts->n; i++) {
    sl_ast_stmt *st = script->stmts->items[i];
    switch (st->kind) {
      case SL_STMT_CREATE_TABLE: rc = sl_bind_create_table(&cat, &arena, st, &err); break;
      case SL_STMT_CREATE_VIEW: rc = sl_bind_create_view(&cat, &arena, st, &err); break;
      default: rc = sl_bind_statement(&cat, &arena, sql, st, &plan, &err); break;
    }
    if (rc) return rc;
  }
  return 0;
}

/* The error must be code with exactly msg, located at the first occurrence of at (after skip
 * occurrences) in sql. */
static void expect_err(const char *sql, int code, const char *msg, const char *at, int skip) {
  int rc = run(sql);
  ck_assert_int_eq(rc, code);
  ck_assert_int_eq(err.code, code);
  ck_assert_str_eq(err.msg, msg);
  const char *p = strstr(sql, at);
  for (int i = 0; p && i < skip; i++) p = strstr(p + 1, at);
  ck_assert_ptr_nonnull(p);
  ck_assert_int_eq(err.loc, p - sql);
}

START_TEST(unknown_table_suggests_the_closest_name) {
  const char *sql = TX_DDL "SELECT card_id FROM transaction;";
  expect_err(sql, SL_EBIND, "table 'transaction' not found (did you mean 'transactions'?)", "transaction;", 0);
}
END_TEST

START_TEST(unknown_table_without_a_close_name) {
  const char *sql = TX_DDL "SELECT card_id FROM nothing_like_it;";
  expect_err(sql, SL_EBIND, "table 'nothing_like_it' not found", "nothing_like_it", 0);
}
END_TEST

START_TEST(unknown_column_suggests_the_closest_column) {
  const char *sql = TX_DDL "SELECT card_id,\n  amout FROM transactions;";
  expect_err(sql, SL_EBIND, "column 'amout' not found in table 'transactions' (did you mean 'amount'?)", "amout", 0);
}
END_TEST

START_TEST(non_grouped_column_in_an_aggregate_query) {
  const char *sql = TX_DDL "SELECT card_id, amount, COUNT(*) FROM transactions\n"
                           "GROUP BY card_id, TUMBLE(event_time, INTERVAL '1' MINUTE);";
  expect_err(sql, SL_EBIND, "expression 'amount' is neither grouped nor aggregated", "amount, COUNT", 0);
}
END_TEST

#define NO_WINDOW_MSG                                                                                  \
  "aggregation without a window (an updating aggregate) is not supported yet; group by TUMBLE(time_col, " \
  "size) or by window_start, window_end of a TUMBLE table function"

START_TEST(aggregation_without_a_window_is_rejected) {
  const char *sql = TX_DDL "SELECT card_id, COUNT(*) FROM transactions GROUP BY card_id;";
  expect_err(sql, SL_EUNSUPPORTED, NO_WINDOW_MSG, "card_id;", 0);
  ck_assert(strncmp(err.msg, "aggregation without a window", 28) == 0);
  teardown();
  setup();
  const char *sql2 = TX_DDL "SELECT COUNT(*) FROM transactions;";
  expect_err(sql2, SL_EUNSUPPORTED, NO_WINDOW_MSG, "SELECT COUNT(*)", 0);
}
END_TEST

START_TEST(tumble_on_a_column_that_is_not_a_time_attribute) {
  const char *sql = TX_DDL "SELECT COUNT(*) FROM transactions GROUP BY TUMBLE(amount, INTERVAL '1' MINUTE);";
  expect_err(sql, SL_EBIND, "the time column of a window must be a time attribute (a column with a WATERMARK)",
             "amount, INTERVAL", 0);
}
END_TEST

START_TEST(insert_with_the_wrong_number_of_columns) {
  const char *sql = TX_DDL ALERTS_DDL "INSERT INTO fraud_alerts SELECT card_id, amount FROM transactions;";
  expect_err(sql, SL_EBIND, "column count mismatch: table 'fraud_alerts' has 4 columns, query produces 2",
             "fraud_alerts SELECT", 0);
}
END_TEST

START_TEST(duplicate_table_points_at_the_second_name) {
  const char *sql = TX_DDL TX_DDL;
  expect_err(sql, SL_EBIND, "table or view 'transactions' already exists", "transactions (", 1);
}
END_TEST

START_TEST(if_not_exists_keeps_the_first_table) {
  ck_assert_int_eq(run(TX_DDL "CREATE TABLE IF NOT EXISTS transactions (x INT) WITH ('connector' = 'blackhole');"), 0);
  ck_assert_int_eq(sl_catalog_table(&cat, "transactions")->ncols, 5);
}
END_TEST

START_TEST(watermark_on_an_unknown_column) {
  const char *sql = "CREATE TABLE t (ts TIMESTAMP(3), WATERMARK FOR tss AS ts) WITH ('connector' = 'blackhole');";
  expect_err(sql, SL_EBIND, "column 'tss' not found in table 't' (did you mean 'ts'?)", "tss", 0);
}
END_TEST

#define SHIP_DDL                                                                            \
  "CREATE TABLE shipments (card STRING, carrier STRING, ts TIMESTAMP(3),\n"                    \
  "  WATERMARK FOR ts AS ts - INTERVAL '1' SECOND) WITH ('connector' = 'blackhole');\n"

/* The JOIN node of the bound query (under projections and filters). */
static const sl_plan *join_of(const char *sql) {
  int rc = run(sql);
  ck_assert_msg(rc == 0, "bind failed: %s", err.msg);
  const sl_plan *p = plan;
  while (p && p->kind != SL_PLAN_JOIN) p = p->input;
  ck_assert_ptr_nonnull(p);
  return p;
}

#define SEC INT64_C(1000000)

START_TEST(interval_join_bounds_from_between) {
  const sl_plan *j = join_of(TX_DDL SHIP_DDL "SELECT a.card_id, b.carrier FROM transactions a, shipments b\n"
                                     "WHERE a.card_id = b.card AND a.event_time BETWEEN b.ts - INTERVAL '4' HOUR AND b.ts;");
  ck_assert_int_eq(j->join_kind, SL_JOIN_INTERVAL);
  ck_assert_int_eq(j->join_type, SL_JOIN_INNER);
  ck_assert_int_eq(j->njkeys, 1);
  ck_assert_int_eq(j->lower, -4 * 3600 * SEC);
  ck_assert_int_eq(j->upper, 0);
  ck_assert_int_eq(j->ltime, 4);
  ck_assert_int_eq(j->rtime, 2);
  ck_assert_ptr_null(j->residual);
  /* Both time attributes survive an interval join. */
  ck_assert(j->out.types[4].rowtime);
  ck_assert(j->out.types[5 + 2].rowtime);
}
END_TEST

/* Strict bounds are one microsecond inside; a comparison written right-to-left is flipped. */
START_TEST(interval_join_strict_and_flipped_bounds) {
  const sl_plan *j = join_of(TX_DDL SHIP_DDL "SELECT * FROM transactions a JOIN shipments b ON a.card_id = b.card\n"
                                     "AND a.event_time > b.ts - INTERVAL '1' MINUTE AND b.ts > a.event_time - INTERVAL '10' SECOND;");
  ck_assert_int_eq(j->join_kind, SL_JOIN_INTERVAL);
  ck_assert_int_eq(j->lower, -60 * SEC + 1);
  ck_assert_int_eq(j->upper, 10 * SEC - 1);
}
END_TEST

/* Conjuncts of an inner join that read one side become filters below the join; the rest of a
 * condition that is neither a key nor a bound is the residual. */
START_TEST(join_pushes_one_sided_predicates_down) {
  const sl_plan *j = join_of(TX_DDL SHIP_DDL "SELECT * FROM transactions a, shipments b WHERE a.card_id = b.card\n"
                                     "AND a.amount > 10 AND b.carrier = 'ups' AND a.merchant_country <> b.carrier\n"
                                     "AND a.event_time BETWEEN b.ts AND b.ts + INTERVAL '1' HOUR;");
  ck_assert_int_eq(j->input->kind, SL_PLAN_FILTER);
  ck_assert_int_eq(j->right->kind, SL_PLAN_FILTER);
  ck_assert_int_eq(j->right->pred->args[0]->col, 1); /* carrier, as a column of shipments */
  ck_assert_ptr_nonnull(j->residual);
  ck_assert_int_eq(j->njkeys, 1);
}
END_TEST

/* Without both bounds a join is regular: a lone bound is an ordinary predicate, and time
 * attributes end at the join. Outer joins make the padded side nullable. */
START_TEST(join_without_both_bounds_is_regular) {
  const sl_plan *j = join_of(TX_DDL SHIP_DDL "SELECT * FROM transactions a LEFT JOIN shipments b\n"
                                     "ON a.card_id = b.card AND a.event_time >= b.ts;");
  ck_assert_int_eq(j->join_kind, SL_JOIN_REGULAR);
  ck_assert_int_eq(j->join_type, SL_JOIN_LEFT);
  ck_assert_ptr_nonnull(j->residual);
  ck_assert(!j->out.types[4].rowtime);
  ck_assert(j->out.types[5].nullable);
  ck_assert_int_eq(j->rowtime, -1);
}
END_TEST

static const char *type_str(sl_type t) {
  static char buf[4][64];
  static int i;
  i = (i + 1) % 4;
  return sl_type_name(t, buf[i], sizeof buf[i]);
}

START_TEST(fraud_query_binds_to_a_window_aggregate_under_a_sink) {
  const char *sql = TX_DDL ALERTS_DDL
    "INSERT INTO fraud_alerts\n"
    "SELECT\n"
    "  card_id,\n"
    "  TUMBLE_START(event_time, INTERVAL '5' MINUTE) AS window_start,\n"
    "  COUNT(*) AS tx_count,\n"
    "  SUM(amount) AS total_amount\n"
    "FROM transactions\n"
    "WHERE merchant_country <> 'CA'\n"
    "GROUP BY card_id, TUMBLE(event_time, INTERVAL '5' MINUTE)\n"
    "HAVING COUNT(*) > 3 AND SUM(amount) > 500;";
  int rc = run(sql);
  ck_assert_msg(rc == 0, "bind failed: %s", err.msg);
  ck_assert_ptr_nonnull(plan);
  ck_assert_int_eq(plan->kind, SL_PLAN_SINK);
  ck_assert_ptr_eq(plan->sink, sl_catalog_table(&cat, "fraud_alerts"));
  ck_assert_int_eq(plan->out.n, 4);
  const sl_plan *w = plan->input;
  while (w && w->kind != SL_PLAN_WINDOW_AGG) {
    ck_assert(w->kind == SL_PLAN_PROJECT || w->kind == SL_PLAN_FILTER);
    w = w->input;
  }
  ck_assert_ptr_nonnull(w);
  ck_assert_int_eq(w->window_kind, SL_WINDOW_TUMBLE);
  ck_assert_int_eq(w->size, 300000000LL);
  ck_assert_int_eq(w->nkeys, 1);
  ck_assert_int_eq(w->naggs, 2);
  ck_assert_int_eq(w->aggs[0].kind, SL_AGG_COUNT_STAR);
  ck_assert_ptr_null(w->aggs[0].arg);
  ck_assert_str_eq(type_str(w->aggs[0].type), "BIGINT NOT NULL");
  ck_assert_int_eq(w->aggs[1].kind, SL_AGG_SUM);
  ck_assert_str_eq(type_str(w->aggs[1].type), "DECIMAL(38, 2)");
  /* Below the window: the WHERE filter over the scan of transactions. */
  const sl_plan *in = w->input;
  while (in && in->kind != SL_PLAN_SCAN) in = in->input;
  ck_assert_ptr_nonnull(in);
  ck_assert_str_eq(in->table->name, "transactions");
  ck_assert_str_eq(w->input->out.names[w->time_col], "event_time");
  ck_assert(w->input->out.types[w->time_col].rowtime);
}
END_TEST

/* ---- METADATA columns ----------------------------------------------------------------- */

#define KIN_DDL                                                                             \
  "CREATE TABLE k (\n"                                                                      \
  "  id INT,\n"                                                                             \
  "  arrival TIMESTAMP_LTZ(3) METADATA FROM 'timestamp' VIRTUAL,\n"                         \
  "  amount DOUBLE,\n"                                                                      \
  "  `shard-id` STRING METADATA,\n"                                                         \
  "  doubled AS amount * 2,\n"                                                              \
  "  WATERMARK FOR arrival AS arrival - INTERVAL '1' SECOND\n"                              \
  ") WITH ('connector' = 'blackhole');\n"

/* FROM 'key' names the key, without it the column's name is the key; both keep where their
 * METADATA clause (and key) are. They are columns of the table in declared order, and one
 * can be the WATERMARK column. */
START_TEST(metadata_columns_are_table_columns_with_their_keys) {
  const char *sql = KIN_DDL "SELECT * FROM k;";
  int rc = run(sql);
  ck_assert_msg(rc == 0, "bind failed: %s", err.msg);
  const sl_table_def *t = sl_catalog_table(&cat, "k");
  ck_assert_int_eq(t->ncols, 5);
  ck_assert_int_eq(t->nphysical, 4);
  ck_assert_int_eq(t->nmeta, 2);
  ck_assert(!t->cols[0].metadata);
  ck_assert(t->cols[1].metadata);
  ck_assert(t->cols[1].is_virtual);
  ck_assert_str_eq(t->cols[1].meta_key, "timestamp");
  ck_assert_int_eq(t->cols[1].meta_loc, strstr(sql, "METADATA FROM 'timestamp'") - sql);
  ck_assert_int_eq(t->cols[1].meta_key_loc, strstr(sql, "'timestamp'") - sql);
  ck_assert(t->cols[3].metadata);
  ck_assert(!t->cols[3].is_virtual);
  ck_assert_str_eq(t->cols[3].meta_key, "shard-id");
  ck_assert_int_eq(t->cols[3].meta_loc, strstr(sql, "METADATA,") - sql);
  ck_assert_int_eq(t->cols[3].meta_key_loc, t->cols[3].meta_loc);
  ck_assert(!t->cols[4].metadata);
  ck_assert_int_eq(t->rowtime, 1);
  const sl_plan *scan = plan;
  while (scan && scan->kind != SL_PLAN_SCAN) scan = scan->input;
  ck_assert_ptr_nonnull(scan);
  const char *want[] = {"id", "arrival", "amount", "shard-id", "doubled"};
  ck_assert_int_eq(plan->out.n, 5);
  for (int i = 0; i < 5; i++) ck_assert_str_eq(plan->out.names[i], want[i]);
  ck_assert_str_eq(type_str(scan->out.types[1]), "TIMESTAMP_LTZ(3) *ROWTIME*");
  ck_assert_str_eq(type_str(scan->out.types[3]), "STRING");
  ck_assert_ptr_nonnull(scan->wm_expr);
}
END_TEST

/* VIRTUAL metadata columns are not written: like computed columns, they are not sink columns. */
START_TEST(insert_leaves_out_virtual_metadata_columns) {
  const char *ddl = "CREATE TABLE o (a INT, m TIMESTAMP_LTZ(3) METADATA FROM 'timestamp' VIRTUAL, b STRING,\n"
                    "  c AS a + 1) WITH ('connector' = 'blackhole');\n";
  char sql[512];
  snprintf(sql, sizeof sql, "%sINSERT INTO o SELECT 1, 'x';", ddl);
  int rc = run(sql);
  ck_assert_msg(rc == 0, "bind failed: %s", err.msg);
  ck_assert_int_eq(plan->kind, SL_PLAN_SINK);
  ck_assert_int_eq(plan->out.n, 2);
  ck_assert_str_eq(plan->out.names[0], "a");
  ck_assert_str_eq(plan->out.names[1], "b");
  teardown();
  setup();
  snprintf(sql, sizeof sql, "%sINSERT INTO o SELECT 1, 'x', 'y';", ddl);
  expect_err(sql, SL_EBIND, "column count mismatch: table 'o' has 2 columns, query produces 3", "o SELECT", 0);
  teardown();
  setup();
  snprintf(sql, sizeof sql, "%sINSERT INTO o (a, m) SELECT 1, 'x';", ddl);
  expect_err(sql, SL_EBIND, "column 'm' of table 'o' is a VIRTUAL metadata column and cannot be written", "o (a, m)", 0);
}
END_TEST

/* No connector writes metadata, so a table with a non-VIRTUAL metadata column is no sink; the
 * error points at the column's METADATA clause (line 3, column 21). */
START_TEST(non_virtual_metadata_column_in_a_sink_is_rejected_at_its_clause) {
  const char *sql = "CREATE TABLE o (\n"
                    "  a INT,\n"
                    "  arrival TIMESTAMP METADATA FROM 'timestamp'\n"
                    ") WITH ('connector' = 'print');\n"
                    "INSERT INTO o SELECT 1, CAST(NULL AS TIMESTAMP);";
  expect_err(sql, SL_EUNSUPPORTED,
             "table 'o': connector 'print' cannot write metadata column 'arrival' (key 'timestamp'); declare it "
             "VIRTUAL to use the table as a sink",
             "METADATA FROM", 0);
  int line, col;
  sl_err_linecol(sql, err.loc, &line, &col);
  ck_assert_int_eq(line, 3);
  ck_assert_int_eq(col, 21);
}
END_TEST

/* As in Flink, a primary key takes physical columns only. */
START_TEST(metadata_column_in_a_primary_key_is_rejected) {
  const char *sql = "CREATE TABLE t (a INT, s STRING METADATA FROM 'shard-id', PRIMARY KEY (s) NOT ENFORCED)\n"
                    "WITH ('connector' = 'blackhole');";
  expect_err(sql, SL_EBIND,
             "primary key column 's' of table 't' is a METADATA column; a primary key takes physical columns only",
             "PRIMARY", 0);
}
END_TEST

int main(void) {
  Suite *s = suite_create("bind");
  TCase *tc = tcase_create("errors");
  tcase_add_checked_fixture(tc, setup, teardown);
  tcase_add_test(tc, unknown_table_suggests_the_closest_name);
  tcase_add_test(tc, unknown_table_without_a_close_name);
  tcase_add_test(tc, unknown_column_suggests_the_closest_column);
  tcase_add_test(tc, non_grouped_column_in_an_aggregate_query);
  tcase_add_test(tc, aggregation_without_a_window_is_rejected);
  tcase_add_test(tc, tumble_on_a_column_that_is_not_a_time_attribute);
  tcase_add_test(tc, insert_with_the_wrong_number_of_columns);
  tcase_add_test(tc, duplicate_table_points_at_the_second_name);
  tcase_add_test(tc, if_not_exists_keeps_the_first_table);
  tcase_add_test(tc, watermark_on_an_unknown_column);
  tcase_add_test(tc, interval_join_bounds_from_between);
  tcase_add_test(tc, interval_join_strict_and_flipped_bounds);
  tcase_add_test(tc, join_pushes_one_sided_predicates_down);
  tcase_add_test(tc, join_without_both_bounds_is_regular);
  tcase_add_test(tc, fraud_query_binds_to_a_window_aggregate_under_a_sink);
  suite_add_tcase(s, tc);
  tc = tcase_create("metadata");
  tcase_add_checked_fixture(tc, setup, teardown);
  tcase_add_test(tc, metadata_columns_are_table_columns_with_their_keys);
  tcase_add_test(tc, insert_leaves_out_virtual_metadata_columns);
  tcase_add_test(tc, non_virtual_metadata_column_in_a_sink_is_rejected_at_its_clause);
  tcase_add_test(tc, metadata_column_in_a_primary_key_is_rejected);
  suite_add_tcase(s, tc);
  SRunner *sr = srunner_create(s);
  srunner_run_all(sr, CK_NORMAL);
  int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
