/* fmt_json.c - the JSON format: a schema-directed single-pass decoder and a direct encoder.
 *
 * Decoding never builds a tree. One pass over the record's bytes: each field name is matched
 * to a column (first the column after the previous one, since producers write fields in a fixed
 * order, then a small open-addressing hash), and the value is parsed straight into the batch
 * slot for its column type: plain digits into int64/decimal, fixed-layout timestamps by
 * position, strings without escapes copied once into the batch arena. Unknown fields, nested
 * objects and arrays are skipped (still validated). Semantics follow Flink's JSON format
 * (JsonParserToRowDataConverters): JSON null and missing fields are NULL, numbers written as
 * strings are accepted for numeric columns, scalars become their text in string columns and
 * objects/arrays their compact JSON text; with 'json.ignore-parse-errors' a value that does not
 * convert becomes NULL and a record that is not valid JSON is skipped. Syntax errors report the
 * 0-based byte offset within the record. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "../engine/value_text.h"
#include "fmt_internal.h"

#define JSON_MAX_DEPTH 512

/* ================================================================== options */

typedef struct json_cfg {
  bool fail_missing, ignore_errors, iso, plain_decimal, ignore_null_fields;
} json_cfg;

/* Reads every option Flink's JSON format accepts, for decoders and encoders alike (Flink
 * validates the whole set on both sides). The map-null-key options only concern MAP columns,
 * which sluice does not have, and 'json.decode.json-parser.enabled' picks between two Flink
 * decoders that behave the same: they are validated and have no further effect. */
static int json_read_options(sl_options *opts, bool decoding, json_cfg *cfg, sl_err *err) {
  int rc;
  memset(cfg, 0, sizeof *cfg);
  bool unused;
  if ((rc = sl_options_bool(opts, "json.fail-on-missing-field", false, &cfg->fail_missing, err)) ||
      (rc = sl_options_bool(opts, "json.ignore-parse-errors", false, &cfg->ignore_errors, err)) ||
      (rc = sl_options_bool(opts, "json.encode.decimal-as-plain-number", false, &cfg->plain_decimal, err)) ||
      (rc = sl_options_bool(opts, "json.encode.ignore-null-fields", false, &cfg->ignore_null_fields, err)) ||
      (rc = sl_options_bool(opts, "json.decode.json-parser.enabled", true, &unused, err)))
    return rc;
  sl_option *o = sl_options_find(opts, "json.timestamp-format.standard");
  if (o) {
    o->used = true;
    if (strcmp(o->value, "ISO-8601") == 0) cfg->iso = true;
    else if (strcmp(o->value, "SQL") != 0)
      return sl_err_set(err, SL_ECONFIG, o->value_loc,
                        "option 'json.timestamp-format.standard' must be 'SQL' or 'ISO-8601', not '%s'", o->value);
  }
  o = sl_options_find(opts, "json.map-null-key.mode");
  if (o) {
    o->used = true;
    if (strcasecmp(o->value, "FAIL") && strcasecmp(o->value, "DROP") && strcasecmp(o->value, "LITERAL"))
      return sl_err_set(err, SL_ECONFIG, o->value_loc,
                        "option 'json.map-null-key.mode' must be 'FAIL', 'DROP' or 'LITERAL', not '%s'", o->value);
  }
  (void)sl_options_get(opts, "json.map-null-key.literal");
  if (decoding && cfg->fail_missing && cfg->ignore_errors) {
    o = sl_options_find(opts, "json.ignore-parse-errors");
    return sl_err_set(err, SL_ECONFIG, o ? o->key_loc : SL_ERR_NOLOC,
                      "options 'json.fail-on-missing-field' and 'json.ignore-parse-errors' cannot both be true");
  }
  return 0;
}

static void json_text_layout(bool iso, sl__fmt_text *t) {
  /* TimeFormats: SQL is "yyyy-MM-dd HH:mm:ss[.f]", ISO-8601 is ISO_LOCAL_DATE_TIME (seconds
   * optional); TIMESTAMP_LTZ adds a literal 'Z' in both; TIME is "HH:mm:ss[.f]". */
  memset(t, 0, sizeof *t);
  t->ts_sep = iso ? 'T' : ' ';
  t->ts_need_sec = !iso;
  t->ltz_z = true;
  t->time_need_sec = true;
}

