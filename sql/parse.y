/*
** parse.y - the lemon grammar of sluice's Flink SQL dialect.
**
** The tokenizer (tokenize.c) feeds this parser one token at a time, then SEMI and 0 at the
** end of input. Every action is a one-line call to a constructor in ast.c that allocates
** from the per-parse arena, so no %destructor is needed. There is no error recovery: the
** first error (syntax or semantic, reported through sl_parse_error) stops the parse.
**
** Layout, as in SQLite's parse.y: directives and the precedence block, then one banner per
** statement, then queries, table references, expressions and types.
*/

%name sl_sql_parser
%token_prefix TK_
%token_type {sl_token}
%default_type {sl_token}
%extra_context {sl_parse *p}
%stack_size 1000
%start_symbol input

%syntax_error {
  sl_parse_syntax_error(p, &TOKEN);
}
%stack_overflow {
  sl_parse_error(p, p->stmt_end, "statement is nested too deeply");
}

%include {
/* Code generated from sql/parse.y by lemon: do not edit. */
#include <assert.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "tokenize.h"

/* No error recovery: the first error stops the parse. */
#define YYNOERRORRECOVERY 1
#define YYPARSEFREENEVERNULL 1
}

/* Tokens only the tokenizer uses (SPACE covers comments too); declared first. */
%token SPACE ILLEGAL.
/* Literals and names. */
%token ID INTLIT NUMLIT STRLIT.
/* Punctuation and operators. */
%token SEMI LP RP COMMA DOT ARROW.
/* Context-dependent keywords the driver substitutes: the IN of POSITION(a IN b) becomes PIN
** so it cannot start an IN list, and the TO of FLOOR/CEIL(x TO unit) becomes FTO so it is not
** read as the TO of an INTERVAL qualifier. */
%token PIN FTO.

/* Non-reserved keywords: where the keyword does not fit, it is an identifier, so columns
** named `year`, `comment`, `key` or `string` work unquoted. */
%fallback ID
  ASC DESC TEMPORARY WATERMARK KEY ENFORCED COMMENT PARTITIONED PARTITION PLAN IF VIEW
  OVERWRITE RESET STRING TIMESTAMP_LTZ TRY_CAST DESCRIPTOR PRECISION ZONE LOCAL WITHOUT
  SYMMETRIC ASYMMETRIC METADATA VIRTUAL BEGIN STATEMENT EXECUTE
  YEAR YEARS MONTH MONTHS DAY DAYS HOUR HOURS MINUTE MINUTES SECOND SECONDS
  QUARTER WEEK MILLISECOND MICROSECOND NANOSECOND DOW DOY EPOCH CENTURY DECADE MILLENNIUM
  ISODOW ISOYEAR.

/* Operator precedence, lowest first. */
%left OR.
%left AND.
%right NOT.
%left IS BETWEEN IN LIKE EQ NE LT LE GT GE.
%right ESCAPE.
%left CONCAT.
%left PLUS MINUS.
%left STAR SLASH REM.
%right UMINUS.

//////////////////////// The script: statements separated by ';' ///////////////////////////
input ::= cmdlist.
cmdlist ::= cmdlist ecmd.
cmdlist ::= ecmd.
ecmd ::= SEMI.
ecmd ::= cmdx SEMI.
cmdx ::= cmd(X).                                  { sl_parse_finish_stmt(p, X); }

/* Statement sets group INSERTs into one job (one DAG reading each source once):
**   BEGIN STATEMENT SET; INSERT ...; INSERT ...; END;
**   EXECUTE STATEMENT SET BEGIN INSERT ...; INSERT ...; END;   and   EXECUTE INSERT ... */
ecmd ::= BEGIN(T) STATEMENT SET SEMI.             { sl_parse_begin_set(p, T.offset); }
ecmd ::= END(T) SEMI.                             { sl_parse_end_set(p, T.offset); }
cmdx ::= EXECUTE(T) STATEMENT SET BEGIN insert(X). { sl_parse_begin_set(p, T.offset); sl_parse_finish_stmt(p, X); }
cmdx ::= EXECUTE insert(X).                       { sl_parse_finish_stmt(p, X); }

%type cmd {sl_ast_stmt *}

%type temp {int}
temp(A) ::= .                                     { A = 0; }
temp(A) ::= TEMPORARY.                            { A = 1; }
%type ifnotexists {int}
ifnotexists(A) ::= .                              { A = 0; }
ifnotexists(A) ::= IF NOT EXISTS.                 { A = 1; }
%type ifexists {int}
ifexists(A) ::= .                                 { A = 0; }
ifexists(A) ::= IF EXISTS.                        { A = 1; }

/* A name; `quoted` or unquoted (case kept). */
nm(A) ::= ID(A).
/* cat.db.name: the last part is the name, the offset is where the whole name starts. */
fullname(A) ::= nm(A).
fullname(A) ::= nm(X) DOT nm(Y).                  { A = Y; A.offset = X.offset; }
fullname(A) ::= nm(X) DOT nm DOT nm(Y).           { A = Y; A.offset = X.offset; }

%type idlist {sl_ast_list *}
idlist(A) ::= nm(X).                              { A = sl_ast_list_append(p->arena, 0, (void *)sl_parse_ident(p, X)); }
idlist(A) ::= idlist(L) COMMA nm(X).              { A = sl_ast_list_append(p->arena, L, (void *)sl_parse_ident(p, X)); }

