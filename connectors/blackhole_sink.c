/* blackhole_sink.c - the 'blackhole' connector: swallows every row (for benchmarks). */
#include <stdlib.h>

#include "conn.h"
#include "metadata.h"

typedef struct blackhole {
  sl_sink base;
  int64_t rows;
} blackhole;

static int bh_write(sl_sink *s, const sl_batch *b, sl_err *err) {
  ((blackhole *)s)->rows += sl_batch_live(b);
  return 0;
}

static int bh_finish(sl_sink *s, sl_err *err) { return 0; }

static void bh_describe(sl_sink *s, sl_buf *out) { sl_buf_adds(out, "blackhole"); }

static void bh_free(sl_sink *s) { free(s); }

static const sl_sink_vtable blackhole_vt = {.write = bh_write, .finish = bh_finish, .describe = bh_describe, .free = bh_free};

int sl_blackhole_sink_new(sl_conn_table *t, int64_t loc, sl_sink **out, sl_err *err) {
  int rc = sl_conn_meta_none(t, err);
  if (rc) return rc;
  blackhole *s = sl_calloc(1, sizeof *s);
  s->base.vt = &blackhole_vt;
  *out = &s->base;
  return 0;
}
