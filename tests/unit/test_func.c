/* test_func.c - typing of operators and functions (sl_func_bind, sl_type_common) and the
 * results of each scalar function, NULLs and edge cases included. */
#include <check.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../engine/decimal.h"
#include "../../engine/expr.h"
#include "../../sql/ast.h"

static sl_arena qa, sa;
static sl_err err;
static sl_eval_ctx ctx;

static void setup(void) {
  sl_arena_init(&qa, 4096);
  sl_arena_init(&sa, 4096);
  sl_err_clear(&err);
  ctx.arena = &sa;
  ctx.err = &err;
  ctx.sql = NULL;
}

static void teardown(void) {
  sl_arena_destroy(&qa);
  sl_arena_destroy(&sa);
}

/* ==== Builders ============================================================================ */

static sl_type T(sl_type_kind k) { return sl_type_make(k, 0, 0, false); }
static sl_type TP(sl_type_kind k, int p, int s) { return sl_type_make(k, p, s, false); }
static sl_type TN(sl_type t) { t.nullable = true; return t; }

/* A column of type t: typing tests do not evaluate. */
static sl_expr *col_of(sl_type t) { return sl_expr_col(&qa, 0, t, 3); }

static sl_expr *lit(sl_type t, sl_value v) { return sl_expr_const(&qa, t, &v, 4); }
static sl_expr *cint(int64_t v) { return lit(T(SL_TYPE_INT), (sl_value){.i64 = v}); }
static sl_expr *cdbl(double d) { sl_value v = {0}; v.f64 = d; return lit(T(SL_TYPE_DOUBLE), v); }
static sl_expr *cnull(void) { return lit(sl_type_make(SL_TYPE_NULL, 0, 0, true), (sl_value){.is_null = true}); }
static sl_expr *cstr(const char *s) {
  sl_value v = {0};
  v.str.ptr = s;
  v.str.len = (uint32_t)strlen(s);
  int n = (int)strlen(s);
  return lit(sl_type_make(n ? SL_TYPE_CHAR : SL_TYPE_VARCHAR, n, 0, false), v);
}
static sl_expr *cdec(const char *s, int p, int sc) {
  sl_value v = {0};
  ck_assert_int_eq(sl_dec_parse(s, strlen(s), p, sc, &v.dec), 0);
  return lit(TP(SL_TYPE_DECIMAL, p, sc), v);
}
static sl_expr *cts(const char *s) {
  /* TIMESTAMP(3) literal through CAST of a string constant (folded) */
  sl_expr *out = NULL;
  ck_assert_int_eq(sl_expr_cast(&qa, cstr(s), TP(SL_TYPE_TIMESTAMP, 3, 0), true, 1, &out, &err), 0);
  ck_assert_int_eq(out->kind, SL_EXPR_CONST);
  return out;
}

static int bindv(const char *name, sl_expr **out, int n, ...) {
  sl_expr *args[4];
  va_list ap;
  va_start(ap, n);
  for (int i = 0; i < n; i++) args[i] = va_arg(ap, sl_expr *);
  va_end(ap);
  return sl_func_bind(&qa, name, 21, n, args, out, &err);
}

static sl_expr *fn(const char *name, int n, ...) {
  sl_expr *args[4];
  va_list ap;
  va_start(ap, n);
  for (int i = 0; i < n; i++) args[i] = va_arg(ap, sl_expr *);
  va_end(ap);
  sl_expr *out = NULL;
  int rc = sl_func_bind(&qa, name, 21, n, args, &out, &err);
  ck_assert_msg(rc == 0, "bind %s: %s", name, err.msg);
  return out;
}

static const char *tstr(sl_type t) {
  static char buf[4][64];
  static int k;
  k = (k + 1) % 4;
  return sl_type_name(t, buf[k], 64);
}

/* The type name of name(a, b) for columns of the given types. */
static const char *bin_type(const char *name, sl_type a, sl_type b) {
  return tstr(fn(name, 2, col_of(a), col_of(b))->type);
}

static sl_value val(const sl_expr *e) {
  sl_value v;
  int rc = sl_expr_eval_const(&ctx, e, &v);
  ck_assert_msg(rc == 0, "eval: %s", err.msg);
  return v;
}

static const char *sval(const sl_expr *e) {
  static char buf[256];
  sl_value v = val(e);
  if (v.is_null) return "NULL";
  snprintf(buf, sizeof buf, "%.*s", (int)v.str.len, v.str.ptr);
  return buf;
}

static int64_t ival(const sl_expr *e) {
  sl_value v = val(e);
  ck_assert(!v.is_null);
  return v.i64;
}

static double dval(const sl_expr *e) {
  sl_value v = val(e);
  ck_assert(!v.is_null);
  return v.f64;
}

static bool nval(const sl_expr *e) { return val(e).is_null; }

/* DECIMAL result rendered with its scale. */
static const char *decval(const sl_expr *e) {
  static char buf[64];
  sl_value v = val(e);
  if (v.is_null) return "NULL";
  sl_dec_format(v.dec, e->type.scale, buf);
  return buf;
}

/* ==== Arithmetic typing =================================================================== */