/* ================================================================== scanning */

typedef struct json_dec {
  sl_fmt_dec base;
  int ncols;
  sl__fmt_col *cols;
  json_cfg cfg;
  sl__fmt_text text;
  uint32_t *seen; /* seen[c] == gen: column c was set in the current record */
  uint32_t gen;
  uint16_t *slots; /* open addressing: column + 1, 0 = empty */
  uint32_t mask;
  char *scratch; /* unescaped non-string values and field names */
  size_t scap;
} json_dec;

/* Position and cause of a syntax error. */
typedef struct jparse {
  const char *end;
  const char *epos;
  const char *emsg;
} jparse;

static inline bool is_digit(char c) { return (unsigned char)(c - '0') < 10; }

static const char *jerr(jparse *jp, const char *at, const char *msg) {
  jp->epos = at;
  jp->emsg = msg;
  return NULL;
}

static inline const char *ws(const char *p, const char *e) {
  while (p < e && (*p == ' ' || *p == '\n' || *p == '\r' || *p == '\t')) p++;
  return p;
}

#define ONES UINT64_C(0x0101010101010101)
#define HIGHS UINT64_C(0x8080808080808080)
static inline uint64_t has_zero_byte(uint64_t x) { return (x - ONES) & ~x & HIGHS; }

/* p is just after an opening quote. Returns the closing quote (or NULL when the record ends
 * first); *esc tells whether a backslash was seen. Eight bytes at a time while no quote or
 * backslash is in sight. */
static inline const char *scan_string(const char *p, const char *e, bool *esc) {
  while (e - p >= 8) {
    uint64_t w;
    memcpy(&w, p, 8);
    if (has_zero_byte(w ^ (ONES * '"')) | has_zero_byte(w ^ (ONES * '\\'))) break;
    p += 8;
  }
  while (p < e) {
    char c = *p;
    if (c == '"') return p;
    if (c == '\\') {
      *esc = true;
      p += 2;
      continue;
    }
    p++;
  }
  return NULL;
}

