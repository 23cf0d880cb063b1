/* jobs.c - the job server's registry: submission, persistence in --dir, resume after a restart of
 * the server, the restart strategy and the mapping of sluice's job state to Flink's REST shapes.
 *
 * Every job has a folder DIR/jobs/<id>/ with its script (job.sql), its record (job.json, written
 * to a temporary file and renamed at every state change), its log and its print output. The main
 * thread polls the running jobs (jobs_tick, every 100 ms): a job that has ended is recorded, and a
 * FAILED one under a fixed-delay restart strategy is shown RESTARTING and started again after the
 * delay under the same job id from its latest checkpoint. On start, jobs recorded as CREATED,
 * RUNNING or RESTARTING are started again the same way: a server killed with -9 loses nothing. */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "../client/file.h"
#include "jobs.h"

/* ---- Small helpers -------------------------------------------------------------------------- */

int64_t jobs_now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void *xmalloc(size_t n) {
  void *p = malloc(n ? n : 1);
  if (!p) {
    fputs("sluice: out of memory\n", stderr);
    abort();
  }
  return p;
}

static char *xstrdup(const char *s) {
  if (!s) return NULL;
  size_t n = strlen(s) + 1;
  return memcpy(xmalloc(n), s, n);
}

static int fail(sv_err *err, int status, const char *fmt, ...) {
  if (err) {
    err->status = status;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err->msg, sizeof err->msg, fmt, ap);
    va_end(ap);
  }
  return -1;
}

const char *jobs_state_name(int state) {
  return state == SV_RESTARTING ? "RESTARTING" : sluice_job_state_name(state);
}

static int is_ended(int state) {
  return state == SLUICE_JOB_FINISHED || state == SLUICE_JOB_CANCELED || state == SLUICE_JOB_FAILED;
}

static int is_job_id(const char *s) {
  for (int i = 0; i < 32; i++)
    if (!isxdigit((unsigned char)s[i])) return 0;
  return s[32] == 0;
}

/* Replaces every byte of s that is not part of valid UTF-8 (or is a control byte other than tab
 * and newline) with '?', in place: JSON strings must be valid UTF-8. */
void jobs_utf8_clean(char *s) {
  unsigned char *p = (unsigned char *)s;
  while (*p) {
    int n = *p < 0x80 ? 1 : (*p & 0xe0) == 0xc0 ? 2 : (*p & 0xf0) == 0xe0 ? 3 : (*p & 0xf8) == 0xf0 ? 4 : 0;
    int ok = n > 0 && !(n == 2 && *p < 0xc2) && !(n == 4 && *p > 0xf4);
    for (int i = 1; ok && i < n; i++)
      if ((p[i] & 0xc0) != 0x80) ok = 0;
    if (ok && n == 3 && ((p[0] == 0xe0 && p[1] < 0xa0) || (p[0] == 0xed && p[1] >= 0xa0))) ok = 0;
    if (ok && n == 4 && ((p[0] == 0xf0 && p[1] < 0x90) || (p[0] == 0xf4 && p[1] >= 0x90))) ok = 0;
    if (!ok) {
      *p++ = '?';
      continue;
    }
    if (n == 1 && *p < 0x20 && *p != '\t' && *p != '\n') *p = '?';
    p += n;
  }
}

/* Replaces every secret of the job in text (in place, at most cap bytes with the NUL) with
 * "******". The result is built apart, so that a secret inside the mask cannot loop. */
static void redact(char **secrets, int n, char *text, size_t cap) {
  if (!cap) return;
  char *out = NULL;
  for (int i = 0; i < n; i++) {
    size_t sl = strlen(secrets[i]);
    if (!sl || !strstr(text, secrets[i])) continue;
    if (!out) out = xmalloc(cap);
    size_t o = 0;
    for (const char *p = text; *p && o + 1 < cap;) {
      if (strncmp(p, secrets[i], sl)) {
        out[o++] = *p++;
        continue;
      }
      for (int k = 0; k < 6 && o + 1 < cap; k++) out[o++] = '*';
      p += sl;
    }
    out[o] = 0;
    memcpy(text, out, o + 1);
  }
  free(out);
}

/* "<line>:<column>: <message>", or the message alone for errors without a place. */
static void sql_error_text(const sluice_error *e, char **secrets, int n, char *out, size_t cap) {
  if (e->line > 0) snprintf(out, cap, "%d:%d: %s", e->line, e->column, e->message);
  else snprintf(out, cap, "%s", e->message[0] ? e->message : sluice_strerror(e->code));
  redact(secrets, n, out, cap);
  jobs_utf8_clean(out);
}

/* ---- Scanning scripts for options ----------------------------------------------------------- */

/* Calls cb for each 'key' = 'value' pair of string literals in the script: the SET statements and
 * WITH options. Comments and quoted identifiers are skipped; literals are unescaped (''). */
typedef int (*pair_cb)(void *arg, const char *key, const char *value);

static int scan_pairs(const char *s, size_t n, pair_cb cb, void *arg) {
  char *prev = NULL; /* the literal before an '=' */
  int state = 0;     /* 0: nothing, 1: a literal, 2: a literal then '=' */
  int rc = 0;
  for (size_t i = 0; i < n && !rc;) {
    char c = s[i];
    if (isspace((unsigned char)c)) {
      i++;
    } else if (c == '-' && i + 1 < n && s[i + 1] == '-') {
      while (i < n && s[i] != '\n') i++;
    } else if (c == '/' && i + 1 < n && s[i + 1] == '*') {
      i += 2;
      while (i + 1 < n && !(s[i] == '*' && s[i + 1] == '/')) i++;
      i += 2;
    } else if (c == '`' || c == '"') {
      for (i++; i < n && s[i] != c; i++) {}
      i++;
      state = 0;
    } else if (c == '\'') {
      char *lit = xmalloc(n - i + 1);
      size_t k = 0;
      for (i++; i < n; i++) {
        if (s[i] == '\'') {
          if (i + 1 < n && s[i + 1] == '\'') {
            lit[k++] = '\'';
            i++;
          } else break;
        } else lit[k++] = s[i];
      }
      i++;
      lit[k] = 0;
      if (state == 2) {
        rc = cb(arg, prev, lit);
        free(lit);
        free(prev);
        prev = NULL;
        state = 0;
      } else {
        free(prev);
        prev = lit;
        state = 1;
      }
    } else if (c == '=') {
      state = state == 1 ? 2 : 0;
      i++;
    } else {
      state = 0;
      i++;
    }
  }
  free(prev);
  return rc;
}

