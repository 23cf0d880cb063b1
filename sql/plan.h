/* plan.h - the logical plan the binder builds: a tree of relational nodes over bound expressions. */
#ifndef SL_PLAN_H
#define SL_PLAN_H

#include "../engine/expr.h"
#include "catalog.h"

typedef enum {
  SL_PLAN_SCAN = 1,   /* a source table: decoded physical columns + computed columns */
  SL_PLAN_VALUES,     /* one row of no columns (SELECT without FROM) */
  SL_PLAN_FILTER,     /* rows where pred is TRUE */
  SL_PLAN_PROJECT,    /* exprs over the input */
  SL_PLAN_WINDOW_AGG, /* group window aggregation (TUMBLE) */
  SL_PLAN_SINK        /* INSERT INTO a table, or collect the rows of a bare SELECT */
} sl_plan_kind;

typedef enum { SL_WINDOW_TUMBLE = 1 } sl_window_kind;

typedef enum {
  SL_AGG_COUNT_STAR = 1, SL_AGG_COUNT, SL_AGG_SUM, SL_AGG_AVG, SL_AGG_MIN, SL_AGG_MAX
} sl_agg_kind;

typedef struct sl_agg_call {
  int kind;          /* sl_agg_kind */
  bool distinct;
  sl_expr *arg;      /* over the aggregate's input; NULL for COUNT(*) */
  sl_type type;      /* result type */
  const char *name;  /* "COUNT", "SUM", ... for EXPLAIN */
} sl_agg_call;

/* The columns a node produces. */
typedef struct sl_schema {
  int n;
  const char **names;
  sl_type *types;
} sl_schema;

typedef struct sl_plan sl_plan;
struct sl_plan {
  int kind;          /* sl_plan_kind */
  sl_plan *input;
  sl_schema out;
  int rowtime;       /* output column that is the event-time attribute, or -1 */
  /* SCAN */
  sl_table_def *table;
  sl_expr **computed;     /* per table column: NULL for physical ones */
  sl_expr *wm_expr;       /* WATERMARK expression over the table's columns, or NULL */
  int wm_col;             /* the WATERMARK FOR column, or -1 */
  /* FILTER */
  sl_expr *pred;
  /* PROJECT */
  sl_expr **exprs;        /* out.n of them */
  /* WINDOW_AGG: output = keys..., window_start, window_end, window_time, aggs... */
  int window_kind;
  int time_col;           /* input column holding event time */
  int64_t size;           /* window size in microseconds */
  int nkeys;
  sl_expr **keys;
  int naggs;
  sl_agg_call *aggs;
  /* SINK */
  sl_table_def *sink;     /* NULL when collecting a bare SELECT */
};

/* A statement turned into something to run. */
typedef struct sl_bound_query {
  sl_plan *root;          /* a SINK node */
  const char *sql;        /* the whole script text, for positions */
} sl_bound_query;

/* Builds the logical plan of an INSERT or a bare SELECT statement. */
int sl_bind_statement(sl_catalog *cat, sl_arena *arena, const char *sql, sl_ast_stmt *stmt, sl_plan **out,
                      sl_err *err);
/* Turns CREATE TABLE into a catalog entry (types of computed columns and the WATERMARK checked). */
int sl_bind_create_table(sl_catalog *cat, sl_arena *arena, sl_ast_stmt *stmt, sl_err *err);
int sl_bind_create_view(sl_catalog *cat, sl_arena *arena, sl_ast_stmt *stmt, sl_err *err);

/* Logical-plan rewrites before physical planning (merging adjacent filters and projects). */
sl_plan *sl_plan_rewrite(sl_arena *arena, sl_plan *root);

#endif
