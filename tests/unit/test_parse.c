/* test_parse.c - the lemon grammar: every statement form, the AST fields it fills, operator
 * precedence, INTERVAL forms, types and exact syntax error messages and offsets. */
#include <check.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ast.h"

/* ---- Fixture: one arena per test, freed in teardown (ASan proves nothing leaks) --------- */

static sl_arena arena;
static sl_err err;

static void setup(void) {
  sl_arena_init(&arena, 1024);
  sl_err_clear(&err);
}

static void teardown(void) { sl_arena_destroy(&arena); }

/* Parses sql, which must succeed. */
static sl_ast_script *parse_ok(const char *sql) {
  sl_ast_script *s = NULL;
  sl_err_clear(&err);
  int rc = sl_sql_parse(sql, strlen(sql), &arena, &s, &err);
  ck_assert_msg(rc == 0, "parse of [%s] failed: %s at %lld", sql, err.msg, (long long)err.loc);
  ck_assert_ptr_nonnull(s);
  return s;
}

static sl_ast_stmt *stmt1(const char *sql) {
  sl_ast_script *s = parse_ok(sql);
  ck_assert_int_eq(s->stmts->n, 1);
  return s->stmts->items[0];
}

/* Parses sql, which must fail with msg at loc. */
static void parse_fails(const char *sql, const char *msg, int64_t loc) {
  sl_ast_script *s = (sl_ast_script *)1;
  sl_err_clear(&err);
  int rc = sl_sql_parse(sql, strlen(sql), &arena, &s, &err);
  ck_assert_msg(rc == SL_ESYNTAX, "[%s] parsed but should fail with %s", sql, msg);
  ck_assert_ptr_null(s);
  ck_assert_int_eq(err.code, SL_ESYNTAX);
  ck_assert_str_eq(err.msg, msg);
  ck_assert_msg(err.loc == loc, "[%s]: loc %lld, want %lld", sql, (long long)err.loc,
                (long long)loc);
}

/* ---- An S-expression rendering of expressions, so tests state whole trees ------------- */

typedef struct out {
  char buf[2048];
  size_t n;
} out;

static void put(out *o, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  if (o->n < sizeof o->buf) o->n += (size_t)vsnprintf(o->buf + o->n, sizeof o->buf - o->n, fmt, ap);
  va_end(ap);
}

static const char *op_name(int op) {
  static const char *const names[] = {"?", "+", "-", "*", "/", "%", "||", "=", "<>", "<", "<=",
                                      ">", ">=", "AND", "OR", "NOT", "NEG", "PLUS"};
  return op >= 0 && op <= SL_OP_PLUS ? names[op] : "?";
}

static const char *unit_name(int u) {
  static const char *const names[] = {"NONE", "YEAR", "QUARTER", "MONTH", "WEEK", "DAY", "HOUR",
                                      "MINUTE", "SECOND", "MILLISECOND", "MICROSECOND",
                                      "NANOSECOND", "DOW", "DOY", "EPOCH", "CENTURY", "DECADE",
                                      "MILLENNIUM", "ISODOW", "ISOYEAR"};
  return u >= 0 && u <= SL_UNIT_ISOYEAR ? names[u] : "?";
}

static void dump(out *o, const sl_ast_expr *e);

static void dump_list(out *o, const sl_ast_list *l) {
  for (int i = 0; l && i < l->n; i++) {
    put(o, " ");
    dump(o, l->items[i]);
  }
}

static void dump(out *o, const sl_ast_expr *e) {
  char tb[64];
  if (!e) { put(o, "<null>"); return; }
  switch (e->kind) {
    case SL_AST_NUM: put(o, "%s", e->s); break;
    case SL_AST_STR: put(o, "'%.*s'", (int)e->n, e->s); break;
    case SL_AST_BOOL: put(o, "%s", e->op ? "TRUE" : "FALSE"); break;
    case SL_AST_NULL: put(o, "NULL"); break;
    case SL_AST_TYPED_LIT:
      put(o, "(%s '%s')", sl_type_name(e->type->type, tb, sizeof tb), e->s);
      break;
    case SL_AST_INTERVAL:
      put(o, "(INTERVAL %s'%s' %s", e->op < 0 ? "-" : "", e->s, unit_name(e->unit_from));
      if (e->leading_precision) put(o, "(%d)", e->leading_precision);
      if (e->unit_to) put(o, " TO %s", unit_name(e->unit_to));
      put(o, ")");
      break;
    case SL_AST_IDENT: put(o, "%s%s%s", e->qual ? e->qual : "", e->qual ? "." : "", e->s); break;
    case SL_AST_STAR: put(o, "%s%s*", e->qual ? e->qual : "", e->qual ? "." : ""); break;
    case SL_AST_UNARY: put(o, "(%s ", op_name(e->op)); dump(o, e->a); put(o, ")"); break;
    case SL_AST_BINARY:
      put(o, "(%s ", op_name(e->op)); dump(o, e->a); put(o, " "); dump(o, e->b); put(o, ")");
      break;
    case SL_AST_IS: {
      static const char *const w[] = {"?", "NULL", "TRUE", "FALSE", "UNKNOWN"};
      put(o, "(IS %s%s ", e->negated ? "NOT " : "", w[e->op]);
      dump(o, e->a);
      put(o, ")");
      break;
    }
    case SL_AST_BETWEEN:
      put(o, "(%sBETWEEN%s ", e->negated ? "NOT " : "", e->op ? " SYMMETRIC" : "");
      dump(o, e->a); put(o, " "); dump(o, e->b); put(o, " "); dump(o, e->c); put(o, ")");
      break;
    case SL_AST_IN:
      put(o, "(%sIN ", e->negated ? "NOT " : ""); dump(o, e->a); dump_list(o, e->list); put(o, ")");
      break;
    case SL_AST_LIKE:
      put(o, "(%sLIKE ", e->negated ? "NOT " : ""); dump(o, e->a); put(o, " "); dump(o, e->b);
      if (e->c) { put(o, " ESCAPE "); dump(o, e->c); }
      put(o, ")");
      break;
    case SL_AST_CASE:
      put(o, "(CASE");
      if (e->a) { put(o, " "); dump(o, e->a); }
      dump_list(o, e->list);
      if (e->b) { put(o, " ELSE "); dump(o, e->b); }
      put(o, ")");
      break;
    case SL_AST_CAST:
      put(o, "(%s ", e->op ? "TRY_CAST" : "CAST"); dump(o, e->a);
      put(o, " %s)", sl_type_name(e->type->type, tb, sizeof tb));
      break;
    case SL_AST_FUNC:
      put(o, "%s(%s%s", e->s, e->distinct ? "DISTINCT" : "", e->star ? "*" : "");
      dump_list(o, e->list);
      put(o, ")");
      break;
    case SL_AST_EXTRACT: put(o, "(EXTRACT %s ", unit_name(e->unit_from)); dump(o, e->a); put(o, ")"); break;
    case SL_AST_TRIM: {
      static const char *const m[] = {"BOTH", "LEADING", "TRAILING"};
      put(o, "(TRIM %s ", m[e->op]);
      if (e->b) { dump(o, e->b); put(o, " "); }
      dump(o, e->a);
      put(o, ")");
      break;
    }
    case SL_AST_DESCRIPTOR: put(o, "(DESCRIPTOR"); dump_list(o, e->list); put(o, ")"); break;
    case SL_AST_TABLE_ARG:
      put(o, "(TABLE %s", e->s);
      if (e->list) { put(o, " PARTITION BY"); dump_list(o, e->list); }
      put(o, ")");
      break;
    default: put(o, "<kind %d>", e->kind); break;
  }
}

static const char *show(const sl_ast_expr *e) {
  static out o;
  o.n = 0;
  o.buf[0] = 0;
  dump(&o, e);
  return o.buf;
}

/* The first select item's expression of `SELECT <text>`. */
static const sl_ast_expr *sel(const char *text) {
  static char sql[1024];
  snprintf(sql, sizeof sql, "SELECT %s", text);
  sl_ast_stmt *s = stmt1(sql);
  ck_assert_int_eq(s->kind, SL_STMT_SELECT);
  const sl_ast_select_item *it = s->query->items->items[0];
  return it->expr;
}

#define EXPR_IS(text, want) ck_assert_str_eq(show(sel(text)), want)

