/* metrics.c - GET /metrics: the server's jobs and their operators in Prometheus' text format
 * (version 0.0.4): a # HELP and # TYPE line per metric family, then one sample per label set. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jobs.h"

typedef struct out_buf {
  char *p;
  size_t len, cap;
} out_buf;

static void put(out_buf *b, const char *fmt, ...) {
  for (;;) {
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(b->p + b->len, b->cap - b->len, fmt, ap);
    va_end(ap);
    if (n < 0) return;
    if ((size_t)n < b->cap - b->len) {
      b->len += (size_t)n;
      return;
    }
    b->cap = (b->cap + (size_t)n) * 2;
    b->p = realloc(b->p, b->cap);
    if (!b->p) abort();
  }
}

/* A label value: backslash, quote and newline escaped; other control bytes become '_'. */
static void label(out_buf *b, const char *s, char *tmp, size_t cap) {
  size_t k = 0;
  for (; *s && k + 3 < cap; s++) {
    unsigned char c = (unsigned char)*s;
    if (c == '\\' || c == '"') {
      tmp[k++] = '\\';
      tmp[k++] = (char)c;
    } else if (c == '\n') {
      tmp[k++] = '\\';
      tmp[k++] = 'n';
    } else tmp[k++] = c < 0x20 || c == 0x7f ? '_' : (char)c;
  }
  tmp[k] = 0;
  put(b, "%s", tmp);
}

static void family(out_buf *b, const char *name, const char *type, const char *help) {
  put(b, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, type);
}

/* job_id and job_name labels, opening the label set. */
static void job_labels(out_buf *b, const char *metric, const sv_job *j) {
  char tmp[1024];
  put(b, "%s{job_id=\"%s\",job_name=\"", metric, j->id);
  label(b, j->name, tmp, sizeof tmp);
  put(b, "\"");
}

/* The operator's name made a short, tidy label value: the operator's kind ("Calc", "WindowAggregate"), with
 * the table for sources and sinks ("Source: transactions"); letters, digits and "_:. -" kept, others '_'. */
static void op_name(const char *full, char *out, size_t cap) {
  char shortn[300];
  size_t kind = strcspn(full, "(");
  const char *t = strstr(full, "table=[");
  if (t && (!strncmp(full, "Source", 6) || !strncmp(full, "Sink", 4))) {
    t += 7;
    snprintf(shortn, sizeof shortn, "%s: %.*s", full[1] == 'o' ? "Source" : "Sink", (int)strcspn(t, "]"), t);
  } else snprintf(shortn, sizeof shortn, "%.*s", (int)kind, full);
  const char *in = shortn;
  size_t k = 0;
  for (; *in && k + 1 < cap; in++) {
    char c = *in;
    int ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == ':' ||
             c == '.' || c == ' ' || c == '-';
    out[k++] = ok ? c : '_';
  }
  out[k] = 0;
}

typedef struct job_vertices {
  sluice_vertex *v;
  int n;
} job_vertices;

