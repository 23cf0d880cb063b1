/* cast.c - CAST and TRY_CAST: which conversions Flink allows, and the conversion kernels.
 *
 * Semantics follow Flink 1.15+ (legacy cast behaviour off):
 *   - integer narrowing wraps like Java's (int) / (byte) casts; DOUBLE -> integer saturates
 *     like Java (NaN -> 0); DECIMAL -> integer truncates toward zero, then wraps;
 *   - results that do not fit a DECIMAL(p, s) are NULL (Flink's DecimalData.fromBigDecimal);
 *   - text that does not parse raises "cannot cast 'abc' to INT" (TRY_CAST gives NULL);
 *   - CAST to CHAR(n) pads with blanks to n code points, CHAR(n)/VARCHAR(n) cut to n;
 *   - timestamps lose fraction digits by truncation; TIMESTAMP <-> TIMESTAMP_LTZ keep the
 *     instant (the session time zone is UTC). */
#include <math.h>
#include <string.h>

#include "datetime.h"
#include "decimal.h"
#include "expr.h"
#include "value_text.h"

/* ==== Which casts exist =================================================================== */

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

/* Implicit casts are the safe widenings; explicit ones are Flink's CAST matrix. */
static bool cast_allowed(sl_type from, sl_type to, bool explicit_cast) {
  int f = from.kind, t = to.kind;
  if (f == SL_TYPE_NULL) return true;
  if (t == SL_TYPE_NULL) return false;
  if (f == t) return true;
  bool fnum = sl_type_is_numeric(from), tnum = sl_type_is_numeric(to);
  bool fstr = sl_type_is_string(from), tstr = sl_type_is_string(to);
  /* implicit */
  if (fstr && tstr) return true;
  if (fnum && tnum) {
    if (sl_type_is_integer(from) && sl_type_is_integer(to)) {
      if (int_rank(f) <= int_rank(t)) return true;
    } else if (sl_type_is_integer(from)) {
      return true; /* to DECIMAL, FLOAT, DOUBLE */
    } else if (f == SL_TYPE_DECIMAL && (t == SL_TYPE_FLOAT || t == SL_TYPE_DOUBLE)) {
      return true;
    } else if (f == SL_TYPE_FLOAT && t == SL_TYPE_DOUBLE) {
      return true;
    }
  }
  if (f == SL_TYPE_DATE && is_ts(t)) return true;
  if (f == SL_TYPE_TIMESTAMP && t == SL_TYPE_TIMESTAMP_LTZ) return true;
  if (!explicit_cast) return false;
  /* explicit only */
  if (fnum && tnum) return true;
  /* BOOLEAN -> any number, but only integers -> BOOLEAN (FLINK-24576) */
  if ((f == SL_TYPE_BOOLEAN && tnum) || (sl_type_is_integer(from) && t == SL_TYPE_BOOLEAN)) return true;
  if (tstr) return true; /* every predefined type renders as text */
  if (fstr) return t != SL_TYPE_INTERVAL_YM && t != SL_TYPE_INTERVAL_DT;
  if (t == SL_TYPE_DATE) return is_ts(f);
  if (t == SL_TYPE_TIME) return is_ts(f);
  if (is_ts(t)) return is_ts(f) || f == SL_TYPE_DATE || f == SL_TYPE_TIME;
  return false;
}

/* True when the CAST may produce NULL from a non-NULL input. */
static bool cast_may_null(sl_type from, sl_type to, bool try_cast) {
  if (try_cast) return true;
  return to.kind == SL_TYPE_DECIMAL && from.kind != SL_TYPE_DECIMAL && !sl_type_is_integer(from);
}

int sl_expr_cast(sl_arena *a, sl_expr *e, sl_type t, bool explicit_cast, int64_t loc, sl_expr **out,
                 sl_err *err) {
  if (sl_type_equal(e->type, t) && e->type.kind != SL_TYPE_NULL) {
    *out = e;
    return 0;
  }
  if (!cast_allowed(e->type, t, explicit_cast)) {
    char b1[64], b2[64];
    sl_type f = e->type, to = t;
    f.nullable = to.nullable = true;
    f.rowtime = to.rowtime = false;
    return sl_err_set(err, SL_ETYPE, loc, "cannot cast %s to %s", sl_type_name(f, b1, sizeof b1),
                      sl_type_name(to, b2, sizeof b2));
  }
  sl_type rt = t;
  rt.rowtime = false;
  rt.nullable = t.nullable || e->type.nullable || cast_may_null(e->type, t, false);
  /* Fold constants now; a value that cannot be cast stays a CAST node and fails at run time
   * with the same message it would give for a column value. */
  if (e->kind == SL_EXPR_CONST) {
    if (e->value.is_null) {
      sl_value nv = {.is_null = true};
      *out = sl_expr_const(a, rt, &nv, e->loc);
      return 0;
    }
    sl_value v;
    memset(&v, 0, sizeof v);
    int rc = sl__cast_value(a, e->type, &e->value, rt, &v);
    if (rc == 0 || rc == 1) {
      if (rc == 1) v.is_null = true;
      *out = sl_expr_const(a, rt, &v, e->loc);
      return 0;
    }
  }
  sl_expr *c = sl_expr_new(a, SL_EXPR_CAST, rt, 1, loc);
  c->args[0] = e;
  c->fn = 0;
  *out = c;
  return 0;
}

