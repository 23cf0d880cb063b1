/* test_checkpoint.c - barrier alignment at an operator with two inputs, and the checkpoint it
 * produces. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../engine/checkpoint.h"
#include "../../engine/dag.h"
#include "../../state/ckpt_store.h"
#include "../../state/state.h"

/* ---- Operators: two fake sources feeding a two-input operator that counts rows per input ---- */

typedef struct counter {
  sl_op base;
  int64_t rows[2];
  int64_t at_snapshot[2];
  int snapshots;
} counter;

static int counter_process(sl_op *op, int port, const sl_batch *b) {
  ((counter *)op)->rows[port] += sl_batch_live(b);
  return SL_OP_OK;
}

static int counter_snapshot(sl_op *op, int64_t id, sl_manifest_op *m) {
  counter *c = (counter *)op;
  memcpy(c->at_snapshot, c->rows, sizeof c->rows);
  c->snapshots++;
  sl_buf_add(&m->data, c->rows, sizeof c->rows);
  return SL_OP_OK;
}

static void op_free(sl_op *op) { free(op); }

static const sl_op_vtable source_vt = {.name = "FakeSource", .close = op_free};
static const sl_op_vtable counter_vt = {.name = "TwoInput", .process = counter_process, .snapshot = counter_snapshot,
                                        .close = op_free};

static char dir[256];
static sl_err err;
static sl_job_ctx ctx;
static sl_dag *dag;
static sl_op *a, *b;
static counter *j;
static sl_ckpt_coord *coord;

static void setup(void) {
  snprintf(dir, sizeof dir, "/tmp/sluice-test-ckpt-XXXXXX");
  ck_assert_ptr_nonnull(mkdtemp(dir));
  sl_err_clear(&err);
  memset(&ctx, 0, sizeof ctx);
  ctx.err = &err;
  sl_state_config sc = {.kind = SL_STATE_HASHMAP};
  ck_assert_int_eq(sl_state_backend_new(&sc, &ctx.state, &err), 0);
  dag = sl_dag_new(&ctx);
  a = sl_calloc(1, sizeof *a);
  b = sl_calloc(1, sizeof *b);
  j = sl_calloc(1, sizeof *j);
  a->vt = b->vt = &source_vt;
  j->base.vt = &counter_vt;
  for (sl_op *op = a; op; op = op == a ? b : op == b ? &j->base : NULL) {
    op->ctx = &ctx;
    sl_dag_add(dag, op);
  }
  /* Not a chain: a -> j (input 0), b -> j (input 1). */
  sl_dag_connect(a, &j->base, 0);
  sl_dag_connect(b, &j->base, 1);
  sl_ckpt_config cc = {.dir = dir, .num_retained = 2};
  ck_assert_int_eq(sl_ckpt_coord_new(&ctx, dag, &cc, &coord, &err), 0);
  ctx.ckpt = coord;
}

static void teardown(void) {
  sl_dag_free(dag);
  sl_ckpt_coord_free(coord);
  sl_state_backend_free(ctx.state);
  char cmd[300];
  snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
  ck_assert_int_eq(system(cmd), 0);
}

static void send_rows(sl_op *from, int n) {
  sl_type t = sl_type_make(SL_TYPE_BIGINT, 0, 0, false);
  sl_batch *batch = sl_batch_new(1, &t, n);
  for (int i = 0; i < n; i++) {
    sl_value v = {.i64 = i};
    sl_batch_set(batch, 0, (uint32_t)i, &v);
  }
  batch->nrows = n;
  ck_assert_int_eq(sl_op_emit(from, batch), SL_OP_OK);
  sl_batch_free(batch);
}

static void barrier_from(sl_op *src, int64_t id) {
  ck_assert_int_eq(sl_ckpt_snapshot_op(coord, src, id), SL_OP_OK);
  ck_assert_int_eq(sl_op_emit_barrier(src, id), SL_OP_OK);
}

