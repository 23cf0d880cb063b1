/* func.c - scalar functions and operators: Flink's typing rules at bind time and the kernels
 * of the functions that expr_eval.c does not run itself (text, math, time).
 *
 * Typing follows Flink's LogicalTypeMerging / built-in function definitions:
 *   - integer op integer is the wider integer type and wraps like Java (MOD/% takes the type
 *     of its second argument, as Flink's MOD does);
 *   - with a DECIMAL, integers become DECIMAL(3/5/10/19, 0) and the result is
 *     sl_dec_type_add/mul/div/mod;
 *   - FLOAT with an integer stays FLOAT, anything else approximate is DOUBLE;
 *   - comparisons cast a string operand to the other side's type (Calcite), DATE to
 *     TIMESTAMP, and refuse TIMESTAMP vs TIMESTAMP_LTZ. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "datetime.h"
#include "decimal.h"
#include "expr.h"
#include "value_text.h"

/* ==== Common type ========================================================================= */

static int int_rank(int kind) {
  switch (kind) {
    case SL_TYPE_TINYINT: return 1;
    case SL_TYPE_SMALLINT: return 2;
    case SL_TYPE_INT: return 3;
    case SL_TYPE_BIGINT: return 4;
    default: return 0;
  }
}

static bool is_ts(int kind) { return kind == SL_TYPE_TIMESTAMP || kind == SL_TYPE_TIMESTAMP_LTZ; }

/* An exact numeric type seen as a DECIMAL (integers: DECIMAL(3/5/10/19, 0)). */
static sl_type as_decimal(sl_type t) {
  if (t.kind == SL_TYPE_DECIMAL) return t;
  return sl_type_make(SL_TYPE_DECIMAL, sl_dec_int_precision((sl_type_kind)t.kind), 0, t.nullable);
}

int sl_type_common(sl_type a, sl_type b, sl_type *out) {
  bool nullable = a.nullable || b.nullable;
  sl_type r;
  if (a.kind == SL_TYPE_NULL) {
    r = b;
  } else if (b.kind == SL_TYPE_NULL) {
    r = a;
  } else if (sl_type_is_string(a) && sl_type_is_string(b)) {
    int32_t len = a.precision > b.precision ? a.precision : b.precision;
    if (a.kind == SL_TYPE_CHAR && b.kind == SL_TYPE_CHAR && a.precision == b.precision)
      r = sl_type_make(SL_TYPE_CHAR, len, 0, nullable);
    else
      r = sl_type_make(SL_TYPE_VARCHAR, len, 0, nullable);
  } else if (sl_type_is_numeric(a) && sl_type_is_numeric(b)) {
    if (a.kind == SL_TYPE_DOUBLE || b.kind == SL_TYPE_DOUBLE) {
      r = sl_type_make(SL_TYPE_DOUBLE, 0, 0, nullable);
    } else if (a.kind == SL_TYPE_FLOAT || b.kind == SL_TYPE_FLOAT) {
      bool dec = a.kind == SL_TYPE_DECIMAL || b.kind == SL_TYPE_DECIMAL;
      r = sl_type_make(dec ? SL_TYPE_DOUBLE : SL_TYPE_FLOAT, 0, 0, nullable);
    } else if (a.kind == SL_TYPE_DECIMAL || b.kind == SL_TYPE_DECIMAL) {
      sl_type x = as_decimal(a), y = as_decimal(b);
      int d = x.precision - x.scale > y.precision - y.scale ? x.precision - x.scale : y.precision - y.scale;
      if (d > SL_DECIMAL_MAX_PRECISION) d = SL_DECIMAL_MAX_PRECISION;
      int s = x.scale > y.scale ? x.scale : y.scale;
      if (s > SL_DECIMAL_MAX_PRECISION - d) s = SL_DECIMAL_MAX_PRECISION - d;
      r = sl_type_make(SL_TYPE_DECIMAL, d + s, s, nullable);
    } else {
      r = int_rank(a.kind) >= int_rank(b.kind) ? a : b;
    }
  } else if (a.kind == b.kind && (a.kind == SL_TYPE_BOOLEAN || a.kind == SL_TYPE_DATE ||
                                  a.kind == SL_TYPE_INTERVAL_YM || a.kind == SL_TYPE_INTERVAL_DT)) {
    r = a;
  } else if (a.kind == SL_TYPE_TIME && b.kind == SL_TYPE_TIME) {
    r = a.precision >= b.precision ? a : b;
  } else if (is_ts(a.kind) && is_ts(b.kind)) {
    int p = a.precision > b.precision ? a.precision : b.precision;
    int k = a.kind == SL_TYPE_TIMESTAMP_LTZ || b.kind == SL_TYPE_TIMESTAMP_LTZ ? SL_TYPE_TIMESTAMP_LTZ
                                                                              : SL_TYPE_TIMESTAMP;
    r = sl_type_make((sl_type_kind)k, p, 0, nullable);
  } else if ((a.kind == SL_TYPE_DATE && is_ts(b.kind)) || (b.kind == SL_TYPE_DATE && is_ts(a.kind))) {
    /* Flink would pick DATE (TIMESTAMP casts implicitly to DATE); the lossless TIMESTAMP keeps
     * the time of day. */
    r = is_ts(a.kind) ? a : b;
  } else {
    return SL_ETYPE;
  }
  r.nullable = nullable;
  r.rowtime = false;
  *out = r;
  return 0;
}

/* ==== Binding helpers ===================================================================== */

static const char *tname(sl_type t, char *buf, int n) {
  t.nullable = true;
  t.rowtime = false;
  return sl_type_name(t, buf, n);
}

static int bad_args(sl_err *err, int64_t loc, const char *name, int nargs, sl_expr **args) {
  char list[400] = "", tb[64];
  size_t used = 0;
  for (int i = 0; i < nargs && used < sizeof list - 80; i++) {
    const char *sep = i == 0 ? "" : i == nargs - 1 ? " and " : ", ";
    used += (size_t)snprintf(list + used, sizeof list - used, "%s%s", sep,
                             tname(args[i]->type, tb, sizeof tb));
  }
  if (nargs == 0) return sl_err_set(err, SL_ETYPE, loc, "cannot apply '%s' to no arguments", name);
  return sl_err_set(err, SL_ETYPE, loc, "cannot apply '%s' to %s", name, list);
}

static int bad_count(sl_err *err, int64_t loc, const char *name, const char *expected, int nargs) {
  return sl_err_set(err, SL_ETYPE, loc, "'%s' expects %s argument%s, got %d", name, expected,
                    strcmp(expected, "1") == 0 ? "" : "s", nargs);
}

static bool any_nullable(int nargs, sl_expr **args) {
  for (int i = 0; i < nargs; i++)
    if (args[i]->type.nullable || args[i]->type.kind == SL_TYPE_NULL) return true;
  return false;
}

