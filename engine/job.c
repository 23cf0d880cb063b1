/* job.c - runs a script statement by statement: DDL goes to the catalog, each INSERT or SELECT is
 * bound, planned and run as a job of its own. */
#include <stdlib.h>
#include <string.h>

#include "../sql/ast.h"
#include "../sql/physical.h"
#include "sluice.h"

typedef struct script {
  const char *sql;
  const char *file;
  int flags;
  FILE *out;
  sl_catalog cat;
  sl_arena arena;
  sluice_stats stats;
} script;

static int run_query(script *s, sl_ast_stmt *st, bool explain, sl_err *err) {
  sl_plan *plan;
  int rc = sl_bind_statement(&s->cat, &s->arena, s->sql, st, &plan, err);
  if (rc) return rc;
  plan = sl_plan_rewrite(&s->arena, plan);
  sl_job_ctx ctx = {.err = err, .sql = s->sql, .file = s->file, .out = s->out};
  sl_dag *dag;
  if ((rc = sl_plan_physical(plan, &ctx, !explain, &dag, err))) return rc;
  if (explain) {
    sl_buf b;
    sl_buf_init(&b);
    sl_buf_adds(&b, "== Logical Plan ==\n");
    sl_plan_explain(plan, &b);
    sl_buf_adds(&b, "\n== Physical DAG ==\n");
    sl_dag_explain(dag, &b);
    fwrite(b.data, 1, b.len, s->out);
    fputc('\n', s->out);
    sl_buf_destroy(&b);
    sl_dag_free(dag);
    return 0;
  }
  rc = sl_dag_run(dag) ? (err->code ? err->code : SL_ERUNTIME) : 0;
  s->stats.jobs++;
  s->stats.rows_read += dag->nops ? dag->ops[0]->rows_out : 0;
  s->stats.rows_written += dag->nops ? dag->ops[dag->nops - 1]->rows_in : 0;
  s->stats.late_rows += ctx.late_rows;
  s->stats.skipped_rows += ctx.skipped_rows;
  sl_dag_free(dag);
  return rc;
}

static int run_statement(script *s, sl_ast_stmt *st, sl_err *err) {
  switch ((sl_ast_stmt_kind)st->kind) {
    case SL_STMT_CREATE_TABLE: return sl_bind_create_table(&s->cat, &s->arena, st, err);
    case SL_STMT_CREATE_VIEW: return sl_bind_create_view(&s->cat, &s->arena, st, err);
    case SL_STMT_DROP: return sl_catalog_drop(&s->cat, st->name, st->is_view, st->if_exists, st->name_loc, err);
    case SL_STMT_SET:
      if (st->value) sl_catalog_set(&s->cat, st->name, st->value);
      else
        for (int i = 0; i < s->cat.nsettings; i++)
          fprintf(s->out, "'%s' = '%s'\n", s->cat.settings[i].key, s->cat.settings[i].value);
      return 0;
    case SL_STMT_RESET:
      if (st->name) sl_catalog_set(&s->cat, st->name, "");
      else s->cat.nsettings = 0;
      return 0;
    case SL_STMT_INSERT:
    case SL_STMT_SELECT: return run_query(s, st, (s->flags & SLUICE_EXPLAIN) != 0, err);
    case SL_STMT_EXPLAIN:
      if (!st->inner || (st->inner->kind != SL_STMT_INSERT && st->inner->kind != SL_STMT_SELECT))
        return sl_err_set(err, SL_EUNSUPPORTED, st->loc, "EXPLAIN supports INSERT and SELECT statements");
      return run_query(s, st->inner, true, err);
  }
  return sl_err_set(err, SL_EUNSUPPORTED, st->loc, "unsupported statement");
}

const char *sluice_version(void) { return SLUICE_VERSION; }

void sluice_free(void *p) { free(p); }

int sluice_run_script(const char *sql, size_t len, const char *file, int flags, FILE *out, sluice_stats *stats,
                      char **errmsg) {
  script s = {.sql = sql, .file = file, .flags = flags, .out = out ? out : stdout};
  sl_arena_init(&s.arena, 1 << 16);
  sl_catalog_init(&s.cat, &s.arena);
  sl_err err;
  sl_err_clear(&err);
  sl_ast_script *ast;
  int rc = sl_sql_parse(sql, len, &s.arena, &ast, &err);
  for (int i = 0; !rc && ast->stmts && i < ast->stmts->n; i++) rc = run_statement(&s, ast->stmts->items[i], &err);
  if (rc && errmsg) {
    if (!err.code) sl_err_set(&err, rc, SL_ERR_NOLOC, "%s", sl_strerror(rc));
    size_t cap = 4096;
    char *m = malloc(cap);
    if (m) {
      if (err.loc >= 0) sl_err_format(&err, file, sql, m, cap);
      else sl_err_format(&err, NULL, NULL, m, cap);
    }
    *errmsg = m;
  }
  if (stats) *stats = s.stats;
  sl_catalog_destroy(&s.cat);
  sl_arena_destroy(&s.arena);
  return rc;
}