//////////////////////// The CREATE TABLE statement ////////////////////////////////////////
cmd(A) ::= create_table(A) LP ctelems RP table_comment partitioned with_opt(W). { A->options = W; p->cur = 0; }

%type create_table {sl_ast_stmt *}
create_table(A) ::= CREATE(T) temp(M) TABLE ifnotexists(E) fullname(N). { A = sl_ast_create_table_new(p, M, E, N, T); }

ctelems ::= ctelem.
ctelems ::= ctelems COMMA ctelem.

ctelem ::= nm(N) typ(T) col_pk(K) col_comment(C). { sl_ast_table_add_column(p, p->cur, sl_ast_column_new(p, N, T, 0, C), K); }
ctelem ::= nm(N) AS expr(E) col_comment(C).       { sl_ast_table_add_column(p, p->cur, sl_ast_column_new(p, N, 0, E, C), (sl_kw){sl_no_token, 0}); }
ctelem ::= nm(N) typ(T) METADATA(M) metadata_from(K) virtual_opt(V) col_comment(C). { sl_ast_table_add_column(p, p->cur, sl_ast_column_metadata(sl_ast_column_new(p, N, T, 0, C), K.z ? sl_parse_string(p, K, 0) : 0, K.offset, M.offset, V), (sl_kw){sl_no_token, 0}); }
ctelem ::= WATERMARK(T) FOR nm(C) AS expr(E).     { sl_ast_table_set_watermark(p, p->cur, C, E, T); }
ctelem ::= constraint_name PRIMARY(T) KEY LP idlist(L) RP enforced(F). { sl_ast_table_set_pk(p, p->cur, L, F, T); }

constraint_name ::= .
constraint_name ::= CONSTRAINT nm.

/* `col type METADATA [FROM 'key'] [VIRTUAL]`: the 'key' token, or z == NULL when the column's
** name is the key; VIRTUAL columns are read from sources and never written to sinks. */
%type metadata_from {sl_token}
metadata_from(A) ::= .                            { A = sl_no_token; }
metadata_from(A) ::= FROM STRLIT(X).              { A = X; }
%type virtual_opt {int}
virtual_opt(A) ::= .                              { A = 0; }
virtual_opt(A) ::= VIRTUAL.                       { A = 1; }

/* `id INT PRIMARY KEY NOT ENFORCED`: the PRIMARY token, or z == NULL when absent. */
%type col_pk {sl_kw}
col_pk(A) ::= .                                   { A.t = sl_no_token; A.v = 0; }
col_pk(A) ::= constraint_name PRIMARY(T) KEY enforced(F). { A.t = T; A.v = F; }

/* Flink owns no data, so it accepts only NOT ENFORCED; 1 when written. */
%type enforced {int}
enforced(A) ::= .                                 { A = 0; }
enforced(A) ::= ENFORCED.                         { A = 0; }
enforced(A) ::= NOT ENFORCED.                     { A = 1; }

%type col_comment {sl_token}
col_comment(A) ::= .                              { A = sl_no_token; }
col_comment(A) ::= COMMENT STRLIT(X).             { A = X; }

table_comment ::= .
table_comment ::= COMMENT STRLIT.

/* PARTITIONED BY (cols): the filesystem sink's Hive-style folders, the Kinesis sink's partition key. */
partitioned ::= .
partitioned ::= PARTITIONED(T) BY LP idlist(L) RP. { p->cur->partition_by = L; p->cur->partition_loc = T.offset; }

%type with_opt {sl_ast_list *}
with_opt(A) ::= .                                 { A = 0; }
with_opt(A) ::= WITH LP options(X) RP.                 { A = X; }
%type options {sl_ast_list *}
options(A) ::= option(X).                         { A = sl_ast_list_append(p->arena, 0, X); }
options(A) ::= options(L) COMMA option(X).        { A = sl_ast_list_append(p->arena, L, X); }
%type option {sl_ast_option *}
option(A) ::= STRLIT(K) EQ STRLIT(V).             { A = sl_ast_option_new(p, K, V); }

//////////////////////// The CREATE VIEW statement /////////////////////////////////////////
cmd(A) ::= CREATE(T) temp(M) VIEW ifnotexists(E) fullname(N) AS select(Q). { A = sl_ast_create_view_new(p, M, E, N, 0, Q, T); }
cmd(A) ::= CREATE(T) temp(M) VIEW ifnotexists(E) fullname(N) LP idlist(L) RP AS select(Q). { A = sl_ast_create_view_new(p, M, E, N, L, Q, T); }

//////////////////////// The DROP statement ////////////////////////////////////////////////
cmd(A) ::= DROP(T) temp(M) TABLE ifexists(E) fullname(N). { A = sl_ast_drop_new(p, M, false, E, N, T); }
cmd(A) ::= DROP(T) temp(M) VIEW ifexists(E) fullname(N).  { A = sl_ast_drop_new(p, M, true, E, N, T); }

//////////////////////// The INSERT statement //////////////////////////////////////////////
cmd(A) ::= insert(A).
%type insert {sl_ast_stmt *}
insert(A) ::= INSERT(T) INTO fullname(N) select(Q).                   { A = sl_ast_insert_new(p, N, 0, Q, T); }
insert(A) ::= INSERT(T) INTO fullname(N) LP idlist(L) RP select(Q).   { A = sl_ast_insert_new(p, N, L, Q, T); }
insert(A) ::= INSERT OVERWRITE(T) fullname(N) select(Q).              { A = sl_ast_insert_new(p, N, 0, Q, T); sl_parse_error(p, T.offset, "INSERT OVERWRITE is not supported (streaming sinks are append or upsert)"); }