static inline int hexval(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

static inline int hex4(const char *p, const char *e) {
  if (e - p < 4) return -1;
  int a = hexval(p[0]), b = hexval(p[1]), c = hexval(p[2]), d = hexval(p[3]);
  if ((a | b | c | d) < 0) return -1;
  return a << 12 | b << 8 | c << 4 | d;
}

static inline size_t put_utf8(char *w, uint32_t cp) {
  if (cp < 0x80) {
    w[0] = (char)cp;
    return 1;
  }
  if (cp < 0x800) {
    w[0] = (char)(0xC0 | cp >> 6);
    w[1] = (char)(0x80 | (cp & 0x3F));
    return 2;
  }
  if (cp < 0x10000) {
    w[0] = (char)(0xE0 | cp >> 12);
    w[1] = (char)(0x80 | (cp >> 6 & 0x3F));
    w[2] = (char)(0x80 | (cp & 0x3F));
    return 3;
  }
  w[0] = (char)(0xF0 | cp >> 18);
  w[1] = (char)(0x80 | (cp >> 12 & 0x3F));
  w[2] = (char)(0x80 | (cp >> 6 & 0x3F));
  w[3] = (char)(0x80 | (cp & 0x3F));
  return 4;
}

/* Decodes the string body [s, e) (escapes included) into dst, which needs e - s bytes; dst NULL
 * only validates. Returns the decoded length, or -1 with *bad at the faulty backslash. A lone
 * UTF-16 surrogate becomes '?', as Java's UTF-8 encoder writes it. */
static long unescape(const char *s, const char *e, char *dst, const char **bad) {
  char tmp[4];
  size_t n = 0;
  for (const char *p = s; p < e;) {
    if (*p != '\\') {
      const char *q = memchr(p, '\\', (size_t)(e - p));
      size_t run = (size_t)((q ? q : e) - p);
      if (dst) memcpy(dst + n, p, run);
      n += run;
      p += run;
      continue;
    }
    *bad = p;
    if (p + 1 >= e) return -1;
    char c = p[1], out;
    switch (c) {
      case '"': out = '"'; break;
      case '\\': out = '\\'; break;
      case '/': out = '/'; break;
      case 'b': out = '\b'; break;
      case 'f': out = '\f'; break;
      case 'n': out = '\n'; break;
      case 'r': out = '\r'; break;
      case 't': out = '\t'; break;
      case 'u': {
        int cp = hex4(p + 2, e);
        if (cp < 0) return -1;
        p += 6;
        uint32_t code = (uint32_t)cp;
        if (cp >= 0xD800 && cp <= 0xDBFF) {
          int lo = (e - p >= 6 && p[0] == '\\' && p[1] == 'u') ? hex4(p + 2, e) : -1;
          if (lo >= 0xDC00 && lo <= 0xDFFF) {
            code = 0x10000 + ((uint32_t)(cp - 0xD800) << 10) + (uint32_t)(lo - 0xDC00);
            p += 6;
          } else {
            code = '?';
          }
        } else if (cp >= 0xDC00 && cp <= 0xDFFF) {
          code = '?';
        }
        size_t k = put_utf8(dst ? dst + n : tmp, code);
        n += k;
        continue;
      }
      default: return -1;
    }
    if (dst) dst[n] = out;
    n++;
    p += 2;
  }
  return (long)n;
}

/* -?(0|[1-9]d*)(.d+)?([eE][+-]?d+)? ; *is_int when there is neither fraction nor exponent. */
static inline const char *scan_number(const char *p, const char *e, bool *is_int) {
  if (p < e && *p == '-') p++;
  if (p >= e || !is_digit(*p)) return NULL;
  if (*p == '0') p++;
  else
    while (p < e && is_digit(*p)) p++;
  *is_int = true;
  if (p < e && *p == '.') {
    p++;
    if (p >= e || !is_digit(*p)) return NULL;
    while (p < e && is_digit(*p)) p++;
    *is_int = false;
  }
  if (p < e && (*p == 'e' || *p == 'E')) {
    p++;
    if (p < e && (*p == '+' || *p == '-')) p++;
    if (p >= e || !is_digit(*p)) return NULL;
    while (p < e && is_digit(*p)) p++;
    *is_int = false;
  }
  if (p < e && (is_digit(*p) || *p == '.' || ((*p | 0x20) >= 'a' && (*p | 0x20) <= 'z'))) return NULL; /* 0123, 1x */
  return p;
}

static inline bool literal(const char *p, const char *e, const char *word, size_t n) {
  return (size_t)(e - p) >= n && memcmp(p, word, n) == 0;
}

/* Skips one value at p (anything JSON), validating it. Returns the position after it. */
static const char *skip_value(jparse *jp, const char *p, int depth) {
  const char *e = jp->end;
  if (p >= e) return jerr(jp, p, "expected a value");
  switch (*p) {
    case '"': {
      bool esc = false;
      const char *q = scan_string(p + 1, e, &esc), *bad;
      if (!q) return jerr(jp, p, "unterminated string");
      if (esc && unescape(p + 1, q, NULL, &bad) < 0) return jerr(jp, bad, "invalid escape sequence");
      return q + 1;
    }
    case '{':
    case '[': {
      char close = *p == '{' ? '}' : ']';
      if (depth >= JSON_MAX_DEPTH) return jerr(jp, p, "nesting too deep");
      p = ws(p + 1, e);
      if (p < e && *p == close) return p + 1;
      for (;;) {
        if (close == '}') {
          if (p >= e || *p != '"') return jerr(jp, p, "expected a field name");
          if (!(p = skip_value(jp, p, depth + 1))) return NULL;
          p = ws(p, e);
          if (p >= e || *p != ':') return jerr(jp, p, "expected ':'");
          p = ws(p + 1, e);
        }
        if (!(p = skip_value(jp, p, depth + 1))) return NULL;
        p = ws(p, e);
        if (p < e && *p == ',') {
          p = ws(p + 1, e);
          continue;
        }
        if (p < e && *p == close) return p + 1;
        return jerr(jp, p, close == '}' ? "expected ',' or '}'" : "expected ',' or ']'");
      }
    }
    case 't': return literal(p, e, "true", 4) ? p + 4 : jerr(jp, p, "expected a value");
    case 'f': return literal(p, e, "false", 5) ? p + 5 : jerr(jp, p, "expected a value");
    case 'n': return literal(p, e, "null", 4) ? p + 4 : jerr(jp, p, "expected a value");
    default: {
      bool is_int;
      const char *q = scan_number(p, e, &is_int);
      return q ? q : jerr(jp, p, *p == '-' || is_digit(*p) ? "invalid number" : "expected a value");
    }
  }
}

/* ================================================================== values */

static inline void *slot_of(sl_col *col, uint32_t row) {
  return (char *)col->raw + (size_t)row * (size_t)sl_type_slot_size(col->type);
}

static char *scratch(json_dec *d, size_t n) {
  if (n > d->scap) {
    d->scap = n < 256 ? 256 : n * 2;
    free(d->scratch);
    d->scratch = sl_malloc(d->scap);
  }
  return d->scratch;
}

/* Copies a JSON object or array without the blanks between tokens: the compact text Jackson's
 * JsonNode.toString gives a string column. */
static sl_str compact_json(sl_batch *b, const char *s, const char *e) {
  char *dst = sl_arena_alloc(&b->arena, (size_t)(e - s));
  size_t n = 0;
  bool in_str = false;
  for (const char *p = s; p < e; p++) {
    char c = *p;
    if (in_str) {
      dst[n++] = c;
      if (c == '\\') dst[n++] = *++p;
      else if (c == '"') in_str = false;
    } else if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
      dst[n++] = c;
      if (c == '"') in_str = true;
    }
  }
  return (sl_str){dst, (uint32_t)n};
}

