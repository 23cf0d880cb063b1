/* tokenize.c - the table-driven SQL tokenizer and the driver loop that feeds the lemon parser.
 *
 * Each byte has a character class (SQLite's aiClass idea); sl_sql_token dispatches on the
 * class of the first byte and scans one token. Words are looked up in a sorted keyword table
 * by binary search (keywords are case-insensitive; identifiers keep their case). The driver,
 * sl_sql_parse, skips blanks and comments, resolves the context-dependent IN of POSITION(a IN b)
 * and TO of FLOOR(x TO unit), tracks each statement's text span, and ends the input with SEMI
 * and then 0. */
#include "tokenize.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "parse.h"

/* ---- Character classes ------------------------------------------------------------------ */

enum {
  CC_SPACE,    /* blank, tab, newline, CR, FF, VT */
  CC_ALPHA,    /* a letter, '_' or any byte >= 0x80 (UTF-8 in identifiers) */
  CC_DIGIT,
  CC_DOLLAR,   /* '$': allowed inside identifiers */
  CC_QUOTE,    /* ' string literal */
  CC_BACKTICK, /* ` quoted identifier */
  CC_MINUS,    /* - or -- comment */
  CC_SLASH,    /* / or block comment */
  CC_LP,
  CC_RP,
  CC_SEMI,
  CC_PLUS,
  CC_STAR,
  CC_PERCENT,
  CC_EQ,       /* = or => */
  CC_LT,       /* < <= <> */
  CC_GT,       /* > >= */
  CC_BANG,     /* != */
  CC_COMMA,
  CC_DOT,      /* . or a number like .5 */
  CC_PIPE,     /* || */
  CC_ILLEGAL,
};

static const unsigned char ai_class[256] = {
/*         x0  x1  x2  x3  x4  x5  x6  x7  x8  x9  xa  xb  xc  xd  xe  xf */
/* 0x */   21, 21, 21, 21, 21, 21, 21, 21, 21,  0,  0,  0,  0,  0, 21, 21,
/* 1x */   21, 21, 21, 21, 21, 21, 21, 21, 21, 21, 21, 21, 21, 21, 21, 21,
/* 2x */    0, 17, 21, 21,  3, 13, 21,  4,  8,  9, 12, 11, 18,  6, 19,  7,
/* 3x */    2,  2,  2,  2,  2,  2,  2,  2,  2,  2, 21, 10, 15, 14, 16, 21,
/* 4x */   21,  1,  1,  1,  1,  1,  1,  1,  1,  1,  1,  1,  1,  1,  1,  1,
/* 5x */    1,  1,  1,  1,  1,  1,  1,  1,  1,  1,  1, 21, 21, 21, 21,  1,
/* 6x */    5,  1,  1,  1,  1,  1,  1,  1,  1,  1,  1,  1,  1,  1,  1,  1,
/* 7x */    1,  1,  1,  1,  1,  1,  1,  1,  1,  1,  1, 21, 20, 21, 21, 21,
/* 8x */    1,  1,  1,  1,  1,  1,  1,  1,  1,  1,  1,  1,  1,  1,  1,  1,
/* 9x */    1,  1,  1,  1,  1,  1,  1,  1,  1,  1,  1,  1,  1,  1,  1,  1,
/* ax */    1,  1,  1,  1,  1,  1,  1,  1,  1,  1,  1,  1,  1,  1,  1,  1,
/* bx */    1,  1,  1,  1,  1,  1,  1,  1,  1,  1,  1,  1,  1,  1,  1,  1,
/* cx */    1,  1,  1,  1,  1,  1,  1,  1,  1,  1,  1,  1,  1,  1,  1,  1,
/* dx */    1,  1,  1,  1,  1,  1,  1,  1,  1,  1,  1,  1,  1,  1,  1,  1,
/* ex */    1,  1,  1,  1,  1,  1,  1,  1,  1,  1,  1,  1,  1,  1,  1,  1,
/* fx */    1,  1,  1,  1,  1,  1,  1,  1,  1,  1,  1,  1,  1,  1,  1,  1,
};

