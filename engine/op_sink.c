/* op_sink.c - the sink operator: hands batches to a connector sink, or collects the rows of a bare
 * SELECT and prints them as a table (the Flink SQL client's "tableau" form) at the end. */
#include <stdlib.h>
#include <string.h>

#include "../state/manifest.h"
#include "ops.h"
#include "value_text.h"

/* Output prepared at a checkpoint and published when that checkpoint completes. */
typedef struct pending_commit {
  int64_t checkpoint_id;
  sl_buf data;
} pending_commit;

typedef struct op_sink {
  sl_op base;
  const char *table;       /* NULL: collect the rows of a bare SELECT */
  const char *desc;
  sl_sink *sink;           /* NULL when collecting or only explained */
  int ncols;
  const char *const *names;
  sl_type *types;
  /* collected cells, row-major, each a NUL-terminated string in `cells` */
  sl_buf cells;
  size_t *offs;
  size_t noffs, capoffs;
  int64_t nrows;
  sl_buf tmp;
  pending_commit *pending;  /* two-phase sinks: oldest first */
  int npending, cappending;
  bool started;             /* the sink's start() ran (sinks with timers) */
} op_sink;

static int sink_open(sl_op *op) { return SL_OP_OK; }

static void collect_cell(op_sink *s, const char *p, size_t n) {
  if (s->noffs == s->capoffs) {
    s->capoffs = s->capoffs ? s->capoffs * 2 : 256;
    s->offs = sl_realloc(s->offs, sizeof(size_t) * s->capoffs);
  }
  s->offs[s->noffs++] = s->cells.len;
  sl_buf_add(&s->cells, p, n);
  sl_buf_addc(&s->cells, 0);
}

/* Starts a sink that runs timers on the job's loop, before its first write. */
static int sink_start(op_sink *s) {
  s->started = true;
  sl_job_ctx *ctx = s->base.ctx;
  if (!s->sink->vt->start || !ctx->loop) return 0;
  sl_conn_env env = {.loop = ctx->loop, .wake = ctx->wake, .wake_arg = ctx->wake_arg, .log = ctx->log};
  return s->sink->vt->start(s->sink, &env, ctx->err);
}

static int sink_process(sl_op *op, int port, const sl_batch *b) {
  op_sink *s = (op_sink *)op;
  if (s->sink && !s->started && sink_start(s)) return SL_OP_ERROR;
  if (s->table) return !s->sink ? SL_OP_OK : s->sink->vt->write(s->sink, b, op->ctx->err) ? SL_OP_ERROR : SL_OP_OK;
  static const char *tags[] = {"+I", "-U", "+U", "-D"};
  int n = sl_batch_live(b);
  for (int i = 0; i < n; i++) {
    uint32_t row = sl_batch_row(b, i);
    const char *tag = b->kinds ? tags[b->kinds[row] & 3] : "+I";
    collect_cell(s, tag, 2);
    for (int c = 0; c < s->ncols; c++) {
      sl_value v;
      sl_col_get(&b->cols[c], row, &v);
      sl_buf_reset(&s->tmp);
      if (v.is_null) sl_buf_adds(&s->tmp, "<NULL>");
      else sl_value_render(b->cols[c].type, &v, &s->tmp);
      collect_cell(s, s->tmp.data ? s->tmp.data : "", s->tmp.len);
    }
    s->nrows++;
  }
  return SL_OP_OK;
}

/* Display width of UTF-8 text: code points. */
static size_t text_width(const char *p) {
  size_t w = 0;
  for (; *p; p++)
    if (((unsigned char)*p & 0xc0) != 0x80) w++;
  return w;
}

/* Column width by type, as the Flink SQL client's streaming tableau sizes it (PrintUtils):
 * room for the widest value of the type, at least "<NULL>", and 30 for unbounded types. Unlike
 * Flink, a longer value widens its column instead of being cut. */
static size_t type_width(sl_type t) {
  size_t len;
  switch ((sl_type_kind)t.kind) {
    case SL_TYPE_TINYINT: len = 4; break;
    case SL_TYPE_SMALLINT: len = 6; break;
    case SL_TYPE_INT: len = 11; break;
    case SL_TYPE_BIGINT: len = 20; break;
    case SL_TYPE_DECIMAL: len = (size_t)t.precision + 2; break;
    case SL_TYPE_BOOLEAN: len = 5; break;
    case SL_TYPE_DATE: len = 10; break;
    case SL_TYPE_TIME: len = t.precision == 0 ? 8 : (size_t)t.precision + 9; break;
    case SL_TYPE_TIMESTAMP:
    case SL_TYPE_TIMESTAMP_LTZ: len = t.precision == 0 ? 19 : 19 + (size_t)t.precision + 1; break;
    default: len = 30; break;
  }
  return len < 6 ? 6 : len;
}

