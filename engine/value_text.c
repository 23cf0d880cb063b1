/* value_text.c - values to and from text, with Flink's CAST(x AS STRING) and CAST(str AS t) rules. */
#include "value_text.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "../sql/ast.h"
#include "datetime.h"
#include "decimal.h"
#include "err.h"

/* ---- Java's Double.toString / Float.toString -------------------------------------------------
 * The digits follow the JDK 19+ specification (Raffaello Giulietti's algorithm): among the
 * decimals that read back to the value, take those of minimal length n (or of length 1 and 2
 * when n is 1, so Double.MIN_VALUE is 4.9E-324, not 5.0E-324) and pick the closest. %.*e is
 * correctly rounded, so for each length its answer is the closest; only next to a power of two
 * (where the rounding interval is lopsided) can the closest miss while its neighbour one unit
 * away in the last place reads back, so that neighbour is tried too. The layout is Java's: plain
 * with at least one fraction digit when 1e-3 <= |d| < 1e7, otherwise d.dddE[-]x. */

/* Reads "d.ddde[+-]xx" into digits and the exponent of the first digit. */
static int split_sci(const char *tmp, char *digs, int *nd) {
  int n = 0;
  const char *q = tmp;
  for (; *q && *q != 'e'; q++) {
    if (*q >= '0' && *q <= '9') digs[n++] = *q;
  }
  digs[n] = 0;
  *nd = n;
  return atoi(q + 1);
}

static bool reads_back(const char *digs, int nd, int exp, double d, bool is_float) {
  char tmp[48];
  snprintf(tmp, sizeof tmp, "%c.%se%d", digs[0], nd > 1 ? digs + 1 : "0", exp);
  return is_float ? strtof(tmp, NULL) == (float)d : strtod(tmp, NULL) == d;
}

static double value_of(const char *digs, int nd, int exp) {
  char tmp[48];
  snprintf(tmp, sizeof tmp, "%c.%se%d", digs[0], nd > 1 ? digs + 1 : "0", exp);
  return strtod(tmp, NULL);
}

/* Adds delta (+1 or -1) in the last place of a digit string; may change the exponent. */
static void step_last(char *digs, int nd, int *exp, int delta) {
  int k = nd - 1;
  if (delta > 0) {
    while (k >= 0 && digs[k] == '9') digs[k--] = '0';
    if (k >= 0) {
      digs[k]++;
    } else {
      digs[0] = '1';
      for (int j = 1; j < nd; j++) digs[j] = '0';
      (*exp)++;
    }
  } else {
    while (k >= 0 && digs[k] == '0') digs[k--] = '9';
    if (k >= 0) digs[k]--;
    if (digs[0] == '0') { /* 1000 - 1 = 0999: renormalise to 999 with one exponent less */
      memmove(digs, digs + 1, (size_t)nd - 1);
      digs[nd - 1] = '9';
      (*exp)--;
    }
  }
}

/* Next to a power of two the rounding interval is lopsided (the gap below is half the gap
 * above); everywhere else it is symmetric, so the closest decimal of each length is the best
 * candidate of that length and "reads back" is monotone in the length. */
static bool lopsided(double d, bool is_float) {
  if (is_float) {
    float f = (float)d;
    uint32_t b;
    memcpy(&b, &f, sizeof b);
    return (b & 0x7FFFFFu) == 0;
  }
  uint64_t b;
  memcpy(&b, &d, sizeof b);
  return (b & 0xFFFFFFFFFFFFFull) == 0;
}

static bool closest_reads_back(double d, bool is_float, int p, char *tmp, size_t cap) {
  snprintf(tmp, cap, "%.*e", p - 1, d);
  return is_float ? strtof(tmp, NULL) == (float)d : strtod(tmp, NULL) == d;
}

/* Fills digs with the shortest significant digits of d > 0 (no trailing zeros) and returns the
 * decimal exponent of the first digit. */
