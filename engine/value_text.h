/* value_text.h - values to and from text, with Flink's CAST(x AS STRING) rules. */
#ifndef SL_VALUE_TEXT_H
#define SL_VALUE_TEXT_H

#include <stddef.h>

#include "arena.h"
#include "buf.h"
#include "types.h"

/* Appends the text of a non-NULL value as Flink's CAST(v AS STRING) renders it:
 * BOOLEAN TRUE/FALSE; integers in decimal; DOUBLE/FLOAT like Java's Double.toString /
 * Float.toString (1.0, 0.1, 1.0E10, 1.0E-5, NaN, Infinity); DECIMAL with exactly its scale
 * ("650.00"); DATE 2024-03-01; TIME 08:00:01; TIMESTAMP(p) "2024-03-01 08:00:01.326" with exactly
 * p fraction digits; TIMESTAMP_LTZ the same in UTC; intervals as sl_interval_format; strings
 * as-is. The caller handles NULL. */
void sl_value_render(sl_type t, const sl_value *v, sl_buf *out);
/* Java's Double.toString / Float.toString (is_float: shortest float repr). buf >= 32. */
int sl_double_format(double d, bool is_float, char *buf);
/* Parses text into a value of type t (CAST(str AS t)): numbers trimmed of blanks, BOOLEAN
 * 'true'/'false' any case, temporal types via datetime.h (iso accepted too), strings copied
 * into arena (or referenced when arena is NULL) and, for CHAR(n)/VARCHAR(n), cut to n.
 * Returns 0, SL_EFORMAT or SL_EOVERFLOW (out of range for the type). */
int sl_value_parse(sl_type t, const char *s, size_t n, sl_arena *arena, sl_value *out);
/* Integer ranges of TINYINT..BIGINT. */
bool sl_int_fits(sl_type_kind kind, int64_t v);

/* LIKE with % and _ and an optional escape character (0 = none). Byte-wise (UTF-8 safe
 * for % ; _ matches one UTF-8 code point). */
bool sl_like_match(const char *s, size_t n, const char *pat, size_t pn, char escape);

#endif