/* True for bytes that may continue an identifier. */
static bool id_char(unsigned char c) {
  int k = ai_class[c];
  return k == CC_ALPHA || k == CC_DIGIT || k == CC_DOLLAR;
}

static bool is_digit(unsigned char c) { return c >= '0' && c <= '9'; }

/* ---- Keywords --------------------------------------------------------------------------- */

typedef struct keyword {
  const char *name;
  int code;
} keyword;

/* Sorted by name (byte order, so '_' sorts after the letters) for binary search. */
static const keyword keywords[] = {
  {"ALL", TK_ALL},
  {"AND", TK_AND},
  {"AS", TK_AS},
  {"ASC", TK_ASC},
  {"ASYMMETRIC", TK_ASYMMETRIC},
  {"BEGIN", TK_BEGIN},
  {"BETWEEN", TK_BETWEEN},
  {"BIGINT", TK_BIGINT},
  {"BOOLEAN", TK_BOOLEAN},
  {"BOTH", TK_BOTH},
  {"BY", TK_BY},
  {"CASE", TK_CASE},
  {"CAST", TK_CAST},
  {"CENTURY", TK_CENTURY},
  {"CHAR", TK_CHAR},
  {"COMMENT", TK_COMMENT},
  {"CONSTRAINT", TK_CONSTRAINT},
  {"CREATE", TK_CREATE},
  {"CROSS", TK_CROSS},
  {"CURRENT_DATE", TK_CURRENT_DATE},
  {"CURRENT_TIME", TK_CURRENT_TIME},
  {"CURRENT_TIMESTAMP", TK_CURRENT_TIMESTAMP},
  {"DATE", TK_DATE},
  {"DAY", TK_DAY},
  {"DAYS", TK_DAYS},
  {"DEC", TK_DEC},
  {"DECADE", TK_DECADE},
  {"DECIMAL", TK_DECIMAL},
  {"DESC", TK_DESC},
  {"DESCRIPTOR", TK_DESCRIPTOR},
  {"DISTINCT", TK_DISTINCT},
  {"DOUBLE", TK_DOUBLE},
  {"DOW", TK_DOW},
  {"DOY", TK_DOY},
  {"DROP", TK_DROP},
  {"ELSE", TK_ELSE},
  {"END", TK_END},
  {"ENFORCED", TK_ENFORCED},
  {"EPOCH", TK_EPOCH},
  {"ESCAPE", TK_ESCAPE},
  {"EXECUTE", TK_EXECUTE},
  {"EXISTS", TK_EXISTS},
  {"EXPLAIN", TK_EXPLAIN},
  {"EXTRACT", TK_EXTRACT},
  {"FALSE", TK_FALSE},
  {"FLOAT", TK_FLOAT},
  {"FOR", TK_FOR},
  {"FROM", TK_FROM},
  {"FULL", TK_FULL},
  {"GROUP", TK_GROUP},
  {"HAVING", TK_HAVING},
  {"HOUR", TK_HOUR},
  {"HOURS", TK_HOURS},
  {"IF", TK_IF},
  {"IN", TK_IN},
  {"INNER", TK_INNER},
  {"INSERT", TK_INSERT},
  {"INT", TK_INT},
  {"INTEGER", TK_INTEGER},
  {"INTERVAL", TK_INTERVAL},
  {"INTO", TK_INTO},
  {"IS", TK_IS},
  {"ISODOW", TK_ISODOW},
  {"ISOYEAR", TK_ISOYEAR},
  {"JOIN", TK_JOIN},
  {"KEY", TK_KEY},
  {"LEADING", TK_LEADING},
  {"LEFT", TK_LEFT},
  {"LIKE", TK_LIKE},
  {"LIMIT", TK_LIMIT},
  {"LOCAL", TK_LOCAL},
  {"LOCALTIME", TK_LOCALTIME},
  {"LOCALTIMESTAMP", TK_LOCALTIMESTAMP},
  {"METADATA", TK_METADATA},
  {"MICROSECOND", TK_MICROSECOND},
  {"MILLENNIUM", TK_MILLENNIUM},
  {"MILLISECOND", TK_MILLISECOND},
  {"MINUTE", TK_MINUTE},
  {"MINUTES", TK_MINUTES},
  {"MONTH", TK_MONTH},
  {"MONTHS", TK_MONTHS},
  {"NANOSECOND", TK_NANOSECOND},
  {"NOT", TK_NOT},
  {"NULL", TK_NULL},
  {"NUMERIC", TK_NUMERIC},
  {"OF", TK_OF},
  {"ON", TK_ON},
  {"OR", TK_OR},
  {"ORDER", TK_ORDER},
  {"OUTER", TK_OUTER},
  {"OVERWRITE", TK_OVERWRITE},
  {"PARTITION", TK_PARTITION},
  {"PARTITIONED", TK_PARTITIONED},
  {"PLAN", TK_PLAN},
  {"POSITION", TK_POSITION},
  {"PRECISION", TK_PRECISION},
  {"PRIMARY", TK_PRIMARY},
  {"QUARTER", TK_QUARTER},
  {"REAL", TK_REAL},
  {"RESET", TK_RESET},
  {"RIGHT", TK_RIGHT},
  {"SECOND", TK_SECOND},
  {"SECONDS", TK_SECONDS},
  {"SELECT", TK_SELECT},
  {"SET", TK_SET},
  {"SMALLINT", TK_SMALLINT},
  {"STATEMENT", TK_STATEMENT},
  {"STRING", TK_STRING},
  {"SUBSTRING", TK_SUBSTRING},
  {"SYMMETRIC", TK_SYMMETRIC},
  {"SYSTEM_TIME", TK_SYSTEM_TIME},
  {"TABLE", TK_TABLE},
  {"TEMPORARY", TK_TEMPORARY},
  {"THEN", TK_THEN},
  {"TIME", TK_TIME},
  {"TIMESTAMP", TK_TIMESTAMP},
  {"TIMESTAMP_LTZ", TK_TIMESTAMP_LTZ},
  {"TINYINT", TK_TINYINT},
  {"TO", TK_TO},
  {"TRAILING", TK_TRAILING},
  {"TRIM", TK_TRIM},
  {"TRUE", TK_TRUE},
  {"TRY_CAST", TK_TRY_CAST},
  {"UNION", TK_UNION},
  {"UNKNOWN", TK_UNKNOWN},
  {"VARCHAR", TK_VARCHAR},
  {"VIEW", TK_VIEW},
  {"VIRTUAL", TK_VIRTUAL},
  {"WATERMARK", TK_WATERMARK},
  {"WEEK", TK_WEEK},
  {"WHEN", TK_WHEN},
  {"WHERE", TK_WHERE},
  {"WITH", TK_WITH},
  {"WITHOUT", TK_WITHOUT},
  {"YEAR", TK_YEAR},
  {"YEARS", TK_YEARS},
  {"ZONE", TK_ZONE},
};

