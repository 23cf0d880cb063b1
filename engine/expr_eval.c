/* expr_eval.c - vectorized evaluation of bound expressions over a batch and a selection.
 *
 * Each node produces a column whose slot and NULL arrays are indexed by row number and valid
 * only at the selected rows. COL nodes alias the batch column; everything else is scratch in
 * ctx->arena. Hot operators (arithmetic, comparisons, three-valued logic, IS NULL) run as
 * type-specialized loops chosen once per node, never per row. Laziness follows Flink's
 * generated code: AND/OR only evaluate an operand on the rows whose result is still open,
 * CASE and COALESCE evaluate a branch only on the rows that reach it, so a division by zero
 * in a branch not taken does not raise. */
#include <math.h>
#include <string.h>

#include "datetime.h"
#include "decimal.h"
#include "expr.h"

static int eval(sl_eval_ctx *ctx, const sl_expr *e, const sl_batch *in, int cap, const uint32_t *sel,
                int n, sl_col *out);

/* ==== Helpers ============================================================================= */

#define FOR_ROWS(...)                                                                     \
  do {                                                                                     \
    if (sel) {                                                                             \
      for (int i_ = 0; i_ < n; i_++) { uint32_t r = sel[i_]; __VA_ARGS__; }                       \
    } else {                                                                               \
      for (int i_ = 0; i_ < n; i_++) { uint32_t r = (uint32_t)i_; __VA_ARGS__; }                  \
    }                                                                                      \
  } while (0)

int sl__expr_cap(const sl_batch *in, int n) {
  int cap = in ? in->nrows : 0;
  if (in && in->cap > cap) cap = in->cap;
  if (n > cap) cap = n;
  return cap > 0 ? cap : 1;
}

static void *slots(sl_eval_ctx *ctx, sl_type t, int cap) {
  return sl_arena_alloc(ctx->arena, (size_t)cap * (size_t)sl_type_slot_size(t));
}

static uint8_t *bytes(sl_eval_ctx *ctx, int cap) { return sl_arena_alloc(ctx->arena, (size_t)cap); }

/* NULL flags of a result that is NULL where any input is: a fresh array the caller may write
 * to, or NULL when no input has NULLs. */
static uint8_t *nulls_or(sl_eval_ctx *ctx, int cap, const uint32_t *sel, int n, const uint8_t *a,
                         const uint8_t *b) {
  if (!a && !b) return NULL;
  uint8_t *o = bytes(ctx, cap);
  if (a && b) FOR_ROWS(o[r] = a[r] | b[r]);
  else if (a) FOR_ROWS(o[r] = a[r]);
  else FOR_ROWS(o[r] = b[r]);
  return o;
}

/* Gives out a writable NULL array (zeroed at the selected rows when it did not exist). */
static uint8_t *own_nulls(sl_eval_ctx *ctx, sl_col *out, int cap, const uint32_t *sel, int n) {
  if (!out->nulls) {
    out->nulls = bytes(ctx, cap);
    FOR_ROWS(out->nulls[r] = 0);
  }
  return out->nulls;
}

static inline int64_t wrap_int(int kind, uint64_t v) {
  switch (kind) {
    case SL_TYPE_TINYINT: return (int8_t)(uint8_t)v;
    case SL_TYPE_SMALLINT: return (int16_t)(uint16_t)v;
    case SL_TYPE_INT: return (int32_t)(uint32_t)v;
    default: return (int64_t)v;
  }
}

static inline int str_cmp(sl_str a, sl_str b) {
  uint32_t m = a.len < b.len ? a.len : b.len;
  int c = m ? memcmp(a.ptr, b.ptr, m) : 0;
  if (c) return c;
  return a.len < b.len ? -1 : a.len > b.len;
}

static inline bool str_eq(sl_str a, sl_str b) {
  return a.len == b.len && (a.len == 0 || memcmp(a.ptr, b.ptr, a.len) == 0);
}

static int div_zero(sl_eval_ctx *ctx, const sl_expr *e) {
  return sl_err_set(ctx->err, SL_ERUNTIME, e->loc, "division by zero");
}

/* ==== Constants and columns =============================================================== */

static void broadcast(sl_eval_ctx *ctx, const sl_expr *e, int cap, const uint32_t *sel, int n, sl_col *out) {
  out->type = e->type;
  out->raw = slots(ctx, e->type, cap);
  out->nulls = NULL;
  if (e->value.is_null || e->type.kind == SL_TYPE_NULL) {
    memset(out->raw, 0, (size_t)cap * (size_t)sl_type_slot_size(e->type));
    out->nulls = bytes(ctx, cap);
    memset(out->nulls, 1, (size_t)cap);
    return;
  }
  switch (sl_type_phys(e->type)) {
    case SL_PHYS_I64: { int64_t v = e->value.i64; FOR_ROWS(out->i64[r] = v); break; }
    case SL_PHYS_F64: { double v = e->value.f64; FOR_ROWS(out->f64[r] = v); break; }
    case SL_PHYS_DEC: { sl_i128 v = e->value.dec; FOR_ROWS(out->dec[r] = v); break; }
    case SL_PHYS_STR: { sl_str v = e->value.str; FOR_ROWS(out->str[r] = v); break; }
  }
}

