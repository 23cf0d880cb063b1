/* catalog.c - registry of declared tables, views and SET options. */
#include "catalog.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

void sl_catalog_init(sl_catalog *c, sl_arena *arena) {
  memset(c, 0, sizeof *c);
  c->arena = arena;
}

void sl_catalog_destroy(sl_catalog *c) {
  free(c->tables);
  free(c->views);
  free(c->settings);
  memset(c, 0, sizeof *c);
}

sl_table_def *sl_catalog_table(const sl_catalog *c, const char *name) {
  for (int i = 0; i < c->ntables; i++)
    if (strcmp(c->tables[i]->name, name) == 0) return c->tables[i];
  return NULL;
}

sl_view_def *sl_catalog_view(const sl_catalog *c, const char *name) {
  for (int i = 0; i < c->nviews; i++)
    if (strcmp(c->views[i]->name, name) == 0) return c->views[i];
  return NULL;
}

static int name_taken(sl_catalog *c, const char *name, int64_t loc, bool if_not_exists, sl_err *err) {
  if (sl_catalog_table(c, name) || sl_catalog_view(c, name)) {
    if (if_not_exists) return 1;
    return sl_err_set(err, SL_EBIND, loc, "table or view '%s' already exists", name);
  }
  return 0;
}

int sl_catalog_add_table(sl_catalog *c, sl_table_def *t, bool if_not_exists, sl_err *err) {
  int rc = name_taken(c, t->name, t->loc, if_not_exists, err);
  if (rc) return rc > 0 ? 0 : rc;
  if (c->ntables == c->cap_tables) {
    c->cap_tables = c->cap_tables ? c->cap_tables * 2 : 8;
    c->tables = sl_realloc(c->tables, (size_t)c->cap_tables * sizeof *c->tables);
  }
  c->tables[c->ntables++] = t;
  return 0;
}

int sl_catalog_add_view(sl_catalog *c, sl_view_def *v, bool if_not_exists, sl_err *err) {
  int rc = name_taken(c, v->name, v->loc, if_not_exists, err);
  if (rc) return rc > 0 ? 0 : rc;
  if (c->nviews == c->cap_views) {
    c->cap_views = c->cap_views ? c->cap_views * 2 : 8;
    c->views = sl_realloc(c->views, (size_t)c->cap_views * sizeof *c->views);
  }
  c->views[c->nviews++] = v;
  return 0;
}

int sl_catalog_drop(sl_catalog *c, const char *name, bool view, bool if_exists, int64_t loc, sl_err *err) {
  if (view) {
    for (int i = 0; i < c->nviews; i++)
      if (strcmp(c->views[i]->name, name) == 0) {
        memmove(&c->views[i], &c->views[i + 1], (size_t)(c->nviews - i - 1) * sizeof *c->views);
        c->nviews--;
        return 0;
      }
  } else {
    for (int i = 0; i < c->ntables; i++)
      if (strcmp(c->tables[i]->name, name) == 0) {
        memmove(&c->tables[i], &c->tables[i + 1], (size_t)(c->ntables - i - 1) * sizeof *c->tables);
        c->ntables--;
        return 0;
      }
  }
  if (if_exists) return 0;
  return sl_err_set(err, SL_EBIND, loc, "%s '%s' not found", view ? "view" : "table", name);
}

void sl_catalog_set(sl_catalog *c, const char *key, const char *value, int64_t key_loc, int64_t value_loc) {
  for (int i = 0; i < c->nsettings; i++)
    if (strcmp(c->settings[i].key, key) == 0) {
      c->settings[i].value = sl_arena_strdup(c->arena, value);
      c->settings[i].key_loc = key_loc;
      c->settings[i].value_loc = value_loc;
      return;
    }
  if (c->nsettings == c->cap_settings) {
    c->cap_settings = c->cap_settings ? c->cap_settings * 2 : 8;
    c->settings = sl_realloc(c->settings, (size_t)c->cap_settings * sizeof *c->settings);
  }
  sl_option *o = &c->settings[c->nsettings++];
  memset(o, 0, sizeof *o);
  o->key = sl_arena_strdup(c->arena, key);
  o->value = sl_arena_strdup(c->arena, value);
  o->key_loc = key_loc;
  o->value_loc = value_loc;
}

void sl_catalog_reset(sl_catalog *c, const char *key) {
  for (int i = 0; i < c->nsettings; i++)
    if (strcmp(c->settings[i].key, key) == 0) {
      memmove(&c->settings[i], &c->settings[i + 1], sizeof *c->settings * (size_t)(c->nsettings - i - 1));
      c->nsettings--;
      return;
    }
}

const char *sl_catalog_setting(const sl_catalog *c, const char *key) {
  for (int i = 0; i < c->nsettings; i++)
    if (strcmp(c->settings[i].key, key) == 0) return c->settings[i].value;
  return NULL;
}

/* Case-insensitive Levenshtein distance, capped for long names. */
static int edit_distance(const char *a, const char *b) {
  int la = (int)strlen(a), lb = (int)strlen(b);
  if (la > 64 || lb > 64) return 99;
  int prev[65], cur[65];
  for (int j = 0; j <= lb; j++) prev[j] = j;
  for (int i = 1; i <= la; i++) {
    cur[0] = i;
    for (int j = 1; j <= lb; j++) {
      int cost = tolower((unsigned char)a[i - 1]) != tolower((unsigned char)b[j - 1]);
      int v = prev[j - 1] + cost;
      if (prev[j] + 1 < v) v = prev[j] + 1;
      if (cur[j - 1] + 1 < v) v = cur[j - 1] + 1;
      cur[j] = v;
    }
    memcpy(prev, cur, sizeof(int) * (size_t)(lb + 1));
  }
  return prev[lb];
}

const char *sl_closest_name(const char *name, const char *const *names, int n) {
  const char *best = NULL;
  int best_d = 1 << 30;
  int len = (int)strlen(name);
  int limit = len <= 3 ? 1 : len <= 6 ? 2 : 3;
  for (int i = 0; i < n; i++) {
    int d = edit_distance(name, names[i]);
    if (d < best_d) {
      best_d = d;
      best = names[i];
    }
  }
  return best_d <= limit ? best : NULL;
}