START_TEST(input_past_the_barrier_waits_for_the_other) {
  send_rows(a, 5);
  send_rows(b, 1);
  int64_t id = sl_ckpt_begin(coord, false, false);
  ck_assert_int_eq(id, 1);
  barrier_from(a, id);
  ck_assert_int_eq(j->snapshots, 0);
  /* Input 0 delivered the barrier: its rows belong to the next checkpoint and wait. */
  send_rows(a, 3);
  ck_assert_int_eq(j->rows[0], 5);
  ck_assert_int_eq(j->base.nheld, 1);
  /* Input 1 has not: its rows still belong to this checkpoint. */
  send_rows(b, 2);
  ck_assert_int_eq(j->rows[1], 3);
  barrier_from(b, id);
  /* Aligned: the snapshot saw exactly the rows before the barrier on each input, then the
   * held rows went through. */
  ck_assert_int_eq(j->snapshots, 1);
  ck_assert_int_eq(j->at_snapshot[0], 5);
  ck_assert_int_eq(j->at_snapshot[1], 3);
  ck_assert_int_eq(j->rows[0], 8);
  ck_assert_int_eq(j->base.nheld, 0);
  ck_assert_int_eq(sl_ckpt_end(coord, true), 0);
  ck_assert_int_eq(sl_ckpt_completed(coord), 1);

  /* The manifest holds every operator, the two-input one with its counts at the barrier. */
  sl_objstore *os;
  ck_assert_int_eq(sl_objstore_open(dir, NULL, &os, &err), 0);
  char *folder;
  ck_assert_int_eq(sl_ckpt_find_latest(os, &folder, &err), 0);
  sl_manifest *m;
  ck_assert_int_eq(sl_ckpt_read(os, folder, &m, &err), 0);
  ck_assert_int_eq(m->nops, 3);
  const sl_manifest_op *mo = sl_manifest_find_op(m, j->base.id);
  ck_assert_ptr_nonnull(mo);
  ck_assert_str_eq(mo->kind, "TwoInput");
  ck_assert_uint_eq(mo->data.len, 8 + 16);
  int64_t saved[2];
  memcpy(saved, mo->data.data + 8, 16);
  ck_assert_int_eq(saved[0], 5);
  ck_assert_int_eq(saved[1], 3);
  sl_manifest_free(m);
  free(folder);
  sl_objstore_free(os);
}
END_TEST

START_TEST(trigger_sends_the_barrier_from_every_source) {
  send_rows(a, 2);
  send_rows(b, 4);
  ck_assert_int_eq(sl_ckpt_trigger(coord, false, false, true), 0);
  ck_assert_int_eq(j->snapshots, 1);
  ck_assert_int_eq(j->at_snapshot[0], 2);
  ck_assert_int_eq(j->at_snapshot[1], 4);
  ck_assert_int_eq(sl_ckpt_trigger(coord, false, false, true), 0);
  ck_assert_int_eq(j->snapshots, 2);
  ck_assert_int_eq(sl_ckpt_completed(coord), 2);
}
END_TEST

START_TEST(unaligned_checkpoint_is_not_written) {
  int64_t id = sl_ckpt_begin(coord, false, false);
  barrier_from(a, id);
  ck_assert_int_eq(sl_ckpt_end(coord, true), SL_ECHECKPOINT);
  ck_assert_ptr_nonnull(strstr(err.msg, "has not reached every operator"));
  ck_assert_int_eq(sl_ckpt_completed(coord), 0);
  sl_objstore *os;
  ck_assert_int_eq(sl_objstore_open(dir, NULL, &os, &err), 0);
  char *folder = NULL;
  sl_err_clear(&err);
  ck_assert_int_eq(sl_ckpt_find_latest(os, &folder, &err), SL_ENOTFOUND);
  sl_objstore_free(os);
}
END_TEST

START_TEST(barrier_of_another_checkpoint_while_aligning_fails) {
  int64_t id = sl_ckpt_begin(coord, false, false);
  barrier_from(a, id);
  ck_assert_int_eq(sl_op_deliver_barrier(&j->base, 1, id + 1), SL_ECHECKPOINT);
  ck_assert_ptr_nonnull(strstr(err.msg, "while aligning checkpoint"));
}
END_TEST

int main(void) {
  Suite *s = suite_create("checkpoint");
  TCase *tc = tcase_create("alignment");
  tcase_add_checked_fixture(tc, setup, teardown);
  tcase_add_test(tc, input_past_the_barrier_waits_for_the_other);
  tcase_add_test(tc, trigger_sends_the_barrier_from_every_source);
  tcase_add_test(tc, unaligned_checkpoint_is_not_written);
  tcase_add_test(tc, barrier_of_another_checkpoint_while_aligning_fails);
  suite_add_tcase(s, tc);
  SRunner *sr = srunner_create(s);
  srunner_run_all(sr, CK_NORMAL);
  int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
