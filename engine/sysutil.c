/* sysutil.c - local folders (mkdir -p, rm -rf) and random bytes. */
#include "sysutil.h"

#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <ftw.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "arena.h"

int sl_mkdirs(const char *path) {
  char *tmp = sl_strdup(path);
  int rc = 0;
  for (char *p = tmp + 1;; p++) {
    if (*p && *p != '/') continue;
    char c = *p;
    *p = 0;
    if (mkdir(tmp, 0777) != 0 && errno != EEXIST) {
      rc = -1;
      break;
    }
    *p = c;
    if (!c) break;
  }
  int saved = errno;
  free(tmp);
  errno = saved;
  return rc;
}

static int rm_entry(const char *path, const struct stat *sb, int flag, struct FTW *ftw) {
  (void)sb, (void)flag, (void)ftw;
  return remove(path);
}

void sl_rm_tree(const char *path) { nftw(path, rm_entry, 16, FTW_DEPTH | FTW_PHYS); }

/* Removes "<prefix>-<pid>-*" folders under parent whose process no longer exists. */
static void sweep_dead(const char *parent, const char *prefix) {
  DIR *d = opendir(parent);
  if (!d) return;
  size_t pl = strlen(prefix);
  struct dirent *de;
  while ((de = readdir(d))) {
    if (strncmp(de->d_name, prefix, pl) != 0 || de->d_name[pl] != '-') continue;
    char *end;
    long pid = strtol(de->d_name + pl + 1, &end, 10);
    if (end == de->d_name + pl + 1 || *end != '-' || pid <= 0 || pid == (long)getpid()) continue;
    if (kill((pid_t)pid, 0) == 0 || errno != ESRCH) continue; /* alive, or not ours to know */
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", parent, de->d_name);
    sl_rm_tree(path);
  }
  closedir(d);
}

int sl_work_dir_new(const char *parent, const char *prefix, char **out) {
  if (!parent || !*parent) parent = getenv("TMPDIR");
  if (!parent || !*parent) parent = "/tmp";
  sweep_dead(parent, prefix);
  size_t n = strlen(parent) + strlen(prefix) + 40;
  char *dir = sl_malloc(n);
  snprintf(dir, n, "%s/%s-%ld-XXXXXX", parent, prefix, (long)getpid());
  if (!mkdtemp(dir)) {
    int saved = errno;
    free(dir);
    errno = saved;
    return -1;
  }
  *out = dir;
  return 0;
}

void sl_random_bytes(void *out, size_t n) {
  unsigned char *p = out;
  size_t got = 0;
  while (got < n) {
    ssize_t r = getrandom(p + got, n - got, 0);
    if (r < 0 && errno == EINTR) continue;
    if (r <= 0) break;
    got += (size_t)r;
  }
  if (got == n) return;
  struct timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  uint64_t x = ((uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec) ^ ((uint64_t)getpid() << 32);
  for (size_t i = 0; i < n; i++) {
    x = x * 6364136223846793005ULL + 1442695040888963407ULL;
    p[i] = (unsigned char)(x >> 56);
  }
}

void sl_random_hex(char *out, size_t nbytes) {
  static const char hex[] = "0123456789abcdef";
  unsigned char r[64];
  if (nbytes > sizeof r) nbytes = sizeof r;
  sl_random_bytes(r, nbytes);
  for (size_t i = 0; i < nbytes; i++) {
    out[2 * i] = hex[r[i] >> 4];
    out[2 * i + 1] = hex[r[i] & 15];
  }
  out[2 * nbytes] = 0;
}

struct timespec sl_deadline_after_ms(int timeout_ms) {
  struct timespec until;
  clock_gettime(CLOCK_REALTIME, &until);
  if (timeout_ms > 0) {
    until.tv_sec += timeout_ms / 1000;
    until.tv_nsec += (long)(timeout_ms % 1000) * 1000000;
    if (until.tv_nsec >= 1000000000) {
      until.tv_sec++;
      until.tv_nsec -= 1000000000;
    }
  }
  return until;
}