/* TRY_CAST always keeps a node (even between equal types it is a no-op CAST) so that fn = 1
 * can be set without touching e; a constant is folded, with NULL for a failed conversion. */
int sl_expr_try_cast(sl_arena *a, sl_expr *e, sl_type t, int64_t loc, sl_expr **out, sl_err *err) {
  if (!cast_allowed(e->type, t, true)) return sl_expr_cast(a, e, t, true, loc, out, err);
  sl_type rt = t;
  rt.rowtime = false;
  rt.nullable = true;
  if (e->kind == SL_EXPR_CONST) {
    sl_value v;
    memset(&v, 0, sizeof v);
    int rc = e->value.is_null ? 1 : sl__cast_value(a, e->type, &e->value, rt, &v);
    if (rc != 0) {
      memset(&v, 0, sizeof v);
      v.is_null = true;
    }
    *out = sl_expr_const(a, rt, &v, e->loc);
    return 0;
  }
  sl_expr *c = sl_expr_new(a, SL_EXPR_CAST, rt, 1, loc);
  c->args[0] = e;
  c->fn = 1;
  *out = c;
  return 0;
}

/* ==== One value =========================================================================== */

/* Java's narrowing of a long to the integer type (two's complement wrap). */
static inline int64_t wrap_int(int kind, int64_t v) {
  switch (kind) {
    case SL_TYPE_TINYINT: return (int8_t)(uint8_t)(uint64_t)v;
    case SL_TYPE_SMALLINT: return (int16_t)(uint16_t)(uint64_t)v;
    case SL_TYPE_INT: return (int32_t)(uint32_t)(uint64_t)v;
    default: return v;
  }
}

/* Java's (int) d / (long) d: NaN -> 0, saturating; (byte)/(short) narrow the int after. */
static int64_t double_to_int(int kind, double d) {
  if (isnan(d)) return 0;
  if (kind == SL_TYPE_BIGINT) {
    if (d >= 9223372036854775807.0) return INT64_MAX;
    if (d <= -9223372036854775808.0) return INT64_MIN;
    return (int64_t)d;
  }
  int32_t i;
  if (d >= 2147483647.0) i = INT32_MAX;
  else if (d <= -2147483648.0) i = INT32_MIN;
  else i = (int32_t)d;
  return wrap_int(kind, i);
}

static int64_t trunc_micros(int64_t v, int precision) {
  if (precision >= 6) return v;
  static const int64_t unit[] = {1000000, 100000, 10000, 1000, 100, 10};
  int64_t u = unit[precision < 0 ? 0 : precision];
  return v - sl_floor_mod(v, u);
}

/* Cuts s to n code points and, for CHAR(n), pads with blanks. Returns s itself when it fits. */
static sl_str fit_length(sl_arena *arena, sl_str s, sl_type to) {
  if (to.kind == SL_TYPE_VARCHAR && to.precision == SL_VARCHAR_MAX) return s;
  int64_t n = to.precision;
  int64_t cps = 0;
  uint32_t i = 0;
  for (; i < s.len; i++) {
    if (((unsigned char)s.ptr[i] & 0xC0) != 0x80) {
      if (cps == n) break;
      cps++;
    }
  }
  if (i < s.len) {
    s.len = i; /* cut: referencing a prefix is enough */
    return s;
  }
  if (to.kind == SL_TYPE_CHAR && cps < n) {
    uint32_t pad = (uint32_t)(n - cps);
    char *d = sl_arena_alloc(arena, (size_t)s.len + pad);
    memcpy(d, s.ptr, s.len);
    memset(d + s.len, ' ', pad);
    s.ptr = d;
    s.len += pad;
  }
  return s;
}