#define N_KEYWORDS (sizeof keywords / sizeof keywords[0])
#define MAX_KEYWORD_LEN 20

int sl_sql_keyword(const char *z, size_t n) {
  char up[MAX_KEYWORD_LEN + 1];
  if (n == 0 || n > MAX_KEYWORD_LEN) return TK_ID;
  for (size_t i = 0; i < n; i++) {
    unsigned char c = (unsigned char)z[i];
    up[i] = (char)(c >= 'a' && c <= 'z' ? c - 'a' + 'A' : c);
  }
  up[n] = 0;
  size_t lo = 0, hi = N_KEYWORDS;
  while (lo < hi) {
    size_t mid = (lo + hi) / 2;
    int c = strcmp(up, keywords[mid].name);
    if (c == 0) return keywords[mid].code;
    if (c < 0) hi = mid;
    else lo = mid + 1;
  }
  return TK_ID;
}

const char *sl_sql_keyword_name(int type) {
  for (size_t i = 0; i < N_KEYWORDS; i++)
    if (keywords[i].code == type) return keywords[i].name;
  return NULL;
}

/* ---- The scanner ------------------------------------------------------------------------ */

/* Scans a quoted run starting at z[0] == q where a doubled q stands for one q. Returns the
 * length including both quotes, or 0 when the closing quote is missing. */