/* ==== Arithmetic ========================================================================== */

/* Integer + - * / % with Java's wrapping to the result width; / and % by zero raise. */
static int arith_i64(sl_eval_ctx *ctx, const sl_expr *e, const sl_col *a, const sl_col *b,
                     const uint32_t *sel, int n, sl_col *out) {
  const int64_t *x = a->i64, *y = b->i64;
  int64_t *o = out->i64;
  int k = e->type.kind;
  const uint8_t *nl = out->nulls;
  switch ((sl_fn)e->fn) {
    case SL_FN_ADD: FOR_ROWS(o[r] = wrap_int(k, (uint64_t)x[r] + (uint64_t)y[r])); break;
    case SL_FN_SUB: FOR_ROWS(o[r] = wrap_int(k, (uint64_t)x[r] - (uint64_t)y[r])); break;
    case SL_FN_MUL: FOR_ROWS(o[r] = wrap_int(k, (uint64_t)x[r] * (uint64_t)y[r])); break;
    case SL_FN_DIV:
    case SL_FN_MOD: {
      bool div = e->fn == SL_FN_DIV;
      for (int i = 0; i < n; i++) {
        uint32_t r = sel ? sel[i] : (uint32_t)i;
        if (nl && nl[r]) { o[r] = 0; continue; }
        int64_t p = x[r], q = y[r];
        if (q == 0) return div_zero(ctx, e);
        if (q == -1) o[r] = div ? wrap_int(k, 0 - (uint64_t)p) : 0;
        else o[r] = wrap_int(k, (uint64_t)(div ? p / q : p % q));
      }
      break;
    }
    default: return sl_err_set(ctx->err, SL_EUNSUPPORTED, e->loc, "bad integer operator");
  }
  return 0;
}

static int arith_f64(sl_eval_ctx *ctx, const sl_expr *e, const sl_col *a, const sl_col *b,
                     const uint32_t *sel, int n, sl_col *out) {
  const double *x = a->f64, *y = b->f64;
  double *o = out->f64;
  switch ((sl_fn)e->fn) {
    case SL_FN_ADD: FOR_ROWS(o[r] = x[r] + y[r]); break;
    case SL_FN_SUB: FOR_ROWS(o[r] = x[r] - y[r]); break;
    case SL_FN_MUL: FOR_ROWS(o[r] = x[r] * y[r]); break;
    case SL_FN_DIV: FOR_ROWS(o[r] = x[r] / y[r]); break;
    case SL_FN_MOD: FOR_ROWS(o[r] = fmod(x[r], y[r])); break;
    default: return sl_err_set(ctx->err, SL_EUNSUPPORTED, e->loc, "bad floating-point operator");
  }
  if (e->type.kind == SL_TYPE_FLOAT) FOR_ROWS(o[r] = (float)o[r]);
  return 0;
}

/* DECIMAL arithmetic; a result that does not fit the result precision is NULL (Flink). */
static int arith_dec(sl_eval_ctx *ctx, const sl_expr *e, const sl_col *a, const sl_col *b, int cap,
                     const uint32_t *sel, int n, sl_col *out) {
  const sl_i128 *x = a->dec, *y = b->dec;
  sl_i128 *o = out->dec;
  int p = e->type.precision, rs = e->type.scale, sa = a->type.scale, sb = b->type.scale;
  for (int i = 0; i < n; i++) {
    uint32_t r = sel ? sel[i] : (uint32_t)i;
    if (out->nulls && out->nulls[r]) { o[r] = 0; continue; }
    sl_i128 v = 0, p1 = x[r], p2 = y[r];
    int rc = 0;
    switch ((sl_fn)e->fn) {
      case SL_FN_ADD:
      case SL_FN_SUB:
        if (sa != rs) rc = sl_dec_rescale(p1, sa, rs, &p1);
        if (!rc && sb != rs) rc = sl_dec_rescale(p2, sb, rs, &p2);
        if (!rc) rc = e->fn == SL_FN_ADD ? __builtin_add_overflow(p1, p2, &v) : __builtin_sub_overflow(p1, p2, &v);
        break;
      case SL_FN_MUL: rc = sl_dec_mul(p1, sa, p2, sb, rs, &v); break;
      case SL_FN_DIV:
        if (p2 == 0) return div_zero(ctx, e);
        rc = sl_dec_div(p1, sa, p2, sb, rs, &v);
        break;
      case SL_FN_MOD:
        if (p2 == 0) return div_zero(ctx, e);
        rc = sl_dec_mod(p1, sa, p2, sb, rs, &v);
        break;
      default: return sl_err_set(ctx->err, SL_EUNSUPPORTED, e->loc, "bad decimal operator");
    }
    if (rc || !sl_dec_fits(v, p)) {
      own_nulls(ctx, out, cap, sel, n)[r] = 1;
      v = 0;
    }
    o[r] = v;
  }
  return 0;
}

