/* ast.h - the syntax tree the lemon parser builds; every node lives in the per-parse arena. */
#ifndef SL_AST_H
#define SL_AST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../engine/arena.h"
#include "../engine/err.h"
#include "../engine/types.h"

/* A growable array of node pointers (arena-backed). */
typedef struct sl_ast_list {
  int n, cap;
  void **items;
} sl_ast_list;

sl_ast_list *sl_ast_list_new(sl_arena *a);
/* Appends item; a NULL list is created first. Returns the list. */
sl_ast_list *sl_ast_list_append(sl_arena *a, sl_ast_list *l, void *item);

/* ---- Expressions ------------------------------------------------------------------------ */

typedef enum {
  SL_AST_NUM,       /* s = literal text as written: "42", "3.14", "1e3" */
  SL_AST_STR,       /* s = decoded string value ('' unescaped), n = length */
  SL_AST_BOOL,      /* op = 1 for TRUE, 0 for FALSE */
  SL_AST_NULL,
  SL_AST_TYPED_LIT, /* DATE '...', TIME '...', TIMESTAMP '...': type.kind + s */
  SL_AST_INTERVAL,  /* INTERVAL [-]'s' unit_from [TO unit_to]; op = -1 when negated sign */
  SL_AST_IDENT,     /* [qual.]s */
  SL_AST_STAR,      /* [qual.]* in a select list */
  SL_AST_UNARY,     /* op = SL_OP_NEG | SL_OP_PLUS | SL_OP_NOT; a */
  SL_AST_BINARY,    /* op; a, b */
  SL_AST_IS,        /* a IS [NOT] {NULL|TRUE|FALSE|UNKNOWN}: op = SL_IS_*, negated */
  SL_AST_BETWEEN,   /* a [NOT] BETWEEN b AND c */
  SL_AST_IN,        /* a [NOT] IN (list) */
  SL_AST_LIKE,      /* a [NOT] LIKE b [ESCAPE c] */
  SL_AST_CASE,      /* CASE [a] WHEN.. THEN.. [ELSE b] END: list = when,then,when,then,... */
  SL_AST_CAST,      /* CAST(a AS type); op = 1 for TRY_CAST */
  SL_AST_FUNC,      /* s(list); distinct for COUNT(DISTINCT x); star for COUNT(*) */
  SL_AST_EXTRACT,   /* EXTRACT(unit_from FROM a) */
  SL_AST_TRIM,      /* TRIM([BOTH|LEADING|TRAILING] [b] FROM a): op = SL_TRIM_* ; b may be NULL */
  SL_AST_DESCRIPTOR,/* DESCRIPTOR(list of IDENT) inside a table function call */
  SL_AST_TABLE_ARG, /* TABLE name inside a table function call: s = name */
} sl_ast_expr_kind;

typedef enum {
  SL_OP_ADD = 1, SL_OP_SUB, SL_OP_MUL, SL_OP_DIV, SL_OP_MOD, SL_OP_CONCAT,
  SL_OP_EQ, SL_OP_NE, SL_OP_LT, SL_OP_LE, SL_OP_GT, SL_OP_GE,
  SL_OP_AND, SL_OP_OR, SL_OP_NOT, SL_OP_NEG, SL_OP_PLUS
} sl_ast_op;

typedef enum { SL_IS_NULL = 1, SL_IS_TRUE, SL_IS_FALSE, SL_IS_UNKNOWN } sl_ast_is;
typedef enum { SL_TRIM_BOTH = 0, SL_TRIM_LEADING, SL_TRIM_TRAILING } sl_ast_trim;

