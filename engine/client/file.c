/* file.c - reading a whole file (or stdin), and a token file, for the CLI, its client and server. */
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

char *cli_read_token(const char *path) {
  size_t len;
  char *t = cli_read_file(path, &len);
  if (!t) return NULL;
  t[strcspn(t, "\r\n")] = 0;
  size_t from = strspn(t, " \t"), n = strlen(t + from);
  while (n && (t[from + n - 1] == ' ' || t[from + n - 1] == '\t')) n--;
  memmove(t, t + from, n);
  t[n] = 0;
  return t;
}
