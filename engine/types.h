/* types.h - SQL types and how each is stored in a column slot. */
#ifndef SL_TYPES_H
#define SL_TYPES_H

#include <stdbool.h>
#include <stdint.h>

/* Storage classes: every SQL type maps to one physical slot type.
 *   I64  BOOLEAN (0/1), TINYINT, SMALLINT, INT, BIGINT, DATE (days since 1970-01-01),
 *        TIME (microseconds of the day), TIMESTAMP and TIMESTAMP_LTZ (microseconds since
 *        1970-01-01 00:00:00, UTC for LTZ), INTERVAL DAY TO SECOND (microseconds),
 *        INTERVAL YEAR TO MONTH (months)
 *   F64  FLOAT, DOUBLE
 *   DEC  DECIMAL(p,s): the unscaled value as a signed 128-bit integer
 *   STR  CHAR, VARCHAR, STRING: pointer + length (not NUL-terminated) */
typedef enum {
  SL_TYPE_NULL = 0, /* the type of a bare NULL literal before coercion */
  SL_TYPE_BOOLEAN,
  SL_TYPE_TINYINT,
  SL_TYPE_SMALLINT,
  SL_TYPE_INT,
  SL_TYPE_BIGINT,
  SL_TYPE_FLOAT,
  SL_TYPE_DOUBLE,
  SL_TYPE_DECIMAL,
  SL_TYPE_CHAR,
  SL_TYPE_VARCHAR, /* STRING is VARCHAR(2147483647) */
  SL_TYPE_DATE,
  SL_TYPE_TIME,
  SL_TYPE_TIMESTAMP,
  SL_TYPE_TIMESTAMP_LTZ,
  SL_TYPE_INTERVAL_YM,
  SL_TYPE_INTERVAL_DT,
  SL_TYPE_COUNT_
} sl_type_kind;

typedef enum { SL_PHYS_I64, SL_PHYS_F64, SL_PHYS_DEC, SL_PHYS_STR } sl_phys;

#define SL_VARCHAR_MAX 2147483647
#define SL_DECIMAL_MAX_PRECISION 38

/* A SQL type: kind plus parameters. precision is the length for CHAR/VARCHAR, the digits for
 * DECIMAL and the fractional-second digits for TIME/TIMESTAMP. */
typedef struct sl_type {
  uint8_t kind;      /* sl_type_kind */
  bool nullable;
  bool rowtime;      /* a time attribute (event time) when kind is TIMESTAMP/_LTZ */
  uint8_t scale;     /* DECIMAL scale */
  int32_t precision;
} sl_type;

typedef __int128 sl_i128;

typedef struct sl_str {
  const char *ptr;
  uint32_t len;
} sl_str;

/* One value outside a column: constants, state, rendering. */
typedef struct sl_value {
  bool is_null;
  union {
    int64_t i64;
    double f64;
    sl_i128 dec;
    sl_str str;
  };
} sl_value;

sl_phys sl_type_phys(sl_type t);
/* Slot size in bytes of the physical class. */
int sl_type_slot_size(sl_type t);
sl_type sl_type_make(sl_type_kind kind, int32_t precision, int scale, bool nullable);
bool sl_type_is_integer(sl_type t);   /* TINYINT..BIGINT */
bool sl_type_is_numeric(sl_type t);   /* integer, FLOAT, DOUBLE, DECIMAL */
bool sl_type_is_string(sl_type t);    /* CHAR, VARCHAR */
bool sl_type_is_temporal(sl_type t);  /* DATE, TIME, TIMESTAMP, TIMESTAMP_LTZ */
bool sl_type_equal(sl_type a, sl_type b); /* ignores nullable and rowtime */
/* Flink's SQL spelling: "DECIMAL(10, 2)", "TIMESTAMP(3)", "STRING", "INT NOT NULL"...
 * Writes into buf (n bytes) and returns buf. */
char *sl_type_name(sl_type t, char *buf, int n);

#endif
