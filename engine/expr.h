/* expr.h - bound, typed expressions and their vectorized evaluation over batches. */
#ifndef SL_EXPR_H
#define SL_EXPR_H

#include <stdbool.h>
#include <stdint.h>

#include "arena.h"
#include "batch.h"
#include "buf.h"
#include "err.h"
#include "types.h"

typedef enum {
  SL_EXPR_COL = 1,  /* input column `col` */
  SL_EXPR_CONST,    /* `value` of `type` (strings live in the query arena) */
  SL_EXPR_CALL,     /* scalar function or operator `fn` over args */
  SL_EXPR_CAST,     /* args[0] converted to `type`; `fn` = 1 for TRY_CAST (NULL on failure) */
  SL_EXPR_AND,      /* n-ary, three-valued */
  SL_EXPR_OR,       /* n-ary, three-valued */
  SL_EXPR_NOT,
  SL_EXPR_IS_NULL,  /* args[0] IS NULL; `negated` for IS NOT NULL */
  SL_EXPR_IS_TRUE,  /* args[0] IS TRUE / IS NOT TRUE (negated) */
  SL_EXPR_IS_FALSE, /* args[0] IS FALSE / IS NOT FALSE (negated) */
  SL_EXPR_CASE,     /* args: cond1, val1, cond2, val2, ..., [else] ; nargs odd when ELSE given */
  SL_EXPR_IN,       /* args[0] IN (args[1..]); `negated` for NOT IN; all args same type */
  SL_EXPR_COALESCE, /* first non-NULL of args */
} sl_expr_kind;

/* Scalar functions and operators. The binder resolves a name and argument types to one of
 * these with sl_func_bind; the evaluator runs it a column at a time. */
typedef enum {
  SL_FN_NONE = 0,
  /* arithmetic: both args already cast to the result type, except interval arithmetic */
  SL_FN_ADD, SL_FN_SUB, SL_FN_MUL, SL_FN_DIV, SL_FN_MOD, SL_FN_NEG,
  /* timestamp/date +- interval (args[0] temporal, args[1] interval) and ts - ts? (not SQL) */
  SL_FN_TS_ADD_INTERVAL, SL_FN_TS_SUB_INTERVAL,
  /* comparisons: both args cast to a common type first */
  SL_FN_EQ, SL_FN_NE, SL_FN_LT, SL_FN_LE, SL_FN_GT, SL_FN_GE,
  SL_FN_LIKE,       /* args: str, pattern [, escape]; `negated` for NOT LIKE */
  SL_FN_CONCAT,     /* CONCAT(a, b, ...) and a || b: NULL if any arg NULL */
  SL_FN_UPPER, SL_FN_LOWER,
  SL_FN_SUBSTRING,  /* str, start [, length]: 1-based, Flink semantics */
  SL_FN_TRIM, SL_FN_LTRIM, SL_FN_RTRIM, /* str [, chars] */
  SL_FN_CHAR_LENGTH,
  SL_FN_ABS, SL_FN_ROUND, SL_FN_FLOOR, SL_FN_CEIL, /* ROUND(x [, digits]) */
  SL_FN_EXTRACT,    /* args[0] = INT constant sl_time_unit, args[1] = temporal/interval */
  SL_FN_DATE_FORMAT,/* ts (or string), pattern */
  SL_FN_TO_TIMESTAMP, /* str [, pattern] -> TIMESTAMP(3) */
  SL_FN_POWER, SL_FN_SQRT, SL_FN_LN, SL_FN_LOG10, SL_FN_EXP,
  SL_FN_CHAR_POSITION, /* POSITION(a IN b) */
  SL_FN_NULLIF,
  SL_FN_WINDOW_START, /* ts, size (INTERVAL constant): start of the tumbling window holding ts */
  SL_FN_COUNT_
} sl_fn;

typedef struct sl_expr sl_expr;
struct sl_expr {
  uint8_t kind;     /* sl_expr_kind */
  bool negated;
  int fn;           /* sl_fn for CALL; 1 for TRY_CAST */
  sl_type type;     /* result type */
  int col;          /* COL */
  sl_value value;   /* CONST */
  int nargs;
  sl_expr **args;
  int64_t loc;      /* for runtime errors: byte offset in the SQL text */
};

sl_expr *sl_expr_col(sl_arena *a, int col, sl_type t, int64_t loc);
sl_expr *sl_expr_const(sl_arena *a, sl_type t, const sl_value *v, int64_t loc);
sl_expr *sl_expr_new(sl_arena *a, sl_expr_kind kind, sl_type t, int nargs, int64_t loc);

/* ---- Typing (bind time) ----------------------------------------------------------------- */

