/* like.c - SQL LIKE matching with %, _ and an escape character, with fast paths for the
 * common shapes ('abc', 'abc%', '%abc', '%abc%').
 *
 * The general matcher is the classic two-pointer wildcard walk: every non-% token consumes a
 * determined amount of input (a literal its bytes, '_' one UTF-8 code point), so on a mismatch
 * it suffices to retry from the most recent % with one more code point swallowed. That is
 * linear for most patterns and O(n*m) at worst, without recursion or allocation. Semantics are
 * those of Flink's SqlLikeUtils regex translation.
 */
#include <stdbool.h>
#include <stddef.h>
#include <string.h>

#include "value_text.h"

/* Length of the UTF-8 sequence starting with byte c (1 for invalid lead bytes). */
static size_t cp_len(unsigned char c) {
  if (c < 0x80) return 1;
  if ((c & 0xE0) == 0xC0) return 2;
  if ((c & 0xF0) == 0xE0) return 3;
  if ((c & 0xF8) == 0xF0) return 4;
  return 1;
}

static size_t next_cp(const char *s, size_t n, size_t i) {
  size_t l = cp_len((unsigned char)s[i]);
  return i + l > n ? n : i + l;
}

/* Flink turns '_' into the regex '.', which does not match a line terminator: \n, \r, U+0085,
 * U+2028, U+2029 ('%' becomes "(?s:.*)" and matches them). */
static bool line_terminator(const char *s, size_t n, size_t i) {
  unsigned char c = (unsigned char)s[i];
  if (c == '\n' || c == '\r') return true;
  if (c == 0xC2) return i + 1 < n && (unsigned char)s[i + 1] == 0x85;
  if (c == 0xE2)
    return i + 2 < n && (unsigned char)s[i + 1] == 0x80 &&
           ((unsigned char)s[i + 2] == 0xA8 || (unsigned char)s[i + 2] == 0xA9);
  return false;
}

/* Pattern without '_' and escapes whose '%' appear only at the ends: answered with memcmp and
 * memmem. Returns false when the shape does not apply (*handled stays false). */
static bool fast_shape(const char *s, size_t n, const char *pat, size_t pn, char escape,
                       bool *handled) {
  size_t a = 0, b = pn;
  while (a < b && pat[a] == '%') a++;
  while (b > a && pat[b - 1] == '%') b--;
  for (size_t k = a; k < b; k++) {
    char c = pat[k];
    if (c == '%' || c == '_' || (escape && c == escape)) return false;
  }
  *handled = true;
  bool lead = a > 0, trail = b < pn;
  const char *lit = pat + a;
  size_t ln = b - a;
  if (ln > n) return false;
  if (!lead && !trail) return ln == n && memcmp(s, lit, ln) == 0;
  if (!lead) return memcmp(s, lit, ln) == 0;
  if (!trail) return memcmp(s + n - ln, lit, ln) == 0;
  if (ln == 0) return true;
  return memmem(s, n, lit, ln) != NULL;
}

bool sl_like_match(const char *s, size_t n, const char *pat, size_t pn, char escape) {
  bool handled = false;
  bool r = fast_shape(s, n, pat, pn, escape, &handled);
  if (handled) return r;

  size_t si = 0, pi = 0;
  size_t star_p = (size_t)-1, star_s = 0; /* pattern index after the last %, input resume point */
  while (si < n) {
    if (pi < pn) {
      char c = pat[pi];
      if (escape && c == escape && pi + 1 < pn) {
        /* The escaped character is a literal, whatever it is. */
        if (s[si] == pat[pi + 1]) {
          si++;
          pi += 2;
          continue;
        }
      } else if (c == '%') {
        while (pi < pn && pat[pi] == '%') pi++;
        if (pi == pn) return true;
        star_p = pi;
        star_s = si;
        continue;
      } else if (c == '_') {
        if (!line_terminator(s, n, si)) {
          si = next_cp(s, n, si);
          pi++;
          continue;
        }
      } else if (s[si] == c) {
        si++;
        pi++;
        continue;
      }
    }
    if (star_p == (size_t)-1) return false;
    /* Let the last % swallow one more code point and retry. */
    star_s = next_cp(s, n, star_s);
    si = star_s;
    pi = star_p;
  }
  while (pi < pn && pat[pi] == '%') pi++;
  return pi == pn;
}
