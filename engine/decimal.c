/* decimal.c - DECIMAL(p,s) arithmetic on 128-bit unscaled integers, and Flink's result-type rules.
 *
 * Values are signed 128-bit unscaled integers limited to 38 digits. The common path works on
 * native __int128; products and scaled dividends that may exceed 128 bits go through a small
 * hand-written unsigned 256-bit integer (four 64-bit limbs, little-endian), so every result that
 * fits 38 digits is exact and rounded HALF_UP like java.math.BigDecimal.
 */
#include "decimal.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "err.h"
#include "value_text.h"

typedef unsigned __int128 u128;

/* ---- Powers of ten ------------------------------------------------------------------------- */

#define E19 10000000000000000000ULL
static const u128 POW10[39] = {
    (u128)1ULL,
    (u128)10ULL,
    (u128)100ULL,
    (u128)1000ULL,
    (u128)10000ULL,
    (u128)100000ULL,
    (u128)1000000ULL,
    (u128)10000000ULL,
    (u128)100000000ULL,
    (u128)1000000000ULL,
    (u128)10000000000ULL,
    (u128)100000000000ULL,
    (u128)1000000000000ULL,
    (u128)10000000000000ULL,
    (u128)100000000000000ULL,
    (u128)1000000000000000ULL,
    (u128)10000000000000000ULL,
    (u128)100000000000000000ULL,
    (u128)1000000000000000000ULL,
    (u128)10000000000000000000ULL,
    (u128)E19 * 10ULL,
    (u128)E19 * 100ULL,
    (u128)E19 * 1000ULL,
    (u128)E19 * 10000ULL,
    (u128)E19 * 100000ULL,
    (u128)E19 * 1000000ULL,
    (u128)E19 * 10000000ULL,
    (u128)E19 * 100000000ULL,
    (u128)E19 * 1000000000ULL,
    (u128)E19 * 10000000000ULL,
    (u128)E19 * 100000000000ULL,
    (u128)E19 * 1000000000000ULL,
    (u128)E19 * 10000000000000ULL,
    (u128)E19 * 100000000000000ULL,
    (u128)E19 * 1000000000000000ULL,
    (u128)E19 * 10000000000000000ULL,
    (u128)E19 * 100000000000000000ULL,
    (u128)E19 * 1000000000000000000ULL,
    (u128)E19 * 10000000000000000000ULL,
};
#undef E19

sl_i128 sl_dec_pow10(int n) {
  if (n < 0 || n > 38) return 0;
  return (sl_i128)POW10[n];
}

static u128 upow10(int n) { return POW10[n]; }

static u128 uabs128(sl_i128 v) { return v < 0 ? (u128)0 - (u128)v : (u128)v; }

bool sl_dec_fits(sl_i128 v, int precision) {
  if (precision >= 39) return true;
  if (precision < 0) return false;
  return uabs128(v) < upow10(precision);
}

/* ---- A minimal unsigned 256-bit integer ------------------------------------------------------ */

typedef struct {
  uint64_t w[4]; /* w[0] is the least significant limb */
} u256;

static u256 u256_from128(u128 v) {
  u256 r = {{(uint64_t)v, (uint64_t)(v >> 64), 0, 0}};
  return r;
}

static bool u256_fits128(const u256 *a) { return a->w[2] == 0 && a->w[3] == 0; }
static u128 u256_lo128(const u256 *a) { return ((u128)a->w[1] << 64) | a->w[0]; }
static bool u256_is_zero(const u256 *a) { return !(a->w[0] | a->w[1] | a->w[2] | a->w[3]); }

static int u256_cmp(const u256 *a, const u256 *b) {
  for (int i = 3; i >= 0; i--) {
    if (a->w[i] != b->w[i]) return a->w[i] < b->w[i] ? -1 : 1;
  }
  return 0;
}

/* a * m; returns false on overflow past 256 bits. */
static bool u256_mul64(u256 *a, uint64_t m) {
  u128 carry = 0;
  for (int i = 0; i < 4; i++) {
    u128 p = (u128)a->w[i] * m + carry;
    a->w[i] = (uint64_t)p;
    carry = p >> 64;
  }
  return carry == 0;
}

