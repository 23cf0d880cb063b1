/* sysutil.h - small operating-system helpers shared by the engine, state and connectors:
 * local folders, random bytes and deadlines. */
#ifndef SL_SYSUTIL_H
#define SL_SYSUTIL_H

#include <stddef.h>
#include <time.h>

/* mkdir -p: creates path and its missing parents. 0, or -1 with errno set. */
int sl_mkdirs(const char *path);
/* rm -rf: removes a folder and everything in it (best effort; a missing path is fine). */
void sl_rm_tree(const char *path);
/* Creates a private working folder "<parent>/<prefix>-<pid>-XXXXXX" (*out, malloc'd; parent
 * NULL: $TMPDIR or /tmp), first
 * removing those of the same prefix whose process is gone (a job killed with -9 cannot clean
 * up after itself). 0, or -1 with errno set. */
int sl_work_dir_new(const char *parent, const char *prefix, char **out);
/* n random bytes from the kernel; when it has none to give, a time-and-pid mix that is unique
 * enough for names made by one process. */
void sl_random_bytes(void *out, size_t n);
/* 2 * nbytes lower-case hex digits of random bytes, NUL-terminated, into out. */
void sl_random_hex(char *out, size_t nbytes);
/* The CLOCK_REALTIME instant timeout_ms from now, for pthread_cond_timedwait (a negative
 * timeout: now). */
struct timespec sl_deadline_after_ms(int timeout_ms);

#endif
