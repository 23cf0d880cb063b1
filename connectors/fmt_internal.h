/* fmt_internal.h - what fmt.c shares with the formats (fmt_json.c, fmt_csv.c): the vtables
 * behind sl_fmt_dec/sl_fmt_enc and the text conversions both formats apply the way Flink does. */
#ifndef SL_FMT_INTERNAL_H
#define SL_FMT_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "fmt.h"

/* ------------------------------------------------------------------ vtables */

typedef struct sl_fmt_dec_vtable {
  int (*record)(sl_fmt_dec *d, const char *rec, size_t n, sl_batch *b, uint32_t row, sl_err *err);
  void (*free)(sl_fmt_dec *d);
} sl_fmt_dec_vtable;

typedef struct sl_fmt_enc_vtable {
  void (*row)(sl_fmt_enc *e, const sl_batch *b, uint32_t row, sl_buf *out);
  void (*free)(sl_fmt_enc *e);
} sl_fmt_enc_vtable;

/* Each format's state struct starts with one of these. */
struct sl_fmt_dec {
  const sl_fmt_dec_vtable *vt;
};
struct sl_fmt_enc {
  const sl_fmt_enc_vtable *vt;
};

int sl__fmt_json_dec_new(int ncols, const char *const *names, const sl_type *types, sl_options *opts,
                         sl_fmt_dec **out, sl_err *err);
int sl__fmt_json_enc_new(int ncols, const char *const *names, const sl_type *types, sl_options *opts,
                         sl_fmt_enc **out, sl_err *err);
int sl__fmt_csv_dec_new(int ncols, const char *const *names, const sl_type *types, sl_options *opts,
                        sl_fmt_dec **out, sl_err *err);
int sl__fmt_csv_enc_new(int ncols, const char *const *names, const sl_type *types, sl_options *opts,
                        sl_fmt_enc **out, sl_err *err);

/* ------------------------------------------------------------------ columns */

/* A column as a format sees it. dec_limit is 10^precision for DECIMAL (the first value that
 * no longer fits). */
typedef struct sl__fmt_col {
  char *name; /* owned */
  uint32_t name_len;
  sl_type type;
  sl_i128 dec_limit;
} sl__fmt_col;

/* Copies the names; free with sl__fmt_cols_free. */
sl__fmt_col *sl__fmt_cols_new(int ncols, const char *const *names, const sl_type *types);
void sl__fmt_cols_free(sl__fmt_col *cols, int ncols);

/* Marks row NULL in column c (slot zeroed) / makes sure the row is not flagged NULL. */
static inline void sl__fmt_set_null(sl_batch *b, int c, uint32_t row) {
  sl_batch_nulls(b, c)[row] = 1;
  sl_col *col = &b->cols[c];
  switch (sl_type_phys(col->type)) {
    case SL_PHYS_I64: col->i64[row] = 0; break;
    case SL_PHYS_F64: col->f64[row] = 0; break;
    case SL_PHYS_DEC: col->dec[row] = 0; break;
    case SL_PHYS_STR: col->str[row].ptr = ""; col->str[row].len = 0; break;
  }
}
static inline void sl__fmt_not_null(sl_col *col, uint32_t row) {
  if (col->nulls) col->nulls[row] = 0;
}

/* ------------------------------------------------------------------ text -> value */

/* How a format writes temporal values as text (Flink's TimeFormats differ per format). */
typedef struct sl__fmt_text {
  char ts_sep;        /* between date and time: ' ' (SQL) or 'T' (ISO-8601) */
  bool ts_need_sec;   /* "HH:mm" alone is not enough (SQL_TIME_FORMAT, Timestamp.valueOf) */
  bool ltz_z;         /* TIMESTAMP_LTZ text carries a trailing 'Z' (JSON) */
  bool date_lenient;  /* 1- or 2-digit month and day (java.sql.Date/Timestamp.valueOf) */
  bool time_need_sec; /* TIME must have seconds (JSON's SQL_TIME_FORMAT) */
  bool trim_temporal; /* surrounding blanks allowed around temporal text (CSV) */
} sl__fmt_text;

/* Converts text into the slot of a non-string column the way Flink's JSON and CSV formats read
 * text (Integer.parseInt(trim), Double.parseDouble, new BigDecimal, the format's time layouts).
 * slot points at the column's slot for the row. Returns 0, SL_EFORMAT (cannot parse) or
 * SL_EOVERFLOW (a number out of the type's range). */
int sl__fmt_text_to_slot(const sl__fmt_text *o, const sl__fmt_col *col, const char *s, size_t n,
                         void *slot);

/* The pieces, for callers that already know the shape of their input. */
int sl__fmt_parse_i64(const char *s, size_t n, int64_t *out);       /* [+-]digits, trimmed */
int sl__fmt_parse_double(const char *s, size_t n, double *out);     /* Double.parseDouble */
int sl__fmt_parse_decimal(const char *s, size_t n, const sl__fmt_col *col, sl_i128 *out);
int sl__fmt_parse_ts(const sl__fmt_text *o, bool ltz, int precision, const char *s, size_t n,
                     int64_t *micros);
bool sl__fmt_int_fits(const sl__fmt_col *col, int64_t v);

/* Fills err with "field 'name': cannot parse 'text' as TYPE" (code SL_EFORMAT) or "field
 * 'name': value text is out of range for TYPE" (SL_EOVERFLOW); long text is shortened.
 * Returns code. */
int sl__fmt_conv_error(sl_err *err, int code, const sl__fmt_col *col, const char *s, size_t n);

/* "DECIMAL(10, 2)", without NOT NULL or *ROWTIME*. buf >= 64. */
const char *sl__fmt_type_name(sl_type t, char *buf);

/* ------------------------------------------------------------------ value -> text */

/* Each writes at w and returns the number of bytes written. */
int sl__fmt_put_i64(char *w, int64_t v);                                   /* <= 20 */
/* Java's BigDecimal.toString() (plain == false; scientific for tiny values, "0E-8") or
 * toPlainString() (plain == true). <= 64 bytes. */
int sl__fmt_put_decimal(char *w, sl_i128 v, int scale, bool plain);
int sl__fmt_put_date(char *w, int64_t days);                               /* <= 16 */
/* "HH:mm:ss" plus the shortest fraction (Java's ISO_LOCAL_TIME), cut to precision digits. */
int sl__fmt_put_time(char *w, int64_t micros, int precision);             /* <= 16 */
/* Date, sep, time as above, then 'Z' when z. */
int sl__fmt_put_ts(char *w, int64_t micros, int precision, char sep, bool z); /* <= 48 */

#endif
