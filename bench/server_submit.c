/* server_submit.c - how long `sluice serve` takes from a POST /jobs to the job showing RUNNING,
 * as a REST client sees it. A benchmark, not a test: bench/server.sh builds and runs it.
 *
 * usage: server_submit BASE_URL SCRIPT N
 * Submits SCRIPT N times, one job at a time: POST /jobs, then GET /jobs/<id> every 0.5 ms until
 * RUNNING (the latency), then PATCH cancel and wait for CANCELED. Prints one line:
 * "jobs=N median_ms=... p90_ms=... max_ms=...". */
#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

typedef struct body {
  char buf[1 << 16];
  size_t n;
} body;

static size_t on_data(char *p, size_t size, size_t n, void *arg) {
  body *b = arg;
  size_t len = size * n, room = sizeof b->buf - 1 - b->n;
  memcpy(b->buf + b->n, p, len < room ? len : room);
  b->n += len < room ? len : room;
  b->buf[b->n] = 0;
  return len;
}

/* One request; the body lands in *b; exits on a transport error. */
static long request(CURL *c, const char *method, const char *url, const char *data, size_t len, body *b) {
  b->n = 0;
  b->buf[0] = 0;
  curl_easy_reset(c);
  curl_easy_setopt(c, CURLOPT_URL, url);
  curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, method);
  curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_data);
  curl_easy_setopt(c, CURLOPT_WRITEDATA, b);
  struct curl_slist *h = NULL;
  if (data) {
    h = curl_slist_append(h, "Content-Type: application/sql");
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, h);
    curl_easy_setopt(c, CURLOPT_POSTFIELDS, data);
    curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE, (long)len);
  }
  CURLcode rc = curl_easy_perform(c);
  curl_slist_free_all(h);
  if (rc) {
    fprintf(stderr, "server_submit: %s %s: %s\n", method, url, curl_easy_strerror(rc));
    exit(1);
  }
  long status;
  curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
  return status;
}

static double now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static void sleep_us(long us) {
  struct timespec ts = {.tv_sec = us / 1000000, .tv_nsec = (us % 1000000) * 1000};
  nanosleep(&ts, NULL);
}

/* Polls GET /jobs/<id> until its state is `want`; exits if it ends otherwise. */
static void wait_state(CURL *c, const char *base, const char *id, const char *want, body *b) {
  char url[512], needle[64];
  snprintf(url, sizeof url, "%s/jobs/%s", base, id);
  snprintf(needle, sizeof needle, "\"state\":\"%s\"", want);
  for (;;) {
    request(c, "GET", url, NULL, 0, b);
    if (strstr(b->buf, needle)) return;
    if (strstr(b->buf, "\"state\":\"FAILED\"") || strstr(b->buf, "\"state\":\"FINISHED\"")) {
      fprintf(stderr, "server_submit: job %s ended: %.500s\n", id, b->buf);
      exit(1);
    }
    sleep_us(500);
  }
}

static int cmp_double(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

int main(int argc, char **argv) {
  if (argc != 4) {
    fprintf(stderr, "usage: server_submit BASE_URL SCRIPT N\n");
    return 2;
  }
  const char *base = argv[1];
  int n = atoi(argv[3]);
  FILE *f = fopen(argv[2], "rb");
  if (!f || n < 1) {
    fprintf(stderr, "server_submit: cannot read '%s' (or N < 1)\n", argv[2]);
    return 2;
  }
  static char sql[1 << 16];
  size_t len = fread(sql, 1, sizeof sql - 1, f);
  fclose(f);
  curl_global_init(CURL_GLOBAL_DEFAULT);
  CURL *c = curl_easy_init();
  static body b;
  double *lat = calloc((size_t)n, sizeof *lat);
  char url[512];
  for (int i = 0; i < n; i++) {
    double t0 = now_ms();
    snprintf(url, sizeof url, "%s/jobs", base);
    long status = request(c, "POST", url, sql, len, &b);
    const char *p = strstr(b.buf, "\"jobid\":\"");
    if (status != 202 || !p) {
      fprintf(stderr, "server_submit: POST /jobs answered %ld: %.500s\n", status, b.buf);
      return 1;
    }
    char id[33];
    snprintf(id, sizeof id, "%.32s", p + 9);
    wait_state(c, base, id, "RUNNING", &b);
    lat[i] = now_ms() - t0;
    snprintf(url, sizeof url, "%s/jobs/%s?mode=cancel", base, id);
    request(c, "PATCH", url, NULL, 0, &b);
    wait_state(c, base, id, "CANCELED", &b);
  }
  qsort(lat, (size_t)n, sizeof *lat, cmp_double);
  printf("jobs=%d median_ms=%.2f p90_ms=%.2f max_ms=%.2f\n", n, lat[n / 2], lat[n * 9 / 10], lat[n - 1]);
  free(lat);
  curl_easy_cleanup(c);
  curl_global_cleanup();
  return 0;
}
