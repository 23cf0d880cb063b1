/* manifest.c - the checkpoint manifest: C structs, builders, and the protobuf-c encoding with a
 * validating decoder (a manifest read back from a store is untrusted input: never crash on it).
 * The bytes are a ManifestEnvelope (a packed Manifest plus its CRC-32C) so that truncation, which
 * protobuf alone cannot see, is always detected. */
#include "manifest.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../engine/arena.h"
#include "checkpoint.pb-c.h"

/* ------------------------------------------------------------------------------------------ */
/* Builders                                                                                    */

static char *dup_or_null(const char *s) { return s ? sl_strdup(s) : NULL; }

/* Grows an array by one zeroed element; element pointers handed out earlier move. */
static void *grow(void *arr, int *n, size_t elem) {
  char *p = sl_realloc(arr, ((size_t)*n + 1) * elem);
  memset(p + (size_t)*n * elem, 0, elem);
  (*n)++;
  return p;
}

sl_manifest *sl_manifest_new(void) {
  sl_manifest *m = sl_calloc(1, sizeof *m);
  m->version = SL_MANIFEST_VERSION;
  return m;
}

static void op_destroy(sl_manifest_op *op) {
  free(op->kind);
  sl_buf_destroy(&op->data);
  for (int i = 0; i < op->nsplits; i++) {
    free(op->splits[i].split);
    free(op->splits[i].position);
  }
  free(op->splits);
  for (int i = 0; i < op->ncommits; i++) sl_buf_destroy(&op->commits[i]);
  free(op->commits);
}

void sl_manifest_free(sl_manifest *m) {
  if (!m) return;
  free(m->job_id);
  free(m->backend);
  for (int i = 0; i < m->nfiles; i++) {
    free(m->files[i].name);
    free(m->files[i].key);
  }
  free(m->files);
  for (int i = 0; i < m->nops; i++) op_destroy(&m->ops[i]);
  free(m->ops);
  free(m);
}

sl_manifest_file *sl_manifest_add_file(sl_manifest *m, const char *name, const char *key, int64_t size, bool shared) {
  m->files = grow(m->files, &m->nfiles, sizeof *m->files);
  sl_manifest_file *f = &m->files[m->nfiles - 1];
  f->name = dup_or_null(name);
  f->key = dup_or_null(key);
  f->size = size;
  f->shared = shared;
  return f;
}

sl_manifest_op *sl_manifest_add_op(sl_manifest *m, int32_t id, const char *kind) {
  m->ops = grow(m->ops, &m->nops, sizeof *m->ops);
  sl_manifest_op *op = &m->ops[m->nops - 1];
  op->id = id;
  op->kind = dup_or_null(kind);
  return op;
}

void sl_manifest_op_add_split(sl_manifest_op *op, const char *split, int64_t offset, int64_t record, const char *position) {
  op->splits = grow(op->splits, &op->nsplits, sizeof *op->splits);
  sl_manifest_split *s = &op->splits[op->nsplits - 1];
  s->split = dup_or_null(split);
  s->offset = offset;
  s->record = record;
  s->position = position ? dup_or_null(position) : NULL;
}

void sl_manifest_op_add_commit(sl_manifest_op *op, const void *data, size_t len) {
  op->commits = grow(op->commits, &op->ncommits, sizeof *op->commits);
  sl_buf_add(&op->commits[op->ncommits - 1], data, len);
}

sl_manifest_op *sl_manifest_find_op(const sl_manifest *m, int32_t id) {
  for (int i = 0; i < m->nops; i++)
    if (m->ops[i].id == id) return &m->ops[i];
  return NULL;
}

/* ------------------------------------------------------------------------------------------ */
/* Encoding                                                                                    */

