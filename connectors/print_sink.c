/* print_sink.c - the 'print' connector: one "+I[...]" line per row on stdout (or stderr). */
#include <stdlib.h>
#include <string.h>

#include "../engine/value_text.h"
#include "conn.h"
#include "metadata.h"

typedef struct print_sink {
  sl_sink base;
  FILE *fp;
  bool to_stderr;
  const char *identifier;
  sl_buf buf;
} print_sink;

static const char *kind_tag(const sl_batch *b, uint32_t row) {
  static const char *tags[] = {"+I", "-U", "+U", "-D"};
  return b->kinds ? tags[b->kinds[row] & 3] : "+I";
}

void sl_render_row(const sl_batch *b, uint32_t row, sl_buf *out) {
  sl_buf_adds(out, kind_tag(b, row));
  sl_buf_addc(out, '[');
  for (int c = 0; c < b->ncols; c++) {
    if (c) sl_buf_add(out, ", ", 2);
    sl_value v;
    sl_col_get(&b->cols[c], row, &v);
    if (v.is_null) sl_buf_add(out, "null", 4);
    else sl_value_render(b->cols[c].type, &v, out);
  }
  sl_buf_addc(out, ']');
}

static int print_write(sl_sink *s, const sl_batch *b, sl_err *err) {
  print_sink *p = (print_sink *)s;
  sl_buf_reset(&p->buf);
  int n = sl_batch_live(b);
  for (int i = 0; i < n; i++) {
    if (p->identifier) {
      sl_buf_adds(&p->buf, p->identifier);
      sl_buf_add(&p->buf, "> ", 2);
    }
    sl_render_row(b, sl_batch_row(b, i), &p->buf);
    sl_buf_addc(&p->buf, '\n');
  }
  /* Flushed per batch: an unbounded job's rows show as they come, as with Flink's print sink. */
  if (p->fp && p->buf.len && (fwrite(p->buf.data, 1, p->buf.len, p->fp) != p->buf.len || fflush(p->fp) != 0))
    return sl_err_set(err, SL_EIO, SL_ERR_NOLOC, "print sink: cannot write to %s",
                      p->to_stderr ? "stderr" : "stdout");
  return 0;
}

static int print_finish(sl_sink *s, sl_err *err) {
  print_sink *p = (print_sink *)s;
  if (p->fp && fflush(p->fp) != 0) return sl_err_set(err, SL_EIO, SL_ERR_NOLOC, "print sink: cannot flush output");
  return 0;
}

static void print_describe(sl_sink *s, sl_buf *out) {
  print_sink *p = (print_sink *)s;
  sl_buf_printf(out, "print to %s", p->to_stderr ? "stderr" : "stdout");
}

static void print_free(sl_sink *s) {
  print_sink *p = (print_sink *)s;
  sl_buf_destroy(&p->buf);
  free(p);
}

static const sl_sink_vtable print_vt = {.write = print_write, .finish = print_finish, .describe = print_describe, .free = print_free};

int sl_print_sink_new(sl_conn_table *t, int64_t loc, sl_sink **out, sl_err *err) {
  bool to_stderr;
  int rc = sl_conn_meta_none(t, err);
  if (rc) return rc;
  rc = sl_options_bool(t->opts, "standard-error", false, &to_stderr, err);
  if (rc) return rc;
  int64_t par;
  if ((rc = sl_options_int(t->opts, "sink.parallelism", 1, &par, err))) return rc;
  print_sink *p = sl_calloc(1, sizeof *p);
  p->base.vt = &print_vt;
  p->fp = to_stderr ? t->errout : t->out; /* NULL: the rows go nowhere */
  p->to_stderr = to_stderr;
  p->identifier = sl_options_get(t->opts, "print-identifier");
  sl_buf_init(&p->buf);
  *out = &p->base;
  return 0;
}