static int shortest_digits(double d, bool is_float, char *digs, int *nd) {
  char tmp[48];
  int maxp = is_float ? 9 : 17;
  int exp = 0;
  if (!lopsided(d, is_float)) {
    /* Binary search for the shortest length whose closest decimal reads back. */
    int lo = 1, hi = maxp;
    while (lo < hi) {
      int mid = (lo + hi) / 2;
      if (closest_reads_back(d, is_float, mid, tmp, sizeof tmp)) hi = mid;
      else lo = mid + 1;
    }
    /* Length 2 is also allowed when 1 suffices; its closest is never farther. */
    snprintf(tmp, sizeof tmp, "%.*e", lo == 1 ? 1 : lo - 1, d);
    exp = split_sci(tmp, digs, nd);
  } else {
    for (int p = 1; p <= maxp; p++) {
      snprintf(tmp, sizeof tmp, "%.*e", p - 1, d);
      exp = split_sci(tmp, digs, nd);
      if (reads_back(digs, *nd, exp, d, is_float)) {
        if (p == 1) {
          char d2[8];
          int n2;
          snprintf(tmp, sizeof tmp, "%.1e", d);
          int e2 = split_sci(tmp, d2, &n2);
          if (reads_back(d2, n2, e2, d, is_float)) {
            memcpy(digs, d2, (size_t)n2 + 1);
            *nd = n2;
            exp = e2;
          }
        }
        break;
      }
      if (p == maxp) break;
      char alt[24];
      int ae = exp;
      memcpy(alt, digs, (size_t)*nd + 1);
      step_last(alt, *nd, &ae, value_of(digs, *nd, exp) < d ? 1 : -1);
      if (reads_back(alt, *nd, ae, d, is_float)) {
        memcpy(digs, alt, (size_t)*nd + 1);
        exp = ae;
        break;
      }
    }
  }
  while (*nd > 1 && digs[*nd - 1] == '0') (*nd)--;
  digs[*nd] = 0;
  return exp;
}

int sl_double_format(double d, bool is_float, char *buf) {
  if (is_float) d = (float)d; /* FLOAT slots may hold a wider double: print the float */
  if (isnan(d)) return sprintf(buf, "NaN");
  if (isinf(d)) return sprintf(buf, d < 0 ? "-Infinity" : "Infinity");
  if (d == 0) return sprintf(buf, signbit(d) ? "-0.0" : "0.0");
  int len = 0;
  if (d < 0) {
    buf[len++] = '-';
    d = -d;
  }
  char digs[32];
  int nd;
  int e = shortest_digits(d, is_float, digs, &nd);
  if (d >= 1e-3 && d < 1e7) {
    if (e >= 0) {
      for (int k = 0; k <= e; k++) buf[len++] = k < nd ? digs[k] : '0';
      buf[len++] = '.';
      if (nd > e + 1) {
        for (int k = e + 1; k < nd; k++) buf[len++] = digs[k];
      } else {
        buf[len++] = '0';
      }
    } else {
      buf[len++] = '0';
      buf[len++] = '.';
      for (int k = 0; k < -e - 1; k++) buf[len++] = '0';
      for (int k = 0; k < nd; k++) buf[len++] = digs[k];
    }
  } else {
    buf[len++] = digs[0];
    buf[len++] = '.';
    if (nd > 1) {
      for (int k = 1; k < nd; k++) buf[len++] = digs[k];
    } else {
      buf[len++] = '0';
    }
    len += sprintf(buf + len, "E%d", e);
  }
  buf[len] = 0;
  return len;
}

/* ---- Rendering --------------------------------------------------------------------------- */

void sl_value_render(sl_type t, const sl_value *v, sl_buf *out) {
  char tmp[64];
  int n;
  switch ((sl_type_kind)t.kind) {
    case SL_TYPE_BOOLEAN: sl_buf_adds(out, v->i64 ? "TRUE" : "FALSE"); return;
    case SL_TYPE_TINYINT:
    case SL_TYPE_SMALLINT:
    case SL_TYPE_INT:
    case SL_TYPE_BIGINT:
      n = snprintf(tmp, sizeof tmp, "%lld", (long long)v->i64);
      break;
    case SL_TYPE_FLOAT: n = sl_double_format(v->f64, true, tmp); break;
    case SL_TYPE_DOUBLE: n = sl_double_format(v->f64, false, tmp); break;
    case SL_TYPE_DECIMAL: n = sl_dec_format(v->dec, t.scale, tmp); break;
    case SL_TYPE_CHAR:
    case SL_TYPE_VARCHAR: sl_buf_add(out, v->str.ptr, v->str.len); return;
    case SL_TYPE_DATE: n = sl_date_format(v->i64, tmp); break;
    case SL_TYPE_TIME: n = sl_time_format(v->i64, t.precision, tmp); break;
    case SL_TYPE_TIMESTAMP:
    case SL_TYPE_TIMESTAMP_LTZ: n = sl_ts_format(v->i64, t.precision, false, false, tmp); break;
    case SL_TYPE_INTERVAL_YM: n = sl_interval_format(v->i64, true, tmp); break;
    case SL_TYPE_INTERVAL_DT: n = sl_interval_format(v->i64, false, tmp); break;
    default: sl_buf_adds(out, "NULL"); return;
  }
  sl_buf_add(out, tmp, (size_t)n);
}