START_TEST(test_func_integer_arith_types_widen) {
  ck_assert_str_eq(bin_type("+", T(SL_TYPE_TINYINT), T(SL_TYPE_TINYINT)), "TINYINT NOT NULL");
  ck_assert_str_eq(bin_type("+", T(SL_TYPE_TINYINT), T(SL_TYPE_SMALLINT)), "SMALLINT NOT NULL");
  ck_assert_str_eq(bin_type("-", T(SL_TYPE_INT), T(SL_TYPE_SMALLINT)), "INT NOT NULL");
  ck_assert_str_eq(bin_type("*", T(SL_TYPE_INT), T(SL_TYPE_BIGINT)), "BIGINT NOT NULL");
  ck_assert_str_eq(bin_type("/", T(SL_TYPE_INT), T(SL_TYPE_INT)), "INT NOT NULL");
  ck_assert_str_eq(bin_type("%", T(SL_TYPE_BIGINT), T(SL_TYPE_INT)), "INT NOT NULL");
  ck_assert_str_eq(bin_type("MOD", T(SL_TYPE_SMALLINT), T(SL_TYPE_BIGINT)), "BIGINT NOT NULL");
  ck_assert_str_eq(bin_type("+", TN(T(SL_TYPE_INT)), T(SL_TYPE_INT)), "INT");
}
END_TEST

START_TEST(test_func_approximate_arith_types) {
  ck_assert_str_eq(bin_type("+", T(SL_TYPE_INT), T(SL_TYPE_FLOAT)), "FLOAT NOT NULL");
  ck_assert_str_eq(bin_type("+", T(SL_TYPE_FLOAT), T(SL_TYPE_FLOAT)), "FLOAT NOT NULL");
  ck_assert_str_eq(bin_type("*", T(SL_TYPE_BIGINT), T(SL_TYPE_DOUBLE)), "DOUBLE NOT NULL");
  ck_assert_str_eq(bin_type("/", T(SL_TYPE_FLOAT), T(SL_TYPE_DOUBLE)), "DOUBLE NOT NULL");
  ck_assert_str_eq(bin_type("-", TP(SL_TYPE_DECIMAL, 10, 2), T(SL_TYPE_FLOAT)), "DOUBLE NOT NULL");
  ck_assert_str_eq(bin_type("-", TP(SL_TYPE_DECIMAL, 10, 2), T(SL_TYPE_DOUBLE)), "DOUBLE NOT NULL");
}
END_TEST

START_TEST(test_func_decimal_arith_precision_and_scale) {
  sl_type d102 = TP(SL_TYPE_DECIMAL, 10, 2), d53 = TP(SL_TYPE_DECIMAL, 5, 3);
  ck_assert_str_eq(bin_type("+", d102, d53), "DECIMAL(12, 3) NOT NULL");
  ck_assert_str_eq(bin_type("-", d102, T(SL_TYPE_INT)), "DECIMAL(13, 2) NOT NULL");
  ck_assert_str_eq(bin_type("+", T(SL_TYPE_BIGINT), d102), "DECIMAL(22, 2) NOT NULL");
  ck_assert_str_eq(bin_type("+", T(SL_TYPE_TINYINT), d102), "DECIMAL(11, 2) NOT NULL");
  ck_assert_str_eq(bin_type("*", d102, d53), "DECIMAL(16, 5) NOT NULL");
  ck_assert_str_eq(bin_type("/", d102, d53), "DECIMAL(19, 8) NOT NULL");
  ck_assert_str_eq(bin_type("%", d102, d53), "DECIMAL(5, 3) NOT NULL");
  ck_assert_str_eq(bin_type("/", d102, T(SL_TYPE_INT)), "DECIMAL(21, 13) NOT NULL");
  sl_type d3810 = TP(SL_TYPE_DECIMAL, 38, 10);
  ck_assert_str_eq(bin_type("*", d3810, d3810), "DECIMAL(38, 6) NOT NULL");
}
END_TEST

START_TEST(test_func_arith_results_by_type) {
  ck_assert_str_eq(decval(fn("+", 2, cdec("1.25", 3, 2), cint(2))), "3.25");
  ck_assert_str_eq(decval(fn("-", 2, cdec("1.25", 3, 2), cdec("0.125", 4, 3))), "1.125");
  ck_assert_str_eq(decval(fn("*", 2, cdec("1.25", 3, 2), cdec("-2.5", 2, 1))), "-3.125");
  ck_assert_str_eq(decval(fn("/", 2, cdec("1.00", 3, 2), cint(3))), "0.3333333333333");
  ck_assert_str_eq(decval(fn("/", 2, cdec("2.00", 3, 2), cint(3))), "0.6666666666667");
  ck_assert_str_eq(decval(fn("%", 2, cdec("7.5", 2, 1), cint(2))), "1.5");
  ck_assert(fabs(dval(fn("/", 2, cint(1), cdbl(4))) - 0.25) < 1e-15);
  sl_value f = {0};
  f.f64 = 0.1f;
  sl_expr *fl = lit(T(SL_TYPE_FLOAT), f);
  ck_assert(dval(fn("+", 2, fl, fl)) == (double)(0.1f + 0.1f));
}
END_TEST

START_TEST(test_func_decimal_overflow_is_null) {
  sl_expr *big = cdec("99999999999999999999999999999999999999", 38, 0);
  ck_assert(nval(fn("+", 2, big, big)));
}
END_TEST

START_TEST(test_func_null_literal_takes_other_type) {
  sl_expr *e = fn("+", 2, cnull(), cint(1));
  ck_assert_str_eq(tstr(e->type), "INT");
  ck_assert(nval(e));
  sl_expr *out;
  ck_assert_int_eq(bindv("+", &out, 2, cnull(), cnull()), SL_ETYPE);
  ck_assert_str_eq(err.msg, "cannot apply '+' to NULL and NULL");
}
END_TEST

