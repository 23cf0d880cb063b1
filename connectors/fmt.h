/* fmt.h - record formats (json, csv): schema-directed decoders into batches and encoders out. */
#ifndef SL_FMT_H
#define SL_FMT_H

#include <stddef.h>
#include <stdint.h>

#include "../engine/batch.h"
#include "../engine/buf.h"
#include "../engine/err.h"
#include "options.h"

typedef struct sl_fmt_dec sl_fmt_dec;
typedef struct sl_fmt_enc sl_fmt_enc;

/* Creates a decoder for `format` ("json" or "csv") producing ncols columns named names[] of
 * types[]. Reads (and marks used) the format's options from opts: 'json.fail-on-missing-field',
 * 'json.ignore-parse-errors', 'json.timestamp-format.standard', 'csv.field-delimiter',
 * 'csv.quote-character', 'csv.ignore-parse-errors', 'csv.null-literal', 'csv.allow-comments',
 * 'csv.disable-quote-character', 'csv.escape-character'. An unknown format or a bad option value
 * is SL_ECONFIG. */
int sl_fmt_dec_new(const char *format, int ncols, const char *const *names, const sl_type *types,
                   sl_options *opts, sl_fmt_dec **out, sl_err *err);
void sl_fmt_dec_free(sl_fmt_dec *d);
/* Decodes one record (one line, no newline) into row `row` of b, columns 0..ncols-1; strings
 * are copied into b's arena. Returns 0 when the row was written, 1 when the record was skipped
 * (blank line, comment, or a parse error with ignore-parse-errors on), or SL_EFORMAT with a
 * message naming the field and the cause ("field 'amount': cannot parse 'abc' as DECIMAL(10, 2)");
 * the caller prefixes file and line. */
int sl_fmt_dec_record(sl_fmt_dec *d, const char *rec, size_t n, sl_batch *b, uint32_t row, sl_err *err);

/* Encoders write one line per row, in the same form the decoder reads. */
int sl_fmt_enc_new(const char *format, int ncols, const char *const *names, const sl_type *types,
                   sl_options *opts, sl_fmt_enc **out, sl_err *err);
void sl_fmt_enc_free(sl_fmt_enc *e);
/* Appends row `row` of b (columns 0..ncols-1) plus '\n' to out. */
void sl_fmt_enc_row(sl_fmt_enc *e, const sl_batch *b, uint32_t row, sl_buf *out);

#endif