/* a * 10^n for any n >= 0; false on overflow. */
static bool u256_mul_pow10(u256 *a, int n) {
  while (n > 0) {
    int k = n > 19 ? 19 : n;
    if (!u256_mul64(a, (uint64_t)upow10(k))) return false;
    n -= k;
  }
  return true;
}

static u256 u256_mul128(u128 a, u128 b) {
  uint64_t a0 = (uint64_t)a, a1 = (uint64_t)(a >> 64);
  uint64_t b0 = (uint64_t)b, b1 = (uint64_t)(b >> 64);
  u128 p00 = (u128)a0 * b0, p01 = (u128)a0 * b1, p10 = (u128)a1 * b0, p11 = (u128)a1 * b1;
  u256 r;
  r.w[0] = (uint64_t)p00;
  u128 mid = (p00 >> 64) + (uint64_t)p01 + (uint64_t)p10;
  r.w[1] = (uint64_t)mid;
  u128 hi = (mid >> 64) + (p01 >> 64) + (p10 >> 64) + (uint64_t)p11;
  r.w[2] = (uint64_t)hi;
  r.w[3] = (uint64_t)((hi >> 64) + (p11 >> 64));
  return r;
}

static void u256_shl1(u256 *a) {
  for (int i = 3; i > 0; i--) a->w[i] = (a->w[i] << 1) | (a->w[i - 1] >> 63);
  a->w[0] <<= 1;
}

static void u256_sub(u256 *a, const u256 *b) {
  uint64_t borrow = 0;
  for (int i = 0; i < 4; i++) {
    uint64_t x = a->w[i], y = b->w[i];
    uint64_t d = x - y - borrow;
    borrow = (x < y) || (x - y < borrow);
    a->w[i] = d;
  }
}

static int u256_bits(const u256 *a) {
  for (int i = 3; i >= 0; i--) {
    if (a->w[i]) return i * 64 + 64 - __builtin_clzll(a->w[i]);
  }
  return 0;
}

/* Binary long division n / d (d != 0): quotient into q, remainder into r. The slow path only:
 * callers use native 128-bit division whenever both operands fit. */
static void u256_divmod(const u256 *n, const u256 *d, u256 *q, u256 *r) {
  u256 quo = {{0, 0, 0, 0}}, rem = {{0, 0, 0, 0}};
  for (int i = u256_bits(n) - 1; i >= 0; i--) {
    u256_shl1(&rem);
    rem.w[0] |= (n->w[i / 64] >> (i % 64)) & 1;
    if (u256_cmp(&rem, d) >= 0) {
      u256_sub(&rem, d);
      quo.w[i / 64] |= (uint64_t)1 << (i % 64);
    }
  }
  *q = quo;
  *r = rem;
}

/* round(n / d) HALF_UP for unsigned operands; false when the quotient exceeds 128 bits. */
static bool u256_div_round(const u256 *n, const u256 *d, u128 *out) {
  if (u256_fits128(n) && u256_fits128(d)) {
    u128 nn = u256_lo128(n), dd = u256_lo128(d);
    u128 q = nn / dd, r = nn - q * dd;
    if (r >= dd - r) q++;  /* 2r >= d without overflowing */
    *out = q;
    return true;
  }
  u256 q, r;
  u256_divmod(n, d, &q, &r);
  /* Round up when 2r >= d, i.e. r >= d - r. */
  u256 half = *d;
  u256_sub(&half, &r);
  if (u256_cmp(&r, &half) >= 0) {
    for (int i = 0; i < 4; i++) {
      if (++q.w[i] != 0) break;
    }
  }
  if (!u256_fits128(&q)) return false;
  *out = u256_lo128(&q);
  return true;
}

/* Applies the sign and the 38-digit limit to a rounded magnitude. */
static int finish(u128 mag, bool neg, sl_i128 *out) {
  if (mag >= upow10(38)) return SL_EOVERFLOW;
  *out = neg ? -(sl_i128)mag : (sl_i128)mag;
  return 0;
}

/* ---- Parsing and formatting ----------------------------------------------------------------- */

