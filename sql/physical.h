/* physical.h - from a logical plan to a runnable operator chain. */
#ifndef SL_PHYSICAL_H
#define SL_PHYSICAL_H

#include "../engine/dag.h"
#include "plan.h"

/* Builds one DAG for roots[0..n) (SINK nodes: one query, or the INSERTs of a statement set,
 * which share their sources and common sub-plans). With open_connectors false nothing is opened
 * (EXPLAIN of tables whose connector cannot run here); otherwise sources and sinks are opened and
 * their options checked. */
int sl_plan_physical(sl_plan *const *roots, int n, sl_job_ctx *ctx, bool open_connectors, sl_dag **out, sl_err *err);
/* The logical plan as an indented tree. */
void sl_plan_explain(const sl_plan *root, sl_buf *out);

#endif