START_TEST(test_func_interval_arith_types) {
  sl_type ts = TP(SL_TYPE_TIMESTAMP, 3, 0);
  ts.rowtime = true;
  sl_type ivd = TP(SL_TYPE_INTERVAL_DT, 3, 0), ivm = T(SL_TYPE_INTERVAL_YM);
  sl_expr *e = fn("+", 2, col_of(ts), col_of(ivd));
  ck_assert_int_eq(e->fn, SL_FN_TS_ADD_INTERVAL);
  ck_assert_str_eq(tstr(e->type), "TIMESTAMP(3) NOT NULL"); /* the time attribute is gone */
  e = fn("-", 2, col_of(T(SL_TYPE_DATE)), col_of(ivm));
  ck_assert_int_eq(e->fn, SL_FN_TS_SUB_INTERVAL);
  ck_assert_str_eq(tstr(e->type), "DATE NOT NULL");
  e = fn("+", 2, col_of(ivd), col_of(ivd));
  ck_assert_int_eq(e->fn, SL_FN_ADD);
  sl_expr *out;
  ck_assert_int_eq(bindv("-", &out, 2, col_of(ivd), col_of(ts)), SL_ETYPE);
  ck_assert_str_eq(err.msg, "cannot apply '-' to INTERVAL DAY TO SECOND(3) and TIMESTAMP(3)");
}
END_TEST

START_TEST(test_func_bad_arguments_name_function_and_types) {
  sl_expr *out;
  sl_type str = TP(SL_TYPE_VARCHAR, SL_VARCHAR_MAX, 0);
  ck_assert_int_eq(bindv("+", &out, 2, col_of(str), cint(1)), SL_ETYPE);
  ck_assert_str_eq(err.msg, "cannot apply '+' to STRING and INT");
  ck_assert_int_eq(err.loc, 21);
  sl_err_clear(&err);
  ck_assert_int_eq(bindv("FOO", &out, 1, cint(1)), SL_EBIND);
  ck_assert_str_eq(err.msg, "unknown function 'FOO'");
  sl_err_clear(&err);
  ck_assert_int_eq(bindv("UPPER", &out, 2, cstr("a"), cstr("b")), SL_ETYPE);
  ck_assert_str_eq(err.msg, "'UPPER' expects 1 argument, got 2");
  sl_err_clear(&err);
  ck_assert_int_eq(bindv("UPPER", &out, 1, cint(1)), SL_ETYPE);
  ck_assert_str_eq(err.msg, "cannot apply 'UPPER' to INT");
  sl_err_clear(&err);
  ck_assert_int_eq(bindv("CONCAT", &out, 3, cstr("a"), cint(1), cstr("b")), SL_ETYPE);
  ck_assert_str_eq(err.msg, "cannot apply 'CONCAT' to CHAR(1), INT and CHAR(1)");
  sl_err_clear(&err);
  ck_assert_int_eq(bindv("SUBSTRING", &out, 1, cstr("a")), SL_ETYPE);
  ck_assert_str_eq(err.msg, "'SUBSTRING' expects 2 to 3 arguments, got 1");
  sl_err_clear(&err);
  ck_assert_int_eq(bindv("=", &out, 2, col_of(TP(SL_TYPE_TIMESTAMP, 3, 0)), col_of(TP(SL_TYPE_TIMESTAMP_LTZ, 3, 0))),
                   SL_ETYPE);
  ck_assert_str_eq(err.msg, "cannot apply '=' to TIMESTAMP(3) and TIMESTAMP_LTZ(3)");
  sl_err_clear(&err);
  ck_assert_int_eq(bindv("<", &out, 2, col_of(T(SL_TYPE_BOOLEAN)), cint(1)), SL_ETYPE);
  ck_assert_str_eq(err.msg, "cannot apply '<' to BOOLEAN and INT");
  sl_err_clear(&err);
  ck_assert_int_eq(bindv("SQRT", &out, 1, cstr("x")), SL_ETYPE);
  ck_assert_str_eq(err.msg, "cannot apply 'SQRT' to CHAR(1)");
}
END_TEST

/* ==== Comparison typing =================================================================== */

START_TEST(test_func_comparison_coercions) {
  sl_type str = TP(SL_TYPE_VARCHAR, 20, 0);
  sl_expr *e = fn("=", 2, col_of(str), col_of(TP(SL_TYPE_CHAR, 2, 0)));
  ck_assert_int_eq(e->args[0]->kind, SL_EXPR_COL);
  ck_assert_int_eq(e->args[1]->kind, SL_EXPR_COL);
  ck_assert_str_eq(tstr(e->type), "BOOLEAN NOT NULL");
  e = fn("<", 2, col_of(str), col_of(T(SL_TYPE_INT)));
  ck_assert_int_eq(e->args[0]->kind, SL_EXPR_CAST);
  ck_assert_int_eq(e->args[0]->type.kind, SL_TYPE_INT);
  e = fn("<", 2, col_of(T(SL_TYPE_DATE)), col_of(TP(SL_TYPE_TIMESTAMP, 6, 0)));
  ck_assert_int_eq(e->args[0]->kind, SL_EXPR_CAST);
  ck_assert_int_eq(e->args[0]->type.kind, SL_TYPE_TIMESTAMP);
  e = fn("=", 2, col_of(TP(SL_TYPE_TIMESTAMP, 3, 0)), col_of(TP(SL_TYPE_TIMESTAMP, 6, 0)));
  ck_assert_int_eq(e->args[0]->kind, SL_EXPR_COL);
  e = fn("<>", 2, col_of(TP(SL_TYPE_DECIMAL, 10, 2)), col_of(T(SL_TYPE_DOUBLE)));
  ck_assert_int_eq(e->args[0]->type.kind, SL_TYPE_DOUBLE);
  e = fn(">", 2, col_of(TN(T(SL_TYPE_INT))), cint(3));
  ck_assert_str_eq(tstr(e->type), "BOOLEAN");
  /* string constants compare with numbers after a cast; the comparison is numeric */
  ck_assert_int_eq(ival(fn("<", 2, cstr("10"), cint(9))), 0);
  ck_assert_int_eq(ival(fn("=", 2, cstr("1.50"), cdec("1.5", 2, 1))), 1);
  ck_assert_int_eq(ival(fn("<", 2, cstr("abc"), cstr("abd"))), 1);
  ck_assert_int_eq(ival(fn("<", 2, cstr("ab"), cstr("abc"))), 1);
  ck_assert(nval(fn(">", 2, cint(1), cnull())));
}
END_TEST

