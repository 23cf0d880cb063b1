/* job_config.h - the engine settings of a job (SET statements): state backend, checkpoints,
 * time-to-live, S3 access; validated with errors located at the SET value. */
#ifndef SL_JOB_CONFIG_H
#define SL_JOB_CONFIG_H

#include "../sql/catalog.h"
#include "../state/state.h"
#include "checkpoint.h"

typedef struct sl_job_config {
  sl_state_config state;
  sl_ckpt_config ckpt;
  bool checkpointing;        /* 'execution.checkpointing.interval' was set */
  int64_t state_ttl_us;      /* 'table.exec.state.ttl' (0 = keep forever) */
  int64_t idle_timeout_us;   /* 'table.exec.source.idle-timeout' (0 = splits never idle) */
} sl_job_config;

/* Reads the settings; restore (NULL, "latest" or a URI) comes from the command line. */
int sl_job_config_load(sl_catalog *cat, const char *restore, sl_job_config *cfg, sl_err *err);

#endif
