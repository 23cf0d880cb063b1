/* types.c - properties and names of SQL types. */
#include "types.h"

#include <stdio.h>

sl_phys sl_type_phys(sl_type t) {
  switch ((sl_type_kind)t.kind) {
    case SL_TYPE_FLOAT:
    case SL_TYPE_DOUBLE: return SL_PHYS_F64;
    case SL_TYPE_DECIMAL: return SL_PHYS_DEC;
    case SL_TYPE_CHAR:
    case SL_TYPE_VARCHAR: return SL_PHYS_STR;
    default: return SL_PHYS_I64;
  }
}

int sl_type_slot_size(sl_type t) {
  switch (sl_type_phys(t)) {
    case SL_PHYS_I64: return 8;
    case SL_PHYS_F64: return 8;
    case SL_PHYS_DEC: return 16;
    case SL_PHYS_STR: return (int)sizeof(sl_str);
  }
  return 8;
}

sl_type sl_type_make(sl_type_kind kind, int32_t precision, int scale, bool nullable) {
  sl_type t = {.kind = (uint8_t)kind, .nullable = nullable, .rowtime = false,
               .scale = (uint8_t)scale, .precision = precision};
  return t;
}

bool sl_type_is_integer(sl_type t) { return t.kind >= SL_TYPE_TINYINT && t.kind <= SL_TYPE_BIGINT; }
bool sl_type_is_numeric(sl_type t) { return t.kind >= SL_TYPE_TINYINT && t.kind <= SL_TYPE_DECIMAL; }
bool sl_type_is_string(sl_type t) { return t.kind == SL_TYPE_CHAR || t.kind == SL_TYPE_VARCHAR; }
bool sl_type_is_temporal(sl_type t) {
  return t.kind >= SL_TYPE_DATE && t.kind <= SL_TYPE_TIMESTAMP_LTZ;
}

bool sl_type_equal(sl_type a, sl_type b) {
  return a.kind == b.kind && a.precision == b.precision && a.scale == b.scale;
}

char *sl_type_name(sl_type t, char *buf, int n) {
  const char *nn = t.nullable ? "" : " NOT NULL";
  switch ((sl_type_kind)t.kind) {
    case SL_TYPE_NULL: snprintf(buf, (size_t)n, "NULL"); break;
    case SL_TYPE_BOOLEAN: snprintf(buf, (size_t)n, "BOOLEAN%s", nn); break;
    case SL_TYPE_TINYINT: snprintf(buf, (size_t)n, "TINYINT%s", nn); break;
    case SL_TYPE_SMALLINT: snprintf(buf, (size_t)n, "SMALLINT%s", nn); break;
    case SL_TYPE_INT: snprintf(buf, (size_t)n, "INT%s", nn); break;
    case SL_TYPE_BIGINT: snprintf(buf, (size_t)n, "BIGINT%s", nn); break;
    case SL_TYPE_FLOAT: snprintf(buf, (size_t)n, "FLOAT%s", nn); break;
    case SL_TYPE_DOUBLE: snprintf(buf, (size_t)n, "DOUBLE%s", nn); break;
    case SL_TYPE_DECIMAL: snprintf(buf, (size_t)n, "DECIMAL(%d, %d)%s", t.precision, t.scale, nn); break;
    case SL_TYPE_CHAR: snprintf(buf, (size_t)n, "CHAR(%d)%s", t.precision, nn); break;
    case SL_TYPE_VARCHAR:
      if (t.precision == SL_VARCHAR_MAX) snprintf(buf, (size_t)n, "STRING%s", nn);
      else snprintf(buf, (size_t)n, "VARCHAR(%d)%s", t.precision, nn);
      break;
    case SL_TYPE_DATE: snprintf(buf, (size_t)n, "DATE%s", nn); break;
    case SL_TYPE_TIME: snprintf(buf, (size_t)n, "TIME(%d)%s", t.precision, nn); break;
    case SL_TYPE_TIMESTAMP:
      snprintf(buf, (size_t)n, "TIMESTAMP(%d)%s%s", t.precision, nn, t.rowtime ? " *ROWTIME*" : "");
      break;
    case SL_TYPE_TIMESTAMP_LTZ:
      snprintf(buf, (size_t)n, "TIMESTAMP_LTZ(%d)%s%s", t.precision, nn, t.rowtime ? " *ROWTIME*" : "");
      break;
    case SL_TYPE_INTERVAL_YM: snprintf(buf, (size_t)n, "INTERVAL YEAR TO MONTH%s", nn); break;
    case SL_TYPE_INTERVAL_DT: snprintf(buf, (size_t)n, "INTERVAL DAY TO SECOND(3)%s", nn); break;
    default: snprintf(buf, (size_t)n, "?"); break;
  }
  return buf;
}