static int key_is_secret(const char *key) {
  char low[256];
  size_t i;
  for (i = 0; key[i] && i + 1 < sizeof low; i++) low[i] = (char)tolower((unsigned char)key[i]);
  low[i] = 0;
  return strstr(low, "secret") || strstr(low, "password") || strstr(low, "token") || strstr(low, "access-key") ||
         strstr(low, "accesskey") || strstr(low, "session");
}

typedef struct secret_list {
  char **v;
  int n;
} secret_list;

static int collect_secret(void *arg, const char *key, const char *value) {
  secret_list *l = arg;
  if (!key_is_secret(key) || !value[0]) return 0;
  l->v = realloc(l->v, sizeof(char *) * (size_t)(l->n + 1));
  if (!l->v) abort();
  l->v[l->n++] = xstrdup(value);
  return 0;
}

static void free_strings(char **v, int n) {
  for (int i = 0; i < n; i++) free(v[i]);
  free(v);
}

/* Keys whose values are local paths a job reads or writes: 'path', '*.path', '*.dir'. */
static int key_is_path(const char *key) {
  size_t n = strlen(key);
  return !strcasecmp(key, "path") || (n > 5 && !strcasecmp(key + n - 5, ".path")) ||
         (n > 4 && !strcasecmp(key + n - 4, ".dir"));
}

/* Resolves path to an absolute one without symlinks or "..": realpath of its longest existing
 * prefix, then the rest lexically. */
static int resolve_path(const char *path, char *out, size_t cap) {
  char abs[PATH_MAX * 2];
  if (path[0] == '/') snprintf(abs, sizeof abs, "%s", path);
  else {
    char cwd[PATH_MAX];
    if (!getcwd(cwd, sizeof cwd)) return -1;
    snprintf(abs, sizeof abs, "%s/%s", cwd, path);
  }
  /* Split off components until the prefix exists. */
  char prefix[PATH_MAX * 2];
  snprintf(prefix, sizeof prefix, "%s", abs);
  const char *rest = "";
  size_t plen = strlen(prefix);
  char real[PATH_MAX];
  for (;;) {
    if (realpath(prefix, real)) break;
    char *slash = strrchr(prefix, '/');
    if (!slash) return -1;
    if (slash == prefix) {
      snprintf(real, sizeof real, "/");
      break;
    }
    *slash = 0;
    plen = (size_t)(slash - prefix);
  }
  rest = abs + plen;
  /* Append the remaining components, resolving "." and ".." lexically. */
  char res[PATH_MAX * 2];
  snprintf(res, sizeof res, "%s", real);
  const char *p = rest;
  while (*p) {
    while (*p == '/') p++;
    if (!*p) break;
    const char *e = strchr(p, '/');
    size_t cl = e ? (size_t)(e - p) : strlen(p);
    if (cl == 1 && p[0] == '.') {
    } else if (cl == 2 && p[0] == '.' && p[1] == '.') {
      char *slash = strrchr(res, '/');
      if (slash && slash != res) *slash = 0;
      else snprintf(res, sizeof res, "/");
    } else {
      size_t rl = strlen(res);
      if (rl + cl + 2 >= sizeof res) return -1;
      if (rl > 1) res[rl++] = '/';
      else if (rl == 1 && res[0] != '/') res[rl++] = '/';
      memcpy(res + rl, p, cl);
      res[rl + cl] = 0;
    }
    p += cl;
  }
  if (strlen(res) >= cap) return -1;
  snprintf(out, cap, "%s", res);
  return 0;
}

int jobs_check_path(sv_registry *r, const char *what, const char *path, sv_err *err) {
  if (!r->nallow || !path || !path[0]) return 0;
  const char *local = path;
  if (!strncasecmp(path, "file://", 7)) local = path + 7;
  else if (!strncasecmp(path, "file:", 5)) local = path + 5;
  else if (strstr(path, "://")) return 0; /* s3:// and other stores: not local */
  char res[PATH_MAX * 2];
  if (!local[0] || resolve_path(local, res, sizeof res))
    return fail(err, 403, "%s '%s' cannot be resolved and is not allowed", what, path);
  for (int i = 0; i < r->nallow; i++) {
    size_t al = strlen(r->allow[i]);
    if (!strncmp(res, r->allow[i], al) && (res[al] == 0 || res[al] == '/' || (al == 1 && r->allow[i][0] == '/')))
      return 0;
  }
  return fail(err, 403, "%s '%s' is outside the allowed paths (--allow-path)", what, path);
}

typedef struct path_check {
  sv_registry *r;
  sv_err *err;
} path_check;

static int check_pair_path(void *arg, const char *key, const char *value) {
  path_check *pc = arg;
  if (!key_is_path(key)) return 0;
  char what[300];
  snprintf(what, sizeof what, "option '%s': path", key);
  return jobs_check_path(pc->r, what, value, pc->err);
}

/* ---- Persistence ------------------------------------------------------------------------------ */

static void job_dir(sv_registry *r, const sv_job *j, const char *file, char *out, size_t cap) {
  snprintf(out, cap, "%s/jobs/%s%s%s", r->dir, j->id, file ? "/" : "", file ? file : "");
}

/* Writes data to path through a temporary file and a rename, so a crash leaves the old or the new. */
static int write_atomic(const char *path, const char *data, size_t len) {
  char tmp[PATH_MAX + 16];
  snprintf(tmp, sizeof tmp, "%s.tmp", path);
  int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return -1;
  size_t off = 0;
  while (off < len) {
    ssize_t w = write(fd, data + off, len - off);
    if (w < 0 && errno == EINTR) continue;
    if (w <= 0) {
      close(fd);
      unlink(tmp);
      return -1;
    }
    off += (size_t)w;
  }
  if (fsync(fd) != 0 || close(fd) != 0) {
    unlink(tmp);
    return -1;
  }
  return rename(tmp, path);
}

static json_t *str_or_null(const char *s) { return s && s[0] ? json_string(s) : json_null(); }