/* ==== Common type ========================================================================= */

static const char *common(sl_type a, sl_type b) {
  sl_type t;
  if (sl_type_common(a, b, &t)) return "none";
  return tstr(t);
}

START_TEST(test_func_common_types) {
  ck_assert_str_eq(common(T(SL_TYPE_INT), T(SL_TYPE_BIGINT)), "BIGINT NOT NULL");
  ck_assert_str_eq(common(T(SL_TYPE_INT), TN(T(SL_TYPE_TINYINT))), "INT");
  ck_assert_str_eq(common(T(SL_TYPE_INT), TP(SL_TYPE_DECIMAL, 5, 2)), "DECIMAL(12, 2) NOT NULL");
  ck_assert_str_eq(common(TP(SL_TYPE_DECIMAL, 38, 10), TP(SL_TYPE_DECIMAL, 38, 0)), "DECIMAL(38, 0) NOT NULL");
  ck_assert_str_eq(common(T(SL_TYPE_BIGINT), T(SL_TYPE_FLOAT)), "FLOAT NOT NULL");
  ck_assert_str_eq(common(TP(SL_TYPE_DECIMAL, 5, 2), T(SL_TYPE_FLOAT)), "DOUBLE NOT NULL");
  ck_assert_str_eq(common(T(SL_TYPE_DOUBLE), T(SL_TYPE_INT)), "DOUBLE NOT NULL");
  ck_assert_str_eq(common(TP(SL_TYPE_VARCHAR, 5, 0), TP(SL_TYPE_VARCHAR, 9, 0)), "VARCHAR(9) NOT NULL");
  ck_assert_str_eq(common(TP(SL_TYPE_CHAR, 5, 0), TP(SL_TYPE_VARCHAR, 3, 0)), "VARCHAR(5) NOT NULL");
  ck_assert_str_eq(common(TP(SL_TYPE_CHAR, 2, 0), TP(SL_TYPE_CHAR, 2, 0)), "CHAR(2) NOT NULL");
  ck_assert_str_eq(common(TP(SL_TYPE_CHAR, 2, 0), TP(SL_TYPE_CHAR, 3, 0)), "VARCHAR(3) NOT NULL");
  ck_assert_str_eq(common(sl_type_make(SL_TYPE_NULL, 0, 0, true), T(SL_TYPE_DATE)), "DATE");
  ck_assert_str_eq(common(TP(SL_TYPE_TIMESTAMP, 3, 0), TP(SL_TYPE_TIMESTAMP, 6, 0)), "TIMESTAMP(6) NOT NULL");
  ck_assert_str_eq(common(TP(SL_TYPE_TIMESTAMP, 3, 0), TP(SL_TYPE_TIMESTAMP_LTZ, 3, 0)),
                   "TIMESTAMP_LTZ(3) NOT NULL");
  ck_assert_str_eq(common(T(SL_TYPE_DATE), TP(SL_TYPE_TIMESTAMP, 3, 0)), "TIMESTAMP(3) NOT NULL");
  ck_assert_str_eq(common(T(SL_TYPE_BOOLEAN), T(SL_TYPE_DATE)), "none");
  ck_assert_str_eq(common(TP(SL_TYPE_VARCHAR, 5, 0), T(SL_TYPE_INT)), "none");
  ck_assert_str_eq(common(T(SL_TYPE_INTERVAL_YM), T(SL_TYPE_INTERVAL_DT)), "none");
}
END_TEST

/* ==== Text functions ====================================================================== */

START_TEST(test_func_upper_lower_concat) {
  ck_assert_str_eq(sval(fn("UPPER", 1, cstr("Flink é"))), "FLINK é");
  ck_assert_str_eq(sval(fn("LOWER", 1, cstr("MiXeD"))), "mixed");
  ck_assert_str_eq(sval(fn("CONCAT", 3, cstr("a"), cstr("bc"), cstr(""))), "abc");
  sl_expr *cc = fn("||", 2, cstr("ab"), cstr("cde"));
  ck_assert_str_eq(tstr(cc->type), "CHAR(5) NOT NULL");
  ck_assert_str_eq(tstr(fn("||", 2, cstr("ab"), col_of(TP(SL_TYPE_VARCHAR, 4, 0)))->type), "VARCHAR(6) NOT NULL");
  ck_assert_str_eq(sval(cc), "abcde");
  ck_assert_str_eq(sval(fn("CONCAT", 2, cstr("a"), cnull())), "NULL");
  ck_assert_str_eq(sval(fn("UPPER", 1, cnull())), "NULL");
}
END_TEST

