/* registry.c - finds the connector implementation behind a table's 'connector' option. */
#include <string.h>

#include "conn.h"
#include "host.h"
#include "kinesis.h"

static int missing_connector(sl_conn_table *t, int64_t loc, const char *what, sl_err *err) {
  sl_option *o = sl_options_find(t->opts, "connector");
  if (!strcmp(t->connector, "kafka") || !strcmp(t->connector, "datagen"))
    return sl_err_set(err, SL_EUNSUPPORTED, o ? o->value_loc : loc,
                      "connector '%s' is not available yet in this version of sluice (as a %s)", t->connector, what);
  return sl_err_set(err, SL_ECONFIG, o ? o->value_loc : loc, "unknown connector '%s'", t->connector);
}

/* Options nobody read are errors naming the option, as Flink reports unsupported options. */
static int check_unused(sl_conn_table *t, sl_err *err) {
  char what[128];
  snprintf(what, sizeof what, "connector '%s'", t->connector);
  return sl_options_check_unused(t->opts, what, err);
}

bool sl_conn_sink_takes_updates(const char *c) {
  return !strcmp(c, "print") || !strcmp(c, "blackhole") || !strcmp(c, "host");
}

bool sl_conn_known(const char *c) {
  return !strcmp(c, "filesystem") || !strcmp(c, "print") || !strcmp(c, "blackhole") || !strcmp(c, "kinesis") ||
         !strcmp(c, "host");
}

int sl_conn_source_open(sl_conn_table *t, int64_t loc, sl_source **out, sl_err *err) {
  int rc;
  const char *c = t->connector;
  sl_options_get(t->opts, "connector");
  if (!strcmp(c, "filesystem")) rc = sl_fs_source_new(t, loc, out, err);
  else if (!strcmp(c, "kinesis")) rc = sl_kinesis_source_new(t, loc, out, err);
  else if (!strcmp(c, "host")) rc = sl_host_source_new(t, loc, out, err);
  else if (!strcmp(c, "print") || !strcmp(c, "blackhole"))
    return sl_err_set(err, SL_ECONFIG, loc, "connector '%s' can only be used as a sink, but table '%s' is read",
                      c, t->name);
  else return missing_connector(t, loc, "source", err);
  if (rc) return rc;
  if ((rc = check_unused(t, err))) {
    (*out)->vt->free(*out);
    *out = NULL;
  }
  return rc;
}

int sl_conn_sink_open(sl_conn_table *t, int64_t loc, sl_sink **out, sl_err *err) {
  int rc;
  const char *c = t->connector;
  sl_options_get(t->opts, "connector");
  if (!strcmp(c, "filesystem")) rc = sl_fs_sink_new(t, loc, out, err);
  else if (!strcmp(c, "print")) rc = sl_print_sink_new(t, loc, out, err);
  else if (!strcmp(c, "blackhole")) rc = sl_blackhole_sink_new(t, loc, out, err);
  else if (!strcmp(c, "kinesis")) rc = sl_kinesis_sink_new(t, loc, out, err);
  else if (!strcmp(c, "host")) rc = sl_host_sink_new(t, loc, out, err);
  else return missing_connector(t, loc, "sink", err);
  if (rc) return rc;
  if ((rc = check_unused(t, err))) {
    (*out)->vt->free(*out);
    *out = NULL;
  }
  return rc;
}
