/* fmt_csv.c - the CSV format: fields by position, decoded in one pass, encoded with Jackson's
 * quoting rules.
 *
 * Flink's CSV format is Jackson's CsvMapper driven by a schema derived from the table, and this
 * file reproduces what users see from it. Reading: a field starting with the quote character is
 * quoted (doubled quotes stand for one; text after the closing quote is appended); the escape
 * character, when set, takes the next character literally (\n \r \t \0 map to controls); a field
 * equal to 'csv.null-literal' is NULL; an empty field is "" in a string column and a parse error
 * elsewhere; one trailing empty field is tolerated (Jackson's ALLOW_TRAILING_COMMA); a blank
 * line is skipped, and so is a '#' line with 'csv.allow-comments'. With 'csv.ignore-parse-errors'
 * a bad value becomes NULL, missing trailing fields become NULL and a record with too many fields
 * is skipped. Writing: numbers and booleans bare; text (strings and temporal values) quoted when
 * Jackson's loose check asks for it: longer than 24 characters, or any character below
 * max(delimiter, quote, '\n') + 1 (so spaces, '#', '!', quotes...), or the escape character. */
#include <stdlib.h>
#include <string.h>

#include "../engine/value_text.h"
#include "fmt_internal.h"

/* ================================================================== options */

typedef struct csv_cfg {
  char delim;
  int quote;  /* -1: disabled */
  int escape; /* -1: none */
  bool allow_comments, ignore_errors, plain_decimal;
  const char *null_lit; /* NULL: none */
} csv_cfg;

/* Reads every option Flink's CSV format accepts; 'csv.array-element-delimiter' only concerns
 * ARRAY and ROW columns, which sluice does not have: it is validated and has no effect. */
static int csv_read_options(sl_options *opts, csv_cfg *cfg, sl_err *err) {
  int rc;
  char q, esc, arr;
  bool no_quote, sci;
  memset(cfg, 0, sizeof *cfg);
  if ((rc = sl_options_char(opts, "csv.field-delimiter", ',', &cfg->delim, err)) ||
      (rc = sl_options_bool(opts, "csv.disable-quote-character", false, &no_quote, err)) ||
      (rc = sl_options_char(opts, "csv.quote-character", '"', &q, err)) ||
      (rc = sl_options_bool(opts, "csv.allow-comments", false, &cfg->allow_comments, err)) ||
      (rc = sl_options_bool(opts, "csv.ignore-parse-errors", false, &cfg->ignore_errors, err)) ||
      (rc = sl_options_char(opts, "csv.array-element-delimiter", ';', &arr, err)) ||
      (rc = sl_options_char(opts, "csv.escape-character", 0, &esc, err)) ||
      (rc = sl_options_bool(opts, "csv.write-bigdecimal-in-scientific-notation", true, &sci, err)))
    return rc;
  if (no_quote && sl_options_find(opts, "csv.quote-character"))
    return sl_err_set(err, SL_ECONFIG, sl_options_find(opts, "csv.quote-character")->key_loc,
                      "option 'csv.quote-character' cannot be set when 'csv.disable-quote-character' is true");
  cfg->quote = no_quote ? -1 : (unsigned char)q;
  cfg->escape = sl_options_find(opts, "csv.escape-character") ? (unsigned char)esc : -1;
  cfg->plain_decimal = !sci;
  cfg->null_lit = sl_options_get(opts, "csv.null-literal");
  return 0;
}

/* ================================================================== decoder */

typedef struct csv_dec {
  sl_fmt_dec base;
  int ncols;
  sl__fmt_col *cols;
  csv_cfg cfg;
  size_t null_len;
  sl__fmt_text text;
  char *scratch; /* unquoted/unescaped field text */
  size_t scap;
} csv_dec;

static char *scratch(csv_dec *d, size_t n) {
  if (n > d->scap) {
    d->scap = n < 256 ? 256 : n * 2;
    free(d->scratch);
    d->scratch = sl_malloc(d->scap);
  }
  return d->scratch;
}

/* Jackson's CsvDecoder._unescape. */
static inline char unescape_char(char c) {
  switch (c) {
    case '0': return '\0';
    case 'n': return '\n';
    case 'r': return '\r';
    case 't': return '\t';
    default: return c;
  }
}