static size_t scan_quoted(const char *z, size_t n, char q) {
  for (size_t i = 1; i < n; i++) {
    if (z[i] != q) continue;
    if (i + 1 < n && z[i + 1] == q) { i++; continue; }
    return i + 1;
  }
  return 0;
}

/* digits [. digits] [e [+-] digits], or . digits ...: INTLIT when only digits. */
static size_t scan_number(const char *z, size_t n, int *type) {
  size_t i = 0;
  *type = TK_INTLIT;
  while (i < n && is_digit((unsigned char)z[i])) i++;
  if (i < n && z[i] == '.') {
    *type = TK_NUMLIT;
    i++;
    while (i < n && is_digit((unsigned char)z[i])) i++;
  }
  /* An exponent only when digits follow: `1e` is the number 1 and then a word. */
  if (i < n && (z[i] == 'e' || z[i] == 'E')) {
    size_t j = i + 1;
    if (j < n && (z[j] == '+' || z[j] == '-')) j++;
    if (j < n && is_digit((unsigned char)z[j])) {
      while (j < n && is_digit((unsigned char)z[j])) j++;
      *type = TK_NUMLIT;
      i = j;
    }
  }
  return i;
}

size_t sl_sql_token(const char *z, size_t n, int *type) {
  unsigned char c = (unsigned char)z[0];
  size_t i;
  switch (ai_class[c]) {
    case CC_SPACE:
      for (i = 1; i < n && ai_class[(unsigned char)z[i]] == CC_SPACE; i++) {}
      *type = TK_SPACE;
      return i;
    case CC_ALPHA:
      for (i = 1; i < n && id_char((unsigned char)z[i]); i++) {}
      *type = sl_sql_keyword(z, i);
      return i;
    case CC_DIGIT:
      return scan_number(z, n, type);
    case CC_QUOTE:
      i = scan_quoted(z, n, '\'');
      *type = i ? TK_STRLIT : TK_ILLEGAL;
      return i ? i : n;
    case CC_BACKTICK:
      i = scan_quoted(z, n, '`');
      *type = i ? TK_ID : TK_ILLEGAL;
      return i ? i : n;
    case CC_MINUS:
      if (n > 1 && z[1] == '-') {
        for (i = 2; i < n && z[i] != '\n'; i++) {}
        *type = TK_SPACE;
        return i;
      }
      *type = TK_MINUS;
      return 1;
    case CC_SLASH:
      if (n > 1 && z[1] == '*') {
        for (i = 2; i + 1 < n; i++) {
          if (z[i] == '*' && z[i + 1] == '/') {
            *type = TK_SPACE;
            return i + 2;
          }
        }
        *type = TK_ILLEGAL;
        return n;
      }
      *type = TK_SLASH;
      return 1;
    case CC_LP: *type = TK_LP; return 1;
    case CC_RP: *type = TK_RP; return 1;
    case CC_SEMI: *type = TK_SEMI; return 1;
    case CC_PLUS: *type = TK_PLUS; return 1;
    case CC_STAR: *type = TK_STAR; return 1;
    case CC_PERCENT: *type = TK_REM; return 1;
    case CC_COMMA: *type = TK_COMMA; return 1;
    case CC_EQ:
      if (n > 1 && z[1] == '>') { *type = TK_ARROW; return 2; }
      *type = TK_EQ;
      return 1;
    case CC_LT:
      if (n > 1 && z[1] == '=') { *type = TK_LE; return 2; }
      if (n > 1 && z[1] == '>') { *type = TK_NE; return 2; }
      *type = TK_LT;
      return 1;
    case CC_GT:
      if (n > 1 && z[1] == '=') { *type = TK_GE; return 2; }
      *type = TK_GT;
      return 1;
    case CC_BANG:
      if (n > 1 && z[1] == '=') { *type = TK_NE; return 2; }
      *type = TK_ILLEGAL;
      return 1;
    case CC_DOT:
      if (n > 1 && is_digit((unsigned char)z[1])) return scan_number(z, n, type);
      *type = TK_DOT;
      return 1;
    case CC_PIPE:
      if (n > 1 && z[1] == '|') { *type = TK_CONCAT; return 2; }
      *type = TK_ILLEGAL;
      return 1;
    default:
      *type = TK_ILLEGAL;
      return 1;
  }
}