/* CRC-32C (Castagnoli), bitwise: manifests are small and written once per checkpoint. */
static uint32_t crc32c(const uint8_t *p, size_t n) {
  uint32_t crc = 0xFFFFFFFFu;
  for (size_t i = 0; i < n; i++) {
    crc ^= p[i];
    for (int k = 0; k < 8; k++) crc = (crc >> 1) ^ (0x82F63B78u & (0u - (crc & 1u)));
  }
  return crc ^ 0xFFFFFFFFu;
}

/* protobuf-c wants non-const char *; it only reads them while packing. */
static char *str_or_empty(const char *s) { return (char *)(s ? s : ""); }

static ProtobufCBinaryData bin_of(const sl_buf *b) {
  return (ProtobufCBinaryData){.len = b->len, .data = (uint8_t *)b->data};
}

void sl_manifest_encode(const sl_manifest *m, sl_buf *out) {
  Sluice__Manifest pm = SLUICE__MANIFEST__INIT;
  pm.version = m->version;
  pm.job_id = str_or_empty(m->job_id);
  pm.checkpoint_id = m->checkpoint_id;
  pm.plan_fingerprint = m->plan_fingerprint;
  pm.timestamp_ms = m->timestamp_ms;
  pm.savepoint = m->savepoint;
  pm.finished = m->finished;
  pm.backend = str_or_empty(m->backend);

  /* The pb structs only borrow m's strings and bytes; they are freed here, not their contents. */
  Sluice__ManifestFile *files = sl_calloc((size_t)m->nfiles + 1, sizeof *files);
  Sluice__ManifestFile **filep = sl_calloc((size_t)m->nfiles + 1, sizeof *filep);
  for (int i = 0; i < m->nfiles; i++) {
    const sl_manifest_file *f = &m->files[i];
    sluice__manifest_file__init(&files[i]);
    files[i].name = str_or_empty(f->name);
    files[i].key = str_or_empty(f->key);
    files[i].size = f->size;
    files[i].shared = f->shared;
    filep[i] = &files[i];
  }
  pm.n_files = (size_t)m->nfiles;
  pm.files = filep;

  Sluice__OperatorState *ops = sl_calloc((size_t)m->nops + 1, sizeof *ops);
  Sluice__OperatorState **opp = sl_calloc((size_t)m->nops + 1, sizeof *opp);
  for (int i = 0; i < m->nops; i++) {
    const sl_manifest_op *op = &m->ops[i];
    Sluice__OperatorState *po = &ops[i];
    sluice__operator_state__init(po);
    po->id = op->id;
    po->kind = str_or_empty(op->kind);
    po->data = bin_of(&op->data);
    po->skipped = op->skipped;
    po->n_splits = (size_t)op->nsplits;
    po->splits = sl_calloc((size_t)op->nsplits + 1, sizeof *po->splits);
    for (int j = 0; j < op->nsplits; j++) {
      Sluice__SplitPosition *ps = sl_malloc(sizeof *ps);
      sluice__split_position__init(ps);
      ps->split = str_or_empty(op->splits[j].split);
      ps->offset = op->splits[j].offset;
      ps->record = op->splits[j].record;
      ps->position = str_or_empty(op->splits[j].position);
      po->splits[j] = ps;
    }
    po->n_commits = (size_t)op->ncommits;
    po->commits = sl_calloc((size_t)op->ncommits + 1, sizeof *po->commits);
    for (int j = 0; j < op->ncommits; j++) po->commits[j] = bin_of(&op->commits[j]);
    opp[i] = po;
  }
  pm.n_ops = (size_t)m->nops;
  pm.ops = opp;

  /* The manifest, then the envelope around it with its checksum (see checkpoint.proto). */
  uint8_t *body = sl_malloc(sluice__manifest__get_packed_size(&pm) + 1);
  size_t body_len = sluice__manifest__pack(&pm, body);
  Sluice__ManifestEnvelope env = SLUICE__MANIFEST_ENVELOPE__INIT;
  env.manifest = (ProtobufCBinaryData){.len = body_len, .data = body};
  env.crc32c = crc32c(body, body_len);
  uint8_t *w = (uint8_t *)sl_buf_reserve(out, sluice__manifest_envelope__get_packed_size(&env));
  out->len += sluice__manifest_envelope__pack(&env, w);
  out->data[out->len] = 0;
  free(body);

  for (int i = 0; i < m->nops; i++) {
    for (size_t j = 0; j < ops[i].n_splits; j++) free(ops[i].splits[j]);
    free(ops[i].splits);
    free(ops[i].commits);
  }
  free(ops);
  free(opp);
  free(files);
  free(filep);
}