/* Stores field text s[0..n) into column c of row. Returns 0 or the conversion error (err filled
 * when not NULL). */
static inline int csv_store(csv_dec *d, int c, const char *s, size_t n, sl_batch *b, uint32_t row, sl_err *err) {
  const sl__fmt_col *col = &d->cols[c];
  sl_col *bc = &b->cols[c];
  if (d->cfg.null_lit && n == d->null_len && memcmp(s, d->cfg.null_lit, n) == 0) {
    sl__fmt_set_null(b, c, row);
    return 0;
  }
  int kind = col->type.kind;
  if (kind == SL_TYPE_VARCHAR || kind == SL_TYPE_CHAR) {
    bc->str[row] = sl_batch_str(b, s, (uint32_t)n);
    sl__fmt_not_null(bc, row);
    return 0;
  }
  int rc = sl__fmt_text_to_slot(&d->text, col, s, n,
                                (char *)bc->raw + (size_t)row * (size_t)sl_type_slot_size(bc->type));
  if (rc) return sl__fmt_conv_error(err, rc, col, s, n);
  sl__fmt_not_null(bc, row);
  return 0;
}

static int csv_record(sl_fmt_dec *base, const char *rec, size_t n, sl_batch *b, uint32_t row, sl_err *err) {
  csv_dec *d = (csv_dec *)base;
  const char delim = d->cfg.delim;
  const int quote = d->cfg.quote, esc = d->cfg.escape;
  if (n && rec[n - 1] == '\r') n--;
  if (n == 0) return 1;
  if (d->cfg.allow_comments && rec[0] == '#') return 1;

  const char *p = rec, *e = rec + n;
  int fi = 0;
  bool skip_row = false, last_empty = false;
  /* The first conversion error waits in cerr: a wrong field count, found later, explains more. */
  sl_err cerr;
  cerr.code = 0;
  int conv = 0;
  for (;;) {
    const char *s;
    size_t len;
    bool quoted = quote >= 0 && p < e && (unsigned char)*p == quote;
    if (quoted) {
      /* Copy-free while the body has no doubled quote, escape or trailing text. */
      const char *q = p + 1, *body = q;
      char *dst = NULL;
      size_t dn = 0;
      for (;;) {
        const char *r = q;
        while (r < e && (unsigned char)*r != quote && (esc < 0 || (unsigned char)*r != esc)) r++;
        if (r >= e || ((unsigned char)*r != quote && r + 1 >= e)) {
          if (fi < d->ncols)
            return sl_err_set(err, SL_EFORMAT, SL_ERR_NOLOC, "field '%s': missing closing quote", d->cols[fi].name);
          return sl_err_set(err, SL_EFORMAT, SL_ERR_NOLOC, "field %d: missing closing quote", fi + 1);
        }
        bool closing = (unsigned char)*r == quote && !(r + 1 < e && (unsigned char)r[1] == quote);
        if (closing && !dst) {
          s = body;
          len = (size_t)(r - body);
          p = r + 1;
          break;
        }
        if (!dst) dst = scratch(d, (size_t)(e - body));
        memcpy(dst + dn, q, (size_t)(r - q));
        dn += (size_t)(r - q);
        if (closing) {
          p = r + 1;
          s = dst;
          len = dn;
          break;
        }
        dst[dn++] = (unsigned char)*r == quote ? *r : unescape_char(r[1]);
        q = r + 2;
      }
      if (p < e && *p != delim) {
        /* Text after the closing quote joins the value. */
        const char *r = memchr(p, delim, (size_t)(e - p));
        if (!r) r = e;
        if (!dst) { /* the value still points into the record: move it to scratch first */
          char *w = scratch(d, (size_t)(e - body));
          memcpy(w, s, len);
          s = w;
        }
        memcpy(d->scratch + len, p, (size_t)(r - p));
        len += (size_t)(r - p);
        p = r;
      }
    } else if (esc < 0) {
      const char *r = memchr(p, delim, (size_t)(e - p));
      if (!r) r = e;
      s = p;
      len = (size_t)(r - p);
      p = r;
    } else {
      const char *r = p;
      while (r < e && *r != delim && (unsigned char)*r != esc) r++;
      if (r >= e || *r == delim) {
        s = p;
        len = (size_t)(r - p);
        p = r;
      } else {
        char *dst = scratch(d, (size_t)(e - p));
        size_t dn = 0;
        while (p < e && *p != delim) {
          if ((unsigned char)*p == esc && p + 1 < e) {
            dst[dn++] = unescape_char(p[1]);
            p += 2;
          } else {
            dst[dn++] = *p++;
          }
        }
        s = dst;
        len = dn;
      }
    }

    if (fi < d->ncols && !conv) {
      int rc = csv_store(d, fi, s, len, b, row, d->cfg.ignore_errors ? NULL : &cerr);
      if (rc) {
        if (!d->cfg.ignore_errors) conv = rc;
        else if (!d->cols[fi].type.nullable) skip_row = true;
        else sl__fmt_set_null(b, fi, row);
      }
    }
    last_empty = !quoted && len == 0;
    fi++;
    if (p >= e) break;
    p++; /* the delimiter; a delimiter at the very end leaves one more (empty) field */
  }

  if (fi == d->ncols + 1 && last_empty) fi--; /* a trailing delimiter */
  if (fi != d->ncols) {
    if (!d->cfg.ignore_errors)
      return sl_err_set(err, SL_EFORMAT, SL_ERR_NOLOC, "expected %d field%s, found %d", d->ncols,
                        d->ncols == 1 ? "" : "s", fi);
    if (fi > d->ncols) return 1;
    for (int c = fi; c < d->ncols; c++) {
      if (!d->cols[c].type.nullable) skip_row = true;
      sl__fmt_set_null(b, c, row);
    }
  }
  if (conv) return sl_err_set(err, cerr.code, cerr.loc, "%s", cerr.msg);
  return skip_row ? 1 : 0;
}

