/* err.c - error names, messages and rendering of positioned errors. */
#include "err.h"

#include <stdio.h>
#include <string.h>

const char *sl_err_name(int code) {
  switch (code) {
    case SL_OK: return "OK";
#define XX(name, msg) case SL_E##name: return "SL_E" #name;
    SL_ERR_MAP(XX)
#undef XX
  }
  return "SL_EUNKNOWN";
}

const char *sl_strerror(int code) {
  switch (code) {
    case SL_OK: return "success";
#define XX(name, msg) case SL_E##name: return msg;
    SL_ERR_MAP(XX)
#undef XX
  }
  return "unknown error";
}

void sl_err_clear(sl_err *err) {
  if (!err) return;
  memset(err, 0, sizeof *err);
  err->loc = SL_ERR_NOLOC;
}

int sl_err_vset(sl_err *err, int code, int64_t loc, const char *fmt, va_list ap) {
  if (!err || err->code != 0) return code;
  err->code = code;
  err->loc = loc;
  vsnprintf(err->msg, sizeof err->msg, fmt, ap);
  return code;
}

int sl_err_set(sl_err *err, int code, int64_t loc, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  sl_err_vset(err, code, loc, fmt, ap);
  va_end(ap);
  return code;
}

void sl_err_hint(sl_err *err, const char *fmt, ...) {
  if (!err) return;
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(err->hint, sizeof err->hint, fmt, ap);
  va_end(ap);
}

void sl_err_detail(sl_err *err, const char *fmt, ...) {
  if (!err) return;
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(err->detail, sizeof err->detail, fmt, ap);
  va_end(ap);
}

void sl_err_linecol(const char *text, int64_t loc, int *line, int *col) {
  int l = 1, c = 1;
  for (int64_t i = 0; text && i < loc && text[i]; i++) {
    if (text[i] == '\n') { l++; c = 1; }
    else c++;
  }
  *line = l;
  *col = c;
}

void sl_err_format(const sl_err *err, const char *file, const char *text, char *buf, size_t n) {
  size_t used = 0;
#define PUT(...) do { if (used < n) used += (size_t)snprintf(buf + used, n - used, __VA_ARGS__); } while (0)
  if (n) buf[0] = 0;
  if (err->loc >= 0 && text) {
    int line, col;
    /* A position past the end (an error located in other text) is clamped to the end. */
    int64_t loc = err->loc;
    if ((size_t)loc > strlen(text)) loc = (int64_t)strlen(text);
    sl_err_linecol(text, loc, &line, &col);
    PUT("%s:%d:%d: %s", file ? file : "<sql>", line, col, err->msg);
    /* The offending line with a caret under the column. */
    const char *start = text + loc - (col - 1);
    const char *end = strchr(start, '\n');
    int len = end ? (int)(end - start) : (int)strlen(start);
    PUT("\n  %.*s\n  ", len, start);
    for (int i = 1; i < col; i++) PUT("%c", start[i - 1] == '\t' ? '\t' : ' ');
    PUT("^");
  } else {
    PUT("%s%s%s", file ? file : "", file ? ": " : "", err->msg);
  }
  if (err->detail[0]) PUT("\ndetail: %s", err->detail);
  if (err->hint[0]) PUT("\nhint: %s", err->hint);
#undef PUT
}