/* ---- Parsing ----------------------------------------------------------------------------- */

bool sl_int_fits(sl_type_kind kind, int64_t v) {
  switch (kind) {
    case SL_TYPE_TINYINT: return v >= INT8_MIN && v <= INT8_MAX;
    case SL_TYPE_SMALLINT: return v >= INT16_MIN && v <= INT16_MAX;
    case SL_TYPE_INT: return v >= INT32_MIN && v <= INT32_MAX;
    default: return true;
  }
}

static bool blank(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }

static void trim(const char **s, size_t *n) {
  while (*n > 0 && blank((*s)[0])) { (*s)++; (*n)--; }
  while (*n > 0 && blank((*s)[*n - 1])) (*n)--;
}

/* Flink's BinaryStringDataUtil.toLong/toInt: optional sign, digits, and an optional '.' followed
 * by digits that are checked and dropped ("1.5" -> 1). Overflow of the target type fails. */
static int parse_int(const char *s, size_t n, sl_type_kind kind, int64_t *out) {
  trim(&s, &n);
  if (n == 0) return SL_EFORMAT;
  size_t i = 0;
  bool neg = false;
  if (s[0] == '-' || s[0] == '+') {
    neg = s[0] == '-';
    i++;
    if (n == 1) return SL_EFORMAT;
  }
  uint64_t mag = 0;
  bool overflow = false;
  for (; i < n && s[i] != '.'; i++) {
    if (s[i] < '0' || s[i] > '9') return SL_EFORMAT;
    if (mag > (UINT64_MAX - 9) / 10) overflow = true;
    else mag = mag * 10 + (uint64_t)(s[i] - '0');
  }
  if (i < n) {
    for (i++; i < n; i++) {
      if (s[i] < '0' || s[i] > '9') return SL_EFORMAT;
    }
  }
  if (overflow) return SL_EOVERFLOW;
  if (neg ? mag > (uint64_t)INT64_MAX + 1 : mag > (uint64_t)INT64_MAX) return SL_EOVERFLOW;
  int64_t v = neg ? (int64_t)(0 - mag) : (int64_t)mag;
  if (!sl_int_fits(kind, v)) return SL_EOVERFLOW;
  *out = v;
  return 0;
}

/* Java's Double.parseDouble grammar: blanks trimmed, NaN, [+-]Infinity, or a decimal with
 * optional exponent and an optional f/F/d/D suffix. Hex floats are not accepted. */
static int parse_double(const char *s, size_t n, bool is_float, double *out) {
  trim(&s, &n);
  char tmp[400];
  if (n == 0 || n >= sizeof tmp) return SL_EFORMAT;
  size_t i = 0;
  bool neg = false;
  if (s[0] == '+' || s[0] == '-') {
    neg = s[0] == '-';
    i++;
  }
  if (n - i == 3 && memcmp(s + i, "NaN", 3) == 0) {
    *out = NAN;
    return 0;
  }
  if (n - i == 8 && memcmp(s + i, "Infinity", 8) == 0) {
    *out = neg ? -INFINITY : INFINITY;
    return 0;
  }
  size_t digits = 0;
  for (; i < n && s[i] >= '0' && s[i] <= '9'; i++) digits++;
  if (i < n && s[i] == '.') {
    for (i++; i < n && s[i] >= '0' && s[i] <= '9'; i++) digits++;
  }
  if (digits == 0) return SL_EFORMAT;
  if (i < n && (s[i] == 'e' || s[i] == 'E')) {
    i++;
    if (i < n && (s[i] == '+' || s[i] == '-')) i++;
    size_t ed = 0;
    for (; i < n && s[i] >= '0' && s[i] <= '9'; i++) ed++;
    if (ed == 0) return SL_EFORMAT;
  }
  size_t end = i;
  if (i < n && strchr("fFdD", s[i])) i++;
  if (i != n) return SL_EFORMAT;
  memcpy(tmp, s, end);
  tmp[end] = 0;
  *out = is_float ? (double)strtof(tmp, NULL) : strtod(tmp, NULL);
  return 0;
}