static int eval_arith(sl_eval_ctx *ctx, const sl_expr *e, const sl_batch *in, int cap,
                      const uint32_t *sel, int n, sl_col *out) {
  sl_col a, b;
  int rc = eval(ctx, e->args[0], in, cap, sel, n, &a);
  if (!rc) rc = eval(ctx, e->args[1], in, cap, sel, n, &b);
  if (rc) return rc;
  out->type = e->type;
  out->raw = slots(ctx, e->type, cap);
  out->nulls = nulls_or(ctx, cap, sel, n, a.nulls, b.nulls);
  switch (sl_type_phys(e->type)) {
    case SL_PHYS_I64: return arith_i64(ctx, e, &a, &b, sel, n, out);
    case SL_PHYS_F64: return arith_f64(ctx, e, &a, &b, sel, n, out);
    case SL_PHYS_DEC: return arith_dec(ctx, e, &a, &b, cap, sel, n, out);
    default: return sl_err_set(ctx->err, SL_EUNSUPPORTED, e->loc, "arithmetic on text");
  }
}

static int eval_neg(sl_eval_ctx *ctx, const sl_expr *e, const sl_batch *in, int cap,
                    const uint32_t *sel, int n, sl_col *out) {
  sl_col a;
  int rc = eval(ctx, e->args[0], in, cap, sel, n, &a);
  if (rc) return rc;
  out->type = e->type;
  out->raw = slots(ctx, e->type, cap);
  out->nulls = a.nulls;
  int k = e->type.kind;
  switch (sl_type_phys(e->type)) {
    case SL_PHYS_I64: FOR_ROWS(out->i64[r] = wrap_int(k, 0 - (uint64_t)a.i64[r])); break;
    case SL_PHYS_F64: FOR_ROWS(out->f64[r] = -a.f64[r]); break;
    case SL_PHYS_DEC: FOR_ROWS(out->dec[r] = -a.dec[r]); break;
    default: return sl_err_set(ctx->err, SL_EUNSUPPORTED, e->loc, "negation of text");
  }
  return 0;
}

/* Adds months to a day number, clamping the day of month (Jan 31 + 1 month = Feb 29/28). */
static int64_t add_months_days(int64_t days, int64_t months) {
  int64_t y;
  int m, d;
  sl_civil_from_days(days, &y, &m, &d);
  int64_t tm = y * 12 + (m - 1) + months;
  y = sl_floor_div(tm, 12);
  m = (int)sl_floor_mod(tm, 12) + 1;
  static const int mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  int last = mdays[m - 1];
  if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0)) last = 29;
  if (d > last) d = last;
  return sl_days_from_civil(y, m, d);
}

/* temporal +- interval: DATE, TIME, TIMESTAMP(_LTZ) with day-time (micros) or year-month
 * (months) intervals. DATE + day-time gives DATE when the bound type says so (whole days),
 * else TIMESTAMP. */
static int eval_ts_interval(sl_eval_ctx *ctx, const sl_expr *e, const sl_batch *in, int cap,
                            const uint32_t *sel, int n, sl_col *out) {
  sl_col a, b;
  int rc = eval(ctx, e->args[0], in, cap, sel, n, &a);
  if (!rc) rc = eval(ctx, e->args[1], in, cap, sel, n, &b);
  if (rc) return rc;
  out->type = e->type;
  out->raw = slots(ctx, e->type, cap);
  out->nulls = nulls_or(ctx, cap, sel, n, a.nulls, b.nulls);
  int64_t sign = e->fn == SL_FN_TS_SUB_INTERVAL ? -1 : 1;
  int fk = e->args[0]->type.kind, ik = e->args[1]->type.kind, rk = e->type.kind;
  const int64_t *x = a.i64, *y = b.i64;
  int64_t *o = out->i64;
  if (ik == SL_TYPE_INTERVAL_YM) {
    switch (fk) {
      case SL_TYPE_DATE: FOR_ROWS(o[r] = add_months_days(x[r], sign * y[r])); break;
      case SL_TYPE_TIME: FOR_ROWS(o[r] = x[r]); break;
      default:
        FOR_ROWS({
          int64_t days = sl_floor_div(x[r], SL_MICROS_PER_DAY);
          int64_t tod = x[r] - days * SL_MICROS_PER_DAY;
          o[r] = add_months_days(days, sign * y[r]) * SL_MICROS_PER_DAY + tod;
        });
        break;
    }
    return 0;
  }
  switch (fk) {
    case SL_TYPE_DATE:
      if (rk == SL_TYPE_DATE) FOR_ROWS(o[r] = x[r] + sign * (y[r] / SL_MICROS_PER_DAY));
      else FOR_ROWS(o[r] = x[r] * SL_MICROS_PER_DAY + sign * y[r]);
      break;
    case SL_TYPE_TIME: FOR_ROWS(o[r] = sl_floor_mod(x[r] + sign * y[r], SL_MICROS_PER_DAY)); break;
    default: FOR_ROWS(o[r] = x[r] + sign * y[r]); break;
  }
  return 0;
}

/* ==== Comparisons ========================================================================= */

static int flip_cmp(int fn) {
  switch (fn) {
    case SL_FN_LT: return SL_FN_GT;
    case SL_FN_LE: return SL_FN_GE;
    case SL_FN_GT: return SL_FN_LT;
    case SL_FN_GE: return SL_FN_LE;
    default: return fn;
  }
}

/* One loop per (operator, storage class, column-vs-constant shape). LOOP(OP) expands to the
 * loop body for one C operator. */