static bool is_null_t(const sl_expr *e) { return e->type.kind == SL_TYPE_NULL; }
static bool is_str(const sl_expr *e) { return sl_type_is_string(e->type); }
static bool is_num(const sl_expr *e) { return sl_type_is_numeric(e->type); }
static bool is_int(const sl_expr *e) { return sl_type_is_integer(e->type); }
static bool is_interval(int k) { return k == SL_TYPE_INTERVAL_YM || k == SL_TYPE_INTERVAL_DT; }

static sl_type string_t(void) { return sl_type_make(SL_TYPE_VARCHAR, SL_VARCHAR_MAX, 0, true); }

static sl_expr *mk_call(sl_arena *a, sl_fn fn, sl_type t, int nargs, sl_expr **args, int64_t loc) {
  sl_expr *e = sl_expr_new(a, SL_EXPR_CALL, t, nargs, loc);
  e->fn = fn;
  for (int i = 0; i < nargs; i++) e->args[i] = args[i];
  e->type.rowtime = false;
  return e;
}

/* Replaces args[i] by its cast to t (folded when constant). */
static int coerce(sl_arena *a, sl_expr **args, int i, sl_type t, bool explicit_cast, sl_err *err) {
  sl_expr *c;
  int rc = sl_expr_cast(a, args[i], t, explicit_cast, args[i]->loc, &c, err);
  if (rc) return rc;
  args[i] = c;
  return 0;
}

/* NULL literals become typed NULLs of t. */
static int null_to(sl_arena *a, sl_expr **args, int nargs, sl_type t, sl_err *err) {
  for (int i = 0; i < nargs; i++)
    if (is_null_t(args[i])) {
      int rc = coerce(a, args, i, t, true, err);
      if (rc) return rc;
    }
  return 0;
}

/* True when constant c converts to t and back without change, so a comparison can cast the
 * constant instead of the column (`amount > 100` keeps amount's DECIMAL(10, 2)). */
static bool const_fits(sl_arena *a, const sl_expr *c, sl_type t) {
  if (c->kind != SL_EXPR_CONST || c->value.is_null) return false;
  if (!sl_type_is_numeric(c->type) || !sl_type_is_numeric(t)) return false;
  if (t.kind == SL_TYPE_FLOAT || c->type.kind == SL_TYPE_FLOAT) return false;
  sl_value v, back;
  memset(&v, 0, sizeof v);
  memset(&back, 0, sizeof back);
  if (sl__cast_value(a, c->type, &c->value, t, &v) != 0) return false;
  if (sl__cast_value(a, t, &v, c->type, &back) != 0) return false;
  switch (sl_type_phys(c->type)) {
    case SL_PHYS_I64: return back.i64 == c->value.i64;
    case SL_PHYS_F64: return back.f64 == c->value.f64;
    case SL_PHYS_DEC: return back.dec == c->value.dec;
    default: return false;
  }
}

/* ==== Operators =========================================================================== */

static int bind_cmp(sl_arena *a, sl_fn fn, const char *name, int64_t loc, sl_expr **args, sl_expr **out,
                    sl_err *err) {
  sl_type A = args[0]->type, B = args[1]->type;
  sl_type boolean = sl_type_make(SL_TYPE_BOOLEAN, 0, 0, any_nullable(2, args));
  int rc = 0;
  if (is_null_t(args[0]) && !is_null_t(args[1])) rc = coerce(a, args, 0, B, true, err);
  else if (is_null_t(args[1]) && !is_null_t(args[0])) rc = coerce(a, args, 1, A, true, err);
  if (rc) return rc;
  A = args[0]->type;
  B = args[1]->type;
  if (A.kind == SL_TYPE_NULL && B.kind == SL_TYPE_NULL) {
  } else if (sl_type_is_numeric(A) && sl_type_is_numeric(B)) {
    if (!(is_int(args[0]) && is_int(args[1])) && !sl_type_equal(A, B)) {
      if (const_fits(a, args[1], A)) {
        rc = coerce(a, args, 1, A, true, err);
      } else if (const_fits(a, args[0], B)) {
        rc = coerce(a, args, 0, B, true, err);
      } else {
        sl_type c;
        if (sl_type_common(A, B, &c)) return bad_args(err, loc, name, 2, args);
        rc = coerce(a, args, 0, c, false, err);
        if (!rc) rc = coerce(a, args, 1, c, false, err);
      }
    }
  } else if (sl_type_is_string(A) && sl_type_is_string(B)) {
  } else if (sl_type_is_string(A) || sl_type_is_string(B)) {
    int s = sl_type_is_string(A) ? 0 : 1;
    sl_type other = s == 0 ? B : A;
    if (!(sl_type_is_numeric(other) || sl_type_is_temporal(other) || other.kind == SL_TYPE_BOOLEAN))
      return bad_args(err, loc, name, 2, args);
    other.nullable = true;
    other.rowtime = false;
    rc = coerce(a, args, s, other, true, err);
  } else if (A.kind == SL_TYPE_BOOLEAN && B.kind == SL_TYPE_BOOLEAN) {
  } else if (sl_type_is_temporal(A) && sl_type_is_temporal(B)) {
    if (A.kind == B.kind) {
    } else if (A.kind == SL_TYPE_DATE && is_ts(B.kind)) {
      rc = coerce(a, args, 0, B, true, err);
    } else if (B.kind == SL_TYPE_DATE && is_ts(A.kind)) {
      rc = coerce(a, args, 1, A, true, err);
    } else {
      return bad_args(err, loc, name, 2, args);
    }
  } else if (is_interval(A.kind) && A.kind == B.kind) {
  } else {
    return bad_args(err, loc, name, 2, args);
  }
  if (rc) return rc;
  *out = mk_call(a, fn, boolean, 2, args, loc);
  return 0;
}

static int bind_temporal_arith(sl_arena *a, sl_fn fn, const char *name, int64_t loc, sl_expr **args,
                               sl_expr **out, sl_err *err) {
  sl_type T = args[0]->type;
  int ik = args[1]->type.kind;
  sl_type rt = T;
  rt.rowtime = false;
  if (T.kind == SL_TYPE_DATE && ik == SL_TYPE_INTERVAL_DT) {
    /* Calcite keeps DATE for intervals of whole days and moves to TIMESTAMP otherwise; the
     * qualifier is not part of the type here, so a constant decides by its value. */
    const sl_expr *iv = args[1];
    bool days = iv->kind == SL_EXPR_CONST && !iv->value.is_null && iv->value.i64 % SL_MICROS_PER_DAY == 0;
    if (!days) rt = sl_type_make(SL_TYPE_TIMESTAMP, 3, 0, T.nullable);
  }
  rt.nullable = any_nullable(2, args);
  *out = mk_call(a, fn == SL_FN_ADD ? SL_FN_TS_ADD_INTERVAL : SL_FN_TS_SUB_INTERVAL, rt, 2, args, loc);
  (void)name;
  (void)err;
  return 0;
}