START_TEST(test_func_substring_follows_flink) {
  ck_assert_str_eq(sval(fn("SUBSTRING", 3, cstr("hello"), cint(2), cint(3))), "ell");
  ck_assert_str_eq(sval(fn("SUBSTRING", 2, cstr("hello"), cint(3))), "llo");
  ck_assert_str_eq(sval(fn("SUBSTRING", 3, cstr("hello"), cint(0), cint(2))), "he");
  ck_assert_str_eq(sval(fn("SUBSTRING", 2, cstr("hello"), cint(-3))), "llo");
  ck_assert_str_eq(sval(fn("SUBSTRING", 3, cstr("hello"), cint(-3), cint(2))), "ll");
  ck_assert_str_eq(sval(fn("SUBSTRING", 2, cstr("hello"), cint(-9))), "");
  ck_assert_str_eq(sval(fn("SUBSTRING", 2, cstr("hello"), cint(9))), "");
  ck_assert_str_eq(sval(fn("SUBSTRING", 3, cstr("hello"), cint(4), cint(100))), "lo");
  ck_assert_str_eq(sval(fn("SUBSTRING", 3, cstr("hello"), cint(1), cint(-1))), "NULL");
  ck_assert_str_eq(sval(fn("SUBSTRING", 3, cstr("h€llo"), cint(2), cint(2))), "€l");
  ck_assert_str_eq(sval(fn("SUBSTRING", 2, cstr("hello"), cnull())), "NULL");
  sl_expr *out;
  ck_assert_int_eq(bindv("SUBSTRING", &out, 2, cstr("hello"), cstr("x")), SL_ETYPE);
  ck_assert_str_eq(err.msg, "cannot apply 'SUBSTRING' to CHAR(5) and CHAR(1)");
}
END_TEST

START_TEST(test_func_trim_family) {
  ck_assert_str_eq(sval(fn("TRIM", 1, cstr("  a b  "))), "a b");
  ck_assert_str_eq(sval(fn("LTRIM", 1, cstr("  a b  "))), "a b  ");
  ck_assert_str_eq(sval(fn("RTRIM", 1, cstr("  a b  "))), "  a b");
  ck_assert_str_eq(sval(fn("TRIM", 2, cstr("xyaxbyx"), cstr("xy"))), "axb");
  ck_assert_str_eq(sval(fn("TRIM", 1, cstr("   "))), "");
  ck_assert_str_eq(sval(fn("TRIM", 2, cstr("ééaé"), cstr("é"))), "a");
}
END_TEST

START_TEST(test_func_char_length_and_position) {
  ck_assert_int_eq(ival(fn("CHAR_LENGTH", 1, cstr("h€llo"))), 5);
  ck_assert_int_eq(ival(fn("CHARACTER_LENGTH", 1, cstr(""))), 0);
  ck_assert_int_eq(ival(fn("POSITION", 2, cstr("ll"), cstr("hello"))), 3);
  ck_assert_int_eq(ival(fn("POSITION", 2, cstr("z"), cstr("hello"))), 0);
  ck_assert_int_eq(ival(fn("POSITION", 2, cstr("l"), cstr("€l"))), 2);
  ck_assert_int_eq(ival(fn("POSITION", 2, cstr(""), cstr("abc"))), 1);
  ck_assert(nval(fn("POSITION", 2, cnull(), cstr("abc"))));
}
END_TEST

START_TEST(test_func_like_and_not_like) {
  ck_assert_int_eq(ival(fn("LIKE", 2, cstr("fraud-42"), cstr("fraud%"))), 1);
  ck_assert_int_eq(ival(fn("LIKE", 2, cstr("fraud"), cstr("fra_d"))), 1);
  ck_assert_int_eq(ival(fn("LIKE", 2, cstr("frau"), cstr("fra_d"))), 0);
  ck_assert_int_eq(ival(fn("LIKE", 3, cstr("10%"), cstr("10!%"), cstr("!"))), 1);
  ck_assert_int_eq(ival(fn("LIKE", 3, cstr("105"), cstr("10!%"), cstr("!"))), 0);
  sl_expr *nl = fn("LIKE", 2, cstr("abc"), cstr("a%"));
  nl->negated = true;
  ck_assert_int_eq(ival(nl), 0);
  ck_assert(nval(fn("LIKE", 2, cnull(), cstr("a%"))));
}
END_TEST

/* ==== Math functions ====================================================================== */

START_TEST(test_func_abs_floor_ceil) {
  ck_assert_int_eq(ival(fn("ABS", 1, cint(-5))), 5);
  ck_assert_int_eq(ival(fn("ABS", 1, cint(INT32_MIN))), INT32_MIN); /* Java's Math.abs */
  ck_assert_str_eq(decval(fn("ABS", 1, cdec("-1.50", 3, 2))), "1.50");
  ck_assert(dval(fn("ABS", 1, cdbl(-0.5))) == 0.5);
  sl_expr *f = fn("FLOOR", 1, cdec("-1.50", 3, 2));
  ck_assert_str_eq(tstr(f->type), "DECIMAL(3, 0) NOT NULL");
  ck_assert_str_eq(decval(f), "-2");
  ck_assert_str_eq(decval(fn("CEIL", 1, cdec("-1.50", 3, 2))), "-1");
  ck_assert_str_eq(decval(fn("CEILING", 1, cdec("1.01", 3, 2))), "2");
  ck_assert(dval(fn("FLOOR", 1, cdbl(-0.5))) == -1.0);
  ck_assert_int_eq(ival(fn("CEIL", 1, cint(7))), 7);
}
END_TEST