static bool ieq(const char *s, size_t n, const char *w) {
  size_t m = strlen(w);
  if (n != m) return false;
  for (size_t i = 0; i < n; i++) {
    char c = s[i];
    if (c >= 'A' && c <= 'Z') c = (char)(c - 'A' + 'a');
    if (c != w[i]) return false;
  }
  return true;
}

/* Flink's string -> BOOLEAN accepts t/true/y/yes/1 and f/false/n/no/0, any case, trimmed. */
static int parse_bool(const char *s, size_t n, int64_t *out) {
  while (n && (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r')) { s++; n--; }
  while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\n' || s[n - 1] == '\r')) n--;
  static const char *yes[] = {"t", "true", "y", "yes", "1"};
  static const char *no[] = {"f", "false", "n", "no", "0"};
  for (int i = 0; i < 5; i++) {
    if (ieq(s, n, yes[i])) { *out = 1; return 0; }
    if (ieq(s, n, no[i])) { *out = 0; return 0; }
  }
  return SL_EFORMAT;
}

int sl__cast_value(sl_arena *arena, sl_type from, const sl_value *v, sl_type to, sl_value *out) {
  int f = from.kind, t = to.kind;
  out->is_null = false;
  if (v->is_null || f == SL_TYPE_NULL) {
    out->is_null = true;
    return 1;
  }
  /* ---- to text ---- */
  if (sl_type_is_string(to)) {
    sl_str s;
    if (sl_type_is_string(from)) {
      s = v->str;
    } else {
      sl_buf b;
      sl_buf_init(&b);
      sl_value_render(from, v, &b);
      s.ptr = sl_arena_strndup(arena, b.data, b.len);
      s.len = (uint32_t)b.len;
      sl_buf_destroy(&b);
    }
    out->str = fit_length(arena, s, to);
    return 0;
  }
  /* ---- from text ---- */
  if (sl_type_is_string(from)) {
    if (t == SL_TYPE_BOOLEAN) return parse_bool(v->str.ptr, v->str.len, &out->i64);
    int rc = sl_value_parse(to, v->str.ptr, v->str.len, arena, out);
    if (rc == SL_EOVERFLOW && t == SL_TYPE_DECIMAL) return 1;
    if (rc == 0 && t == SL_TYPE_FLOAT) out->f64 = (float)out->f64;
    if (rc == 0 && (t == SL_TYPE_TIMESTAMP || t == SL_TYPE_TIMESTAMP_LTZ || t == SL_TYPE_TIME))
      out->i64 = trunc_micros(out->i64, to.precision);
    return rc;
  }
  /* ---- numbers and booleans ---- */
  bool fnum = sl_type_is_numeric(from) || f == SL_TYPE_BOOLEAN;
  bool tnum = sl_type_is_numeric(to) || t == SL_TYPE_BOOLEAN;
  if (fnum && tnum) {
    sl_phys fp = sl_type_phys(from);
    if (sl_type_is_integer(to)) {
      if (fp == SL_PHYS_I64) out->i64 = wrap_int(t, v->i64);
      else if (fp == SL_PHYS_F64) out->i64 = double_to_int(t, v->f64);
      else out->i64 = wrap_int(t, (int64_t)(uint64_t)(unsigned __int128)sl_dec_trunc(v->dec, from.scale));
      return 0;
    }
    if (t == SL_TYPE_BOOLEAN) {
      if (fp == SL_PHYS_I64) out->i64 = v->i64 != 0;
      else if (fp == SL_PHYS_F64) out->i64 = v->f64 != 0;
      else out->i64 = v->dec != 0;
      return 0;
    }
    if (t == SL_TYPE_FLOAT || t == SL_TYPE_DOUBLE) {
      double d;
      if (fp == SL_PHYS_I64) d = (double)v->i64;
      else if (fp == SL_PHYS_F64) d = v->f64;
      else d = sl_dec_to_double(v->dec, from.scale);
      if (t == SL_TYPE_FLOAT) {
        if (fp == SL_PHYS_I64) d = (float)v->i64; /* Java rounds long -> float directly */
        else d = (float)d;
      }
      out->f64 = d;
      return 0;
    }
    /* to DECIMAL(p, s) */
    sl_i128 r;
    if (fp == SL_PHYS_I64) {
      if (sl_dec_rescale((sl_i128)v->i64, 0, to.scale, &r) != 0) return 1;
    } else if (fp == SL_PHYS_F64) {
      if (sl_dec_from_double(v->f64, to.precision, to.scale, &r) != 0) return 1;
    } else {
      if (sl_dec_rescale(v->dec, from.scale, to.scale, &r) != 0) return 1;
    }
    if (!sl_dec_fits(r, to.precision)) return 1;
    out->dec = r;
    return 0;
  }
  /* ---- date and time ---- */
  int64_t x = v->i64;
  switch (t) {
    case SL_TYPE_DATE:
      out->i64 = f == SL_TYPE_DATE ? x : sl_floor_div(x, SL_MICROS_PER_DAY);
      return 0;
    case SL_TYPE_TIME:
      out->i64 = trunc_micros(f == SL_TYPE_TIME ? x : sl_floor_mod(x, SL_MICROS_PER_DAY), to.precision);
      return 0;
    case SL_TYPE_TIMESTAMP:
    case SL_TYPE_TIMESTAMP_LTZ:
      if (f == SL_TYPE_DATE) out->i64 = x * SL_MICROS_PER_DAY;
      else out->i64 = trunc_micros(x, to.precision);
      return 0;
    default:
      break;
  }
  if (f == t) {
    *out = *v;
    return 0;
  }
  return SL_EFORMAT;
}

/* ==== Columns ============================================================================= */

static void *alloc_slots(sl_eval_ctx *ctx, sl_type t, int cap) {
  return sl_arena_alloc(ctx->arena, (size_t)cap * (size_t)sl_type_slot_size(t));
}

static uint8_t *copy_nulls(sl_eval_ctx *ctx, const sl_col *src, int cap, const uint32_t *sel, int n) {
  if (!src->nulls) return NULL;
  uint8_t *nl = sl_arena_alloc(ctx->arena, (size_t)cap);
  for (int i = 0; i < n; i++) {
    uint32_t r = sel ? sel[i] : (uint32_t)i;
    nl[r] = src->nulls[r];
  }
  return nl;
}

#define FOR_ROWS(...)                                                                     \
  do {                                                                                     \
    if (sel) {                                                                             \
      for (int i_ = 0; i_ < n; i_++) { uint32_t r = sel[i_]; __VA_ARGS__; }                       \
    } else {                                                                               \
      for (int i_ = 0; i_ < n; i_++) { uint32_t r = (uint32_t)i_; __VA_ARGS__; }                  \
    }                                                                                      \
  } while (0)

static void set_null(sl_eval_ctx *ctx, sl_col *out, int cap, const uint32_t *sel, int n, uint32_t row) {
  if (!out->nulls) {
    out->nulls = sl_arena_alloc(ctx->arena, (size_t)cap);
    FOR_ROWS(out->nulls[r] = 0);
  }
  out->nulls[row] = 1;
}

static void put_value(sl_col *out, uint32_t row, const sl_value *v) {
  switch (sl_type_phys(out->type)) {
    case SL_PHYS_I64: out->i64[row] = v->i64; break;
    case SL_PHYS_F64: out->f64[row] = v->f64; break;
    case SL_PHYS_DEC: out->dec[row] = v->dec; break;
    case SL_PHYS_STR: out->str[row] = v->str; break;
  }
}

static int cast_error(sl_eval_ctx *ctx, const sl_expr *e, sl_type from, const sl_value *v) {
  char tb[64];
  sl_type to = e->type;
  to.nullable = true;
  to.rowtime = false;
  sl_buf b;
  sl_buf_init(&b);
  if (sl_type_is_string(from)) sl_buf_add(&b, v->str.ptr, v->str.len);
  else sl_value_render(from, v, &b);
  int rc = sl_err_set(ctx->err, SL_ERUNTIME, e->loc, "cannot cast '%.*s' to %s",
                      (int)(b.len > 200 ? 200 : b.len), b.data ? b.data : "",
                      sl_type_name(to, tb, sizeof tb));
  sl_buf_destroy(&b);
  return rc;
}

/* Whether the bits of a `from` column already are valid `to` values (no work to do). */
static bool cast_is_alias(sl_type from, sl_type to) {
  int f = from.kind, t = to.kind;
  if (sl_type_is_integer(from) && sl_type_is_integer(to)) return int_rank(f) <= int_rank(t);
  if (f == SL_TYPE_DECIMAL && t == SL_TYPE_DECIMAL)
    return from.scale == to.scale && from.precision <= to.precision;
  if (is_ts(f) && is_ts(t)) return from.precision <= to.precision;
  if (f == SL_TYPE_TIME && t == SL_TYPE_TIME) return from.precision <= to.precision;
  if (f == SL_TYPE_FLOAT && t == SL_TYPE_DOUBLE) return true;
  if (sl_type_is_string(from) && t == SL_TYPE_VARCHAR) return from.precision <= to.precision;
  if (f == SL_TYPE_CHAR && t == SL_TYPE_CHAR) return from.precision == to.precision;
  if (f == t && f != SL_TYPE_DECIMAL && !sl_type_is_string(from) && f != SL_TYPE_TIME && !is_ts(f))
    return true;
  return false;
}

int sl__cast_eval(sl_eval_ctx *ctx, const sl_expr *e, const sl_col *src, int cap,
                  const uint32_t *sel, int n, sl_col *out) {
  sl_type from = src->type, to = e->type;
  out->type = to;
  if (from.kind == SL_TYPE_NULL) {
    out->raw = sl_arena_zalloc(ctx->arena, (size_t)cap * (size_t)sl_type_slot_size(to));
    out->nulls = sl_arena_alloc(ctx->arena, (size_t)cap);
    memset(out->nulls, 1, (size_t)cap);
    return 0;
  }
  if (cast_is_alias(from, to)) {
    out->raw = src->raw;
    out->nulls = src->nulls;
    return 0;
  }
  out->raw = alloc_slots(ctx, to, cap);
  out->nulls = copy_nulls(ctx, src, cap, sel, n);
  const uint8_t *sn = src->nulls;

  /* Hot conversions get their own loops (implicit casts inside filters and projections). */
  if (sl_type_is_integer(from) && sl_type_is_integer(to)) {
    int k = to.kind;
    FOR_ROWS(out->i64[r] = wrap_int(k, src->i64[r]));
    return 0;
  }
  if (sl_type_is_integer(from) && to.kind == SL_TYPE_DOUBLE) {
    FOR_ROWS(out->f64[r] = (double)src->i64[r]);
    return 0;
  }
  if (from.kind == SL_TYPE_DECIMAL && to.kind == SL_TYPE_DOUBLE) {
    int s = from.scale;
    FOR_ROWS(if (!(sn && sn[r])) out->f64[r] = sl_dec_to_double(src->dec[r], s));
    return 0;
  }
  if (sl_type_is_integer(from) && to.kind == SL_TYPE_DECIMAL) {
    sl_i128 m = sl_dec_pow10(to.scale);
    FOR_ROWS({
      sl_i128 d = 0;
      bool ovf = __builtin_mul_overflow((sl_i128)src->i64[r], m, &d);
      out->dec[r] = ovf ? 0 : d;
      if (!(sn && sn[r]) && (ovf || !sl_dec_fits(d, to.precision))) set_null(ctx, out, cap, sel, n, r);
    });
    return 0;
  }
  if (from.kind == SL_TYPE_DECIMAL && to.kind == SL_TYPE_DECIMAL && to.scale >= from.scale) {
    sl_i128 m = sl_dec_pow10(to.scale - from.scale);
    FOR_ROWS({
      sl_i128 d = 0;
      bool ovf = __builtin_mul_overflow(src->dec[r], m, &d);
      out->dec[r] = ovf ? 0 : d;
      if (!(sn && sn[r]) && (ovf || !sl_dec_fits(d, to.precision))) set_null(ctx, out, cap, sel, n, r);
    });
    return 0;
  }
  if (is_ts(from.kind) && is_ts(to.kind)) {
    int p = to.precision;
    FOR_ROWS(out->i64[r] = trunc_micros(src->i64[r], p));
    return 0;
  }

  /* Everything else goes a value at a time. */
  bool try_cast = e->fn == 1;
  sl_value v, o;
  memset(&o, 0, sizeof o);
  for (int i = 0; i < n; i++) {
    uint32_t r = sel ? sel[i] : (uint32_t)i;
    if (sn && sn[r]) {
      memset((char *)out->raw + (size_t)r * (size_t)sl_type_slot_size(to), 0,
             (size_t)sl_type_slot_size(to));
      continue;
    }
    sl_col_get(src, r, &v);
    int rc = sl__cast_value(ctx->arena, from, &v, to, &o);
    if (rc == 0) {
      put_value(out, r, &o);
      continue;
    }
    if (rc != 1 && !try_cast) return cast_error(ctx, e, from, &v);
    memset((char *)out->raw + (size_t)r * (size_t)sl_type_slot_size(to), 0,
           (size_t)sl_type_slot_size(to));
    set_null(ctx, out, cap, sel, n, r);
  }
  return 0;
}