static const sl_ast_column *col(const sl_ast_stmt *s, int i) { return s->columns->items[i]; }

static const char *type_str(const sl_ast_type *t) {
  static char buf[64];
  return sl_type_name(t->type, buf, sizeof buf);
}

/* ---- Scripts ---------------------------------------------------------------------------- */

START_TEST(test_parse_empty_script_has_no_statements) {
  ck_assert_int_eq(parse_ok("")->stmts->n, 0);
  ck_assert_int_eq(parse_ok("  ;; ; -- nothing\n /* at all */")->stmts->n, 0);
}
END_TEST

START_TEST(test_parse_statements_record_their_text_span) {
  const char *sql = "  SELECT 1 ;\n-- c\nSELECT a FROM t /* x */ ;SET";
  sl_ast_script *s = parse_ok(sql);
  ck_assert_int_eq(s->stmts->n, 3);
  sl_ast_stmt *a = s->stmts->items[0], *b = s->stmts->items[1], *c = s->stmts->items[2];
  ck_assert_int_eq(a->loc, 2);
  ck_assert_int_eq(a->end, 10);
  ck_assert_int_eq(b->loc, 18);
  ck_assert_int_eq(b->end, 33);
  ck_assert_int_eq(c->loc, 43);
  ck_assert_int_eq(c->end, 46);
  ck_assert_int_eq(c->kind, SL_STMT_SET);
}
END_TEST

START_TEST(test_parse_trailing_semicolon_is_optional) {
  ck_assert_int_eq(parse_ok("SELECT 1; SELECT 2")->stmts->n, 2);
  ck_assert_int_eq(parse_ok("SELECT 1; SELECT 2;")->stmts->n, 2);
}
END_TEST

/* ---- CREATE TABLE ----------------------------------------------------------------------- */

static const char *fraud_sql =
    "CREATE TABLE transactions (\n"
    "  transaction_id STRING, card_id STRING, amount DECIMAL(10,2), merchant_country STRING,\n"
    "  event_time TIMESTAMP(3),\n"
    "  WATERMARK FOR event_time AS event_time - INTERVAL '5' SECOND\n"
    ") WITH ('connector' = 'kinesis', 'stream' = 'transactions', 'aws.region' = 'us-east-1',\n"
    "  'scan.stream.initpos' = 'LATEST', 'format' = 'json');\n"
    "SELECT card_id, TUMBLE_START(event_time, INTERVAL '5' MINUTE) AS window_start, COUNT(*) AS tx_count,\n"
    "  SUM(amount) AS total_amount\n"
    "FROM transactions WHERE merchant_country <> 'CA'\n"
    "GROUP BY card_id, TUMBLE(event_time, INTERVAL '5' MINUTE)\n"
    "HAVING COUNT(*) > 3 AND SUM(amount) > 500;\n";

START_TEST(test_parse_fraud_create_table) {
  sl_ast_script *sc = parse_ok(fraud_sql);
  ck_assert_int_eq(sc->stmts->n, 2);
  sl_ast_stmt *s = sc->stmts->items[0];
  ck_assert_int_eq(s->kind, SL_STMT_CREATE_TABLE);
  ck_assert_str_eq(s->name, "transactions");
  ck_assert_int_eq(s->name_loc, 13);
  ck_assert_int_eq(s->loc, 0);
  ck_assert_int_eq(s->end, (int64_t)(strstr(fraud_sql, "'json')") - fraud_sql) + 7);
  ck_assert(!s->temporary && !s->if_not_exists);
  ck_assert_int_eq(s->columns->n, 5);
  ck_assert_str_eq(col(s, 0)->name, "transaction_id");
  ck_assert_str_eq(type_str(col(s, 0)->type), "STRING");
  ck_assert_str_eq(type_str(col(s, 2)->type), "DECIMAL(10, 2)");
  ck_assert(col(s, 2)->type->has_precision);
  ck_assert_str_eq(col(s, 4)->name, "event_time");
  ck_assert_str_eq(type_str(col(s, 4)->type), "TIMESTAMP(3)");
  ck_assert_int_eq(col(s, 4)->loc, (int64_t)(strstr(fraud_sql, "event_time") - fraud_sql));
  ck_assert_str_eq(s->wm_column, "event_time");
  ck_assert_int_eq(s->wm_loc, (int64_t)(strstr(fraud_sql, "FOR event_time") - fraud_sql) + 4);
  ck_assert_str_eq(show(s->wm_expr), "(- event_time (INTERVAL '5' SECOND))");
  ck_assert_ptr_null(s->primary_key);
  ck_assert_int_eq(s->options->n, 5);
  const sl_ast_option *o = s->options->items[2];
  ck_assert_str_eq(o->key, "aws.region");
  ck_assert_str_eq(o->value, "us-east-1");
  ck_assert_int_eq(o->key_loc, (int64_t)(strstr(fraud_sql, "'aws.region'") - fraud_sql));
  ck_assert_int_eq(o->value_loc, (int64_t)(strstr(fraud_sql, "'us-east-1'") - fraud_sql));
}
END_TEST

START_TEST(test_parse_fraud_query) {
  sl_ast_script *sc = parse_ok(fraud_sql);
  sl_ast_stmt *s = sc->stmts->items[1];
  ck_assert_int_eq(s->kind, SL_STMT_SELECT);
  ck_assert_int_eq(s->loc, (int64_t)(strstr(fraud_sql, "SELECT") - fraud_sql));
  const sl_ast_select *q = s->query;
  ck_assert_int_eq(q->loc, s->loc);
  ck_assert(!q->distinct);
  ck_assert_int_eq(q->items->n, 4);
  const sl_ast_select_item *i1 = q->items->items[1], *i2 = q->items->items[2];
  ck_assert_str_eq(show(i1->expr), "TUMBLE_START( event_time (INTERVAL '5' MINUTE))");
  ck_assert_str_eq(i1->alias, "window_start");
  ck_assert_str_eq(show(i2->expr), "COUNT(*)");
  ck_assert(i2->expr->star);
  ck_assert_str_eq(i2->alias, "tx_count");
  ck_assert_int_eq(q->from->kind, SL_FROM_TABLE);
  ck_assert_str_eq(q->from->name, "transactions");
  ck_assert_ptr_null(q->from->alias);
  ck_assert_str_eq(show(q->where), "(<> merchant_country 'CA')");
  ck_assert_int_eq(q->group_by->n, 2);
  ck_assert_str_eq(show(q->group_by->items[1]), "TUMBLE( event_time (INTERVAL '5' MINUTE))");
  ck_assert_str_eq(show(q->having), "(AND (> COUNT(*) 3) (> SUM( amount) 500))");
  ck_assert_ptr_null(q->order_by);
  ck_assert_ptr_null(q->limit);
  ck_assert_ptr_null(q->union_all);
}
END_TEST

START_TEST(test_parse_create_table_flags_and_qualified_name) {
  const char *sql = "CREATE TEMPORARY TABLE IF NOT EXISTS cat.db.`My Tbl` (a INT) WITH ('k'='v')";
  sl_ast_stmt *s = stmt1(sql);
  ck_assert(s->temporary && s->if_not_exists);
  ck_assert_str_eq(s->name, "My Tbl");
  ck_assert_int_eq(s->name_loc, 37);
}
END_TEST

START_TEST(test_parse_create_table_computed_column_and_comments) {
  sl_ast_stmt *s = stmt1(
      "CREATE TABLE t (a INT NOT NULL COMMENT 'the a', b AS a * 2 COMMENT 'twice', "
      "c BIGINT NULL) COMMENT 'table' PARTITIONED BY (a) WITH ('connector'='print')");
  ck_assert_int_eq(s->columns->n, 3);
  ck_assert_str_eq(type_str(col(s, 0)->type), "INT NOT NULL");
  ck_assert_str_eq(col(s, 0)->comment, "the a");
  ck_assert_ptr_null(col(s, 1)->type);
  ck_assert_str_eq(show(col(s, 1)->computed), "(* a 2)");
  ck_assert_str_eq(col(s, 1)->comment, "twice");
  ck_assert_str_eq(type_str(col(s, 2)->type), "BIGINT");
  ck_assert_ptr_null(col(s, 2)->comment);
  ck_assert_int_eq(s->options->n, 1);
}
END_TEST