/* Flink's toBoolean accepts t/true/y/yes/1 and f/false/n/no/0, any case. */
static int parse_bool(const char *s, size_t n, int64_t *out) {
  static const char *const yes[] = {"t", "true", "y", "yes", "1"};
  static const char *const no[] = {"f", "false", "n", "no", "0"};
  trim(&s, &n);
  for (int k = 0; k < 5; k++) {
    if (strlen(yes[k]) == n && strncasecmp(s, yes[k], n) == 0) { *out = 1; return 0; }
    if (strlen(no[k]) == n && strncasecmp(s, no[k], n) == 0) { *out = 0; return 0; }
  }
  return SL_EFORMAT;
}

/* Byte length of the first max code points of a UTF-8 string. */
static size_t utf8_prefix(const char *s, size_t n, int64_t max) {
  size_t i = 0;
  int64_t cps = 0;
  while (i < n && cps < max) {
    i++;
    while (i < n && ((unsigned char)s[i] & 0xC0) == 0x80) i++;
    cps++;
  }
  return i;
}

/* Floors micros to the given number of fraction digits (Flink's fromTemporalAccessor). */
static int64_t floor_precision(int64_t micros, int precision) {
  if (precision >= 6 || precision < 0) return micros;
  static const int64_t unit[] = {1000000, 100000, 10000, 1000, 100, 10};
  int64_t u = unit[precision];
  return sl_floor_div(micros, u) * u;
}

int sl_value_parse(sl_type t, const char *s, size_t n, sl_arena *arena, sl_value *out) {
  out->is_null = false;
  int rc;
  switch ((sl_type_kind)t.kind) {
    case SL_TYPE_BOOLEAN: return parse_bool(s, n, &out->i64);
    case SL_TYPE_TINYINT:
    case SL_TYPE_SMALLINT:
    case SL_TYPE_INT:
    case SL_TYPE_BIGINT: return parse_int(s, n, (sl_type_kind)t.kind, &out->i64);
    case SL_TYPE_FLOAT: return parse_double(s, n, true, &out->f64);
    case SL_TYPE_DOUBLE: return parse_double(s, n, false, &out->f64);
    case SL_TYPE_DECIMAL: return sl_dec_parse(s, n, t.precision, t.scale, &out->dec);
    case SL_TYPE_CHAR:
    case SL_TYPE_VARCHAR: {
      size_t len = n;
      if (t.precision > 0 && (int64_t)n > t.precision) len = utf8_prefix(s, n, t.precision);
      if (len > UINT32_MAX) return SL_EOVERFLOW;
      out->str.ptr = arena ? sl_arena_strndup(arena, s, len) : s;
      out->str.len = (uint32_t)len;
      return 0;
    }
    case SL_TYPE_DATE: return sl_date_parse(s, n, &out->i64);
    case SL_TYPE_TIME:
      rc = sl_time_parse(s, n, &out->i64);
      if (rc == 0) out->i64 = floor_precision(out->i64, t.precision);
      return rc;
    case SL_TYPE_TIMESTAMP:
    case SL_TYPE_TIMESTAMP_LTZ:
      rc = sl_ts_parse(s, n, true, &out->i64);
      if (rc == 0) out->i64 = floor_precision(out->i64, t.precision);
      return rc;
    case SL_TYPE_INTERVAL_YM:
    case SL_TYPE_INTERVAL_DT: {
      /* Reads back what sl_interval_format writes: "+1-06", "-3 04:05:06.789". */
      bool ym;
      if (t.kind == SL_TYPE_INTERVAL_YM)
        return sl_interval_parse(s, n, SL_UNIT_YEAR, SL_UNIT_MONTH, &ym, &out->i64);
      return sl_interval_parse(s, n, SL_UNIT_DAY, SL_UNIT_SECOND, &ym, &out->i64);
    }
    default: return SL_EFORMAT;
  }
}
