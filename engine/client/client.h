/* client.h - the CLI's job-server commands (submit, list, status, cancel, savepoint): REST calls
 * to a `sluice serve` over HTTP. */
#ifndef SLUICE_CLIENT_H
#define SLUICE_CLIENT_H

/* Runs `sluice <command> [options]` (argv[0] is the command); returns the process exit code. */
int client_main(int argc, char **argv);

#endif