static bool is_blank(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }

int sl_dec_parse(const char *s, size_t n, int precision, int scale, sl_i128 *out) {
  size_t i = 0;
  if (precision > 38) precision = 38;
  if (precision < 1) precision = 1;
  while (n > 0 && is_blank(s[n - 1])) n--;
  while (i < n && is_blank(s[i])) i++;
  bool neg = false;
  if (i < n && (s[i] == '+' || s[i] == '-')) neg = s[i++] == '-';
  /* Collect significant digits (leading zeros dropped) and the decimal exponent. */
  char dig[80];
  int nd = 0;            /* digits kept in dig */
  int64_t dropped = 0;   /* significant integer digits that did not fit in dig */
  int64_t frac = 0;      /* fraction digits consumed into dig */
  bool any = false;
  bool seen_dot = false;
  for (; i < n; i++) {
    char c = s[i];
    if (c >= '0' && c <= '9') {
      any = true;
      if (nd == 0 && c == '0') {
        if (seen_dot) frac++;
        continue;
      }
      if (nd < (int)sizeof dig) {
        dig[nd++] = c;
        if (seen_dot) frac++;
      } else {
        /* Beyond 80 significant digits: integer digits still count toward the magnitude;
         * fraction digits this far right cannot change a HALF_UP result of <= 38 digits. */
        if (!seen_dot) dropped++;
      }
    } else if (c == '.' && !seen_dot) {
      seen_dot = true;
    } else {
      break;
    }
  }
  if (!any) return SL_EFORMAT;
  int64_t exp = 0;
  if (i < n && (s[i] == 'e' || s[i] == 'E')) {
    i++;
    bool eneg = false;
    if (i < n && (s[i] == '+' || s[i] == '-')) eneg = s[i++] == '-';
    if (i >= n || s[i] < '0' || s[i] > '9') return SL_EFORMAT;
    for (; i < n && s[i] >= '0' && s[i] <= '9'; i++) {
      if (exp < 100000) exp = exp * 10 + (s[i] - '0');
    }
    if (eneg) exp = -exp;
  }
  if (i != n) return SL_EFORMAT;
  /* value = dig * 10^(exp + dropped - frac); we want round(value * 10^scale). */
  int64_t shift = exp + dropped - frac + scale;
  u128 mag = 0;
  if (nd == 0) {
    mag = 0;
  } else if (shift >= 0) {
    if (nd + shift > precision) return SL_EOVERFLOW;
    for (int k = 0; k < nd; k++) mag = mag * 10 + (u128)(dig[k] - '0');
    mag *= upow10((int)shift);
  } else {
    int64_t keep = nd + shift; /* digits left of the rounding point */
    if (keep > precision) return SL_EOVERFLOW;
    if (keep < 0) {
      mag = 0;
    } else {
      for (int64_t k = 0; k < keep; k++) mag = mag * 10 + (u128)(dig[k] - '0');
      if (dig[keep] >= '5') mag++;
    }
  }
  if (mag >= upow10(precision)) return SL_EOVERFLOW;
  *out = neg ? -(sl_i128)mag : (sl_i128)mag;
  return 0;
}

int sl_dec_format(sl_i128 v, int scale, char *buf) {
  char tmp[48];
  int n = 0;
  u128 m = uabs128(v);
  do {
    tmp[n++] = (char)('0' + (int)(m % 10));
    m /= 10;
  } while (m);
  while (n <= scale) tmp[n++] = '0'; /* at least one integer digit */
  int len = 0;
  if (v < 0) buf[len++] = '-';
  for (int k = n - 1; k >= 0; k--) {
    buf[len++] = tmp[k];
    if (k == scale && scale > 0) buf[len++] = '.';
  }
  buf[len] = 0;
  return len;
}

/* ---- Arithmetic ------------------------------------------------------------------------------ */