START_TEST(test_parse_metadata_columns) {
  const char *sql = "CREATE TABLE t (a INT, ts TIMESTAMP_LTZ(3) METADATA FROM 'timestamp' VIRTUAL COMMENT 'c', "
                    "`shard-id` STRING METADATA, p VARCHAR(10) METADATA VIRTUAL)";
  sl_ast_stmt *s = stmt1(sql);
  ck_assert_int_eq(s->columns->n, 4);
  ck_assert(!col(s, 0)->metadata);
  ck_assert(col(s, 1)->metadata);
  ck_assert(col(s, 1)->is_virtual);
  ck_assert_str_eq(type_str(col(s, 1)->type), "TIMESTAMP_LTZ(3)");
  ck_assert_str_eq(col(s, 1)->meta_key, "timestamp");
  ck_assert_int_eq(col(s, 1)->meta_loc, 43);
  ck_assert_int_eq(col(s, 1)->meta_key_loc, 57);
  ck_assert_str_eq(col(s, 1)->comment, "c");
  ck_assert(col(s, 2)->metadata);
  ck_assert(!col(s, 2)->is_virtual);
  ck_assert_str_eq(col(s, 2)->meta_key, "shard-id");
  ck_assert_int_eq(col(s, 2)->meta_key_loc, col(s, 2)->meta_loc);
  ck_assert(col(s, 3)->is_virtual);
  ck_assert_str_eq(col(s, 3)->meta_key, "p");
  parse_fails("CREATE TABLE t (a INT METADATA FROM x)", "syntax error at or near 'x'", 36);
}
END_TEST

START_TEST(test_parse_create_table_without_with_has_no_options) {
  sl_ast_stmt *s = stmt1("CREATE TABLE t (a INT)");
  ck_assert_ptr_null(s->options);
}
END_TEST

START_TEST(test_parse_primary_key_table_constraint) {
  const char *sql = "CREATE TABLE t (a INT, b STRING, CONSTRAINT pk PRIMARY KEY (a, b) NOT ENFORCED)";
  sl_ast_stmt *s = stmt1(sql);
  ck_assert_int_eq(s->primary_key->n, 2);
  ck_assert_str_eq(s->primary_key->items[0], "a");
  ck_assert_str_eq(s->primary_key->items[1], "b");
  ck_assert_int_eq(s->pk_loc, (int64_t)(strstr(sql, "PRIMARY") - sql));
}
END_TEST

START_TEST(test_parse_primary_key_column_constraint) {
  const char *sql = "CREATE TABLE t (id BIGINT PRIMARY KEY NOT ENFORCED, v STRING)";
  sl_ast_stmt *s = stmt1(sql);
  ck_assert_int_eq(s->columns->n, 2);
  ck_assert_int_eq(s->primary_key->n, 1);
  ck_assert_str_eq(s->primary_key->items[0], "id");
  ck_assert_int_eq(s->pk_loc, 26);
}
END_TEST

START_TEST(test_parse_primary_key_errors) {
  parse_fails("CREATE TABLE t (a INT, PRIMARY KEY (a))",
              "PRIMARY KEY must be declared NOT ENFORCED (Flink does not own the data)", 23);
  parse_fails("CREATE TABLE t (a INT PRIMARY KEY NOT ENFORCED, PRIMARY KEY (a) NOT ENFORCED)",
              "duplicate PRIMARY KEY definition", 48);
  parse_fails("CREATE TABLE t (a TIMESTAMP(3), WATERMARK FOR a AS a, WATERMARK FOR a AS a)",
              "multiple WATERMARK definitions are not supported", 54);
}
END_TEST

START_TEST(test_parse_non_reserved_keywords_as_column_names) {
  sl_ast_stmt *s = stmt1(
      "CREATE TABLE t (name STRING, `value` INT, type STRING, comment STRING, `time` TIME, "
      "year INT, key STRING, window_start TIMESTAMP(3), `timestamp` TIMESTAMP, string STRING)");
  ck_assert_int_eq(s->columns->n, 10);
  ck_assert_str_eq(col(s, 3)->name, "comment");
  ck_assert_str_eq(col(s, 4)->name, "time");
  ck_assert_str_eq(col(s, 5)->name, "year");
  ck_assert_str_eq(col(s, 6)->name, "key");
  ck_assert_str_eq(col(s, 9)->name, "string");
  EXPR_IS("year, count, sum, value, window_end, window_time FROM t", "year");
  sl_ast_stmt *q = stmt1("SELECT year + day AS month, `date` FROM t");
  const sl_ast_select_item *it = q->query->items->items[0];
  ck_assert_str_eq(show(it->expr), "(+ year day)");
  ck_assert_str_eq(it->alias, "month");
}
END_TEST

START_TEST(test_parse_reserved_keywords_need_backticks) {
  parse_fails("CREATE TABLE t (time TIME)", "syntax error at or near 'time'", 16);
  parse_fails("SELECT interval FROM t", "syntax error at or near 'FROM'", 16);
}
END_TEST

/* ---- Types ------------------------------------------------------------------------------ */

static const sl_ast_type *cast_type(const char *type) {
  char buf[256];
  snprintf(buf, sizeof buf, "CAST(x AS %s)", type);
  const sl_ast_expr *e = sel(buf);
  ck_assert_int_eq(e->kind, SL_AST_CAST);
  return e->type;
}

#define TYPE_IS(text, want) ck_assert_str_eq(type_str(cast_type(text)), want)

START_TEST(test_parse_types_and_defaults) {
  TYPE_IS("BOOLEAN", "BOOLEAN");
  TYPE_IS("TINYINT", "TINYINT");
  TYPE_IS("SMALLINT", "SMALLINT");
  TYPE_IS("INT", "INT");
  TYPE_IS("integer", "INT");
  TYPE_IS("BIGINT NOT NULL", "BIGINT NOT NULL");
  TYPE_IS("FLOAT", "FLOAT");
  TYPE_IS("REAL", "FLOAT");
  TYPE_IS("DOUBLE", "DOUBLE");
  TYPE_IS("DOUBLE PRECISION", "DOUBLE");
  TYPE_IS("DECIMAL", "DECIMAL(10, 0)");
  TYPE_IS("DEC(5)", "DECIMAL(5, 0)");
  TYPE_IS("NUMERIC(38, 38)", "DECIMAL(38, 38)");
  TYPE_IS("STRING", "STRING");
  TYPE_IS("VARCHAR", "VARCHAR(1)");
  TYPE_IS("VARCHAR(2147483647)", "STRING");
  TYPE_IS("VARCHAR(20)", "VARCHAR(20)");
  TYPE_IS("CHAR", "CHAR(1)");
  TYPE_IS("CHAR(3)", "CHAR(3)");
  TYPE_IS("DATE", "DATE");
  TYPE_IS("TIME", "TIME(0)");
  TYPE_IS("TIME(3) WITHOUT TIME ZONE", "TIME(3)");
  TYPE_IS("TIMESTAMP", "TIMESTAMP(6)");
  TYPE_IS("TIMESTAMP(0)", "TIMESTAMP(0)");
  TYPE_IS("TIMESTAMP(9) WITHOUT TIME ZONE", "TIMESTAMP(9)");
  TYPE_IS("TIMESTAMP_LTZ", "TIMESTAMP_LTZ(6)");
  TYPE_IS("TIMESTAMP_LTZ(3)", "TIMESTAMP_LTZ(3)");
  TYPE_IS("TIMESTAMP(3) WITH LOCAL TIME ZONE", "TIMESTAMP_LTZ(3)");
  TYPE_IS("TIMESTAMP WITH LOCAL TIME ZONE NOT NULL", "TIMESTAMP_LTZ(6) NOT NULL");
  TYPE_IS("INTERVAL DAY TO SECOND", "INTERVAL DAY TO SECOND(3)");
  TYPE_IS("INTERVAL YEAR TO MONTH", "INTERVAL YEAR TO MONTH");
}
END_TEST

START_TEST(test_parse_type_has_precision_and_loc) {
  const sl_ast_type *t = cast_type("TIMESTAMP");
  ck_assert(!t->has_precision);
  ck_assert_int_eq(t->loc, 17);
  ck_assert(t->type.nullable);
  t = cast_type("TIMESTAMP(3)");
  ck_assert(t->has_precision);
  ck_assert_int_eq(t->type.precision, 3);
  t = cast_type("DECIMAL(12, 4)");
  ck_assert_int_eq(t->type.kind, SL_TYPE_DECIMAL);
  ck_assert_int_eq(t->type.precision, 12);
  ck_assert_int_eq(t->type.scale, 4);
}
END_TEST

