/* options.h - the WITH ('key' = 'value', ...) options of a table, with use tracking. */
#ifndef SL_OPTIONS_H
#define SL_OPTIONS_H

#include <stdbool.h>
#include <stdint.h>

#include "../engine/err.h"

typedef struct sl_option {
  const char *key, *value;
  int64_t key_loc, value_loc; /* byte offsets in the SQL text, or -1 */
  bool used;
} sl_option;

typedef struct sl_options {
  int n;
  sl_option *items;
} sl_options;

/* Returns the value of key (exact match) and marks it used, or NULL. */
const char *sl_options_get(sl_options *o, const char *key);
sl_option *sl_options_find(sl_options *o, const char *key);
/* Typed getters: a missing key yields dflt; a malformed value is SL_ECONFIG naming the key. */
int sl_options_bool(sl_options *o, const char *key, bool dflt, bool *out, sl_err *err);
int sl_options_int(sl_options *o, const char *key, int64_t dflt, int64_t *out, sl_err *err);
/* Flink's duration ('10 s', '500ms', '1 min', '2 h'; no unit = milliseconds), in microseconds. */
int sl_options_duration(sl_options *o, const char *key, int64_t dflt, int64_t *out, sl_err *err);
/* Flink's memory size ('64 mb', '1gb', '4096'; no unit = bytes), in bytes. */
int sl_options_size(sl_options *o, const char *key, int64_t dflt, int64_t *out, sl_err *err);
/* A single character option such as 'csv.field-delimiter' (accepts '\t' escapes). */
int sl_options_char(sl_options *o, const char *key, char dflt, char *out, sl_err *err);
/* Fails with SL_ECONFIG at the first option nobody read: "unsupported option 'x' for
 * connector 'filesystem'" (what names the consumer). */
int sl_options_check_unused(const sl_options *o, const char *what, sl_err *err);

#endif