#define CMP_BY_OP(fn, LOOP)        \
  switch (fn) {                    \
    case SL_FN_EQ: LOOP(==); break; \
    case SL_FN_NE: LOOP(!=); break; \
    case SL_FN_LT: LOOP(<); break;  \
    case SL_FN_LE: LOOP(<=); break; \
    case SL_FN_GT: LOOP(>); break;  \
    case SL_FN_GE: LOOP(>=); break; \
    default: break;                 \
  }

static void cmp_cols(int fn, sl_phys ph, const sl_col *a, const sl_col *b, const uint32_t *sel, int n,
                     int64_t *o) {
  switch (ph) {
    case SL_PHYS_I64: {
      const int64_t *x = a->i64, *y = b->i64;
#define L(OP) FOR_ROWS(o[r] = x[r] OP y[r])
      CMP_BY_OP(fn, L);
#undef L
      break;
    }
    case SL_PHYS_F64: {
      const double *x = a->f64, *y = b->f64;
#define L(OP) FOR_ROWS(o[r] = x[r] OP y[r])
      CMP_BY_OP(fn, L);
#undef L
      break;
    }
    case SL_PHYS_DEC: {
      const sl_i128 *x = a->dec, *y = b->dec;
#define L(OP) FOR_ROWS(o[r] = x[r] OP y[r])
      CMP_BY_OP(fn, L);
#undef L
      break;
    }
    case SL_PHYS_STR: {
      const sl_str *x = a->str, *y = b->str;
      if (fn == SL_FN_EQ) FOR_ROWS(o[r] = str_eq(x[r], y[r]));
      else if (fn == SL_FN_NE) FOR_ROWS(o[r] = !str_eq(x[r], y[r]));
      else {
#define L(OP) FOR_ROWS(o[r] = str_cmp(x[r], y[r]) OP 0)
        CMP_BY_OP(fn, L);
#undef L
      }
      break;
    }
  }
}

static void cmp_const(int fn, sl_phys ph, const sl_col *a, const sl_value *c, const uint32_t *sel, int n,
                      int64_t *o) {
  switch (ph) {
    case SL_PHYS_I64: {
      const int64_t *x = a->i64;
      int64_t y = c->i64;
#define L(OP) FOR_ROWS(o[r] = x[r] OP y)
      CMP_BY_OP(fn, L);
#undef L
      break;
    }
    case SL_PHYS_F64: {
      const double *x = a->f64;
      double y = c->f64;
#define L(OP) FOR_ROWS(o[r] = x[r] OP y)
      CMP_BY_OP(fn, L);
#undef L
      break;
    }
    case SL_PHYS_DEC: {
      const sl_i128 *x = a->dec;
      sl_i128 y = c->dec;
#define L(OP) FOR_ROWS(o[r] = x[r] OP y)
      CMP_BY_OP(fn, L);
#undef L
      break;
    }
    case SL_PHYS_STR: {
      const sl_str *x = a->str;
      sl_str y = c->str;
      if (fn == SL_FN_EQ) FOR_ROWS(o[r] = str_eq(x[r], y));
      else if (fn == SL_FN_NE) FOR_ROWS(o[r] = !str_eq(x[r], y));
      else {
#define L(OP) FOR_ROWS(o[r] = str_cmp(x[r], y) OP 0)
        CMP_BY_OP(fn, L);
#undef L
      }
      break;
    }
  }
}

/* Brings a DECIMAL column to scale s (only when the binder left different scales). */
static void dec_rescale_col(sl_eval_ctx *ctx, sl_col *c, int s, int cap, const uint32_t *sel, int n) {
  if (c->type.scale == s) return;
  sl_i128 *d = slots(ctx, c->type, cap);
  int from = c->type.scale;
  FOR_ROWS({ sl_i128 v = 0; sl_dec_rescale(c->dec[r], from, s, &v); d[r] = v; });
  c->dec = d;
  c->type.scale = (uint8_t)s;
}

static int eval_cmp(sl_eval_ctx *ctx, const sl_expr *e, const sl_batch *in, int cap,
                    const uint32_t *sel, int n, sl_col *out) {
  const sl_expr *l = e->args[0], *rr = e->args[1];
  int fn = e->fn;
  out->type = e->type;
  out->i64 = slots(ctx, e->type, cap);
  out->nulls = NULL;
  if (l->kind == SL_EXPR_CONST && rr->kind != SL_EXPR_CONST) {
    const sl_expr *t = l;
    l = rr;
    rr = t;
    fn = flip_cmp(fn);
  }
  sl_col a;
  int rc = eval(ctx, l, in, cap, sel, n, &a);
  if (rc) return rc;
  sl_phys ph = sl_type_phys(a.type);
  if (rr->kind == SL_EXPR_CONST && sl_type_phys(rr->type) == ph &&
      (ph != SL_PHYS_DEC || rr->type.scale == a.type.scale)) {
    if (rr->value.is_null || rr->type.kind == SL_TYPE_NULL) {
      out->nulls = bytes(ctx, cap);
      memset(out->nulls, 1, (size_t)cap);
      memset(out->i64, 0, (size_t)cap * 8);
      return 0;
    }
    cmp_const(fn, ph, &a, &rr->value, sel, n, out->i64);
    if (a.nulls) out->nulls = a.nulls;
    return 0;
  }
  sl_col b;
  rc = eval(ctx, rr, in, cap, sel, n, &b);
  if (rc) return rc;
  if (ph != sl_type_phys(b.type)) {
    if (a.type.kind == SL_TYPE_NULL || b.type.kind == SL_TYPE_NULL) {
      out->nulls = bytes(ctx, cap);
      memset(out->nulls, 1, (size_t)cap);
      memset(out->i64, 0, (size_t)cap * 8);
      return 0;
    }
    return sl_err_set(ctx->err, SL_EUNSUPPORTED, e->loc, "comparison of different storage classes");
  }
  if (ph == SL_PHYS_DEC && a.type.scale != b.type.scale) {
    int s = a.type.scale > b.type.scale ? a.type.scale : b.type.scale;
    dec_rescale_col(ctx, &a, s, cap, sel, n);
    dec_rescale_col(ctx, &b, s, cap, sel, n);
  }
  cmp_cols(fn, ph, &a, &b, sel, n, out->i64);
  out->nulls = nulls_or(ctx, cap, sel, n, a.nulls, b.nulls);
  return 0;
}