/* ------------------------------------------------------------------------------------------ */
/* Decoding and validation                                                                     */

/* A short printable copy of an untrusted string, for messages. */
static const char *printable(const char *s, char *buf, size_t n) {
  size_t i = 0;
  for (; s[i] && i + 4 < n && i < 100; i++) buf[i] = isprint((unsigned char)s[i]) ? s[i] : '?';
  if (s[i]) buf[i++] = '.', buf[i++] = '.', buf[i++] = '.';
  buf[i] = 0;
  return buf;
}

static bool is_hex32(const char *s) {
  size_t n = 0;
  for (; s[n]; n++)
    if (!isxdigit((unsigned char)s[n])) return false;
  return n == 32;
}

/* A relative '/'-separated key: no leading '/', no empty, "." or ".." segment. */
static bool key_ok(const char *k) {
  if (!*k) return false;
  for (const char *seg = k;;) {
    const char *end = strchr(seg, '/');
    size_t len = end ? (size_t)(end - seg) : strlen(seg);
    if (len == 0 || (len == 1 && seg[0] == '.') || (len == 2 && seg[0] == '.' && seg[1] == '.')) return false;
    if (!end) return true;
    seg = end + 1;
  }
}

/* A snapshot file name is one path segment: it becomes local_dir/<name> on download. */
static bool name_ok(const char *n) { return *n && !strchr(n, '/') && strcmp(n, ".") && strcmp(n, ".."); }

