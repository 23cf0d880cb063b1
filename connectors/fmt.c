/* fmt.c - format dispatch (json, csv) and the text <-> value conversions both formats share.
 *
 * The conversions follow what Flink's formats do with text: integers as Integer.parseInt of the
 * trimmed text, floating point as Double.parseDouble, DECIMAL as new BigDecimal rounded HALF_UP
 * to the scale, temporal values in the layouts of Flink's TimeFormats (which differ between JSON
 * and CSV, hence sl__fmt_text). The hot paths (plain digits, fixed-layout timestamps) are parsed
 * directly; unusual spellings fall back to the engine's general parsers. */
#include "fmt_internal.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "../engine/datetime.h"
#include "../engine/decimal.h"

/* ================================================================== dispatch */

int sl_fmt_dec_new(const char *format, int ncols, const char *const *names, const sl_type *types,
                   sl_options *opts, sl_fmt_dec **out, sl_err *err) {
  *out = NULL;
  if (format && strcmp(format, "json") == 0) return sl__fmt_json_dec_new(ncols, names, types, opts, out, err);
  if (format && strcmp(format, "csv") == 0) return sl__fmt_csv_dec_new(ncols, names, types, opts, out, err);
  return sl_err_set(err, SL_ECONFIG, SL_ERR_NOLOC, "unsupported format '%s' (supported: 'json', 'csv')",
                    format ? format : "");
}

void sl_fmt_dec_free(sl_fmt_dec *d) {
  if (d) d->vt->free(d);
}

int sl_fmt_dec_record(sl_fmt_dec *d, const char *rec, size_t n, sl_batch *b, uint32_t row, sl_err *err) {
  return d->vt->record(d, rec, n, b, row, err);
}

int sl_fmt_enc_new(const char *format, int ncols, const char *const *names, const sl_type *types,
                   sl_options *opts, sl_fmt_enc **out, sl_err *err) {
  *out = NULL;
  if (format && strcmp(format, "json") == 0) return sl__fmt_json_enc_new(ncols, names, types, opts, out, err);
  if (format && strcmp(format, "csv") == 0) return sl__fmt_csv_enc_new(ncols, names, types, opts, out, err);
  return sl_err_set(err, SL_ECONFIG, SL_ERR_NOLOC, "unsupported format '%s' (supported: 'json', 'csv')",
                    format ? format : "");
}

void sl_fmt_enc_free(sl_fmt_enc *e) {
  if (e) e->vt->free(e);
}

void sl_fmt_enc_row(sl_fmt_enc *e, const sl_batch *b, uint32_t row, sl_buf *out) { e->vt->row(e, b, row, out); }

/* ================================================================== columns */

sl__fmt_col *sl__fmt_cols_new(int ncols, const char *const *names, const sl_type *types) {
  sl__fmt_col *cols = sl_calloc((size_t)(ncols > 0 ? ncols : 1), sizeof *cols);
  for (int i = 0; i < ncols; i++) {
    cols[i].name = sl_strdup(names[i]);
    cols[i].name_len = (uint32_t)strlen(names[i]);
    cols[i].type = types[i];
    if (types[i].kind == SL_TYPE_DECIMAL) {
      int p = types[i].precision;
      cols[i].dec_limit = sl_dec_pow10(p < 1 ? 1 : p > SL_DECIMAL_MAX_PRECISION ? SL_DECIMAL_MAX_PRECISION : p);
    }
  }
  return cols;
}

void sl__fmt_cols_free(sl__fmt_col *cols, int ncols) {
  if (!cols) return;
  for (int i = 0; i < ncols; i++) free(cols[i].name);
  free(cols);
}

const char *sl__fmt_type_name(sl_type t, char *buf) {
  t.nullable = true;
  t.rowtime = false;
  return sl_type_name(t, buf, 64);
}

int sl__fmt_conv_error(sl_err *err, int code, const sl__fmt_col *col, const char *s, size_t n) {
  char tn[64];
  sl__fmt_type_name(col->type, tn);
  int shown = n > 60 ? 57 : (int)n;
  const char *more = n > 60 ? "..." : "";
  if (code == SL_EOVERFLOW)
    return sl_err_set(err, code, SL_ERR_NOLOC, "field '%s': value %.*s%s is out of range for %s", col->name, shown,
                      s, more, tn);
  return sl_err_set(err, SL_EFORMAT, SL_ERR_NOLOC, "field '%s': cannot parse '%.*s%s' as %s", col->name, shown, s,
                    more, tn);
}

