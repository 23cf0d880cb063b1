/* dag.h - a physical job: its operators (a DAG from the sources to the sinks), and how to run it. */
#ifndef SL_DAG_H
#define SL_DAG_H

#include "buf.h"
#include "op.h"

typedef struct sl_dag {
  int nops, cap;
  sl_op **ops;        /* in topological order: an operator after its inputs */
  sl_job_ctx *ctx;
  sl_arena arena;     /* names and descriptions built for the physical plan */
  /* While planning a statement set: the operator built for each plan subtree (keyed by the
   * subtree's EXPLAIN text) and the statement it was built for, so that later statements reuse
   * it instead of reading a source again. */
  struct {
    char **keys;
    sl_op **ops;
    int *stmt;
    int n, cap, cur;
  } shared;
} sl_dag;

sl_dag *sl_dag_new(sl_job_ctx *ctx);
/* Adds op (it gets the next id; its watermarks start at the minimum). */
void sl_dag_add(sl_dag *d, sl_op *op);
/* Feeds from's output into input port of to. */
void sl_dag_connect(sl_op *from, sl_op *to, int port);
/* Closes every operator and frees the DAG. */
void sl_dag_free(sl_dag *d);
/* Runs the job to the end of its bounded inputs: polls the sources (the one furthest behind in
 * event time first), ending each one's path when it is done. Returns 0 or SL_OP_ERROR (ctx->err
 * says why). */
int sl_dag_run(sl_dag *d);

/* The same in steps, for drivers that run the loop themselves (the embedding API). start
 * restores and opens the operators and sets up the runner's own loop (*out NULL: nothing to run);
 * step runs the loop (once without blocking, or until the query ends) and says whether the query
 * has ended; finish closes the loop and frees the runner, returning 0 or SL_OP_ERROR. */
typedef struct sl_runner sl_runner;
int sl_runner_start(sl_dag *d, sl_runner **out);
bool sl_runner_step(sl_runner *r, bool nowait);
struct uv_loop_s *sl_runner_loop(sl_runner *r);
int sl_runner_finish(sl_runner *r);
/* The physical DAG as text, one operator per line, each sink first and inputs indented. */
void sl_dag_explain(const sl_dag *d, sl_buf *out);

#endif