static int bind_arith(sl_arena *a, sl_fn fn, const char *name, int64_t loc, sl_expr **args, sl_expr **out,
                      sl_err *err) {
  int rc = 0;
  if (is_null_t(args[0]) && is_null_t(args[1])) return bad_args(err, loc, name, 2, args);
  if (is_null_t(args[0])) rc = coerce(a, args, 0, args[1]->type, true, err);
  else if (is_null_t(args[1])) rc = coerce(a, args, 1, args[0]->type, true, err);
  if (rc) return rc;
  sl_type A = args[0]->type, B = args[1]->type;
  bool nullable = any_nullable(2, args);
  /* temporal +- interval */
  if (fn == SL_FN_ADD || fn == SL_FN_SUB) {
    if (sl_type_is_temporal(A) && is_interval(B.kind))
      return bind_temporal_arith(a, fn, name, loc, args, out, err);
    if (fn == SL_FN_ADD && is_interval(A.kind) && sl_type_is_temporal(B)) {
      sl_expr *sw[2] = {args[1], args[0]};
      return bind_temporal_arith(a, fn, name, loc, sw, out, err);
    }
    if (is_interval(A.kind) && A.kind == B.kind) {
      sl_type rt = A;
      rt.nullable = nullable;
      *out = mk_call(a, fn, rt, 2, args, loc);
      return 0;
    }
  }
  if (!sl_type_is_numeric(A) || !sl_type_is_numeric(B)) return bad_args(err, loc, name, 2, args);
  sl_type rt;
  if (sl_type_is_integer(A) && sl_type_is_integer(B)) {
    /* Integer slots are all int64: the kernel wraps to the result width, no casts needed. */
    if (fn == SL_FN_MOD) rt = B;
    else rt = int_rank(A.kind) >= int_rank(B.kind) ? A : B;
  } else if (A.kind == SL_TYPE_FLOAT || A.kind == SL_TYPE_DOUBLE || B.kind == SL_TYPE_FLOAT ||
             B.kind == SL_TYPE_DOUBLE) {
    sl_type_common(A, B, &rt);
    rc = coerce(a, args, 0, rt, false, err);
    if (!rc) rc = coerce(a, args, 1, rt, false, err);
    if (rc) return rc;
  } else {
    sl_type x = as_decimal(A), y = as_decimal(B);
    int p = 0, s = 0;
    switch (fn) {
      case SL_FN_ADD:
      case SL_FN_SUB: sl_dec_type_add(x.precision, x.scale, y.precision, y.scale, &p, &s); break;
      case SL_FN_MUL: sl_dec_type_mul(x.precision, x.scale, y.precision, y.scale, &p, &s); break;
      case SL_FN_DIV: sl_dec_type_div(x.precision, x.scale, y.precision, y.scale, &p, &s); break;
      default: sl_dec_type_mod(x.precision, x.scale, y.precision, y.scale, &p, &s); break;
    }
    rt = sl_type_make(SL_TYPE_DECIMAL, p, s, nullable);
    if (fn == SL_FN_ADD || fn == SL_FN_SUB) {
      rc = coerce(a, args, 0, rt, false, err);
      if (!rc) rc = coerce(a, args, 1, rt, false, err);
    } else {
      rc = coerce(a, args, 0, x, false, err);
      if (!rc) rc = coerce(a, args, 1, y, false, err);
    }
    if (rc) return rc;
  }
  rt.nullable = nullable;
  *out = mk_call(a, fn, rt, 2, args, loc);
  return 0;
}

/* ==== Functions =========================================================================== */

/* Checks arity in [lo, hi]. */
static int arity(sl_err *err, int64_t loc, const char *name, int nargs, int lo, int hi) {
  if (nargs >= lo && nargs <= hi) return 0;
  char exp[32];
  if (lo == hi) snprintf(exp, sizeof exp, "%d", lo);
  else if (hi > 100) snprintf(exp, sizeof exp, "at least %d", lo);
  else snprintf(exp, sizeof exp, "%d to %d", lo, hi);
  return bad_count(err, loc, name, exp, nargs);
}

static int32_t str_len_of(const sl_expr *e) {
  return sl_type_is_string(e->type) ? e->type.precision : SL_VARCHAR_MAX;
}

static int bind_string_fn(sl_arena *a, sl_fn fn, const char *name, int64_t loc, int nargs, sl_expr **args,
                          sl_expr **out, sl_err *err) {
  int rc = null_to(a, args, fn == SL_FN_SUBSTRING ? 1 : nargs, string_t(), err);
  if (!rc && fn == SL_FN_SUBSTRING)
    rc = null_to(a, args + 1, nargs - 1, sl_type_make(SL_TYPE_INT, 0, 0, true), err);
  if (rc) return rc;
  bool nullable = any_nullable(nargs, args);
  sl_type rt;
  switch (fn) {
    case SL_FN_CONCAT: {
      /* Flink's STRING_CONCAT: CHAR(n1 + n2 ...) when all are CHAR, else VARCHAR */
      int64_t len = 0;
      bool all_char = true;
      for (int i = 0; i < nargs; i++) {
        if (!is_str(args[i])) return bad_args(err, loc, name, nargs, args);
        len += args[i]->type.precision;
        all_char &= args[i]->type.kind == SL_TYPE_CHAR;
      }
      if (len > SL_VARCHAR_MAX) len = SL_VARCHAR_MAX;
      rt = sl_type_make(all_char ? SL_TYPE_CHAR : SL_TYPE_VARCHAR, (int32_t)len, 0, nullable);
      break;
    }
    case SL_FN_UPPER:
    case SL_FN_LOWER:
      if (!is_str(args[0])) return bad_args(err, loc, name, nargs, args);
      rt = args[0]->type;
      break;
    case SL_FN_TRIM:
    case SL_FN_LTRIM:
    case SL_FN_RTRIM:
      for (int i = 0; i < nargs; i++)
        if (!is_str(args[i])) return bad_args(err, loc, name, nargs, args);
      rt = sl_type_make(SL_TYPE_VARCHAR, str_len_of(args[0]), 0, nullable);
      break;
    case SL_FN_SUBSTRING:
      if (!is_str(args[0])) return bad_args(err, loc, name, nargs, args);
      for (int i = 1; i < nargs; i++)
        if (!is_int(args[i])) return bad_args(err, loc, name, nargs, args);
      rt = sl_type_make(SL_TYPE_VARCHAR, str_len_of(args[0]), 0, nullable);
      break;
    case SL_FN_CHAR_LENGTH:
      if (!is_str(args[0])) return bad_args(err, loc, name, nargs, args);
      rt = sl_type_make(SL_TYPE_INT, 0, 0, nullable);
      break;
    case SL_FN_CHAR_POSITION:
      if (!is_str(args[0]) || !is_str(args[1])) return bad_args(err, loc, name, nargs, args);
      rt = sl_type_make(SL_TYPE_INT, 0, 0, nullable);
      break;
    case SL_FN_LIKE:
      for (int i = 0; i < nargs; i++)
        if (!is_str(args[i])) return bad_args(err, loc, name, nargs, args);
      rt = sl_type_make(SL_TYPE_BOOLEAN, 0, 0, nullable);
      break;
    default: return bad_args(err, loc, name, nargs, args);
  }
  rt.nullable = nullable;
  *out = mk_call(a, fn, rt, nargs, args, loc);
  return 0;
}