/* The job's record: what a restarted server needs to list it and to resume it. */
static void save_job(sv_registry *r, sv_job *j) {
  if (r->closing || j->gone) return;
  const sluice_status *st = &j->st;
  json_t *o = json_pack("{s:s, s:s, s:s, s:I, s:I, s:o, s:o, s:i, s:i, s:b, s:b}", "id", j->id, "name", j->name,
                        "state", jobs_state_name(j->state), "start-time", (json_int_t)j->start_time, "end-time",
                        (json_int_t)(j->end_time ? j->end_time : -1), "restore", str_or_null(j->restore),
                        "failure-cause", str_or_null(j->failure), "restarts", j->restarts, "resumes", j->resumes,
                        "checkpointed", j->checkpointed, "stop-requested", j->stop_requested);
  json_t *s = json_pack("{s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:s}", "rows-read",
                        (json_int_t)st->rows_read, "rows-written", (json_int_t)st->rows_written, "late-rows",
                        (json_int_t)st->late_rows, "skipped-rows", (json_int_t)st->skipped_rows,
                        "checkpoints-completed", (json_int_t)st->checkpoints_completed, "checkpoints-failed",
                        (json_int_t)st->checkpoints_failed, "last-checkpoint-id", (json_int_t)st->last_checkpoint_id,
                        "last-checkpoint-size", (json_int_t)st->last_checkpoint_size, "last-checkpoint-duration",
                        (json_int_t)st->last_checkpoint_duration_ms, "last-checkpoint-time",
                        (json_int_t)st->last_checkpoint_time_ms, "last-checkpoint", st->last_checkpoint);
  if (o && s) json_object_set_new(o, "status", s);
  if (o && j->nvertices) {
    json_t *va = json_array();
    for (int i = 0; i < j->nvertices; i++) {
      const sluice_vertex *v = &j->vertices[i];
      json_array_append_new(va, json_pack("{s:s, s:I, s:I, s:I, s:I}", "name", v->name, "records-in",
                                          (json_int_t)v->records_in, "records-out", (json_int_t)v->records_out,
                                          "watermark", (json_int_t)v->watermark_ms, "state-size",
                                          (json_int_t)v->state_bytes));
    }
    json_object_set_new(o, "vertices", va);
  }
  char *text = o ? json_dumps(o, JSON_INDENT(2)) : NULL;
  json_decref(o);
  char path[PATH_MAX];
  job_dir(r, j, "job.json", path, sizeof path);
  if (!text || write_atomic(path, text, strlen(text)))
    fprintf(stderr, "sluice: cannot write '%s': %s\n", path, strerror(errno));
  free(text);
  j->last_saved_ckpt = st->last_checkpoint_id;
}

static int64_t jint(json_t *o, const char *key, int64_t dflt) {
  json_t *v = json_object_get(o, key);
  return json_is_integer(v) ? (int64_t)json_integer_value(v) : dflt;
}

static const char *jstr(json_t *o, const char *key) {
  json_t *v = json_object_get(o, key);
  return json_is_string(v) ? json_string_value(v) : NULL;
}

static int state_from_name(const char *s) {
  static const char *names[] = {"CREATED", "RUNNING", "CANCELLING", "FINISHED", "CANCELED", "FAILED"};
  if (!s) return -1;
  if (!strcmp(s, "RESTARTING")) return SV_RESTARTING;
  for (int i = 0; i < 6; i++)
    if (!strcmp(s, names[i])) return i;
  return -1;
}

/* ---- The registry -------------------------------------------------------------------------- */

static void add_job(sv_registry *r, sv_job *j) {
  pthread_mutex_lock(&r->mu);
  if (r->njobs == r->cap) {
    r->cap = r->cap ? r->cap * 2 : 16;
    r->jobs = realloc(r->jobs, sizeof(sv_job *) * (size_t)r->cap);
    if (!r->jobs) abort();
  }
  r->jobs[r->njobs++] = j;
  pthread_mutex_unlock(&r->mu);
}

sv_job *jobs_find(sv_registry *r, const char *id) {
  if (!id || !is_job_id(id)) return NULL;
  for (int i = 0; i < r->njobs; i++)
    if (!r->jobs[i]->gone && !strcasecmp(r->jobs[i]->id, id)) return r->jobs[i];
  return NULL;
}

/* Appends to DIR/jobs/<id>/<file>; called from job threads. */
static void append_job_file(sv_registry *r, const char *jobid, const char *file, const char *data, size_t len) {
  char path[PATH_MAX];
  snprintf(path, sizeof path, "%s/jobs/%s/%s", r->dir, jobid, file);
  int fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
  if (fd < 0) return;
  while (len) {
    ssize_t w = write(fd, data, len);
    if (w < 0 && errno == EINTR) continue;
    if (w <= 0) break;
    data += w;
    len -= (size_t)w;
  }
  close(fd);
}

/* Log lines: to stderr with the job id, and to the job's log file, secrets redacted. */
static void on_log(void *arg, const char *jobid, const char *line) {
  sv_registry *r = arg;
  char buf[4096];
  snprintf(buf, sizeof buf, "%s", line);
  int known = 0;
  pthread_mutex_lock(&r->mu);
  for (int i = 0; i < r->njobs; i++)
    if (!strcmp(r->jobs[i]->id, jobid)) {
      redact(r->jobs[i]->secrets, r->jobs[i]->nsecrets, buf, sizeof buf);
      known = 1;
      break;
    }
  pthread_mutex_unlock(&r->mu);
  fprintf(stderr, "sluice: job %s: %s\n", jobid, buf);
  if (known) {
    size_t n = strlen(buf);
    if (n + 1 < sizeof buf) {
      buf[n] = '\n';
      append_job_file(r, jobid, "log", buf, n + 1);
    }
  }
}

static void on_output(void *arg, const char *jobid, int stream, const char *data, size_t len) {
  append_job_file(arg, jobid, "out", data, len);
}

/* Reads the job's restart strategy; Flink's defaults: attempts 1, delay 1 s. */
static int parse_duration_ms(const char *s, int64_t *out) {
  char *end;
  errno = 0;
  double v = strtod(s, &end);
  if (end == s || errno || v < 0) return -1;
  while (isspace((unsigned char)*end)) end++;
  double mul = 1;
  if (!*end || !strcmp(end, "ms") || !strcmp(end, "milli") || !strcmp(end, "millis") ||
      !strcmp(end, "millisecond") || !strcmp(end, "milliseconds"))
    mul = 1;
  else if (!strcmp(end, "s") || !strcmp(end, "sec") || !strcmp(end, "secs") || !strcmp(end, "second") ||
           !strcmp(end, "seconds"))
    mul = 1000;
  else if (!strcmp(end, "min") || !strcmp(end, "m") || !strcmp(end, "minute") || !strcmp(end, "minutes"))
    mul = 60000;
  else if (!strcmp(end, "h") || !strcmp(end, "hour") || !strcmp(end, "hours"))
    mul = 3600000;
  else return -1;
  *out = (int64_t)(v * mul);
  return 0;
}