/* A JSON number into an integer column. Integral text must fit; TINYINT and SMALLINT reject a
 * fraction (Byte/Short.parseByte of the text), INT and BIGINT truncate it toward zero after a
 * range check (Jackson's getIntValue/getLongValue). */
static int number_to_int(const sl__fmt_col *col, const char *s, size_t n, bool is_int, int64_t *out) {
  int64_t v;
  int rc;
  if (is_int) {
    if ((rc = sl__fmt_parse_i64(s, n, &v))) return rc;
  } else {
    int k = col->type.kind;
    if (k == SL_TYPE_TINYINT || k == SL_TYPE_SMALLINT) return SL_EFORMAT;
    double dv;
    if ((rc = sl__fmt_parse_double(s, n, &dv))) return rc;
    if (!(dv >= -9223372036854775808.0 && dv < 9223372036854775808.0)) return SL_EOVERFLOW;
    v = (int64_t)dv;
  }
  if (!sl__fmt_int_fits(col, v)) return SL_EOVERFLOW;
  *out = v;
  return 0;
}

static const char *found_what(char c) {
  switch (c) {
    case '{': return "an object";
    case '[': return "an array";
    default: return "a value";
  }
}

/* Parses the value at p into column c of row. Returns the position after the value, or NULL on a
 * syntax error (jp says where). A valid value that does not convert sets *conv to the error code
 * and fills err (pass NULL to have no message). */
