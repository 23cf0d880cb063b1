/* script.c - runs a script statement by statement: DDL goes to the catalog, each INSERT or
 * SELECT (or statement set) is bound, planned and started as a query of its own, and the
 * caller drives its runner before the script moves on to the next statement. */
#include "script.h"

#include <stdlib.h>
#include <string.h>

#include "../sql/ast.h"
#include "../sql/physical.h"
#include "arena.h"
#include "checkpoint.h"
#include "job_config.h"

struct sl_script {
  sl_script_opts o;
  sl_catalog cat;
  sl_arena arena;
  sl_ast_script *ast;
  int next;                 /* the next statement */
  sl_script_stats stats;
  /* the running query */
  sl_job_ctx ctx;
  sl_dag *dag;
  sl_runner *runner;
  bool running;
};

/* A restore applies to one query: a script holding several INSERT / SELECT is refused. */
static int check_restore(const sl_ast_script *ast, sl_err *err) {
  int jobs = 0;
  for (int i = 0; ast->stmts && i < ast->stmts->n; i++) {
    int k = ((const sl_ast_stmt *)ast->stmts->items[i])->kind;
    if (k == SL_STMT_INSERT || k == SL_STMT_SELECT || k == SL_STMT_STATEMENT_SET) jobs++;
  }
  if (jobs > 1)
    return sl_err_set(err, SL_EUNSUPPORTED, SL_ERR_NOLOC,
                      "a restore needs a script with one INSERT or SELECT; this one has %d", jobs);
  return 0;
}

int sl_script_new(const sl_script_opts *o, sl_script **out, sl_err *err) {
  sl_script *s = sl_calloc(1, sizeof *s);
  s->o = *o;
  sl_arena_init(&s->arena, 1 << 16);
  sl_catalog_init(&s->cat, &s->arena);
  for (int i = 0; i + 1 < 2 * o->nsettings; i += 2)
    sl_catalog_set(&s->cat, sl_arena_strdup(&s->arena, o->settings[i]), sl_arena_strdup(&s->arena, o->settings[i + 1]),
                   SL_ERR_NOLOC, SL_ERR_NOLOC);
  int rc = sl_sql_parse(o->sql, o->len, &s->arena, &s->ast, err);
  if (!rc && o->restore && o->mode != SL_SCRIPT_EXPLAIN) rc = check_restore(s->ast, err);
  if (rc) {
    sl_script_free(s);
    return rc;
  }
  *out = s;
  return 0;
}

static void end_running(sl_script *s) {
  sl_dag_free(s->dag);
  sl_ckpt_coord_free(s->ctx.ckpt);
  sl_state_backend_free(s->ctx.state);
  s->dag = NULL;
  s->ctx.ckpt = NULL;
  s->ctx.state = NULL;
  s->running = false;
}

void sl_script_free(sl_script *s) {
  if (!s) return;
  if (s->runner) sl_runner_finish(s->runner);
  s->runner = NULL;
  if (s->running) end_running(s);
  sl_catalog_destroy(&s->cat);
  sl_arena_destroy(&s->arena);
  free(s);
}

static void explain(sl_script *s, sl_plan **plans, int n, sl_dag *dag) {
  sl_buf b;
  sl_buf_init(&b);
  sl_buf_adds(&b, "== Logical Plan ==\n");
  for (int i = 0; i < n; i++) {
    if (i) sl_buf_addc(&b, '\n');
    sl_plan_explain(plans[i], &b);
  }
  sl_buf_adds(&b, "\n== Physical DAG ==\n");
  sl_dag_explain(dag, &b);
  if (s->o.out) {
    fwrite(b.data, 1, b.len, s->o.out);
    fputc('\n', s->o.out);
  }
  sl_buf_destroy(&b);
}

/* Binds and plans the query stmts[0..n) (several for a statement set) and, in run mode, starts
 * it. Returns 1 when it runs. */
static int start_query(sl_script *s, sl_ast_stmt *const *stmts, int n, sl_script_mode mode, sl_err *err) {
  sl_plan **plans = sl_arena_alloc(&s->arena, sizeof(sl_plan *) * (size_t)n);
  int rc;
  for (int i = 0; i < n; i++) {
    if ((rc = sl_bind_statement(&s->cat, &s->arena, s->o.sql, stmts[i], &plans[i], err))) return rc;
    plans[i] = sl_plan_rewrite(&s->arena, plans[i]);
  }
  sl_job_config jc;
  if ((rc = sl_job_config_load(&s->cat, s->o.restore, &jc, err))) return rc;
  s->ctx = (sl_job_ctx){.err = err, .sql = s->o.sql, .file = s->o.file, .out = s->o.out, .errout = s->o.errout, .control = s->o.control,
                        .log = s->o.log, .checkpointing = jc.checkpointing, .state_ttl_us = jc.state_ttl_us,
                        .idle_timeout_us = jc.idle_timeout_us, .host = s->o.host};
  sl_dag *dag;
  bool run = mode == SL_SCRIPT_RUN;
  if ((rc = sl_plan_physical(plans, n, &s->ctx, run, &dag, err))) return rc;
  if (!run) {
    if (mode == SL_SCRIPT_EXPLAIN) explain(s, plans, n, dag);
    sl_dag_free(dag);
    return 0;
  }
  s->dag = dag;
  s->running = true;
  jc.ckpt.log = s->o.log;
  jc.ckpt.job_id = s->o.job_id;
  jc.ckpt.latest_of_job = s->o.latest_of_job;
  rc = sl_state_backend_new(&jc.state, &s->ctx.state, err);
  if (!rc && jc.checkpointing) rc = sl_ckpt_coord_new(&s->ctx, dag, &jc.ckpt, &s->ctx.ckpt, err);
  if (!rc && sl_runner_start(dag, &s->runner)) rc = err->code ? err->code : SL_ERUNTIME;
  if (rc) {
    end_running(s);
    return rc;
  }
  return 1;
}

