/* fs_sink.c - the 'filesystem' sink: rows encoded by the table's format into part files under a
 * local folder or an S3 prefix, in Hive-style partition folders (PARTITIONED BY), rolled by size
 * and time, optionally compressed, published exactly once when checkpointing is on, and
 * partitions committed with success files, as Flink's filesystem SQL connector does.
 *
 * A bucket is one partition folder ("dt=2024-03-01/hr=08", or "" without PARTITIONED BY); it has
 * at most one open part file. Partition columns are not written into the files (Flink drops them:
 * their values are in the folder names). A part file is complete once closed: compressed files
 * are one whole gzip member or zstd frame each.
 *
 * Where part files go:
 *   local folder  written under a hidden name (".part-<uuid>-0-<n>.inprogress") in the partition
 *                 folder, renamed to "part-<uuid>-0-<n>[.gz|.zst]" when published.
 *   s3://         written into a local staging folder and uploaded as a multipart upload while it
 *                 grows (every 8 MiB), the tail when it is closed; the object appears only when
 *                 the upload is completed. With checkpointing each started upload is recorded in a
 *                 marker object "_sluice_uploads/<upload id>" under the table's prefix (names
 *                 starting with '_' are ignored by Hive, Athena and Spark) until it is completed,
 *                 so that recover() can abort what a crashed attempt left behind without
 *                 ListMultipartUploads.
 *
 * Without checkpointing a part is published when it is rolled (size, rollover or inactivity
 * interval) and at the end of input. With checkpointing (two-phase) a closed part only becomes
 * pending: prepare_commit() at a barrier closes the open parts (a part rolls at every checkpoint)
 * and hands the pending ones out as commit data, commit() publishes them once the checkpoint is
 * complete, and recover() deletes in-progress files / aborts uploads no completed checkpoint
 * refers to (as does the first write or barrier of a run that restored nothing).
 *
 * Partition commit ('sink.partition-commit.policy.kind' = 'success-file') writes an empty
 * "_SUCCESS" into a partition folder after the partition's files are published: with
 * checkpointing at the checkpoint completion where the trigger allows it ('process-time': the
 * partition was first seen 'sink.partition-commit.delay' ago; 'partition-time': the watermark
 * the checkpoint saw is at or past the partition's time plus the delay), without checkpointing
 * when the watermark passes (partition-time) and at the end of input. At the end of input every
 * partition is committed, and a table without partitions gets one "_SUCCESS" at its root.
 *
 * Commit data is a sequence of self-delimiting entries (so the data of several prepares may be
 * concatenated); strings and decimal numbers end in NUL:
 *
 *     'P' <in-progress path> <final path>                  a local part file
 *     'U' <key> <upload id> <size> <n> <etag 1> .. <etag n> an S3 part file's multipart upload
 *     'W' <checkpoint id> <watermark>                      the prepare the next 'C' entries belong to
 *     'C' <partition path> <first seen (us)> <partition time (us)>   a partition to commit
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <uv.h>
#include <zlib.h>
#include <zstd.h>

#include "../engine/datetime.h"
#include "../engine/op.h"
#include "../engine/sysutil.h"
#include "../engine/value_text.h"
#include "../state/objstore.h"
#include "conn.h"
#include "fmt.h"
#include "metadata.h"

#define UPLOAD_PART_SIZE ((int64_t)8 << 20) /* S3: upload a growing part file in pieces of this size */
#define MARKER_DIR "_sluice_uploads/"
#define NO_TIME INT64_MIN                   /* a partition without a partition time */

typedef enum { CODEC_NONE, CODEC_GZIP, CODEC_ZSTD } fs_codec;
typedef enum { TRIGGER_PROCESS_TIME, TRIGGER_PARTITION_TIME } fs_trigger;

typedef struct fs_bucket fs_bucket;

/* A part file: open (fd >= 0) while rows go in, then closed and pending until published. */
typedef struct fs_part {
  fs_bucket *bucket;
  char *path;          /* the local file: in-progress file (local folder) or staged file (S3) */
  char *final;         /* local folder: the published path; S3: the object key */
  int fd;              /* -1 once closed */
  int64_t bytes;       /* bytes in the file (compressed) */
  int64_t opened_us, written_us;
  z_stream *gz;
  ZSTD_CCtx *zs;
  char *upload_id;     /* S3: NULL until the upload is started */
  char **etags;        /* S3: of the parts uploaded so far */
  int nparts, capparts;
  int64_t uploaded;    /* S3: bytes of the file uploaded as parts */
} fs_part;

/* One partition folder. */
struct fs_bucket {
  char *rel;           /* "" or "k1=v1/k2=v2" (escaped) */
  int64_t created_us;  /* wall clock when first seen ('process-time' trigger) */
  int64_t ptime_us;    /* the partition's time ('partition-time' trigger), else NO_TIME */
  fs_part *open;
  int npending;        /* its closed parts not yet handed to a checkpoint */
  bool dirty;          /* without checkpointing: rows written since its last partition commit */
  bool waiting;        /* with checkpointing: files handed to a checkpoint, partition not committed */
  int64_t last_ckpt;   /* the last checkpoint holding files of it */
  bool touched;        /* has rows in s->rows for the batch being written */
  sl_buf rows;         /* the encoded rows of the batch being written */
  fs_bucket *next;     /* hash chain */
};

typedef struct fs_sink {
  sl_sink base;
  const char *table;
  FILE *log;
  bool two_phase;       /* publish only through prepare_commit + commit */
  char *uri;            /* 'path' as given, for messages */
  char *dir;            /* local folder (no trailing '/'), or NULL for S3 */
  sl_objstore *store;   /* s3:// tables: rooted at the table's prefix */
  char *staging;        /* S3: local folder part files are written into before upload */
  char uuid[40];
  int part;             /* counter of part files */
  /* options */
  int64_t roll_size, rollover_us, inactivity_us, check_us;
  fs_codec codec;
  const char *ext;      /* "", ".gz", ".zst" */
  int npart;            /* partition columns */
  int *part_cols;
  const char **part_names;
  sl_type *part_types;
  int ndata;            /* the columns written into files */
  int *data_cols;
  const char **data_names;
  sl_type *data_types;
  char *default_name;   /* 'partition.default-name' */
  bool success_file;    /* 'sink.partition-commit.policy.kind' has success-file */
  char *success_name;
  fs_trigger trigger;
  int64_t delay_us;
  char *pattern;        /* 'partition.time-extractor.timestamp-pattern', or NULL */
  char *formatter;      /* 'partition.time-extractor.timestamp-formatter', or NULL */
  /* running state */
  int64_t wm;           /* the sink's input watermark */
  bool restoring;       /* commits so far come from a restored checkpoint (may be done already) */
  bool recovered;       /* leftovers of earlier attempts were cleaned up (recover() or fresh_start()) */
  sl_fmt_enc *enc;
  sl_col *view_cols;    /* the data columns of the batch being written */
  sl_buf buf, val, raw, tmp;
  size_t *raw_off;      /* where each partition value starts in raw */
  fs_bucket **hash;
  int hcap, nbuckets;
  fs_bucket **touched;
  int ntouched, captouched;
  fs_part **pending;    /* closed parts not yet handed to a checkpoint, oldest first */
  int npending, cappending;
  char **done_ids;      /* S3: uploads completed by this instance (recover() skips their markers) */
  int ndone, capdone;
  unsigned char *zbuf;  /* compressor output */
  bool abort_unsupported_told;
  uv_timer_t timer;
  bool timer_on;
  bool failed;          /* a timed roll failed: the next call reports deferred */
  sl_err deferred;
} fs_sink;

#define ZBUF_SIZE 65536

/* ------------------------------------------------------------------ small helpers */