static const char *json_value(json_dec *d, jparse *jp, const char *p, int c, sl_batch *b, uint32_t row,
                              int *conv, sl_err *err) {
  const sl__fmt_col *col = &d->cols[c];
  sl_col *bc = &b->cols[c];
  const char *e = jp->end;
  int kind = col->type.kind;
  bool is_str = kind == SL_TYPE_VARCHAR || kind == SL_TYPE_CHAR;
  int rc = 0;
  if (p >= e) return jerr(jp, p, "expected a value");
  char ch = *p;

  if (ch == '"') {
    bool esc = false;
    const char *q = scan_string(p + 1, e, &esc), *bad;
    if (!q) return jerr(jp, p, "unterminated string");
    const char *s = p + 1;
    size_t n = (size_t)(q - s);
    if (is_str) {
      if (!esc) {
        bc->str[row] = sl_batch_str(b, s, (uint32_t)n);
      } else {
        char *dst = sl_arena_alloc(&b->arena, n);
        long m = unescape(s, q, dst, &bad);
        if (m < 0) return jerr(jp, bad, "invalid escape sequence");
        bc->str[row] = (sl_str){dst, (uint32_t)m};
      }
      sl__fmt_not_null(bc, row);
      return q + 1;
    }
    if (esc) {
      char *dst = scratch(d, n);
      long m = unescape(s, q, dst, &bad);
      if (m < 0) return jerr(jp, bad, "invalid escape sequence");
      s = dst;
      n = (size_t)m;
    }
    rc = sl__fmt_text_to_slot(&d->text, col, s, n, slot_of(bc, row));
    if (rc) *conv = sl__fmt_conv_error(err, rc, col, s, n);
    else sl__fmt_not_null(bc, row);
    return q + 1;
  }

  if (ch == '-' || is_digit(ch)) {
    bool is_int;
    const char *q = scan_number(p, e, &is_int);
    if (!q) return jerr(jp, p, "invalid number");
    size_t n = (size_t)(q - p);
    switch (kind) {
      case SL_TYPE_VARCHAR:
      case SL_TYPE_CHAR: bc->str[row] = sl_batch_str(b, p, (uint32_t)n); break;
      case SL_TYPE_DECIMAL: rc = sl__fmt_parse_decimal(p, n, col, &bc->dec[row]); break;
      case SL_TYPE_TINYINT:
      case SL_TYPE_SMALLINT:
      case SL_TYPE_INT:
      case SL_TYPE_BIGINT:
      case SL_TYPE_INTERVAL_YM: rc = number_to_int(col, p, n, is_int, &bc->i64[row]); break;
      case SL_TYPE_INTERVAL_DT:
        rc = number_to_int(col, p, n, is_int, &bc->i64[row]);
        if (!rc) {
          if (bc->i64[row] > INT64_MAX / 1000 || bc->i64[row] < INT64_MIN / 1000) rc = SL_EOVERFLOW;
          else bc->i64[row] *= 1000;
        }
        break;
      case SL_TYPE_DOUBLE:
      case SL_TYPE_FLOAT: {
        double v = 0;
        rc = sl__fmt_parse_double(p, n, &v);
        bc->f64[row] = kind == SL_TYPE_FLOAT ? (double)(float)v : v;
        break;
      }
      case SL_TYPE_BOOLEAN: bc->i64[row] = 0; break; /* Boolean.parseBoolean("1") */
      default: rc = sl__fmt_text_to_slot(&d->text, col, p, n, slot_of(bc, row)); break;
    }
    if (rc) *conv = sl__fmt_conv_error(err, rc, col, p, n);
    else sl__fmt_not_null(bc, row);
    return q;
  }

  switch (ch) {
    case 'n':
      if (!literal(p, e, "null", 4)) return jerr(jp, p, "expected a value");
      sl__fmt_set_null(b, c, row);
      return p + 4;
    case 't':
    case 'f': {
      bool t = ch == 't';
      if (!literal(p, e, t ? "true" : "false", t ? 4 : 5)) return jerr(jp, p, "expected a value");
      if (kind == SL_TYPE_BOOLEAN) bc->i64[row] = t;
      else if (is_str) bc->str[row] = t ? (sl_str){"true", 4} : (sl_str){"false", 5};
      else rc = sl__fmt_conv_error(err, SL_EFORMAT, col, p, t ? 4 : 5);
      if (rc) *conv = rc;
      else sl__fmt_not_null(bc, row);
      return p + (t ? 4 : 5);
    }
    case '{':
    case '[': {
      const char *q = skip_value(jp, p, 0);
      if (!q) return NULL;
      if (is_str) {
        bc->str[row] = compact_json(b, p, q);
        sl__fmt_not_null(bc, row);
      } else {
        char tn[64];
        *conv = sl_err_set(err, SL_EFORMAT, SL_ERR_NOLOC, "field '%s': expected %s, found %s", col->name,
                           sl__fmt_type_name(col->type, tn), found_what(ch));
      }
      return q;
    }
    default: return jerr(jp, p, "expected a value");
  }
}

/* ================================================================== decoder */

static inline uint32_t name_hash(const char *s, size_t n) {
  uint32_t h = 2166136261u;
  for (size_t i = 0; i < n; i++) h = (h ^ (unsigned char)s[i]) * 16777619u;
  return h;
}

/* The column named k, or -1. Tries the column after the previous field first. */
static inline int lookup(const json_dec *d, const char *k, size_t n, int next) {
  if (next < d->ncols) {
    const sl__fmt_col *col = &d->cols[next];
    if (col->name_len == n && memcmp(col->name, k, n) == 0) return next;
  }
  for (uint32_t h = name_hash(k, n) & d->mask;; h = (h + 1) & d->mask) {
    int c = (int)d->slots[h] - 1;
    if (c < 0) return -1;
    if (d->cols[c].name_len == n && memcmp(d->cols[c].name, k, n) == 0) return c;
  }
}

