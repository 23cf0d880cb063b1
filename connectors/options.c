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

/* A unit of a scaled option value: its spellings (NULL-terminated) and what it multiplies by. */
typedef struct unit {
  const char *names[7];
  int64_t mul;
} unit;

/* "<integer> [unit]" with the unit from units (ending with mul 0), scaled; else an error that
 * shows `example`. */
static int scaled_option(sl_options *o, const char *key, int64_t dflt, int64_t *out, sl_err *err, const unit *units,
                         const char *example) {
  sl_option *opt = sl_options_find(o, key);
  *out = dflt;
  if (!opt) return 0;
  opt->used = true;
  long long n;
  const char *u;
  int64_t mul = 0;
  if (number_and_unit(opt->value, &n, &u))
    for (const unit *x = units; x->mul && !mul; x++)
      for (const char *const *name = x->names; *name; name++)
        if (!strcasecmp(u, *name)) mul = x->mul;
  if (!mul || n > INT64_MAX / mul)
    return sl_err_set(err, SL_ECONFIG, opt->value_loc, "option '%s' must be %s, not '%s'", key, example, opt->value);
  *out = n * mul;
  return 0;
}

int sl_options_duration(sl_options *o, const char *key, int64_t dflt, int64_t *out, sl_err *err) {
  static const unit units[] = {
    {{"", "ms", "milli", "millis", "millisecond", "milliseconds"}, 1000},
    {{"s", "sec", "secs", "second", "seconds"}, 1000000},
    {{"min", "m", "mins", "minute", "minutes"}, 60000000LL},
    {{"h", "hour", "hours"}, 3600000000LL},
    {{"d", "day", "days"}, 86400000000LL},
    {{NULL}, 0},
  };
  return scaled_option(o, key, dflt, out, err, units, "a duration such as '10 s', '500 ms' or '1 h'");
}

int sl_options_size(sl_options *o, const char *key, int64_t dflt, int64_t *out, sl_err *err) {
  static const unit units[] = {
    {{"", "b", "bytes"}, 1},
    {{"k", "kb", "kibibytes"}, 1LL << 10},
    {{"m", "mb", "mebibytes"}, 1LL << 20},
    {{"g", "gb", "gibibytes"}, 1LL << 30},
    {{"t", "tb", "tebibytes"}, 1LL << 40},
    {{NULL}, 0},
  };
  return scaled_option(o, key, dflt, out, err, units, "a memory size such as '64 mb'");
}
