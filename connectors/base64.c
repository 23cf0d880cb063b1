/* base64.c - standard base64 (RFC 4648, with padding). */
#include <stdbool.h>
#include <stdint.h>

#include "base64.h"

static const char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

void sl_base64_encode(const void *p, size_t n, sl_buf *out) {
  const unsigned char *s = p;
  sl_buf_reserve(out, (n + 2) / 3 * 4);
  size_t i = 0;
  for (; i + 3 <= n; i += 3) {
    uint32_t v = (uint32_t)s[i] << 16 | (uint32_t)s[i + 1] << 8 | s[i + 2];
    char q[4] = {alphabet[v >> 18], alphabet[(v >> 12) & 63], alphabet[(v >> 6) & 63], alphabet[v & 63]};
    sl_buf_add(out, q, 4);
  }
  if (i < n) {
    uint32_t v = (uint32_t)s[i] << 16 | (i + 1 < n ? (uint32_t)s[i + 1] << 8 : 0);
    char q[4] = {alphabet[v >> 18], alphabet[(v >> 12) & 63], i + 1 < n ? alphabet[(v >> 6) & 63] : '=', '='};
    sl_buf_add(out, q, 4);
  }
}

/* 0..63 for alphabet characters, 64 for '=', 255 for anything else. */
static unsigned char value_of(char c) {
  if (c >= 'A' && c <= 'Z') return (unsigned char)(c - 'A');
  if (c >= 'a' && c <= 'z') return (unsigned char)(c - 'a' + 26);
  if (c >= '0' && c <= '9') return (unsigned char)(c - '0' + 52);
  if (c == '+') return 62;
  if (c == '/') return 63;
  if (c == '=') return 64;
  return 255;
}

int sl_base64_decode(const char *s, size_t n, sl_buf *out) {
  if (n % 4) return -1;
  sl_buf_reserve(out, n / 4 * 3);
  for (size_t i = 0; i < n; i += 4) {
    unsigned char a = value_of(s[i]), b = value_of(s[i + 1]), c = value_of(s[i + 2]), d = value_of(s[i + 3]);
    bool last = i + 4 == n;
    if (a > 63 || b > 63 || c == 255 || d == 255 || (!last && (c == 64 || d == 64)) || (c == 64 && d != 64))
      return -1;
    uint32_t v = (uint32_t)a << 18 | (uint32_t)b << 12 | (uint32_t)(c & 63) << 6 | (d & 63);
    char q[3] = {(char)(v >> 16), (char)(v >> 8), (char)v};
    sl_buf_add(out, q, c == 64 ? 1 : d == 64 ? 2 : 3);
  }
  return 0;
}