static int read_restart_strategy(sv_job *sj, sluice_job *job, sv_err *err) {
  const char *type = sluice_job_setting(job, "restart-strategy.type");
  if (!type) type = sluice_job_setting(job, "restart-strategy");
  sj->restart_fixed = 0;
  sj->restart_attempts = 1;
  sj->restart_delay_ms = 1000;
  if (!type || !strcasecmp(type, "none") || !strcasecmp(type, "disable") || !strcasecmp(type, "off") ||
      !strcasecmp(type, "no_restart") || !strcasecmp(type, "norestart"))
    return 0;
  if (strcasecmp(type, "fixed-delay") && strcasecmp(type, "fixeddelay"))
    return fail(err, 400, "restart-strategy.type '%s' is not supported (use 'fixed-delay' or 'none')", type);
  sj->restart_fixed = 1;
  const char *a = sluice_job_setting(job, "restart-strategy.fixed-delay.attempts");
  if (a) {
    char *end;
    long v = strtol(a, &end, 10);
    if (end == a || *end || v < 0 || v > INT32_MAX)
      return fail(err, 400, "restart-strategy.fixed-delay.attempts '%s' is not a count", a);
    sj->restart_attempts = (int)v;
  }
  const char *d = sluice_job_setting(job, "restart-strategy.fixed-delay.delay");
  if (d && parse_duration_ms(d, &sj->restart_delay_ms))
    return fail(err, 400, "restart-strategy.fixed-delay.delay '%s' is not a duration ('1 s', '500 ms')", d);
  return 0;
}

/* Which restore a new incarnation uses: this job's latest checkpoint once it has one, else what
 * the submission asked for ('latest' of a job id without checkpoints is a fresh start). */
static const char *restore_for_restart(const sv_job *j) {
  return j->checkpointed || !j->restore ? "latest" : j->restore;
}

/* Makes and starts an incarnation of j (on a resume or restart). */
static int incarnate(sv_registry *r, sv_job *j, const char *restore, sluice_error *e) {
  sluice_job_opts opts = {.name = j->name, .file = "job.sql", .restore = restore, .jobid = j->id};
  sluice_job *job;
  int rc = sluice_job_new(r->eng, j->sql, j->sql_len, &opts, &job, e);
  if (rc) return rc;
  sv_err se;
  if (read_restart_strategy(j, job, &se)) {
    memset(e, 0, sizeof *e);
    e->code = SLUICE_ECONFIG;
    snprintf(e->message, sizeof e->message, "%.500s", se.msg);
    sluice_job_free(job);
    return SLUICE_ECONFIG;
  }
  rc = sluice_job_start(job, e);
  if (rc) {
    sluice_job_free(job);
    return rc;
  }
  j->job = job;
  if (restore) j->resumes++;
  return 0;
}

/* Settles the savepoints asked of the incarnation about to be freed. */
static void settle_savepoints(sv_job *j) {
  for (int i = 0; i < j->nsps; i++) {
    sv_savepoint *sp = &j->sps[i];
    if (sp->done || sp->inc != j->job) continue;
    if (sluice_job_savepoint_status(j->job, sp->req, &sp->result, NULL) ||
        sp->result.state == SLUICE_SAVEPOINT_IN_PROGRESS) {
      sp->result.state = SLUICE_SAVEPOINT_FAILED;
      snprintf(sp->result.failure, sizeof sp->result.failure, "the job ended before the savepoint completed");
    }
    sp->done = 1;
  }
}

static void drop_incarnation(sv_job *j) {
  if (!j->job) return;
  settle_savepoints(j);
  sluice_job_free(j->job);
  j->job = NULL;
}

/* An ended job keeps its operators' last counters and frees its incarnation (the query, its
 * state, its thread): a server that has run thousands of jobs holds only their records. */
static void end_incarnation(sv_job *j) {
  sluice_vertex *v;
  int n = jobs_vertices(j, &v);
  for (int i = 0; i < n; i++) {
    redact(j->secrets, j->nsecrets, v[i].name, sizeof v[i].name);
    jobs_utf8_clean(v[i].name);
  }
  free(j->vertices);
  j->vertices = v;
  j->nvertices = n;
  drop_incarnation(j);
}

static void restart_failed(sv_registry *r, sv_job *j, const char *cause) {
  snprintf(j->failure, sizeof j->failure, "%s", cause);
  redact(j->secrets, j->nsecrets, j->failure, sizeof j->failure);
  if (j->restart_fixed && j->restarts < j->restart_attempts) {
    j->state = SV_RESTARTING;
    j->restart_at = jobs_now_ms() + j->restart_delay_ms;
    fprintf(stderr, "sluice: job %s failed, restarting in %lld ms (attempt %d of %d): %s\n", j->id,
            (long long)j->restart_delay_ms, j->restarts + 1, j->restart_attempts, j->failure);
  } else {
    j->state = SLUICE_JOB_FAILED;
    j->end_time = jobs_now_ms();
    fprintf(stderr, "sluice: job %s FAILED: %s\n", j->id, j->failure);
  }
  save_job(r, j);
}

/* Polls one incarnation: state changes, checkpoints, its end. */
static void poll_job(sv_registry *r, sv_job *j) {
  sluice_status st;
  if (sluice_job_status(j->job, &st)) return;
  int prev_state = j->state;
  j->st = st;
  if (st.last_checkpoint_id > 0) j->checkpointed = 1;
  if (!is_ended(st.state)) {
    j->state = st.state;
    if (j->state != prev_state || st.last_checkpoint_id != j->last_saved_ckpt) save_job(r, j);
    return;
  }
  if (st.state == SLUICE_JOB_FAILED) {
    char cause[1024];
    sql_error_text(&st.failure, j->secrets, j->nsecrets, cause, sizeof cause);
    restart_failed(r, j, cause);
    if (j->state == SLUICE_JOB_FAILED) {
      end_incarnation(j);
      save_job(r, j);
    }
    return;
  }
  j->state = st.state == SLUICE_JOB_FINISHED && j->stop_requested && st.stopped ? SLUICE_JOB_CANCELED : st.state;
  j->end_time = st.end_time_ms ? st.end_time_ms : jobs_now_ms();
  j->failure[0] = 0;
  fprintf(stderr, "sluice: job %s %s\n", j->id, jobs_state_name(j->state));
  end_incarnation(j);
  save_job(r, j);
}