/* ==== Logic =============================================================================== */

/* Truth of a BOOLEAN slot: 0 false, 1 true, 2 NULL. */
static inline int truth(const sl_col *c, uint32_t r) {
  if (c->nulls && c->nulls[r]) return 2;
  return c->i64[r] != 0;
}

/* AND (is_and) / OR: operand i runs only on rows whose result is still undecided, like
 * Flink's generated short-circuit code. */
static int eval_andor(sl_eval_ctx *ctx, const sl_expr *e, const sl_batch *in, int cap,
                      const uint32_t *sel, int n, sl_col *out) {
  bool is_and = e->kind == SL_EXPR_AND;
  int64_t decided = is_and ? 0 : 1; /* the value that settles the result */
  out->type = e->type;
  out->i64 = slots(ctx, e->type, cap);
  out->nulls = NULL;
  uint8_t *res = bytes(ctx, cap); /* 0/1/2 per row */
  FOR_ROWS(res[r] = (uint8_t)!decided);
  uint32_t *open = sl_arena_alloc(ctx->arena, sizeof(uint32_t) * (size_t)(n ? n : 1));
  int nopen = n;
  if (sel) memcpy(open, sel, sizeof(uint32_t) * (size_t)n);
  else for (int i = 0; i < n; i++) open[i] = (uint32_t)i;
  for (int k = 0; k < e->nargs && nopen > 0; k++) {
    sl_col c;
    int rc = eval(ctx, e->args[k], in, cap, open, nopen, &c);
    if (rc) return rc;
    int m = 0;
    for (int i = 0; i < nopen; i++) {
      uint32_t r = open[i];
      int t = truth(&c, r);
      if (t == decided) {
        res[r] = (uint8_t)decided;
        continue;
      }
      if (t == 2) res[r] = 2;
      open[m++] = r;
    }
    nopen = m;
  }
  bool any_null = false;
  FOR_ROWS({ out->i64[r] = res[r] == 1; any_null |= res[r] == 2; });
  if (any_null) {
    out->nulls = bytes(ctx, cap);
    FOR_ROWS(out->nulls[r] = res[r] == 2);
  }
  return 0;
}

static int eval_not(sl_eval_ctx *ctx, const sl_expr *e, const sl_batch *in, int cap,
                    const uint32_t *sel, int n, sl_col *out) {
  sl_col a;
  int rc = eval(ctx, e->args[0], in, cap, sel, n, &a);
  if (rc) return rc;
  out->type = e->type;
  out->i64 = slots(ctx, e->type, cap);
  out->nulls = a.nulls;
  FOR_ROWS(out->i64[r] = !a.i64[r]);
  return 0;
}

/* IS [NOT] NULL / TRUE / FALSE never yield NULL. */
static int eval_is(sl_eval_ctx *ctx, const sl_expr *e, const sl_batch *in, int cap,
                   const uint32_t *sel, int n, sl_col *out) {
  sl_col a;
  int rc = eval(ctx, e->args[0], in, cap, sel, n, &a);
  if (rc) return rc;
  out->type = e->type;
  out->i64 = slots(ctx, e->type, cap);
  out->nulls = NULL;
  int64_t neg = e->negated ? 1 : 0;
  const uint8_t *nl = a.nulls;
  int64_t *o = out->i64;
  switch (e->kind) {
    case SL_EXPR_IS_NULL:
      if (nl) FOR_ROWS(o[r] = (nl[r] != 0) ^ neg);
      else FOR_ROWS(o[r] = neg);
      break;
    case SL_EXPR_IS_TRUE:
      if (nl) FOR_ROWS(o[r] = (!nl[r] && a.i64[r] != 0) ^ neg);
      else FOR_ROWS(o[r] = (a.i64[r] != 0) ^ neg);
      break;
    default: /* IS_FALSE */
      if (nl) FOR_ROWS(o[r] = (!nl[r] && a.i64[r] == 0) ^ neg);
      else FOR_ROWS(o[r] = (a.i64[r] == 0) ^ neg);
      break;
  }
  return 0;
}