static void print_rule(FILE *f, const size_t *w, int n) {
  for (int c = 0; c < n; c++) {
    fputc('+', f);
    for (size_t i = 0; i < w[c] + 2; i++) fputc('-', f);
  }
  fputs("+\n", f);
}

static void print_cell(FILE *f, const char *text, size_t width, bool left) {
  size_t tw = text_width(text);
  fputs("| ", f);
  if (left) fputs(text, f);
  for (size_t i = tw; i < width; i++) fputc(' ', f);
  if (!left) fputs(text, f);
  fputc(' ', f);
}

static void print_table(op_sink *s, FILE *f) {
  int n = s->ncols + 1;
  size_t *w = sl_calloc((size_t)n, sizeof(size_t));
  w[0] = 2;
  for (int c = 1; c < n; c++) {
    w[c] = text_width(s->names[c - 1]);
    size_t tw = type_width(s->types[c - 1]);
    if (tw > w[c]) w[c] = tw;
  }
  for (size_t i = 0; i < s->noffs; i++) {
    size_t tw = text_width(s->cells.data + s->offs[i]);
    if (tw > w[i % (size_t)n]) w[i % (size_t)n] = tw;
  }
  print_rule(f, w, n);
  print_cell(f, "op", w[0], false);
  for (int c = 1; c < n; c++) print_cell(f, s->names[c - 1], w[c], false);
  fputs("|\n", f);
  print_rule(f, w, n);
  for (int64_t r = 0; r < s->nrows; r++) {
    for (int c = 0; c < n; c++) print_cell(f, s->cells.data + s->offs[(size_t)r * (size_t)n + (size_t)c], w[c], false);
    fputs("|\n", f);
  }
  print_rule(f, w, n);
  fprintf(f, "Received a total of %lld row%s\n", (long long)s->nrows, s->nrows == 1 ? "" : "s");
  free(w);
}

static bool two_phase(const op_sink *s);

static int sink_finish(sl_op *op) {
  op_sink *s = (op_sink *)op;
  if (two_phase(s)) return SL_OP_OK; /* the final checkpoint publishes the output */
  if (s->table) return !s->sink ? SL_OP_OK : s->sink->vt->finish(s->sink, op->ctx->err) ? SL_OP_ERROR : SL_OP_OK;
  if (op->ctx->out) {
    print_table(s, op->ctx->out);
    fflush(op->ctx->out);
  }
  return SL_OP_OK;
}

/* Sinks that commit by event time hear of the watermark. */
static int sink_on_watermark(sl_op *op, int64_t wm) {
  op_sink *s = (op_sink *)op;
  if (s->sink && s->sink->vt->watermark && s->sink->vt->watermark(s->sink, wm, op->ctx->err)) return SL_OP_ERROR;
  return SL_OP_OK;
}

/* The job ends. Stopped on request without checkpoints (no savepoint flushed them), buffering
 * sinks still send what they hold: a stop loses nothing that reached a sink. */
static void sink_detach(sl_op *op) {
  op_sink *s = (op_sink *)op;
  if (s->sink && s->started && s->sink->vt->stop) s->sink->vt->stop(s->sink);
  sl_job_ctx *ctx = op->ctx;
  if (!s->sink || !s->started || !ctx->stopped || two_phase(s) || !s->sink->vt->flush) return;
  sl_err e;
  sl_err_clear(&e);
  if (s->sink->vt->flush(s->sink, &e) && ctx->log)
    fprintf(ctx->log, "sluice: table '%s': rows buffered when the job stopped were not all sent: %s\n", s->table, e.msg);
}

static void sink_close(sl_op *op) {
  op_sink *s = (op_sink *)op;
  if (s->sink) s->sink->vt->free(s->sink);
  for (int i = 0; i < s->npending; i++) sl_buf_destroy(&s->pending[i].data);
  free(s->pending);
  sl_buf_destroy(&s->cells);
  sl_buf_destroy(&s->tmp);
  free(s->offs);
  free(s->types);
  free(s);
}