START_TEST(test_parse_type_range_errors) {
  parse_fails("SELECT CAST(x AS DECIMAL(39, 2))", "DECIMAL precision must be between 1 and 38", 25);
  parse_fails("SELECT CAST(x AS DECIMAL(0))", "DECIMAL precision must be between 1 and 38", 25);
  parse_fails("SELECT CAST(x AS DECIMAL(5, 6))",
              "DECIMAL scale must be between 0 and the precision (5)", 28);
  parse_fails("SELECT CAST(x AS VARCHAR(0))", "VARCHAR length must be between 1 and 2147483647", 25);
  parse_fails("SELECT CAST(x AS CHAR(99999999999))", "CHAR length must be between 1 and 2147483647", 22);
  parse_fails("SELECT CAST(x AS TIMESTAMP(10))", "TIMESTAMP precision must be between 0 and 9", 27);
  parse_fails("SELECT CAST(x AS TIME(12))", "TIME precision must be between 0 and 9", 22);
  parse_fails("SELECT CAST(x AS TIMESTAMP_LTZ(10))",
              "TIMESTAMP_LTZ precision must be between 0 and 9", 31);
  parse_fails("CREATE TABLE t (a BYTES)", "unsupported type 'BYTES'", 18);
  parse_fails("SELECT CAST(x AS TIMESTAMP WITH TIME ZONE)",
              "TIMESTAMP WITH TIME ZONE is not supported; use TIMESTAMP_LTZ or TIMESTAMP WITH LOCAL TIME ZONE",
              27);
}
END_TEST

/* ---- Expressions ------------------------------------------------------------------------ */

START_TEST(test_parse_literals) {
  EXPR_IS("42", "42");
  EXPR_IS("3.14", "3.14");
  EXPR_IS(".5", ".5");
  EXPR_IS("1e10", "1e10");
  EXPR_IS("1.5E-3", "1.5E-3");
  EXPR_IS("'it''s'", "'it's'");
  EXPR_IS("''", "''");
  EXPR_IS("TRUE", "TRUE");
  EXPR_IS("false", "FALSE");
  EXPR_IS("NULL", "NULL");
  EXPR_IS("DATE '2024-01-01'", "(DATE NOT NULL '2024-01-01')");
  EXPR_IS("TIME '12:34:56'", "(TIME(0) NOT NULL '12:34:56')");
  EXPR_IS("TIMESTAMP '2024-01-01 00:00:00.123'",
          "(TIMESTAMP(3) NOT NULL '2024-01-01 00:00:00.123')");
  const sl_ast_expr *e = sel("'a''b'");
  ck_assert_int_eq(e->n, 3);
  ck_assert_int_eq(e->loc, 7);
}
END_TEST

START_TEST(test_parse_identifiers) {
  EXPR_IS("a", "a");
  EXPR_IS("MyCol", "MyCol");
  EXPR_IS("t.a", "t.a");
  EXPR_IS("`t`.`weird ``name```", "t.weird `name`");
  const sl_ast_expr *e = sel("t.a");
  ck_assert_str_eq(e->qual, "t");
  ck_assert_str_eq(e->s, "a");
  ck_assert_int_eq(e->loc, 7);
}
END_TEST

START_TEST(test_parse_precedence) {
  EXPR_IS("1 + 2 * 3", "(+ 1 (* 2 3))");
  EXPR_IS("(1 + 2) * 3", "(* (+ 1 2) 3)");
  EXPR_IS("1 - 2 - 3", "(- (- 1 2) 3)");
  EXPR_IS("a / b % c", "(% (/ a b) c)");
  EXPR_IS("-a * b", "(* (NEG a) b)");
  EXPR_IS("- - a", "(NEG (NEG a))");
  EXPR_IS("+a", "(PLUS a)");
  EXPR_IS("a || b + c", "(|| a (+ b c))");
  EXPR_IS("a || b = c", "(= (|| a b) c)");
  EXPR_IS("a = 1 OR b = 2 AND c = 3", "(OR (= a 1) (AND (= b 2) (= c 3)))");
  EXPR_IS("NOT a = b AND c", "(AND (NOT (= a b)) c)");
  EXPR_IS("NOT NOT a", "(NOT (NOT a))");
  EXPR_IS("a <> b", "(<> a b)");
  EXPR_IS("a != b", "(<> a b)");
  EXPR_IS("a < b", "(< a b)");
  EXPR_IS("a <= b", "(<= a b)");
  EXPR_IS("a > b", "(> a b)");
  EXPR_IS("a >= b", "(>= a b)");
  EXPR_IS("a + 1 > b * 2", "(> (+ a 1) (* b 2))");
}
END_TEST

START_TEST(test_parse_predicates) {
  EXPR_IS("a IS NULL", "(IS NULL a)");
  EXPR_IS("a IS NOT NULL", "(IS NOT NULL a)");
  EXPR_IS("a = b IS TRUE", "(IS TRUE (= a b))");
  EXPR_IS("a IS NOT FALSE", "(IS NOT FALSE a)");
  EXPR_IS("a IS UNKNOWN", "(IS UNKNOWN a)");
  EXPR_IS("a BETWEEN 1 AND 2", "(BETWEEN a 1 2)");
  EXPR_IS("a NOT BETWEEN b + 1 AND c * 2", "(NOT BETWEEN a (+ b 1) (* c 2))");
  EXPR_IS("a BETWEEN 1 AND 2 AND b", "(AND (BETWEEN a 1 2) b)");
  EXPR_IS("a BETWEEN SYMMETRIC 2 AND 1", "(BETWEEN SYMMETRIC a 2 1)");
  EXPR_IS("a BETWEEN ASYMMETRIC 1 AND 2", "(BETWEEN a 1 2)");
  EXPR_IS("a IN (1, 2, 3)", "(IN a 1 2 3)");
  EXPR_IS("a NOT IN ('x')", "(NOT IN a 'x')");
  EXPR_IS("x AND a NOT IN (1)", "(AND x (NOT IN a 1))");
  EXPR_IS("a LIKE 'x%'", "(LIKE a 'x%')");
  EXPR_IS("a NOT LIKE 'x' || '%'", "(NOT LIKE a (|| 'x' '%'))");
  EXPR_IS("a LIKE 'x!%' ESCAPE '!'", "(LIKE a 'x!%' ESCAPE '!')");
  EXPR_IS("NOT a LIKE b", "(NOT (LIKE a b))");
  const sl_ast_expr *e = sel("a  NOT  IN (1)");
  ck_assert_int_eq(e->loc, 15);
  ck_assert(e->negated);
}
END_TEST

START_TEST(test_parse_function_calls) {
  EXPR_IS("f()", "f()");
  EXPR_IS("COUNT(*)", "COUNT(*)");
  EXPR_IS("count(DISTINCT a)", "count(DISTINCT a)");
  EXPR_IS("SUM(ALL a)", "SUM( a)");
  EXPR_IS("concat_ws(',', a, b)", "concat_ws( ',' a b)");
  EXPR_IS("LEFT(s, 2)", "LEFT( s 2)");
  EXPR_IS("right(s, 2)", "RIGHT( s 2)");
  EXPR_IS("IF(a > 1, 'x', 'y')", "IF( (> a 1) 'x' 'y')");
  EXPR_IS("YEAR(ts)", "YEAR( ts)");
  EXPR_IS("CURRENT_TIMESTAMP", "CURRENT_TIMESTAMP()");
  EXPR_IS("current_date", "CURRENT_DATE()");
  EXPR_IS("CURRENT_TIME", "CURRENT_TIME()");
  EXPR_IS("LOCALTIMESTAMP", "LOCALTIMESTAMP()");
  EXPR_IS("LOCALTIME", "LOCALTIME()");
  EXPR_IS("TUMBLE_END(ts, INTERVAL '1' HOUR)", "TUMBLE_END( ts (INTERVAL '1' HOUR))");
  EXPR_IS("SUBSTRING(s, 2, 3)", "SUBSTRING( s 2 3)");
  EXPR_IS("substring(s FROM 2)", "SUBSTRING( s 2)");
  EXPR_IS("SUBSTRING(s FROM 2 FOR 3)", "SUBSTRING( s 2 3)");
  EXPR_IS("POSITION('a' IN s)", "POSITION( 'a' s)");
  EXPR_IS("POSITION('a' IN (s))", "POSITION( 'a' s)");
  EXPR_IS("POSITION(x IN y) + POSITION(z IN f(a IN (1)))",
          "(+ POSITION( x y) POSITION( z f( (IN a 1))))");
  EXPR_IS("a IN (POSITION('x' IN s))", "(IN a POSITION( 'x' s))");
  EXPR_IS("TIMESTAMPADD(HOUR, 1, ts)", "TIMESTAMPADD( HOUR 1 ts)");
  const sl_ast_expr *e = sel("  f(x)");
  ck_assert_int_eq(e->loc, 9);
  ck_assert_int_eq(e->list->n, 1);
  ck_assert_int_eq(sel("COUNT(*)")->list->n, 0);
}
END_TEST