static void csv_dec_free(sl_fmt_dec *base) {
  csv_dec *d = (csv_dec *)base;
  sl__fmt_cols_free(d->cols, d->ncols);
  free(d->scratch);
  free(d);
}

static const sl_fmt_dec_vtable csv_dec_vt = {csv_record, csv_dec_free};

int sl__fmt_csv_dec_new(int ncols, const char *const *names, const sl_type *types, sl_options *opts,
                        sl_fmt_dec **out, sl_err *err) {
  csv_cfg cfg;
  int rc = csv_read_options(opts, &cfg, err);
  if (rc) return rc;
  csv_dec *d = sl_calloc(1, sizeof *d);
  d->base.vt = &csv_dec_vt;
  d->ncols = ncols;
  d->cols = sl__fmt_cols_new(ncols, names, types);
  d->cfg = cfg;
  d->null_len = cfg.null_lit ? strlen(cfg.null_lit) : 0;
  /* java.sql.Timestamp.valueOf / Date.valueOf / LocalTime.parse. */
  d->text = (sl__fmt_text){.ts_sep = ' ', .ts_need_sec = true, .ltz_z = false, .date_lenient = true,
                           .time_need_sec = false, .trim_temporal = true};
  *out = &d->base;
  return 0;
}

/* ================================================================== encoder */

typedef struct csv_enc {
  sl_fmt_enc base;
  int ncols;
  sl__fmt_col *cols;
  csv_cfg cfg;
  size_t null_len;
  int min_safe; /* the lowest byte that never forces quotes */
} csv_enc;

/* Jackson's loose check (CsvEncoder._mayNeedQuotes), counting UTF-16 units for the length. */
static inline bool needs_quotes(const csv_enc *en, const char *s, size_t n) {
  if (en->cfg.quote < 0) return false;
  size_t units = 0;
  for (size_t i = 0; i < n; i++) {
    unsigned char c = (unsigned char)s[i];
    if (c < en->min_safe || (int)c == en->cfg.escape) return true;
    units += (c & 0xC0) != 0x80;
    units += c >= 0xF0;
  }
  return units > 24;
}

/* Writes text s, quoted when needed, at w (room: 2 * n + 2). */
static size_t put_csv_text(const csv_enc *en, char *w, const char *s, size_t n) {
  if (!needs_quotes(en, s, n)) {
    if (n) memcpy(w, s, n);
    return n;
  }
  char q = (char)en->cfg.quote;
  char *p = w;
  *p++ = q;
  for (size_t i = 0; i < n; i++) {
    char c = s[i];
    if (c == q || (en->cfg.escape >= 0 && (unsigned char)c == en->cfg.escape)) *p++ = c; /* doubled */
    *p++ = c;
  }
  *p++ = q;
  return (size_t)(p - w);
}