//////////////////////// The SELECT statement //////////////////////////////////////////////
cmd(A) ::= select(Q).                             { A = sl_ast_select_stmt_new(p, Q); }

//////////////////////// The EXPLAIN statement /////////////////////////////////////////////
cmd(A) ::= EXPLAIN(T) explain_plan select(Q).     { A = sl_ast_explain_new(p, sl_ast_select_stmt_new(p, Q), T); }
cmd(A) ::= EXPLAIN(T) explain_plan insert(X).     { A = sl_ast_explain_new(p, X, T); }
explain_plan ::= .
explain_plan ::= PLAN FOR.

//////////////////////// The SET and RESET statements //////////////////////////////////////
cmd(A) ::= SET(T).                                { A = sl_ast_set_new(p, SL_STMT_SET, 0, 0, T); }
cmd(A) ::= SET(T) STRLIT(K) EQ STRLIT(V).         { A = sl_ast_set_new(p, SL_STMT_SET, &K, &V, T); }
cmd(A) ::= RESET(T).                              { A = sl_ast_set_new(p, SL_STMT_RESET, 0, 0, T); }
cmd(A) ::= RESET(T) STRLIT(K).                    { A = sl_ast_set_new(p, SL_STMT_RESET, &K, 0, T); }

//////////////////////// Queries ///////////////////////////////////////////////////////////
%type select {sl_ast_select *}
select(A) ::= selectnoorder(S) orderby_opt(O) limit_opt(L). { A = sl_ast_select_tail(p, S, O, L); }

%type selectnoorder {sl_ast_select *}
selectnoorder(A) ::= oneselect(A).
selectnoorder(A) ::= selectnoorder(L) UNION ALL oneselect(R). { A = sl_ast_union_all(p, L, R); }
selectnoorder(A) ::= selectnoorder(L) UNION(T) DISTINCT oneselect. { A = L; sl_parse_error(p, T.offset, "UNION without ALL is not supported; use UNION ALL"); }
selectnoorder(A) ::= selectnoorder(L) UNION(T) oneselect. { A = L; sl_parse_error(p, T.offset, "UNION without ALL is not supported; use UNION ALL"); }

%type oneselect {sl_ast_select *}
oneselect(A) ::= SELECT(T) distinct(D) selcollist(W) from(F) where_opt(X) groupby_opt(G) having_opt(H). { A = sl_ast_select_new(p, D, W, F, X, G, H, T); }
oneselect(A) ::= LP select(X) RP.                { A = X; }

%type distinct {int}
distinct(A) ::= .                                 { A = 0; }
distinct(A) ::= ALL.                              { A = 0; }
distinct(A) ::= DISTINCT.                         { A = 1; }

/* Select items: expr [[AS] alias], *, t.* */
%type selcollist {sl_ast_list *}
%type sclp {sl_ast_list *}
sclp(A) ::= selcollist(A) COMMA.
sclp(A) ::= .                                     { A = 0; }
selcollist(A) ::= sclp(L) expr(X) as(Y).          { A = sl_ast_list_append(p->arena, L, sl_ast_select_item_new(p, X, Y)); }
selcollist(A) ::= sclp(L) STAR(S).                { A = sl_ast_list_append(p->arena, L, sl_ast_select_item_new(p, sl_ast_star_new(p, sl_no_token, S), sl_no_token)); }
selcollist(A) ::= sclp(L) nm(Q) DOT STAR(S).      { A = sl_ast_list_append(p->arena, L, sl_ast_select_item_new(p, sl_ast_star_new(p, Q, S), sl_no_token)); }

/* An optional alias: z == NULL when absent. */
as(A) ::= .                                       { A = sl_no_token; }
as(A) ::= AS nm(X).                               { A = X; }
as(A) ::= nm(A).

%type from {sl_ast_from *}
from(A) ::= .                                     { A = 0; }
from(A) ::= FROM seltablist(X).                   { A = X; }

%type where_opt {sl_ast_expr *}
where_opt(A) ::= .                                { A = 0; }
where_opt(A) ::= WHERE expr(X).                   { A = X; }

%type groupby_opt {sl_ast_list *}
groupby_opt(A) ::= .                              { A = 0; }
groupby_opt(A) ::= GROUP BY exprlist(X).          { A = X; }

%type having_opt {sl_ast_expr *}
having_opt(A) ::= .                               { A = 0; }
having_opt(A) ::= HAVING expr(X).                 { A = X; }

%type orderby_opt {sl_ast_list *}
orderby_opt(A) ::= .                              { A = 0; }
orderby_opt(A) ::= ORDER BY sortlist(X).          { A = X; }
%type sortlist {sl_ast_list *}
sortlist(A) ::= sortlist(L) COMMA expr(X) sortorder(D). { A = sl_ast_list_append(p->arena, L, sl_ast_order_item_new(p, X, D)); }
sortlist(A) ::= expr(X) sortorder(D).             { A = sl_ast_list_append(p->arena, 0, sl_ast_order_item_new(p, X, D)); }
%type sortorder {int}
sortorder(A) ::= .                                { A = 0; }
sortorder(A) ::= ASC.                             { A = 0; }
sortorder(A) ::= DESC.                            { A = 1; }