static int bind_math_fn(sl_arena *a, sl_fn fn, const char *name, int64_t loc, int nargs, sl_expr **args,
                        sl_expr **out, sl_err *err) {
  int rc = 0;
  if (is_null_t(args[0])) rc = coerce(a, args, 0, sl_type_make(SL_TYPE_DOUBLE, 0, 0, true), true, err);
  for (int i = 1; !rc && i < nargs; i++)
    if (is_null_t(args[i]))
      rc = coerce(a, args, i, sl_type_make(fn == SL_FN_ROUND ? SL_TYPE_INT : SL_TYPE_DOUBLE, 0, 0, true),
                  true, err);
  if (rc) return rc;
  for (int i = 0; i < nargs; i++)
    if (!is_num(args[i])) return bad_args(err, loc, name, nargs, args);
  bool nullable = any_nullable(nargs, args);
  sl_type X = args[0]->type, rt = X;
  switch (fn) {
    case SL_FN_ABS:
      break;
    case SL_FN_FLOOR:
    case SL_FN_CEIL:
      if (X.kind == SL_TYPE_DECIMAL && X.scale > 0) rt = sl_type_make(SL_TYPE_DECIMAL, X.precision, 0, nullable);
      break;
    case SL_FN_ROUND: {
      if (nargs == 2 && !is_int(args[1])) return bad_args(err, loc, name, nargs, args);
      if (X.kind == SL_TYPE_DECIMAL) {
        int64_t d = 0;
        if (nargs == 2) {
          if (args[1]->kind != SL_EXPR_CONST || args[1]->value.is_null)
            return sl_err_set(err, SL_ETYPE, args[1]->loc,
                              "'ROUND' on a DECIMAL needs a constant number of digits");
          d = args[1]->value.i64;
        }
        int p = X.precision, s = X.scale;
        if (d >= s) rt = X;
        else if (d < 0) rt = sl_type_make(SL_TYPE_DECIMAL, 1 + p - s > 38 ? 38 : 1 + p - s, 0, nullable);
        else rt = sl_type_make(SL_TYPE_DECIMAL, 1 + p - s + (int)d > 38 ? 38 : 1 + p - s + (int)d, (int)d, nullable);
      }
      break;
    }
    case SL_FN_POWER:
    case SL_FN_SQRT:
    case SL_FN_LN:
    case SL_FN_LOG10:
    case SL_FN_EXP:
      rt = sl_type_make(SL_TYPE_DOUBLE, 0, 0, nullable);
      for (int i = 0; i < nargs; i++) {
        rc = coerce(a, args, i, rt, false, err);
        if (rc) return rc;
      }
      break;
    default: return bad_args(err, loc, name, nargs, args);
  }
  rt.nullable = nullable;
  rt.rowtime = false;
  *out = mk_call(a, fn, rt, nargs, args, loc);
  return 0;
}

static int bind_time_fn(sl_arena *a, sl_fn fn, const char *name, int64_t loc, int nargs, sl_expr **args,
                        sl_expr **out, sl_err *err) {
  bool nullable = any_nullable(nargs, args);
  sl_type rt;
  int rc = 0;
  switch (fn) {
    case SL_FN_EXTRACT: {
      const sl_expr *u = args[0];
      if (u->kind != SL_EXPR_CONST || !sl_type_is_integer(u->type) || u->value.is_null)
        return bad_args(err, loc, name, nargs, args);
      int k = args[1]->type.kind;
      if (is_null_t(args[1])) {
        rc = coerce(a, args, 1, sl_type_make(SL_TYPE_TIMESTAMP, 3, 0, true), true, err);
        if (rc) return rc;
        k = SL_TYPE_TIMESTAMP;
      }
      if (!sl_type_is_temporal(args[1]->type) && !is_interval(k))
        return bad_args(err, loc, name, nargs, args);
      int64_t probe;
      if (sl_extract((int)u->value.i64, k, 0, &probe) != 0) {
        char tb[64];
        return sl_err_set(err, SL_ETYPE, loc, "cannot extract this unit from %s",
                          tname(args[1]->type, tb, sizeof tb));
      }
      rt = sl_type_make(SL_TYPE_BIGINT, 0, 0, args[1]->type.nullable);
      break;
    }
    case SL_FN_DATE_FORMAT:
      rc = null_to(a, args, nargs, string_t(), err);
      if (rc) return rc;
      if (!(is_ts(args[0]->type.kind) || args[0]->type.kind == SL_TYPE_DATE || is_str(args[0])) ||
          !is_str(args[1]))
        return bad_args(err, loc, name, nargs, args);
      rt = sl_type_make(SL_TYPE_VARCHAR, SL_VARCHAR_MAX, 0, nullable || is_str(args[0]));
      break;
    case SL_FN_TO_TIMESTAMP:
      rc = null_to(a, args, nargs, string_t(), err);
      if (rc) return rc;
      for (int i = 0; i < nargs; i++)
        if (!is_str(args[i])) return bad_args(err, loc, name, nargs, args);
      rt = sl_type_make(SL_TYPE_TIMESTAMP, 3, 0, true);
      break;
    default: return bad_args(err, loc, name, nargs, args);
  }
  *out = mk_call(a, fn, rt, nargs, args, loc);
  return 0;
}

static int bind_nullif(sl_arena *a, const char *name, int64_t loc, sl_expr **args, sl_expr **out, sl_err *err) {
  int rc = 0;
  if (is_null_t(args[0]) && !is_null_t(args[1])) rc = coerce(a, args, 0, args[1]->type, true, err);
  else if (is_null_t(args[1]) && !is_null_t(args[0])) rc = coerce(a, args, 1, args[0]->type, true, err);
  if (rc) return rc;
  sl_type A = args[0]->type, B = args[1]->type, rt = A;
  if (!(sl_type_is_integer(A) && sl_type_is_integer(B)) && !sl_type_equal(A, B)) {
    sl_type c;
    if (sl_type_common(A, B, &c)) return bad_args(err, loc, name, 2, args);
    rc = coerce(a, args, 0, c, false, err);
    if (!rc) rc = coerce(a, args, 1, c, false, err);
    if (rc) return rc;
    rt = c;
  }
  rt.nullable = true;
  rt.rowtime = false;
  *out = mk_call(a, SL_FN_NULLIF, rt, 2, args, loc);
  return 0;
}