static int json_record(sl_fmt_dec *base, const char *rec, size_t n, sl_batch *b, uint32_t row, sl_err *err) {
  json_dec *d = (json_dec *)base;
  jparse jp = {rec + n, NULL, NULL};
  const char *p = ws(rec, rec + n), *e = rec + n;
  sl_err *verr = d->cfg.ignore_errors ? NULL : err;
  bool skip_row = false;
  if (p == e) return 1; /* blank line */
  if (*p != '{') {
    jerr(&jp, p, "expected '{'");
    goto syntax;
  }
  uint32_t gen = ++d->gen;
  if (gen == 0) {
    memset(d->seen, 0, sizeof *d->seen * (size_t)(d->ncols ? d->ncols : 1));
    gen = d->gen = 1;
  }
  int found = 0, next = 0;
  p = ws(p + 1, e);
  if (p < e && *p == '}') {
    p++;
  } else {
    for (;;) {
      if (p >= e || *p != '"') {
        jerr(&jp, p, "expected a field name");
        goto syntax;
      }
      bool esc = false;
      const char *k = p + 1, *q = scan_string(k, e, &esc);
      if (!q) {
        jerr(&jp, p, "unterminated string");
        goto syntax;
      }
      int c;
      if (!esc) {
        c = lookup(d, k, (size_t)(q - k), next);
      } else {
        const char *bad;
        char *dst = scratch(d, (size_t)(q - k));
        long m = unescape(k, q, dst, &bad);
        if (m < 0) {
          jerr(&jp, bad, "invalid escape sequence");
          goto syntax;
        }
        c = lookup(d, dst, (size_t)m, next);
      }
      p = ws(q + 1, e);
      if (p >= e || *p != ':') {
        jerr(&jp, p, "expected ':'");
        goto syntax;
      }
      p = ws(p + 1, e);
      if (c < 0) {
        p = skip_value(&jp, p, 1);
      } else {
        int conv = 0;
        p = json_value(d, &jp, p, c, b, row, &conv, verr);
        if (p && conv) {
          if (!d->cfg.ignore_errors) return conv;
          /* Flink sets the field NULL; a NOT NULL column cannot take that, so the row goes. */
          if (!d->cols[c].type.nullable) skip_row = true;
          sl__fmt_set_null(b, c, row);
        }
        if (d->seen[c] != gen) {
          d->seen[c] = gen;
          found++;
        }
        next = c + 1;
      }
      if (!p) goto syntax;
      p = ws(p, e);
      if (p < e && *p == ',') {
        p = ws(p + 1, e);
        continue;
      }
      if (p < e && *p == '}') {
        p++;
        break;
      }
      jerr(&jp, p, "expected ',' or '}'");
      goto syntax;
    }
  }
  p = ws(p, e);
  if (p != e) {
    jerr(&jp, p, "unexpected data after the object");
    goto syntax;
  }
  if (skip_row) return 1;
  if (found < d->ncols) {
    for (int c = 0; c < d->ncols; c++) {
      if (d->seen[c] == gen) continue;
      if (d->cfg.fail_missing)
        return sl_err_set(err, SL_EFORMAT, SL_ERR_NOLOC, "missing field '%s'", d->cols[c].name);
      sl__fmt_set_null(b, c, row);
    }
  }
  return 0;

syntax:
  if (d->cfg.ignore_errors) return 1;
  return sl_err_set(err, SL_EFORMAT, SL_ERR_NOLOC, "invalid JSON at byte %zu: %s", (size_t)(jp.epos - rec),
                    jp.emsg);
}

static void json_dec_free(sl_fmt_dec *base) {
  json_dec *d = (json_dec *)base;
  sl__fmt_cols_free(d->cols, d->ncols);
  free(d->seen);
  free(d->slots);
  free(d->scratch);
  free(d);
}

static const sl_fmt_dec_vtable json_dec_vt = {json_record, json_dec_free};

