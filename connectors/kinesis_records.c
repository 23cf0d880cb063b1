/* kinesis_records.c - reads a GetRecords answer in one pass without building a document: the
 * records' sequence numbers, data (base64) and arrival times, and the next shard iterator, as
 * NUL-terminated strings inside the answer's own buffer (closing quotes become NULs, escaped
 * strings are unescaped in place). A document tree cost five times the rest of reading a record. */
#include <stdlib.h>
#include <string.h>

#include "kinesis_records.h"

#define MAX_DEPTH 64

static const char *ws(const char *p, const char *e) {
  while (p < e && (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')) p++;
  return p;
}

static int hex4(const char *p) {
  int v = 0;
  for (int i = 0; i < 4; i++) {
    char c = p[i];
    v <<= 4;
    if (c >= '0' && c <= '9') v |= c - '0';
    else if (c >= 'a' && c <= 'f') v |= c - 'a' + 10;
    else if (c >= 'A' && c <= 'F') v |= c - 'A' + 10;
    else return -1;
  }
  return v;
}

/* Unescapes s[0..n) in place (the result is never longer); returns its length or -1. */
static long unescape(char *s, size_t n) {
  char *w = s;
  for (size_t i = 0; i < n; i++) {
    if (s[i] != '\\') {
      *w++ = s[i];
      continue;
    }
    if (++i >= n) return -1;
    switch (s[i]) {
    case '"': case '\\': case '/': *w++ = s[i]; break;
    case 'b': *w++ = '\b'; break;
    case 'f': *w++ = '\f'; break;
    case 'n': *w++ = '\n'; break;
    case 'r': *w++ = '\r'; break;
    case 't': *w++ = '\t'; break;
    case 'u': {
      if (i + 4 >= n) return -1;
      int cp = hex4(s + i + 1);
      if (cp < 0) return -1;
      i += 4;
      /* Surrogate pairs are left as two code points: Kinesis' own fields are ASCII. */
      if (cp < 0x80) *w++ = (char)cp;
      else if (cp < 0x800) {
        *w++ = (char)(0xC0 | (cp >> 6));
        *w++ = (char)(0x80 | (cp & 0x3F));
      } else {
        *w++ = (char)(0xE0 | (cp >> 12));
        *w++ = (char)(0x80 | ((cp >> 6) & 0x3F));
        *w++ = (char)(0x80 | (cp & 0x3F));
      }
      break;
    }
    default: return -1;
    }
  }
  return w - s;
}

/* A string at p ('"'): *out gets it NUL-terminated in place. Returns the position after it. */
static char *string_at(char *p, char *e, char **out) {
  if (p >= e || *p != '"') return NULL;
  char *s = ++p;
  bool esc = false;
  while (p < e && *p != '"') {
    if (*p == '\\') {
      esc = true;
      p++;
    }
    p++;
  }
  if (p >= e) return NULL;
  size_t n = (size_t)(p - s);
  if (esc) {
    long m = unescape(s, n);
    if (m < 0) return NULL;
    n = (size_t)m;
  }
  s[n] = 0;
  *out = s;
  return p + 1;
}

static char *skip_value(char *p, char *e, int depth) {
  p = (char *)ws(p, e);
  if (p >= e || depth > MAX_DEPTH) return NULL;
  if (*p == '"') {
    char *s;
    return string_at(p, e, &s);
  }
  if (*p == '{' || *p == '[') {
    char close = *p == '{' ? '}' : ']';
    p = (char *)ws(p + 1, e);
    if (p < e && *p == close) return p + 1;
    for (;;) {
      if (close == '}') {
        char *k;
        if (!(p = string_at((char *)ws(p, e), e, &k))) return NULL;
        p = (char *)ws(p, e);
        if (p >= e || *p++ != ':') return NULL;
      }
      if (!(p = skip_value(p, e, depth + 1))) return NULL;
      p = (char *)ws(p, e);
      if (p >= e) return NULL;
      if (*p == close) return p + 1;
      if (*p++ != ',') return NULL;
    }
  }
  /* number, true, false, null */
  char *s = p;
  while (p < e && (strchr("+-.0123456789eE", *p) || (*p >= 'a' && *p <= 'z'))) p++;
  return p > s ? p : NULL;
}

/* One element of "Records". */
static char *record_at(char *p, char *e, sl_kin_record *r) {
  memset(r, 0, sizeof *r);
  p = (char *)ws(p, e);
  if (p >= e || *p != '{') return NULL;
  p = (char *)ws(p + 1, e);
  if (p < e && *p == '}') return p + 1;
  for (;;) {
    char *k;
    if (!(p = string_at((char *)ws(p, e), e, &k))) return NULL;
    p = (char *)ws(p, e);
    if (p >= e || *p++ != ':') return NULL;
    p = (char *)ws(p, e);
    if (!strcmp(k, "SequenceNumber")) p = string_at(p, e, &r->seq);
    else if (!strcmp(k, "Data")) {
      char *d = NULL;
      p = string_at(p, e, &d);
      r->data = d;
      r->data_len = d ? strlen(d) : 0;
    } else if (!strcmp(k, "ApproximateArrivalTimestamp") && p < e && *p != '"') {
      char *end;
      r->arrival = strtod(p, &end);
      r->has_arrival = end > p;
      p = r->has_arrival ? end : NULL;
    } else p = skip_value(p, e, 1);
    if (!p) return NULL;
    p = (char *)ws(p, e);
    if (p >= e) return NULL;
    if (*p == '}') return p + 1;
    if (*p++ != ',') return NULL;
  }
}

int sl_kin_records_parse(char *body, size_t len, sl_kin_records *out) {
  char *p = body, *e = body + len;
  out->n = 0;
  out->next_iterator = NULL;
  bool have_records = false;
  p = (char *)ws(p, e);
  if (p >= e || *p++ != '{') return -1;
  p = (char *)ws(p, e);
  if (p < e && *p == '}') return -1;
  for (;;) {
    char *k;
    if (!(p = string_at((char *)ws(p, e), e, &k))) return -1;
    p = (char *)ws(p, e);
    if (p >= e || *p++ != ':') return -1;
    p = (char *)ws(p, e);
    if (!strcmp(k, "Records")) {
      if (p >= e || *p++ != '[') return -1;
      have_records = true;
      p = (char *)ws(p, e);
      if (p < e && *p == ']') p++;
      else
        for (;;) {
          if (out->n == out->cap) {
            out->cap = out->cap ? out->cap * 2 : 256;
            out->recs = realloc(out->recs, sizeof(sl_kin_record) * out->cap);
            if (!out->recs) abort();
          }
          if (!(p = record_at(p, e, &out->recs[out->n]))) return -1;
          if (!out->recs[out->n].seq || !out->recs[out->n].data) return -1;
          out->n++;
          p = (char *)ws(p, e);
          if (p >= e) return -1;
          if (*p == ']') {
            p++;
            break;
          }
          if (*p++ != ',') return -1;
        }
    } else if (!strcmp(k, "NextShardIterator") && p < e && *p == '"') {
      p = string_at(p, e, &out->next_iterator);
    } else {
      p = skip_value(p, e, 1);
    }
    if (!p) return -1;
    p = (char *)ws(p, e);
    if (p >= e) return -1;
    if (*p == '}') break;
    if (*p++ != ',') return -1;
  }
  return have_records ? 0 : -1;
}

void sl_kin_records_free(sl_kin_records *r) {
  free(r->recs);
  memset(r, 0, sizeof *r);
}