/* Time units of INTERVAL literals and EXTRACT. */
typedef enum {
  SL_UNIT_NONE = 0, SL_UNIT_YEAR, SL_UNIT_QUARTER, SL_UNIT_MONTH, SL_UNIT_WEEK, SL_UNIT_DAY,
  SL_UNIT_HOUR, SL_UNIT_MINUTE, SL_UNIT_SECOND, SL_UNIT_MILLISECOND, SL_UNIT_MICROSECOND,
  SL_UNIT_NANOSECOND, SL_UNIT_DOW, SL_UNIT_DOY, SL_UNIT_EPOCH, SL_UNIT_CENTURY,
  SL_UNIT_DECADE, SL_UNIT_MILLENNIUM, SL_UNIT_ISODOW, SL_UNIT_ISOYEAR
} sl_time_unit;

/* A type as written: CAST targets and column definitions. loc is where it starts. */
typedef struct sl_ast_type {
  sl_type type;        /* kind, precision, scale, nullable (false for NOT NULL) */
  bool has_precision;  /* precision was written, e.g. TIMESTAMP(3) vs TIMESTAMP */
  int64_t loc;
} sl_ast_type;

typedef struct sl_ast_expr sl_ast_expr;
struct sl_ast_expr {
  uint8_t kind;         /* sl_ast_expr_kind */
  int op;               /* operator, IS kind, TRIM mode, bool value, interval sign */
  int64_t loc;          /* byte offset of the token that names this node */
  const char *s;        /* text: literal, identifier, function name (as written) */
  size_t n;             /* length of s for SL_AST_STR (may contain NUL) */
  const char *qual;     /* qualifier of IDENT / STAR (table alias), or NULL */
  sl_ast_expr *a, *b, *c;
  sl_ast_list *list;    /* of sl_ast_expr* */
  sl_ast_type *type;    /* CAST target, TYPED_LIT type */
  uint8_t unit_from, unit_to; /* sl_time_unit for INTERVAL and EXTRACT */
  int leading_precision;      /* INTERVAL '100' DAY(3): 3; 0 when not written */
  bool distinct, negated, star;
};

/* ---- Queries ---------------------------------------------------------------------------- */

typedef struct sl_ast_select sl_ast_select;

typedef struct sl_ast_select_item {
  sl_ast_expr *expr;    /* may be SL_AST_STAR */
  const char *alias;    /* or NULL */
  int64_t loc;
} sl_ast_select_item;

typedef enum {
  SL_FROM_TABLE,        /* name [AS alias] */
  SL_FROM_SUBQUERY,     /* (select) [AS alias] */
  SL_FROM_TVF,          /* TABLE(name(args)) [AS alias]: s = function name, args */
  SL_FROM_JOIN,         /* left JOIN right ON cond; comma joins have join_type CROSS */
  SL_FROM_LATERAL       /* reserved for later issues */
} sl_ast_from_kind;

typedef enum { SL_JOIN_INNER, SL_JOIN_LEFT, SL_JOIN_RIGHT, SL_JOIN_FULL, SL_JOIN_CROSS } sl_ast_join;

typedef struct sl_ast_from sl_ast_from;
struct sl_ast_from {
  uint8_t kind;         /* sl_ast_from_kind */
  int64_t loc;
  const char *name;     /* TABLE: table or view name; TVF: function name (TUMBLE, HOP, ...) */
  const char *alias;
  sl_ast_select *query; /* SUBQUERY */
  sl_ast_list *args;    /* TVF: sl_ast_expr* (TABLE_ARG, DESCRIPTOR, INTERVAL, ...) */
  sl_ast_from *left, *right; /* JOIN */
  uint8_t join_type;    /* sl_ast_join */
  sl_ast_expr *on;      /* JOIN condition or NULL */
  sl_ast_expr *system_time; /* FOR SYSTEM_TIME AS OF expr (parsed; later issue runs it) */
};

typedef struct sl_ast_order_item {
  sl_ast_expr *expr;
  bool desc;
} sl_ast_order_item;

struct sl_ast_select {
  int64_t loc;
  bool distinct;
  sl_ast_list *items;     /* sl_ast_select_item* */
  sl_ast_from *from;      /* NULL for SELECT without FROM */
  sl_ast_expr *where;
  sl_ast_list *group_by;  /* sl_ast_expr* */
  sl_ast_expr *having;
  sl_ast_list *order_by;  /* sl_ast_order_item*, parsed; planner decides */
  sl_ast_expr *limit;
  sl_ast_select *union_all; /* next SELECT of a UNION ALL chain, parsed; planner decides */
};