int sl__fmt_json_dec_new(int ncols, const char *const *names, const sl_type *types, sl_options *opts,
                         sl_fmt_dec **out, sl_err *err) {
  json_cfg cfg;
  int rc = json_read_options(opts, true, &cfg, err);
  if (rc) return rc;
  json_dec *d = sl_calloc(1, sizeof *d);
  d->base.vt = &json_dec_vt;
  d->ncols = ncols;
  d->cols = sl__fmt_cols_new(ncols, names, types);
  d->cfg = cfg;
  json_text_layout(cfg.iso, &d->text);
  d->seen = sl_calloc((size_t)(ncols ? ncols : 1), sizeof *d->seen);
  uint32_t size = 16;
  while (size < (uint32_t)ncols * 2) size *= 2;
  d->slots = sl_calloc(size, sizeof *d->slots);
  d->mask = size - 1;
  /* Insert in reverse so that, for duplicate column names, the first column wins. */
  for (int c = ncols - 1; c >= 0; c--) {
    uint32_t h = name_hash(d->cols[c].name, d->cols[c].name_len) & d->mask;
    while (d->slots[h]) {
      int o = d->slots[h] - 1;
      if (d->cols[o].name_len == d->cols[c].name_len && memcmp(d->cols[o].name, d->cols[c].name, d->cols[c].name_len) == 0)
        break;
      h = (h + 1) & d->mask;
    }
    d->slots[h] = (uint16_t)(c + 1);
  }
  *out = &d->base;
  return 0;
}

/* ================================================================== encoder */

typedef struct json_enc {
  sl_fmt_enc base;
  int ncols;
  sl__fmt_col *cols;
  json_cfg cfg;
  char **keys; /* "\"name\":" with the name escaped */
  uint32_t *key_len;
} json_enc;

/* Jackson's escaping: quote, backslash and control characters; everything else (including
 * '/' and non-ASCII UTF-8) as is. Needs 6 * n + 2 bytes at w. */
static size_t put_json_string(char *w, const char *s, size_t n) {
  static const char hex[] = "0123456789ABCDEF";
  char *p = w;
  *p++ = '"';
  size_t i = 0;
  while (i < n) {
    size_t j = i;
    while (j < n && (unsigned char)s[j] >= 0x20 && s[j] != '"' && s[j] != '\\') j++;
    memcpy(p, s + i, j - i);
    p += j - i;
    if (j == n) break;
    unsigned char c = (unsigned char)s[j];
    *p++ = '\\';
    switch (c) {
      case '"': *p++ = '"'; break;
      case '\\': *p++ = '\\'; break;
      case '\b': *p++ = 'b'; break;
      case '\f': *p++ = 'f'; break;
      case '\n': *p++ = 'n'; break;
      case '\r': *p++ = 'r'; break;
      case '\t': *p++ = 't'; break;
      default:
        *p++ = 'u';
        *p++ = '0';
        *p++ = '0';
        *p++ = hex[c >> 4];
        *p++ = hex[c & 15];
    }
    i = j + 1;
  }
  *p++ = '"';
  return (size_t)(p - w);
}

/* Writes the value (not NULL) at w; needs 64 bytes for everything but strings. */
static size_t put_json_value(const json_enc *en, const sl__fmt_col *col, const sl_col *bc, uint32_t row, char *w) {
  switch ((sl_type_kind)col->type.kind) {
    case SL_TYPE_BOOLEAN:
      if (bc->i64[row]) {
        memcpy(w, "true", 4);
        return 4;
      }
      memcpy(w, "false", 5);
      return 5;
    case SL_TYPE_TINYINT:
    case SL_TYPE_SMALLINT:
    case SL_TYPE_INT:
    case SL_TYPE_BIGINT:
    case SL_TYPE_INTERVAL_YM: return (size_t)sl__fmt_put_i64(w, bc->i64[row]);
    case SL_TYPE_INTERVAL_DT: return (size_t)sl__fmt_put_i64(w, bc->i64[row] / 1000);
    case SL_TYPE_FLOAT:
    case SL_TYPE_DOUBLE: {
      double v = bc->f64[row];
      if (isfinite(v)) return (size_t)sl_double_format(v, col->type.kind == SL_TYPE_FLOAT, w);
      /* Jackson quotes NaN and Infinity (QUOTE_NON_NUMERIC_NUMBERS). */
      w[0] = '"';
      int n = sl_double_format(v, col->type.kind == SL_TYPE_FLOAT, w + 1);
      w[n + 1] = '"';
      return (size_t)n + 2;
    }
    case SL_TYPE_DECIMAL: return (size_t)sl__fmt_put_decimal(w, bc->dec[row], col->type.scale, en->cfg.plain_decimal);
    case SL_TYPE_DATE:
      w[0] = '"';
      {
        int n = sl__fmt_put_date(w + 1, bc->i64[row]);
        w[n + 1] = '"';
        return (size_t)n + 2;
      }
    case SL_TYPE_TIME:
      w[0] = '"';
      {
        /* Flink writes LocalTime.ofSecondOfDay(millis / 1000): whole seconds. */
        int n = sl__fmt_put_time(w + 1, bc->i64[row], 0);
        w[n + 1] = '"';
        return (size_t)n + 2;
      }
    case SL_TYPE_TIMESTAMP:
    case SL_TYPE_TIMESTAMP_LTZ:
      w[0] = '"';
      {
        int n = sl__fmt_put_ts(w + 1, bc->i64[row], col->type.precision, en->cfg.iso ? 'T' : ' ',
                               col->type.kind == SL_TYPE_TIMESTAMP_LTZ);
        w[n + 1] = '"';
        return (size_t)n + 2;
      }
    default: return 0;
  }
}