START_TEST(test_parse_special_forms) {
  EXPR_IS("CAST(a AS INT)", "(CAST a INT)");
  EXPR_IS("TRY_CAST(a AS DOUBLE)", "(TRY_CAST a DOUBLE)");
  EXPR_IS("EXTRACT(YEAR FROM ts)", "(EXTRACT YEAR ts)");
  EXPR_IS("EXTRACT(dow FROM ts)", "(EXTRACT DOW ts)");
  EXPR_IS("EXTRACT(EPOCH FROM ts)", "(EXTRACT EPOCH ts)");
  EXPR_IS("TRIM(s)", "(TRIM BOTH s)");
  EXPR_IS("TRIM(BOTH FROM s)", "(TRIM BOTH s)");
  EXPR_IS("TRIM(LEADING 'x' FROM s)", "(TRIM LEADING 'x' s)");
  EXPR_IS("TRIM(TRAILING FROM s)", "(TRIM TRAILING s)");
  EXPR_IS("TRIM('x' FROM s)", "(TRIM BOTH 'x' s)");
  EXPR_IS("CASE WHEN a > 1 THEN 'x' WHEN a > 0 THEN 'y' ELSE 'z' END",
          "(CASE (> a 1) 'x' (> a 0) 'y' ELSE 'z')");
  EXPR_IS("CASE a WHEN 1 THEN 'one' END", "(CASE a 1 'one')");
}
END_TEST

START_TEST(test_parse_floor_and_ceil_to_unit) {
  const sl_ast_expr *e = sel("FLOOR(ts TO HOUR)");
  ck_assert_str_eq(show(e), "FLOOR( ts)");
  ck_assert_int_eq(e->unit_from, SL_UNIT_HOUR);
  e = sel("ceil(CAST(s AS TIMESTAMP(3)) TO WEEK)");
  ck_assert_str_eq(show(e), "ceil( (CAST s TIMESTAMP(3)))");
  ck_assert_int_eq(e->unit_from, SL_UNIT_WEEK);
  e = sel("FLOOR(x)");
  ck_assert_int_eq(e->unit_from, SL_UNIT_NONE);
  /* After a unit, TO is the INTERVAL qualifier's. */
  EXPR_IS("FLOOR(INTERVAL '1 2' DAY TO HOUR)", "FLOOR( (INTERVAL '1 2' DAY TO HOUR))");
  /* Only FLOOR/CEIL's own parentheses take `TO unit`. */
  parse_fails("SELECT FLOOR(f(x TO DAY) + 1)", "syntax error at or near 'TO'", 17);
}
END_TEST

START_TEST(test_parse_interval_forms) {
  EXPR_IS("INTERVAL '5' MINUTE", "(INTERVAL '5' MINUTE)");
  EXPR_IS("INTERVAL '10' MINUTES", "(INTERVAL '10' MINUTE)");
  EXPR_IS("INTERVAL '2' SECONDS", "(INTERVAL '2' SECOND)");
  EXPR_IS("INTERVAL '1' YEAR", "(INTERVAL '1' YEAR)");
  EXPR_IS("INTERVAL '3' MONTHS", "(INTERVAL '3' MONTH)");
  EXPR_IS("INTERVAL '2' DAYS", "(INTERVAL '2' DAY)");
  EXPR_IS("INTERVAL '2' HOURS", "(INTERVAL '2' HOUR)");
  EXPR_IS("INTERVAL '1:30' MINUTE TO SECOND", "(INTERVAL '1:30' MINUTE TO SECOND)");
  EXPR_IS("INTERVAL '1 02:03:04' DAY TO SECOND", "(INTERVAL '1 02:03:04' DAY TO SECOND)");
  EXPR_IS("INTERVAL '1 02' DAY TO HOUR", "(INTERVAL '1 02' DAY TO HOUR)");
  EXPR_IS("INTERVAL '1 02:03' DAY TO MINUTE", "(INTERVAL '1 02:03' DAY TO MINUTE)");
  EXPR_IS("INTERVAL '2:03' HOUR TO MINUTE", "(INTERVAL '2:03' HOUR TO MINUTE)");
  EXPR_IS("INTERVAL '2:03:04' HOUR TO SECOND", "(INTERVAL '2:03:04' HOUR TO SECOND)");
  EXPR_IS("INTERVAL '1-6' YEAR TO MONTH", "(INTERVAL '1-6' YEAR TO MONTH)");
  EXPR_IS("INTERVAL '100' DAY(3)", "(INTERVAL '100' DAY(3))");
  EXPR_IS("INTERVAL '100 10:00:00.123' DAY(3) TO SECOND(3)",
          "(INTERVAL '100 10:00:00.123' DAY(3) TO SECOND)");
  EXPR_IS("INTERVAL '1.5' SECOND(2, 3)", "(INTERVAL '1.5' SECOND(2))");
  EXPR_IS("INTERVAL -'5' SECOND", "(INTERVAL -'5' SECOND)");
  EXPR_IS("INTERVAL +'5' SECOND", "(INTERVAL '5' SECOND)");
  EXPR_IS("INTERVAL '-5' SECOND", "(INTERVAL '-5' SECOND)");
  EXPR_IS("ts - INTERVAL '1' DAY + INTERVAL '1' HOUR",
          "(+ (- ts (INTERVAL '1' DAY)) (INTERVAL '1' HOUR))");
  const sl_ast_expr *e = sel("INTERVAL -'5' DAY(2) TO HOUR");
  ck_assert_int_eq(e->kind, SL_AST_INTERVAL);
  ck_assert_int_eq(e->op, -1);
  ck_assert_int_eq(e->unit_from, SL_UNIT_DAY);
  ck_assert_int_eq(e->unit_to, SL_UNIT_HOUR);
  ck_assert_int_eq(e->leading_precision, 2);
  ck_assert_int_eq(e->loc, 7);
  e = sel("INTERVAL '5' SECOND");
  ck_assert_int_eq(e->op, 1);
  ck_assert_int_eq(e->unit_to, SL_UNIT_NONE);
  ck_assert_int_eq(e->leading_precision, 0);
  /* An interval unit word right after an interval is an alias. */
  sl_ast_stmt *s = stmt1("SELECT INTERVAL '1' DAY day FROM t");
  const sl_ast_select_item *it = s->query->items->items[0];
  ck_assert_str_eq(it->alias, "day");
}
END_TEST

START_TEST(test_parse_interval_errors) {
  parse_fails("SELECT INTERVAL '1' DAY TO YEAR", "invalid INTERVAL qualifier DAY TO YEAR", 20);
  parse_fails("SELECT INTERVAL '1' SECOND TO MINUTE",
              "invalid INTERVAL qualifier SECOND TO MINUTE", 20);
  parse_fails("SELECT INTERVAL '1' DAY(11)", "INTERVAL leading precision must be between 1 and 10",
              24);
  parse_fails("SELECT INTERVAL '1' DAY(0)", "INTERVAL leading precision must be between 1 and 10",
              24);
  parse_fails("SELECT INTERVAL '1' DAY TO SECOND(10)",
              "INTERVAL fractional second precision must be between 0 and 9", 34);
  parse_fails("SELECT INTERVAL '1' DAY TO HOUR(2)",
              "only SECOND takes a precision as the end field", 32);
  parse_fails("SELECT INTERVAL '1' MINUTE(2, 3)",
              "only SECOND takes a fractional second precision", 30);
  parse_fails("SELECT INTERVAL '1' WEEK", "syntax error at or near 'WEEK'", 20);
  parse_fails("SELECT INTERVAL 5 DAY", "syntax error at or near '5'", 16);
}
END_TEST

