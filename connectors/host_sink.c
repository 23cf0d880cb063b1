/* host_sink.c - the host sink: each batch of result rows goes to the host's callback as a
 * sluice_rows view, with typed accessors, the change kind and a JSON rendering per row. */
#include <stdlib.h>
#include <string.h>

#include "../engine/datetime.h"
#include "../engine/decimal.h"
#include "../engine/value_text.h"
#include "fmt.h"
#include "host.h"

int sl_host_sink_find(sl_host_tables *h, const char *table, sluice_sink_cb *cb, void **arg);

typedef struct host_sink {
  sl_sink base;
  const char *table;
  sluice_sink_cb cb;
  void *arg;
  int ncols;
  const char *const *names;
  sl_fmt_enc *json;
} host_sink;

struct sluice_rows {
  host_sink *sink;
  const sl_batch *b;
  sl_buf scratch;
};

static int hk_write(sl_sink *s, const sl_batch *b, sl_err *err) {
  host_sink *h = (host_sink *)s;
  if (sl_batch_live(b) == 0) return 0;
  sluice_rows rows = {.sink = h, .b = b};
  sl_buf_init(&rows.scratch);
  int rc = h->cb(h->arg, &rows);
  sl_buf_destroy(&rows.scratch);
  if (rc) return sl_err_set(err, SL_ERUNTIME, SL_ERR_NOLOC, "table '%s': the host's sink callback failed (%d)", h->table, rc);
  return 0;
}

static int hk_finish(sl_sink *s, sl_err *err) { return 0; }

static void hk_describe(sl_sink *s, sl_buf *out) { sl_buf_adds(out, "host callback"); }

static void hk_free(sl_sink *s) {
  host_sink *h = (host_sink *)s;
  sl_fmt_enc_free(h->json);
  free(h);
}

static const sl_sink_vtable host_sink_vt = {.write = hk_write, .finish = hk_finish, .describe = hk_describe, .free = hk_free};

int sl_host_sink_new(sl_conn_table *t, int64_t loc, sl_sink **out, sl_err *err) {
  sluice_sink_cb cb;
  void *arg;
  if (!sl_host_sink_find(t->host, t->name, &cb, &arg))
    return sl_err_set(err, SL_ECONFIG, loc,
                      "table '%s' is a host sink, but no host receives its rows (an embedding program attaches a "
                      "callback with sluice_job_sink before the job starts)",
                      t->name);
  const char *format = sl_options_get(t->opts, "format");
  if (format && strcmp(format, "json")) {
    sl_option *o = sl_options_find(t->opts, "format");
    return sl_err_set(err, SL_ECONFIG, o->value_loc, "connector 'host' renders rows as JSON: 'format' must be 'json'");
  }
  sl_fmt_enc *json;
  int rc = sl_fmt_enc_new("json", t->ncols, t->names, t->types, t->opts, &json, err);
  if (rc) return rc;
  host_sink *h = sl_calloc(1, sizeof *h);
  h->base.vt = &host_sink_vt;
  h->table = t->name;
  h->cb = cb;
  h->arg = arg;
  h->ncols = t->ncols;
  h->names = t->names;
  h->json = json;
  *out = &h->base;
  return 0;
}

/* ---- sluice_rows ------------------------------------------------------------------------------ */

static const sl_col *col_of(const sluice_rows *r, int row, int col, uint32_t *at) {
  if (row < 0 || row >= sl_batch_live(r->b) || col < 0 || col >= r->b->ncols) return NULL;
  *at = sl_batch_row(r->b, row);
  return &r->b->cols[col];
}

int sluice_rows_count(const sluice_rows *r) { return sl_batch_live(r->b); }
const char *sluice_rows_table(const sluice_rows *r) { return r->sink->table; }
int sluice_rows_columns(const sluice_rows *r) { return r->b->ncols; }

const char *sluice_rows_column_name(const sluice_rows *r, int col) {
  return col >= 0 && col < r->sink->ncols ? r->sink->names[col] : NULL;
}

