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
  SL_PLAN_JOIN,       /* input (left) joined with right; out = left columns, then right ones */
  SL_PLAN_SINK        /* INSERT INTO a table, or collect the rows of a bare SELECT */
} sl_plan_kind;

typedef enum { SL_WINDOW_TUMBLE = 1 } sl_window_kind;

/* How a join runs, picked from its condition (see plan_join.c). */
typedef enum {
  SL_JOIN_REGULAR = 1, /* equi-join (or none) on unbounded streams: state bounded by TTL only */
  SL_JOIN_INTERVAL,    /* equi-join plus ltime - rtime in [lower, upper]: state cleaned by watermark */
  SL_JOIN_TEMPORAL,    /* FOR SYSTEM_TIME AS OF ltime: each left row with the right version then */
  SL_JOIN_WINDOW,      /* two tumbling windows joined on window_start, window_end (+ keys) */
} sl_join_kind;

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
  /* JOIN: input is the left side */
  sl_plan *right;
  int join_type;          /* sl_ast_join: INNER, LEFT, RIGHT, FULL (CROSS until planned) */
  int join_kind;          /* sl_join_kind, set by sl_plan_join */
  sl_expr *cond;          /* the whole condition over out (ON, plus WHERE for inner joins), or NULL */
  int64_t cond_loc;
  int njkeys;             /* equi-join keys: lkeys over the left input, rkeys over the right one, */
  sl_expr **lkeys;        /* of equal types */
  sl_expr **rkeys;
  sl_expr *residual;      /* the rest of the condition over out, or NULL */
  sl_expr *as_of;         /* TEMPORAL: FOR SYSTEM_TIME AS OF, a time attribute of the left input */
  int ltime, rtime;       /* INTERVAL, TEMPORAL: time attributes of each input; WINDOW: window_end */
  int64_t lower, upper;   /* INTERVAL: ltime - rtime in [lower, upper] (microseconds, included) */
  int64_t win_size;       /* WINDOW: the windows' size */
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

/* Plans a JOIN node whose cond is final: pushes conjuncts of inner joins that read one side
 * into that side, extracts equi-join keys and time bounds, picks the join kind and the output's
 * time attributes. Errors point at the condition. */
int sl_plan_join(sl_arena *arena, sl_plan *j, sl_err *err);

/* Checks that every node can take the rows its input produces: updates and deletes come from
 * regular joins (outer ones, or over updating inputs) and only regular joins and sinks that
 * take changelogs may consume them. sink_loc is where the statement names its sink. */
int sl_plan_check_changes(const sl_plan *root, int64_t sink_loc, sl_err *err);

/* Logical-plan rewrites before physical planning (merging adjacent filters and projects). */
sl_plan *sl_plan_rewrite(sl_arena *arena, sl_plan *root);

#endif