/* ================================================================== numbers */

static inline bool is_digit(char c) { return (unsigned char)(c - '0') < 10; }
/* Java's String.trim(): every char <= ' '. */
static inline void trim(const char **s, size_t *n) {
  while (*n && (unsigned char)(*s)[0] <= ' ') { (*s)++; (*n)--; }
  while (*n && (unsigned char)(*s)[*n - 1] <= ' ') (*n)--;
}

int sl__fmt_parse_i64(const char *s, size_t n, int64_t *out) {
  trim(&s, &n);
  const char *p = s, *e = s + n;
  bool neg = false;
  if (p < e && (*p == '-' || *p == '+')) neg = *p++ == '-';
  if (p == e) return SL_EFORMAT;
  uint64_t v = 0;
  bool over = false;
  for (; p < e; p++) {
    if (!is_digit(*p)) return SL_EFORMAT;
    unsigned d = (unsigned)(*p - '0');
    if (v > (UINT64_MAX - d) / 10) over = true;
    else v = v * 10 + d;
  }
  if (over || v > (uint64_t)INT64_MAX + (neg ? 1u : 0u)) return SL_EOVERFLOW;
  *out = neg ? (int64_t)(0 - v) : (int64_t)v;
  return 0;
}

bool sl__fmt_int_fits(const sl__fmt_col *col, int64_t v) {
  switch (col->type.kind) {
    case SL_TYPE_TINYINT: return v >= INT8_MIN && v <= INT8_MAX;
    case SL_TYPE_SMALLINT: return v >= INT16_MIN && v <= INT16_MAX;
    case SL_TYPE_INT:
    case SL_TYPE_INTERVAL_YM: return v >= INT32_MIN && v <= INT32_MAX;
    default: return true;
  }
}

static const double exact_pow10[23] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,  1e8,  1e9,  1e10, 1e11,
                                       1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};

/* Double.parseDouble: trimmed; [+-] then NaN, Infinity or digits[.digits][e[+-]digits], an
 * optional f/F/d/D suffix. Short mantissas with small exponents are exact in double arithmetic
 * (Clinger's fast path); everything else goes through strtod. */
int sl__fmt_parse_double(const char *s, size_t n, double *out) {
  trim(&s, &n);
  const char *p = s, *e = s + n;
  if (p < e && (e[-1] == 'f' || e[-1] == 'F' || e[-1] == 'd' || e[-1] == 'D')) e--;
  bool neg = false;
  if (p < e && (*p == '-' || *p == '+')) neg = *p++ == '-';
  if ((size_t)(e - p) == 3 && memcmp(p, "NaN", 3) == 0) {
    *out = NAN;
    return 0;
  }
  if ((size_t)(e - p) == 8 && memcmp(p, "Infinity", 8) == 0) {
    *out = neg ? -INFINITY : INFINITY;
    return 0;
  }
  uint64_t mant = 0;
  int nd = 0, sig = 0, exp10 = 0;
  bool digits = false;
  for (; p < e && is_digit(*p); p++, nd++) {
    digits = true;
    if (sig < 19) {
      if (mant || *p != '0') sig++;
      mant = mant * 10 + (uint64_t)(*p - '0');
    } else exp10++;
  }
  if (p < e && *p == '.') {
    for (p++; p < e && is_digit(*p); p++) {
      digits = true;
      if (sig < 19) {
        if (mant || *p != '0') sig++;
        mant = mant * 10 + (uint64_t)(*p - '0');
        exp10--;
      }
    }
  }
  if (!digits) return SL_EFORMAT;
  bool exact = sig < 19;
  if (p < e && (*p == 'e' || *p == 'E')) {
    p++;
    bool eneg = false;
    if (p < e && (*p == '-' || *p == '+')) eneg = *p++ == '-';
    if (p == e || !is_digit(*p)) return SL_EFORMAT;
    int ev = 0;
    for (; p < e && is_digit(*p); p++) ev = ev < 100000 ? ev * 10 + (*p - '0') : ev;
    exp10 += eneg ? -ev : ev;
  }
  if (p != e) return SL_EFORMAT;
  if (exact && mant <= (UINT64_C(1) << 53) && exp10 >= -22 && exp10 <= 22) {
    double v = (double)mant;
    v = exp10 < 0 ? v / exact_pow10[-exp10] : v * exact_pow10[exp10];
    *out = neg ? -v : v;
    return 0;
  }
  /* Slow path: strtod needs a terminated copy (without the suffix). */
  size_t len = (size_t)(e - s);
  char small[128];
  char *buf = len < sizeof small ? small : sl_malloc(len + 1);
  memcpy(buf, s, len);
  buf[len] = 0;
  *out = strtod(buf, NULL);
  if (buf != small) free(buf);
  return 0;
}