int sl_func_bind(sl_arena *a, const char *name, int64_t loc, int nargs, sl_expr **args, sl_expr **out,
                 sl_err *err) {
  static const struct { const char *name; sl_fn fn; int lo, hi; } tab[] = {
      {"+", SL_FN_ADD, 2, 2}, {"-", SL_FN_SUB, 2, 2}, {"*", SL_FN_MUL, 2, 2},
      {"/", SL_FN_DIV, 2, 2}, {"%", SL_FN_MOD, 2, 2}, {"MOD", SL_FN_MOD, 2, 2},
      {"NEG", SL_FN_NEG, 1, 1}, {"=", SL_FN_EQ, 2, 2}, {"<>", SL_FN_NE, 2, 2},
      {"!=", SL_FN_NE, 2, 2}, {"<", SL_FN_LT, 2, 2}, {"<=", SL_FN_LE, 2, 2},
      {">", SL_FN_GT, 2, 2}, {">=", SL_FN_GE, 2, 2}, {"||", SL_FN_CONCAT, 2, 2},
      {"LIKE", SL_FN_LIKE, 2, 3}, {"CONCAT", SL_FN_CONCAT, 1, 1 << 20},
      {"UPPER", SL_FN_UPPER, 1, 1}, {"LOWER", SL_FN_LOWER, 1, 1},
      {"SUBSTRING", SL_FN_SUBSTRING, 2, 3}, {"SUBSTR", SL_FN_SUBSTRING, 2, 3},
      {"TRIM", SL_FN_TRIM, 1, 2}, {"LTRIM", SL_FN_LTRIM, 1, 2}, {"RTRIM", SL_FN_RTRIM, 1, 2},
      {"CHAR_LENGTH", SL_FN_CHAR_LENGTH, 1, 1}, {"CHARACTER_LENGTH", SL_FN_CHAR_LENGTH, 1, 1},
      {"ABS", SL_FN_ABS, 1, 1}, {"ROUND", SL_FN_ROUND, 1, 2}, {"FLOOR", SL_FN_FLOOR, 1, 1},
      {"CEIL", SL_FN_CEIL, 1, 1}, {"CEILING", SL_FN_CEIL, 1, 1}, {"EXTRACT", SL_FN_EXTRACT, 2, 2},
      {"DATE_FORMAT", SL_FN_DATE_FORMAT, 2, 2}, {"TO_TIMESTAMP", SL_FN_TO_TIMESTAMP, 1, 2},
      {"POWER", SL_FN_POWER, 2, 2}, {"SQRT", SL_FN_SQRT, 1, 1}, {"LN", SL_FN_LN, 1, 1},
      {"LOG10", SL_FN_LOG10, 1, 1}, {"EXP", SL_FN_EXP, 1, 1},
      {"POSITION", SL_FN_CHAR_POSITION, 2, 2}, {"NULLIF", SL_FN_NULLIF, 2, 2},
  };
  int idx = -1;
  for (size_t i = 0; i < sizeof tab / sizeof tab[0]; i++)
    if (strcmp(tab[i].name, name) == 0) { idx = (int)i; break; }
  if (idx < 0) return sl_err_set(err, SL_EBIND, loc, "unknown function '%s'", name);
  int rc = arity(err, loc, name, nargs, tab[idx].lo, tab[idx].hi);
  if (rc) return rc;
  for (int i = 0; i < nargs; i++)
    if (!args[i]) return sl_err_set(err, SL_EINVAL, loc, "missing argument %d of '%s'", i + 1, name);
  /* Work on a copy: implicit casts replace entries, the caller's array stays untouched. */
  sl_expr **av = sl_arena_alloc(a, sizeof(sl_expr *) * (size_t)(nargs ? nargs : 1));
  memcpy(av, args, sizeof(sl_expr *) * (size_t)nargs);
  sl_fn fn = tab[idx].fn;
  switch (fn) {
    case SL_FN_ADD: case SL_FN_SUB: case SL_FN_MUL: case SL_FN_DIV: case SL_FN_MOD:
      return bind_arith(a, fn, name, loc, av, out, err);
    case SL_FN_NEG: {
      if (is_null_t(av[0]) || (!is_num(av[0]) && !is_interval(av[0]->type.kind)))
        return bad_args(err, loc, "-", 1, av);
      *out = mk_call(a, fn, av[0]->type, 1, av, loc);
      return 0;
    }
    case SL_FN_EQ: case SL_FN_NE: case SL_FN_LT: case SL_FN_LE: case SL_FN_GT: case SL_FN_GE:
      return bind_cmp(a, fn, name, loc, av, out, err);
    case SL_FN_CONCAT: case SL_FN_UPPER: case SL_FN_LOWER: case SL_FN_SUBSTRING: case SL_FN_TRIM:
    case SL_FN_LTRIM: case SL_FN_RTRIM: case SL_FN_CHAR_LENGTH: case SL_FN_CHAR_POSITION:
    case SL_FN_LIKE:
      return bind_string_fn(a, fn, name, loc, nargs, av, out, err);
    case SL_FN_ABS: case SL_FN_ROUND: case SL_FN_FLOOR: case SL_FN_CEIL: case SL_FN_POWER:
    case SL_FN_SQRT: case SL_FN_LN: case SL_FN_LOG10: case SL_FN_EXP:
      return bind_math_fn(a, fn, name, loc, nargs, av, out, err);
    case SL_FN_EXTRACT: case SL_FN_DATE_FORMAT: case SL_FN_TO_TIMESTAMP:
      return bind_time_fn(a, fn, name, loc, nargs, av, out, err);
    case SL_FN_NULLIF:
      return bind_nullif(a, name, loc, av, out, err);
    default:
      return sl_err_set(err, SL_EBIND, loc, "unknown function '%s'", name);
  }
}

/* ==== Kernels ============================================================================= */

#define FOR_ROWS(...)                                                                     \
  do {                                                                                     \
    if (sel) {                                                                             \
      for (int i_ = 0; i_ < n; i_++) { uint32_t r = sel[i_]; __VA_ARGS__; }                       \
    } else {                                                                               \
      for (int i_ = 0; i_ < n; i_++) { uint32_t r = (uint32_t)i_; __VA_ARGS__; }                  \
    }                                                                                      \
  } while (0)

/* NULL where any argument is NULL (fresh array), or NULL when no argument has NULLs. */
static uint8_t *args_nulls(sl_eval_ctx *ctx, const sl_col *args, int nargs, int cap, const uint32_t *sel,
                           int n) {
  bool any = false;
  for (int i = 0; i < nargs; i++) any |= args[i].nulls != NULL || args[i].type.kind == SL_TYPE_NULL;
  if (!any) return NULL;
  uint8_t *o = sl_arena_alloc(ctx->arena, (size_t)cap);
  FOR_ROWS(o[r] = 0);
  for (int i = 0; i < nargs; i++) {
    if (args[i].type.kind == SL_TYPE_NULL) FOR_ROWS(o[r] = 1);
    else if (args[i].nulls) FOR_ROWS(o[r] |= args[i].nulls[r]);
  }
  return o;
}

static void mark_null(sl_eval_ctx *ctx, sl_col *out, int cap, const uint32_t *sel, int n, uint32_t row) {
  if (!out->nulls) {
    out->nulls = sl_arena_alloc(ctx->arena, (size_t)cap);
    FOR_ROWS(out->nulls[r] = 0);
  }
  out->nulls[row] = 1;
}

static inline bool is_null_at(const sl_col *c, uint32_t r) { return c->nulls && c->nulls[r]; }