/* ==== CASE, COALESCE, IN ================================================================== */

/* Copies rows sel[0..n) of src into dst (same storage class), NULL flags included. */
static void copy_rows(sl_eval_ctx *ctx, sl_col *dst, const sl_col *src, int cap, const uint32_t *sel,
                      int n) {
  uint8_t *dn = dst->nulls;
  if (src->type.kind == SL_TYPE_NULL || sl_type_phys(src->type) != sl_type_phys(dst->type)) {
    size_t sz = (size_t)sl_type_slot_size(dst->type);
    FOR_ROWS({ memset((char *)dst->raw + r * sz, 0, sz); dn[r] = 1; });
    return;
  }
  switch (sl_type_phys(dst->type)) {
    case SL_PHYS_I64: FOR_ROWS(dst->i64[r] = src->i64[r]); break;
    case SL_PHYS_F64: FOR_ROWS(dst->f64[r] = src->f64[r]); break;
    case SL_PHYS_DEC: FOR_ROWS(dst->dec[r] = src->dec[r]); break;
    case SL_PHYS_STR: FOR_ROWS(dst->str[r] = src->str[r]); break;
  }
  if (src->nulls) FOR_ROWS(dn[r] = src->nulls[r]);
  else FOR_ROWS(dn[r] = 0);
  (void)ctx;
  (void)cap;
}

static void set_null_rows(sl_col *dst, const uint32_t *sel, int n) {
  size_t sz = (size_t)sl_type_slot_size(dst->type);
  FOR_ROWS({ memset((char *)dst->raw + r * sz, 0, sz); dst->nulls[r] = 1; });
}

static uint32_t *rows_of(sl_eval_ctx *ctx, const uint32_t *sel, int n) {
  uint32_t *s = sl_arena_alloc(ctx->arena, sizeof(uint32_t) * (size_t)(n ? n : 1));
  if (sel) memcpy(s, sel, sizeof(uint32_t) * (size_t)n);
  else for (int i = 0; i < n; i++) s[i] = (uint32_t)i;
  return s;
}

static int eval_case(sl_eval_ctx *ctx, const sl_expr *e, const sl_batch *in, int cap,
                     const uint32_t *sel, int n, sl_col *out) {
  out->type = e->type;
  out->raw = slots(ctx, e->type, cap);
  out->nulls = bytes(ctx, cap);
  uint32_t *rem = rows_of(ctx, sel, n);
  uint32_t *take = sl_arena_alloc(ctx->arena, sizeof(uint32_t) * (size_t)(n ? n : 1));
  int nrem = n, i = 0;
  for (; i + 1 < e->nargs && nrem > 0; i += 2) {
    sl_col c;
    int rc = eval(ctx, e->args[i], in, cap, rem, nrem, &c);
    if (rc) return rc;
    int nt = 0, m = 0;
    for (int j = 0; j < nrem; j++) {
      uint32_t r = rem[j];
      if (truth(&c, r) == 1) take[nt++] = r;
      else rem[m++] = r;
    }
    nrem = m;
    if (nt) {
      sl_col v;
      rc = eval(ctx, e->args[i + 1], in, cap, take, nt, &v);
      if (rc) return rc;
      copy_rows(ctx, out, &v, cap, take, nt);
    }
  }
  if (nrem > 0) {
    if ((e->nargs % 2) == 1) {
      sl_col v;
      int rc = eval(ctx, e->args[e->nargs - 1], in, cap, rem, nrem, &v);
      if (rc) return rc;
      copy_rows(ctx, out, &v, cap, rem, nrem);
    } else {
      set_null_rows(out, rem, nrem);
    }
  }
  return 0;
}

static int eval_coalesce(sl_eval_ctx *ctx, const sl_expr *e, const sl_batch *in, int cap,
                         const uint32_t *sel, int n, sl_col *out) {
  out->type = e->type;
  out->raw = slots(ctx, e->type, cap);
  out->nulls = bytes(ctx, cap);
  uint32_t *rem = rows_of(ctx, sel, n);
  int nrem = n;
  for (int k = 0; k < e->nargs && nrem > 0; k++) {
    sl_col v;
    int rc = eval(ctx, e->args[k], in, cap, rem, nrem, &v);
    if (rc) return rc;
    copy_rows(ctx, out, &v, cap, rem, nrem);
    int m = 0;
    for (int j = 0; j < nrem; j++)
      if (out->nulls[rem[j]]) rem[m++] = rem[j];
    nrem = m;
  }
  return 0;
}

