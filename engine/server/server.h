/* server.h - `sluice serve`: the job server, a program on the public API (<sluice.h>) that hosts
 * many jobs behind Flink's REST API and keeps them in a folder across its own restarts. */
#ifndef SLUICE_SERVER_H
#define SLUICE_SERVER_H

/* Runs `sluice serve [options]` (argv[0] is "serve"); returns the process exit code. */
int serve_main(int argc, char **argv);

#endif
