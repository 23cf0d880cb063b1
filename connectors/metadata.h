/* metadata.h - METADATA columns: matching a table's metadata columns to the keys a connector offers.
 *
 * A table's `col TYPE METADATA [FROM 'key'] [VIRTUAL]` columns reach a source as the last nmeta of
 * its sl_conn_table columns (after the payload columns, which are the first ncols - nmeta): the
 * format decoder gets only the payload columns, and the connector fills the metadata columns
 * [ncols - nmeta, ncols) of each row it appends. Sinks never get metadata columns (the binder
 * rejects INSERT INTO a table with a non-VIRTUAL one; VIRTUAL ones are not sink columns). */
#ifndef SL_METADATA_H
#define SL_METADATA_H

#include "conn.h"

/* One metadata key a connector offers (Flink's listReadableMetadata()). */
typedef struct sl_meta_key {
  const char *key;        /* "file.path", "timestamp", ... */
  sl_type_kind kind;      /* the value's type; the column may differ in precision and nullability */
  const char *type_name;  /* its Flink spelling for messages: "STRING", "TIMESTAMP_LTZ(3)" */
} sl_meta_key;

/* Matches t's metadata columns to keys[0..nkeys): idx[i] (t->nmeta entries, caller's) gets the
 * index in keys of metadata column i's key. An unknown key, or a column whose declared type is
 * not of the key's kind (TIMESTAMP is accepted for a TIMESTAMP_LTZ key), is SL_ECONFIG located
 * at the column's METADATA clause. A connector without metadata passes keys = NULL, nkeys = 0.
 * Returns 0 or the error. */
int sl_conn_meta_resolve(const sl_conn_table *t, const sl_meta_key *keys, int nkeys, int *idx, sl_err *err);

/* For sink constructors: sinks get no metadata columns (the planner never passes any), so
 * nmeta > 0 is a planner bug, reported as SL_EINVAL. Returns 0 otherwise. */
int sl_conn_meta_none(const sl_conn_table *t, sl_err *err);

#endif