int sl_dec_rescale(sl_i128 v, int from_scale, int to_scale, sl_i128 *out) {
  if (to_scale == from_scale) {
    if (!sl_dec_fits(v, 38)) return SL_EOVERFLOW;
    *out = v;
    return 0;
  }
  u128 m = uabs128(v);
  bool neg = v < 0;
  if (to_scale > from_scale) {
    int k = to_scale - from_scale;
    if (m == 0) { *out = 0; return 0; }
    if (k > 38 || m > (upow10(38) - 1) / upow10(k)) return SL_EOVERFLOW;
    return finish(m * upow10(k), neg, out);
  }
  int k = from_scale - to_scale;
  if (k > 38) {
    /* |v| < 2^127 < 5*10^38, so shifting out 39 or more digits rounds to 0 */
    *out = 0;
    return 0;
  }
  u128 p = upow10(k);
  u128 q = m / p, r = m - q * p;
  if (r >= p - r) q++;
  return finish(q, neg, out);
}

int sl_dec_mul(sl_i128 a, int sa, sl_i128 b, int sb, int result_scale, sl_i128 *out) {
  bool neg = (a < 0) != (b < 0);
  u128 ma = uabs128(a), mb = uabs128(b);
  int ps = sa + sb;
  /* Fast path: both factors below 2^63 so the product fits natively. */
  if ((ma >> 63) == 0 && (mb >> 63) == 0) {
    u128 p = ma * mb;
    if (result_scale == ps) return finish(p, neg, out);
    if (result_scale < ps && ps - result_scale <= 38) {
      u128 d = upow10(ps - result_scale);
      u128 q = p / d, r = p - q * d;
      if (r >= d - r) q++;
      return finish(q, neg, out);
    }
  }
  u256 p = u256_mul128(ma, mb);
  u128 mag;
  if (result_scale >= ps) {
    if (!u256_mul_pow10(&p, result_scale - ps) || !u256_fits128(&p)) {
      if (u256_is_zero(&p)) { *out = 0; return 0; }
      return SL_EOVERFLOW;
    }
    mag = u256_lo128(&p);
  } else {
    int k = ps - result_scale;
    u256 d = u256_from128(1);
    if (!u256_mul_pow10(&d, k)) { *out = 0; return 0; }
    if (!u256_div_round(&p, &d, &mag)) return SL_EOVERFLOW;
  }
  return finish(mag, neg, out);
}

int sl_dec_div(sl_i128 a, int sa, sl_i128 b, int sb, int result_scale, sl_i128 *out) {
  if (b == 0) return SL_EINVAL;
  bool neg = (a < 0) != (b < 0);
  u128 ma = uabs128(a), mb = uabs128(b);
  /* a/10^sa / (b/10^sb) * 10^rs = a * 10^(sb - sa + rs) / b */
  int e = sb - sa + result_scale;
  if (e >= 0 && e <= 38 && (ma >> 64) == 0 && (mb >> 64) == 0 && ma <= ~(u128)0 / upow10(e)) {
    u128 n = ma * upow10(e);
    u128 q = n / mb, r = n - q * mb;
    if (r >= mb - r) q++;
    return finish(q, neg, out);
  }
  u256 n = u256_from128(ma), d = u256_from128(mb);
  if (e >= 0) {
    if (!u256_mul_pow10(&n, e)) return SL_EOVERFLOW; /* quotient >= 10^76 / 2^127 */
  } else {
    if (!u256_mul_pow10(&d, -e)) { *out = 0; return 0; }
  }
  u128 mag;
  if (!u256_div_round(&n, &d, &mag)) return SL_EOVERFLOW;
  return finish(mag, neg, out);
}

int sl_dec_mod(sl_i128 a, int sa, sl_i128 b, int sb, int result_scale, sl_i128 *out) {
  sl_i128 x, y;
  int rc = sl_dec_rescale(a, sa, result_scale, &x);
  if (rc) return rc;
  rc = sl_dec_rescale(b, sb, result_scale, &y);
  if (rc) return rc;
  if (y == 0) return SL_EINVAL;
  *out = x % y; /* C's remainder takes the sign of the dividend, like BigDecimal.remainder */
  return 0;
}

/* ---- Conversions ----------------------------------------------------------------------------- */

