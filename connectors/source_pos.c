/* source_pos.c - the list of split positions a source reports for a checkpoint. */
#include <stdlib.h>

#include "conn.h"

void sl_source_pos_add(sl_source_pos *p, const char *split, int64_t offset, int64_t record, const char *position) {
  if (p->n == p->cap) {
    p->cap = p->cap ? p->cap * 2 : 4;
    p->splits = sl_realloc(p->splits, sizeof(sl_split_pos) * (size_t)p->cap);
  }
  p->splits[p->n++] = (sl_split_pos){.split = sl_strdup(split), .offset = offset, .record = record,
                                   .position = position ? sl_strdup(position) : NULL};
}

void sl_source_pos_destroy(sl_source_pos *p) {
  for (int i = 0; i < p->n; i++) {
    free(p->splits[i].split);
    free(p->splits[i].position);
  }
  free(p->splits);
  *p = (sl_source_pos){0};
}
