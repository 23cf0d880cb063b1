/* expr.c - bound expression nodes: construction, constness and EXPLAIN rendering. */
#include "expr.h"

#include <string.h>

#include "../sql/ast.h"
#include "datetime.h"
#include "decimal.h"
#include "value_text.h"

/* ==== Construction ======================================================================== */

/* Nodes live in the query arena a; they are never freed one by one. */
sl_expr *sl_expr_new(sl_arena *a, sl_expr_kind kind, sl_type t, int nargs, int64_t loc) {
  sl_expr *e = sl_arena_zalloc(a, sizeof *e);
  e->kind = (uint8_t)kind;
  e->type = t;
  e->nargs = nargs;
  e->args = nargs > 0 ? sl_arena_zalloc(a, sizeof(sl_expr *) * (size_t)nargs) : NULL;
  e->loc = loc;
  return e;
}

sl_expr *sl_expr_col(sl_arena *a, int col, sl_type t, int64_t loc) {
  sl_expr *e = sl_expr_new(a, SL_EXPR_COL, t, 0, loc);
  e->col = col;
  return e;
}

/* Strings of v are referenced, not copied: they must live as long as the query arena. */
sl_expr *sl_expr_const(sl_arena *a, sl_type t, const sl_value *v, int64_t loc) {
  sl_expr *e = sl_expr_new(a, SL_EXPR_CONST, t, 0, loc);
  e->value = *v;
  if (v->is_null || t.kind == SL_TYPE_NULL) {
    memset(&e->value, 0, sizeof e->value);
    e->value.is_null = true;
    e->type.nullable = true;
  }
  return e;
}

bool sl_expr_is_const(const sl_expr *e) {
  if (!e) return true;
  if (e->kind == SL_EXPR_COL) return false;
  for (int i = 0; i < e->nargs; i++)
    if (!sl_expr_is_const(e->args[i])) return false;
  return true;
}

/* ==== EXPLAIN ============================================================================= */

const char *sl__fn_name(int fn) {
  switch ((sl_fn)fn) {
    case SL_FN_ADD: return "+";
    case SL_FN_SUB: return "-";
    case SL_FN_MUL: return "*";
    case SL_FN_DIV: return "/";
    case SL_FN_MOD: return "MOD";
    case SL_FN_NEG: return "-";
    case SL_FN_TS_ADD_INTERVAL: return "+";
    case SL_FN_TS_SUB_INTERVAL: return "-";
    case SL_FN_EQ: return "=";
    case SL_FN_NE: return "<>";
    case SL_FN_LT: return "<";
    case SL_FN_LE: return "<=";
    case SL_FN_GT: return ">";
    case SL_FN_GE: return ">=";
    case SL_FN_LIKE: return "LIKE";
    case SL_FN_CONCAT: return "CONCAT";
    case SL_FN_UPPER: return "UPPER";
    case SL_FN_LOWER: return "LOWER";
    case SL_FN_SUBSTRING: return "SUBSTRING";
    case SL_FN_TRIM: return "TRIM";
    case SL_FN_LTRIM: return "LTRIM";
    case SL_FN_RTRIM: return "RTRIM";
    case SL_FN_CHAR_LENGTH: return "CHAR_LENGTH";
    case SL_FN_ABS: return "ABS";
    case SL_FN_ROUND: return "ROUND";
    case SL_FN_FLOOR: return "FLOOR";
    case SL_FN_CEIL: return "CEIL";
    case SL_FN_EXTRACT: return "EXTRACT";
    case SL_FN_DATE_FORMAT: return "DATE_FORMAT";
    case SL_FN_TO_TIMESTAMP: return "TO_TIMESTAMP";
    case SL_FN_POWER: return "POWER";
    case SL_FN_SQRT: return "SQRT";
    case SL_FN_LN: return "LN";
    case SL_FN_LOG10: return "LOG10";
    case SL_FN_EXP: return "EXP";
    case SL_FN_CHAR_POSITION: return "POSITION";
    case SL_FN_NULLIF: return "NULLIF";
    case SL_FN_WINDOW_START: return "TUMBLE_START";
    default: return "?";
  }
}

static const char *unit_name(int u) {
  switch ((sl_time_unit)u) {
    case SL_UNIT_YEAR: return "YEAR";
    case SL_UNIT_QUARTER: return "QUARTER";
    case SL_UNIT_MONTH: return "MONTH";
    case SL_UNIT_WEEK: return "WEEK";
    case SL_UNIT_DAY: return "DAY";
    case SL_UNIT_HOUR: return "HOUR";
    case SL_UNIT_MINUTE: return "MINUTE";
    case SL_UNIT_SECOND: return "SECOND";
    case SL_UNIT_MILLISECOND: return "MILLISECOND";
    case SL_UNIT_MICROSECOND: return "MICROSECOND";
    case SL_UNIT_NANOSECOND: return "NANOSECOND";
    case SL_UNIT_DOW: return "DOW";
    case SL_UNIT_DOY: return "DOY";
    case SL_UNIT_EPOCH: return "EPOCH";
    case SL_UNIT_CENTURY: return "CENTURY";
    case SL_UNIT_DECADE: return "DECADE";
    case SL_UNIT_MILLENNIUM: return "MILLENNIUM";
    case SL_UNIT_ISODOW: return "ISODOW";
    case SL_UNIT_ISOYEAR: return "ISOYEAR";
    default: return "?";
  }
}