static void sink_explain(const sl_op *op, sl_buf *out) {
  const op_sink *s = (const op_sink *)op;
  if (s->table) {
    sl_buf_printf(out, "table=[%s], %s", s->table, s->desc);
  } else {
    sl_buf_adds(out, "collect, print as a table");
  }
  sl_buf_adds(out, ", fields=[");
  for (int i = 0; i < s->ncols; i++) sl_buf_printf(out, "%s%s", i ? ", " : "", s->names[i]);
  sl_buf_adds(out, "]");
}

/* ---- Two-phase commit (exactly-once sinks) ------------------------------------------------- */

static bool two_phase(const op_sink *s) { return s->sink && s->sink->vt->prepare_commit && s->base.ctx->ckpt; }

/* At the barrier: prepare what was written since the last one; the manifest carries every
 * prepared, unpublished piece (a failed checkpoint's output rides on the next one). */
static int sink_snapshot(sl_op *op, int64_t id, sl_manifest_op *m) {
  op_sink *s = (op_sink *)op;
  if (!two_phase(s)) {
    /* At-least-once sinks send what they buffered before the checkpoint can complete. */
    if (s->sink && s->sink->vt->flush && s->sink->vt->flush(s->sink, op->ctx->err)) return SL_OP_ERROR;
    return SL_OP_OK;
  }
  sl_buf data;
  sl_buf_init(&data);
  if (s->sink->vt->prepare_commit(s->sink, id, &data, op->ctx->err)) {
    sl_buf_destroy(&data);
    return SL_OP_ERROR;
  }
  if (data.len) {
    if (s->npending == s->cappending) {
      s->cappending = s->cappending ? s->cappending * 2 : 8;
      s->pending = sl_realloc(s->pending, sizeof(pending_commit) * (size_t)s->cappending);
    }
    s->pending[s->npending++] = (pending_commit){.checkpoint_id = id, .data = data};
  } else {
    sl_buf_destroy(&data);
  }
  for (int i = 0; i < s->npending; i++) sl_manifest_op_add_commit(m, s->pending[i].data.data, s->pending[i].data.len);
  return SL_OP_OK;
}

static int sink_checkpoint_complete(sl_op *op, int64_t id) {
  op_sink *s = (op_sink *)op;
  int done = 0, rc = SL_OP_OK;
  while (done < s->npending && s->pending[done].checkpoint_id <= id) {
    pending_commit *p = &s->pending[done];
    if (s->sink->vt->commit(s->sink, p->data.data, p->data.len, op->ctx->err)) rc = SL_OP_ERROR;
    sl_buf_destroy(&p->data);
    done++;
    if (rc) break;
  }
  if (done) memmove(s->pending, s->pending + done, sizeof(pending_commit) * (size_t)(s->npending - done));
  s->npending -= done;
  return rc;
}

/* Publishes what the restored checkpoint prepared (again, if it already was), then drops what
 * attempts after it left behind. */
static int sink_restore(sl_op *op, const sl_manifest_op *m) {
  op_sink *s = (op_sink *)op;
  if (!two_phase(s)) return SL_OP_OK;
  for (int i = 0; i < m->ncommits; i++)
    if (s->sink->vt->commit(s->sink, m->commits[i].data, m->commits[i].len, op->ctx->err)) return SL_OP_ERROR;
  if (s->sink->vt->recover && s->sink->vt->recover(s->sink, op->ctx->err)) return SL_OP_ERROR;
  return SL_OP_OK;
}

static const sl_op_vtable sink_vt = {
  .name = "Sink", .open = sink_open, .process = sink_process, .finish = sink_finish, .close = sink_close,
  .explain = sink_explain, .snapshot = sink_snapshot, .restore = sink_restore,
  .checkpoint_complete = sink_checkpoint_complete, .detach = sink_detach, .on_watermark = sink_on_watermark,
};

sl_op *sl_op_sink_new(sl_job_ctx *ctx, const char *table, const char *desc, sl_sink *sink, int ncols, const char *const *names,
                      const sl_type *types) {
  op_sink *s = sl_calloc(1, sizeof *s);
  s->base.vt = &sink_vt;
  s->base.ctx = ctx;
  sl_op_reset_watermark(&s->base, SL_WATERMARK_MIN);
  s->table = table;
  s->desc = desc;
  s->sink = sink;
  s->ncols = ncols;
  s->names = names;
  s->types = sl_calloc((size_t)(ncols ? ncols : 1), sizeof(sl_type));
  for (int i = 0; i < ncols; i++) s->types[i] = types[i];
  sl_buf_init(&s->cells);
  sl_buf_init(&s->tmp);
  return &s->base;
}
