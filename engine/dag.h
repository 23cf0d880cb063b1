/* dag.h - a physical job: the operators of one pipeline, source first, and how to run it. */
#ifndef SL_DAG_H
#define SL_DAG_H

#include "buf.h"
#include "op.h"

typedef struct sl_dag {
  int nops, cap;
  sl_op **ops;        /* ops[0] is the source; ops[i]->next == ops[i+1] */
  sl_job_ctx *ctx;
  sl_arena arena;     /* names and descriptions built for the physical plan */
} sl_dag;

sl_dag *sl_dag_new(sl_job_ctx *ctx);
/* Appends op at the end of the chain. */
void sl_dag_add(sl_dag *d, sl_op *op);
/* Closes every operator and frees the DAG. */
void sl_dag_free(sl_dag *d);
/* Runs the pipeline to the end of its bounded input: poll the source until done, then a final
 * watermark and finish() down the chain. Returns 0 or SL_OP_ERROR (ctx->err says why). */
int sl_dag_run(sl_dag *d);
/* The physical DAG as text, one operator per line. */
void sl_dag_explain(const sl_dag *d, sl_buf *out);

#endif
