/* api_engine.c - the engine half of the public API: engines and their options, callbacks and
 * error objects, EXPLAIN, the version. */
#include <stdlib.h>
#include <string.h>

#include "api.h"
#include "arena.h"

_Static_assert((int)SLUICE_ESYNTAX == (int)SL_ESYNTAX && (int)SLUICE_ECHECKPOINT == (int)SL_ECHECKPOINT &&
                   (int)SLUICE_ESTATE == (int)SL_ESTATE,
               "public and internal error codes agree");
_Static_assert((int)SLUICE_TYPE_BOOLEAN == (int)SL_TYPE_BOOLEAN && (int)SLUICE_TYPE_INTERVAL_DT == (int)SL_TYPE_INTERVAL_DT,
               "public and internal type codes agree");

const char *sluice_version(void) { return SLUICE_VERSION; }

void sluice_free(void *p) { free(p); }

const char *sluice_strerror(int code) { return code == 0 ? "ok" : sl_strerror(code); }

const char *sluice_err_name(int code) {
  switch (code) {
    case 0: return "SLUICE_OK";
#define XX(name, c, msg) \
  case c: return "SLUICE_E" #name;
    SLUICE_ERRNO_MAP(XX)
#undef XX
  }
  return "SLUICE_E?";
}

void sl_error_fill(sluice_error *out, const sl_err *err, const char *file, const char *text) {
  if (!out) return;
  memset(out, 0, sizeof *out);
  out->code = err->code ? err->code : SLUICE_ERUNTIME;
  snprintf(out->message, sizeof out->message, "%s", err->msg[0] ? err->msg : sl_strerror(out->code));
  if (err->loc >= 0 && text) {
    int64_t loc = err->loc;
    if ((size_t)loc > strlen(text)) loc = (int64_t)strlen(text);
    sl_err_linecol(text, loc, &out->line, &out->column);
  }
  sl_err_format(err, err->loc >= 0 && text ? file : NULL, err->loc >= 0 ? text : NULL, out->text, sizeof out->text);
}

static int fail(sluice_error *out, int code, const char *msg) {
  sl_err e;
  sl_err_clear(&e);
  sl_err_set(&e, code, SL_ERR_NOLOC, "%s", msg);
  sl_error_fill(out, &e, NULL, NULL);
  return code;
}

static sluice_engine *engine_new(uv_loop_t *loop) {
  sluice_engine *e = sl_calloc(1, sizeof *e);
  e->loop = loop;
  pthread_mutex_init(&e->mu, NULL);
  return e;
}

int sluice_engine_new(sluice_engine **out, const void *opts, sluice_error *err) {
  if (!out) return fail(err, SLUICE_EINVAL, "sluice_engine_new: out is NULL");
  if (opts) return fail(err, SLUICE_EINVAL, "sluice_engine_new: opts is reserved and must be NULL");
  *out = engine_new(NULL);
  return 0;
}

int sluice_engine_new_on_loop(sluice_engine **out, struct uv_loop_s *loop, sluice_error *err) {
  if (!out || !loop) return fail(err, SLUICE_EINVAL, "sluice_engine_new_on_loop: out and loop must be given");
  *out = engine_new(loop);
  return 0;
}

void sluice_engine_free(sluice_engine *e) {
  if (!e) return;
  for (;;) {
    pthread_mutex_lock(&e->mu);
    sluice_job *j = e->jobs;
    pthread_mutex_unlock(&e->mu);
    if (!j) break;
    sluice_job_free(j);
  }
  for (int i = 0; i < 2 * e->nsettings; i++) free(e->settings[i]);
  free(e->settings);
  pthread_mutex_destroy(&e->mu);
  free(e);
}