double sl_dec_to_double(sl_i128 v, int scale) {
  static const double p10[] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                               1e8,  1e9,  1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
                               1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};
  u128 m = uabs128(v);
  /* Both operands exact in a double: the one division is correctly rounded. */
  if (m < ((u128)1 << 53) && scale >= 0 && scale <= 22) return (double)v / p10[scale];
  char buf[64];
  sl_dec_format(v, scale, buf);
  return strtod(buf, NULL);
}

int sl_dec_from_double(double d, int precision, int scale, sl_i128 *out) {
  if (isnan(d) || isinf(d)) return SL_EFORMAT;
  /* Flink goes through BigDecimal.valueOf(double), i.e. the shortest repr of Double.toString,
   * then rounds HALF_UP: 1.005 becomes 1.01 although its binary value is 1.00499.. */
  char buf[40];
  int len = sl_double_format(d, false, buf);
  return sl_dec_parse(buf, (size_t)len, precision, scale, out);
}

sl_i128 sl_dec_trunc(sl_i128 v, int scale) {
  if (scale <= 0) return v;
  if (scale > 38) return 0;
  return v / (sl_i128)upow10(scale);
}

/* ---- Flink's result types ---------------------------------------------------------------------
 * From flink-table-common LogicalTypeMerging (which adopts SQL Server's table):
 *   e1 + e2   p = max(s1, s2) + max(p1-s1, p2-s2) + 1      s = max(s1, s2)
 *   e1 * e2   p = p1 + p2 + 1                              s = s1 + s2
 *   e1 / e2   p = p1 - s1 + s2 + max(6, s1 + p2 + 1)       s = max(6, s1 + p2 + 1)
 *   e1 % e2   p = min(p1-s1, p2-s2) + max(s1, s2)          s = max(s1, s2)
 *   SUM       DECIMAL(38, s)                         (findSumAggType)
 *   AVG       findDivisionDecimalType(38, s, 20, 0) = DECIMAL(38, max(6, s))  (findAvgAggType)
 * adjustPrecisionScale: when p > 38, keep the integral digits p - s and reduce the scale to
 * max(38 - (p - s), min(s, 6)) with precision 38 (the Hive/Spark variant). */

static void adjust(int p, int s, int *rp, int *rs) {
  if (p <= SL_DECIMAL_MAX_PRECISION) {
    *rp = p;
    *rs = s;
    return;
  }
  int digits = p - s;
  int min_scale = s < 6 ? s : 6;
  int ns = SL_DECIMAL_MAX_PRECISION - digits;
  if (ns < min_scale) ns = min_scale;
  *rp = SL_DECIMAL_MAX_PRECISION;
  *rs = ns;
}

static int imax(int a, int b) { return a > b ? a : b; }
static int imin(int a, int b) { return a < b ? a : b; }

void sl_dec_type_add(int p1, int s1, int p2, int s2, int *p, int *s) {
  int sc = imax(s1, s2);
  adjust(imax(p1 - s1, p2 - s2) + sc + 1, sc, p, s);
}

void sl_dec_type_mul(int p1, int s1, int p2, int s2, int *p, int *s) {
  adjust(p1 + p2 + 1, s1 + s2, p, s);
}

void sl_dec_type_div(int p1, int s1, int p2, int s2, int *p, int *s) {
  int sc = imax(6, s1 + p2 + 1);
  adjust(p1 - s1 + s2 + sc, sc, p, s);
}

void sl_dec_type_mod(int p1, int s1, int p2, int s2, int *p, int *s) {
  int sc = imax(s1, s2);
  adjust(imin(p1 - s1, p2 - s2) + sc, sc, p, s);
}

void sl_dec_type_sum(int p1, int s1, int *p, int *s) {
  *p = SL_DECIMAL_MAX_PRECISION;
  *s = s1;
}

void sl_dec_type_avg(int p1, int s1, int *p, int *s) { sl_dec_type_div(38, s1, 20, 0, p, s); }

int sl_dec_int_precision(sl_type_kind kind) {
  switch (kind) {
    case SL_TYPE_TINYINT: return 3;
    case SL_TYPE_SMALLINT: return 5;
    case SL_TYPE_INT: return 10;
    case SL_TYPE_BIGINT: return 19;
    default: return 0;
  }
}