/* Resolves function or operator `name` (upper case: "+", "-", "*", "/", "%", "NEG", "=",
 * "<>", "<", "<=", ">", ">=", "||", "LIKE", "CONCAT", "UPPER", "LOWER", "SUBSTRING", "TRIM",
 * "LTRIM", "RTRIM", "CHAR_LENGTH", "CHARACTER_LENGTH", "ABS", "ROUND", "FLOOR", "CEIL",
 * "CEILING", "EXTRACT", "DATE_FORMAT", "TO_TIMESTAMP", "POWER", "SQRT", "LN", "LOG10", "EXP",
 * "POSITION", "NULLIF", "MOD") for the given args (already bound), inserting implicit casts
 * with Flink's rules (DECIMAL precision/scale of + - * / %, numeric widening, string vs
 * temporal comparison, ...). On success *out is the CALL node (args may be wrapped in CASTs).
 * Unknown names give SL_EBIND "unknown function 'X'"; wrong argument types give SL_ETYPE naming
 * the function and the types ("cannot apply '+' to STRING and INT"), at loc. */
int sl_func_bind(sl_arena *a, const char *name, int64_t loc, int nargs, sl_expr **args,
                 sl_expr **out, sl_err *err);
/* Wraps e in a CAST to t (returns e itself when the types already match, ignoring nullability).
 * Explicit casts (CAST syntax) may go anywhere Flink allows; SL_ETYPE otherwise. */
int sl_expr_cast(sl_arena *a, sl_expr *e, sl_type t, bool explicit_cast, int64_t loc, sl_expr **out,
                 sl_err *err);
/* The least restrictive type of a and b (CASE branches, COALESCE, IN lists, comparisons), as
 * Flink derives it. Returns 0 or SL_ETYPE when none exists (e.g. BOOLEAN and DATE). */
int sl_type_common(sl_type a, sl_type b, sl_type *out);

/* ---- Evaluation (run time) -------------------------------------------------------------- */

/* Scratch for one evaluation round; vectors and produced strings live in `arena`, which the
 * caller resets between batches. */
typedef struct sl_eval_ctx {
  sl_arena *arena;
  sl_err *err;
  const char *sql;  /* for error positions, may be NULL */
} sl_eval_ctx;

/* Evaluates e for rows sel[0..n) of in (sel NULL = rows 0..n-1). *out receives a column whose
 * slot and null arrays are indexed by row number (size in->nrows or more) and valid at the
 * selected rows only; they may alias the input column (for SL_EXPR_COL) or scratch memory.
 * Runtime failures (division by zero, overflow, bad cast) return the error with e->loc. */
int sl_expr_eval(sl_eval_ctx *ctx, const sl_expr *e, const sl_batch *in, const uint32_t *sel, int n,
                 sl_col *out);
/* Evaluates a BOOLEAN predicate and writes the rows where it is TRUE (not FALSE, not NULL) to
 * sel_out (room for n), in order; *nout is their count. sel_out may equal sel. */
int sl_expr_filter(sl_eval_ctx *ctx, const sl_expr *e, const sl_batch *in, const uint32_t *sel, int n,
                   uint32_t *sel_out, int *nout);
/* Evaluates a constant expression (no COL nodes) to one value; strings go to arena. */
int sl_expr_eval_const(sl_eval_ctx *ctx, const sl_expr *e, sl_value *out);
/* True when e has no COL node (constant folding candidates). */
bool sl_expr_is_const(const sl_expr *e);
/* Renders e for EXPLAIN: column names from names[] (may be NULL: "$3"). */
void sl_expr_explain(const sl_expr *e, const char *const *names, sl_buf *out);

/* TRY_CAST(e AS t) (added by expr): like an explicit sl_expr_cast, but the node has fn = 1 and
 * a nullable type, so a value that cannot be converted gives NULL instead of an error. */
int sl_expr_try_cast(sl_arena *a, sl_expr *e, sl_type t, int64_t loc, sl_expr **out, sl_err *err);

/* Renders a day-time interval of micros for EXPLAIN: INTERVAL '5' MINUTE. */
void sl_interval_explain(int64_t micros, sl_buf *out);

/* ---- Internal: kernels shared by expr_eval.c, func.c and cast.c (added by expr) ---------- */

/* Row capacity of the vectors produced while evaluating over `in` with n selected rows. */
int sl__expr_cap(const sl_batch *in, int n);
/* CAST kernel: converts rows sel[0..n) of src (type e->args[0]->type) to e->type into out
 * (vectors of cap rows from ctx->arena). e gives loc and TRY (fn = 1). */
int sl__cast_eval(sl_eval_ctx *ctx, const sl_expr *e, const sl_col *src, int cap,
                  const uint32_t *sel, int n, sl_col *out);
/* Casts one non-NULL value; strings go to arena. Returns 0, 1 when the result is NULL (for
 * example DECIMAL overflow), or SL_EFORMAT / SL_EOVERFLOW when the value cannot be cast. */
int sl__cast_value(sl_arena *arena, sl_type from, const sl_value *v, sl_type to, sl_value *out);
/* Scalar function kernel for CALL nodes that expr_eval.c does not run itself: args[i] are the
 * evaluated argument columns (valid at the selected rows). */
int sl__func_eval(sl_eval_ctx *ctx, const sl_expr *e, const sl_col *args, int cap,
                  const uint32_t *sel, int n, sl_col *out);
/* Name of a CALL's function for EXPLAIN and messages ("UPPER", "+"). */
const char *sl__fn_name(int fn);

#endif