const char *sl_sql_token_error(const char *z, size_t n, char *buf, size_t cap) {
  unsigned char c = (unsigned char)z[0];
  if (c == '\'') return "unterminated string literal";
  if (c == '`') return "unterminated quoted identifier";
  if (c == '/' && n > 1 && z[1] == '*') return "unterminated comment";
  if (c >= 0x20 && c < 0x7f) snprintf(buf, cap, "unexpected character '%c'", c);
  else snprintf(buf, cap, "unexpected character '\\x%02X'", c);
  return buf;
}

/* ---- Errors and token text -------------------------------------------------------------- */

void sl_parse_error(sl_parse *p, int64_t loc, const char *fmt, ...) {
  if (p->failed) return;
  p->failed = true;
  va_list ap;
  va_start(ap, fmt);
  sl_err_vset(p->err, SL_ESYNTAX, loc, fmt, ap);
  va_end(ap);
}

void sl_parse_syntax_error(sl_parse *p, const sl_token *t) {
  if (t->n == 0) {
    sl_parse_error(p, t->offset, "syntax error at end of input");
    return;
  }
  /* Long tokens (string literals) are cut so the message stays readable. */
  int n = t->n > 40 ? 37 : (int)t->n;
  sl_parse_error(p, t->offset, "syntax error at or near '%.*s%s'", n, t->z,
                 t->n > 40 ? "..." : "");
}

/* Undoubles q in the quoted run z[1..n-1). */
static char *unquote(sl_arena *a, const char *z, size_t n, char q, size_t *len) {
  char *out = sl_arena_alloc(a, n);
  size_t k = 0;
  for (size_t i = 1; i + 1 < n; i++) {
    out[k++] = z[i];
    if (z[i] == q) i++;
  }
  out[k] = 0;
  if (len) *len = k;
  return out;
}

const char *sl_parse_ident(sl_parse *p, sl_token t) {
  if (t.n >= 2 && t.z[0] == '`') return unquote(p->arena, t.z, t.n, '`', NULL);
  return sl_arena_strndup(p->arena, t.z, t.n);
}

const char *sl_parse_string(sl_parse *p, sl_token t, size_t *n) {
  return unquote(p->arena, t.z, t.n, '\'', n);
}

int64_t sl_parse_int(sl_token t) {
  int64_t v = 0;
  for (size_t i = 0; i < t.n; i++) {
    if (!is_digit((unsigned char)t.z[i])) break;
    v = v * 10 + (t.z[i] - '0');
    if (v > INT64_MAX / 20) return INT64_MAX / 2;
  }
  return v;
}

/* ---- The driver ------------------------------------------------------------------------- */

/* A parenthesis after POSITION or FLOOR/CEIL, where the first IN (resp. TO) at its depth is
 * a different token (PIN, FTO). */
