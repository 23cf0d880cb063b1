/* host.h - 'connector' = 'host' tables of the embedding API: sources the host pushes records
 * into (a bounded queue between the host's threads and the job), sinks that hand result rows to
 * a host callback. A job keeps its host tables in one sl_host_tables; the connectors find theirs
 * there by table name when the query opens them. */
#ifndef SL_HOST_H
#define SL_HOST_H

#include "../engine/sluice.h"
#include "conn.h"

typedef struct sl_host_tables sl_host_tables;

sl_host_tables *sl_host_tables_new(void);
/* Frees the tables and their sources (the job has ended). */
void sl_host_tables_free(sl_host_tables *h);
/* The job has ended: pushes fail with SLUICE_ESTATE and waiting hosts wake up. */
void sl_host_tables_close(sl_host_tables *h);

/* The source for table t (created on first use; its columns are t's physical ones, its JSON
 * reader follows t's 'json.*' options, its queue 'source.queue-size'). */
int sl_host_source_get(sl_host_tables *h, const char *table, int ncols, const char *const *names,
                       const sl_type *types, sl_options *opts, int64_t loc, sluice_source **out, sl_err *err);
/* The source already made for table (1), or 0. */
int sl_host_source_find(sl_host_tables *h, const char *table, sluice_source **out);
/* Routes table's rows to cb. */
void sl_host_sink_set(sl_host_tables *h, const char *table, sluice_sink_cb cb, void *arg);

/* The connector: opened by the registry for 'connector' = 'host'. */
int sl_host_source_new(sl_conn_table *t, int64_t loc, sl_source **out, sl_err *err);
int sl_host_sink_new(sl_conn_table *t, int64_t loc, sl_sink **out, sl_err *err);

/* Options of host tables, read (and marked used) by both sides. */
int sl_host_source_options(sl_options *opts, int64_t *queue_rows, int64_t *buffer_timeout_us, sl_err *err);

/* Fills a public error from an internal one (file and text name the script for located ones). */
void sl_error_fill(sluice_error *out, const sl_err *err, const char *file, const char *text);

#endif