static const uint64_t pow10_u64[20] = {1ull,
                                       10ull,
                                       100ull,
                                       1000ull,
                                       10000ull,
                                       100000ull,
                                       1000000ull,
                                       10000000ull,
                                       100000000ull,
                                       1000000000ull,
                                       10000000000ull,
                                       100000000000ull,
                                       1000000000000ull,
                                       10000000000000ull,
                                       100000000000000ull,
                                       1000000000000000ull,
                                       10000000000000000ull,
                                       100000000000000000ull,
                                       1000000000000000000ull,
                                       10000000000000000000ull};

/* new BigDecimal(text) then DecimalData.fromBigDecimal(bd, p, s): HALF_UP to the scale. The
 * fast path takes [+-]digits[.digits] with up to 18 digits; the rest goes to sl_dec_parse. */
int sl__fmt_parse_decimal(const char *s, size_t n, const sl__fmt_col *col, sl_i128 *out) {
  int scale = col->type.scale;
  const char *p = s, *e = s + n;
  bool neg = false;
  if (p < e && (*p == '-' || *p == '+')) neg = *p++ == '-';
  uint64_t m = 0;
  int nd = 0, fd = 0;
  for (; p < e && is_digit(*p); p++, nd++) m = m * 10 + (uint64_t)(*p - '0');
  if (p < e && *p == '.')
    for (p++; p < e && is_digit(*p); p++, nd++, fd++) m = m * 10 + (uint64_t)(*p - '0');
  if (p != e || nd == 0 || nd > 18 || scale - fd > 19) {
    int rc = sl_dec_parse(s, n, col->type.precision, scale, out);
    return rc == SL_EOVERFLOW ? SL_EOVERFLOW : rc ? SL_EFORMAT : 0;
  }
  sl_i128 v;
  if (fd <= scale) {
    v = (sl_i128)m * (sl_i128)pow10_u64[scale - fd];
  } else {
    uint64_t div = pow10_u64[fd - scale], q = m / div, r = m % div;
    if (r * 2 >= div) q++;
    v = (sl_i128)q;
  }
  if (v >= col->dec_limit) return SL_EOVERFLOW;
  *out = neg ? -v : v;
  return 0;
}

/* ================================================================== temporal text */