static void add_type(sl_type t, sl_buf *out) {
  char buf[64];
  t.nullable = true; /* the NOT NULL suffix is not part of a CAST target */
  t.rowtime = false;
  sl_buf_adds(out, sl_type_name(t, buf, sizeof buf));
}

/* A literal as SQL would spell it: 'it''s', TIMESTAMP '2024-01-01 00:00:00.000', 12.50. */
static void add_literal(const sl_expr *e, sl_buf *out) {
  const sl_value *v = &e->value;
  if (v->is_null || e->type.kind == SL_TYPE_NULL) {
    sl_buf_adds(out, "NULL");
    return;
  }
  sl_buf text;
  sl_buf_init(&text);
  sl_value_render(e->type, v, &text);
  switch ((sl_type_kind)e->type.kind) {
    case SL_TYPE_CHAR:
    case SL_TYPE_VARCHAR:
      sl_buf_addc(out, '\'');
      for (uint32_t i = 0; i < v->str.len; i++) {
        if (v->str.ptr[i] == '\'') sl_buf_addc(out, '\'');
        sl_buf_addc(out, v->str.ptr[i]);
      }
      sl_buf_addc(out, '\'');
      break;
    case SL_TYPE_DATE: sl_buf_printf(out, "DATE '%s'", text.data); break;
    case SL_TYPE_TIME: sl_buf_printf(out, "TIME '%s'", text.data); break;
    case SL_TYPE_TIMESTAMP: sl_buf_printf(out, "TIMESTAMP '%s'", text.data); break;
    case SL_TYPE_TIMESTAMP_LTZ: sl_buf_printf(out, "TIMESTAMP_LTZ '%s'", text.data); break;
    case SL_TYPE_INTERVAL_YM: sl_buf_printf(out, "INTERVAL '%s' YEAR TO MONTH", text.data); break;
    case SL_TYPE_INTERVAL_DT: sl_interval_explain(v->i64, out); break;
    default: sl_buf_adds(out, text.data ? text.data : ""); break;
  }
  sl_buf_destroy(&text);
}

static bool is_infix(const sl_expr *e) {
  if (e->kind == SL_EXPR_AND || e->kind == SL_EXPR_OR) return true;
  if (e->kind == SL_EXPR_IS_NULL || e->kind == SL_EXPR_IS_TRUE || e->kind == SL_EXPR_IS_FALSE ||
      e->kind == SL_EXPR_IN || e->kind == SL_EXPR_NOT)
    return true;
  if (e->kind != SL_EXPR_CALL) return false;
  switch ((sl_fn)e->fn) {
    case SL_FN_ADD: case SL_FN_SUB: case SL_FN_MUL: case SL_FN_DIV: case SL_FN_TS_ADD_INTERVAL:
    case SL_FN_TS_SUB_INTERVAL: case SL_FN_EQ: case SL_FN_NE: case SL_FN_LT: case SL_FN_LE:
    case SL_FN_GT: case SL_FN_GE: case SL_FN_LIKE:
      return true;
    default: return false;
  }
}

static void explain(const sl_expr *e, const char *const *names, sl_buf *out);

/* Operands that are themselves infix get parentheses so the text reads unambiguously. */
static void explain_operand(const sl_expr *e, const char *const *names, sl_buf *out) {
  if (is_infix(e)) {
    sl_buf_addc(out, '(');
    explain(e, names, out);
    sl_buf_addc(out, ')');
  } else {
    explain(e, names, out);
  }
}

static void explain_list(const sl_expr *e, int from, const char *const *names, sl_buf *out) {
  for (int i = from; i < e->nargs; i++) {
    if (i > from) sl_buf_adds(out, ", ");
    explain(e->args[i], names, out);
  }
}