/* Fills err with "<where>: invalid checkpoint manifest: <what>" and returns SL_ECHECKPOINT. */
static int invalid(const char *where, sl_err *err, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static int invalid(const char *where, sl_err *err, const char *fmt, ...) {
  char what[256];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(what, sizeof what, fmt, ap);
  va_end(ap);
  return sl_err_set(err, SL_ECHECKPOINT, SL_ERR_NOLOC, "%s: invalid checkpoint manifest: %s", where, what);
}

/* Checks what the rest of the engine relies on; pm is fully parsed, nothing is built yet. */
static int validate(const Sluice__Manifest *pm, const char *where, sl_err *err) {
  if (pm->version == 0)
    return sl_err_set(err, SL_ECHECKPOINT, SL_ERR_NOLOC, "%s: not a sluice checkpoint manifest (no version field)",
                      where);
  if (pm->version != SL_MANIFEST_VERSION)
    return sl_err_set(err, SL_ECHECKPOINT, SL_ERR_NOLOC,
                      "%s: unsupported checkpoint manifest version %u (this build reads version %d)", where,
                      pm->version, SL_MANIFEST_VERSION);
  char buf[128], buf2[128];
  if (!is_hex32(pm->job_id))
    return invalid(where, err, "job_id '%s' is not 32 hex digits", printable(pm->job_id, buf, sizeof buf));
  if (pm->checkpoint_id < 1)
    return invalid(where, err, "checkpoint_id %lld is not >= 1", (long long)pm->checkpoint_id);
  if (pm->n_files > INT32_MAX || pm->n_ops > INT32_MAX) return invalid(where, err, "too many entries");
  for (size_t i = 0; i < pm->n_files; i++) {
    const Sluice__ManifestFile *f = pm->files[i];
    if (!name_ok(f->name)) return invalid(where, err, "bad file name '%s'", printable(f->name, buf, sizeof buf));
    if (!key_ok(f->key))
      return invalid(where, err, "bad object key '%s' of file '%s'", printable(f->key, buf, sizeof buf),
                     printable(f->name, buf2, sizeof buf2));
    if (f->size < 0) return invalid(where, err, "negative size of file '%s'", printable(f->name, buf, sizeof buf));
  }
  for (size_t i = 0; i < pm->n_ops; i++) {
    const Sluice__OperatorState *op = pm->ops[i];
    if (op->n_splits > INT32_MAX || op->n_commits > INT32_MAX) return invalid(where, err, "too many entries");
  }
  return 0;
}

int sl_manifest_decode(const void *data, size_t len, const char *where, sl_manifest **out, sl_err *err) {
  *out = NULL;
  static const uint8_t empty[1];
  Sluice__ManifestEnvelope *env = sluice__manifest_envelope__unpack(NULL, len, data ? data : empty);
  if (!env)
    return sl_err_set(err, SL_ECHECKPOINT, SL_ERR_NOLOC,
                      "%s: not a sluice checkpoint manifest (cannot parse %zu bytes as protobuf)", where, len);
  if (env->manifest.len == 0) {
    sluice__manifest_envelope__free_unpacked(env, NULL);
    return sl_err_set(err, SL_ECHECKPOINT, SL_ERR_NOLOC, "%s: not a sluice checkpoint manifest (no manifest in %zu bytes)",
                      where, len);
  }
  if (crc32c(env->manifest.data, env->manifest.len) != env->crc32c) {
    sluice__manifest_envelope__free_unpacked(env, NULL);
    return sl_err_set(err, SL_ECHECKPOINT, SL_ERR_NOLOC,
                      "%s: not a sluice checkpoint manifest (checksum mismatch: truncated or damaged)", where);
  }
  Sluice__Manifest *pm = sluice__manifest__unpack(NULL, env->manifest.len, env->manifest.data);
  sluice__manifest_envelope__free_unpacked(env, NULL);
  if (!pm)
    return sl_err_set(err, SL_ECHECKPOINT, SL_ERR_NOLOC,
                      "%s: not a sluice checkpoint manifest (cannot parse the manifest message)", where);
  int rc = validate(pm, where, err);
  if (rc) {
    sluice__manifest__free_unpacked(pm, NULL);
    return rc;
  }

  sl_manifest *m = sl_manifest_new();
  m->version = pm->version;
  m->job_id = sl_strdup(pm->job_id);
  m->checkpoint_id = pm->checkpoint_id;
  m->plan_fingerprint = pm->plan_fingerprint;
  m->timestamp_ms = pm->timestamp_ms;
  m->savepoint = pm->savepoint;
  m->finished = pm->finished;
  m->backend = sl_strdup(pm->backend);
  for (size_t i = 0; i < pm->n_files; i++) {
    const Sluice__ManifestFile *f = pm->files[i];
    sl_manifest_add_file(m, f->name, f->key, f->size, f->shared);
  }
  for (size_t i = 0; i < pm->n_ops; i++) {
    const Sluice__OperatorState *po = pm->ops[i];
    sl_manifest_op *op = sl_manifest_add_op(m, po->id, po->kind);
    sl_buf_add(&op->data, po->data.data, po->data.len);
    op->skipped = po->skipped;
    for (size_t j = 0; j < po->n_splits; j++)
      sl_manifest_op_add_split(op, po->splits[j]->split, po->splits[j]->offset, po->splits[j]->record,
                               po->splits[j]->position[0] ? po->splits[j]->position : NULL);
    for (size_t j = 0; j < po->n_commits; j++) sl_manifest_op_add_commit(op, po->commits[j].data, po->commits[j].len);
  }
  sluice__manifest__free_unpacked(pm, NULL);
  *out = m;
  return 0;
}