%type limit_opt {sl_ast_expr *}
limit_opt(A) ::= .                                { A = 0; }
limit_opt(A) ::= LIMIT expr(X).                   { A = X; }

//////////////////////// Table references //////////////////////////////////////////////////
%type seltablist {sl_ast_from *}
seltablist(A) ::= tableref(A).
seltablist(A) ::= seltablist(L) COMMA(T) tableref(R).           { A = sl_ast_from_join_new(p, L, SL_JOIN_CROSS, R, 0, T); }
seltablist(A) ::= seltablist(L) joinop(J) tableref(R) ON expr(E). { A = sl_ast_from_join_new(p, L, J.v, R, E, J.t); }
seltablist(A) ::= seltablist(L) CROSS JOIN(T) tableref(R).      { A = sl_ast_from_join_new(p, L, SL_JOIN_CROSS, R, 0, T); }

%type joinop {sl_kw}
joinop(A) ::= JOIN(T).                            { A.t = T; A.v = SL_JOIN_INNER; }
joinop(A) ::= INNER JOIN(T).                      { A.t = T; A.v = SL_JOIN_INNER; }
joinop(A) ::= LEFT JOIN(T).                       { A.t = T; A.v = SL_JOIN_LEFT; }
joinop(A) ::= LEFT OUTER JOIN(T).                 { A.t = T; A.v = SL_JOIN_LEFT; }
joinop(A) ::= RIGHT JOIN(T).                      { A.t = T; A.v = SL_JOIN_RIGHT; }
joinop(A) ::= RIGHT OUTER JOIN(T).                { A.t = T; A.v = SL_JOIN_RIGHT; }
joinop(A) ::= FULL JOIN(T).                       { A.t = T; A.v = SL_JOIN_FULL; }
joinop(A) ::= FULL OUTER JOIN(T).                 { A.t = T; A.v = SL_JOIN_FULL; }

%type tableref {sl_ast_from *}
tableref(A) ::= fullname(N) systime(S) as(Z).     { A = sl_ast_from_alias(p, sl_ast_from_table_new(p, N, S), Z); }
tableref(A) ::= LP(T) select(Q) RP as(Z).         { A = sl_ast_from_alias(p, sl_ast_from_subquery_new(p, Q, T), Z); }
tableref(A) ::= TABLE LP nm(F) LP tvfargs(L) RP RP as(Z). { A = sl_ast_from_alias(p, sl_ast_from_tvf_new(p, F, L), Z); }

/* Temporal join: FOR SYSTEM_TIME AS OF expr. */
%type systime {sl_ast_expr *}
systime(A) ::= .                                  { A = 0; }
systime(A) ::= FOR SYSTEM_TIME AS OF expr(X).     { A = X; }

/* Window TVF arguments: TABLE t, DESCRIPTOR(col), expressions, and name => value. */
%type tvfargs {sl_ast_list *}
tvfargs(A) ::= tvfarg(X).                         { A = sl_ast_list_append(p->arena, 0, X); }
tvfargs(A) ::= tvfargs(L) COMMA tvfarg(X).        { A = sl_ast_list_append(p->arena, L, X); }
%type tvfarg {sl_ast_expr *}
tvfarg(A) ::= tvfvalue(A).
tvfarg(A) ::= nm(N) ARROW tvfvalue(X).            { A = sl_ast_named_arg_new(p, N, X); }
%type tvfvalue {sl_ast_expr *}
tvfvalue(A) ::= expr(A).
tvfvalue(A) ::= TABLE(T) fullname(N).             { A = sl_ast_table_arg_new(p, N, 0, T); }
/* One key bare, several in parentheses: PARTITION BY k or PARTITION BY (a, b). */
tvfvalue(A) ::= TABLE(T) fullname(N) PARTITION BY nm(K). { A = sl_ast_table_arg_new(p, N, sl_ast_list_append(p->arena, 0, sl_ast_ident_new(p, sl_no_token, K)), T); }
tvfvalue(A) ::= TABLE(T) fullname(N) PARTITION BY LP identlist(L) RP. { A = sl_ast_table_arg_new(p, N, L, T); }
tvfvalue(A) ::= DESCRIPTOR(T) LP identlist(L) RP. { A = sl_ast_descriptor_new(p, L, T); }

%type identlist {sl_ast_list *}
identlist(A) ::= nm(X).                           { A = sl_ast_list_append(p->arena, 0, sl_ast_ident_new(p, sl_no_token, X)); }
identlist(A) ::= identlist(L) COMMA nm(X).        { A = sl_ast_list_append(p->arena, L, sl_ast_ident_new(p, sl_no_token, X)); }

//////////////////////// Expressions ///////////////////////////////////////////////////////
%type expr {sl_ast_expr *}
%type exprlist {sl_ast_list *}
exprlist(A) ::= expr(X).                          { A = sl_ast_list_append(p->arena, 0, X); }
exprlist(A) ::= exprlist(L) COMMA expr(X).        { A = sl_ast_list_append(p->arena, L, X); }

expr(A) ::= LP expr(X) RP.                        { A = X; }