/* ---- Statements ------------------------------------------------------------------------- */

typedef struct sl_ast_column {
  const char *name;
  int64_t loc;
  sl_ast_type *type;      /* physical and METADATA columns; NULL for computed */
  sl_ast_expr *computed;  /* `name AS expr`; NULL for physical */
  const char *comment;
  /* `name type METADATA [FROM 'key'] [VIRTUAL]` */
  bool metadata;
  bool is_virtual;        /* VIRTUAL: read from a source, never written to a sink */
  const char *meta_key;   /* the 'key' of FROM, or the column's name */
  int64_t meta_loc;       /* the METADATA keyword */
  int64_t meta_key_loc;   /* the 'key' literal, or meta_loc when FROM is absent */
} sl_ast_column;

typedef struct sl_ast_option {
  const char *key, *value;
  int64_t key_loc, value_loc;
} sl_ast_option;

typedef enum {
  SL_STMT_CREATE_TABLE = 1,
  SL_STMT_CREATE_VIEW,
  SL_STMT_INSERT,
  SL_STMT_SELECT,
  SL_STMT_EXPLAIN,
  SL_STMT_SET,
  SL_STMT_RESET,
  SL_STMT_DROP,       /* DROP TABLE|VIEW [IF EXISTS] name */
  SL_STMT_STATEMENT_SET /* BEGIN STATEMENT SET; INSERT ...; ... END; (set_stmts) */
} sl_ast_stmt_kind;

typedef struct sl_ast_stmt sl_ast_stmt;
struct sl_ast_stmt {
  uint8_t kind;           /* sl_ast_stmt_kind */
  int64_t loc, end;       /* [loc, end) is the statement's text */
  const char *name;       /* table / view / insert target; SET key */
  int64_t name_loc;
  bool temporary, if_not_exists, if_exists, is_view;
  /* CREATE TABLE */
  sl_ast_list *columns;   /* sl_ast_column* */
  const char *wm_column;  /* WATERMARK FOR wm_column AS wm_expr */
  int64_t wm_loc;
  sl_ast_expr *wm_expr;
  sl_ast_list *primary_key; /* const char* names */
  sl_ast_list *partition_by; /* PARTITIONED BY (const char* names) */
  int64_t partition_loc;
  int64_t pk_loc;
  sl_ast_list *options;   /* sl_ast_option* */
  /* CREATE VIEW [name (cols)] AS query; INSERT INTO name [(cols)] query; SELECT */
  sl_ast_list *column_names; /* const char* or NULL */
  sl_ast_select *query;
  /* SET 'key' = 'value' (value NULL for plain SET: list all) */
  const char *value;
  int64_t value_loc;
  /* EXPLAIN inner */
  sl_ast_stmt *inner;
  /* STATEMENT SET: its INSERT statements */
  sl_ast_list *set_stmts;
};

typedef struct sl_ast_script {
  sl_ast_list *stmts;     /* sl_ast_stmt* in order */
} sl_ast_script;

/* Parses a whole script of ;-separated statements. Nodes are allocated in arena; on error err
 * carries the byte offset of the offending token and a message such as
 * "syntax error at or near 'FORM'". Returns 0 or SL_ESYNTAX. */
int sl_sql_parse(const char *sql, size_t len, sl_arena *arena, sl_ast_script **out, sl_err *err);

/* Node constructors used by the grammar actions. */
sl_ast_expr *sl_ast_expr_new(sl_arena *a, sl_ast_expr_kind kind, int64_t loc);
/* Makes c a METADATA column (key NULL: the column's name is the key); returns c. */
sl_ast_column *sl_ast_column_metadata(sl_ast_column *c, const char *key, int64_t key_loc, int64_t loc,
                                      bool is_virtual);

#endif
