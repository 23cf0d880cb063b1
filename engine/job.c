/* job.c - runs a script statement by statement: DDL goes to the catalog, each INSERT or SELECT is
 * bound, planned and run as a job of its own. */
#include <stdlib.h>
#include <string.h>

#include "../sql/ast.h"
#include "../sql/physical.h"
#include "checkpoint.h"
#include "job_config.h"
#include "sluice.h"

typedef struct script {
  const char *sql;
  const char *file;
  int flags;
  FILE *out;
  FILE *log;
  const char *restore;
  const volatile int *stop;
  sl_catalog cat;
  sl_arena arena;
  sluice_stats stats;
} script;

/* Runs (or explains) one job: the INSERT / SELECT stmts[0..n) (several for a statement set). */
static int run_query(script *s, sl_ast_stmt *const *stmts, int n, bool explain, sl_err *err) {
  sl_plan **plans = sl_arena_alloc(&s->arena, sizeof(sl_plan *) * (size_t)n);
  int rc;
  for (int i = 0; i < n; i++) {
    if ((rc = sl_bind_statement(&s->cat, &s->arena, s->sql, stmts[i], &plans[i], err))) return rc;
    plans[i] = sl_plan_rewrite(&s->arena, plans[i]);
  }
  sl_job_config jc;
  if ((rc = sl_job_config_load(&s->cat, s->restore, &jc, err))) return rc;
  sl_job_ctx ctx = {.err = err, .sql = s->sql, .file = s->file, .out = s->out, .stop = s->stop, .log = s->log,
                    .checkpointing = jc.checkpointing, .state_ttl_us = jc.state_ttl_us,
                    .idle_timeout_us = jc.idle_timeout_us};
  sl_dag *dag;
  if ((rc = sl_plan_physical(plans, n, &ctx, !explain, &dag, err))) return rc;
  if (explain) {
    sl_buf b;
    sl_buf_init(&b);
    sl_buf_adds(&b, "== Logical Plan ==\n");
    for (int i = 0; i < n; i++) {
      if (i) sl_buf_addc(&b, '\n');
      sl_plan_explain(plans[i], &b);
    }
    sl_buf_adds(&b, "\n== Physical DAG ==\n");
    sl_dag_explain(dag, &b);
    fwrite(b.data, 1, b.len, s->out);
    fputc('\n', s->out);
    sl_buf_destroy(&b);
    sl_dag_free(dag);
    return 0;
  }
  jc.ckpt.log = s->log;
  rc = sl_state_backend_new(&jc.state, &ctx.state, err);
  if (!rc && jc.checkpointing) rc = sl_ckpt_coord_new(&ctx, dag, &jc.ckpt, &ctx.ckpt, err);
  if (!rc) rc = sl_dag_run(dag) ? (err->code ? err->code : SL_ERUNTIME) : 0;
  if (ctx.ckpt) {
    s->stats.checkpoints += sl_ckpt_completed(ctx.ckpt);
    s->stats.checkpoints_failed += sl_ckpt_failed(ctx.ckpt);
  }
  if (ctx.stopped) s->stats.stopped = 1;
  s->stats.jobs++;
  for (int i = 0; i < dag->nops; i++)
    if (dag->ops[i]->ninputs == 0) s->stats.rows_read += dag->ops[i]->rows_out;
  for (int i = 0; i < dag->nops; i++)
    if (dag->ops[i]->nouts == 0) s->stats.rows_written += dag->ops[i]->rows_in;
  s->stats.late_rows += ctx.late_rows;
  s->stats.skipped_rows += ctx.skipped_rows;
  sl_dag_free(dag);
  sl_ckpt_coord_free(ctx.ckpt);
  sl_state_backend_free(ctx.state);
  return rc;
}

static int run_statement(script *s, sl_ast_stmt *st, sl_err *err) {
  switch ((sl_ast_stmt_kind)st->kind) {
    case SL_STMT_CREATE_TABLE: return sl_bind_create_table(&s->cat, &s->arena, st, err);
    case SL_STMT_CREATE_VIEW: return sl_bind_create_view(&s->cat, &s->arena, st, err);
    case SL_STMT_DROP: return sl_catalog_drop(&s->cat, st->name, st->is_view, st->if_exists, st->name_loc, err);
    case SL_STMT_SET:
      if (st->value) sl_catalog_set(&s->cat, st->name, st->value, st->name_loc, st->value_loc);
      else
        for (int i = 0; i < s->cat.nsettings; i++)
          fprintf(s->out, "'%s' = '%s'\n", s->cat.settings[i].key, s->cat.settings[i].value);
      return 0;
    case SL_STMT_RESET:
      if (st->name) sl_catalog_reset(&s->cat, st->name);
      else s->cat.nsettings = 0;
      return 0;
    case SL_STMT_INSERT:
    case SL_STMT_SELECT: return run_query(s, &st, 1, (s->flags & SLUICE_EXPLAIN) != 0, err);
    case SL_STMT_STATEMENT_SET:
      return run_query(s, (sl_ast_stmt *const *)st->set_stmts->items, st->set_stmts->n, (s->flags & SLUICE_EXPLAIN) != 0,
                       err);
    case SL_STMT_EXPLAIN:
      if (!st->inner || (st->inner->kind != SL_STMT_INSERT && st->inner->kind != SL_STMT_SELECT))
        return sl_err_set(err, SL_EUNSUPPORTED, st->loc, "EXPLAIN supports INSERT and SELECT statements");
      return run_query(s, &st->inner, 1, true, err);
  }
  return sl_err_set(err, SL_EUNSUPPORTED, st->loc, "unsupported statement");
}

const char *sluice_version(void) { return SLUICE_VERSION; }

void sluice_free(void *p) { free(p); }

int sluice_run_script(const char *sql, size_t len, const char *file, int flags, FILE *out, sluice_stats *stats,
                      char **errmsg) {
  sluice_run_opts o = {.flags = flags, .out = out};
  return sluice_run(sql, len, file, &o, stats, errmsg);
}

/* A restore applies to one job: a script holding several INSERT / SELECT is refused. */
static int check_restore(const sl_ast_script *ast, sl_err *err) {
  int jobs = 0;
  for (int i = 0; ast->stmts && i < ast->stmts->n; i++) {
    int k = ((const sl_ast_stmt *)ast->stmts->items[i])->kind;
    if (k == SL_STMT_INSERT || k == SL_STMT_SELECT || k == SL_STMT_STATEMENT_SET) jobs++;
  }
  if (jobs > 1)
    return sl_err_set(err, SL_EUNSUPPORTED, SL_ERR_NOLOC,
                      "--restore needs a script with one INSERT or SELECT; this one has %d", jobs);
  return 0;
}

int sluice_run(const char *sql, size_t len, const char *file, const sluice_run_opts *opts, sluice_stats *stats,
               char **errmsg) {
  sluice_run_opts none = {0};
  if (!opts) opts = &none;
  script s = {.sql = sql, .file = file, .flags = opts->flags, .out = opts->out ? opts->out : stdout, .log = opts->log,
              .restore = opts->restore, .stop = opts->stop};
  sl_arena_init(&s.arena, 1 << 16);
  sl_catalog_init(&s.cat, &s.arena);
  sl_err err;
  sl_err_clear(&err);
  sl_ast_script *ast;
  int rc = sl_sql_parse(sql, len, &s.arena, &ast, &err);
  if (!rc && s.restore && !(s.flags & SLUICE_EXPLAIN)) rc = check_restore(ast, &err);
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