/* Byte offset of code point k (or len when the string is shorter). */
static uint32_t cp_offset(sl_str s, int64_t k) {
  uint32_t i = 0;
  int64_t seen = 0;
  for (; i < s.len; i++) {
    if (((unsigned char)s.ptr[i] & 0xC0) != 0x80) {
      if (seen == k) return i;
      seen++;
    }
  }
  return s.len;
}

static int64_t cp_count(sl_str s) {
  int64_t c = 0;
  for (uint32_t i = 0; i < s.len; i++) c += ((unsigned char)s.ptr[i] & 0xC0) != 0x80;
  return c;
}

/* Length in bytes of the UTF-8 sequence starting at p (1 for stray bytes). */
static uint32_t cp_len(const char *p, uint32_t avail) {
  unsigned char c = (unsigned char)p[0];
  uint32_t l = c < 0x80 ? 1 : c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
  return l > avail ? avail : l;
}

/* Flink's SUBSTRING: 1-based; 0 acts as 1; a negative start counts from the end; a negative
 * length gives NULL (the caller handles that). */
static sl_str substring(sl_str s, int64_t pos, int64_t len) {
  sl_str empty = {"", 0};
  if (s.len == 0) return empty;
  int64_t nch = cp_count(s), start;
  if (pos > 0) {
    start = pos - 1;
    if (start >= nch) return empty;
  } else if (pos < 0) {
    start = nch + pos;
    if (start < 0) return empty;
  } else {
    start = 0;
  }
  int64_t end = nch - start < len ? nch : start + len;
  uint32_t b0 = cp_offset(s, start), b1 = cp_offset(s, end);
  sl_str r = {s.ptr + b0, b1 - b0};
  return r;
}

static bool in_set(const char *p, uint32_t l, sl_str set) {
  for (uint32_t i = 0; i + l <= set.len;) {
    uint32_t sl = cp_len(set.ptr + i, set.len - i);
    if (sl == l && memcmp(set.ptr + i, p, l) == 0) return true;
    i += sl;
  }
  return false;
}

static sl_str trim(sl_str s, sl_str set, bool lead, bool trail) {
  uint32_t b = 0, e = s.len;
  if (lead) {
    while (b < e) {
      uint32_t l = cp_len(s.ptr + b, e - b);
      if (!in_set(s.ptr + b, l, set)) break;
      b += l;
    }
  }
  if (trail) {
    while (e > b) {
      uint32_t st = e - 1;
      while (st > b && ((unsigned char)s.ptr[st] & 0xC0) == 0x80) st--;
      if (!in_set(s.ptr + st, e - st, set)) break;
      e = st;
    }
  }
  sl_str r = {s.ptr + b, e - b};
  return r;
}

static int64_t position(sl_str needle, sl_str hay) {
  if (needle.len == 0) return 1;
  if (needle.len > hay.len) return 0;
  const char *p = memmem(hay.ptr, hay.len, needle.ptr, needle.len);
  if (!p) return 0;
  sl_str pre = {hay.ptr, (uint32_t)(p - hay.ptr)};
  return cp_count(pre) + 1;
}

/* Java's BigDecimal.valueOf(d).setScale(digits, HALF_UP).doubleValue(): rounds the shortest
 * decimal text of d, so ROUND(2.675, 2) is 2.68 as in Flink. */
static double round_double(double d, int64_t digits, bool is_float) {
  if (isnan(d) || isinf(d)) return d;
  if (digits > 300) return d;
  if (digits < -330) return 0.0 * d;
  char txt[64];
  sl_double_format(d, is_float, txt);
  /* split into sign, digit string and decimal exponent: value = 0.DIGITS * 10^exp10 */
  char dig[64];
  int nd = 0, point = -1, exp10 = 0;
  bool neg = false;
  const char *p = txt;
  if (*p == '-') { neg = true; p++; }
  for (; *p && *p != 'E' && *p != 'e'; p++) {
    if (*p == '.') { point = nd; continue; }
    if (nd < 60) dig[nd++] = *p;
  }
  if (*p == 'E' || *p == 'e') exp10 = atoi(p + 1);
  if (point < 0) point = nd;
  int intdigits = point + exp10; /* digits before the decimal point */
  int64_t keep = intdigits + digits;  /* digits of dig[] that survive */
  if (keep < 0) return neg ? -0.0 : 0.0;
  char buf[128];
  int bl = 0;
  if (keep >= nd) return d;
  /* round dig[0..keep) half up by dig[keep] */
  int carry = dig[keep] >= '5';
  char kept[70];
  for (int i = 0; i < keep; i++) kept[i] = dig[i];
  for (int64_t i = keep - 1; carry && i >= 0; i--) {
    if (kept[i] == '9') kept[i] = '0';
    else { kept[i]++; carry = 0; }
  }
  /* The rounded value is the integer "[1]kept" times 10^(intdigits - keep). */
  if (neg) buf[bl++] = '-';
  if (carry) buf[bl++] = '1';
  for (int i = 0; i < keep; i++) buf[bl++] = kept[i];
  if (keep == 0 && !carry) buf[bl++] = '0';
  snprintf(buf + bl, sizeof buf - (size_t)bl, "e%d", intdigits - (int)keep);
  return strtod(buf, NULL);
}

/* HALF_UP rounding of an unscaled DECIMAL dropping k digits (k > 0). */
static sl_i128 dec_round_drop(sl_i128 v, int k) {
  if (k > 38) return 0;
  sl_i128 m = sl_dec_pow10(k);
  sl_i128 q = v / m, rem = v % m;
  if (rem < 0) rem = -rem;
  if (rem * 2 >= m) q += v < 0 ? -1 : 1;
  return q;
}

static sl_i128 dec_floor_ceil(sl_i128 v, int s, bool ceil_) {
  if (s == 0) return v;
  sl_i128 m = sl_dec_pow10(s);
  sl_i128 q = v / m, rem = v % m;
  if (rem != 0) {
    if (!ceil_ && v < 0) q -= 1;
    if (ceil_ && v > 0) q += 1;
  }
  return q;
}

static inline int64_t wrap_int(int kind, uint64_t v) {
  switch (kind) {
    case SL_TYPE_TINYINT: return (int8_t)(uint8_t)v;
    case SL_TYPE_SMALLINT: return (int16_t)(uint16_t)v;
    case SL_TYPE_INT: return (int32_t)(uint32_t)v;
    default: return (int64_t)v;
  }
}

static int64_t round_int(int64_t x, int64_t d) {
  if (d >= 0) return x;
  if (d < -18) return 0;
  int64_t m = 1;
  for (int64_t i = 0; i < -d; i++) m *= 10;
  int64_t q = x / m, rem = x % m;
  if (rem < 0) rem = -rem;
  if (rem >= m - rem) q += x < 0 ? -1 : 1;
  return (int64_t)((uint64_t)q * (uint64_t)m);
}

