/* file.h - reading a whole file for the CLI, its client commands and its job server. */
#ifndef SLUICE_CLI_FILE_H
#define SLUICE_CLI_FILE_H

#include <stddef.h>

/* Reads all of `path` ("-" is stdin) into a NUL-terminated buffer the caller frees and sets *len;
 * NULL (errno set) when it cannot be opened or read, or memory runs out. */
char *cli_read_file(const char *path, size_t *len);

#endif