/* Literals. */
expr(A) ::= INTLIT(X).                            { A = sl_ast_lit_new(p, SL_AST_NUM, X); }
expr(A) ::= NUMLIT(X).                            { A = sl_ast_lit_new(p, SL_AST_NUM, X); }
expr(A) ::= STRLIT(X).                            { A = sl_ast_lit_new(p, SL_AST_STR, X); }
expr(A) ::= TRUE(X).                              { A = sl_ast_lit_new(p, SL_AST_BOOL, X); A->op = 1; }
expr(A) ::= FALSE(X).                             { A = sl_ast_lit_new(p, SL_AST_BOOL, X); A->op = 0; }
expr(A) ::= NULL(X).                              { A = sl_ast_lit_new(p, SL_AST_NULL, X); }
expr(A) ::= DATE(T) STRLIT(X).                    { A = sl_ast_typed_lit_new(p, SL_TYPE_DATE, X, T); }
expr(A) ::= TIME(T) STRLIT(X).                    { A = sl_ast_typed_lit_new(p, SL_TYPE_TIME, X, T); }
expr(A) ::= TIMESTAMP(T) STRLIT(X).               { A = sl_ast_typed_lit_new(p, SL_TYPE_TIMESTAMP, X, T); }
expr(A) ::= INTERVAL(T) STRLIT(X) intervalq(Q).   { A = sl_ast_interval_new(p, 1, X, Q, T); }
expr(A) ::= INTERVAL(T) PLUS STRLIT(X) intervalq(Q).  { A = sl_ast_interval_new(p, 1, X, Q, T); }
expr(A) ::= INTERVAL(T) MINUS STRLIT(X) intervalq(Q). { A = sl_ast_interval_new(p, -1, X, Q, T); }

/* Column references. */
expr(A) ::= nm(X).                                { A = sl_ast_ident_new(p, sl_no_token, X); }
expr(A) ::= nm(Q) DOT nm(X).                      { A = sl_ast_ident_new(p, Q, X); }

/* Function calls. Keyword-named functions get the keyword's upper-case spelling. */
expr(A) ::= nm(N) LP RP.                          { A = sl_ast_func_new(p, N, false, 0, false, false); }
expr(A) ::= nm(N) LP exprlist(L) RP.              { A = sl_ast_func_new(p, N, false, L, false, false); }
expr(A) ::= nm(N) LP ALL exprlist(L) RP.          { A = sl_ast_func_new(p, N, false, L, false, false); }
expr(A) ::= nm(N) LP DISTINCT exprlist(L) RP.     { A = sl_ast_func_new(p, N, false, L, true, false); }
expr(A) ::= nm(N) LP STAR RP.                     { A = sl_ast_func_new(p, N, false, 0, false, true); }
expr(A) ::= LEFT(N) LP exprlist(L) RP.            { A = sl_ast_func_new(p, N, true, L, false, false); }
expr(A) ::= RIGHT(N) LP exprlist(L) RP.           { A = sl_ast_func_new(p, N, true, L, false, false); }
expr(A) ::= CURRENT_TIMESTAMP(N).                 { A = sl_ast_func_new(p, N, true, 0, false, false); }
expr(A) ::= CURRENT_DATE(N).                      { A = sl_ast_func_new(p, N, true, 0, false, false); }
expr(A) ::= CURRENT_TIME(N).                      { A = sl_ast_func_new(p, N, true, 0, false, false); }
expr(A) ::= LOCALTIMESTAMP(N).                    { A = sl_ast_func_new(p, N, true, 0, false, false); }
expr(A) ::= LOCALTIME(N).                         { A = sl_ast_func_new(p, N, true, 0, false, false); }
expr(A) ::= SUBSTRING(N) LP exprlist(L) RP.       { A = sl_ast_func_new(p, N, true, L, false, false); }
expr(A) ::= SUBSTRING(N) LP expr(S) FROM expr(F) RP. { A = sl_ast_func_new(p, N, true, sl_ast_list_append(p->arena, sl_ast_list_append(p->arena, 0, S), F), false, false); }
expr(A) ::= SUBSTRING(N) LP expr(S) FROM expr(F) FOR expr(L) RP. { A = sl_ast_func_new(p, N, true, sl_ast_list_append(p->arena, sl_ast_list_append(p->arena, sl_ast_list_append(p->arena, 0, S), F), L), false, false); }
expr(A) ::= POSITION(N) LP expr(X) PIN expr(Y) RP. { A = sl_ast_func_new(p, N, true, sl_ast_list_append(p->arena, sl_ast_list_append(p->arena, 0, X), Y), false, false); }

/* FLOOR(ts TO HOUR), CEIL(ts TO DAY): FUNC with the unit in unit_from. */
expr(A) ::= nm(N) LP expr(X) FTO eunit(U) RP.     { A = sl_ast_func_new(p, N, false, sl_ast_list_append(p->arena, 0, X), false, false); A->unit_from = (uint8_t)U; }

expr(A) ::= CAST(T) LP expr(X) AS typ(Y) RP.      { A = sl_ast_cast_new(p, X, Y, false, T); }
expr(A) ::= TRY_CAST(T) LP expr(X) AS typ(Y) RP.  { A = sl_ast_cast_new(p, X, Y, true, T); }
expr(A) ::= EXTRACT(T) LP eunit(U) FROM expr(X) RP. { A = sl_ast_extract_new(p, U, X, T); }