static int fn_round(sl_eval_ctx *ctx, const sl_expr *e, const sl_col *args, int nargs, const uint32_t *sel,
                    int n, sl_col *out) {
  const sl_col *x = &args[0];
  const sl_col *dg = nargs > 1 ? &args[1] : NULL;
  int k = e->type.kind;
  switch (sl_type_phys(x->type)) {
    case SL_PHYS_I64:
      FOR_ROWS(out->i64[r] = wrap_int(k, (uint64_t)round_int(x->i64[r], dg ? dg->i64[r] : 0)));
      break;
    case SL_PHYS_F64: {
      bool fl = x->type.kind == SL_TYPE_FLOAT;
      FOR_ROWS(out->f64[r] = round_double(x->f64[r], dg ? dg->i64[r] : 0, fl));
      break;
    }
    case SL_PHYS_DEC: {
      int s = x->type.scale, rs = e->type.scale;
      FOR_ROWS({
        int64_t d = dg ? dg->i64[r] : 0;
        sl_i128 v = x->dec[r];
        if (d < s) {
          v = dec_round_drop(v, (int)(s - d)); /* now at scale d */
          if (d < 0) v = -d > 38 ? 0 : v * sl_dec_pow10((int)-d);
          else if (rs > d) v *= sl_dec_pow10(rs - (int)d);
        } else if (rs > s) {
          v *= sl_dec_pow10(rs - s);
        }
        out->dec[r] = v;
      });
      break;
    }
    default: break;
  }
  (void)ctx;
  return 0;
}

static int fn_text(sl_eval_ctx *ctx, const sl_expr *e, const sl_col *args, int cap, const uint32_t *sel,
                   int n, sl_col *out) {
  int nargs = e->nargs;
  switch ((sl_fn)e->fn) {
    case SL_FN_CONCAT:
      FOR_ROWS({
        if (is_null_at(out, r)) { out->str[r].ptr = ""; out->str[r].len = 0; continue; }
        size_t len = 0;
        for (int k = 0; k < nargs; k++) len += args[k].str[r].len;
        char *d = sl_arena_alloc(ctx->arena, len ? len : 1);
        size_t o = 0;
        for (int k = 0; k < nargs; k++) {
          sl_str s = args[k].str[r];
          if (s.len) memcpy(d + o, s.ptr, s.len);
          o += s.len;
        }
        out->str[r].ptr = d;
        out->str[r].len = (uint32_t)len;
      });
      return 0;
    case SL_FN_UPPER:
    case SL_FN_LOWER: {
      bool up = e->fn == SL_FN_UPPER;
      FOR_ROWS({
        sl_str s = args[0].str[r];
        char *d = sl_arena_alloc(ctx->arena, s.len ? s.len : 1);
        for (uint32_t i = 0; i < s.len; i++) {
          char c = s.ptr[i];
          if (up && c >= 'a' && c <= 'z') c = (char)(c - 'a' + 'A');
          else if (!up && c >= 'A' && c <= 'Z') c = (char)(c - 'A' + 'a');
          d[i] = c;
        }
        out->str[r].ptr = d;
        out->str[r].len = s.len;
      });
      return 0;
    }
    case SL_FN_SUBSTRING:
      FOR_ROWS({
        if (is_null_at(out, r)) { out->str[r].ptr = ""; out->str[r].len = 0; continue; }
        int64_t len = nargs > 2 ? args[2].i64[r] : INT64_MAX;
        if (len < 0) {
          out->str[r].ptr = "";
          out->str[r].len = 0;
          mark_null(ctx, out, cap, sel, n, r);
          continue;
        }
        out->str[r] = substring(args[0].str[r], args[1].i64[r], len);
      });
      return 0;
    case SL_FN_TRIM:
    case SL_FN_LTRIM:
    case SL_FN_RTRIM: {
      bool lead = e->fn != SL_FN_RTRIM, trail = e->fn != SL_FN_LTRIM;
      sl_str blank = {" ", 1};
      FOR_ROWS({
        if (is_null_at(out, r)) { out->str[r].ptr = ""; out->str[r].len = 0; continue; }
        out->str[r] = trim(args[0].str[r], nargs > 1 ? args[1].str[r] : blank, lead, trail);
      });
      return 0;
    }
    case SL_FN_CHAR_LENGTH: FOR_ROWS(out->i64[r] = cp_count(args[0].str[r])); return 0;
    case SL_FN_CHAR_POSITION: FOR_ROWS(out->i64[r] = position(args[0].str[r], args[1].str[r])); return 0;
    case SL_FN_LIKE: {
      int64_t neg = e->negated ? 1 : 0;
      FOR_ROWS({
        if (is_null_at(out, r)) { out->i64[r] = 0; continue; }
        char esc = 0;
        if (nargs > 2) {
          sl_str es = args[2].str[r];
          if (es.len != 1)
            return sl_err_set(ctx->err, SL_ERUNTIME, e->loc,
                              "the ESCAPE of LIKE must be a single character, got '%.*s'", (int)es.len, es.ptr);
          esc = es.ptr[0];
        }
        sl_str s = args[0].str[r], p = args[1].str[r];
        out->i64[r] = sl_like_match(s.ptr, s.len, p.ptr, p.len, esc) ^ neg;
      });
      return 0;
    }
    default: return sl_err_set(ctx->err, SL_EUNSUPPORTED, e->loc, "no kernel for '%s'", sl__fn_name(e->fn));
  }
}

static int fn_math(sl_eval_ctx *ctx, const sl_expr *e, const sl_col *args, int cap, const uint32_t *sel,
                   int n, sl_col *out) {
  const sl_col *x = &args[0];
  int k = e->type.kind;
  switch ((sl_fn)e->fn) {
    case SL_FN_ABS:
      switch (sl_type_phys(x->type)) {
        case SL_PHYS_I64: FOR_ROWS(out->i64[r] = wrap_int(k, x->i64[r] < 0 ? 0 - (uint64_t)x->i64[r] : (uint64_t)x->i64[r])); break;
        case SL_PHYS_F64: FOR_ROWS(out->f64[r] = fabs(x->f64[r])); break;
        case SL_PHYS_DEC: FOR_ROWS(out->dec[r] = x->dec[r] < 0 ? -x->dec[r] : x->dec[r]); break;
        default: break;
      }
      return 0;
    case SL_FN_FLOOR:
    case SL_FN_CEIL: {
      bool c = e->fn == SL_FN_CEIL;
      switch (sl_type_phys(x->type)) {
        case SL_PHYS_I64: FOR_ROWS(out->i64[r] = x->i64[r]); break;
        case SL_PHYS_F64: FOR_ROWS(out->f64[r] = c ? ceil(x->f64[r]) : floor(x->f64[r])); break;
        case SL_PHYS_DEC: {
          int s = x->type.scale;
          FOR_ROWS(out->dec[r] = dec_floor_ceil(x->dec[r], s, c));
          break;
        }
        default: break;
      }
      return 0;
    }
    case SL_FN_ROUND: return fn_round(ctx, e, args, e->nargs, sel, n, out);
    case SL_FN_POWER: FOR_ROWS(out->f64[r] = pow(x->f64[r], args[1].f64[r])); return 0;
    case SL_FN_SQRT: FOR_ROWS(out->f64[r] = sqrt(x->f64[r])); return 0;
    case SL_FN_LN: FOR_ROWS(out->f64[r] = log(x->f64[r])); return 0;
    case SL_FN_LOG10: FOR_ROWS(out->f64[r] = log10(x->f64[r])); return 0;
    case SL_FN_EXP: FOR_ROWS(out->f64[r] = exp(x->f64[r])); return 0;
    default: break;
  }
  (void)cap;
  return sl_err_set(ctx->err, SL_EUNSUPPORTED, e->loc, "no kernel for '%s'", sl__fn_name(e->fn));
}