int jobs_tick(sv_registry *r) {
  int64_t now = jobs_now_ms(), next = 100;
  for (int i = 0; i < r->njobs; i++) {
    sv_job *j = r->jobs[i];
    if (j->gone) continue;
    if (j->job && !is_ended(j->state) && j->state != SV_RESTARTING) poll_job(r, j);
    if (j->state != SV_RESTARTING) continue;
    if (now < j->restart_at) {
      if (j->restart_at - now < next) next = j->restart_at - now;
      continue;
    }
    drop_incarnation(j);
    j->restarts++;
    sluice_error e;
    if (incarnate(r, j, restore_for_restart(j), &e)) {
      char cause[1024];
      sql_error_text(&e, j->secrets, j->nsecrets, cause, sizeof cause);
      restart_failed(r, j, cause);
      continue;
    }
    fprintf(stderr, "sluice: job %s restarted (%s)\n", j->id, restore_for_restart(j) ? "from its latest checkpoint" : "fresh");
    j->state = SLUICE_JOB_CREATED;
    save_job(r, j);
  }
  return (int)(next < 1 ? 1 : next);
}

static sv_job *job_new_record(const char *id, const char *name, const char *sql, size_t len, const char *restore) {
  sv_job *j = calloc(1, sizeof *j);
  if (!j) abort();
  snprintf(j->id, sizeof j->id, "%s", id);
  j->name = xstrdup(name ? name : "sluice job");
  jobs_utf8_clean(j->name);
  j->sql = xmalloc(len + 1);
  memcpy(j->sql, sql, len);
  j->sql[len] = 0;
  j->sql_len = len;
  j->restore = xstrdup(restore);
  secret_list sl = {0};
  scan_pairs(sql, len, collect_secret, &sl);
  j->secrets = sl.v;
  j->nsecrets = sl.n;
  return j;
}

static void job_record_free(sv_job *j) {
  free(j->name);
  free(j->sql);
  free(j->restore);
  free_strings(j->secrets, j->nsecrets);
  free(j->sps);
  free(j->vertices);
  free(j);
}

int jobs_submit(sv_registry *r, const char *sql, size_t len, const char *name, const char *restore, char id[33],
                sv_err *err) {
  secret_list sl = {0};
  scan_pairs(sql, len, collect_secret, &sl);
  path_check pc = {r, err};
  if (scan_pairs(sql, len, check_pair_path, &pc) ||
      (restore && strcmp(restore, "latest") && jobs_check_path(r, "restore", restore, err))) {
    free_strings(sl.v, sl.n);
    return -1;
  }
  sluice_job_opts opts = {.name = name, .file = "job.sql", .restore = restore};
  sluice_job *job;
  sluice_error e;
  if (sluice_job_new(r->eng, sql, len, &opts, &job, &e)) {
    char msg[1024];
    sql_error_text(&e, sl.v, sl.n, msg, sizeof msg);
    free_strings(sl.v, sl.n);
    return fail(err, 400, "%s", msg);
  }
  free_strings(sl.v, sl.n);
  const char *shown = name;
  if (!shown) shown = sluice_job_setting(job, "pipeline.name");
  sv_job *j = job_new_record(sluice_job_id(job), shown ? shown : "sluice job", sql, len, restore);
  if (read_restart_strategy(j, job, err)) {
    sluice_job_free(job);
    job_record_free(j);
    return -1;
  }
  char path[PATH_MAX];
  job_dir(r, j, NULL, path, sizeof path);
  char file[PATH_MAX];
  job_dir(r, j, "job.sql", file, sizeof file);
  if ((mkdir(path, 0755) && errno != EEXIST) || write_atomic(file, sql, len)) {
    int e2 = errno;
    sluice_job_free(job);
    job_record_free(j);
    return fail(err, 500, "cannot write the job's folder: %s", strerror(e2));
  }
  j->state = SLUICE_JOB_CREATED;
  j->start_time = jobs_now_ms();
  if (restore) j->resumes = 1;
  save_job(r, j);
  add_job(r, j);
  if (sluice_job_start(job, &e)) {
    char msg[1024];
    sql_error_text(&e, j->secrets, j->nsecrets, msg, sizeof msg);
    sluice_job_free(job);
    j->gone = 1;
    char p2[PATH_MAX];
    const char *files[] = {"job.json", "job.sql", "log", "out"};
    for (int i = 0; i < 4; i++) {
      job_dir(r, j, files[i], p2, sizeof p2);
      unlink(p2);
    }
    rmdir(path);
    return fail(err, 400, "%s", msg);
  }
  j->job = job;
  snprintf(id, 33, "%s", j->id);
  fprintf(stderr, "sluice: job %s submitted (%s)\n", j->id, j->name);
  return 0;
}

/* An ended job's vertices from its job.json (what save_job wrote). */
static void load_vertices(sv_job *j, json_t *va) {
  size_t n = json_array_size(va);
  if (!n) return;
  j->vertices = xmalloc(sizeof *j->vertices * n);
  for (size_t i = 0; i < n; i++) {
    json_t *vo = json_array_get(va, i);
    sluice_vertex *v = &j->vertices[j->nvertices++];
    memset(v, 0, sizeof *v);
    snprintf(v->name, sizeof v->name, "%s", jstr(vo, "name") ? jstr(vo, "name") : "?");
    v->parallelism = 1;
    v->records_in = jint(vo, "records-in", 0);
    v->records_out = jint(vo, "records-out", 0);
    v->watermark_ms = jint(vo, "watermark", INT64_MIN);
    v->state_bytes = jint(vo, "state-size", 0);
  }
}

