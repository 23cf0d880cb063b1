/* job_config.c - reads the engine settings of a job from the SET statements of its script. */
#include "job_config.h"

#include <string.h>
#include <strings.h>

int sl_job_config_load(sl_catalog *cat, const char *restore, sl_job_config *cfg, sl_err *err) {
  memset(cfg, 0, sizeof *cfg);
  sl_options o = {.n = cat->nsettings, .items = cat->settings};
  int rc;
  int64_t interval, ttl, retained, block, wbuf, front;
  if ((rc = sl_options_duration(&o, "execution.checkpointing.interval", 0, &interval, err))) return rc;
  if ((rc = sl_options_duration(&o, "table.exec.state.ttl", 0, &ttl, err))) return rc;
  if ((rc = sl_options_duration(&o, "table.exec.source.idle-timeout", 0, &cfg->idle_timeout_us, err))) return rc;
  if ((rc = sl_options_int(&o, "state.checkpoints.num-retained", 1, &retained, err))) return rc;
  if ((rc = sl_options_size(&o, "state.backend.rocksdb.block.cache-size", 8 << 20, &block, err))) return rc;
  if ((rc = sl_options_size(&o, "state.backend.rocksdb.writebuffer.size", 64 << 20, &wbuf, err))) return rc;
  if ((rc = sl_options_size(&o, "state.backend.rocksdb.front-cache.size", 64 << 20, &front, err))) return rc;
  sl_option *ro = sl_options_find(&o, "state.checkpoints.num-retained");
  if (retained < 1 || retained > 1000)
    return sl_err_set(err, SL_ECONFIG, ro ? ro->value_loc : SL_ERR_NOLOC,
                      "option 'state.checkpoints.num-retained' must be between 1 and 1000");
  bool incremental;
  if ((rc = sl_options_bool(&o, "state.backend.incremental", true, &incremental, err))) return rc;

  cfg->checkpointing = interval > 0 || restore != NULL;
  cfg->state_ttl_us = ttl;
  /* The backend: rocksdb whenever checkpointing is on, unless chosen. */
  cfg->state.kind = cfg->checkpointing ? SL_STATE_ROCKSDB : SL_STATE_HASHMAP;
  sl_option *bo = sl_options_find(&o, "state.backend");
  if (!bo) bo = sl_options_find(&o, "state.backend.type");
  if (bo) {
    if (!strcasecmp(bo->value, "rocksdb")) cfg->state.kind = SL_STATE_ROCKSDB;
    else if (!strcasecmp(bo->value, "hashmap")) cfg->state.kind = SL_STATE_HASHMAP;
    else
      return sl_err_set(err, SL_ECONFIG, bo->value_loc, "option '%s' must be 'hashmap' or 'rocksdb', not '%s'", bo->key,
                        bo->value);
  }
  cfg->state.local_dir = sl_catalog_setting(cat, "state.backend.rocksdb.localdir");
  cfg->state.block_cache_bytes = (size_t)block;
  cfg->state.write_buffer_bytes = (size_t)wbuf;
  cfg->state.front_cache_bytes = (size_t)front;
  cfg->state.incremental = incremental;

  cfg->ckpt.interval_ms = interval / 1000;
  if (interval > 0 && cfg->ckpt.interval_ms < 10) {
    sl_option *io = sl_options_find(&o, "execution.checkpointing.interval");
    return sl_err_set(err, SL_ECONFIG, io->value_loc, "option 'execution.checkpointing.interval' must be at least 10 ms");
  }
  sl_option *dir = sl_options_find(&o, "state.checkpoints.dir");
  if (!dir) dir = sl_options_find(&o, "execution.checkpointing.dir");
  cfg->ckpt.dir = dir ? dir->value : "checkpoints"; /* under the working directory */
  cfg->ckpt.dir_loc = dir ? dir->value_loc : SL_ERR_NOLOC;
  cfg->ckpt.num_retained = (int)retained;
  cfg->ckpt.restore = restore;
  cfg->ckpt.local_dir = cfg->state.local_dir;
  cfg->ckpt.store.s3_endpoint = sl_catalog_setting(cat, "s3.endpoint");
  cfg->ckpt.store.s3_access_key = sl_catalog_setting(cat, "s3.access-key");
  cfg->ckpt.store.s3_secret_key = sl_catalog_setting(cat, "s3.secret-key");
  cfg->ckpt.store.region = sl_catalog_setting(cat, "s3.region");
  cfg->ckpt.store.s3_path_style = -1;
  bool path_style;
  if (sl_options_find(&o, "s3.path.style.access")) {
    if ((rc = sl_options_bool(&o, "s3.path.style.access", false, &path_style, err))) return rc;
    cfg->ckpt.store.s3_path_style = path_style;
  }
  return 0;
}