static int fn_time(sl_eval_ctx *ctx, const sl_expr *e, const sl_col *args, int cap, const uint32_t *sel,
                   int n, sl_col *out) {
  switch ((sl_fn)e->fn) {
    case SL_FN_EXTRACT: {
      int kind = args[1].type.kind;
      FOR_ROWS({
        if (is_null_at(out, r)) { out->i64[r] = 0; continue; }
        int64_t v = 0;
        if (sl_extract((int)args[0].i64[r], kind, args[1].i64[r], &v) != 0)
          return sl_err_set(ctx->err, SL_ERUNTIME, e->loc, "cannot extract this unit");
        out->i64[r] = v;
      });
      return 0;
    }
    case SL_FN_DATE_FORMAT: {
      int kind = args[0].type.kind;
      char small[256];
      FOR_ROWS({
        out->str[r].ptr = "";
        out->str[r].len = 0;
        if (is_null_at(out, r)) continue;
        int64_t micros;
        if (kind == SL_TYPE_DATE) {
          micros = args[0].i64[r] * SL_MICROS_PER_DAY;
        } else if (sl_type_is_string(args[0].type)) {
          sl_str s = args[0].str[r];
          if (sl_ts_parse(s.ptr, s.len, true, &micros) != 0) {
            mark_null(ctx, out, cap, sel, n, r);
            continue;
          }
        } else {
          micros = args[0].i64[r];
        }
        sl_str pat = args[1].str[r];
        size_t bcap = (size_t)pat.len * 8 + 64;
        char *buf = bcap <= sizeof small ? small : sl_arena_alloc(ctx->arena, bcap);
        int len = sl_ts_format_pattern(micros, pat.ptr, pat.len, buf, bcap);
        if (len < 0)
          return sl_err_set(ctx->err, SL_ERUNTIME, e->loc, "unsupported DATE_FORMAT pattern '%.*s'",
                            (int)pat.len, pat.ptr);
        out->str[r].ptr = sl_arena_strndup(ctx->arena, buf, (size_t)len);
        out->str[r].len = (uint32_t)len;
      });
      return 0;
    }
    case SL_FN_TO_TIMESTAMP:
      FOR_ROWS({
        out->i64[r] = 0;
        if (is_null_at(out, r)) continue;
        sl_str s = args[0].str[r];
        int64_t v;
        int rc = e->nargs > 1 ? sl_ts_parse_pattern(s.ptr, s.len, args[1].str[r].ptr, args[1].str[r].len, &v)
                              : sl_ts_parse(s.ptr, s.len, true, &v);
        if (rc != 0) {
          mark_null(ctx, out, cap, sel, n, r);
          continue;
        }
        out->i64[r] = v - sl_floor_mod(v, 1000); /* TIMESTAMP(3) */
      });
      return 0;
    default: break;
  }
  return sl_err_set(ctx->err, SL_EUNSUPPORTED, e->loc, "no kernel for '%s'", sl__fn_name(e->fn));
}

/* NULLIF(a, b): a, except NULL where a = b. */
static int fn_nullif(sl_eval_ctx *ctx, const sl_expr *e, const sl_col *args, int cap, const uint32_t *sel,
                     int n, sl_col *out) {
  const sl_col *x = &args[0], *y = &args[1];
  out->raw = x->raw;
  out->nulls = sl_arena_alloc(ctx->arena, (size_t)cap);
  FOR_ROWS({
    bool xn = is_null_at(x, r), yn = is_null_at(y, r) || y->type.kind == SL_TYPE_NULL;
    bool eq = false;
    if (!xn && !yn) {
      switch (sl_type_phys(x->type)) {
        case SL_PHYS_I64: eq = x->i64[r] == y->i64[r]; break;
        case SL_PHYS_F64: eq = x->f64[r] == y->f64[r]; break;
        case SL_PHYS_DEC: eq = x->dec[r] == y->dec[r]; break;
        case SL_PHYS_STR:
          eq = x->str[r].len == y->str[r].len &&
               (x->str[r].len == 0 || memcmp(x->str[r].ptr, y->str[r].ptr, x->str[r].len) == 0);
          break;
      }
    }
    out->nulls[r] = xn || eq;
  });
  (void)e;
  return 0;
}

int sl__func_eval(sl_eval_ctx *ctx, const sl_expr *e, const sl_col *args, int cap, const uint32_t *sel,
                  int n, sl_col *out) {
  out->type = e->type;
  if (e->fn == SL_FN_NULLIF) return fn_nullif(ctx, e, args, cap, sel, n, out);
  out->raw = sl_arena_alloc(ctx->arena, (size_t)cap * (size_t)sl_type_slot_size(e->type));
  out->nulls = args_nulls(ctx, args, e->nargs, cap, sel, n);
  switch ((sl_fn)e->fn) {
    case SL_FN_CONCAT: case SL_FN_UPPER: case SL_FN_LOWER: case SL_FN_SUBSTRING: case SL_FN_TRIM:
    case SL_FN_LTRIM: case SL_FN_RTRIM: case SL_FN_CHAR_LENGTH: case SL_FN_CHAR_POSITION:
    case SL_FN_LIKE:
      return fn_text(ctx, e, args, cap, sel, n, out);
    case SL_FN_ABS: case SL_FN_ROUND: case SL_FN_FLOOR: case SL_FN_CEIL: case SL_FN_POWER:
    case SL_FN_SQRT: case SL_FN_LN: case SL_FN_LOG10: case SL_FN_EXP:
      return fn_math(ctx, e, args, cap, sel, n, out);
    case SL_FN_EXTRACT: case SL_FN_DATE_FORMAT: case SL_FN_TO_TIMESTAMP:
      return fn_time(ctx, e, args, cap, sel, n, out);
    case SL_FN_WINDOW_START: {
      /* Windows start at multiples of the size since the epoch (floor, also before 1970). */
      FOR_ROWS({
        if (is_null_at(out, r)) { out->i64[r] = 0; continue; }
        int64_t ts = args[0].i64[r], size = args[1].i64[r];
        int64_t m = ts % size;
        out->i64[r] = ts - (m < 0 ? m + size : m);
      });
      return 0;
    }
    default:
      return sl_err_set(ctx->err, SL_EUNSUPPORTED, e->loc, "no kernel for '%s'", sl__fn_name(e->fn));
  }
}