/* TRIM([BOTH|LEADING|TRAILING] [chars] FROM s) and TRIM(s). */
expr(A) ::= TRIM(T) LP expr(X) RP.                { A = sl_ast_trim_new(p, SL_TRIM_BOTH, 0, X, T); }
expr(A) ::= TRIM(T) LP expr(C) FROM expr(X) RP.   { A = sl_ast_trim_new(p, SL_TRIM_BOTH, C, X, T); }
expr(A) ::= TRIM(T) LP trimspec(M) FROM expr(X) RP. { A = sl_ast_trim_new(p, M, 0, X, T); }
expr(A) ::= TRIM(T) LP trimspec(M) expr(C) FROM expr(X) RP. { A = sl_ast_trim_new(p, M, C, X, T); }
%type trimspec {int}
trimspec(A) ::= BOTH.                             { A = SL_TRIM_BOTH; }
trimspec(A) ::= LEADING.                          { A = SL_TRIM_LEADING; }
trimspec(A) ::= TRAILING.                         { A = SL_TRIM_TRAILING; }

/* CASE [x] WHEN .. THEN .. [ELSE ..] END */
expr(A) ::= CASE(T) case_operand(X) case_whens(W) case_else(E) END. { A = sl_ast_case_new(p, X, W, E, T); }
%type case_operand {sl_ast_expr *}
case_operand(A) ::= .                             { A = 0; }
case_operand(A) ::= expr(A).
%type case_whens {sl_ast_list *}
case_whens(A) ::= WHEN expr(X) THEN expr(Y).      { A = sl_ast_list_append(p->arena, sl_ast_list_append(p->arena, 0, X), Y); }
case_whens(A) ::= case_whens(L) WHEN expr(X) THEN expr(Y). { A = sl_ast_list_append(p->arena, sl_ast_list_append(p->arena, L, X), Y); }
%type case_else {sl_ast_expr *}
case_else(A) ::= .                                { A = 0; }
case_else(A) ::= ELSE expr(X).                    { A = X; }

/* Operators. */
expr(A) ::= expr(X) OR(T) expr(Y).                { A = sl_ast_binary_new(p, SL_OP_OR, X, Y, T); }
expr(A) ::= expr(X) AND(T) expr(Y).               { A = sl_ast_binary_new(p, SL_OP_AND, X, Y, T); }
expr(A) ::= NOT(T) expr(X).                       { A = sl_ast_unary_new(p, SL_OP_NOT, X, T); }
expr(A) ::= expr(X) EQ(T) expr(Y).                { A = sl_ast_binary_new(p, SL_OP_EQ, X, Y, T); }
expr(A) ::= expr(X) NE(T) expr(Y).                { A = sl_ast_binary_new(p, SL_OP_NE, X, Y, T); }
expr(A) ::= expr(X) LT(T) expr(Y).                { A = sl_ast_binary_new(p, SL_OP_LT, X, Y, T); }
expr(A) ::= expr(X) LE(T) expr(Y).                { A = sl_ast_binary_new(p, SL_OP_LE, X, Y, T); }
expr(A) ::= expr(X) GT(T) expr(Y).                { A = sl_ast_binary_new(p, SL_OP_GT, X, Y, T); }
expr(A) ::= expr(X) GE(T) expr(Y).                { A = sl_ast_binary_new(p, SL_OP_GE, X, Y, T); }
expr(A) ::= expr(X) CONCAT(T) expr(Y).            { A = sl_ast_binary_new(p, SL_OP_CONCAT, X, Y, T); }
expr(A) ::= expr(X) PLUS(T) expr(Y).              { A = sl_ast_binary_new(p, SL_OP_ADD, X, Y, T); }
expr(A) ::= expr(X) MINUS(T) expr(Y).             { A = sl_ast_binary_new(p, SL_OP_SUB, X, Y, T); }
expr(A) ::= expr(X) STAR(T) expr(Y).              { A = sl_ast_binary_new(p, SL_OP_MUL, X, Y, T); }
expr(A) ::= expr(X) SLASH(T) expr(Y).             { A = sl_ast_binary_new(p, SL_OP_DIV, X, Y, T); }
expr(A) ::= expr(X) REM(T) expr(Y).               { A = sl_ast_binary_new(p, SL_OP_MOD, X, Y, T); }
expr(A) ::= MINUS(T) expr(X). [UMINUS]            { A = sl_ast_unary_new(p, SL_OP_NEG, X, T); }
expr(A) ::= PLUS(T) expr(X). [UMINUS]             { A = sl_ast_unary_new(p, SL_OP_PLUS, X, T); }

/* x IS [NOT] NULL|TRUE|FALSE|UNKNOWN */
expr(A) ::= expr(X) IS(T) istail(K).              { A = sl_ast_is_new(p, X, K, false, T); }
expr(A) ::= expr(X) IS(T) NOT istail(K).          { A = sl_ast_is_new(p, X, K, true, T); }
%type istail {int}
istail(A) ::= NULL.                               { A = SL_IS_NULL; }
istail(A) ::= TRUE.                               { A = SL_IS_TRUE; }
istail(A) ::= FALSE.                              { A = SL_IS_FALSE; }
istail(A) ::= UNKNOWN.                            { A = SL_IS_UNKNOWN; }

