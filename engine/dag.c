/* dag.c - building and describing the operator chain of a job. */
#include "dag.h"

#include <stdlib.h>

sl_dag *sl_dag_new(sl_job_ctx *ctx) {
  sl_dag *d = sl_calloc(1, sizeof *d);
  d->ctx = ctx;
  sl_arena_init(&d->arena, 4096);
  return d;
}

void sl_dag_add(sl_dag *d, sl_op *op) {
  if (d->nops == d->cap) {
    d->cap = d->cap ? d->cap * 2 : 8;
    d->ops = sl_realloc(d->ops, sizeof(sl_op *) * (size_t)d->cap);
  }
  op->id = d->nops + 1;
  if (d->nops) {
    d->ops[d->nops - 1]->next = op;
    op->ninputs = 1;
  }
  d->ops[d->nops++] = op;
}

void sl_dag_free(sl_dag *d) {
  if (!d) return;
  for (int i = 0; i < d->nops; i++) {
    sl_op_release_held(d->ops[i]);
    d->ops[i]->vt->close(d->ops[i]);
  }
  free(d->ops);
  sl_arena_destroy(&d->arena);
  free(d);
}

void sl_dag_explain(const sl_dag *d, sl_buf *out) {
  for (int i = 0; i < d->nops; i++) {
    const sl_op *op = d->ops[i];
    sl_buf_printf(out, "%*s[%d] %s(", i * 2, "", op->id, op->vt->name);
    if (op->vt->explain) op->vt->explain(op, out);
    sl_buf_adds(out, ")\n");
    if (i + 1 < d->nops) sl_buf_printf(out, "%*s  -> forward\n", i * 2, "");
  }
}