/* Loads DIR/jobs/<id>; a job that was running is started again from its latest checkpoint. */
static void load_job(sv_registry *r, const char *id) {
  char path[PATH_MAX];
  snprintf(path, sizeof path, "%s/jobs/%s/job.json", r->dir, id);
  json_error_t je;
  json_t *o = json_load_file(path, 0, &je);
  size_t len;
  snprintf(path, sizeof path, "%s/jobs/%s/job.sql", r->dir, id);
  char *sql = cli_read_file(path, &len);
  if (!o || !sql || !json_is_object(o)) {
    fprintf(stderr, "sluice: skipping job folder '%s/jobs/%s': no readable job.json and job.sql\n", r->dir, id);
    json_decref(o);
    free(sql);
    return;
  }
  sv_job *j = job_new_record(id, jstr(o, "name"), sql, len, jstr(o, "restore"));
  free(sql);
  int state = state_from_name(jstr(o, "state"));
  j->start_time = jint(o, "start-time", 0);
  int64_t end = jint(o, "end-time", -1);
  j->end_time = end > 0 ? end : 0;
  j->restarts = (int)jint(o, "restarts", 0);
  j->resumes = (int)jint(o, "resumes", 0);
  j->checkpointed = json_is_true(json_object_get(o, "checkpointed"));
  j->stop_requested = json_is_true(json_object_get(o, "stop-requested"));
  if (jstr(o, "failure-cause")) snprintf(j->failure, sizeof j->failure, "%s", jstr(o, "failure-cause"));
  json_t *s = json_object_get(o, "status");
  if (json_is_object(s)) {
    j->st.rows_read = jint(s, "rows-read", 0);
    j->st.rows_written = jint(s, "rows-written", 0);
    j->st.late_rows = jint(s, "late-rows", 0);
    j->st.skipped_rows = jint(s, "skipped-rows", 0);
    j->st.checkpoints_completed = jint(s, "checkpoints-completed", 0);
    j->st.checkpoints_failed = jint(s, "checkpoints-failed", 0);
    j->st.last_checkpoint_id = jint(s, "last-checkpoint-id", 0);
    j->st.last_checkpoint_size = jint(s, "last-checkpoint-size", 0);
    j->st.last_checkpoint_duration_ms = jint(s, "last-checkpoint-duration", 0);
    j->st.last_checkpoint_time_ms = jint(s, "last-checkpoint-time", 0);
    if (jstr(s, "last-checkpoint"))
      snprintf(j->st.last_checkpoint, sizeof j->st.last_checkpoint, "%s", jstr(s, "last-checkpoint"));
  }
  load_vertices(j, json_object_get(o, "vertices"));
  json_decref(o);
  if (j->st.last_checkpoint_id > 0) j->checkpointed = 1;
  j->last_saved_ckpt = j->st.last_checkpoint_id;
  add_job(r, j);
  if (state == SLUICE_JOB_CANCELLING) state = SLUICE_JOB_CANCELED;
  if (state < 0) state = SLUICE_JOB_FAILED;
  j->state = state;
  if (is_ended(state)) {
    j->st.state = state;
    return;
  }
  /* CREATED, RUNNING, RESTARTING: resume under the same id. */
  sluice_error e;
  const char *restore = restore_for_restart(j);
  if (incarnate(r, j, restore, &e)) {
    char cause[1024];
    sql_error_text(&e, j->secrets, j->nsecrets, cause, sizeof cause);
    j->restarts = j->restart_attempts; /* a script that no longer starts is not retried */
    restart_failed(r, j, cause);
    return;
  }
  j->state = SLUICE_JOB_CREATED;
  fprintf(stderr, "sluice: job %s resumed (%s)\n", j->id, restore ? restore : "fresh start");
  save_job(r, j);
}

static int cmp_jobs(const void *a, const void *b) {
  const sv_job *x = *(sv_job *const *)a, *y = *(sv_job *const *)b;
  if (x->start_time != y->start_time) return x->start_time < y->start_time ? -1 : 1;
  return strcmp(x->id, y->id);
}

static int mkdirs(const char *path) {
  char tmp[PATH_MAX];
  snprintf(tmp, sizeof tmp, "%s", path);
  for (char *p = tmp + 1; *p; p++)
    if (*p == '/') {
      *p = 0;
      if (mkdir(tmp, 0755) && errno != EEXIST) return -1;
      *p = '/';
    }
  return mkdir(tmp, 0755) && errno != EEXIST ? -1 : 0;
}

int jobs_open(sv_registry **out, const char *dir, char **allow, int nallow, sv_err *err) {
  char path[PATH_MAX];
  snprintf(path, sizeof path, "%s/jobs", dir);
  if (mkdirs(path)) return fail(err, 500, "cannot create '%s': %s", path, strerror(errno));
  char real[PATH_MAX];
  if (!realpath(dir, real)) return fail(err, 500, "cannot resolve '%s': %s", dir, strerror(errno));
  sv_registry *r = calloc(1, sizeof *r);
  if (!r) abort();
  r->dir = xstrdup(real);
  pthread_mutex_init(&r->mu, NULL);
  for (int i = 0; i < nallow; i++) {
    char res[PATH_MAX * 2];
    if (resolve_path(allow[i], res, sizeof res)) {
      jobs_close(r);
      return fail(err, 2, "cannot resolve --allow-path '%s'", allow[i]);
    }
    r->allow = realloc(r->allow, sizeof(char *) * (size_t)(r->nallow + 1));
    if (!r->allow) abort();
    r->allow[r->nallow++] = xstrdup(res);
  }
  sluice_error e;
  if (sluice_engine_new(&r->eng, NULL, &e)) {
    jobs_close(r);
    return fail(err, 500, "cannot start the engine: %s", e.message);
  }
  sluice_engine_set_log(r->eng, on_log, r);
  sluice_engine_set_output(r->eng, on_output, r);
  char ckpt[PATH_MAX + 16];
  snprintf(ckpt, sizeof ckpt, "file://%s/checkpoints", r->dir);
  if (sluice_engine_set(r->eng, "state.checkpoints.dir", ckpt, &e)) {
    jobs_close(r);
    return fail(err, 500, "cannot set 'state.checkpoints.dir': %s", e.message);
  }
  /* Load the jobs in the order they were submitted. */
  DIR *d = opendir(path);
  if (!d) {
    jobs_close(r);
    return fail(err, 500, "cannot open '%s': %s", path, strerror(errno));
  }
  char **ids = NULL;
  int nids = 0;
  struct dirent *de;
  while ((de = readdir(d)))
    if (is_job_id(de->d_name)) {
      ids = realloc(ids, sizeof(char *) * (size_t)(nids + 1));
      if (!ids) abort();
      ids[nids++] = xstrdup(de->d_name);
    }
  closedir(d);
  for (int i = 0; i < nids; i++) load_job(r, ids[i]);
  free_strings(ids, nids);
  pthread_mutex_lock(&r->mu);
  if (r->njobs > 1) qsort(r->jobs, (size_t)r->njobs, sizeof(sv_job *), cmp_jobs);
  pthread_mutex_unlock(&r->mu);
  *out = r;
  return 0;
}

void jobs_close(sv_registry *r) {
  if (!r) return;
  r->closing = 1;
  for (int i = 0; i < r->njobs; i++)
    if (r->jobs[i]->job) {
      sluice_job_free(r->jobs[i]->job);
      r->jobs[i]->job = NULL;
    }
  if (r->eng) sluice_engine_free(r->eng);
  for (int i = 0; i < r->njobs; i++) job_record_free(r->jobs[i]);
  free(r->jobs);
  free_strings(r->allow, r->nallow);
  pthread_mutex_destroy(&r->mu);
  free(r->dir);
  free(r);
}

/* ---- Cancel and savepoints ------------------------------------------------------------------ */

