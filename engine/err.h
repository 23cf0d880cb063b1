/* err.h - error codes and the caller-owned error object every fallible call fills. */
#ifndef SL_ERR_H
#define SL_ERR_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

/* One table generates the codes, sl_err_name() and sl_strerror() (libuv's UV_ERRNO_MAP). */
#define SL_ERR_MAP(XX)                                          \
  XX(SYNTAX, "syntax error")                                    \
  XX(BIND, "semantic error")                                    \
  XX(TYPE, "type error")                                        \
  XX(UNSUPPORTED, "not supported")                              \
  XX(IO, "i/o error")                                           \
  XX(FORMAT, "bad input data")                                  \
  XX(NOMEM, "out of memory")                                    \
  XX(INVAL, "invalid argument")                                 \
  XX(CONFIG, "invalid option")                                  \
  XX(OVERFLOW, "numeric overflow")                              \
  XX(RUNTIME, "runtime error")                                  \
  XX(NOTFOUND, "not found")                                     \
  XX(CHECKPOINT, "checkpoint error")                            \
  XX(AGAIN, "try again later")                                  \
  XX(STATE, "not possible in the current state")

typedef enum {
  SL_OK = 0,
#define XX(name, msg) SL_E##name,
  SL_ERR_FIRST_ = -100,
  SL_ERR_MAP(XX)
#undef XX
} sl_errcode;

#define SL_ERR_NOLOC ((int64_t)-1)

/* The detail of a failure. loc is a byte offset into the SQL text (or -1); it becomes
 * file:line:col only when printed. */
typedef struct sl_err {
  int code;
  int64_t loc;
  char msg[512];
  char detail[256];
  char hint[256];
} sl_err;

const char *sl_err_name(int code);
const char *sl_strerror(int code);

void sl_err_clear(sl_err *err);
/* Fills err (if not NULL and not already set) and returns code, so callers can write
 * `return sl_err_set(err, SL_EBIND, loc, "...")`. The first error wins. */
int sl_err_set(sl_err *err, int code, int64_t loc, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
int sl_err_vset(sl_err *err, int code, int64_t loc, const char *fmt, va_list ap);
void sl_err_hint(sl_err *err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void sl_err_detail(sl_err *err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Turns a byte offset into 1-based line and column of text. */
void sl_err_linecol(const char *text, int64_t loc, int *line, int *col);

/* Renders "file:line:col: msg" plus, for located errors, the source line with a caret,
 * and the hint. Writes at most n bytes into buf. */
void sl_err_format(const sl_err *err, const char *file, const char *text, char *buf, size_t n);

#endif