/* Marks found[r] where x equals the item (a constant or a column). */
static void in_match(const sl_col *x, const sl_col *item, const sl_value *cv, const uint32_t *sel, int n,
                     uint8_t *found, uint8_t *item_null) {
  const uint8_t *in_ = item ? item->nulls : NULL;
  switch (sl_type_phys(x->type)) {
    case SL_PHYS_I64:
      if (cv) { int64_t y = cv->i64; FOR_ROWS(found[r] |= x->i64[r] == y); }
      else FOR_ROWS(found[r] |= x->i64[r] == item->i64[r] && !(in_ && in_[r]));
      break;
    case SL_PHYS_F64:
      if (cv) { double y = cv->f64; FOR_ROWS(found[r] |= x->f64[r] == y); }
      else FOR_ROWS(found[r] |= x->f64[r] == item->f64[r] && !(in_ && in_[r]));
      break;
    case SL_PHYS_DEC:
      if (cv) { sl_i128 y = cv->dec; FOR_ROWS(found[r] |= x->dec[r] == y); }
      else FOR_ROWS(found[r] |= x->dec[r] == item->dec[r] && !(in_ && in_[r]));
      break;
    case SL_PHYS_STR:
      if (cv) { sl_str y = cv->str; FOR_ROWS(found[r] |= str_eq(x->str[r], y)); }
      else FOR_ROWS(found[r] |= str_eq(x->str[r], item->str[r]) && !(in_ && in_[r]));
      break;
  }
  if (in_) FOR_ROWS(item_null[r] |= in_[r]);
}

/* x IN (list): TRUE when some item equals x, else NULL when x or an item is NULL, else FALSE. */
static int eval_in(sl_eval_ctx *ctx, const sl_expr *e, const sl_batch *in, int cap,
                   const uint32_t *sel, int n, sl_col *out) {
  sl_col x;
  int rc = eval(ctx, e->args[0], in, cap, sel, n, &x);
  if (rc) return rc;
  uint8_t *found = bytes(ctx, cap), *inull = bytes(ctx, cap);
  FOR_ROWS({ found[r] = 0; inull[r] = 0; });
  bool const_null = false;
  for (int k = 1; k < e->nargs; k++) {
    const sl_expr *it = e->args[k];
    if (it->kind == SL_EXPR_CONST && sl_type_phys(it->type) == sl_type_phys(x.type) &&
        (sl_type_phys(x.type) != SL_PHYS_DEC || it->type.scale == x.type.scale)) {
      if (it->value.is_null) const_null = true;
      else in_match(&x, NULL, &it->value, sel, n, found, inull);
      continue;
    }
    sl_col c;
    rc = eval(ctx, it, in, cap, sel, n, &c);
    if (rc) return rc;
    if (c.type.kind == SL_TYPE_NULL || sl_type_phys(c.type) != sl_type_phys(x.type)) {
      const_null = true;
      continue;
    }
    if (sl_type_phys(c.type) == SL_PHYS_DEC && c.type.scale != x.type.scale)
      dec_rescale_col(ctx, &c, x.type.scale, cap, sel, n);
    in_match(&x, &c, NULL, sel, n, found, inull);
  }
  out->type = e->type;
  out->i64 = slots(ctx, e->type, cap);
  out->nulls = bytes(ctx, cap);
  int64_t neg = e->negated ? 1 : 0;
  const uint8_t *xn = x.nulls;
  FOR_ROWS({
    bool isnull = (xn && xn[r]) || (!found[r] && (inull[r] || const_null));
    out->nulls[r] = isnull;
    out->i64[r] = isnull ? 0 : (found[r] ^ neg);
  });
  return 0;
}

/* ==== Dispatch ============================================================================ */

static int eval_call(sl_eval_ctx *ctx, const sl_expr *e, const sl_batch *in, int cap,
                     const uint32_t *sel, int n, sl_col *out) {
  switch ((sl_fn)e->fn) {
    case SL_FN_ADD: case SL_FN_SUB: case SL_FN_MUL: case SL_FN_DIV: case SL_FN_MOD:
      return eval_arith(ctx, e, in, cap, sel, n, out);
    case SL_FN_NEG: return eval_neg(ctx, e, in, cap, sel, n, out);
    case SL_FN_TS_ADD_INTERVAL:
    case SL_FN_TS_SUB_INTERVAL: return eval_ts_interval(ctx, e, in, cap, sel, n, out);
    case SL_FN_EQ: case SL_FN_NE: case SL_FN_LT: case SL_FN_LE: case SL_FN_GT: case SL_FN_GE:
      return eval_cmp(ctx, e, in, cap, sel, n, out);
    default: break;
  }
  sl_col argv[8];
  sl_col *args = e->nargs <= 8 ? argv : sl_arena_alloc(ctx->arena, sizeof(sl_col) * (size_t)e->nargs);
  for (int i = 0; i < e->nargs; i++) {
    int rc = eval(ctx, e->args[i], in, cap, sel, n, &args[i]);
    if (rc) return rc;
  }
  out->type = e->type;
  return sl__func_eval(ctx, e, args, cap, sel, n, out);
}

