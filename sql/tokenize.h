/* tokenize.h - the SQL tokenizer and the parse context shared by tokenize.c, parse.y and ast.c. */
#ifndef SL_TOKENIZE_H
#define SL_TOKENIZE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ast.h"

/* A token: text as written (quotes included) and its byte offset in the script.
 * The synthetic SEMI and 0 the driver adds at end of input have n == 0. */
typedef struct sl_token {
  const char *z;
  size_t n;
  int64_t offset;
} sl_token;

/* The %extra_context of the lemon parser: one per sl_sql_parse call. */
typedef struct sl_parse {
  sl_arena *arena;       /* owns every AST node */
  const char *sql;       /* the whole script */
  size_t len;
  sl_err *err;           /* caller's; the first error wins */
  bool failed;           /* an error was reported: the driver stops feeding */
  sl_ast_script *script; /* statements are appended as they are reduced */
  int64_t stmt_loc;      /* first token of the statement being parsed, or -1 */
  int64_t stmt_end;      /* end of the last non-SEMI token fed */
  sl_ast_stmt *cur;      /* the CREATE TABLE whose elements are being parsed */
  sl_ast_stmt *set;      /* the statement set being parsed (BEGIN STATEMENT SET ... END), or NULL */
} sl_parse;

/* A keyword (or operator) token with a small value: NOT-ness, join type, IS kind... */
typedef struct sl_kw {
  sl_token t;
  int v;
} sl_kw;

/* Written type parameters: p (and s) are -1 when not written; loc/sloc are where they are. */
typedef struct sl_type_args {
  int64_t p, s;
  int64_t loc, sloc;
} sl_type_args;

/* An interval qualifier: DAY(3) TO SECOND(6). lead/frac are -1 when not written. */
typedef struct sl_interval_q {
  int from, to;          /* sl_time_unit; to is SL_UNIT_NONE for a single field */
  int64_t lead, frac;
  int64_t loc, lead_loc, frac_loc;
} sl_interval_q;

/* ---- Tokenizer -------------------------------------------------------------------------- */

/* Scans one token at z (n bytes available, n > 0). Sets *type to a TK_ code (TK_SPACE
 * for blanks and comments, TK_ILLEGAL for an error) and returns its length (> 0).
 * For TK_ILLEGAL, sl_sql_token_error() names the problem. */
size_t sl_sql_token(const char *z, size_t n, int *type);
/* The message for an illegal token starting at z: "unterminated string literal",
 * "unterminated quoted identifier", "unterminated comment" or "unexpected character '#'". */
const char *sl_sql_token_error(const char *z, size_t n, char *buf, size_t cap);
/* The TK_ code of keyword z[0..n) (case-insensitive), or TK_ID when it is not a keyword. */
int sl_sql_keyword(const char *z, size_t n);
/* The canonical spelling of a keyword TK_ code ("SELECT"), or NULL. */
const char *sl_sql_keyword_name(int type);

/* ---- Helpers used by the grammar actions (ast.c / tokenize.c) --------------------------- */

/* "No token" (an absent alias, comment...) and "no type parameters". */
#define sl_no_token ((sl_token){NULL, 0, -1})
#define sl_no_args ((sl_type_args){-1, -1, -1, -1})