static void explain_call(const sl_expr *e, const char *const *names, sl_buf *out) {
  const char *name = sl__fn_name(e->fn);
  switch ((sl_fn)e->fn) {
    case SL_FN_NEG:
      sl_buf_addc(out, '-');
      explain_operand(e->args[0], names, out);
      return;
    case SL_FN_ADD: case SL_FN_SUB: case SL_FN_MUL: case SL_FN_DIV: case SL_FN_TS_ADD_INTERVAL:
    case SL_FN_TS_SUB_INTERVAL: case SL_FN_EQ: case SL_FN_NE: case SL_FN_LT: case SL_FN_LE:
    case SL_FN_GT: case SL_FN_GE:
      explain_operand(e->args[0], names, out);
      sl_buf_printf(out, " %s ", name);
      explain_operand(e->args[1], names, out);
      return;
    case SL_FN_LIKE:
      explain_operand(e->args[0], names, out);
      sl_buf_adds(out, e->negated ? " NOT LIKE " : " LIKE ");
      explain_operand(e->args[1], names, out);
      if (e->nargs > 2) {
        sl_buf_adds(out, " ESCAPE ");
        explain_operand(e->args[2], names, out);
      }
      return;
    case SL_FN_EXTRACT:
      sl_buf_printf(out, "EXTRACT(%s FROM ",
                    unit_name(e->args[0]->kind == SL_EXPR_CONST ? (int)e->args[0]->value.i64 : 0));
      explain(e->args[1], names, out);
      sl_buf_addc(out, ')');
      return;
    case SL_FN_CHAR_POSITION:
      sl_buf_adds(out, "POSITION(");
      explain(e->args[0], names, out);
      sl_buf_adds(out, " IN ");
      explain(e->args[1], names, out);
      sl_buf_addc(out, ')');
      return;
    default:
      sl_buf_printf(out, "%s(", name);
      explain_list(e, 0, names, out);
      sl_buf_addc(out, ')');
      return;
  }
}

static void explain(const sl_expr *e, const char *const *names, sl_buf *out) {
  switch ((sl_expr_kind)e->kind) {
    case SL_EXPR_COL:
      if (names && names[e->col]) sl_buf_adds(out, names[e->col]);
      else sl_buf_printf(out, "$%d", e->col);
      return;
    case SL_EXPR_CONST: add_literal(e, out); return;
    case SL_EXPR_CALL: explain_call(e, names, out); return;
    case SL_EXPR_CAST:
      sl_buf_adds(out, e->fn == 1 ? "TRY_CAST(" : "CAST(");
      explain(e->args[0], names, out);
      sl_buf_adds(out, " AS ");
      add_type(e->type, out);
      sl_buf_addc(out, ')');
      return;
    case SL_EXPR_AND:
    case SL_EXPR_OR:
      for (int i = 0; i < e->nargs; i++) {
        if (i) sl_buf_adds(out, e->kind == SL_EXPR_AND ? " AND " : " OR ");
        explain_operand(e->args[i], names, out);
      }
      return;
    case SL_EXPR_NOT:
      sl_buf_adds(out, "NOT ");
      explain_operand(e->args[0], names, out);
      return;
    case SL_EXPR_IS_NULL:
    case SL_EXPR_IS_TRUE:
    case SL_EXPR_IS_FALSE: {
      const char *what = e->kind == SL_EXPR_IS_NULL ? "NULL" : e->kind == SL_EXPR_IS_TRUE ? "TRUE" : "FALSE";
      explain_operand(e->args[0], names, out);
      sl_buf_printf(out, " IS %s%s", e->negated ? "NOT " : "", what);
      return;
    }
    case SL_EXPR_CASE: {
      sl_buf_adds(out, "CASE");
      int i = 0;
      for (; i + 1 < e->nargs; i += 2) {
        sl_buf_adds(out, " WHEN ");
        explain(e->args[i], names, out);
        sl_buf_adds(out, " THEN ");
        explain(e->args[i + 1], names, out);
      }
      if (i < e->nargs) {
        sl_buf_adds(out, " ELSE ");
        explain(e->args[i], names, out);
      }
      sl_buf_adds(out, " END");
      return;
    }
    case SL_EXPR_IN:
      explain_operand(e->args[0], names, out);
      sl_buf_adds(out, e->negated ? " NOT IN (" : " IN (");
      explain_list(e, 1, names, out);
      sl_buf_addc(out, ')');
      return;
    case SL_EXPR_COALESCE:
      sl_buf_adds(out, "COALESCE(");
      explain_list(e, 0, names, out);
      sl_buf_addc(out, ')');
      return;
  }
  sl_buf_adds(out, "?");
}

void sl_expr_explain(const sl_expr *e, const char *const *names, sl_buf *out) {
  if (!e) return;
  explain(e, names, out);
}

void sl_interval_explain(int64_t micros, sl_buf *out) {
  /* The largest unit that divides the value exactly reads best: INTERVAL '5' MINUTE. */
  static const struct { int64_t us; const char *unit; } units[] = {
    {INT64_C(86400000000), "DAY"}, {INT64_C(3600000000), "HOUR"}, {INT64_C(60000000), "MINUTE"},
    {INT64_C(1000000), "SECOND"},
  };
  if (micros == 0) {
    sl_buf_adds(out, "INTERVAL '0' SECOND");
    return;
  }
  for (int i = 0; i < 4; i++)
    if (micros % units[i].us == 0) {
      sl_buf_printf(out, "INTERVAL '%lld' %s", (long long)(micros / units[i].us), units[i].unit);
      return;
    }
  char text[48];
  sl_interval_format(micros, false, text);
  sl_buf_printf(out, "INTERVAL '%s' DAY TO SECOND", text);
}
