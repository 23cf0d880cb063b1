/* catalog.h - the tables, views and session options a script has declared. */
#ifndef SL_CATALOG_H
#define SL_CATALOG_H

#include "../connectors/options.h"
#include "../engine/arena.h"
#include "../engine/err.h"
#include "../engine/types.h"
#include "ast.h"

typedef struct sl_column_def {
  const char *name;
  sl_type type;            /* for computed columns: filled when the table is created */
  sl_ast_expr *computed;   /* NULL for physical and METADATA columns */
  int64_t loc;
  /* `name type METADATA [FROM 'key'] [VIRTUAL]`: a column the connector fills from the record's
   * metadata (Kinesis 'timestamp', filesystem 'file.name') instead of decoding it. */
  bool metadata;
  bool is_virtual;         /* read-only: not part of the table's columns as a sink */
  const char *meta_key;    /* the key: FROM 'key', or the column's name */
  int64_t meta_loc;        /* the METADATA keyword (errors about the column's metadata) */
  int64_t meta_key_loc;    /* the 'key' literal, or meta_loc */
} sl_column_def;

typedef struct sl_table_def {
  const char *name;
  int64_t loc;
  int ncols;
  sl_column_def *cols;     /* declaration order: physical, computed and METADATA */
  int nphysical;           /* columns a source reads: physical (payload) and METADATA ones */
  int nmeta;               /* METADATA columns among them */
  int rowtime;             /* index of the WATERMARK column, or -1 */
  sl_ast_expr *wm_expr;    /* the WATERMARK expression */
  int npk;
  const char **pk;
  int npart;               /* PARTITIONED BY (...) */
  const char **part;
  int64_t part_loc;
  sl_options opts;
  const char *connector;   /* value of 'connector' */
} sl_table_def;

typedef struct sl_view_def {
  const char *name;
  int64_t loc;
  sl_ast_stmt *stmt;       /* the CREATE VIEW statement (query + column names) */
} sl_view_def;

typedef struct sl_catalog {
  sl_arena *arena;         /* owns every definition */
  int ntables, nviews, nsettings;
  sl_table_def **tables;
  sl_view_def **views;
  sl_option *settings;     /* SET 'k' = 'v' */
  int cap_tables, cap_views, cap_settings;
} sl_catalog;

void sl_catalog_init(sl_catalog *c, sl_arena *arena);
void sl_catalog_destroy(sl_catalog *c);
sl_table_def *sl_catalog_table(const sl_catalog *c, const char *name);
sl_view_def *sl_catalog_view(const sl_catalog *c, const char *name);
/* Registers a definition; SL_EBIND when the name is taken (unless if_not_exists). */
int sl_catalog_add_table(sl_catalog *c, sl_table_def *t, bool if_not_exists, sl_err *err);
int sl_catalog_add_view(sl_catalog *c, sl_view_def *v, bool if_not_exists, sl_err *err);
int sl_catalog_drop(sl_catalog *c, const char *name, bool view, bool if_exists, int64_t loc, sl_err *err);
/* SET 'key' = 'value' (locations of both strings in the script, for messages). */
void sl_catalog_set(sl_catalog *c, const char *key, const char *value, int64_t key_loc, int64_t value_loc);
/* RESET 'key': back to the default. */
void sl_catalog_reset(sl_catalog *c, const char *key);
const char *sl_catalog_setting(const sl_catalog *c, const char *key);
/* The closest of names[] to name by edit distance (for "did you mean"), or NULL when none is
 * close enough. */
const char *sl_closest_name(const char *name, const char *const *names, int n);

#endif
