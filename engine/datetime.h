/* datetime.h - calendar math, parsing and formatting of DATE, TIME, TIMESTAMP and INTERVAL. */
#ifndef SL_DATETIME_H
#define SL_DATETIME_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define SL_MICROS_PER_SEC INT64_C(1000000)
#define SL_MICROS_PER_DAY INT64_C(86400000000)

/* Proleptic Gregorian days since 1970-01-01 and back. */
int64_t sl_days_from_civil(int64_t y, int m, int d);
void sl_civil_from_days(int64_t days, int64_t *y, int *m, int *d);
/* Floor division helpers for negative epochs. */
int64_t sl_floor_div(int64_t a, int64_t b);
int64_t sl_floor_mod(int64_t a, int64_t b);

/* Timestamps are microseconds since the epoch (no zone). Accepts
 *   "yyyy-MM-dd HH:mm:ss[.f{1,9}]", "yyyy-MM-dd HH:mm", "yyyy-MM-dd" (midnight),
 *   and when iso is true also "yyyy-MM-ddTHH:mm:ss[.f]" with an optional trailing "Z".
 * Fractions beyond microseconds are truncated. Surrounding blanks allowed.
 * Returns 0 or SL_EFORMAT (bad syntax or out-of-range field such as month 13). */
int sl_ts_parse(const char *s, size_t n, bool iso, int64_t *out);
/* "yyyy-MM-dd HH:mm:ss" plus "." and exactly precision fraction digits when precision > 0
 * (Flink's SQL form; 'T' instead of ' ' when iso, plus "Z" when iso_z). buf >= 40 bytes.
 * Returns the length. */
int sl_ts_format(int64_t micros, int precision, bool iso, bool iso_z, char *buf);
int sl_date_parse(const char *s, size_t n, int64_t *days);  /* "yyyy-MM-dd" */
int sl_date_format(int64_t days, char *buf);                /* buf >= 16 */
/* TIME values are microseconds of the day. Parses "HH:mm[:ss[.f]]". */
int sl_time_parse(const char *s, size_t n, int64_t *micros);
int sl_time_format(int64_t micros, int precision, char *buf); /* "HH:mm:ss[.fff]" */

/* DATE_FORMAT(ts, pattern) with Java SimpleDateFormat / DateTimeFormatter letters
 * (yyyy yy MM M dd d HH H hh h mm m ss s SSS S... a E EEE MMM 'quoted' literal text).
 * Appends the text to out (at most cap bytes); returns the length or SL_EINVAL for an
 * unsupported pattern letter. */
int sl_ts_format_pattern(int64_t micros, const char *pat, size_t plen, char *out, size_t cap);
/* TO_TIMESTAMP(str, pattern): parses str against the same pattern letters.
 * Returns 0 or SL_EFORMAT. */
int sl_ts_parse_pattern(const char *s, size_t n, const char *pat, size_t plen, int64_t *out);

/* EXTRACT(unit FROM v) where v is of the given SQL type kind (sl_type_kind: DATE, TIME,
 * TIMESTAMP, TIMESTAMP_LTZ, INTERVAL_YM, INTERVAL_DT) and unit a sl_time_unit.
 * Returns 0 or SL_EINVAL when the unit does not apply to the type. */
int sl_extract(int unit, int kind, int64_t v, int64_t *out);

/* Parses the string of an INTERVAL literal for the qualifier unit_from [TO unit_to]
 * (sl_time_unit): '5' MINUTE, '1:30' MINUTE TO SECOND, '2 03:04:05.5' DAY TO SECOND,
 * '1-6' YEAR TO MONTH, '-5' DAY, '1.5' SECOND ... Sets *year_month and writes months (YEAR/
 * MONTH qualifiers) or microseconds (the rest). Returns 0 or SL_EFORMAT. */
int sl_interval_parse(const char *s, size_t n, int unit_from, int unit_to, bool *year_month,
                      int64_t *out);
/* Flink's rendering of an interval value: "+5 00:01:30.000" (day-time), "+1-06" (year-month). */
int sl_interval_format(int64_t v, bool year_month, char *buf); /* buf >= 48 */

#endif