char *metrics_render(sv_registry *r, size_t *len) {
  out_buf b = {malloc(8192), 0, 8192};
  if (!b.p) abort();
  int64_t now = jobs_now_ms();
  static const int states[] = {SLUICE_JOB_CREATED,  SLUICE_JOB_RUNNING, SLUICE_JOB_CANCELLING, SLUICE_JOB_FINISHED,
                               SLUICE_JOB_CANCELED, SLUICE_JOB_FAILED,  SV_RESTARTING};
  family(&b, "sluice_jobs", "gauge", "Jobs the server knows, by state.");
  for (size_t s = 0; s < sizeof states / sizeof states[0]; s++) {
    int n = 0;
    for (int i = 0; i < r->njobs; i++) n += !r->jobs[i]->gone && r->jobs[i]->state == states[s];
    put(&b, "sluice_jobs{state=\"%s\"} %d\n", jobs_state_name(states[s]), n);
  }

  /* Job-level families: one sample per job. */
  struct {
    const char *name, *type, *help;
  } jf[] = {
      {"sluice_job_rows_read_total", "counter", "Rows the job's sources produced (since its last start)."},
      {"sluice_job_rows_written_total", "counter", "Rows that reached the job's sinks (since its last start)."},
      {"sluice_job_late_rows_dropped_total", "counter", "Rows dropped as late, behind the watermark."},
      {"sluice_job_skipped_rows_total", "counter", "Bad records skipped by ignore-parse-errors."},
      {"sluice_job_restarts_total", "counter", "Restarts by the job's restart strategy."},
      {"sluice_job_checkpoints_completed_total", "counter", "Checkpoints completed (savepoints included)."},
      {"sluice_job_checkpoints_failed_total", "counter", "Checkpoints that failed."},
      {"sluice_job_last_checkpoint_duration_seconds", "gauge", "Duration of the last completed checkpoint."},
      {"sluice_job_last_checkpoint_size_bytes", "gauge", "Bytes of state in the last completed checkpoint."},
      {"sluice_job_state_size_bytes", "gauge", "The job's state size, as of its last checkpoint."},
      {"sluice_job_uptime_seconds", "gauge", "Time since the job was submitted (to its end once ended)."},
  };
  int nf = (int)(sizeof jf / sizeof jf[0]);
  for (int f = 0; f < nf; f++) {
    family(&b, jf[f].name, jf[f].type, jf[f].help);
    for (int i = 0; i < r->njobs; i++) {
      const sv_job *j = r->jobs[i];
      if (j->gone) continue;
      const sluice_status *st = &j->st;
      job_labels(&b, jf[f].name, j);
      switch (f) {
      case 0: put(&b, "} %lld\n", (long long)st->rows_read); break;
      case 1: put(&b, "} %lld\n", (long long)st->rows_written); break;
      case 2: put(&b, "} %lld\n", (long long)st->late_rows); break;
      case 3: put(&b, "} %lld\n", (long long)st->skipped_rows); break;
      case 4: put(&b, "} %d\n", j->restarts); break;
      case 5: put(&b, "} %lld\n", (long long)st->checkpoints_completed); break;
      case 6: put(&b, "} %lld\n", (long long)st->checkpoints_failed); break;
      case 7: put(&b, "} %.3f\n", (double)st->last_checkpoint_duration_ms / 1000.0); break;
      case 8:
      case 9: put(&b, "} %lld\n", (long long)st->last_checkpoint_size); break;
      default: {
        int64_t end = j->end_time && (j->state == SLUICE_JOB_FINISHED || j->state == SLUICE_JOB_CANCELED ||
                                      j->state == SLUICE_JOB_FAILED)
                          ? j->end_time
                          : now;
        put(&b, "} %.3f\n", j->start_time ? (double)(end - j->start_time) / 1000.0 : 0.0);
      }
      }
    }
  }

  /* Operator families: the vertices of each job's running (or last) query. */
  job_vertices *jv = calloc((size_t)(r->njobs ? r->njobs : 1), sizeof *jv);
  if (!jv) abort();
  for (int i = 0; i < r->njobs; i++)
    if (!r->jobs[i]->gone) jv[i].n = jobs_vertices(r->jobs[i], &jv[i].v);
  const char *of[][3] = {
      {"sluice_operator_records_in_total", "counter", "Records into the operator."},
      {"sluice_operator_records_out_total", "counter", "Records out of the operator."},
      {"sluice_operator_watermark_lag_seconds", "gauge", "Now minus the source's watermark (event time)."},
      {"sluice_operator_state_size_bytes", "gauge", "The operator's keyed state, in memory and (rocksdb) on disk."},
  };
  for (int f = 0; f < 4; f++) {
    family(&b, of[f][0], of[f][1], of[f][2]);
    for (int i = 0; i < r->njobs; i++)
      for (int k = 0; k < jv[i].n; k++) {
        const sluice_vertex *v = &jv[i].v[k];
        if (f == 3 && !v->state_bytes) continue;
        if (f == 2 && (strncmp(v->name, "Source", 6) || v->watermark_ms == INT64_MIN || v->watermark_ms > now)) continue;
        char name[300], tmp[700];
        op_name(v->name, name, sizeof name);
        job_labels(&b, of[f][0], r->jobs[i]);
        put(&b, ",operator_index=\"%d\",operator_name=\"", k);
        label(&b, name, tmp, sizeof tmp);
        if (f == 0) put(&b, "\"} %lld\n", (long long)v->records_in);
        else if (f == 1) put(&b, "\"} %lld\n", (long long)v->records_out);
        else if (f == 2) put(&b, "\"} %.3f\n", (double)(now - v->watermark_ms) / 1000.0);
        else put(&b, "\"} %lld\n", (long long)v->state_bytes);
      }
  }
  for (int i = 0; i < r->njobs; i++) free(jv[i].v);
  free(jv);
  *len = b.len;
  return b.p;
}