/* ---- Queries ---------------------------------------------------------------------------- */

START_TEST(test_parse_select_clauses) {
  sl_ast_stmt *s = stmt1(
      "SELECT DISTINCT a AS x, b y, t.*, * FROM t WHERE a > 1 GROUP BY a, b HAVING COUNT(*) > 1 "
      "ORDER BY a DESC, b ASC, c LIMIT 10");
  const sl_ast_select *q = s->query;
  ck_assert(q->distinct);
  ck_assert_int_eq(q->items->n, 4);
  const sl_ast_select_item *i0 = q->items->items[0], *i1 = q->items->items[1],
                           *i2 = q->items->items[2], *i3 = q->items->items[3];
  ck_assert_str_eq(i0->alias, "x");
  ck_assert_int_eq(i0->loc, 16);
  ck_assert_str_eq(i1->alias, "y");
  ck_assert_str_eq(show(i2->expr), "t.*");
  ck_assert_str_eq(i2->expr->qual, "t");
  ck_assert_ptr_null(i2->alias);
  ck_assert_str_eq(show(i3->expr), "*");
  ck_assert_int_eq(i3->expr->kind, SL_AST_STAR);
  ck_assert_int_eq(q->group_by->n, 2);
  ck_assert_int_eq(q->order_by->n, 3);
  const sl_ast_order_item *o0 = q->order_by->items[0], *o1 = q->order_by->items[1],
                          *o2 = q->order_by->items[2];
  ck_assert(o0->desc);
  ck_assert(!o1->desc);
  ck_assert(!o2->desc);
  ck_assert_str_eq(show(q->limit), "10");
}
END_TEST

START_TEST(test_parse_select_item_loc_is_expression_start) {
  sl_ast_stmt *s = stmt1("SELECT  a + b AS c FROM t");
  const sl_ast_select_item *it = s->query->items->items[0];
  ck_assert_int_eq(it->loc, 8);
  ck_assert_int_eq(it->expr->loc, 10);
}
END_TEST

START_TEST(test_parse_select_without_from) {
  sl_ast_stmt *s = stmt1("SELECT 1+1");
  ck_assert_ptr_null(s->query->from);
  ck_assert_str_eq(show(((sl_ast_select_item *)s->query->items->items[0])->expr), "(+ 1 1)");
}
END_TEST

START_TEST(test_parse_union_all_chain) {
  sl_ast_stmt *s = stmt1("SELECT a FROM t UNION ALL (SELECT b FROM u) UNION ALL SELECT c FROM v");
  const sl_ast_select *q = s->query;
  ck_assert_str_eq(q->from->name, "t");
  ck_assert_ptr_nonnull(q->union_all);
  ck_assert_str_eq(q->union_all->from->name, "u");
  ck_assert_str_eq(q->union_all->union_all->from->name, "v");
  ck_assert_ptr_null(q->union_all->union_all->union_all);
  parse_fails("SELECT a FROM t UNION SELECT b FROM u",
              "UNION without ALL is not supported; use UNION ALL", 16);
}
END_TEST

START_TEST(test_parse_parenthesised_query) {
  sl_ast_stmt *s = stmt1("((SELECT a FROM t))");
  ck_assert_int_eq(s->kind, SL_STMT_SELECT);
  ck_assert_int_eq(s->loc, 0);
  ck_assert_int_eq(s->end, 19);
  ck_assert_int_eq(s->query->loc, 2);
}
END_TEST

START_TEST(test_parse_from_subquery_and_aliases) {
  sl_ast_stmt *s = stmt1("SELECT x.a FROM (SELECT a FROM t) AS x, u v, w AS `W`");
  const sl_ast_from *f = s->query->from;
  ck_assert_int_eq(f->kind, SL_FROM_JOIN);
  ck_assert_int_eq(f->join_type, SL_JOIN_CROSS);
  ck_assert_ptr_null(f->on);
  ck_assert_str_eq(f->right->name, "w");
  ck_assert_str_eq(f->right->alias, "W");
  const sl_ast_from *l = f->left;
  ck_assert_int_eq(l->kind, SL_FROM_JOIN);
  ck_assert_int_eq(l->left->kind, SL_FROM_SUBQUERY);
  ck_assert_int_eq(l->left->loc, 16);
  ck_assert_str_eq(l->left->alias, "x");
  ck_assert_str_eq(l->left->query->from->name, "t");
  ck_assert_str_eq(l->right->name, "u");
  ck_assert_str_eq(l->right->alias, "v");
}
END_TEST

START_TEST(test_parse_joins) {
  const char *sql =
      "SELECT * FROM a JOIN b ON a.id = b.id LEFT JOIN c ON TRUE RIGHT OUTER JOIN d ON x "
      "FULL JOIN e ON y INNER JOIN f ON z CROSS JOIN g LEFT OUTER JOIN h ON w";
  const sl_ast_from *f = stmt1(sql)->query->from;
  static const int want[] = {SL_JOIN_LEFT, SL_JOIN_CROSS, SL_JOIN_INNER, SL_JOIN_FULL,
                             SL_JOIN_RIGHT, SL_JOIN_LEFT, SL_JOIN_INNER};
  static const char *const right[] = {"h", "g", "f", "e", "d", "c", "b"};
  for (int i = 0; i < 7; i++) {
    ck_assert_int_eq(f->kind, SL_FROM_JOIN);
    ck_assert_int_eq(f->join_type, want[i]);
    ck_assert_str_eq(f->right->name, right[i]);
    f = f->left;
  }
  ck_assert_str_eq(f->name, "a");
  const sl_ast_from *j = stmt1("SELECT * FROM a JOIN b ON a.id = b.id")->query->from;
  ck_assert_str_eq(show(j->on), "(= a.id b.id)");
  ck_assert_int_eq(j->loc, 16);
}
END_TEST

START_TEST(test_parse_temporal_join) {
  const char *sql =
      "SELECT * FROM orders AS o JOIN rates FOR SYSTEM_TIME AS OF o.order_time AS r "
      "ON o.cur = r.cur";
  const sl_ast_from *f = stmt1(sql)->query->from;
  ck_assert_str_eq(f->left->alias, "o");
  ck_assert_str_eq(f->right->name, "rates");
  ck_assert_str_eq(f->right->alias, "r");
  ck_assert_str_eq(show(f->right->system_time), "o.order_time");
  f = stmt1("SELECT * FROM o LEFT JOIN r FOR SYSTEM_TIME AS OF o.pt m ON TRUE")->query->from;
  ck_assert_str_eq(f->right->alias, "m");
}
END_TEST

START_TEST(test_parse_window_tvfs) {
  const sl_ast_from *f = stmt1(
      "SELECT * FROM TABLE(TUMBLE(TABLE bids, DESCRIPTOR(bidtime), INTERVAL '10' MINUTES)) AS w")
      ->query->from;
  ck_assert_int_eq(f->kind, SL_FROM_TVF);
  ck_assert_str_eq(f->name, "TUMBLE");
  ck_assert_int_eq(f->loc, 20);
  ck_assert_str_eq(f->alias, "w");
  ck_assert_int_eq(f->args->n, 3);
  ck_assert_str_eq(show(f->args->items[0]), "(TABLE bids)");
  ck_assert_str_eq(show(f->args->items[1]), "(DESCRIPTOR bidtime)");
  ck_assert_str_eq(show(f->args->items[2]), "(INTERVAL '10' MINUTE)");
  f = stmt1("SELECT * FROM TABLE(HOP(TABLE db.bids, DESCRIPTOR(ts), INTERVAL '5' MINUTE, "
            "INTERVAL '10' MINUTE, INTERVAL '1' MINUTE))")->query->from;
  ck_assert_str_eq(f->name, "HOP");
  ck_assert_ptr_null(f->alias);
  ck_assert_int_eq(f->args->n, 5);
  ck_assert_str_eq(show(f->args->items[0]), "(TABLE bids)");
  f = stmt1("SELECT * FROM TABLE(CUMULATE(TABLE t, DESCRIPTOR(ts), INTERVAL '2' MINUTE, "
            "INTERVAL '10' MINUTE))")->query->from;
  ck_assert_int_eq(f->args->n, 4);
  f = stmt1("SELECT * FROM TABLE(SESSION(TABLE t PARTITION BY item, DESCRIPTOR(ts), "
            "INTERVAL '5' MINUTES))")->query->from;
  ck_assert_str_eq(show(f->args->items[0]), "(TABLE t PARTITION BY item)");
  f = stmt1("SELECT * FROM TABLE(SESSION(TABLE t PARTITION BY (a, b), DESCRIPTOR(ts), "
            "INTERVAL '5' MINUTES))")->query->from;
  ck_assert_str_eq(show(f->args->items[0]), "(TABLE t PARTITION BY a b)");
}
END_TEST