START_TEST(test_func_round_half_up) {
  sl_expr *r = fn("ROUND", 2, cdec("2.345", 4, 3), cint(2));
  ck_assert_str_eq(tstr(r->type), "DECIMAL(4, 2) NOT NULL");
  ck_assert_str_eq(decval(r), "2.35");
  ck_assert_str_eq(decval(fn("ROUND", 2, cdec("-2.345", 4, 3), cint(2))), "-2.35");
  r = fn("ROUND", 1, cdec("9.5", 2, 1));
  ck_assert_str_eq(tstr(r->type), "DECIMAL(2, 0) NOT NULL");
  ck_assert_str_eq(decval(r), "10");
  r = fn("ROUND", 2, cdec("1234.5", 5, 1), cint(-2));
  ck_assert_str_eq(tstr(r->type), "DECIMAL(5, 0) NOT NULL");
  ck_assert_str_eq(decval(r), "1200");
  ck_assert_str_eq(decval(fn("ROUND", 2, cdec("1.5", 2, 1), cint(3))), "1.5");
  ck_assert(dval(fn("ROUND", 2, cdbl(2.675), cint(2))) == 2.68);
  ck_assert(dval(fn("ROUND", 2, cdbl(-2.5), cint(0))) == -3.0);
  ck_assert(dval(fn("ROUND", 2, cdbl(1234.5678), cint(-2))) == 1200.0);
  ck_assert(dval(fn("ROUND", 2, cdbl(0.00049), cint(3))) == 0.0);
  ck_assert(dval(fn("ROUND", 2, cdbl(9.995), cint(2))) == 10.0);
  ck_assert(dval(fn("ROUND", 1, cdbl(1e20))) == 1e20);
  ck_assert_int_eq(ival(fn("ROUND", 2, cint(1250), cint(-2))), 1300);
  ck_assert_int_eq(ival(fn("ROUND", 2, cint(-1250), cint(-2))), -1300);
  ck_assert_int_eq(ival(fn("ROUND", 1, cint(17))), 17);
  sl_expr *out;
  ck_assert_int_eq(bindv("ROUND", &out, 2, cdec("1.5", 2, 1), col_of(T(SL_TYPE_INT))), SL_ETYPE);
  ck_assert_str_eq(err.msg, "'ROUND' on a DECIMAL needs a constant number of digits");
}
END_TEST

START_TEST(test_func_power_sqrt_ln_log10_exp) {
  sl_expr *p = fn("POWER", 2, cint(2), cint(10));
  ck_assert_str_eq(tstr(p->type), "DOUBLE NOT NULL");
  ck_assert(dval(p) == 1024.0);
  ck_assert(dval(fn("SQRT", 1, cint(16))) == 4.0);
  ck_assert(isnan(dval(fn("SQRT", 1, cint(-1)))));
  ck_assert(fabs(dval(fn("LN", 1, cdbl(M_E))) - 1.0) < 1e-15);
  ck_assert(dval(fn("LOG10", 1, cint(1000))) == 3.0);
  ck_assert(dval(fn("EXP", 1, cint(0))) == 1.0);
  ck_assert(isinf(dval(fn("LN", 1, cint(0)))));
  ck_assert(nval(fn("SQRT", 1, cnull())));
  ck_assert(dval(fn("POWER", 2, cdec("1.5", 2, 1), cint(2))) == 2.25);
}
END_TEST

START_TEST(test_func_nullif) {
  sl_expr *e = fn("NULLIF", 2, cint(3), cint(3));
  ck_assert(e->type.nullable);
  ck_assert(nval(e));
  ck_assert_int_eq(ival(fn("NULLIF", 2, cint(3), cint(4))), 3);
  ck_assert_int_eq(ival(fn("NULLIF", 2, cint(3), cnull())), 3);
  ck_assert(nval(fn("NULLIF", 2, cstr("a"), cstr("a"))));
  ck_assert_str_eq(decval(fn("NULLIF", 2, cdec("1.5", 2, 1), cint(1))), "1.5");
}
END_TEST

/* ==== Time functions ====================================================================== */

static sl_expr *unit(sl_time_unit u) { return cint(u); }

START_TEST(test_func_extract_fields) {
  sl_expr *ts = cts("2024-03-01 08:05:09.326");
  sl_expr *e = fn("EXTRACT", 2, unit(SL_UNIT_YEAR), ts);
  ck_assert_str_eq(tstr(e->type), "BIGINT NOT NULL");
  ck_assert_int_eq(ival(e), 2024);
  ck_assert_int_eq(ival(fn("EXTRACT", 2, unit(SL_UNIT_MONTH), ts)), 3);
  ck_assert_int_eq(ival(fn("EXTRACT", 2, unit(SL_UNIT_DAY), ts)), 1);
  ck_assert_int_eq(ival(fn("EXTRACT", 2, unit(SL_UNIT_HOUR), ts)), 8);
  ck_assert_int_eq(ival(fn("EXTRACT", 2, unit(SL_UNIT_MINUTE), ts)), 5);
  ck_assert_int_eq(ival(fn("EXTRACT", 2, unit(SL_UNIT_SECOND), ts)), 9);
  sl_expr *out;
  ck_assert_int_eq(bindv("EXTRACT", &out, 2, unit(SL_UNIT_YEAR), cint(5)), SL_ETYPE);
  ck_assert_str_eq(err.msg, "cannot apply 'EXTRACT' to INT and INT");
}
END_TEST