static void csv_enc_row(sl_fmt_enc *base, const sl_batch *b, uint32_t row, sl_buf *out) {
  const csv_enc *en = (const csv_enc *)base;
  for (int c = 0; c < en->ncols; c++) {
    const sl__fmt_col *col = &en->cols[c];
    const sl_col *bc = &b->cols[c];
    bool null = sl_col_is_null(bc, row);
    int kind = col->type.kind;
    bool is_str = kind == SL_TYPE_VARCHAR || kind == SL_TYPE_CHAR;
    size_t need = 1 + (null ? en->null_len : is_str ? (size_t)bc->str[row].len * 2 + 2 : 112);
    char *w = sl_buf_reserve(out, need), *p = w;
    if (c > 0) *p++ = en->cfg.delim;
    if (null) {
      memcpy(p, en->cfg.null_lit ? en->cfg.null_lit : "", en->null_len);
      p += en->null_len;
    } else if (is_str) {
      p += put_csv_text(en, p, bc->str[row].ptr, bc->str[row].len);
    } else {
      char tmp[56];
      int n;
      switch ((sl_type_kind)kind) {
        case SL_TYPE_BOOLEAN:
          n = bc->i64[row] ? 4 : 5;
          memcpy(p, bc->i64[row] ? "true" : "false", (size_t)n);
          p += n;
          break;
        case SL_TYPE_INTERVAL_DT: p += sl__fmt_put_i64(p, bc->i64[row] / 1000); break;
        case SL_TYPE_FLOAT:
        case SL_TYPE_DOUBLE: p += sl_double_format(bc->f64[row], kind == SL_TYPE_FLOAT, p); break;
        case SL_TYPE_DECIMAL: p += sl__fmt_put_decimal(p, bc->dec[row], col->type.scale, en->cfg.plain_decimal); break;
        case SL_TYPE_DATE:
          n = sl__fmt_put_date(tmp, bc->i64[row]);
          p += put_csv_text(en, p, tmp, (size_t)n);
          break;
        case SL_TYPE_TIME:
          n = sl__fmt_put_time(tmp, bc->i64[row], col->type.precision < 3 ? col->type.precision : 3);
          p += put_csv_text(en, p, tmp, (size_t)n);
          break;
        case SL_TYPE_TIMESTAMP:
        case SL_TYPE_TIMESTAMP_LTZ:
          n = sl__fmt_put_ts(tmp, bc->i64[row], col->type.precision, ' ', false);
          p += put_csv_text(en, p, tmp, (size_t)n);
          break;
        default: p += sl__fmt_put_i64(p, bc->i64[row]); break; /* integers, INTERVAL YEAR TO MONTH */
      }
    }
    out->len += (size_t)(p - w);
  }
  char *w = sl_buf_reserve(out, 1);
  *w = '\n';
  out->len++;
  out->data[out->len] = 0;
}

static void csv_enc_free(sl_fmt_enc *base) {
  csv_enc *en = (csv_enc *)base;
  sl__fmt_cols_free(en->cols, en->ncols);
  free(en);
}

static const sl_fmt_enc_vtable csv_enc_vt = {csv_enc_row, csv_enc_free};

int sl__fmt_csv_enc_new(int ncols, const char *const *names, const sl_type *types, sl_options *opts,
                        sl_fmt_enc **out, sl_err *err) {
  csv_cfg cfg;
  int rc = csv_read_options(opts, &cfg, err);
  if (rc) return rc;
  csv_enc *en = sl_calloc(1, sizeof *en);
  en->base.vt = &csv_enc_vt;
  en->ncols = ncols;
  en->cols = sl__fmt_cols_new(ncols, names, types);
  en->cfg = cfg;
  en->null_len = cfg.null_lit ? strlen(cfg.null_lit) : 0;
  int m = (unsigned char)cfg.delim;
  if (cfg.quote > m) m = cfg.quote;
  if ('\n' > m) m = '\n';
  en->min_safe = m + 1;
  *out = &en->base;
  return 0;
}