static int eval(sl_eval_ctx *ctx, const sl_expr *e, const sl_batch *in, int cap, const uint32_t *sel,
                int n, sl_col *out) {
  switch ((sl_expr_kind)e->kind) {
    case SL_EXPR_COL:
      if (!in || e->col < 0 || e->col >= in->ncols)
        return sl_err_set(ctx->err, SL_EINVAL, e->loc, "column $%d is not in the input", e->col);
      *out = in->cols[e->col];
      out->type = e->type;
      return 0;
    case SL_EXPR_CONST: broadcast(ctx, e, cap, sel, n, out); return 0;
    case SL_EXPR_CALL: return eval_call(ctx, e, in, cap, sel, n, out);
    case SL_EXPR_CAST: {
      sl_col a;
      int rc = eval(ctx, e->args[0], in, cap, sel, n, &a);
      if (rc) return rc;
      return sl__cast_eval(ctx, e, &a, cap, sel, n, out);
    }
    case SL_EXPR_AND:
    case SL_EXPR_OR: return eval_andor(ctx, e, in, cap, sel, n, out);
    case SL_EXPR_NOT: return eval_not(ctx, e, in, cap, sel, n, out);
    case SL_EXPR_IS_NULL:
    case SL_EXPR_IS_TRUE:
    case SL_EXPR_IS_FALSE: return eval_is(ctx, e, in, cap, sel, n, out);
    case SL_EXPR_CASE: return eval_case(ctx, e, in, cap, sel, n, out);
    case SL_EXPR_IN: return eval_in(ctx, e, in, cap, sel, n, out);
    case SL_EXPR_COALESCE: return eval_coalesce(ctx, e, in, cap, sel, n, out);
  }
  return sl_err_set(ctx->err, SL_EINVAL, e->loc, "unknown expression kind %d", e->kind);
}

int sl_expr_eval(sl_eval_ctx *ctx, const sl_expr *e, const sl_batch *in, const uint32_t *sel, int n,
                 sl_col *out) {
  return eval(ctx, e, in, sl__expr_cap(in, n), sel, n, out);
}

/* ==== Filtering =========================================================================== */

static int filter(sl_eval_ctx *ctx, const sl_expr *e, const sl_batch *in, int cap, const uint32_t *sel,
                  int n, uint32_t *sel_out, int *nout);

/* OR as a filter: operand k runs on the rows no earlier operand accepted; the kept rows are
 * then listed in the input order. */
static int filter_or(sl_eval_ctx *ctx, const sl_expr *e, const sl_batch *in, int cap,
                     const uint32_t *sel, int n, uint32_t *sel_out, int *nout) {
  uint8_t *keep = bytes(ctx, cap);
  FOR_ROWS(keep[r] = 0);
  uint32_t *rem = rows_of(ctx, sel, n);
  uint32_t *hit = sl_arena_alloc(ctx->arena, sizeof(uint32_t) * (size_t)(n ? n : 1));
  int nrem = n;
  for (int k = 0; k < e->nargs && nrem > 0; k++) {
    int nh = 0;
    int rc = filter(ctx, e->args[k], in, cap, rem, nrem, hit, &nh);
    if (rc) return rc;
    for (int j = 0; j < nh; j++) keep[hit[j]] = 1;
    int m = 0;
    for (int j = 0; j < nrem; j++)
      if (!keep[rem[j]]) rem[m++] = rem[j];
    nrem = m;
  }
  int k = 0;
  FOR_ROWS({ sel_out[k] = r; k += keep[r]; });
  *nout = k;
  return 0;
}

static int filter(sl_eval_ctx *ctx, const sl_expr *e, const sl_batch *in, int cap, const uint32_t *sel,
                  int n, uint32_t *sel_out, int *nout) {
  if (n == 0) {
    *nout = 0;
    return 0;
  }
  if (e->kind == SL_EXPR_AND) {
    const uint32_t *cur = sel;
    int cn = n;
    for (int k = 0; k < e->nargs && cn > 0; k++) {
      int m = 0;
      int rc = filter(ctx, e->args[k], in, cap, cur, cn, sel_out, &m);
      if (rc) return rc;
      cur = sel_out;
      cn = m;
    }
    if (cur != sel_out) { /* no operand ran: every row passes */
      FOR_ROWS(sel_out[i_] = r);
    }
    *nout = cn;
    return 0;
  }
  if (e->kind == SL_EXPR_OR) return filter_or(ctx, e, in, cap, sel, n, sel_out, nout);
  if (e->kind == SL_EXPR_CONST) {
    int k = 0;
    if (!e->value.is_null && e->value.i64) FOR_ROWS(sel_out[k++] = r);
    *nout = k;
    return 0;
  }
  sl_col c;
  int rc = eval(ctx, e, in, cap, sel, n, &c);
  if (rc) return rc;
  int k = 0;
  const int64_t *v = c.i64;
  const uint8_t *nl = c.nulls;
  if (nl) FOR_ROWS({ sel_out[k] = r; k += (v[r] != 0) & !nl[r]; });
  else FOR_ROWS({ sel_out[k] = r; k += v[r] != 0; });
  *nout = k;
  return 0;
}

int sl_expr_filter(sl_eval_ctx *ctx, const sl_expr *e, const sl_batch *in, const uint32_t *sel, int n,
                   uint32_t *sel_out, int *nout) {
  *nout = 0;
  return filter(ctx, e, in, sl__expr_cap(in, n), sel, n, sel_out, nout);
}

int sl_expr_eval_const(sl_eval_ctx *ctx, const sl_expr *e, sl_value *out) {
  sl_batch one;
  memset(&one, 0, sizeof one);
  one.nrows = 1;
  one.cap = 1;
  sl_col c;
  int rc = eval(ctx, e, &one, 1, NULL, 1, &c);
  if (rc) return rc;
  memset(out, 0, sizeof *out);
  if (c.type.kind == SL_TYPE_NULL) {
    out->is_null = true;
    return 0;
  }
  sl_col_get(&c, 0, out);
  return 0;
}
