/* decimal.h - DECIMAL(p,s) arithmetic on 128-bit unscaled integers, and Flink's result-type rules. */
#ifndef SL_DECIMAL_H
#define SL_DECIMAL_H

#include <stdbool.h>
#include <stddef.h>

#include "types.h"

/* 10^n for n in [0, 38]. */
sl_i128 sl_dec_pow10(int n);
/* True when |v| < 10^precision. */
bool sl_dec_fits(sl_i128 v, int precision);
/* Parses "[+-]digits[.digits][e[+-]exp]" (surrounding blanks allowed) into DECIMAL(precision,
 * scale), rounding HALF_UP to scale. Returns 0, SL_EFORMAT (not a number) or SL_EOVERFLOW
 * (does not fit precision). */
int sl_dec_parse(const char *s, size_t n, int precision, int scale, sl_i128 *out);
/* Writes the plain form with exactly scale fraction digits ("650.00", "-0.50", "12").
 * buf must hold at least 48 bytes. Returns the length. */
int sl_dec_format(sl_i128 v, int scale, char *buf);
/* Changes the scale, rounding HALF_UP when it shrinks. SL_EOVERFLOW if the result would not
 * fit 38 digits. */
int sl_dec_rescale(sl_i128 v, int from_scale, int to_scale, sl_i128 *out);
/* a*b and a/b with the result at result_scale (HALF_UP). SL_EOVERFLOW when the result exceeds
 * 38 digits; sl_dec_div returns SL_EINVAL on division by zero. */
int sl_dec_mul(sl_i128 a, int sa, sl_i128 b, int sb, int result_scale, sl_i128 *out);
int sl_dec_div(sl_i128 a, int sa, sl_i128 b, int sb, int result_scale, sl_i128 *out);
/* a % b (sign of a), both rescaled to result_scale first. SL_EINVAL when b is zero. */
int sl_dec_mod(sl_i128 a, int sa, sl_i128 b, int sb, int result_scale, sl_i128 *out);
double sl_dec_to_double(sl_i128 v, int scale);
/* HALF_UP; SL_EOVERFLOW if it does not fit precision, SL_EFORMAT for NaN/Inf. */
int sl_dec_from_double(double d, int precision, int scale, sl_i128 *out);
/* Truncates toward zero to an integer (CAST(dec AS BIGINT)). */
sl_i128 sl_dec_trunc(sl_i128 v, int scale);

/* Flink's result types (LogicalTypeMerging). Each writes precision and scale, both capped
 * to 38 the way Flink does (keeping at least min(scale, 6) fraction digits). */
void sl_dec_type_add(int p1, int s1, int p2, int s2, int *p, int *s);  /* +, - */
void sl_dec_type_mul(int p1, int s1, int p2, int s2, int *p, int *s);
void sl_dec_type_div(int p1, int s1, int p2, int s2, int *p, int *s);
void sl_dec_type_mod(int p1, int s1, int p2, int s2, int *p, int *s);
void sl_dec_type_sum(int p1, int s1, int *p, int *s);   /* SUM(DECIMAL(p1,s1)) */
void sl_dec_type_avg(int p1, int s1, int *p, int *s);   /* AVG(DECIMAL(p1,s1)) */
/* Precision of an integer type seen as a decimal: TINYINT 3, SMALLINT 5, INT 10, BIGINT 19. */
int sl_dec_int_precision(sl_type_kind kind);

#endif