START_TEST(test_parse_window_tvf_named_arguments) {
  const sl_ast_from *f = stmt1(
      "SELECT * FROM TABLE(HOP(DATA => TABLE t, TIMECOL => DESCRIPTOR(ts), "
      "SIZE => INTERVAL '10' MINUTE, SLIDE => INTERVAL '5' MINUTE))")->query->from;
  ck_assert_int_eq(f->args->n, 4);
  ck_assert_str_eq(show(f->args->items[0]), "(TABLE t)");
  ck_assert_str_eq(show(f->args->items[1]), "(DESCRIPTOR ts)");
  ck_assert_str_eq(show(f->args->items[2]), "(INTERVAL '5' MINUTE)");
  ck_assert_str_eq(show(f->args->items[3]), "(INTERVAL '10' MINUTE)");
  f = stmt1("SELECT * FROM TABLE(TUMBLE(TABLE t, DESCRIPTOR(ts), size => INTERVAL '1' HOUR))")
          ->query->from;
  ck_assert_int_eq(f->args->n, 3);
  ck_assert_str_eq(show(f->args->items[2]), "(INTERVAL '1' HOUR)");
  parse_fails("SELECT * FROM TABLE(TUMBLE(TABLE t, DESCRIPTOR(ts), WIDTH => INTERVAL '1' HOUR))",
              "TUMBLE has no parameter named 'WIDTH'", 52);
  parse_fails("SELECT * FROM TABLE(TUMBLE(DATA => TABLE t, SIZE => INTERVAL '1' HOUR))",
              "missing parameter 'TIMECOL' of TUMBLE", 20);
  parse_fails("SELECT * FROM TABLE(TUMBLE(DATA => TABLE t, DATA => TABLE u))",
              "parameter 'DATA' of TUMBLE is given twice", 44);
  parse_fails("SELECT * FROM TABLE(f(x => 1))",
              "named arguments are only supported by TUMBLE, HOP, CUMULATE and SESSION", 22);
}
END_TEST

/* ---- Other statements ------------------------------------------------------------------- */

START_TEST(test_parse_create_view) {
  sl_ast_stmt *s = stmt1("CREATE TEMPORARY VIEW IF NOT EXISTS v (x, y) AS SELECT a, b FROM t");
  ck_assert_int_eq(s->kind, SL_STMT_CREATE_VIEW);
  ck_assert(s->temporary && s->if_not_exists && s->is_view);
  ck_assert_str_eq(s->name, "v");
  ck_assert_int_eq(s->name_loc, 36);
  ck_assert_int_eq(s->column_names->n, 2);
  ck_assert_str_eq(s->column_names->items[1], "y");
  ck_assert_str_eq(s->query->from->name, "t");
  s = stmt1("CREATE VIEW v AS SELECT 1");
  ck_assert(!s->temporary && !s->if_not_exists);
  ck_assert_ptr_null(s->column_names);
}
END_TEST

START_TEST(test_parse_drop) {
  sl_ast_stmt *s = stmt1("DROP TABLE IF EXISTS db.t");
  ck_assert_int_eq(s->kind, SL_STMT_DROP);
  ck_assert(s->if_exists && !s->is_view && !s->temporary);
  ck_assert_str_eq(s->name, "t");
  ck_assert_int_eq(s->name_loc, 21);
  s = stmt1("DROP TEMPORARY VIEW v");
  ck_assert(s->is_view && s->temporary && !s->if_exists);
}
END_TEST

START_TEST(test_parse_insert) {
  sl_ast_stmt *s = stmt1("INSERT INTO sink SELECT * FROM src");
  ck_assert_int_eq(s->kind, SL_STMT_INSERT);
  ck_assert_str_eq(s->name, "sink");
  ck_assert_int_eq(s->name_loc, 12);
  ck_assert_ptr_null(s->column_names);
  ck_assert_str_eq(s->query->from->name, "src");
  s = stmt1("INSERT INTO sink (a, b) SELECT x, y FROM src");
  ck_assert_int_eq(s->column_names->n, 2);
  ck_assert_str_eq(s->column_names->items[0], "a");
  s = stmt1("INSERT INTO sink (SELECT x FROM src)");
  ck_assert_ptr_null(s->column_names);
  ck_assert_str_eq(s->query->from->name, "src");
  parse_fails("INSERT OVERWRITE sink SELECT 1",
              "INSERT OVERWRITE is not supported (streaming sinks are append or upsert)", 7);
}
END_TEST

START_TEST(test_parse_statement_sets_keep_their_inserts) {
  const char *sql = "BEGIN STATEMENT SET;\nINSERT INTO a SELECT 1;\nINSERT INTO b SELECT 2;\nEND;\n"
                    "EXECUTE STATEMENT SET BEGIN INSERT INTO c SELECT 3; END;\n"
                    "EXECUTE INSERT INTO d SELECT 4";
  sl_ast_script *s = parse_ok(sql);
  ck_assert_int_eq(s->stmts->n, 3);
  const sl_ast_stmt *set1 = s->stmts->items[0], *set2 = s->stmts->items[1], *d = s->stmts->items[2];
  ck_assert_int_eq(set1->kind, SL_STMT_STATEMENT_SET);
  ck_assert_int_eq(set1->loc, 0);
  ck_assert_int_eq(set1->set_stmts->n, 2);
  ck_assert_str_eq(((sl_ast_stmt *)set1->set_stmts->items[0])->name, "a");
  ck_assert_int_eq(((sl_ast_stmt *)set1->set_stmts->items[0])->loc, 21);
  ck_assert_str_eq(((sl_ast_stmt *)set1->set_stmts->items[1])->name, "b");
  ck_assert_int_eq(set2->kind, SL_STMT_STATEMENT_SET);
  ck_assert_int_eq(set2->set_stmts->n, 1);
  ck_assert_str_eq(((sl_ast_stmt *)set2->set_stmts->items[0])->name, "c");
  ck_assert_int_eq(d->kind, SL_STMT_INSERT);
  ck_assert_str_eq(d->name, "d");
  parse_fails("BEGIN STATEMENT SET;\nCREATE TABLE t (a INT);\nEND;",
              "only INSERT INTO statements can be part of a statement set", 21);
  parse_fails("END;", "END without BEGIN STATEMENT SET", 0);
  parse_fails("BEGIN STATEMENT SET;\nEND;", "the statement set holds no INSERT INTO statement", 21);
  parse_fails("BEGIN STATEMENT SET;\nBEGIN STATEMENT SET;", "a statement set cannot be nested in another one (close the first with END;)", 21);
  parse_fails("BEGIN STATEMENT SET;\nINSERT INTO a SELECT 1;", "the statement set is not closed: END; is missing", 0);
}
END_TEST

START_TEST(test_parse_explain) {
  const char *sql = "EXPLAIN PLAN FOR INSERT INTO s SELECT a FROM t";
  sl_ast_stmt *s = stmt1(sql);
  ck_assert_int_eq(s->kind, SL_STMT_EXPLAIN);
  ck_assert_int_eq(s->loc, 0);
  ck_assert_int_eq(s->end, (int64_t)strlen(sql));
  ck_assert_int_eq(s->inner->kind, SL_STMT_INSERT);
  ck_assert_int_eq(s->inner->loc, 17);
  ck_assert_int_eq(s->inner->end, (int64_t)strlen(sql));
  s = stmt1("EXPLAIN SELECT 1");
  ck_assert_int_eq(s->inner->kind, SL_STMT_SELECT);
  ck_assert_int_eq(s->inner->loc, 8);
}
END_TEST

