/* options.c - lookup and validation of table options. */
#include "options.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

sl_option *sl_options_find(sl_options *o, const char *key) {
  for (int i = 0; o && i < o->n; i++)
    if (strcmp(o->items[i].key, key) == 0) return &o->items[i];
  return NULL;
}

const char *sl_options_get(sl_options *o, const char *key) {
  sl_option *opt = sl_options_find(o, key);
  if (!opt) return NULL;
  opt->used = true;
  return opt->value;
}

int sl_options_bool(sl_options *o, const char *key, bool dflt, bool *out, sl_err *err) {
  sl_option *opt = sl_options_find(o, key);
  *out = dflt;
  if (!opt) return 0;
  opt->used = true;
  if (strcasecmp(opt->value, "true") == 0) *out = true;
  else if (strcasecmp(opt->value, "false") == 0) *out = false;
  else
    return sl_err_set(err, SL_ECONFIG, opt->value_loc, "option '%s' must be 'true' or 'false', not '%s'",
                      key, opt->value);
  return 0;
}

int sl_options_int(sl_options *o, const char *key, int64_t dflt, int64_t *out, sl_err *err) {
  sl_option *opt = sl_options_find(o, key);
  *out = dflt;
  if (!opt) return 0;
  opt->used = true;
  char *end;
  errno = 0;
  long long v = strtoll(opt->value, &end, 10);
  if (errno || end == opt->value || *end)
    return sl_err_set(err, SL_ECONFIG, opt->value_loc, "option '%s' must be an integer, not '%s'", key,
                      opt->value);
  *out = v;
  return 0;
}

/* Flink unescapes these values Java-style ('\t', '\u0001'), so a tab delimiter can be written
 * in plain SQL text. Only single-byte characters fit a char. */
static int unescape_char(const char *v, char *out) {
  size_t n = strlen(v);
  if (n == 1) {
    *out = v[0];
    return 0;
  }
  if (n == 2 && v[0] == '\\') {
    switch (v[1]) {
      case 't': *out = '\t'; return 0;
      case 'n': *out = '\n'; return 0;
      case 'r': *out = '\r'; return 0;
      case 'b': *out = '\b'; return 0;
      case 'f': *out = '\f'; return 0;
      case '0': *out = '\0'; return 0;
      case '\\': *out = '\\'; return 0;
      case '\'': *out = '\''; return 0;
      case '"': *out = '"'; return 0;
      default: return -1;
    }
  }
  if (n == 6 && v[0] == '\\' && v[1] == 'u') {
    unsigned cp = 0;
    for (int i = 2; i < 6; i++) {
      char c = v[i];
      unsigned d = c >= '0' && c <= '9' ? (unsigned)(c - '0') : c >= 'a' && c <= 'f' ? (unsigned)(c - 'a' + 10)
                 : c >= 'A' && c <= 'F' ? (unsigned)(c - 'A' + 10) : 16u;
      if (d > 15) return -1;
      cp = cp * 16 + d;
    }
    if (cp > 0x7F) return -1;
    *out = (char)cp;
    return 0;
  }
  return -1;
}

int sl_options_char(sl_options *o, const char *key, char dflt, char *out, sl_err *err) {
  sl_option *opt = sl_options_find(o, key);
  *out = dflt;
  if (!opt) return 0;
  opt->used = true;
  if (unescape_char(opt->value, out) != 0)
    return sl_err_set(err, SL_ECONFIG, opt->value_loc, "option '%s' must be a single character, not '%s'",
                      key, opt->value);
  return 0;
}

int sl_options_check_unused(const sl_options *o, const char *what, sl_err *err) {
  for (int i = 0; o && i < o->n; i++)
    if (!o->items[i].used)
      return sl_err_set(err, SL_ECONFIG, o->items[i].key_loc, "unsupported option '%s' for %s",
                        o->items[i].key, what);
  return 0;
}

/* Splits "<integer> [unit]" (spaces allowed between); false when there is no integer. */
static bool number_and_unit(const char *v, long long *n, const char **unit) {
  char *end;
  errno = 0;
  *n = strtoll(v, &end, 10);
  if (errno || end == v || *n < 0) return false;
  while (*end == ' ') end++;
  *unit = end;
  return true;
}

static bool unit_is(const char *u, const char *const *names) {
  for (; *names; names++)
    if (!strcasecmp(u, *names)) return true;
  return false;
}

int sl_options_duration(sl_options *o, const char *key, int64_t dflt, int64_t *out, sl_err *err) {
  sl_option *opt = sl_options_find(o, key);
  *out = dflt;
  if (!opt) return 0;
  opt->used = true;
  static const char *const ms[] = {"", "ms", "milli", "millis", "millisecond", "milliseconds", NULL};
  static const char *const s[] = {"s", "sec", "secs", "second", "seconds", NULL};
  static const char *const min[] = {"min", "m", "mins", "minute", "minutes", NULL};
  static const char *const h[] = {"h", "hour", "hours", NULL};
  static const char *const d[] = {"d", "day", "days", NULL};
  long long n;
  const char *u;
  int64_t mul = 0;
  if (number_and_unit(opt->value, &n, &u)) {
    if (unit_is(u, ms)) mul = 1000;
    else if (unit_is(u, s)) mul = 1000000;
    else if (unit_is(u, min)) mul = 60000000LL;
    else if (unit_is(u, h)) mul = 3600000000LL;
    else if (unit_is(u, d)) mul = 86400000000LL;
  }
  if (!mul || n > INT64_MAX / mul)
    return sl_err_set(err, SL_ECONFIG, opt->value_loc, "option '%s' must be a duration such as '10 s', '500 ms' or '1 h', not '%s'",
                      key, opt->value);
  *out = n * mul;
  return 0;
}

int sl_options_size(sl_options *o, const char *key, int64_t dflt, int64_t *out, sl_err *err) {
  sl_option *opt = sl_options_find(o, key);
  *out = dflt;
  if (!opt) return 0;
  opt->used = true;
  static const char *const b[] = {"", "b", "bytes", NULL};
  static const char *const k[] = {"k", "kb", "kibibytes", NULL};
  static const char *const m[] = {"m", "mb", "mebibytes", NULL};
  static const char *const g[] = {"g", "gb", "gibibytes", NULL};
  static const char *const t[] = {"t", "tb", "tebibytes", NULL};
  long long n;
  const char *u;
  int64_t mul = 0;
  if (number_and_unit(opt->value, &n, &u)) {
    if (unit_is(u, b)) mul = 1;
    else if (unit_is(u, k)) mul = 1LL << 10;
    else if (unit_is(u, m)) mul = 1LL << 20;
    else if (unit_is(u, g)) mul = 1LL << 30;
    else if (unit_is(u, t)) mul = 1LL << 40;
  }
  if (!mul || n > INT64_MAX / mul)
    return sl_err_set(err, SL_ECONFIG, opt->value_loc, "option '%s' must be a memory size such as '64 mb', not '%s'", key,
                      opt->value);
  *out = n * mul;
  return 0;
}
