/* metadata.c - METADATA columns: matching a table's metadata columns to the keys a connector offers. */
#include "metadata.h"

#include <string.h>

/* Whether a column declared as `declared` can hold a key's values of kind `kind`. Flink wants
 * the declared type castable from the key's; here it must be the same kind (any precision and
 * nullability), or TIMESTAMP for a TIMESTAMP_LTZ key (the session time zone is UTC, so the
 * microseconds are the same). */
static bool kind_fits(sl_type_kind kind, sl_type declared) {
  if (declared.kind == kind) return true;
  return kind == SL_TYPE_TIMESTAMP_LTZ && declared.kind == SL_TYPE_TIMESTAMP;
}

static int unknown_key(const sl_conn_table *t, const sl_meta_key *keys, int nkeys, int i, sl_err *err) {
  if (nkeys == 0)
    return sl_err_set(err, SL_ECONFIG, t->meta_loc[i], "connector '%s' has no metadata keys", t->connector);
  sl_buf b;
  sl_buf_init(&b);
  for (int k = 0; k < nkeys; k++) sl_buf_printf(&b, "%s'%s'", k ? ", " : "", keys[k].key);
  int rc = sl_err_set(err, SL_ECONFIG, t->meta_loc[i], "connector '%s' has no metadata key '%s' (available: %s)",
                      t->connector, t->meta_keys[i], b.data);
  sl_buf_destroy(&b);
  return rc;
}

int sl_conn_meta_resolve(const sl_conn_table *t, const sl_meta_key *keys, int nkeys, int *idx, sl_err *err) {
  int first = t->ncols - t->nmeta;
  for (int i = 0; i < t->nmeta; i++) {
    int k = 0;
    while (k < nkeys && strcmp(keys[k].key, t->meta_keys[i]) != 0) k++;
    if (k == nkeys) return unknown_key(t, keys, nkeys, i, err);
    sl_type declared = t->types[first + i];
    if (!kind_fits(keys[k].kind, declared)) {
      char tn[64];
      return sl_err_set(err, SL_ECONFIG, t->meta_loc[i],
                        "metadata column '%s' of table '%s' is declared %s, but key '%s' of connector '%s' is %s",
                        t->names[first + i], t->name, sl_type_name(declared, tn, sizeof tn), keys[k].key, t->connector,
                        keys[k].type_name);
    }
    idx[i] = k;
  }
  return 0;
}

int sl_conn_meta_none(const sl_conn_table *t, sl_err *err) {
  if (t->nmeta == 0) return 0;
  return sl_err_set(err, SL_EINVAL, SL_ERR_NOLOC, "table '%s': sink connector '%s' was given %d metadata column%s (sinks take none)",
                    t->name, t->connector, t->nmeta, t->nmeta == 1 ? "" : "s");
}