START_TEST(test_func_date_format) {
  sl_expr *ts = cts("2024-03-01 08:05:09.326");
  sl_expr *e = fn("DATE_FORMAT", 2, ts, cstr("yyyy-MM-dd HH:mm"));
  ck_assert_str_eq(tstr(e->type), "STRING NOT NULL");
  ck_assert_str_eq(sval(e), "2024-03-01 08:05");
  ck_assert_str_eq(sval(fn("DATE_FORMAT", 2, cstr("2024-03-01 08:05:09"), cstr("dd/MM/yyyy"))), "01/03/2024");
  ck_assert_str_eq(sval(fn("DATE_FORMAT", 2, cstr("not a time"), cstr("dd/MM/yyyy"))), "NULL");
  ck_assert_str_eq(sval(fn("DATE_FORMAT", 2, cnull(), cstr("yyyy"))), "NULL");
}
END_TEST

START_TEST(test_func_to_timestamp) {
  sl_expr *e = fn("TO_TIMESTAMP", 1, cstr("2024-03-01 08:05:09.3267"));
  ck_assert_str_eq(tstr(e->type), "TIMESTAMP(3)");
  ck_assert_int_eq(ival(e), ival(cts("2024-03-01 08:05:09.326")));
  ck_assert_int_eq(ival(fn("TO_TIMESTAMP", 2, cstr("01/03/2024 08:05"), cstr("dd/MM/yyyy HH:mm"))),
                   ival(cts("2024-03-01 08:05:00")));
  ck_assert(nval(fn("TO_TIMESTAMP", 1, cstr("garbage"))));
  ck_assert(nval(fn("TO_TIMESTAMP", 2, cstr("01-03-2024"), cstr("dd/MM/yyyy"))));
  /* like Flink, a text that misses the pattern may still parse as a plain timestamp */
  ck_assert_int_eq(ival(fn("TO_TIMESTAMP", 2, cstr("2024-03-01"), cstr("dd/MM/yyyy"))),
                   ival(cts("2024-03-01 00:00:00")));
  ck_assert(nval(fn("TO_TIMESTAMP", 1, cnull())));
}
END_TEST

/* ==== CAST typing ========================================================================= */

START_TEST(test_func_cast_rules) {
  sl_expr *out;
  /* implicit widening only */
  ck_assert_int_eq(sl_expr_cast(&qa, col_of(T(SL_TYPE_INT)), T(SL_TYPE_BIGINT), false, 1, &out, &err), 0);
  ck_assert_int_eq(sl_expr_cast(&qa, col_of(T(SL_TYPE_INT)), TP(SL_TYPE_DECIMAL, 10, 0), false, 1, &out, &err), 0);
  ck_assert_int_eq(sl_expr_cast(&qa, col_of(T(SL_TYPE_BIGINT)), T(SL_TYPE_INT), false, 1, &out, &err), SL_ETYPE);
  ck_assert_str_eq(err.msg, "cannot cast BIGINT to INT");
  sl_err_clear(&err);
  ck_assert_int_eq(sl_expr_cast(&qa, col_of(T(SL_TYPE_BIGINT)), T(SL_TYPE_INT), true, 1, &out, &err), 0);
  ck_assert_int_eq(sl_expr_cast(&qa, col_of(T(SL_TYPE_BOOLEAN)), T(SL_TYPE_INT), true, 1, &out, &err), 0);
  ck_assert_int_eq(sl_expr_cast(&qa, col_of(T(SL_TYPE_DATE)), T(SL_TYPE_INT), true, 1, &out, &err), SL_ETYPE);
  ck_assert_str_eq(err.msg, "cannot cast DATE to INT");
  sl_err_clear(&err);
  /* equal types give back the node itself */
  sl_expr *c = col_of(TP(SL_TYPE_DECIMAL, 10, 2));
  ck_assert_int_eq(sl_expr_cast(&qa, c, TN(TP(SL_TYPE_DECIMAL, 10, 2)), false, 1, &out, &err), 0);
  ck_assert_ptr_eq(out, c);
}
END_TEST

