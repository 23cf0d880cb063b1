/* datetime.c - calendar math, parsing and formatting of DATE, TIME, TIMESTAMP and INTERVAL.
 *
 * Everything is proleptic Gregorian on plain integers: DATE is days since 1970-01-01, TIME is
 * microseconds of the day, TIMESTAMP is microseconds since the epoch (floor division keeps
 * instants before 1970 right), day-time intervals are microseconds and year-month intervals
 * are months. The parsers follow Flink's leniency (single-digit fields, optional seconds and
 * fraction, surrounding blanks); the pattern functions follow java.time.DateTimeFormatter,
 * which Flink's DATE_FORMAT and TO_TIMESTAMP use.
 */
#include "datetime.h"

#include <stdio.h>
#include <string.h>

#include "../sql/ast.h"
#include "err.h"
#include "types.h"

/* ---- Calendar ------------------------------------------------------------------------------ */

int64_t sl_floor_div(int64_t a, int64_t b) {
  int64_t q = a / b;
  if ((a % b != 0) && ((a < 0) != (b < 0))) q--;
  return q;
}

int64_t sl_floor_mod(int64_t a, int64_t b) { return a - sl_floor_div(a, b) * b; }

/* Howard Hinnant's days_from_civil: eras of 400 years starting on March 1st. */
int64_t sl_days_from_civil(int64_t y, int m, int d) {
  y -= m <= 2;
  int64_t era = sl_floor_div(y, 400);
  int64_t yoe = y - era * 400;
  int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

void sl_civil_from_days(int64_t days, int64_t *y, int *m, int *d) {
  int64_t z = days + 719468;
  int64_t era = sl_floor_div(z, 146097);
  int64_t doe = z - era * 146097;
  int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  int64_t mp = (5 * doy + 2) / 153;
  *d = (int)(doy - (153 * mp + 2) / 5 + 1);
  *m = (int)(mp < 10 ? mp + 3 : mp - 9);
  *y = yoe + era * 400 + (*m <= 2);
}

static bool is_leap(int64_t y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

static int days_in_month(int64_t y, int m) {
  static const int dm[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && is_leap(y) ? 29 : dm[m - 1];
}

static bool valid_ymd(int64_t y, int m, int d) {
  return y >= 0 && y <= 9999 && m >= 1 && m <= 12 && d >= 1 && d <= days_in_month(y, m);
}

/* Monday = 1 .. Sunday = 7 (1970-01-01 was a Thursday). */
static int iso_dow(int64_t days) { return (int)sl_floor_mod(days + 3, 7) + 1; }

/* ISO-8601 week number and week-based year of a date. */
static void iso_week(int64_t days, int64_t *wyear, int *week) {
  int64_t y;
  int m, d;
  sl_civil_from_days(days, &y, &m, &d);
  /* The Thursday of this week decides the year. */
  int64_t thursday = days - iso_dow(days) + 4;
  int64_t ty;
  int tm, td;
  sl_civil_from_days(thursday, &ty, &tm, &td);
  int64_t jan1 = sl_days_from_civil(ty, 1, 1);
  *wyear = ty;
  *week = (int)((thursday - jan1) / 7 + 1);
}

/* DateTimeFormatter's 'w' under the default (US) locale: weeks start on Sunday and week 1 is
 * the week that contains January 1st, so late December can be week 1 of the next year. */
static int us_week(int64_t days) {
  int64_t saturday = days - sl_floor_mod(days + 4, 7) + 6; /* 1970-01-01 was a Thursday */
  int64_t y;
  int m, d;
  sl_civil_from_days(saturday, &y, &m, &d);
  int64_t jan1 = sl_days_from_civil(y, 1, 1);
  int64_t first_saturday = jan1 - sl_floor_mod(jan1 + 4, 7) + 6;
  return (int)((saturday - first_saturday) / 7 + 1);
}

/* ---- Small scanning helpers ----------------------------------------------------------------- */

static bool blank(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }
static bool digit(char c) { return c >= '0' && c <= '9'; }

static void trim(const char **s, size_t *n) {
  while (*n > 0 && blank((*s)[0])) { (*s)++; (*n)--; }
  while (*n > 0 && blank((*s)[*n - 1])) (*n)--;
}

/* Reads between min and max digits at *i; returns false if fewer than min. */
static bool read_num(const char *s, size_t n, size_t *i, int min, int max, int64_t *v) {
  int k = 0;
  int64_t r = 0;
  while (*i < n && k < max && digit(s[*i])) {
    r = r * 10 + (s[*i] - '0');
    (*i)++;
    k++;
  }
  if (k < min) return false;
  *v = r;
  return true;
}

/* Reads 1..9 fraction digits into nanoseconds (digits beyond 9 must still be digits and are
 * ignored). Returns false when there is no digit. */
static bool read_frac(const char *s, size_t n, size_t *i, int64_t *nanos) {
  int k = 0;
  int64_t r = 0;
  while (*i < n && digit(s[*i])) {
    if (k < 9) r = r * 10 + (s[*i] - '0');
    k++;
    (*i)++;
  }
  if (k == 0) return false;
  for (int j = k; j < 9; j++) r *= 10;
  *nanos = r;
  return true;
}

/* Parses "H:m[:s[.f]]" at *i (1-2 digit fields) into micros of the day. The timestamp form
 * (flink) follows Flink's formatter: up to 9 fraction digits, a bare trailing '.', and 24:00:00
 * as the next midnight (java.time's SMART resolver); TIME is stricter. */
static bool read_clock(const char *s, size_t n, size_t *i, bool flink, int64_t *micros) {
  int64_t h, mi, sec = 0, nanos = 0;
  if (!read_num(s, n, i, 1, 2, &h)) return false;
  if (*i >= n || s[*i] != ':') return false;
  (*i)++;
  if (!read_num(s, n, i, 1, 2, &mi)) return false;
  if (*i < n && s[*i] == ':') {
    (*i)++;
    if (!read_num(s, n, i, 1, 2, &sec)) return false;
    if (*i < n && s[*i] == '.') {
      (*i)++;
      size_t start = *i;
      if (!read_frac(s, n, i, &nanos) && !flink) return false;
      if (flink && *i - start > 9) return false;
    }
  }
  if (flink && h == 24 && mi == 0 && sec == 0 && nanos == 0) {
    *micros = SL_MICROS_PER_DAY;
    return true;
  }
  if (h > 23 || mi > 59 || sec > 59) return false;
  *micros = ((h * 60 + mi) * 60 + sec) * SL_MICROS_PER_SEC + nanos / 1000;
  return true;
}

/* ---- TIMESTAMP / DATE / TIME text ------------------------------------------------------------ */

/* Flink's DEFAULT_TIMESTAMP_FORMATTER is "yyyy-[MM][M]-[dd][d][ [HH][H]:[mm][m]:[ss][s][.f]]"
 * (DateTimeUtils) with java.time's SMART resolver; we also take "HH:mm" without seconds and
 * surrounding blanks, as the header promises. */
int sl_ts_parse(const char *s, size_t n, bool iso, int64_t *out) {
  trim(&s, &n);
  size_t i = 0;
  int64_t y, m, d, tod = 0;
  if (!read_num(s, n, &i, 4, 4, &y)) return SL_EFORMAT;
  if (i >= n || s[i] != '-') return SL_EFORMAT;
  i++;
  if (!read_num(s, n, &i, 1, 2, &m)) return SL_EFORMAT;
  if (i >= n || s[i] != '-') return SL_EFORMAT;
  i++;
  if (!read_num(s, n, &i, 1, 2, &d)) return SL_EFORMAT;
  /* java.time's SMART resolver turns Feb 30 into Feb 29, as CAST does in Flink */
  if (m >= 1 && m <= 12 && d >= 29 && d <= 31 && d > days_in_month(y, (int)m))
    d = days_in_month(y, (int)m);
  if (!valid_ymd(y, (int)m, (int)d)) return SL_EFORMAT;
  if (i < n) {
    bool t = s[i] == 'T';
    if (s[i] != ' ' && !(iso && t)) return SL_EFORMAT;
    i++;
    if (!read_clock(s, n, &i, true, &tod)) return SL_EFORMAT;
    if (iso && i < n && s[i] == 'Z') i++;
    if (i != n) return SL_EFORMAT;
  }
  *out = sl_days_from_civil(y, (int)m, (int)d) * SL_MICROS_PER_DAY + tod;
  return 0;
}

static int put_year(char *buf, int64_t y) {
  if (y < 0) return sprintf(buf, "-%04lld", (long long)-y);
  if (y > 9999) return sprintf(buf, "+%lld", (long long)y);
  return sprintf(buf, "%04lld", (long long)y);
}

/* Writes "." and precision digits of the microseconds (zeros beyond 6) when precision > 0. */
static int put_frac(char *buf, int64_t us, int precision) {
  if (precision <= 0) return 0;
  if (precision > 9) precision = 9;
  char digs[32];
  snprintf(digs, sizeof digs, "%06lld000", (long long)us);
  buf[0] = '.';
  memcpy(buf + 1, digs, (size_t)precision);
  buf[precision + 1] = 0;
  return precision + 1;
}

int sl_ts_format(int64_t micros, int precision, bool iso, bool iso_z, char *buf) {
  int64_t days = sl_floor_div(micros, SL_MICROS_PER_DAY);
  int64_t tod = micros - days * SL_MICROS_PER_DAY;
  int64_t y;
  int m, d;
  sl_civil_from_days(days, &y, &m, &d);
  int64_t secs = tod / SL_MICROS_PER_SEC;
  int len = put_year(buf, y);
  len += sprintf(buf + len, "-%02d-%02d%c%02d:%02d:%02d", m, d, iso ? 'T' : ' ', (int)(secs / 3600),
                 (int)(secs / 60 % 60), (int)(secs % 60));
  len += put_frac(buf + len, tod % SL_MICROS_PER_SEC, precision);
  if (iso && iso_z) buf[len++] = 'Z';
  buf[len] = 0;
  return len;
}

/* Flink's DateTimeUtils.parseDate: text after the first blank is ignored (so a timestamp string
 * casts to its date), and month and day may be left out or written with one digit. */
int sl_date_parse(const char *s, size_t n, int64_t *days) {
  trim(&s, &n);
  for (size_t k = 0; k < n; k++) {
    if (s[k] == ' ' || s[k] == 'T') { n = k; break; }
  }
  size_t i = 0;
  int64_t y, m = 1, d = 1;
  if (!read_num(s, n, &i, 1, 4, &y)) return SL_EFORMAT;
  if (i < n) {
    if (s[i++] != '-' || !read_num(s, n, &i, 1, 2, &m)) return SL_EFORMAT;
    if (i < n && (s[i++] != '-' || !read_num(s, n, &i, 1, 2, &d))) return SL_EFORMAT;
  }
  if (i != n || !valid_ymd(y, (int)m, (int)d)) return SL_EFORMAT;
  *days = sl_days_from_civil(y, (int)m, (int)d);
  return 0;
}

int sl_date_format(int64_t days, char *buf) {
  int64_t y;
  int m, d;
  sl_civil_from_days(days, &y, &m, &d);
  int len = put_year(buf, y);
  len += sprintf(buf + len, "-%02d-%02d", m, d);
  return len;
}

int sl_time_parse(const char *s, size_t n, int64_t *micros) {
  trim(&s, &n);
  size_t i = 0;
  if (!read_clock(s, n, &i, false, micros) || i != n) return SL_EFORMAT;
  return 0;
}

int sl_time_format(int64_t micros, int precision, char *buf) {
  int64_t t = sl_floor_mod(micros, SL_MICROS_PER_DAY);
  int64_t secs = t / SL_MICROS_PER_SEC;
  int len = sprintf(buf, "%02d:%02d:%02d", (int)(secs / 3600), (int)(secs / 60 % 60), (int)(secs % 60));
  len += put_frac(buf + len, t % SL_MICROS_PER_SEC, precision);
  buf[len] = 0;
  return len;
}

/* ---- DATE_FORMAT / TO_TIMESTAMP patterns ----------------------------------------------------- */

static const char *const month_names[] = {"January", "February", "March",     "April",
                                          "May",     "June",     "July",      "August",
                                          "September", "October", "November", "December"};
static const char *const day_names[] = {"Monday", "Tuesday",  "Wednesday", "Thursday",
                                        "Friday", "Saturday", "Sunday"};

/* One element of a pattern: a run of one letter, or literal text. */
typedef struct {
  char letter;      /* 0 for literal text */
  int count;        /* run length of the letter */
  const char *lit;  /* literal text, quotes removed */
  size_t lit_len;
} pat_tok;

/* Walks a pattern: letters in runs, 'quoted text' (with '' for a quote, inside or outside the
 * quotes) and any other character as itself. */
typedef struct {
  const char *p;
  size_t n, i;
  bool in_quote, bad;
} pat_iter;

static bool next_tok(pat_iter *it, pat_tok *t) {
  memset(t, 0, sizeof *t);
  for (;;) {
    if (it->i >= it->n) {
      if (it->in_quote) it->bad = true;
      return false;
    }
    const char *p = it->p;
    char c = p[it->i];
    if (c == '\'') {
      if (it->i + 1 < it->n && p[it->i + 1] == '\'') {
        t->lit = p + it->i;
        t->lit_len = 1;
        it->i += 2;
        return true;
      }
      it->in_quote = !it->in_quote;
      it->i++;
      continue;
    }
    if (it->in_quote) {
      size_t j = it->i;
      while (j < it->n && p[j] != '\'') j++;
      t->lit = p + it->i;
      t->lit_len = j - it->i;
      it->i = j;
      return true;
    }
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) {
      size_t j = it->i;
      while (j < it->n && p[j] == c) j++;
      t->letter = c;
      t->count = (int)(j - it->i);
      it->i = j;
      return true;
    }
    t->lit = p + it->i;
    t->lit_len = 1;
    it->i++;
    return true;
  }
}

typedef struct {
  char *out;
  size_t cap, len;
} outbuf;

static void out_add(outbuf *o, const char *s, size_t n) {
  for (size_t k = 0; k < n; k++) {
    if (o->len + 1 < o->cap) o->out[o->len] = s[k];
    o->len++;
  }
}

static void out_num(outbuf *o, int64_t v, int width) {
  char tmp[32];
  int n = snprintf(tmp, sizeof tmp, "%0*lld", width, (long long)v);
  out_add(o, tmp, (size_t)n);
}

int sl_ts_format_pattern(int64_t micros, const char *pat, size_t plen, char *out, size_t cap) {
  int64_t days = sl_floor_div(micros, SL_MICROS_PER_DAY);
  int64_t tod = micros - days * SL_MICROS_PER_DAY;
  int64_t y;
  int mo, d;
  sl_civil_from_days(days, &y, &mo, &d);
  int64_t secs = tod / SL_MICROS_PER_SEC;
  int hh = (int)(secs / 3600), mi = (int)(secs / 60 % 60), ss = (int)(secs % 60);
  int64_t us = tod % SL_MICROS_PER_SEC;
  outbuf o = {out, cap, 0};
  pat_iter it = {pat, plen, 0, false, false};
  pat_tok t;
  while (next_tok(&it, &t)) {
    if (!t.letter) {
      out_add(&o, t.lit, t.lit_len);
      continue;
    }
    int c = t.count;
    switch (t.letter) {
      case 'y':
      case 'u':
        if (c == 2) out_num(&o, sl_floor_mod(y, 100), 2);
        else out_num(&o, y, c);
        break;
      case 'M':
      case 'L':
        if (c >= 4) out_add(&o, month_names[mo - 1], strlen(month_names[mo - 1]));
        else if (c == 3) out_add(&o, month_names[mo - 1], 3);
        else out_num(&o, mo, c);
        break;
      case 'd': out_num(&o, d, c); break;
      case 'D': out_num(&o, days - sl_days_from_civil(y, 1, 1) + 1, c); break;
      case 'H': out_num(&o, hh, c); break;
      case 'k': out_num(&o, hh == 0 ? 24 : hh, c); break;
      case 'K': out_num(&o, hh % 12, c); break;
      case 'h': out_num(&o, hh % 12 == 0 ? 12 : hh % 12, c); break;
      case 'm': out_num(&o, mi, c); break;
      case 's': out_num(&o, ss, c); break;
      case 'S': {
        /* Fraction of second: the first c digits (DateTimeFormatter semantics). */
        char digs[32];
        snprintf(digs, sizeof digs, "%06lld000", (long long)us);
        if (c > 9) return SL_EINVAL;
        out_add(&o, digs, (size_t)c);
        break;
      }
      case 'a': out_add(&o, hh < 12 ? "AM" : "PM", 2); break;
      case 'E': {
        const char *nm = day_names[iso_dow(days) - 1];
        if (c >= 4) out_add(&o, nm, strlen(nm));
        else out_add(&o, nm, 3);
        break;
      }
      case 'G': out_add(&o, y > 0 ? "AD" : "BC", 2); break;
      case 'w': out_num(&o, us_week(days), c); break;
      case 'Q':
      case 'q': {
        int q = (mo + 2) / 3;
        static const char *const qn[] = {"1st quarter", "2nd quarter", "3rd quarter", "4th quarter"};
        if (c == 3) {
          char qq[3] = {'Q', (char)('0' + q), 0};
          out_add(&o, qq, 2);
        } else if (c >= 4) {
          out_add(&o, qn[q - 1], strlen(qn[q - 1]));
        } else {
          out_num(&o, q, c);
        }
        break;
      }
      case 'n': out_num(&o, us * 1000, c); break;
      default: return SL_EINVAL;
    }
  }
  if (it.bad) return SL_EINVAL;
  if (o.cap > 0) o.out[o.len < o.cap ? o.len : o.cap - 1] = 0;
  return (int)(o.len < o.cap ? o.len : (o.cap ? o.cap - 1 : 0));
}

/* A pattern run that parses as digits (MMM and longer are month names). */
static bool is_numeric_tok(const pat_tok *t) {
  if (!t->letter || !strchr("yuMLdDHkKhmsS", t->letter)) return false;
  return !((t->letter == 'M' || t->letter == 'L') && t->count >= 3);
}

static int match_name(const char *s, size_t n, size_t *i, const char *const *names, int count,
                      bool full) {
  /* Longest match first: full names, then three-letter abbreviations; case-insensitive. */
  for (int pass = 0; pass < 2; pass++) {
    if (pass == 0 && !full) continue;
    for (int k = 0; k < count; k++) {
      size_t len = pass == 0 ? strlen(names[k]) : 3;
      if (*i + len > n) continue;
      if (strncasecmp(s + *i, names[k], len) == 0) {
        *i += len;
        return k;
      }
    }
  }
  return -1;
}

/* Reads an optionally signed decimal of 1..9 digits, like Integer.parseInt on a short field. */
static bool read_java_int(const char *s, size_t end, size_t *i, int64_t *v) {
  bool neg = false;
  if (*i < end && (s[*i] == '+' || s[*i] == '-')) neg = s[(*i)++] == '-';
  if (!read_num(s, end, i, 1, 9, v)) return false;
  if (neg) *v = -*v;
  return true;
}

/* java.sql.Timestamp.valueOf ("yyyy-[m]m-[d]d hh:mm:ss[.f{1,9}]") or, without a blank,
 * java.sql.Date.valueOf ("yyyy-[m]m-[d]d"): Flink's fallback when a TO_TIMESTAMP pattern does
 * not match. Month and day are range-checked (1..12, 1..31) but then roll over leniently like
 * java.util.Date: Feb 30 is Mar 1, and the time fields are not checked at all (25:00 is 01:00
 * of the next day). */
static int java_sql_valueof(const char *s, size_t n, int64_t *out) {
  trim(&s, &n);
  size_t sp = n;
  for (size_t k = 0; k < n; k++) {
    if (s[k] == ' ') { sp = k; break; }
  }
  size_t i = 0;
  int64_t y, m, d;
  if (!read_num(s, sp, &i, 4, 4, &y) || i >= sp || s[i++] != '-') return SL_EFORMAT;
  if (!read_num(s, sp, &i, 1, 2, &m) || i >= sp || s[i++] != '-') return SL_EFORMAT;
  if (!read_num(s, sp, &i, 1, 2, &d) || i != sp) return SL_EFORMAT;
  if (m < 1 || m > 12 || d < 1 || d > 31) return SL_EFORMAT;
  int64_t days = sl_days_from_civil(y, (int)m, 1) + d - 1;
  int64_t secs = 0, nanos = 0;
  if (sp < n) {
    i = sp + 1;
    int64_t h, mi, sec;
    if (!read_java_int(s, n, &i, &h) || i >= n || s[i++] != ':') return SL_EFORMAT;
    if (!read_java_int(s, n, &i, &mi) || i >= n || s[i++] != ':') return SL_EFORMAT;
    if (!read_java_int(s, n, &i, &sec)) return SL_EFORMAT;
    if (i < n) {
      if (s[i++] != '.') return SL_EFORMAT;
      size_t start = i;
      if (!read_frac(s, n, &i, &nanos) || i - start > 9 || i != n) return SL_EFORMAT;
    }
    secs = (h * 60 + mi) * 60 + sec;
  }
  *out = days * SL_MICROS_PER_DAY + secs * SL_MICROS_PER_SEC + nanos / 1000;
  return 0;
}

int sl_ts_parse_pattern(const char *s, size_t n, const char *pat, size_t plen, int64_t *out) {
  int64_t y = 1970, mo = 1, d = 1, doy = -1, hh = 0, mi = 0, ss = 0, nanos = 0;
  int ampm = -1, h12 = -1, dow = 0;
  size_t i = 0;
  pat_iter it = {pat, plen, 0, false, false};
  pat_tok t;
  while (next_tok(&it, &t)) {
    if (!t.letter) {
      if (i + t.lit_len > n || memcmp(s + i, t.lit, t.lit_len) != 0) goto fallback;
      i += t.lit_len;
      continue;
    }
    int c = t.count;
    /* DateTimeFormatter's widths: one letter reads 1..n digits, more letters exactly that many
     * (year: "yy" two, "yyyy" four or more; fraction: exactly c; day of year: c..3). When a
     * variable-width field runs straight into another number ("yyyyMMdd"), its own count is
     * taken, which is what adjacent value parsing yields for well-formed input. */
    int minw = c, maxw;
    switch (t.letter) {
      case 'y':
      case 'u': maxw = c == 2 ? 2 : 18; break;
      case 'S': maxw = c; break;
      case 'D': maxw = c > 3 ? c : 3; break;
      default: maxw = c == 1 ? 18 : c; break;
    }
    pat_iter peek = it;
    pat_tok nt;
    if (next_tok(&peek, &nt) && is_numeric_tok(&nt)) maxw = minw;
    int64_t v = 0;
    switch (t.letter) {
      case 'y':
      case 'u':
        if (c == 2) {
          if (!read_num(s, n, &i, 2, 2, &v)) goto fallback;
          y = 2000 + v; /* DateTimeFormatter's base year 2000 for "yy" */
        } else {
          if (!read_num(s, n, &i, minw, maxw, &v)) goto fallback;
          y = v;
        }
        break;
      case 'M':
      case 'L':
        if (c >= 3) {
          int k = match_name(s, n, &i, month_names, 12, c >= 4);
          if (k < 0) goto fallback;
          mo = k + 1;
        } else {
          if (!read_num(s, n, &i, minw, maxw, &mo)) goto fallback;
        }
        break;
      case 'd': if (!read_num(s, n, &i, minw, maxw, &d)) goto fallback; break;
      case 'D': if (!read_num(s, n, &i, minw, maxw, &doy)) goto fallback; break;
      case 'H': if (!read_num(s, n, &i, minw, maxw, &hh)) goto fallback; break;
      case 'k':
        if (!read_num(s, n, &i, minw, maxw, &hh)) goto fallback;
        if (hh == 24) hh = 0;
        break;
      case 'h':
      case 'K': {
        int64_t hv;
        if (!read_num(s, n, &i, minw, maxw, &hv)) goto fallback;
        if (t.letter == 'h' && (hv < 1 || hv > 12)) goto fallback;
        if (t.letter == 'K' && hv > 11) goto fallback;
        h12 = (int)(hv % 12);
        break;
      }
      case 'm': if (!read_num(s, n, &i, minw, maxw, &mi)) goto fallback; break;
      case 's': if (!read_num(s, n, &i, minw, maxw, &ss)) goto fallback; break;
      case 'S': {
        size_t start = i;
        int64_t f = 0;
        if (!read_num(s, n, &i, minw, maxw, &f)) goto fallback;
        for (size_t k = i - start; k < 9; k++) f *= 10;
        nanos = f;
        break;
      }
      case 'a':
        if (i + 2 <= n && strncasecmp(s + i, "AM", 2) == 0) ampm = 0;
        else if (i + 2 <= n && strncasecmp(s + i, "PM", 2) == 0) ampm = 1;
        else goto fallback;
        i += 2;
        break;
      case 'E': {
        int k = match_name(s, n, &i, day_names, 7, c >= 4);
        if (k < 0) goto fallback;
        dow = k + 1;
        break;
      }
      case 'G':
        if (i + 2 <= n && (strncasecmp(s + i, "AD", 2) == 0 || strncasecmp(s + i, "BC", 2) == 0)) i += 2;
        else goto fallback;
        break;
      default: return SL_EFORMAT;
    }
  }
  if (it.bad) return SL_EFORMAT;
  if (i != n) goto fallback;
  if (h12 >= 0) hh = h12 + (ampm == 1 ? 12 : 0);
  else if (ampm == 1 && hh < 12) hh += 12;
  if (hh > 23 || mi > 59 || ss > 59) goto fallback;
  int64_t days;
  if (doy >= 0) {
    if (y < 0 || y > 9999 || doy < 1 || doy > (is_leap(y) ? 366 : 365)) goto fallback;
    days = sl_days_from_civil(y, 1, 1) + doy - 1;
  } else {
    /* The SMART resolver clamps an over-long day of month: Feb 30 -> Feb 29 (28). */
    if (mo >= 1 && mo <= 12 && d >= 29 && d <= 31 && y >= 0 && y <= 9999 &&
        d > days_in_month(y, (int)mo))
      d = days_in_month(y, (int)mo);
    if (!valid_ymd(y, (int)mo, (int)d)) goto fallback;
    days = sl_days_from_civil(y, (int)mo, (int)d);
  }
  if (dow && dow != iso_dow(days)) goto fallback; /* "Conflict found" in java.time */
  *out = days * SL_MICROS_PER_DAY + ((hh * 60 + mi) * 60 + ss) * SL_MICROS_PER_SEC + nanos / 1000;
  return 0;
fallback:
  /* Flink falls back to java.sql.Timestamp.valueOf / Date.valueOf so that '1999-9-10 05:20:10'
   * still parses under 'yyyy-MM-dd HH:mm:ss' (DateTimeUtils.parseTimestampData(str, format)). */
  return java_sql_valueof(s, n, out);
}

/* ---- EXTRACT --------------------------------------------------------------------------------- */

/* Follows Flink's DateTimeUtils.extractFromDate / convertExtract: DOW is Sunday=1..Saturday=7,
 * ISODOW Monday=1..Sunday=7, WEEK the ISO week, DECADE year/10, CENTURY and MILLENNIUM
 * 1-based, MILLISECOND/MICROSECOND/NANOSECOND the fraction within the second, EPOCH seconds.
 * Unlike Flink's truncating '%', times before 1970 use floor arithmetic (Flink yields negative
 * hours there, which is a bug rather than a semantic). */
static int extract_date(int unit, int64_t days, int64_t *out) {
  int64_t y;
  int m, d;
  sl_civil_from_days(days, &y, &m, &d);
  switch (unit) {
    case SL_UNIT_YEAR: *out = y; return 0;
    case SL_UNIT_QUARTER: *out = (m + 2) / 3; return 0;
    case SL_UNIT_MONTH: *out = m; return 0;
    case SL_UNIT_DAY: *out = d; return 0;
    case SL_UNIT_DOW: *out = iso_dow(days) % 7 + 1; return 0;
    case SL_UNIT_ISODOW: *out = iso_dow(days); return 0;
    case SL_UNIT_DOY: *out = days - sl_days_from_civil(y, 1, 1) + 1; return 0;
    case SL_UNIT_WEEK:
    case SL_UNIT_ISOYEAR: {
      int64_t wy;
      int wk;
      iso_week(days, &wy, &wk);
      *out = unit == SL_UNIT_WEEK ? wk : wy;
      return 0;
    }
    case SL_UNIT_DECADE: *out = y / 10; return 0;
    case SL_UNIT_CENTURY: *out = y > 0 ? (y + 99) / 100 : (y - 99) / 100; return 0;
    case SL_UNIT_MILLENNIUM: *out = y > 0 ? (y + 999) / 1000 : (y - 999) / 1000; return 0;
    default: return SL_EINVAL;
  }
}

static int extract_time(int unit, int64_t tod, int64_t *out) {
  int64_t secs = tod / SL_MICROS_PER_SEC, us = tod % SL_MICROS_PER_SEC;
  switch (unit) {
    case SL_UNIT_HOUR: *out = secs / 3600; return 0;
    case SL_UNIT_MINUTE: *out = secs / 60 % 60; return 0;
    case SL_UNIT_SECOND: *out = secs % 60; return 0;
    case SL_UNIT_MILLISECOND: *out = us / 1000; return 0;
    case SL_UNIT_MICROSECOND: *out = us; return 0;
    case SL_UNIT_NANOSECOND: *out = us * 1000; return 0;
    default: return SL_EINVAL;
  }
}

int sl_extract(int unit, int kind, int64_t v, int64_t *out) {
  switch (kind) {
    case SL_TYPE_DATE:
      if (unit == SL_UNIT_EPOCH) {
        *out = v * 86400;
        return 0;
      }
      return extract_date(unit, v, out);
    case SL_TYPE_TIME: return extract_time(unit, sl_floor_mod(v, SL_MICROS_PER_DAY), out);
    case SL_TYPE_TIMESTAMP:
    case SL_TYPE_TIMESTAMP_LTZ: {
      if (unit == SL_UNIT_EPOCH) {
        *out = sl_floor_div(v, SL_MICROS_PER_SEC);
        return 0;
      }
      int64_t days = sl_floor_div(v, SL_MICROS_PER_DAY);
      int64_t tod = v - days * SL_MICROS_PER_DAY;
      if (extract_date(unit, days, out) == 0) return 0;
      return extract_time(unit, tod, out);
    }
    case SL_TYPE_INTERVAL_YM:
      /* Calcite/Flink: YEAR = v / 12, MONTH = v % 12 (sign kept). */
      if (unit == SL_UNIT_YEAR) { *out = v / 12; return 0; }
      if (unit == SL_UNIT_MONTH) { *out = v % 12; return 0; }
      return SL_EINVAL;
    case SL_TYPE_INTERVAL_DT:
      /* (v % factor) / multiplier with truncation, as Flink's ExtractCallGen does. */
      switch (unit) {
        case SL_UNIT_DAY: *out = v / SL_MICROS_PER_DAY; return 0;
        case SL_UNIT_HOUR: *out = v % SL_MICROS_PER_DAY / (3600 * SL_MICROS_PER_SEC); return 0;
        case SL_UNIT_MINUTE: *out = v % (3600 * SL_MICROS_PER_SEC) / (60 * SL_MICROS_PER_SEC); return 0;
        case SL_UNIT_SECOND: *out = v % (60 * SL_MICROS_PER_SEC) / SL_MICROS_PER_SEC; return 0;
        case SL_UNIT_MILLISECOND: *out = v % SL_MICROS_PER_SEC / 1000; return 0;
        case SL_UNIT_MICROSECOND: *out = v % SL_MICROS_PER_SEC; return 0;
        case SL_UNIT_EPOCH: *out = v / SL_MICROS_PER_SEC; return 0;
        default: return SL_EINVAL;
      }
    default: return SL_EINVAL;
  }
}

/* ---- INTERVAL literals ----------------------------------------------------------------------- */

/* Parses the interval string for a qualifier, e.g. '2 03:04:05.5' DAY TO SECOND. Following
 * Calcite's SqlIntervalQualifier, the leading field is not range-checked (its digit count is
 * capped so the microseconds stay within 64 bits: 8 for DAY, 9 for HOUR, 11 for MINUTE, 12 for
 * SECOND),
 * the trailing ones are range-checked (MONTH 0..11, HOUR 0..23, MINUTE and SECOND 0..59), a sign
 * may precede the text, and SECOND takes up to 9 fraction digits (truncated to micros). */
int sl_interval_parse(const char *s, size_t n, int unit_from, int unit_to, bool *year_month,
                      int64_t *out) {
  trim(&s, &n);
  size_t i = 0;
  bool neg = false;
  if (i < n && (s[i] == '-' || s[i] == '+')) neg = s[i++] == '-';
  if (unit_to == SL_UNIT_NONE || unit_to == unit_from) unit_to = unit_from;
  int64_t v = 0, a, b, c, nanos = 0;
  bool ym = false;
#define NUM(var, maxd) if (!read_num(s, n, &i, 1, (maxd), &(var))) return SL_EFORMAT
#define SEP(ch) if (i >= n || s[i++] != (ch)) return SL_EFORMAT
#define FRAC() if (i < n && s[i] == '.') { i++; if (!read_frac(s, n, &i, &nanos)) return SL_EFORMAT; }
  const int64_t US = SL_MICROS_PER_SEC, MIN = 60 * US, HOUR = 3600 * US, DAY = SL_MICROS_PER_DAY;
  switch (unit_from * 100 + unit_to) {
    case SL_UNIT_YEAR * 100 + SL_UNIT_YEAR:
      NUM(a, 9); ym = true; v = a * 12; break;
    case SL_UNIT_YEAR * 100 + SL_UNIT_MONTH:
      NUM(a, 9); SEP('-'); NUM(b, 2);
      if (b > 11) return SL_EFORMAT;
      ym = true; v = a * 12 + b; break;
    case SL_UNIT_QUARTER * 100 + SL_UNIT_QUARTER:
      NUM(a, 9); ym = true; v = a * 3; break;
    case SL_UNIT_MONTH * 100 + SL_UNIT_MONTH:
      NUM(a, 10); ym = true; v = a; break;
    case SL_UNIT_WEEK * 100 + SL_UNIT_WEEK:
      NUM(a, 7); v = a * 7 * DAY; break;
    case SL_UNIT_DAY * 100 + SL_UNIT_DAY:
      NUM(a, 8); v = a * DAY; break;
    case SL_UNIT_DAY * 100 + SL_UNIT_HOUR:
      NUM(a, 8); SEP(' '); NUM(b, 2);
      if (b > 23) return SL_EFORMAT;
      v = a * DAY + b * HOUR; break;
    case SL_UNIT_DAY * 100 + SL_UNIT_MINUTE:
      NUM(a, 8); SEP(' '); NUM(b, 2); SEP(':'); NUM(c, 2);
      if (b > 23 || c > 59) return SL_EFORMAT;
      v = a * DAY + b * HOUR + c * MIN; break;
    case SL_UNIT_DAY * 100 + SL_UNIT_SECOND: {
      int64_t sec;
      NUM(a, 8); SEP(' '); NUM(b, 2); SEP(':'); NUM(c, 2); SEP(':'); NUM(sec, 2); FRAC();
      if (b > 23 || c > 59 || sec > 59) return SL_EFORMAT;
      v = a * DAY + b * HOUR + c * MIN + sec * US + nanos / 1000; break;
    }
    case SL_UNIT_HOUR * 100 + SL_UNIT_HOUR:
      NUM(a, 9); v = a * HOUR; break;
    case SL_UNIT_HOUR * 100 + SL_UNIT_MINUTE:
      NUM(a, 9); SEP(':'); NUM(b, 2);
      if (b > 59) return SL_EFORMAT;
      v = a * HOUR + b * MIN; break;
    case SL_UNIT_HOUR * 100 + SL_UNIT_SECOND: {
      int64_t sec;
      NUM(a, 9); SEP(':'); NUM(b, 2); SEP(':'); NUM(sec, 2); FRAC();
      if (b > 59 || sec > 59) return SL_EFORMAT;
      v = a * HOUR + b * MIN + sec * US + nanos / 1000; break;
    }
    case SL_UNIT_MINUTE * 100 + SL_UNIT_MINUTE:
      NUM(a, 11); v = a * MIN; break;
    case SL_UNIT_MINUTE * 100 + SL_UNIT_SECOND: {
      int64_t sec;
      NUM(a, 11); SEP(':'); NUM(sec, 2); FRAC();
      if (sec > 59) return SL_EFORMAT;
      v = a * MIN + sec * US + nanos / 1000; break;
    }
    case SL_UNIT_SECOND * 100 + SL_UNIT_SECOND:
      NUM(a, 12); FRAC();
      v = a * US + nanos / 1000; break;
    default: return SL_EFORMAT;
  }
#undef NUM
#undef SEP
#undef FRAC
  if (i != n) return SL_EFORMAT;
  *year_month = ym;
  *out = neg ? -v : v;
  return 0;
}

/* Flink's DateTimeUtils.formatIntervalYearMonth ("+1-06") and formatIntervalDayTime
 * ("+0 00:05:00.000", milliseconds, the day count unpadded). */
int sl_interval_format(int64_t v, bool year_month, char *buf) {
  char sign = v < 0 ? '-' : '+';
  uint64_t m = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
  if (year_month) return sprintf(buf, "%c%llu-%02llu", sign, (unsigned long long)(m / 12),
                                 (unsigned long long)(m % 12));
  uint64_t ms = m / 1000;
  uint64_t s = ms / 1000;
  return sprintf(buf, "%c%llu %02llu:%02llu:%02llu.%03llu", sign, (unsigned long long)(s / 86400),
                 (unsigned long long)(s / 3600 % 24), (unsigned long long)(s / 60 % 60),
                 (unsigned long long)(s % 60), (unsigned long long)(ms % 1000));
}