int sluice_engine_set(sluice_engine *e, const char *key, const char *value, sluice_error *err) {
  if (!key || !*key || !value) return fail(err, SLUICE_EINVAL, "sluice_engine_set: a key and a value are needed");
  for (int i = 0; i < e->nsettings; i++)
    if (!strcmp(e->settings[2 * i], key)) {
      free(e->settings[2 * i + 1]);
      e->settings[2 * i + 1] = sl_strdup(value);
      return 0;
    }
  if (e->nsettings == e->capsettings) {
    e->capsettings = e->capsettings ? 2 * e->capsettings : 8;
    e->settings = sl_realloc(e->settings, sizeof(char *) * 2 * (size_t)e->capsettings);
  }
  e->settings[2 * e->nsettings] = sl_strdup(key);
  e->settings[2 * e->nsettings + 1] = sl_strdup(value);
  e->nsettings++;
  return 0;
}

void sluice_engine_set_log(sluice_engine *e, sluice_log_cb cb, void *arg) {
  e->log_cb = cb;
  e->log_arg = arg;
}

void sluice_engine_set_output(sluice_engine *e, sluice_output_cb cb, void *arg) {
  e->out_cb = cb;
  e->out_arg = arg;
}

/* ---- Streams to the callbacks ----------------------------------------------------------------- */

typedef struct api_stream {
  sluice_engine *e;
  char jobid[33];
  int stream;
  sl_buf line;      /* the log's unfinished line */
} api_stream;

static void emit_line(api_stream *s) {
  const char *l = s->line.data ? s->line.data : "";
  if (!strncmp(l, "sluice: ", 8)) l += 8;
  if (s->e->log_cb) s->e->log_cb(s->e->log_arg, s->jobid, l);
  sl_buf_reset(&s->line);
}

static ssize_t stream_write(void *cookie, const char *buf, size_t n) {
  api_stream *s = cookie;
  if (s->stream) {
    if (s->e->out_cb) s->e->out_cb(s->e->out_arg, s->jobid, s->stream, buf, n);
    return (ssize_t)n;
  }
  for (size_t i = 0; i < n; i++) {
    if (buf[i] == '\n') emit_line(s);
    else sl_buf_addc(&s->line, buf[i]);
  }
  return (ssize_t)n;
}

static int stream_close(void *cookie) {
  api_stream *s = cookie;
  if (s->line.len) emit_line(s);
  sl_buf_destroy(&s->line);
  free(s);
  return 0;
}

FILE *sl_api_stream(sluice_engine *e, const char *jobid, int stream) {
  api_stream *s = sl_calloc(1, sizeof *s);
  s->e = e;
  snprintf(s->jobid, sizeof s->jobid, "%s", jobid ? jobid : "");
  s->stream = stream;
  sl_buf_init(&s->line);
  cookie_io_functions_t io = {.write = stream_write, .close = stream_close};
  FILE *f = fopencookie(s, "w", io);
  if (!f) {
    sl_buf_destroy(&s->line);
    free(s);
  }
  return f;
}

/* ---- EXPLAIN ------------------------------------------------------------------------------------ */

int sluice_engine_explain(sluice_engine *e, const char *sql, size_t len, const char *file, char **plan,
                          sluice_error *err) {
  if (!sql || !plan) return fail(err, SLUICE_EINVAL, "sluice_engine_explain: sql and plan must be given");
  *plan = NULL;
  char *text = NULL;
  size_t n = 0;
  FILE *out = open_memstream(&text, &n);
  if (!out) return fail(err, SLUICE_ENOMEM, "cannot allocate the plan text");
  char *copy = sl_malloc(len + 1);
  memcpy(copy, sql, len);
  copy[len] = 0;
  sl_script_opts o = {.sql = copy, .len = len, .file = file ? file : "<script>", .mode = SL_SCRIPT_EXPLAIN,
                      .out = out, .nsettings = e->nsettings, .settings = (const char *const *)e->settings};
  sl_err se;
  sl_err_clear(&se);
  sl_script *s;
  int rc = sl_script_new(&o, &s, &se);
  if (!rc) {
    rc = sl_script_next(s, &se);
    sl_script_free(s);
  }
  fclose(out);
  if (rc) {
    sl_error_fill(err, &se, o.file, copy);
    free(text);
  } else {
    *plan = text;
  }
  free(copy);
  return rc;
}