static void json_enc_row(sl_fmt_enc *base, const sl_batch *b, uint32_t row, sl_buf *out) {
  const json_enc *en = (const json_enc *)base;
  char *w = sl_buf_reserve(out, 2);
  *w = '{';
  out->len++;
  bool first = true;
  for (int c = 0; c < en->ncols; c++) {
    const sl__fmt_col *col = &en->cols[c];
    const sl_col *bc = &b->cols[c];
    bool null = sl_col_is_null(bc, row);
    if (null && en->cfg.ignore_null_fields) continue;
    bool is_str = col->type.kind == SL_TYPE_VARCHAR || col->type.kind == SL_TYPE_CHAR;
    size_t need = 1 + en->key_len[c] + (is_str && !null ? (size_t)bc->str[row].len * 6 + 2 : 64);
    w = sl_buf_reserve(out, need);
    char *p = w;
    if (!first) *p++ = ',';
    first = false;
    memcpy(p, en->keys[c], en->key_len[c]);
    p += en->key_len[c];
    if (null) {
      memcpy(p, "null", 4);
      p += 4;
    } else if (is_str) {
      p += put_json_string(p, bc->str[row].ptr, bc->str[row].len);
    } else {
      p += put_json_value(en, col, bc, row, p);
    }
    out->len += (size_t)(p - w);
  }
  w = sl_buf_reserve(out, 2);
  w[0] = '}';
  w[1] = '\n';
  out->len += 2;
  out->data[out->len] = 0;
}

static void json_enc_free(sl_fmt_enc *base) {
  json_enc *en = (json_enc *)base;
  for (int c = 0; c < en->ncols; c++) free(en->keys[c]);
  free(en->keys);
  free(en->key_len);
  sl__fmt_cols_free(en->cols, en->ncols);
  free(en);
}

static const sl_fmt_enc_vtable json_enc_vt = {json_enc_row, json_enc_free};

int sl__fmt_json_enc_new(int ncols, const char *const *names, const sl_type *types, sl_options *opts,
                         sl_fmt_enc **out, sl_err *err) {
  json_cfg cfg;
  int rc = json_read_options(opts, false, &cfg, err);
  if (rc) return rc;
  json_enc *en = sl_calloc(1, sizeof *en);
  en->base.vt = &json_enc_vt;
  en->ncols = ncols;
  en->cols = sl__fmt_cols_new(ncols, names, types);
  en->cfg = cfg;
  en->keys = sl_calloc((size_t)(ncols ? ncols : 1), sizeof *en->keys);
  en->key_len = sl_calloc((size_t)(ncols ? ncols : 1), sizeof *en->key_len);
  for (int c = 0; c < ncols; c++) {
    char *k = sl_malloc((size_t)en->cols[c].name_len * 6 + 3);
    size_t n = put_json_string(k, en->cols[c].name, en->cols[c].name_len);
    k[n++] = ':';
    en->keys[c] = k;
    en->key_len[c] = (uint32_t)n;
  }
  *out = &en->base;
  return 0;
}