static int find_or_404(sv_registry *r, const char *id, sv_job **out, sv_err *err) {
  *out = jobs_find(r, id);
  if (!*out) return fail(err, 404, "job '%.64s' not found", id ? id : "");
  return 0;
}

int jobs_cancel(sv_registry *r, const char *id, sv_err *err) {
  sv_job *j;
  if (find_or_404(r, id, &j, err)) return -1;
  if (is_ended(j->state)) return fail(err, 409, "job %s has already ended (%s)", j->id, jobs_state_name(j->state));
  if (j->state == SV_RESTARTING) {
    drop_incarnation(j);
    j->state = SLUICE_JOB_CANCELED;
    j->end_time = jobs_now_ms();
    save_job(r, j);
    return 0;
  }
  sluice_error e;
  if (sluice_job_cancel(j->job, &e) && e.code != SLUICE_ESTATE)
    return fail(err, 500, "cannot cancel job %s: %s", j->id, e.message);
  if (j->state != SLUICE_JOB_CANCELLING) {
    j->state = SLUICE_JOB_CANCELLING;
    save_job(r, j);
  }
  return 0;
}

static void random_hex(char out[33]) {
  unsigned char b[16];
  int fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC);
  ssize_t n = fd >= 0 ? read(fd, b, sizeof b) : -1;
  if (fd >= 0) close(fd);
  if (n != (ssize_t)sizeof b) {
    uint64_t x = (uint64_t)jobs_now_ms() * 6364136223846793005ULL + (uint64_t)getpid();
    for (int i = 0; i < 16; i++) b[i] = (unsigned char)(x >> ((i % 8) * 8)) ^ (unsigned char)(i * 37);
  }
  for (int i = 0; i < 16; i++) snprintf(out + 2 * i, 3, "%02x", b[i]);
}

int jobs_savepoint(sv_registry *r, const char *id, const char *target, int cancel, char rid[33], sv_err *err) {
  sv_job *j;
  if (find_or_404(r, id, &j, err)) return -1;
  if (!j->job || is_ended(j->state) || j->state == SV_RESTARTING || j->state == SLUICE_JOB_CANCELLING)
    return fail(err, 409, "job %s is not running (%s)", j->id, jobs_state_name(j->state));
  if (target && jobs_check_path(r, "target-directory", target, err)) return -1;
  sv_savepoint sp = {0};
  random_hex(sp.rid);
  sp.inc = j->job;
  sluice_error e;
  if (sluice_job_savepoint(j->job, target, cancel, &sp.req, &e)) {
    /* As Flink: the trigger is accepted and the operation reports the failure. */
    sp.done = 1;
    sp.result.state = SLUICE_SAVEPOINT_FAILED;
    snprintf(sp.result.failure, sizeof sp.result.failure, "%s", e.message);
    redact(j->secrets, j->nsecrets, sp.result.failure, sizeof sp.result.failure);
  }
  if (cancel) {
    j->stop_requested = 1;
    save_job(r, j);
  }
  j->sps = realloc(j->sps, sizeof(sv_savepoint) * (size_t)(j->nsps + 1));
  if (!j->sps) abort();
  j->sps[j->nsps++] = sp;
  snprintf(rid, 33, "%s", sp.rid);
  return 0;
}

int jobs_savepoint_json(sv_registry *r, const char *id, const char *rid, json_t **out, sv_err *err) {
  sv_job *j;
  if (find_or_404(r, id, &j, err)) return -1;
  sv_savepoint *sp = NULL;
  for (int i = 0; i < j->nsps; i++)
    if (!strcasecmp(j->sps[i].rid, rid)) sp = &j->sps[i];
  if (!sp) return fail(err, 404, "savepoint request '%.64s' of job %s not found", rid, j->id);
  if (!sp->done && sp->inc == j->job && j->job) {
    sluice_savepoint res;
    if (sluice_job_savepoint_status(j->job, sp->req, &res, NULL) == 0 && res.state != SLUICE_SAVEPOINT_IN_PROGRESS) {
      sp->result = res;
      sp->done = 1;
    }
  }
  if (!sp->done) {
    *out = json_pack("{s:{s:s}}", "status", "id", "IN_PROGRESS");
    return 0;
  }
  jobs_utf8_clean(sp->result.location);
  if (sp->result.state == SLUICE_SAVEPOINT_COMPLETED)
    *out = json_pack("{s:{s:s}, s:{s:s}}", "status", "id", "COMPLETED", "operation", "location", sp->result.location);
  else {
    char cause[600];
    snprintf(cause, sizeof cause, "%s", sp->result.failure);
    redact(j->secrets, j->nsecrets, cause, sizeof cause);
    jobs_utf8_clean(cause);
    *out = json_pack("{s:{s:s}, s:{s:{s:s, s:s}}}", "status", "id", "COMPLETED", "operation", "failure-cause", "class",
                     "org.apache.flink.runtime.checkpoint.CheckpointException", "stack-trace", cause);
  }
  return 0;
}

/* ---- JSON views --------------------------------------------------------------------------- */

int jobs_vertices(sv_job *j, sluice_vertex **out) {
  *out = NULL;
  if (!j->job) {
    if (!j->nvertices) return 0;
    *out = xmalloc(sizeof **out * (size_t)j->nvertices);
    memcpy(*out, j->vertices, sizeof **out * (size_t)j->nvertices);
    return j->nvertices;
  }
  int cap = 32;
  for (;;) {
    sluice_vertex *v = xmalloc(sizeof *v * (size_t)cap);
    int n = sluice_job_vertices(j->job, v, cap);
    if (n <= cap) {
      *out = v;
      return n < 0 ? 0 : n;
    }
    free(v);
    cap = n;
  }
}

static int64_t end_or_minus1(const sv_job *j) { return is_ended(j->state) && j->end_time ? j->end_time : -1; }

static int64_t duration(const sv_job *j, int64_t now) {
  if (!j->start_time) return 0;
  return (is_ended(j->state) && j->end_time ? j->end_time : now) - j->start_time;
}

json_t *jobs_list_json(sv_registry *r) {
  json_t *a = json_array();
  for (int i = 0; i < r->njobs; i++) {
    sv_job *j = r->jobs[i];
    if (j->gone) continue;
    json_array_append_new(a, json_pack("{s:s, s:s}", "id", j->id, "status", jobs_state_name(j->state)));
  }
  return json_pack("{s:o}", "jobs", a);
}