typedef struct special_paren {
  int depth;
  int from, to; /* token to substitute, and its substitute */
} special_paren;

#define MAX_SPECIAL_NEST 16

static bool word_is(sl_token t, const char *w) {
  return t.n == strlen(w) && strncasecmp(t.z, w, t.n) == 0;
}

static bool is_unit_token(int type) {
  return type == TK_YEAR || type == TK_YEARS || type == TK_MONTH || type == TK_MONTHS ||
         type == TK_DAY || type == TK_DAYS || type == TK_HOUR || type == TK_HOURS ||
         type == TK_MINUTE || type == TK_MINUTES || type == TK_SECOND || type == TK_SECONDS;
}

int sl_sql_parse(const char *sql, size_t len, sl_arena *arena, sl_ast_script **out, sl_err *err) {
  sl_parse p = {.arena = arena, .sql = sql, .len = len, .err = err, .stmt_loc = -1};
  p.script = sl_arena_zalloc(arena, sizeof *p.script);
  p.script->stmts = sl_ast_list_new(arena);
  if (out) *out = NULL;
  void *parser = sl_sql_parserAlloc(sl_malloc, &p);

  int depth = 0, nsp = 0, prev = 0;
  sl_token prev_tok = {NULL, 0, -1};
  special_paren sp[MAX_SPECIAL_NEST];
  size_t i = 0;
  while (i < len && !p.failed) {
    int type;
    size_t n = sl_sql_token(sql + i, len - i, &type);
    sl_token t = {sql + i, n, (int64_t)i};
    i += n;
    if (type == TK_SPACE) continue;
    if (type == TK_ILLEGAL) {
      char buf[64];
      sl_parse_error(&p, t.offset, "%s", sl_sql_token_error(t.z, t.n, buf, sizeof buf));
      break;
    }
    if (type == TK_ID && t.n == 2 && t.z[0] == '`') {
      sl_parse_error(&p, t.offset, "zero-length quoted identifier");
      break;
    }
    if (type == TK_LP) {
      depth++;
      special_paren s = {depth, 0, 0};
      if (prev == TK_POSITION) {
        s.from = TK_IN, s.to = TK_PIN;
      } else if (prev == TK_ID && (word_is(prev_tok, "FLOOR") || word_is(prev_tok, "CEIL") ||
                                   word_is(prev_tok, "CEILING"))) {
        s.from = TK_TO, s.to = TK_FTO;
      }
      if (s.from && nsp < MAX_SPECIAL_NEST) sp[nsp++] = s;
    } else if (type == TK_RP) {
      if (nsp > 0 && sp[nsp - 1].depth == depth) nsp--;
      depth--;
    } else if (nsp > 0 && sp[nsp - 1].depth == depth && type == sp[nsp - 1].from &&
               !(type == TK_TO && is_unit_token(prev))) {
      /* After a unit, TO belongs to an INTERVAL qualifier: FLOOR(INTERVAL '1' DAY TO HOUR). */
      type = sp[nsp - 1].to;
      sp[nsp - 1].from = 0; /* only the first one */
    }
    if (type != TK_SEMI && p.stmt_loc < 0) p.stmt_loc = t.offset;
    sl_sql_parser(parser, type, t);
    if (type == TK_SEMI) {
      p.stmt_loc = -1;
      depth = nsp = 0;
    } else {
      p.stmt_end = t.offset + (int64_t)t.n;
    }
    prev = type;
    prev_tok = t;
  }
  if (!p.failed) {
    sl_token end = {sql + len, 0, (int64_t)len};
    sl_sql_parser(parser, TK_SEMI, end);
    if (!p.failed) sl_sql_parser(parser, 0, end);
  }
  if (!p.failed && p.set) sl_parse_error(&p, p.set->loc, "the statement set is not closed: END; is missing");
  sl_sql_parserFree(parser, free);
  if (p.failed) return SL_ESYNTAX;
  if (out) *out = p.script;
  return 0;
}