static inline bool leap(int64_t y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }
static inline int month_days(int64_t y, int m) {
  static const int md[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && leap(y) ? 29 : md[m - 1];
}

/* Two digits at p (or one or two when lenient). Returns the new position or NULL. */
static inline const char *num2(const char *p, const char *e, bool lenient, int *v) {
  if (p + 2 <= e && is_digit(p[0]) && is_digit(p[1])) {
    *v = (p[0] - '0') * 10 + (p[1] - '0');
    return p + 2;
  }
  if (lenient && p < e && is_digit(p[0])) {
    *v = p[0] - '0';
    return p + 1;
  }
  return NULL;
}

/* yyyy-MM-dd (ISO_LOCAL_DATE; 1-digit month and day too when lenient). */
static const char *parse_date_part(const char *p, const char *e, bool lenient, int64_t *days) {
  if (e - p < (lenient ? 8 : 10) || !is_digit(p[0]) || !is_digit(p[1]) || !is_digit(p[2]) || !is_digit(p[3]) ||
      p[4] != '-')
    return NULL;
  int y = (p[0] - '0') * 1000 + (p[1] - '0') * 100 + (p[2] - '0') * 10 + (p[3] - '0');
  int m, d;
  p = num2(p + 5, e, lenient, &m);
  if (!p || p >= e || *p != '-') return NULL;
  p = num2(p + 1, e, lenient, &d);
  if (!p || m < 1 || m > 12 || d < 1 || d > month_days(y, m)) return NULL;
  *days = sl_days_from_civil(y, m, d);
  return p;
}

/* HH:mm[:ss[.f{1,9}]] (seconds required when need_sec). The fraction is cut to keep digits
 * (at most 6: microseconds). */
static const char *parse_time_part(const char *p, const char *e, bool need_sec, int keep, int64_t *micros) {
  int h, mi, sec = 0;
  if (!(p = num2(p, e, false, &h)) || p >= e || *p != ':' || !(p = num2(p + 1, e, false, &mi))) return NULL;
  int64_t frac = 0;
  if (p < e && *p == ':') {
    if (!(p = num2(p + 1, e, false, &sec))) return NULL;
    if (p < e && *p == '.') {
      p++;
      int nd = 0;
      for (; p < e && is_digit(*p); p++, nd++)
        if (nd < 6) frac = frac * 10 + (*p - '0');
      if (nd == 0 || nd > 9) return NULL;
      for (int i = nd; i < 6; i++) frac *= 10;
      if (keep < 6) frac -= frac % (int64_t)pow10_u64[6 - (keep < 0 ? 0 : keep)];
    }
  } else if (need_sec) {
    return NULL;
  }
  if (h > 23 || mi > 59 || sec > 59) return NULL;
  *micros = ((int64_t)h * 3600 + mi * 60 + sec) * SL_MICROS_PER_SEC + frac;
  return p;
}

int sl__fmt_parse_ts(const sl__fmt_text *o, bool ltz, int precision, const char *s, size_t n, int64_t *micros) {
  if (o->trim_temporal) trim(&s, &n);
  const char *p = s, *e = s + n;
  int64_t days, tod;
  if (!(p = parse_date_part(p, e, o->date_lenient, &days)) || p >= e || *p != o->ts_sep) return SL_EFORMAT;
  if (!(p = parse_time_part(p + 1, e, o->ts_need_sec, precision, &tod))) return SL_EFORMAT;
  if (ltz && o->ltz_z) {
    if (p >= e || *p != 'Z') return SL_EFORMAT;
    p++;
  }
  if (p != e) return SL_EFORMAT;
  *micros = days * SL_MICROS_PER_DAY + tod;
  return 0;
}

/* ================================================================== text -> slot */

int sl__fmt_text_to_slot(const sl__fmt_text *o, const sl__fmt_col *col, const char *s, size_t n, void *slot) {
  int64_t v;
  int rc;
  switch ((sl_type_kind)col->type.kind) {
    case SL_TYPE_BOOLEAN:
      /* Boolean.parseBoolean(trim): anything but "true" (any case) is false. */
      trim(&s, &n);
      *(int64_t *)slot = n == 4 && strncasecmp(s, "true", 4) == 0;
      return 0;
    case SL_TYPE_TINYINT:
    case SL_TYPE_SMALLINT:
    case SL_TYPE_INT:
    case SL_TYPE_BIGINT:
    case SL_TYPE_INTERVAL_YM:
      if ((rc = sl__fmt_parse_i64(s, n, &v))) return rc;
      if (!sl__fmt_int_fits(col, v)) return SL_EOVERFLOW;
      *(int64_t *)slot = v;
      return 0;
    case SL_TYPE_INTERVAL_DT: /* Flink's formats carry milliseconds */
      if ((rc = sl__fmt_parse_i64(s, n, &v))) return rc;
      if (v > INT64_MAX / 1000 || v < INT64_MIN / 1000) return SL_EOVERFLOW;
      *(int64_t *)slot = v * 1000;
      return 0;
    case SL_TYPE_FLOAT:
    case SL_TYPE_DOUBLE: {
      double d;
      if ((rc = sl__fmt_parse_double(s, n, &d))) return rc;
      *(double *)slot = col->type.kind == SL_TYPE_FLOAT ? (double)(float)d : d;
      return 0;
    }
    case SL_TYPE_DECIMAL: {
      trim(&s, &n);
      return sl__fmt_parse_decimal(s, n, col, (sl_i128 *)slot);
    }
    case SL_TYPE_DATE: {
      if (o->trim_temporal) trim(&s, &n);
      int64_t days;
      const char *p = parse_date_part(s, s + n, o->date_lenient, &days);
      if (!p || p != s + n) return SL_EFORMAT;
      *(int64_t *)slot = days;
      return 0;
    }
    case SL_TYPE_TIME: {
      /* Flink keeps TIME in milliseconds. */
      if (o->trim_temporal) trim(&s, &n);
      int keep = col->type.precision < 3 ? col->type.precision : 3;
      const char *p = parse_time_part(s, s + n, o->time_need_sec, keep, &v);
      if (!p || p != s + n) return SL_EFORMAT;
      *(int64_t *)slot = v;
      return 0;
    }
    case SL_TYPE_TIMESTAMP:
    case SL_TYPE_TIMESTAMP_LTZ:
      return sl__fmt_parse_ts(o, col->type.kind == SL_TYPE_TIMESTAMP_LTZ, col->type.precision, s, n,
                              (int64_t *)slot);
    default: return SL_EFORMAT;
  }
}

/* ================================================================== value -> text */

int sl__fmt_put_i64(char *w, int64_t v) {
  char tmp[24];
  int n = 0;
  uint64_t u = v < 0 ? 0 - (uint64_t)v : (uint64_t)v;
  do {
    tmp[n++] = (char)('0' + u % 10);
    u /= 10;
  } while (u);
  int len = 0;
  if (v < 0) w[len++] = '-';
  while (n) w[len++] = tmp[--n];
  return len;
}

int sl__fmt_put_decimal(char *w, sl_i128 v, int scale, bool plain) {
  if (plain) return sl_dec_format(v, scale, w);
  /* BigDecimal.toString: plain unless scale < 0 or the adjusted exponent is below -6. */
  unsigned __int128 u = v < 0 ? (unsigned __int128)0 - (unsigned __int128)v : (unsigned __int128)v;
  char digits[48];
  int nd = 0;
  do {
    digits[nd++] = (char)('0' + (int)(u % 10));
    u /= 10;
  } while (u);
  int adjusted = nd - 1 - scale;
  if (adjusted >= -6) return sl_dec_format(v, scale, w);
  int len = 0;
  if (v < 0) w[len++] = '-';
  w[len++] = digits[nd - 1];
  if (nd > 1) {
    w[len++] = '.';
    for (int i = nd - 2; i >= 0; i--) w[len++] = digits[i];
  }
  w[len++] = 'E';
  len += sl__fmt_put_i64(w + len, adjusted); /* negative here, so the sign comes with it */
  return len;
}

static inline char *put2(char *w, int v) {
  w[0] = (char)('0' + v / 10);
  w[1] = (char)('0' + v % 10);
  return w + 2;
}

int sl__fmt_put_date(char *w, int64_t days) {
  int64_t y;
  int m, d;
  sl_civil_from_days(days, &y, &m, &d);
  char *p = w;
  if (y >= 0 && y <= 9999) {
    p = put2(p, (int)(y / 100));
    p = put2(p, (int)(y % 100));
  } else {
    /* Java's ISO_LOCAL_DATE: a sign and at least 4 digits outside 0000..9999. */
    p += sprintf(p, y > 9999 ? "+%04lld" : "-%04lld", (long long)(y < 0 ? -y : y));
  }
  *p++ = '-';
  p = put2(p, m);
  *p++ = '-';
  p = put2(p, d);
  return (int)(p - w);
}

/* The fraction of micros (0..999999) cut to precision digits, without trailing zeros. */
static char *put_frac(char *p, int64_t frac, int precision) {
  if (precision < 6) frac -= frac % (int64_t)pow10_u64[6 - (precision < 0 ? 0 : precision)];
  if (!frac) return p;
  *p++ = '.';
  int nd = 6;
  while (frac % 10 == 0) {
    frac /= 10;
    nd--;
  }
  for (int i = nd - 1; i >= 0; i--) {
    p[i] = (char)('0' + frac % 10);
    frac /= 10;
  }
  return p + nd;
}

int sl__fmt_put_time(char *w, int64_t micros, int precision) {
  micros = sl_floor_mod(micros, SL_MICROS_PER_DAY);
  int64_t secs = micros / SL_MICROS_PER_SEC;
  char *p = put2(w, (int)(secs / 3600));
  *p++ = ':';
  p = put2(p, (int)(secs / 60 % 60));
  *p++ = ':';
  p = put2(p, (int)(secs % 60));
  p = put_frac(p, micros % SL_MICROS_PER_SEC, precision);
  return (int)(p - w);
}

int sl__fmt_put_ts(char *w, int64_t micros, int precision, char sep, bool z) {
  int64_t days = sl_floor_div(micros, SL_MICROS_PER_DAY);
  int len = sl__fmt_put_date(w, days);
  w[len++] = sep;
  len += sl__fmt_put_time(w + len, micros - days * SL_MICROS_PER_DAY, precision);
  if (z) w[len++] = 'Z';
  return len;
}
