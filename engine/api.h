/* api.h - what the two halves of the public API (api_engine.c, api_job.c) share: the engine and
 * job structures behind the opaque handles of <sluice.h>. */
#ifndef SL_API_H
#define SL_API_H

#include <pthread.h>
#include <stdio.h>
#include <uv.h>

#include "../connectors/host.h"
#include "script.h"
#include "sluice.h"

struct sluice_engine {
  uv_loop_t *loop;            /* the host's loop (loop mode), or NULL: a thread per job */
  int nsettings, capsettings;
  char **settings;            /* key, value, key, value, ... (sluice_engine_set) */
  sluice_log_cb log_cb;
  void *log_arg;
  sluice_output_cb out_cb;
  void *out_arg;
  pthread_mutex_t mu;         /* guards jobs */
  sluice_job *jobs;           /* every job not yet freed */
};

/* FILE streams that hand what is written to the engine's callbacks, tagged with a job id:
 * stream 0 is the log (one callback per line), 1 and 2 the output streams. */
FILE *sl_api_stream(sluice_engine *e, const char *jobid, int stream);

/* Unlinks a job from its engine's list (sluice_job_free). */
void sl_api_engine_forget(sluice_engine *e, sluice_job *j);

#endif