START_TEST(test_func_cast_values) {
  sl_expr *out;
  /* constants fold at bind time */
  ck_assert_int_eq(sl_expr_cast(&qa, cstr(" 42 "), T(SL_TYPE_INT), true, 1, &out, &err), 0);
  ck_assert_int_eq(out->kind, SL_EXPR_CONST);
  ck_assert_int_eq(ival(out), 42);
  ck_assert_int_eq(sl_expr_cast(&qa, cstr("yes"), T(SL_TYPE_BOOLEAN), true, 1, &out, &err), 0);
  ck_assert_int_eq(ival(out), 1);
  ck_assert_int_eq(sl_expr_cast(&qa, cdbl(2.5), TP(SL_TYPE_DECIMAL, 5, 0), true, 1, &out, &err), 0);
  ck_assert_str_eq(decval(out), "3");
  ck_assert_int_eq(sl_expr_cast(&qa, cint(300), T(SL_TYPE_TINYINT), true, 1, &out, &err), 0);
  ck_assert_int_eq(ival(out), 44);
  ck_assert_int_eq(sl_expr_cast(&qa, cint(12345), TP(SL_TYPE_DECIMAL, 4, 1), true, 1, &out, &err), 0);
  ck_assert(nval(out));
  ck_assert_int_eq(sl_expr_cast(&qa, cdbl(0.1), TP(SL_TYPE_VARCHAR, SL_VARCHAR_MAX, 0), true, 1, &out, &err), 0);
  ck_assert_str_eq(sval(out), "0.1");
  ck_assert_int_eq(sl_expr_cast(&qa, cstr("abc"), TP(SL_TYPE_CHAR, 5, 0), true, 1, &out, &err), 0);
  ck_assert_str_eq(sval(out), "abc  ");
  ck_assert_int_eq(sl_expr_cast(&qa, cts("2024-03-01 08:05:09.326"), TP(SL_TYPE_TIMESTAMP, 0, 0), true, 1, &out,
                                &err), 0);
  ck_assert_int_eq(ival(out), ival(cts("2024-03-01 08:05:09")));
  /* a value that cannot be cast stays a CAST and fails when evaluated, at the CAST's loc */
  ck_assert_int_eq(sl_expr_cast(&qa, cstr("12x"), T(SL_TYPE_BIGINT), true, 88, &out, &err), 0);
  ck_assert_int_eq(out->kind, SL_EXPR_CAST);
  sl_value v;
  ck_assert_int_eq(sl_expr_eval_const(&ctx, out, &v), SL_ERUNTIME);
  ck_assert_str_eq(err.msg, "cannot cast '12x' to BIGINT");
  ck_assert_int_eq(err.loc, 88);
}
END_TEST

/* ==== EXPLAIN of calls ==================================================================== */

START_TEST(test_func_explain_calls) {
  sl_buf b;
  sl_buf_init(&b);
  sl_expr_explain(fn("SUBSTRING", 3, cstr("abc"), cint(1), cint(2)), NULL, &b);
  ck_assert_str_eq(b.data, "SUBSTRING('abc', 1, 2)");
  sl_buf_reset(&b);
  sl_expr_explain(fn("EXTRACT", 2, unit(SL_UNIT_HOUR), col_of(TP(SL_TYPE_TIMESTAMP, 3, 0))), NULL, &b);
  ck_assert_str_eq(b.data, "EXTRACT(HOUR FROM $0)");
  sl_buf_reset(&b);
  sl_expr *l = fn("LIKE", 2, col_of(TP(SL_TYPE_VARCHAR, 9, 0)), cstr("a%"));
  l->negated = true;
  sl_expr_explain(l, NULL, &b);
  ck_assert_str_eq(b.data, "$0 NOT LIKE 'a%'");
  sl_buf_reset(&b);
  sl_expr_explain(fn("*", 2, fn("+", 2, col_of(T(SL_TYPE_INT)), cint(1)), cint(2)), NULL, &b);
  ck_assert_str_eq(b.data, "($0 + 1) * 2");
  sl_buf_destroy(&b);
}
END_TEST

static Suite *func_suite(void) {
  Suite *s = suite_create("func");
  TCase *tc = tcase_create("arith_typing");
  tcase_add_checked_fixture(tc, setup, teardown);
  tcase_add_test(tc, test_func_integer_arith_types_widen);
  tcase_add_test(tc, test_func_approximate_arith_types);
  tcase_add_test(tc, test_func_decimal_arith_precision_and_scale);
  tcase_add_test(tc, test_func_arith_results_by_type);
  tcase_add_test(tc, test_func_decimal_overflow_is_null);
  tcase_add_test(tc, test_func_null_literal_takes_other_type);
  tcase_add_test(tc, test_func_interval_arith_types);
  tcase_add_test(tc, test_func_bad_arguments_name_function_and_types);
  suite_add_tcase(s, tc);

  tc = tcase_create("comparison_and_common_types");
  tcase_add_checked_fixture(tc, setup, teardown);
  tcase_add_test(tc, test_func_comparison_coercions);
  tcase_add_test(tc, test_func_common_types);
  suite_add_tcase(s, tc);

  tc = tcase_create("text");
  tcase_add_checked_fixture(tc, setup, teardown);
  tcase_add_test(tc, test_func_upper_lower_concat);
  tcase_add_test(tc, test_func_substring_follows_flink);
  tcase_add_test(tc, test_func_trim_family);
  tcase_add_test(tc, test_func_char_length_and_position);
  tcase_add_test(tc, test_func_like_and_not_like);
  suite_add_tcase(s, tc);

  tc = tcase_create("math");
  tcase_add_checked_fixture(tc, setup, teardown);
  tcase_add_test(tc, test_func_abs_floor_ceil);
  tcase_add_test(tc, test_func_round_half_up);
  tcase_add_test(tc, test_func_power_sqrt_ln_log10_exp);
  tcase_add_test(tc, test_func_nullif);
  suite_add_tcase(s, tc);

  tc = tcase_create("time");
  tcase_add_checked_fixture(tc, setup, teardown);
  tcase_add_test(tc, test_func_extract_fields);
  tcase_add_test(tc, test_func_date_format);
  tcase_add_test(tc, test_func_to_timestamp);
  suite_add_tcase(s, tc);

  tc = tcase_create("cast");
  tcase_add_checked_fixture(tc, setup, teardown);
  tcase_add_test(tc, test_func_cast_rules);
  tcase_add_test(tc, test_func_cast_values);
  tcase_add_test(tc, test_func_explain_calls);
  suite_add_tcase(s, tc);
  return s;
}

int main(void) {
  SRunner *sr = srunner_create(func_suite());
  srunner_run_all(sr, CK_NORMAL);
  int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