static int run_statement(sl_script *s, sl_ast_stmt *st, sl_err *err) {
  sl_script_mode mode = s->o.mode;
  switch ((sl_ast_stmt_kind)st->kind) {
    case SL_STMT_CREATE_TABLE: return sl_bind_create_table(&s->cat, &s->arena, st, err);
    case SL_STMT_CREATE_VIEW: return sl_bind_create_view(&s->cat, &s->arena, st, err);
    case SL_STMT_DROP: return sl_catalog_drop(&s->cat, st->name, st->is_view, st->if_exists, st->name_loc, err);
    case SL_STMT_SET:
      if (st->value) sl_catalog_set(&s->cat, st->name, st->value, st->name_loc, st->value_loc);
      else if (mode == SL_SCRIPT_RUN && s->o.out)
        for (int i = 0; i < s->cat.nsettings; i++)
          fprintf(s->o.out, "'%s' = '%s'\n", s->cat.settings[i].key, s->cat.settings[i].value);
      return 0;
    case SL_STMT_RESET:
      if (st->name) sl_catalog_reset(&s->cat, st->name);
      else s->cat.nsettings = 0;
      return 0;
    case SL_STMT_INSERT:
    case SL_STMT_SELECT: return start_query(s, &st, 1, mode, err);
    case SL_STMT_STATEMENT_SET:
      return start_query(s, (sl_ast_stmt *const *)st->set_stmts->items, st->set_stmts->n, mode, err);
    case SL_STMT_EXPLAIN:
      if (!st->inner || (st->inner->kind != SL_STMT_INSERT && st->inner->kind != SL_STMT_SELECT))
        return sl_err_set(err, SL_EUNSUPPORTED, st->loc, "EXPLAIN supports INSERT and SELECT statements");
      return start_query(s, &st->inner, 1, mode == SL_SCRIPT_CHECK ? mode : SL_SCRIPT_EXPLAIN, err);
  }
  return sl_err_set(err, SL_EUNSUPPORTED, st->loc, "unsupported statement");
}

int sl_script_next(sl_script *s, sl_err *err) {
  if (s->running) return sl_err_set(err, SL_ESTATE, SL_ERR_NOLOC, "a query is still running");
  while (s->ast->stmts && s->next < s->ast->stmts->n) {
    int rc = run_statement(s, s->ast->stmts->items[s->next++], err);
    if (rc) return rc;
  }
  return 0;
}

sl_runner *sl_script_runner(sl_script *s) { return s->runner; }
sl_dag *sl_script_dag(sl_script *s) { return s->dag; }
const sl_script_stats *sl_script_stats_get(const sl_script *s) { return &s->stats; }
const sl_catalog *sl_script_catalog(const sl_script *s) { return &s->cat; }

int sl_script_end_query(sl_script *s, sl_err *err) {
  if (!s->running) return 0;
  int rc = 0;
  if (s->runner) rc = sl_runner_finish(s->runner) ? (err->code ? err->code : SL_ERUNTIME) : 0;
  s->runner = NULL;
  sl_dag *dag = s->dag;
  if (s->ctx.ckpt) {
    s->stats.checkpoints += sl_ckpt_completed(s->ctx.ckpt);
    s->stats.checkpoints_failed += sl_ckpt_failed(s->ctx.ckpt);
  }
  if (s->ctx.stopped) s->stats.stopped = true;
  if (s->ctx.canceled) s->stats.canceled = true;
  s->stats.queries++;
  for (int i = 0; i < dag->nops; i++)
    if (dag->ops[i]->ninputs == 0) s->stats.rows_read += dag->ops[i]->rows_out;
  for (int i = 0; i < dag->nops; i++)
    if (dag->ops[i]->nouts == 0) s->stats.rows_written += dag->ops[i]->rows_in;
  s->stats.late_rows += s->ctx.late_rows;
  s->stats.skipped_rows += s->ctx.skipped_rows;
  end_running(s);
  return rc;
}