/* x [NOT] BETWEEN [SYMMETRIC|ASYMMETRIC] a AND b: v bit 0 = NOT, bit 1 = SYMMETRIC. */
expr(A) ::= expr(X) between_op(O) expr(Y) AND expr(Z). [BETWEEN] { A = sl_ast_between_new(p, X, Y, Z, O.v & 1, (O.v & 2) != 0, O.t); }
%type between_op {sl_kw}
between_op(A) ::= BETWEEN(T) between_sym(S).      { A.t = T; A.v = S; }
between_op(A) ::= NOT BETWEEN(T) between_sym(S).  { A.t = T; A.v = 1 | S; }
%type between_sym {int}
between_sym(A) ::= .                              { A = 0; }
between_sym(A) ::= ASYMMETRIC.                    { A = 0; }
between_sym(A) ::= SYMMETRIC.                     { A = 2; }

/* x [NOT] IN (list) */
expr(A) ::= expr(X) IN(T) LP exprlist(L) RP. [IN]     { A = sl_ast_in_new(p, X, L, false, T); }
expr(A) ::= expr(X) NOT IN(T) LP exprlist(L) RP. [IN] { A = sl_ast_in_new(p, X, L, true, T); }

/* x [NOT] LIKE p [ESCAPE e] */
expr(A) ::= expr(X) likeop(O) expr(Y). [LIKE]     { A = sl_ast_like_new(p, X, Y, 0, O.v, O.t); }
expr(A) ::= expr(X) likeop(O) expr(Y) ESCAPE expr(E). [LIKE] { A = sl_ast_like_new(p, X, Y, E, O.v, O.t); }
%type likeop {sl_kw}
likeop(A) ::= LIKE(T).                            { A.t = T; A.v = 0; }
likeop(A) ::= NOT LIKE(T).                        { A.t = T; A.v = 1; }

//////////////////////// INTERVAL qualifiers and time units ////////////////////////////////
%type unit {sl_kw}
unit(A) ::= YEAR(T).                              { A.t = T; A.v = SL_UNIT_YEAR; }
unit(A) ::= YEARS(T).                             { A.t = T; A.v = SL_UNIT_YEAR; }
unit(A) ::= MONTH(T).                             { A.t = T; A.v = SL_UNIT_MONTH; }
unit(A) ::= MONTHS(T).                            { A.t = T; A.v = SL_UNIT_MONTH; }
unit(A) ::= DAY(T).                               { A.t = T; A.v = SL_UNIT_DAY; }
unit(A) ::= DAYS(T).                              { A.t = T; A.v = SL_UNIT_DAY; }
unit(A) ::= HOUR(T).                              { A.t = T; A.v = SL_UNIT_HOUR; }
unit(A) ::= HOURS(T).                             { A.t = T; A.v = SL_UNIT_HOUR; }
unit(A) ::= MINUTE(T).                            { A.t = T; A.v = SL_UNIT_MINUTE; }
unit(A) ::= MINUTES(T).                           { A.t = T; A.v = SL_UNIT_MINUTE; }
unit(A) ::= SECOND(T).                            { A.t = T; A.v = SL_UNIT_SECOND; }
unit(A) ::= SECONDS(T).                           { A.t = T; A.v = SL_UNIT_SECOND; }

/* EXTRACT accepts more units than INTERVAL. */
%type eunit {int}
eunit(A) ::= unit(U).                             { A = U.v; }
eunit(A) ::= QUARTER.                             { A = SL_UNIT_QUARTER; }
eunit(A) ::= WEEK.                                { A = SL_UNIT_WEEK; }
eunit(A) ::= MILLISECOND.                         { A = SL_UNIT_MILLISECOND; }
eunit(A) ::= MICROSECOND.                         { A = SL_UNIT_MICROSECOND; }
eunit(A) ::= NANOSECOND.                          { A = SL_UNIT_NANOSECOND; }
eunit(A) ::= DOW.                                 { A = SL_UNIT_DOW; }
eunit(A) ::= DOY.                                 { A = SL_UNIT_DOY; }
eunit(A) ::= EPOCH.                               { A = SL_UNIT_EPOCH; }
eunit(A) ::= CENTURY.                             { A = SL_UNIT_CENTURY; }
eunit(A) ::= DECADE.                              { A = SL_UNIT_DECADE; }
eunit(A) ::= MILLENNIUM.                          { A = SL_UNIT_MILLENNIUM; }
eunit(A) ::= ISODOW.                              { A = SL_UNIT_ISODOW; }
eunit(A) ::= ISOYEAR.                             { A = SL_UNIT_ISOYEAR; }

/* unit [(lead [, frac])] [TO unit [(frac)]]; sl_parse_interval_q checks the combination. */
%type intervalq {sl_interval_q}
intervalq(A) ::= ufield(X).                       { A = sl_parse_interval_q(p, X, 0); }
intervalq(A) ::= ufield(X) TO ufield_end(Y).      { A = sl_parse_interval_q(p, X, &Y); }
%type ufield {sl_interval_q}
ufield(A) ::= unit(U).                            { A = sl_interval_field(p, U, 0, 0); }
ufield(A) ::= unit(U) LP INTLIT(X) RP.            { A = sl_interval_field(p, U, &X, 0); }
ufield(A) ::= unit(U) LP INTLIT(X) COMMA INTLIT(Y) RP. { A = sl_interval_field(p, U, &X, &Y); }
%type ufield_end {sl_interval_q}
ufield_end(A) ::= unit(U).                        { A = sl_interval_field(p, U, 0, 0); }
ufield_end(A) ::= unit(U) LP INTLIT(X) RP.        { A = sl_interval_field(p, U, &X, 0); }

