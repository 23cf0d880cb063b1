/* file.c - reading a whole file (or stdin) into memory, for the CLI's commands and server. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "file.h"

char *cli_read_file(const char *path, size_t *len) {
  FILE *f = strcmp(path, "-") ? fopen(path, "rb") : stdin;
  if (!f) return NULL;
  size_t cap = 1 << 16, n = 0;
  char *buf = malloc(cap);
  while (buf) {
    if (n + 1 >= cap) {
      char *grown = realloc(buf, cap *= 2);
      if (!grown) {
        free(buf);
        buf = NULL;
        break;
      }
      buf = grown;
    }
    size_t got = fread(buf + n, 1, cap - n - 1, f);
    n += got;
    if (got == 0) break;
  }
  int failed = ferror(f);
  if (f != stdin) fclose(f);
  if (!buf || failed) {
    errno = buf ? EIO : ENOMEM;
    free(buf);
    return NULL;
  }
  buf[n] = 0;
  *len = n;
  return buf;
}