/* Reports an error at loc (SL_ESYNTAX) and stops the parse. The first error wins. */
void sl_parse_error(sl_parse *p, int64_t loc, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* The syntax error for an unexpected token: "syntax error at or near 'X'" or, for the
 * synthetic end-of-input tokens, "syntax error at end of input". */
void sl_parse_syntax_error(sl_parse *p, const sl_token *t);

/* Identifier text: unquoted as written, `quoted` with `` undoubled. Arena-owned. */
const char *sl_parse_ident(sl_parse *p, sl_token t);
/* A '...' literal's value with '' undoubled; *n (if not NULL) gets its length. Arena-owned. */
const char *sl_parse_string(sl_parse *p, sl_token t, size_t *n);
/* The value of an integer literal, saturated at INT64_MAX / 2 (callers range-check). */
int64_t sl_parse_int(sl_token t);

/* Expression constructors: each returns a node (never NULL), even after an error. loc is the
 * offset of the token that names the node (an operator for binary nodes). */
sl_ast_expr *sl_ast_lit_new(sl_parse *p, sl_ast_expr_kind kind, sl_token t);
sl_ast_expr *sl_ast_typed_lit_new(sl_parse *p, sl_type_kind kind, sl_token str, sl_token t);
sl_ast_expr *sl_ast_interval_new(sl_parse *p, int sign, sl_token str, sl_interval_q q,
                                 sl_token t);
/* [qual.]name; qual.z == NULL when unqualified. */
sl_ast_expr *sl_ast_ident_new(sl_parse *p, sl_token qual, sl_token name);
sl_ast_expr *sl_ast_star_new(sl_parse *p, sl_token qual, sl_token star);
sl_ast_expr *sl_ast_unary_new(sl_parse *p, int op, sl_ast_expr *a, sl_token t);
sl_ast_expr *sl_ast_binary_new(sl_parse *p, int op, sl_ast_expr *a, sl_ast_expr *b, sl_token t);
sl_ast_expr *sl_ast_is_new(sl_parse *p, sl_ast_expr *a, int what, bool negated, sl_token t);
/* a [NOT] BETWEEN [SYMMETRIC] b AND c: op = 1 for SYMMETRIC. */
sl_ast_expr *sl_ast_between_new(sl_parse *p, sl_ast_expr *a, sl_ast_expr *b, sl_ast_expr *c,
                                bool negated, bool symmetric, sl_token t);
sl_ast_expr *sl_ast_in_new(sl_parse *p, sl_ast_expr *a, sl_ast_list *list, bool negated,
                           sl_token t);
sl_ast_expr *sl_ast_like_new(sl_parse *p, sl_ast_expr *a, sl_ast_expr *b, sl_ast_expr *esc,
                             bool negated, sl_token t);
sl_ast_expr *sl_ast_case_new(sl_parse *p, sl_ast_expr *a, sl_ast_list *whens, sl_ast_expr *els,
                             sl_token t);
sl_ast_expr *sl_ast_cast_new(sl_parse *p, sl_ast_expr *a, sl_ast_type *type, bool try_cast,
                             sl_token t);
/* name(args). A keyword-named function (upper) gets the keyword's canonical spelling,
 * others keep the text as written. args may be NULL. */
sl_ast_expr *sl_ast_func_new(sl_parse *p, sl_token name, bool upper, sl_ast_list *args,
                             bool distinct, bool star);
sl_ast_expr *sl_ast_extract_new(sl_parse *p, int unit, sl_ast_expr *a, sl_token t);
/* TRIM(mode chars FROM a): a is the trimmed string, chars (b) may be NULL. */
sl_ast_expr *sl_ast_trim_new(sl_parse *p, int mode, sl_ast_expr *chars, sl_ast_expr *a,
                             sl_token t);
/* TABLE name [PARTITION BY cols]: s = name, list = the PARTITION BY columns (IDENT) or NULL. */
sl_ast_expr *sl_ast_table_arg_new(sl_parse *p, sl_token name, sl_ast_list *partition,
                                  sl_token t);
sl_ast_expr *sl_ast_descriptor_new(sl_parse *p, sl_ast_list *cols, sl_token t);
/* A named TVF argument `name => value`: a transient BINARY node with op 0 and s = name that
 * sl_ast_from_tvf_new resolves. */
sl_ast_expr *sl_ast_named_arg_new(sl_parse *p, sl_token name, sl_ast_expr *value);
/* The leftmost token offset of an expression (a binary node's loc is its operator). */
int64_t sl_ast_expr_start(const sl_ast_expr *e);

/* INTERVAL qualifiers: one field unit[(x[, y])], then the whole qualifier checked. */
sl_interval_q sl_interval_field(sl_parse *p, sl_kw unit, const sl_token *x, const sl_token *y);
sl_interval_q sl_parse_interval_q(sl_parse *p, sl_interval_q start, const sl_interval_q *end);

/* Types: validates the written parameters (ranges per Flink) and fills the defaults. */
sl_type_args sl_type_args_make(sl_parse *p, const sl_token *x, const sl_token *y);
sl_ast_type *sl_ast_type_new(sl_parse *p, sl_type_kind kind, sl_type_args args, sl_token t);
sl_ast_type *sl_ast_interval_type_new(sl_parse *p, sl_interval_q q, sl_token t);

/* ---- Query and statement helpers -------------------------------------------------------- */

sl_ast_select *sl_ast_select_new(sl_parse *p, bool distinct, sl_ast_list *items,
                                 sl_ast_from *from, sl_ast_expr *where, sl_ast_list *group_by,
                                 sl_ast_expr *having, sl_token t);
/* Appends right to the end of left's UNION ALL chain; returns left. */
sl_ast_select *sl_ast_union_all(sl_parse *p, sl_ast_select *left, sl_ast_select *right);
/* Sets ORDER BY / LIMIT (either may be NULL) on the first SELECT of a query. */
sl_ast_select *sl_ast_select_tail(sl_parse *p, sl_ast_select *s, sl_ast_list *order,
                                  sl_ast_expr *limit);
/* expr [AS alias]; alias.z == NULL when absent. loc is where the expression starts. */
sl_ast_select_item *sl_ast_select_item_new(sl_parse *p, sl_ast_expr *e, sl_token alias);
sl_ast_order_item *sl_ast_order_item_new(sl_parse *p, sl_ast_expr *e, bool desc);
sl_ast_from *sl_ast_from_table_new(sl_parse *p, sl_token name, sl_ast_expr *system_time);
sl_ast_from *sl_ast_from_subquery_new(sl_parse *p, sl_ast_select *q, sl_token t);
/* TABLE(fn(args)); named arguments are put in the positional order of TUMBLE, HOP, CUMULATE
 * and SESSION. */
sl_ast_from *sl_ast_from_tvf_new(sl_parse *p, sl_token fn, sl_ast_list *args);
sl_ast_from *sl_ast_from_join_new(sl_parse *p, sl_ast_from *l, int join, sl_ast_from *r,
                                  sl_ast_expr *on, sl_token t);
/* Sets f's alias (alias.z == NULL: none); returns f. */
sl_ast_from *sl_ast_from_alias(sl_parse *p, sl_ast_from *f, sl_token alias);

/* Statements. Each takes the token that starts it; sl_parse_finish_stmt sets loc/end. */
sl_ast_stmt *sl_ast_create_table_new(sl_parse *p, bool temporary, bool if_not_exists,
                                     sl_token name, sl_token t);
sl_ast_stmt *sl_ast_create_view_new(sl_parse *p, bool temporary, bool if_not_exists,
                                    sl_token name, sl_ast_list *cols, sl_ast_select *q,
                                    sl_token t);
sl_ast_stmt *sl_ast_drop_new(sl_parse *p, bool temporary, bool is_view, bool if_exists,
                             sl_token name, sl_token t);
sl_ast_stmt *sl_ast_insert_new(sl_parse *p, sl_token name, sl_ast_list *cols, sl_ast_select *q,
                               sl_token t);
sl_ast_stmt *sl_ast_select_stmt_new(sl_parse *p, sl_ast_select *q);
sl_ast_stmt *sl_ast_explain_new(sl_parse *p, sl_ast_stmt *inner, sl_token t);
/* SET / RESET with optional 'key' and 'value' tokens (NULL when absent). */
sl_ast_stmt *sl_ast_set_new(sl_parse *p, int kind, const sl_token *key, const sl_token *value,
                            sl_token t);
/* Records the statement's text span and appends it to the script. */
void sl_parse_finish_stmt(sl_parse *p, sl_ast_stmt *s);
/* BEGIN STATEMENT SET / EXECUTE STATEMENT SET BEGIN at loc, and its END: the INSERTs between
 * form one statement (one job). */
void sl_parse_begin_set(sl_parse *p, int64_t loc);
void sl_parse_end_set(sl_parse *p, int64_t loc);

/* CREATE TABLE elements fill the statement being built (p->cur). */
sl_ast_column *sl_ast_column_new(sl_parse *p, sl_token name, sl_ast_type *type,
                                 sl_ast_expr *computed, sl_token comment);
sl_ast_option *sl_ast_option_new(sl_parse *p, sl_token key, sl_token value);
/* Adds a column; pk.t.z != NULL when it carries `PRIMARY KEY [NOT ENFORCED]` (pk.v: NOT
 * ENFORCED written). */
void sl_ast_table_add_column(sl_parse *p, sl_ast_stmt *s, sl_ast_column *c, sl_kw pk);
void sl_ast_table_set_watermark(sl_parse *p, sl_ast_stmt *s, sl_token col, sl_ast_expr *e,
                                sl_token t);
void sl_ast_table_set_pk(sl_parse *p, sl_ast_stmt *s, sl_ast_list *cols, bool not_enforced,
                         sl_token t);

/* ---- The lemon parser (generated parse.c, prefix sl_sql_parser) ------------------------- */

void *sl_sql_parserAlloc(void *(*malloc_fn)(size_t), sl_parse *p);
void sl_sql_parser(void *parser, int major, sl_token minor);
void sl_sql_parserFree(void *parser, void (*free_fn)(void *));

#endif