//////////////////////// Types /////////////////////////////////////////////////////////////
%type typ {sl_ast_type *}
typ(A) ::= typename(A).
typ(A) ::= typename(A) NOT NULL.                  { A->type.nullable = false; }
typ(A) ::= typename(A) NULL.

%type typename {sl_ast_type *}
typename(A) ::= BOOLEAN(T).                       { A = sl_ast_type_new(p, SL_TYPE_BOOLEAN, sl_no_args, T); }
typename(A) ::= TINYINT(T).                       { A = sl_ast_type_new(p, SL_TYPE_TINYINT, sl_no_args, T); }
typename(A) ::= SMALLINT(T).                      { A = sl_ast_type_new(p, SL_TYPE_SMALLINT, sl_no_args, T); }
typename(A) ::= INT(T).                           { A = sl_ast_type_new(p, SL_TYPE_INT, sl_no_args, T); }
typename(A) ::= INTEGER(T).                       { A = sl_ast_type_new(p, SL_TYPE_INT, sl_no_args, T); }
typename(A) ::= BIGINT(T).                        { A = sl_ast_type_new(p, SL_TYPE_BIGINT, sl_no_args, T); }
typename(A) ::= FLOAT(T).                         { A = sl_ast_type_new(p, SL_TYPE_FLOAT, sl_no_args, T); }
typename(A) ::= REAL(T).                          { A = sl_ast_type_new(p, SL_TYPE_FLOAT, sl_no_args, T); }
typename(A) ::= DOUBLE(T).                        { A = sl_ast_type_new(p, SL_TYPE_DOUBLE, sl_no_args, T); }
typename(A) ::= DOUBLE(T) PRECISION.              { A = sl_ast_type_new(p, SL_TYPE_DOUBLE, sl_no_args, T); }
typename(A) ::= DECIMAL(T) tprec2(X).             { A = sl_ast_type_new(p, SL_TYPE_DECIMAL, X, T); }
typename(A) ::= DEC(T) tprec2(X).                 { A = sl_ast_type_new(p, SL_TYPE_DECIMAL, X, T); }
typename(A) ::= NUMERIC(T) tprec2(X).             { A = sl_ast_type_new(p, SL_TYPE_DECIMAL, X, T); }
typename(A) ::= STRING(T).                        { A = sl_ast_type_new(p, SL_TYPE_VARCHAR, sl_no_args, T); A->type.precision = SL_VARCHAR_MAX; }
typename(A) ::= VARCHAR(T) tprec(X).              { A = sl_ast_type_new(p, SL_TYPE_VARCHAR, X, T); }
typename(A) ::= CHAR(T) tprec(X).                 { A = sl_ast_type_new(p, SL_TYPE_CHAR, X, T); }
typename(A) ::= DATE(T).                          { A = sl_ast_type_new(p, SL_TYPE_DATE, sl_no_args, T); }
typename(A) ::= TIME(T) tprec(X).                 { A = sl_ast_type_new(p, SL_TYPE_TIME, X, T); }
typename(A) ::= TIME(T) tprec(X) WITHOUT TIME ZONE. { A = sl_ast_type_new(p, SL_TYPE_TIME, X, T); }
typename(A) ::= TIMESTAMP(T) tprec(X).            { A = sl_ast_type_new(p, SL_TYPE_TIMESTAMP, X, T); }
typename(A) ::= TIMESTAMP(T) tprec(X) WITHOUT TIME ZONE. { A = sl_ast_type_new(p, SL_TYPE_TIMESTAMP, X, T); }
typename(A) ::= TIMESTAMP(T) tprec(X) WITH LOCAL TIME ZONE. { A = sl_ast_type_new(p, SL_TYPE_TIMESTAMP_LTZ, X, T); }
typename(A) ::= TIMESTAMP(T) tprec(X) WITH(W) TIME ZONE. { A = sl_ast_type_new(p, SL_TYPE_TIMESTAMP, X, T); sl_parse_error(p, W.offset, "TIMESTAMP WITH TIME ZONE is not supported; use TIMESTAMP_LTZ or TIMESTAMP WITH LOCAL TIME ZONE"); }
typename(A) ::= TIMESTAMP_LTZ(T) tprec(X).        { A = sl_ast_type_new(p, SL_TYPE_TIMESTAMP_LTZ, X, T); }
typename(A) ::= INTERVAL(T) intervalq(Q).         { A = sl_ast_interval_type_new(p, Q, T); }
typename(A) ::= nm(T).                            { A = sl_ast_type_new(p, SL_TYPE_NULL, sl_no_args, T); sl_parse_error(p, T.offset, "unsupported type '%.*s'", (int)T.n, T.z); }

/* (n) and (p[, s]); p == -1 when not written. */
%type tprec {sl_type_args}
tprec(A) ::= .                                    { A = sl_no_args; }
tprec(A) ::= LP INTLIT(X) RP.                     { A = sl_type_args_make(p, &X, 0); }
%type tprec2 {sl_type_args}
tprec2(A) ::= tprec(A).
tprec2(A) ::= LP INTLIT(X) COMMA INTLIT(Y) RP.    { A = sl_type_args_make(p, &X, &Y); }