static int64_t now_us(void) {
  struct timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

/* A version-4 UUID, as Flink names part files. */
static void make_uuid(char *out) {
  unsigned char r[16];
  sl_random_bytes(r, sizeof r);
  r[6] = (unsigned char)((r[6] & 0x0f) | 0x40);
  r[8] = (unsigned char)((r[8] & 0x3f) | 0x80);
  static const char hex[] = "0123456789abcdef";
  int k = 0;
  for (int i = 0; i < 16; i++) {
    if (i == 4 || i == 6 || i == 8 || i == 10) out[k++] = '-';
    out[k++] = hex[r[i] >> 4];
    out[k++] = hex[r[i] & 15];
  }
  out[k] = 0;
}

/* Makes the folder's entries (new and renamed files) durable. */
static int sync_dir(const char *dir, sl_err *err) {
  int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return sl_err_set(err, SL_EIO, SL_ERR_NOLOC, "cannot open folder '%s': %s", dir, strerror(errno));
  int rc = 0;
  if (fsync(fd) != 0) rc = sl_err_set(err, SL_EIO, SL_ERR_NOLOC, "cannot sync folder '%s': %s", dir, strerror(errno));
  close(fd);
  return rc;
}

/* The folder of path, malloc'd: "." for a bare name, "/" for a file at the root. */
static char *dir_of(const char *path) {
  const char *slash = strrchr(path, '/');
  if (!slash) return sl_strdup(".");
  size_t n = slash == path ? 1 : (size_t)(slash - path);
  char *d = sl_malloc(n + 1);
  memcpy(d, path, n);
  d[n] = 0;
  return d;
}

/* a + "/" + b, or a copy of a when b is empty; malloc'd. */
static char *join(const char *a, const char *b) {
  size_t n = strlen(a) + strlen(b) + 2;
  char *p = sl_malloc(n);
  if (b[0]) snprintf(p, n, "%s/%s", a, b);
  else snprintf(p, n, "%s", a);
  return p;
}

/* "rel/name", or name alone for the table's root (rel ""); malloc'd. */
static char *rel_join(const char *rel, const char *name) { return rel[0] ? join(rel, name) : sl_strdup(name); }

/* A notice on the job's log (retries, clean-up that could not be done). */
static void note(fs_sink *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void note(fs_sink *s, const char *fmt, ...) {
  if (!s->log) return;
  va_list ap;
  va_start(ap, fmt);
  fprintf(s->log, "filesystem sink '%s': ", s->table);
  vfprintf(s->log, fmt, ap);
  va_end(ap);
  fputc('\n', s->log);
  fflush(s->log);
}

/* ------------------------------------------------------------------ partition folders */

/* Appends v escaped as Flink and Hive escape path names: control characters and
 * " # % ' * / : = ? \ DEL { [ ] ^ become %XX (upper-case hex); other bytes stay. */
static void escape_path_name(sl_buf *out, const char *v, size_t n) {
  static const char hex[] = "0123456789ABCDEF";
  for (size_t i = 0; i < n; i++) {
    unsigned char c = (unsigned char)v[i];
    if (c < 0x20 || c == 0x7f || strchr("\"#%'*/:=?\\{[]^", c) != NULL) {
      char e[3] = {'%', hex[c >> 4], hex[c & 15]};
      sl_buf_add(out, e, 3);
    } else {
      sl_buf_addc(out, (char)c);
    }
  }
}

/* The partition path of row `row` of b into s->val ("k1=v1/k2=v2"), and the raw (unescaped)
 * values into s->raw at s->raw_off[i], NUL-terminated. A NULL or empty value is the default
 * partition name. */
static void partition_of(fs_sink *s, const sl_batch *b, uint32_t row) {
  sl_buf_reset(&s->val);
  sl_buf_reset(&s->raw);
  for (int i = 0; i < s->npart; i++) {
    int c = s->part_cols[i];
    sl_value v;
    sl_col_get(&b->cols[c], row, &v);
    size_t start = s->raw.len;
    s->raw_off[i] = start;
    if (!v.is_null) sl_value_render(b->cols[c].type, &v, &s->raw);
    if (s->raw.len == start) sl_buf_adds(&s->raw, s->default_name);
    size_t len = s->raw.len - start;
    sl_buf_addc(&s->raw, 0);
    if (i) sl_buf_addc(&s->val, '/');
    escape_path_name(&s->val, s->part_names[i], strlen(s->part_names[i]));
    sl_buf_addc(&s->val, '=');
    escape_path_name(&s->val, s->raw.data + start, len);
  }
  if (!s->val.data) sl_buf_adds(&s->val, "");
}

/* The partition's time from its values, the way Flink's default time extractor finds it: the
 * pattern with each "$name" replaced by that partition value (no pattern: the first value),
 * parsed with the formatter, or as "yyyy-MM-dd[ HH:mm:ss[.S]]" without one. */
static int partition_time(fs_sink *s, const char *rel, int64_t *out, sl_err *err) {
  sl_buf_reset(&s->tmp);
  if (!s->pattern) {
    sl_buf_adds(&s->tmp, s->raw.data + s->raw_off[0]);
  } else {
    for (const char *p = s->pattern; *p;) {
      int best = -1;
      size_t best_len = 0;
      if (*p == '$')
        for (int i = 0; i < s->npart; i++) { /* the longest name wins: "$dt" is not "$d" + "t" */
          size_t n = strlen(s->part_names[i]);
          if (n > best_len && strncmp(p + 1, s->part_names[i], n) == 0) best = i, best_len = n;
        }
      if (best < 0) {
        sl_buf_addc(&s->tmp, *p++);
      } else {
        sl_buf_adds(&s->tmp, s->raw.data + s->raw_off[best]);
        p += 1 + best_len;
      }
    }
  }
  if (!s->tmp.data) sl_buf_adds(&s->tmp, "");
  int rc = s->formatter ? sl_ts_parse_pattern(s->tmp.data, s->tmp.len, s->formatter, strlen(s->formatter), out)
                        : sl_ts_parse(s->tmp.data, s->tmp.len, false, out);
  if (rc == 0) return 0;
  return sl_err_set(err, SL_EFORMAT, SL_ERR_NOLOC,
                    "table '%s': cannot tell the time of partition '%s' for 'sink.partition-commit.trigger' = "
                    "'partition-time': '%s' is not a timestamp%s%s%s",
                    s->table, rel, s->tmp.data, s->formatter ? " of the form '" : " (yyyy-MM-dd[ HH:mm:ss])",
                    s->formatter ? s->formatter : "", s->formatter ? "'" : "");
}

static uint64_t hash_str(const char *p) {
  uint64_t h = 14695981039346656037ULL;
  for (; *p; p++) h = (h ^ (unsigned char)*p) * 1099511628211ULL;
  return h;
}

static fs_bucket *bucket_find(fs_sink *s, const char *rel) {
  for (fs_bucket *b = s->hash[hash_str(rel) & (uint64_t)(s->hcap - 1)]; b; b = b->next)
    if (!strcmp(b->rel, rel)) return b;
  return NULL;
}

/* A new bucket for rel (not there yet); the sink owns it. */
static fs_bucket *bucket_add(fs_sink *s, const char *rel, int64_t created_us, int64_t ptime_us) {
  if (s->nbuckets >= s->hcap) { /* keep chains short: double and rehash */
    int ncap = s->hcap * 2;
    fs_bucket **nh = sl_calloc((size_t)ncap, sizeof *nh);
    for (int i = 0; i < s->hcap; i++)
      for (fs_bucket *b = s->hash[i], *next; b; b = next) {
        next = b->next;
        uint64_t h = hash_str(b->rel) & (uint64_t)(ncap - 1);
        b->next = nh[h];
        nh[h] = b;
      }
    free(s->hash);
    s->hash = nh;
    s->hcap = ncap;
  }
  fs_bucket *b = sl_calloc(1, sizeof *b);
  b->rel = sl_strdup(rel);
  b->created_us = created_us;
  b->ptime_us = ptime_us;
  sl_buf_init(&b->rows);
  uint64_t h = hash_str(rel) & (uint64_t)(s->hcap - 1);
  b->next = s->hash[h];
  s->hash[h] = b;
  s->nbuckets++;
  return b;
}

/* Whether partitions are committed (success files) one by one. */
static bool commits_partitions(const fs_sink *s) { return s->success_file && s->npart > 0; }

/* The bucket of the partition in s->val (partition_of), created when new. */
static int bucket_get(fs_sink *s, fs_bucket **out, sl_err *err) {
  fs_bucket *b = bucket_find(s, s->val.data);
  if (!b) {
    int64_t ptime = NO_TIME;
    if (commits_partitions(s) && s->trigger == TRIGGER_PARTITION_TIME) {
      int rc = partition_time(s, s->val.data, &ptime, err);
      if (rc) return rc;
    }
    b = bucket_add(s, s->val.data, now_us(), ptime);
  }
  *out = b;
  return 0;
}

/* Forgets buckets with nothing open, pending or uncommitted. */
static void buckets_sweep(fs_sink *s) {
  for (int i = 0; i < s->hcap; i++)
    for (fs_bucket **pp = &s->hash[i]; *pp;) {
      fs_bucket *b = *pp;
      if (b->open || b->npending || b->dirty || b->waiting || b->touched) {
        pp = &b->next;
        continue;
      }
      *pp = b->next;
      free(b->rel);
      sl_buf_destroy(&b->rows);
      free(b);
      s->nbuckets--;
    }
}

/* ------------------------------------------------------------------ part files: writing */

static int write_all(int fd, const char *path, const void *data, size_t n, sl_err *err) {
  const char *p = data;
  while (n) {
    ssize_t w = write(fd, p, n);
    if (w < 0 && errno == EINTR) continue;
    if (w < 0) return sl_err_set(err, SL_EIO, SL_ERR_NOLOC, "cannot write '%s': %s", path, strerror(errno));
    p += w;
    n -= (size_t)w;
  }
  return 0;
}

static void part_free(fs_part *p) {
  if (!p) return;
  if (p->gz) {
    deflateEnd(p->gz);
    free(p->gz);
  }
  if (p->zs) ZSTD_freeCCtx(p->zs);
  for (int i = 0; i < p->nparts; i++) free(p->etags[i]);
  free(p->etags);
  free(p->upload_id);
  free(p->path);
  free(p->final);
  free(p);
}

/* Opens a new part file for bucket b (which then holds it as b->open). */
static int part_open(fs_sink *s, fs_bucket *b, sl_err *err) {
  fs_part *p = sl_calloc(1, sizeof *p);
  p->bucket = b;
  p->fd = -1;
  char name[96];
  snprintf(name, sizeof name, "part-%s-0-%d%s", s->uuid, s->part, s->ext);
  if (s->dir) {
    char *folder = join(s->dir, b->rel);
    struct stat st;
    if (b->rel[0] && stat(folder, &st) != 0) {
      int rc = 0;
      if (sl_mkdirs(folder) != 0)
        rc = sl_err_set(err, SL_EIO, SL_ERR_NOLOC, "cannot create folder '%s': %s", folder, strerror(errno));
      /* New partition folders must survive a crash as well: sync each parent up to the root. */
      for (char *slash = strrchr(folder, '/'); !rc && slash && (size_t)(slash - folder) >= strlen(s->dir);
           slash = strrchr(folder, '/')) {
        *slash = 0;
        rc = sync_dir(folder, err);
      }
      if (rc) {
        free(folder);
        part_free(p);
        return rc;
      }
      free(folder);
      folder = join(s->dir, b->rel);
    }
    size_t n = strlen(folder) + strlen(name) + 16;
    p->path = sl_malloc(n);
    snprintf(p->path, n, "%s/.%s.inprogress", folder, name);
    p->final = join(folder, name);
    free(folder);
  } else {
    size_t n = strlen(s->staging) + 24;
    p->path = sl_malloc(n);
    snprintf(p->path, n, "%s/%d", s->staging, s->part);
    p->final = rel_join(b->rel, name);
  }
  s->part++;
  p->fd = open(p->path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
  if (p->fd < 0) {
    int rc = sl_err_set(err, SL_EIO, SL_ERR_NOLOC, "cannot create '%s': %s", p->path, strerror(errno));
    part_free(p);
    return rc;
  }
  if (s->codec == CODEC_GZIP) {
    p->gz = sl_calloc(1, sizeof *p->gz);
    if (deflateInit2(p->gz, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK) {
      free(p->gz);
      p->gz = NULL;
    }
  } else if (s->codec == CODEC_ZSTD) {
    p->zs = ZSTD_createCCtx();
    if (p->zs && (ZSTD_isError(ZSTD_CCtx_setParameter(p->zs, ZSTD_c_compressionLevel, 3)) ||
                  ZSTD_isError(ZSTD_CCtx_setParameter(p->zs, ZSTD_c_checksumFlag, 1)))) {
      ZSTD_freeCCtx(p->zs);
      p->zs = NULL;
    }
  }
  if (s->codec != CODEC_NONE && !p->gz && !p->zs) {
    close(p->fd);
    unlink(p->path);
    int rc = sl_err_set(err, SL_EIO, SL_ERR_NOLOC, "cannot start %s compression for '%s'",
                        s->codec == CODEC_GZIP ? "gzip" : "zstd", p->path);
    part_free(p);
    return rc;
  }
  p->opened_us = p->written_us = now_us();
  b->open = p;
  return 0;
}

/* The marker of an upload: "_sluice_uploads/<upload id>", the id escaped to a safe key name. */
static void marker_key(sl_buf *out, const char *upload_id) {
  static const char hex[] = "0123456789ABCDEF";
  sl_buf_reset(out);
  sl_buf_adds(out, MARKER_DIR);
  for (const unsigned char *c = (const unsigned char *)upload_id; *c; c++) {
    if ((*c >= 'A' && *c <= 'Z') || (*c >= 'a' && *c <= 'z') || (*c >= '0' && *c <= '9') || *c == '-' || *c == '_') {
      sl_buf_addc(out, (char)*c);
    } else {
      char e[3] = {'%', hex[*c >> 4], hex[*c & 15]};
      sl_buf_add(out, e, 3);
    }
  }
}

/* Uploads the next len bytes of the part file as its next part, starting the multipart upload
 * (and, with checkpointing, writing its marker first thing after) when this is the first. */
static int upload_piece(fs_sink *s, fs_part *p, int64_t len, sl_err *err) {
  int rc;
  if (!p->upload_id) {
    if ((rc = sl_objstore_multipart_begin(s->store, p->final, &p->upload_id, err))) return rc;
    if (s->two_phase) {
      sl_buf mk, body;
      sl_buf_init(&mk);
      sl_buf_init(&body);
      marker_key(&mk, p->upload_id);
      sl_buf_printf(&body, "%s\n%s\n", p->final, p->upload_id);
      rc = sl_objstore_put(s->store, mk.data, body.data, body.len, err);
      sl_buf_destroy(&mk);
      sl_buf_destroy(&body);
      if (rc) return rc;
    }
  }
  if (p->nparts == p->capparts) {
    p->capparts = p->capparts ? p->capparts * 2 : 4;
    p->etags = sl_realloc(p->etags, sizeof(char *) * (size_t)p->capparts);
  }
  char *etag = NULL;
  rc = sl_objstore_multipart_part(s->store, p->final, p->upload_id, p->nparts + 1, p->path, p->uploaded, len, &etag,
                                  err);
  if (rc) return rc;
  p->etags[p->nparts++] = etag;
  p->uploaded += len;
  return 0;
}

/* Writes n bytes of file content (compressed output or plain rows) to the part. */
static int part_put(fs_sink *s, fs_part *p, const void *data, size_t n, sl_err *err) {
  int rc = write_all(p->fd, p->path, data, n, err);
  if (rc) return rc;
  p->bytes += (int64_t)n;
  while (s->store && p->bytes - p->uploaded >= UPLOAD_PART_SIZE)
    if ((rc = upload_piece(s, p, UPLOAD_PART_SIZE, err))) return rc;
  return 0;
}

/* Feeds rows (plain text) through the part's compressor; finish ends the stream. */
static int part_write(fs_sink *s, fs_part *p, const char *data, size_t n, bool finish, sl_err *err) {
  int rc = 0;
  if (p->gz) {
    p->gz->next_in = (Bytef *)data;
    p->gz->avail_in = (uInt)n;
    int zr;
    do {
      p->gz->next_out = s->zbuf;
      p->gz->avail_out = ZBUF_SIZE;
      zr = deflate(p->gz, finish ? Z_FINISH : Z_NO_FLUSH);
      if (zr == Z_STREAM_ERROR) return sl_err_set(err, SL_EIO, SL_ERR_NOLOC, "cannot gzip '%s'", p->path);
      size_t out = ZBUF_SIZE - p->gz->avail_out;
      if (out && (rc = part_put(s, p, s->zbuf, out, err))) return rc;
    } while (p->gz->avail_in > 0 || p->gz->avail_out == 0 || (finish && zr != Z_STREAM_END));
  } else if (p->zs) {
    ZSTD_inBuffer in = {data, n, 0};
    size_t left;
    do {
      ZSTD_outBuffer out = {s->zbuf, ZBUF_SIZE, 0};
      left = ZSTD_compressStream2(p->zs, &out, &in, finish ? ZSTD_e_end : ZSTD_e_continue);
      if (ZSTD_isError(left))
        return sl_err_set(err, SL_EIO, SL_ERR_NOLOC, "cannot zstd-compress '%s': %s", p->path, ZSTD_getErrorName(left));
      if (out.pos && (rc = part_put(s, p, s->zbuf, out.pos, err))) return rc;
    } while (in.pos < in.size || (finish && left != 0));
  } else if (n) {
    rc = part_put(s, p, data, n, err);
  }
  if (!finish) p->written_us = now_us();
  return rc;
}

/* ------------------------------------------------------------------ publishing */

static int publish_local(const char *tmp, const char *final, sl_err *err) {
  if (rename(tmp, final) != 0)
    return sl_err_set(err, SL_EIO, SL_ERR_NOLOC, "cannot publish '%s': %s", final, strerror(errno));
  char *dir = dir_of(final);
  int rc = sync_dir(dir, err);
  free(dir);
  return rc;
}

/* Deletes an upload's marker; a failure only leaves work for recover(), so it is told, not fatal. */
static void marker_delete(fs_sink *s, const char *upload_id) {
  sl_buf mk;
  sl_buf_init(&mk);
  marker_key(&mk, upload_id);
  sl_err e;
  sl_err_clear(&e);
  if (sl_objstore_delete(s->store, mk.data, &e)) note(s, "cannot delete an upload marker (recover() will): %s", e.msg);
  sl_buf_destroy(&mk);
}

/* Completes an S3 part's upload. Idempotent: an object already there with the expected size was
 * completed before (by an earlier attempt of this commit, or before a restore). A restored commit
 * looks first, since completing a completed upload fails slowly on some S3 stand-ins. */
static int publish_s3(fs_sink *s, const char *key, const char *upload_id, int64_t size, int nparts,
                      const char *const *etags, sl_err *err) {
  int64_t have = -1;
  sl_err e;
  sl_err_clear(&e);
  int rc = 0;
  if (s->restoring) {
    rc = sl_objstore_size(s->store, key, &have, &e);
    if (rc && rc != SL_ENOTFOUND) {
      *err = e;
      return rc;
    }
  }
  if (have != size) {
    sl_err_clear(&e);
    rc = sl_objstore_multipart_complete(s->store, key, upload_id, nparts, etags, &e);
    if (rc) {
      sl_err e2;
      sl_err_clear(&e2);
      int rc2 = sl_objstore_size(s->store, key, &have, &e2);
      if (rc2 == 0 && have == size) {
        rc = 0;
      } else if (rc2 == 0 || rc2 == SL_ENOTFOUND) {
        char have_s[32] = "no object";
        if (rc2 == 0) snprintf(have_s, sizeof have_s, "an object of %lld bytes", (long long)have);
        return sl_err_set(err, SL_ECHECKPOINT, SL_ERR_NOLOC,
                          "cannot commit part file '%s/%s' (%lld bytes): %s; there is %s, so its output is lost",
                          s->uri, key, (long long)size, e.msg, have_s);
      } else {
        *err = e2;
        return rc2;
      }
    }
  }
  if (s->restoring) { /* for recover(), should the marker survive */
    if (s->ndone == s->capdone) {
      s->capdone = s->capdone ? s->capdone * 2 : 16;
      s->done_ids = sl_realloc(s->done_ids, sizeof(char *) * (size_t)s->capdone);
    }
    s->done_ids[s->ndone++] = sl_strdup(upload_id);
  }
  if (s->two_phase) marker_delete(s, upload_id);
  return 0;
}

/* Drops a part nothing will publish: its local file, and its upload (best effort). */
static void part_discard(fs_sink *s, fs_part *p) {
  if (p->fd >= 0) close(p->fd);
  unlink(p->path);
  if (p->upload_id) {
    sl_err e;
    sl_err_clear(&e);
    sl_objstore_multipart_abort(s->store, p->final, p->upload_id, &e);
    if (s->two_phase) marker_delete(s, p->upload_id);
  }
  part_free(p);
}

/* Closes the part: ends its compressed stream, makes it durable (local folder) or uploads its
 * tail (S3). Without checkpointing it is then published; with checkpointing it becomes pending
 * (s->pending owns it). Either way it is no longer its bucket's open part. */
static int part_close(fs_sink *s, fs_part *p, sl_err *err) {
  fs_bucket *b = p->bucket;
  b->open = NULL;
  int rc = 0;
  if (s->codec != CODEC_NONE) rc = part_write(s, p, "", 0, true, err);
  if (!rc && s->dir && fsync(p->fd) != 0)
    rc = sl_err_set(err, SL_EIO, SL_ERR_NOLOC, "cannot sync '%s': %s", p->path, strerror(errno));
  close(p->fd);
  p->fd = -1;
  if (!rc && s->store && (p->bytes > p->uploaded || p->nparts == 0)) rc = upload_piece(s, p, p->bytes - p->uploaded, err);
  if (!rc && s->store) unlink(p->path); /* every byte is in the upload now */
  if (rc) {
    part_discard(s, p); /* nothing can publish it: drop it as a failed job would */
    return rc;
  }
  if (s->two_phase) {
    if (s->npending == s->cappending) {
      s->cappending = s->cappending ? s->cappending * 2 : 8;
      s->pending = sl_realloc(s->pending, sizeof(fs_part *) * (size_t)s->cappending);
    }
    s->pending[s->npending++] = p;
    b->npending++;
    return 0;
  }
  rc = s->dir ? publish_local(p->path, p->final, err)
              : publish_s3(s, p->final, p->upload_id, p->bytes, p->nparts, (const char *const *)p->etags, err);
  part_free(p);
  return rc;
}

/* Writes the empty success file into the partition folder rel ("" = the table's root). */
static int write_success(fs_sink *s, const char *rel, sl_err *err) {
  char *name = rel_join(rel, s->success_name);
  int rc = 0;
  if (s->store) {
    rc = sl_objstore_put(s->store, name, "", 0, err);
  } else {
    char *path = join(s->dir, name);
    char *dir = dir_of(path);
    int fd = -1;
    if (sl_mkdirs(dir) != 0 || (fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666)) < 0)
      rc = sl_err_set(err, SL_EIO, SL_ERR_NOLOC, "cannot create success file '%s': %s", path, strerror(errno));
    if (fd >= 0) {
      if (fsync(fd) != 0) rc = sl_err_set(err, SL_EIO, SL_ERR_NOLOC, "cannot sync '%s': %s", path, strerror(errno));
      close(fd);
    }
    if (!rc) rc = sync_dir(dir, err);
    free(dir);
    free(path);
  }
  free(name);
  return rc;
}

/* ------------------------------------------------------------------ writing rows */

static int fresh_start(fs_sink *s, sl_err *err);

static int take_deferred(fs_sink *s, sl_err *err) {
  *err = s->deferred;
  return err->code ? err->code : SL_EIO;
}

static int fs_write(sl_sink *sink, const sl_batch *b, sl_err *err) {
  fs_sink *s = (fs_sink *)sink;
  if (s->failed) return take_deferred(s, err);
  int n = sl_batch_live(b), rc = fresh_start(s, err);
  if (rc || n == 0) return rc;
  /* The rows as the encoder sees them: the data columns only. */
  sl_batch view = *b;
  if (s->npart) {
    for (int i = 0; i < s->ndata; i++) s->view_cols[i] = b->cols[s->data_cols[i]];
    view.ncols = s->ndata;
    view.cols = s->view_cols;
  }
  fs_bucket *last = NULL;
  for (int i = 0; i < n && !rc; i++) {
    uint32_t row = sl_batch_row(b, i);
    fs_bucket *bk = last;
    if (s->npart || !bk) {
      partition_of(s, b, row);
      if (!bk || strcmp(bk->rel, s->val.data) != 0) rc = bucket_get(s, &bk, err);
      if (rc) break;
      last = bk;
    }
    if (!bk->touched) {
      bk->touched = true;
      sl_buf_reset(&bk->rows);
      if (s->ntouched == s->captouched) {
        s->captouched = s->captouched ? s->captouched * 2 : 16;
        s->touched = sl_realloc(s->touched, sizeof(fs_bucket *) * (size_t)s->captouched);
      }
      s->touched[s->ntouched++] = bk;
    }
    sl_fmt_enc_row(s->enc, &view, row, &bk->rows);
  }
  for (int i = 0; i < s->ntouched; i++) {
    fs_bucket *bk = s->touched[i];
    bk->touched = false;
    if (rc) continue;
    bk->dirty = true;
    if (!bk->open) rc = part_open(s, bk, err);
    if (!rc) rc = part_write(s, bk->open, bk->rows.data, bk->rows.len, false, err);
    if (!rc && bk->open->bytes >= s->roll_size) rc = part_close(s, bk->open, err);
    if (bk->rows.cap > 65536) { /* many partitions must not each keep a batch's worth */
      sl_buf_destroy(&bk->rows);
      sl_buf_init(&bk->rows);
    }
  }
  s->ntouched = 0;
  return rc;
}

/* Calls fn for every bucket (fn may close parts but not free buckets). */
static int each_bucket(fs_sink *s, int (*fn)(fs_sink *, fs_bucket *, void *, sl_err *), void *arg, sl_err *err) {
  for (int i = 0; i < s->hcap; i++)
    for (fs_bucket *b = s->hash[i]; b; b = b->next) {
      int rc = fn(s, b, arg, err);
      if (rc) return rc;
    }
  return 0;
}

static int close_open(fs_sink *s, fs_bucket *b, void *arg, sl_err *err) {
  (void)arg;
  return b->open ? part_close(s, b->open, err) : 0;
}

/* Without checkpointing: publishes the open part and commits the partition when allowed
 * (arg: the watermark, or NULL at the end of input, which commits all). */
static int commit_one_phase(fs_sink *s, fs_bucket *b, void *arg, sl_err *err) {
  if (!b->dirty) return 0;
  const int64_t *wm = arg;
  if (wm && (b->ptime_us == NO_TIME || b->ptime_us + s->delay_us > *wm)) return 0;
  int rc = b->open ? part_close(s, b->open, err) : 0;
  if (!rc) rc = write_success(s, b->rel, err);
  if (!rc) b->dirty = false;
  return rc;
}

/* End of input without checkpointing: publish every part, then commit partitions. */
static int fs_finish(sl_sink *sink, sl_err *err) {
  fs_sink *s = (fs_sink *)sink;
  if (s->failed) return take_deferred(s, err);
  int rc = each_bucket(s, close_open, NULL, err);
  if (!rc && commits_partitions(s)) rc = each_bucket(s, commit_one_phase, NULL, err);
  if (!rc && s->success_file && s->npart == 0) rc = write_success(s, "", err);
  buckets_sweep(s);
  return rc;
}

/* The input watermark advanced: remembered for prepare_commit; without checkpointing the
 * partitions it passes are committed at once ('partition-time'). */
static int fs_watermark(sl_sink *sink, int64_t wm, sl_err *err) {
  fs_sink *s = (fs_sink *)sink;
  if (s->failed) return take_deferred(s, err);
  if (wm > s->wm) s->wm = wm;
  if (s->two_phase || !commits_partitions(s) || s->trigger != TRIGGER_PARTITION_TIME || wm == SL_WATERMARK_MAX) return 0;
  int rc = each_bucket(s, commit_one_phase, &s->wm, err);
  buckets_sweep(s);
  return rc;
}

/* ------------------------------------------------------------------ rolling on time */

static int roll_if_old(fs_sink *s, fs_bucket *b, void *arg, sl_err *err) {
  int64_t now = *(const int64_t *)arg;
  fs_part *p = b->open;
  if (!p || (now - p->opened_us < s->rollover_us && now - p->written_us < s->inactivity_us)) return 0;
  return part_close(s, p, err);
}

static void on_check(uv_timer_t *t) {
  fs_sink *s = t->data;
  if (s->failed) return;
  int64_t now = now_us();
  sl_err_clear(&s->deferred);
  if (each_bucket(s, roll_if_old, &now, &s->deferred)) s->failed = true;
  buckets_sweep(s);
}

static int fs_start(sl_sink *sink, const sl_conn_env *env, sl_err *err) {
  fs_sink *s = (fs_sink *)sink;
  if (!env->loop || s->timer_on) return 0;
  uv_timer_init(env->loop, &s->timer);
  s->timer.data = s;
  s->timer_on = true;
  uint64_t every = (uint64_t)(s->check_us / 1000);
  uv_timer_start(&s->timer, on_check, every ? every : 1, every ? every : 1);
  return 0;
}

static void fs_stop(sl_sink *sink) {
  fs_sink *s = (fs_sink *)sink;
  if (!s->timer_on) return;
  uv_timer_stop(&s->timer);
  uv_close((uv_handle_t *)&s->timer, NULL);
  s->timer_on = false;
}

/* ------------------------------------------------------------------ two-phase commit: data */

static void add_str(sl_buf *out, const char *v) { sl_buf_add(out, v, strlen(v) + 1); }

static void add_num(sl_buf *out, int64_t v) {
  char n[32];
  snprintf(n, sizeof n, "%lld", (long long)v);
  add_str(out, n);
}

/* Appends the commit data of a closed part. */
static void add_part(sl_buf *out, const fs_part *p, bool s3) {
  if (!s3) {
    sl_buf_addc(out, 'P');
    add_str(out, p->path);
    add_str(out, p->final);
    return;
  }
  sl_buf_addc(out, 'U');
  add_str(out, p->final);
  add_str(out, p->upload_id);
  add_num(out, p->bytes);
  add_num(out, p->nparts);
  for (int i = 0; i < p->nparts; i++) add_str(out, p->etags[i]);
}

/* One decoded entry of commit data. */
typedef struct fs_entry {
  char kind;                 /* 'P', 'U', 'W', 'C' */
  const char *a, *b;         /* P: in-progress path, final path; U: key, upload id; C: partition */
  int64_t n1, n2;            /* U: size, parts; W: checkpoint id, watermark; C: first seen, time */
  const char *etags;         /* U: the first of n2 NUL-terminated ETags */
} fs_entry;

/* Reads the NUL-terminated string at *p (before end); empty ones only when allowed. */
static bool next_str(const char **p, const char *end, bool empty_ok, const char **str) {
  if (*p >= end) return false;
  const char *z = memchr(*p, 0, (size_t)(end - *p));
  if (!z || (z == *p && !empty_ok)) return false;
  *str = *p;
  *p = z + 1;
  return true;
}

static bool next_num(const char **p, const char *end, int64_t *v) {
  const char *str;
  if (!next_str(p, end, false, &str)) return false;
  char *e;
  errno = 0;
  long long x = strtoll(str, &e, 10);
  if (errno || *e) return false;
  *v = x;
  return true;
}

/* Reads the entry at *p (before end); false when it is malformed. */
static bool next_entry(const char **p, const char *end, fs_entry *e) {
  memset(e, 0, sizeof *e);
  if (*p >= end) return false;
  e->kind = *(*p)++;
  switch (e->kind) {
    case 'P': return next_str(p, end, false, &e->a) && next_str(p, end, false, &e->b);
    case 'W': return next_num(p, end, &e->n1) && next_num(p, end, &e->n2);
    case 'C': return next_str(p, end, true, &e->a) && next_num(p, end, &e->n1) && next_num(p, end, &e->n2);
    case 'U': {
      if (!next_str(p, end, false, &e->a) || !next_str(p, end, false, &e->b) || !next_num(p, end, &e->n1) ||
          !next_num(p, end, &e->n2) || e->n1 < 0 || e->n2 < 1 || e->n2 > 10000)
        return false;
      e->etags = *p;
      const char *t;
      for (int64_t i = 0; i < e->n2; i++)
        if (!next_str(p, end, false, &t)) return false;
      return true;
    }
    default: return false;
  }
}

/* Closes the open parts and appends every pending part to out, then the partitions waiting for
 * their commit; the parts then belong to the checkpoint, not to the sink. */
static int fs_prepare_commit(sl_sink *sink, int64_t checkpoint_id, sl_buf *out, sl_err *err) {
  fs_sink *s = (fs_sink *)sink;
  if (s->failed) return take_deferred(s, err);
  int rc = fresh_start(s, err);
  if (!rc) rc = each_bucket(s, close_open, NULL, err);
  if (rc) return rc;
  char *synced = NULL; /* the in-progress files' folder entries must survive a crash as well */
  for (int i = 0; i < s->npending && !rc; i++) {
    fs_part *p = s->pending[i];
    if (!s->dir) continue;
    char *dir = dir_of(p->path);
    if (synced && !strcmp(synced, dir)) {
      free(dir);
      continue;
    }
    free(synced);
    synced = dir;
    rc = sync_dir(dir, err);
  }
  free(synced);
  if (rc) return rc;
  for (int i = 0; i < s->npending; i++) {
    fs_part *p = s->pending[i];
    add_part(out, p, s->store != NULL);
    p->bucket->npending--;
    if (commits_partitions(s)) {
      p->bucket->waiting = true;
      p->bucket->last_ckpt = checkpoint_id;
    }
    part_free(p);
  }
  s->npending = 0;
  bool root = s->success_file && s->npart == 0 && s->wm == SL_WATERMARK_MAX;
  bool header = root;
  for (int i = 0; i < s->hcap && !header; i++)
    for (fs_bucket *b = s->hash[i]; b && !header; b = b->next) header = b->waiting;
  if (header) {
    sl_buf_addc(out, 'W');
    add_num(out, checkpoint_id);
    add_num(out, s->wm);
    for (int i = 0; i < s->hcap; i++)
      for (fs_bucket *b = s->hash[i]; b; b = b->next) {
        if (!b->waiting) continue;
        sl_buf_addc(out, 'C');
        add_str(out, b->rel);
        add_num(out, b->created_us);
        add_num(out, b->ptime_us);
      }
    if (root) {
      sl_buf_addc(out, 'C');
      add_str(out, "");
      add_num(out, 0);
      add_num(out, NO_TIME);
    }
  }
  buckets_sweep(s);
  return 0;
}

/* Whether the partition of entry c may be committed at the checkpoint whose watermark is wm. */
static bool committable(const fs_sink *s, const fs_entry *c, int64_t wm, int64_t now) {
  if (wm == SL_WATERMARK_MAX) return true; /* the end of input commits everything */
  if (s->trigger == TRIGGER_PROCESS_TIME) return s->delay_us == 0 || now - s->delay_us >= c->n1;
  return c->n2 != NO_TIME && wm != SL_WATERMARK_MIN && c->n2 + s->delay_us <= wm;
}

/* Publishes every part of data, then commits the partitions it names that their trigger allows.
 * Validates the whole data first; a part already published (final name there and in-progress
 * gone, or S3 object there with its size) is fine, a part with neither is lost output and an
 * error. */
static int fs_commit(sl_sink *sink, const void *data, size_t len, sl_err *err) {
  fs_sink *s = (fs_sink *)sink;
  const char *p = data, *end = p + len;
  fs_entry e;
  while (p < end) {
    size_t at = (size_t)(p - (const char *)data);
    if (!next_entry(&p, end, &e) || (e.kind == 'U' && !s->store) || (e.kind == 'P' && s->store))
      return sl_err_set(err, SL_ECHECKPOINT, SL_ERR_NOLOC,
                        "cannot commit filesystem sink output: malformed commit data at byte %zu of %zu", at, len);
  }
  char *synced = NULL; /* the folder synced last, to sync each folder once per run of parts */
  int rc = 0;
  int64_t ckpt = 0, wm = SL_WATERMARK_MIN, now = now_us();
  for (p = data; p < end && !rc && next_entry(&p, end, &e);) {
    if (e.kind == 'U') {
      const char **etags = sl_malloc(sizeof(char *) * (size_t)e.n2);
      const char *t = e.etags;
      for (int64_t i = 0; i < e.n2; i++, t += strlen(t) + 1) etags[i] = t;
      rc = publish_s3(s, e.a, e.b, e.n1, (int)e.n2, etags, err);
      free(etags);
    } else if (e.kind == 'P') {
      if (rename(e.a, e.b) != 0) {
        int en = errno;
        struct stat st;
        if (en != ENOENT)
          rc = sl_err_set(err, SL_EIO, SL_ERR_NOLOC, "cannot publish '%s': %s", e.b, strerror(en));
        else if (stat(e.b, &st) != 0)
          rc = sl_err_set(err, SL_ECHECKPOINT, SL_ERR_NOLOC,
                          "cannot commit part file '%s': neither it nor its in-progress file '%s' exists, so its output is lost",
                          e.b, e.a);
        continue; /* already published by an earlier commit */
      }
      char *dir = dir_of(e.b);
      if (synced && !strcmp(synced, dir)) {
        free(dir);
        continue;
      }
      free(synced);
      synced = dir;
      rc = sync_dir(synced, err);
    } else if (e.kind == 'W') {
      ckpt = e.n1;
      wm = e.n2;
    } else if (e.kind == 'C' && s->success_file) {
      fs_bucket *b = bucket_find(s, e.a);
      if (committable(s, &e, wm, now)) {
        rc = write_success(s, e.a, err);
        if (!rc && b && b->waiting && b->last_ckpt <= ckpt) b->waiting = false;
      } else if (e.a[0]) {
        /* Not yet: it waits in this instance (a restored checkpoint's partitions come here). */
        if (!b) b = bucket_add(s, e.a, e.n1, e.n2);
        b->waiting = true;
        if (ckpt > b->last_ckpt) b->last_ckpt = ckpt;
      }
    }
  }
  free(synced);
  buckets_sweep(s);
  return rc;
}

/* ------------------------------------------------------------------ two-phase commit: recovery */

/* Deletes the hidden in-progress part files under folder (recursively) except the sink's own. */
static int remove_leftovers(fs_sink *s, const char *folder, sl_err *err) {
  DIR *d = opendir(folder);
  if (!d) {
    if (errno == ENOENT) return 0;
    return sl_err_set(err, SL_EIO, SL_ERR_NOLOC, "cannot open folder '%s': %s", folder, strerror(errno));
  }
  int rc = 0;
  struct dirent *de;
  size_t sl = strlen(".inprogress");
  while (!rc && (de = readdir(d)) != NULL) {
    const char *name = de->d_name;
    if (!strcmp(name, ".") || !strcmp(name, "..")) continue;
    char *path = join(folder, name);
    struct stat st;
    size_t n = strlen(name);
    if (lstat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
      if (name[0] != '.') rc = remove_leftovers(s, path, err);
    } else if (!strncmp(name, ".part-", 6) && n > 6 + sl && !strcmp(name + n - sl, ".inprogress")) {
      bool mine = false;
      for (int i = 0; i < s->npending && !mine; i++) mine = !strcmp(path, s->pending[i]->path);
      for (int i = 0; i < s->hcap && !mine; i++)
        for (fs_bucket *b = s->hash[i]; b && !mine; b = b->next) mine = b->open && !strcmp(path, b->open->path);
      if (!mine && unlink(path) != 0 && errno != ENOENT)
        rc = sl_err_set(err, SL_EIO, SL_ERR_NOLOC, "cannot delete leftover part file '%s': %s", path, strerror(errno));
    }
    free(path);
  }
  closedir(d);
  return rc;
}

typedef struct marker_list {
  char **keys;
  int n, cap;
} marker_list;

static int collect_marker(void *arg, const char *key, int64_t size) {
  (void)size;
  marker_list *l = arg;
  if (l->n == l->cap) {
    l->cap = l->cap ? l->cap * 2 : 16;
    l->keys = sl_realloc(l->keys, sizeof(char *) * (size_t)l->cap);
  }
  l->keys[l->n++] = sl_strdup(key);
  return 0;
}

/* Aborts the upload a marker names unless this instance completed it, then deletes the marker. */
static int settle_marker(fs_sink *s, const char *mkey, sl_buf *body, sl_err *err) {
  sl_buf_reset(body);
  int rc = sl_objstore_get(s->store, mkey, body, err);
  if (rc == SL_ENOTFOUND) return 0;
  if (rc) return rc;
  char *nl = body->data ? strchr(body->data, '\n') : NULL;
  char *id = nl ? nl + 1 : NULL;
  char *nl2 = id ? strchr(id, '\n') : NULL;
  if (!nl || !nl2 || nl == body->data || nl2 == id) {
    note(s, "ignoring upload marker '%s' in %s: it does not name an upload", mkey, s->uri);
    return sl_objstore_delete(s->store, mkey, err);
  }
  *nl = *nl2 = 0;
  bool done = false;
  for (int i = 0; i < s->ndone && !done; i++) done = !strcmp(s->done_ids[i], id);
  if (!done) {
    sl_err e;
    sl_err_clear(&e);
    rc = sl_objstore_multipart_abort(s->store, body->data, id, &e);
    if (rc == SL_EUNSUPPORTED) {
      if (!s->abort_unsupported_told)
        note(s, "%s does not support aborting multipart uploads; the parts of abandoned uploads (such as %s of '%s') stay "
                "until the bucket's lifecycle rule removes them", s->uri, id, body->data);
      s->abort_unsupported_told = true;
    } else if (rc) {
      *err = e;
      return rc;
    }
  }
  return sl_objstore_delete(s->store, mkey, err);
}

/* Deletes the hidden in-progress files (local folder) or aborts the uploads whose markers are
 * left (S3): what earlier attempts wrote that no completed checkpoint will publish. */
static int clean_leftovers(fs_sink *s, sl_err *err) {
  if (s->dir) return remove_leftovers(s, s->dir, err);
  marker_list l = {0};
  int rc = sl_objstore_list(s->store, MARKER_DIR, collect_marker, &l, err);
  sl_buf body;
  sl_buf_init(&body);
  for (int i = 0; i < l.n && !rc; i++) rc = settle_marker(s, l.keys[i], &body, err);
  sl_buf_destroy(&body);
  for (int i = 0; i < l.n; i++) free(l.keys[i]);
  free(l.keys);
  return rc;
}

/* After the restored checkpoint's data was committed, nothing else an earlier attempt wrote can
 * ever be published. */
static int fs_recover(sl_sink *sink, sl_err *err) {
  fs_sink *s = (fs_sink *)sink;
  s->restoring = false;
  s->recovered = true;
  return clean_leftovers(s, err);
}

/* With checkpointing, a run that restored nothing (the engine calls recover() only on a restore)
 * cleans up at its first write or barrier instead: what attempts before it left has no completed
 * checkpoint that could publish it either. */
static int fresh_start(fs_sink *s, sl_err *err) {
  s->restoring = false;
  if (!s->two_phase || s->recovered) return 0;
  s->recovered = true;
  return clean_leftovers(s, err);
}

/* ------------------------------------------------------------------ the rest of the vtable */

static void fs_describe(sl_sink *sink, sl_buf *out) { sl_buf_printf(out, "filesystem path=%s", ((fs_sink *)sink)->uri); }


static void fs_free(sl_sink *sink) {
  fs_sink *s = (fs_sink *)sink;
  if (s->timer_on) fs_stop(sink); /* not expected: the engine stops the sink first */
  /* An unfinished part stays hidden and a pending one was never handed to a checkpoint, so
   * nothing can ever publish them: remove them so that a failed job leaves no litter. */
  for (int i = 0; i < s->npending; i++) part_discard(s, s->pending[i]);
  for (int i = 0; s->hash && i < s->hcap; i++)
    for (fs_bucket *b = s->hash[i], *next; b; b = next) {
      next = b->next;
      if (b->open) part_discard(s, b->open);
      free(b->rel);
      sl_buf_destroy(&b->rows);
      free(b);
    }
  free(s->hash);
  free(s->pending);
  free(s->touched);
  for (int i = 0; i < s->ndone; i++) free(s->done_ids[i]);
  free(s->done_ids);
  if (s->staging) sl_rm_tree(s->staging);
  free(s->staging);
  sl_objstore_free(s->store);
  free(s->uri);
  free(s->dir);
  free(s->part_cols);
  free(s->part_names);
  free(s->part_types);
  free(s->data_cols);
  free(s->data_names);
  free(s->data_types);
  free(s->view_cols);
  free(s->raw_off);
  free(s->default_name);
  free(s->success_name);
  free(s->pattern);
  free(s->formatter);
  free(s->zbuf);
  sl_fmt_enc_free(s->enc);
  sl_buf_destroy(&s->buf);
  sl_buf_destroy(&s->val);
  sl_buf_destroy(&s->raw);
  sl_buf_destroy(&s->tmp);
  free(s);
}

static const sl_sink_vtable fs_sink_vt = {.write = fs_write,
                                          .finish = fs_finish,
                                          .describe = fs_describe,
                                          .free = fs_free,
                                          .prepare_commit = fs_prepare_commit,
                                          .commit = fs_commit,
                                          .recover = fs_recover,
                                          .start = fs_start,
                                          .stop = fs_stop,
                                          .watermark = fs_watermark};

/* ------------------------------------------------------------------ options */

static int64_t value_loc(sl_options *o, const char *key, int64_t dflt) {
  sl_option *opt = sl_options_find(o, key);
  return opt ? opt->value_loc : dflt;
}

/* A duration option that must be positive. */
static int positive_duration(sl_options *o, const char *key, int64_t dflt, int64_t *out, sl_err *err) {
  int rc = sl_options_duration(o, key, dflt, out, err);
  if (!rc && *out <= 0)
    rc = sl_err_set(err, SL_ECONFIG, value_loc(o, key, SL_ERR_NOLOC), "option '%s' must be more than 0", key);
  return rc;
}

/* The rolling, compression and partition commit options (Flink's names and defaults). */
static int read_options(fs_sink *s, sl_conn_table *t, int64_t loc, sl_err *err) {
  sl_options *o = t->opts;
  int rc;
  if ((rc = sl_options_size(o, "sink.rolling-policy.file-size", 128LL << 20, &s->roll_size, err))) return rc;
  if (s->roll_size <= 0)
    return sl_err_set(err, SL_ECONFIG, value_loc(o, "sink.rolling-policy.file-size", loc),
                      "option 'sink.rolling-policy.file-size' must be more than 0 bytes");
  if ((rc = positive_duration(o, "sink.rolling-policy.rollover-interval", 30 * 60000000LL, &s->rollover_us, err)) ||
      (rc = positive_duration(o, "sink.rolling-policy.inactivity-interval", 30 * 60000000LL, &s->inactivity_us, err)) ||
      (rc = positive_duration(o, "sink.rolling-policy.check-interval", 60000000LL, &s->check_us, err)))
    return rc;
  bool shuffle; /* one sink instance: nothing to shuffle */
  if ((rc = sl_options_bool(o, "sink.shuffle-by-partition.enable", false, &shuffle, err))) return rc;

  const char *codec = sl_options_get(o, "sink.compression");
  s->ext = "";
  if (codec && !strcasecmp(codec, "gzip")) s->codec = CODEC_GZIP, s->ext = ".gz";
  else if (codec && !strcasecmp(codec, "zstd")) s->codec = CODEC_ZSTD, s->ext = ".zst";
  else if (codec && strcasecmp(codec, "none") != 0)
    return sl_err_set(err, SL_ECONFIG, value_loc(o, "sink.compression", loc),
                      "option 'sink.compression' must be 'none', 'gzip' or 'zstd', not '%s'", codec);

  const char *dn = sl_options_get(o, "partition.default-name");
  s->default_name = sl_strdup(dn && dn[0] ? dn : "__DEFAULT_PARTITION__");

  /* Partition commit. */
  const char *kind = sl_options_get(o, "sink.partition-commit.policy.kind");
  for (const char *k = kind; k && *k;) {
    size_t n = strcspn(k, ",");
    const char *w = k;
    size_t wn = n;
    while (wn && (*w == ' ' || *w == '\t')) w++, wn--;
    while (wn && (w[wn - 1] == ' ' || w[wn - 1] == '\t')) wn--;
    int64_t at = value_loc(o, "sink.partition-commit.policy.kind", loc);
    if (wn == 12 && !strncasecmp(w, "success-file", 12))
      s->success_file = true;
    else if (wn == 9 && !strncasecmp(w, "metastore", 9))
      return sl_err_set(err, SL_ECONFIG, at,
                        "partition commit policy 'metastore' is not supported: sluice has no Hive metastore; use "
                        "'success-file' and let the catalog discover partitions (Glue crawler, MSCK REPAIR TABLE)");
    else if (wn == 6 && !strncasecmp(w, "custom", 6))
      return sl_err_set(err, SL_ECONFIG, at, "partition commit policy 'custom' is not supported: sluice runs no Java "
                                             "classes; use 'success-file'");
    else
      return sl_err_set(err, SL_ECONFIG, at,
                        "option 'sink.partition-commit.policy.kind' must list 'success-file' (or Flink's 'metastore' "
                        "and 'custom', which sluice does not support), not '%.*s'", (int)wn, w);
    k += n;
    if (*k == ',') k++;
  }
  if (sl_options_find(o, "sink.partition-commit.policy.class"))
    return sl_err_set(err, SL_ECONFIG, value_loc(o, "sink.partition-commit.policy.class", loc),
                      "option 'sink.partition-commit.policy.class' is not supported: sluice runs no Java classes");
  const char *sn = sl_options_get(o, "sink.partition-commit.success-file.name");
  if (sn && (!sn[0] || strchr(sn, '/') || !strcmp(sn, ".") || !strcmp(sn, "..")))
    return sl_err_set(err, SL_ECONFIG, value_loc(o, "sink.partition-commit.success-file.name", loc),
                      "option 'sink.partition-commit.success-file.name' must be a file name, not '%s'", sn);
  s->success_name = sl_strdup(sn ? sn : "_SUCCESS");
  const char *trig = sl_options_get(o, "sink.partition-commit.trigger");
  if (!trig || !strcasecmp(trig, "process-time")) s->trigger = TRIGGER_PROCESS_TIME;
  else if (!strcasecmp(trig, "partition-time")) s->trigger = TRIGGER_PARTITION_TIME;
  else
    return sl_err_set(err, SL_ECONFIG, value_loc(o, "sink.partition-commit.trigger", loc),
                      "option 'sink.partition-commit.trigger' must be 'process-time' or 'partition-time', not '%s'", trig);
  if ((rc = sl_options_duration(o, "sink.partition-commit.delay", 0, &s->delay_us, err))) return rc;
  if (s->delay_us < 0)
    return sl_err_set(err, SL_ECONFIG, value_loc(o, "sink.partition-commit.delay", loc),
                      "option 'sink.partition-commit.delay' must not be negative");
  const char *tz = sl_options_get(o, "sink.partition-commit.watermark-time-zone");
  if (tz && strcasecmp(tz, "UTC") && strcasecmp(tz, "GMT") && strcasecmp(tz, "Z") && strcmp(tz, "+00:00"))
    return sl_err_set(err, SL_ECONFIG, value_loc(o, "sink.partition-commit.watermark-time-zone", loc),
                      "option 'sink.partition-commit.watermark-time-zone' supports only 'UTC', not '%s' (watermarks "
                      "of TIMESTAMP rowtimes are UTC)", tz);
  const char *xk = sl_options_get(o, "partition.time-extractor.kind");
  if (xk && strcasecmp(xk, "default"))
    return sl_err_set(err, SL_ECONFIG, value_loc(o, "partition.time-extractor.kind", loc),
                      "option 'partition.time-extractor.kind' supports only 'default', not '%s' (sluice runs no Java "
                      "classes)", xk);
  if (sl_options_find(o, "partition.time-extractor.class"))
    return sl_err_set(err, SL_ECONFIG, value_loc(o, "partition.time-extractor.class", loc),
                      "option 'partition.time-extractor.class' is not supported: sluice runs no Java classes");
  const char *pat = sl_options_get(o, "partition.time-extractor.timestamp-pattern");
  const char *fmt = sl_options_get(o, "partition.time-extractor.timestamp-formatter");
  char probe[128];
  if (fmt && sl_ts_format_pattern(0, fmt, strlen(fmt), probe, sizeof probe) < 0)
      return sl_err_set(err, SL_ECONFIG, value_loc(o, "partition.time-extractor.timestamp-formatter", loc),
                        "option 'partition.time-extractor.timestamp-formatter' is not a date pattern: '%s'", fmt);
  s->pattern = pat ? sl_strdup(pat) : NULL;
  s->formatter = fmt ? sl_strdup(fmt) : NULL;
  return 0;
}

/* The S3 settings of a table: the same keys as SET for checkpoints, as table options. */
static int s3_options(sl_options *o, sl_objstore_opts *so, sl_err *err) {
  *so = (sl_objstore_opts){.s3_path_style = -1};
  so->s3_endpoint = sl_options_get(o, "s3.endpoint");
  so->s3_access_key = sl_options_get(o, "s3.access-key");
  so->s3_secret_key = sl_options_get(o, "s3.secret-key");
  so->region = sl_options_get(o, "s3.region");
  if (sl_options_find(o, "s3.path.style.access")) {
    bool ps;
    int rc = sl_options_bool(o, "s3.path.style.access", false, &ps, err);
    if (rc) return rc;
    so->s3_path_style = ps;
  }
  return 0;
}

int sl_fs_sink_new(sl_conn_table *t, int64_t loc, sl_sink **out, sl_err *err) {
  int rc = sl_conn_meta_none(t, err);
  if (rc) return rc;
  const char *path = sl_options_get(t->opts, "path");
  if (!path) return sl_err_set(err, SL_ECONFIG, loc, "missing option 'path' for connector 'filesystem'");
  const char *format = sl_options_get(t->opts, "format");
  if (!format) return sl_err_set(err, SL_ECONFIG, loc, "missing option 'format' for connector 'filesystem'");
  int64_t path_loc = value_loc(t->opts, "path", loc);
  if (t->npart >= t->ncols)
    return sl_err_set(err, SL_ECONFIG, loc, "table '%s': every column is a partition column, so nothing is left to write "
                                            "into its files", t->name);

  fs_sink *s = sl_calloc(1, sizeof *s);
  s->base.vt = &fs_sink_vt;
  s->table = t->name;
  s->log = t->log;
  s->two_phase = t->two_phase;
  s->uri = sl_strdup(path);
  s->wm = SL_WATERMARK_MIN;
  s->restoring = true;
  s->hcap = 16;
  s->hash = sl_calloc((size_t)s->hcap, sizeof *s->hash);
  s->zbuf = sl_malloc(ZBUF_SIZE);
  sl_buf_init(&s->buf);
  sl_buf_init(&s->val);
  sl_buf_init(&s->raw);
  sl_buf_init(&s->tmp);
  make_uuid(s->uuid);
  size_t ul = strlen(s->uri);
  while (ul > 1 && s->uri[ul - 1] == '/') s->uri[--ul] = 0;

  /* Partition and data columns. */
  s->npart = t->npart;
  s->ndata = t->ncols - t->npart;
  s->part_cols = sl_calloc((size_t)(s->npart ? s->npart : 1), sizeof(int));
  s->part_names = sl_calloc((size_t)(s->npart ? s->npart : 1), sizeof(char *));
  s->part_types = sl_calloc((size_t)(s->npart ? s->npart : 1), sizeof(sl_type));
  s->raw_off = sl_calloc((size_t)(s->npart ? s->npart : 1), sizeof(size_t));
  s->data_cols = sl_calloc((size_t)s->ndata, sizeof(int));
  s->data_names = sl_calloc((size_t)s->ndata, sizeof(char *));
  s->data_types = sl_calloc((size_t)s->ndata, sizeof(sl_type));
  s->view_cols = sl_calloc((size_t)s->ndata, sizeof(sl_col));
  for (int i = 0; i < s->npart; i++) {
    s->part_cols[i] = t->part_cols[i];
    s->part_names[i] = t->names[t->part_cols[i]];
    s->part_types[i] = t->types[t->part_cols[i]];
  }
  for (int c = 0, k = 0; c < t->ncols; c++) {
    bool is_part = false;
    for (int i = 0; i < s->npart; i++) is_part |= s->part_cols[i] == c;
    if (is_part) continue;
    s->data_cols[k] = c;
    s->data_names[k] = t->names[c];
    s->data_types[k++] = t->types[c];
  }

  rc = read_options(s, t, loc, err);
  if (!rc) rc = sl_fmt_enc_new(format, s->ndata, s->data_names, s->data_types, t->opts, &s->enc, err);

  /* Where the files go: an S3 prefix (s3://, and Flink's s3a:// and s3p:// spellings) or a folder. */
  bool s3 = !strncasecmp(path, "s3://", 5) || !strncasecmp(path, "s3a://", 6) || !strncasecmp(path, "s3p://", 6);
  if (!rc && s3) {
    sl_objstore_opts so;
    rc = s3_options(t->opts, &so, err);
    sl_buf u;
    sl_buf_init(&u);
    sl_buf_printf(&u, "s3://%s", strstr(s->uri, "://") + 3);
    if (!rc && (rc = sl_objstore_open(u.data, &so, &s->store, err))) err->loc = path_loc;
    sl_buf_destroy(&u);
    if (!rc && s->roll_size > UPLOAD_PART_SIZE * 10000)
      rc = sl_err_set(err, SL_ECONFIG, value_loc(t->opts, "sink.rolling-policy.file-size", loc),
                      "option 'sink.rolling-policy.file-size' can be at most 78 GiB for s3:// paths (10000 parts of 8 MiB)");
    if (!rc && sl_work_dir_new(NULL, "sluice-fs-sink", &s->staging) != 0)
      rc = sl_err_set(err, SL_EIO, loc, "cannot create a staging folder for table '%s': %s", t->name, strerror(errno));
  } else if (!rc) {
    const char *dir = path;
    if (!strncmp(dir, "file://", 7)) dir += 7;
    if (strstr(path, "://") && strncmp(path, "file://", 7) != 0)
      rc = sl_err_set(err, SL_ECONFIG, path_loc,
                      "unsupported path '%s' for connector 'filesystem': use a folder, file:///folder or s3://bucket/prefix",
                      path);
    static const char *const s3_keys[] = {"s3.endpoint", "s3.path.style.access", "s3.access-key", "s3.secret-key",
                                          "s3.region"};
    for (size_t i = 0; !rc && i < sizeof s3_keys / sizeof s3_keys[0]; i++) {
      sl_option *o = sl_options_find(t->opts, s3_keys[i]);
      if (o)
        rc = sl_err_set(err, SL_ECONFIG, o->key_loc, "option '%s' is for s3:// paths, and 'path' '%s' is a folder",
                        s3_keys[i], path);
    }
    if (!rc) {
      s->dir = sl_strdup(dir);
      size_t dl = strlen(s->dir);
      while (dl > 1 && s->dir[dl - 1] == '/') s->dir[--dl] = 0;
      if (sl_mkdirs(s->dir) != 0) rc = sl_err_set(err, SL_EIO, loc, "cannot create folder '%s': %s", s->dir, strerror(errno));
    }
  }
  if (rc) {
    fs_free(&s->base);
    return rc;
  }
  *out = &s->base;
  return 0;
}