int sluice_rows_column_type(const sluice_rows *r, int col) {
  return col >= 0 && col < r->b->ncols ? r->b->cols[col].type.kind : 0;
}

int sluice_rows_kind(const sluice_rows *r, int row) {
  if (row < 0 || row >= sl_batch_live(r->b) || !r->b->kinds) return SLUICE_INSERT;
  return r->b->kinds[sl_batch_row(r->b, row)] & 3;
}

const char *sluice_row_kind_name(int kind) {
  static const char *const names[] = {"+I", "-U", "+U", "-D"};
  return kind >= 0 && kind < 4 ? names[kind] : "?";
}

int sluice_rows_is_null(const sluice_rows *r, int row, int col) {
  uint32_t at;
  const sl_col *c = col_of(r, row, col, &at);
  return !c || sl_col_is_null(c, at);
}

int64_t sluice_rows_int64(const sluice_rows *r, int row, int col) {
  uint32_t at;
  const sl_col *c = col_of(r, row, col, &at);
  if (!c || sl_col_is_null(c, at) || sl_type_phys(c->type) != SL_PHYS_I64) return 0;
  int64_t v = c->i64[at];
  switch ((sl_type_kind)c->type.kind) {
    case SL_TYPE_TIME:
    case SL_TYPE_TIMESTAMP:
    case SL_TYPE_TIMESTAMP_LTZ:
    case SL_TYPE_INTERVAL_DT: return sl_floor_div(v, 1000); /* µs -> ms */
    default: return v;
  }
}

double sluice_rows_double(const sluice_rows *r, int row, int col) {
  uint32_t at;
  const sl_col *c = col_of(r, row, col, &at);
  if (!c || sl_col_is_null(c, at)) return 0;
  switch (sl_type_phys(c->type)) {
    case SL_PHYS_F64: return c->f64[at];
    case SL_PHYS_DEC: return (double)c->dec[at] / (double)sl_dec_pow10(c->type.scale);
    case SL_PHYS_I64: return sl_type_is_integer(c->type) ? (double)c->i64[at] : 0;
    default: return 0;
  }
}

const char *sluice_rows_string(const sluice_rows *r, int row, int col, size_t *len) {
  uint32_t at;
  const sl_col *c = col_of(r, row, col, &at);
  if (!c || sl_col_is_null(c, at) || sl_type_phys(c->type) != SL_PHYS_STR) {
    if (len) *len = 0;
    return NULL;
  }
  if (len) *len = c->str[at].len;
  return c->str[at].ptr;
}

/* Copies text into buf (snprintf's rule) and returns its length. */
static size_t copy_out(const char *s, size_t n, char *buf, size_t cap) {
  if (cap) {
    size_t k = n < cap - 1 ? n : cap - 1;
    memcpy(buf, s, k);
    buf[k] = 0;
  }
  return n;
}

size_t sluice_rows_text(const sluice_rows *r, int row, int col, char *buf, size_t cap) {
  uint32_t at;
  const sl_col *c = col_of(r, row, col, &at);
  if (!c || sl_col_is_null(c, at)) return copy_out("null", 4, buf, cap);
  sluice_rows *m = (sluice_rows *)r;
  sl_buf_reset(&m->scratch);
  sl_value v;
  sl_col_get(c, at, &v);
  sl_value_render(c->type, &v, &m->scratch);
  return copy_out(m->scratch.data ? m->scratch.data : "", m->scratch.len, buf, cap);
}

size_t sluice_rows_json(const sluice_rows *r, int row, char *buf, size_t cap) {
  if (row < 0 || row >= sl_batch_live(r->b)) return copy_out("", 0, buf, cap);
  sluice_rows *m = (sluice_rows *)r;
  sl_buf_reset(&m->scratch);
  sl_fmt_enc_row(r->sink->json, r->b, sl_batch_row(r->b, row), &m->scratch);
  size_t n = m->scratch.len;
  if (n && m->scratch.data[n - 1] == '\n') n--;
  return copy_out(m->scratch.data, n, buf, cap);
}