START_TEST(test_parse_set_and_reset) {
  sl_ast_stmt *s = stmt1("SET 'table.exec.state.ttl' = '1 h'");
  ck_assert_int_eq(s->kind, SL_STMT_SET);
  ck_assert_str_eq(s->name, "table.exec.state.ttl");
  ck_assert_int_eq(s->name_loc, 4);
  ck_assert_str_eq(s->value, "1 h");
  s = stmt1("SET");
  ck_assert_ptr_null(s->name);
  ck_assert_ptr_null(s->value);
  s = stmt1("reset 'a.b'");
  ck_assert_int_eq(s->kind, SL_STMT_RESET);
  ck_assert_str_eq(s->name, "a.b");
  s = stmt1("RESET");
  ck_assert_int_eq(s->kind, SL_STMT_RESET);
  ck_assert_ptr_null(s->name);
}
END_TEST

/* ---- Errors ----------------------------------------------------------------------------- */

START_TEST(test_parse_syntax_error_names_the_token) {
  parse_fails("SELECT * FORM t", "syntax error at or near 'FORM'", 9);
  parse_fails("SELECT a FROM t WHERE", "syntax error at end of input", 21);
  parse_fails("SELECT a FROM t WHERE;", "syntax error at or near ';'", 21);
  parse_fails("SELECT 1;\nSELECT (1", "syntax error at end of input", 19);
  parse_fails("SELECT a FROM t t2 t3", "syntax error at or near 't3'", 19);
  parse_fails("CREATE TABLE t (a INT,)", "syntax error at or near ')'", 22);
  parse_fails("SELECT 'a very long string literal that goes on and on' x y",
              "syntax error at or near 'y'", 58);
  parse_fails("SELECT 1 AS x 'a very long string literal that goes on and on'",
              "syntax error at or near ''a very long string literal that goes...'", 14);
  parse_fails("SELECT a IN () FROM t", "syntax error at or near ')'", 13);
  parse_fails("WITH x AS (SELECT 1) SELECT * FROM x", "syntax error at or near 'WITH'", 0);
}
END_TEST

START_TEST(test_parse_tokenizer_errors_stop_the_parse) {
  parse_fails("SELECT 'abc", "unterminated string literal", 7);
  parse_fails("SELECT `abc", "unterminated quoted identifier", 7);
  parse_fails("SELECT 1 /* never closed", "unterminated comment", 9);
  parse_fails("SELECT a # b", "unexpected character '#'", 9);
  parse_fails("SELECT \"a\"", "unexpected character '\"'", 7);
  parse_fails("SELECT ``", "zero-length quoted identifier", 7);
}
END_TEST

START_TEST(test_parse_first_error_wins_and_formats) {
  const char *sql = "SELECT a\nFROM t\nWHERE a = = 1";
  parse_fails(sql, "syntax error at or near '='", 26);
  char buf[256];
  sl_err_format(&err, "q.sql", sql, buf, sizeof buf);
  ck_assert_str_eq(buf, "q.sql:3:11: syntax error at or near '='\n  WHERE a = = 1\n            ^");
}
END_TEST

START_TEST(test_parse_deep_nesting_is_an_error_not_a_crash) {
  char sql[8192];
  size_t n = 0;
  n += (size_t)snprintf(sql + n, sizeof sql - n, "SELECT ");
  for (int i = 0; i < 2000; i++) sql[n++] = '(';
  sql[n++] = '1';
  for (int i = 0; i < 2000; i++) sql[n++] = ')';
  sql[n] = 0;
  sl_ast_script *s = NULL;
  sl_err_clear(&err);
  ck_assert_int_eq(sl_sql_parse(sql, n, &arena, &s, &err), SL_ESYNTAX);
  ck_assert_str_eq(err.msg, "statement is nested too deeply");
}
END_TEST

START_TEST(test_parse_null_out_is_allowed_and_len_bounds_input) {
  const char *sql = "SELECT 1; garbage that is not parsed";
  sl_err_clear(&err);
  ck_assert_int_eq(sl_sql_parse(sql, 9, &arena, NULL, &err), 0);
}
END_TEST

static Suite *parse_suite(void) {
  Suite *s = suite_create("parse");
  TCase *tc = tcase_create("script");
  tcase_add_checked_fixture(tc, setup, teardown);
  tcase_add_test(tc, test_parse_empty_script_has_no_statements);
  tcase_add_test(tc, test_parse_statements_record_their_text_span);
  tcase_add_test(tc, test_parse_trailing_semicolon_is_optional);
  suite_add_tcase(s, tc);

  tc = tcase_create("create_table");
  tcase_add_checked_fixture(tc, setup, teardown);
  tcase_add_test(tc, test_parse_fraud_create_table);
  tcase_add_test(tc, test_parse_create_table_flags_and_qualified_name);
  tcase_add_test(tc, test_parse_create_table_computed_column_and_comments);
  tcase_add_test(tc, test_parse_create_table_without_with_has_no_options);
  tcase_add_test(tc, test_parse_metadata_columns);
  tcase_add_test(tc, test_parse_primary_key_table_constraint);
  tcase_add_test(tc, test_parse_primary_key_column_constraint);
  tcase_add_test(tc, test_parse_primary_key_errors);
  tcase_add_test(tc, test_parse_non_reserved_keywords_as_column_names);
  tcase_add_test(tc, test_parse_reserved_keywords_need_backticks);
  suite_add_tcase(s, tc);

  tc = tcase_create("types");
  tcase_add_checked_fixture(tc, setup, teardown);
  tcase_add_test(tc, test_parse_types_and_defaults);
  tcase_add_test(tc, test_parse_type_has_precision_and_loc);
  tcase_add_test(tc, test_parse_type_range_errors);
  suite_add_tcase(s, tc);

  tc = tcase_create("expressions");
  tcase_add_checked_fixture(tc, setup, teardown);
  tcase_add_test(tc, test_parse_literals);
  tcase_add_test(tc, test_parse_identifiers);
  tcase_add_test(tc, test_parse_precedence);
  tcase_add_test(tc, test_parse_predicates);
  tcase_add_test(tc, test_parse_function_calls);
  tcase_add_test(tc, test_parse_special_forms);
  tcase_add_test(tc, test_parse_floor_and_ceil_to_unit);
  tcase_add_test(tc, test_parse_interval_forms);
  tcase_add_test(tc, test_parse_interval_errors);
  suite_add_tcase(s, tc);

  tc = tcase_create("queries");
  tcase_add_checked_fixture(tc, setup, teardown);
  tcase_add_test(tc, test_parse_fraud_query);
  tcase_add_test(tc, test_parse_select_clauses);
  tcase_add_test(tc, test_parse_select_item_loc_is_expression_start);
  tcase_add_test(tc, test_parse_select_without_from);
  tcase_add_test(tc, test_parse_union_all_chain);
  tcase_add_test(tc, test_parse_parenthesised_query);
  tcase_add_test(tc, test_parse_from_subquery_and_aliases);
  tcase_add_test(tc, test_parse_joins);
  tcase_add_test(tc, test_parse_temporal_join);
  tcase_add_test(tc, test_parse_window_tvfs);
  tcase_add_test(tc, test_parse_window_tvf_named_arguments);
  suite_add_tcase(s, tc);

  tc = tcase_create("statements");
  tcase_add_checked_fixture(tc, setup, teardown);
  tcase_add_test(tc, test_parse_create_view);
  tcase_add_test(tc, test_parse_drop);
  tcase_add_test(tc, test_parse_insert);
  tcase_add_test(tc, test_parse_statement_sets_keep_their_inserts);
  tcase_add_test(tc, test_parse_explain);
  tcase_add_test(tc, test_parse_set_and_reset);
  suite_add_tcase(s, tc);

  tc = tcase_create("errors");
  tcase_add_checked_fixture(tc, setup, teardown);
  tcase_add_test(tc, test_parse_syntax_error_names_the_token);
  tcase_add_test(tc, test_parse_tokenizer_errors_stop_the_parse);
  tcase_add_test(tc, test_parse_first_error_wins_and_formats);
  tcase_add_test(tc, test_parse_deep_nesting_is_an_error_not_a_crash);
  tcase_add_test(tc, test_parse_null_out_is_allowed_and_len_bounds_input);
  suite_add_tcase(s, tc);
  return s;
}

int main(void) {
  SRunner *sr = srunner_create(parse_suite());
  srunner_run_all(sr, CK_NORMAL);
  int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
