/* file.h - whole files and token files, read for the CLI, its client and its job server. */
#ifndef SLUICE_CLI_FILE_H
#define SLUICE_CLI_FILE_H

#include <stddef.h>

/* Reads all of `path` ("-" is stdin) into a NUL-terminated buffer the caller frees and sets *len;
 * NULL (errno set) when it cannot be opened or read, or memory runs out. */
char *cli_read_file(const char *path, size_t *len);
/* A bearer token file's token: its first line, surrounding blanks removed (malloc'd, possibly
 * empty); NULL (errno set) when the file cannot be read. The server and the client read it alike. */
char *cli_read_token(const char *path);

#endif