json_t *jobs_overview_json(sv_registry *r) {
  json_t *a = json_array();
  int64_t now = jobs_now_ms();
  for (int i = r->njobs - 1; i >= 0; i--) {
    sv_job *j = r->jobs[i];
    if (j->gone) continue;
    json_array_append_new(a, json_pack("{s:s, s:s, s:s, s:I, s:I, s:I, s:I}", "jid", j->id, "name", j->name,
                                       "state", jobs_state_name(j->state), "start-time", (json_int_t)j->start_time,
                                       "end-time", (json_int_t)end_or_minus1(j), "duration",
                                       (json_int_t)duration(j, now), "last-modification", (json_int_t)now));
  }
  return json_pack("{s:o}", "jobs", a);
}

/* A stable 32-hex vertex id from the job id and the operator's index, as Flink's JobVertexID. */
static uint64_t mix64(uint64_t x) {
  x ^= x >> 30;
  x *= 0xbf58476d1ce4e5b9ULL;
  x ^= x >> 27;
  x *= 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

static void vertex_id(const char *jobid, int index, char out[33]) {
  uint64_t h = 1469598103934665603ULL;
  for (const char *p = jobid; *p; p++) h = (h ^ (unsigned char)*p) * 1099511628211ULL;
  uint64_t h1 = mix64(h + (uint64_t)index), h2 = mix64(h1 ^ 0x9e3779b97f4a7c15ULL);
  snprintf(out, 33, "%016llx%016llx", (unsigned long long)h1, (unsigned long long)h2);
}

static const char *vertex_status(int state) {
  switch (state) {
  case SLUICE_JOB_CANCELLING: return "CANCELING";
  case SV_RESTARTING: return "CREATED";
  default: return jobs_state_name(state);
  }
}

int jobs_detail_json(sv_registry *r, const char *id, json_t **out, sv_err *err) {
  sv_job *j;
  if (find_or_404(r, id, &j, err)) return -1;
  int64_t now = jobs_now_ms();
  json_t *o = json_pack("{s:s, s:s, s:b, s:s, s:I, s:I, s:I, s:I, s:i}", "jid", j->id, "name", j->name, "isStoppable",
                        0, "state", jobs_state_name(j->state), "start-time", (json_int_t)j->start_time, "end-time",
                        (json_int_t)end_or_minus1(j), "duration", (json_int_t)duration(j, now), "now",
                        (json_int_t)now, "restarts", j->restarts);
  sluice_vertex *v;
  int n = jobs_vertices(j, &v);
  json_t *va = json_array();
  for (int i = 0; i < n; i++) {
    char vid[33];
    vertex_id(j->id, i, vid);
    char vname[sizeof v[i].name + 64];
    snprintf(vname, sizeof vname, "%s", v[i].name);
    redact(j->secrets, j->nsecrets, vname, sizeof vname);
    jobs_utf8_clean(vname);
    json_t *m = json_pack("{s:I, s:b, s:I, s:b}", "read-records", (json_int_t)v[i].records_in,
                          "read-records-complete", is_ended(j->state), "write-records",
                          (json_int_t)v[i].records_out, "write-records-complete", is_ended(j->state));
    json_t *vo = json_pack("{s:s, s:s, s:i, s:i, s:s, s:I, s:I, s:I, s:o}", "id", vid, "name", vname,
                           "parallelism", v[i].parallelism, "maxParallelism", v[i].parallelism, "status",
                           vertex_status(j->state), "start-time", (json_int_t)j->start_time, "end-time",
                           (json_int_t)end_or_minus1(j), "duration", (json_int_t)duration(j, now), "metrics", m);
    json_object_set_new(vo, "watermark",
                        v[i].watermark_ms == INT64_MIN ? json_null() : json_integer((json_int_t)v[i].watermark_ms));
    json_object_set_new(vo, "state-size", json_integer((json_int_t)v[i].state_bytes));
    json_array_append_new(va, vo);
  }
  free(v);
  json_object_set_new(o, "vertices", va);
  json_object_set_new(o, "state-size", json_integer((json_int_t)j->st.last_checkpoint_size));
  json_object_set_new(o, "metrics",
                      json_pack("{s:I, s:I, s:I, s:I}", "read-records", (json_int_t)j->st.rows_read, "write-records",
                                (json_int_t)j->st.rows_written, "late-records-dropped",
                                (json_int_t)j->st.late_rows, "skipped-records", (json_int_t)j->st.skipped_rows));
  json_object_set_new(o, "timestamps", json_pack("{s:I}", jobs_state_name(j->state),
                                                 (json_int_t)(is_ended(j->state) ? j->end_time : j->start_time)));
  if ((j->state == SLUICE_JOB_FAILED || j->state == SV_RESTARTING) && j->failure[0])
    json_object_set_new(o, "failure-cause", json_string(j->failure));
  *out = o;
  return 0;
}

int jobs_checkpoints_json(sv_registry *r, const char *id, json_t **out, sv_err *err) {
  sv_job *j;
  if (find_or_404(r, id, &j, err)) return -1;
  const sluice_status *st = &j->st;
  json_t *counts = json_pack("{s:I, s:I, s:I, s:I, s:I}", "restored", (json_int_t)j->resumes, "total",
                             (json_int_t)(st->checkpoints_completed + st->checkpoints_failed +
                                          st->checkpoints_in_progress),
                             "in_progress", (json_int_t)st->checkpoints_in_progress, "completed",
                             (json_int_t)st->checkpoints_completed, "failed", (json_int_t)st->checkpoints_failed);
  char path[sizeof st->last_checkpoint];
  snprintf(path, sizeof path, "%s", st->last_checkpoint);
  jobs_utf8_clean(path);
  json_t *completed = json_null();
  if (st->last_checkpoint_id > 0)
    completed = json_pack("{s:s, s:I, s:s, s:b, s:I, s:I, s:I, s:I, s:s, s:b}", "@class", "completed", "id",
                          (json_int_t)st->last_checkpoint_id, "status", "COMPLETED", "is_savepoint", 0,
                          "trigger_timestamp", (json_int_t)(st->last_checkpoint_time_ms - st->last_checkpoint_duration_ms),
                          "latest_ack_timestamp", (json_int_t)st->last_checkpoint_time_ms, "state_size",
                          (json_int_t)st->last_checkpoint_size, "end_to_end_duration",
                          (json_int_t)st->last_checkpoint_duration_ms, "external_path", path,
                          "discarded", 0);
  json_t *latest = json_pack("{s:o, s:n, s:n, s:n}", "completed", completed, "savepoint", "failed", "restored");
  *out = json_pack("{s:o, s:o, s:[]}", "counts", counts, "latest", latest, "history");
  return 0;
}
