#!/usr/bin/env bash
# larger_than_cache.sh - a window aggregation whose keyed state is several times RocksDB's block
# cache, memtable and sluice's in-memory layer gives the same rows on 'rocksdb' as on 'hashmap',
# and the same rows as an awk oracle.
#
# usage: larger_than_cache.sh SLUICE
#   SLUICE_TEST_ROWS  input rows (default 300000, or 150000 when SLUICE is built with
#                     AddressSanitizer, which runs several times slower); keys are ROWS / 3.
#
# The job: per key and one-hour tumbling window, COUNT, SUM, MAX and MIN of a value, with caches of
# 1 MB (block cache, write buffer and front cache). Input times advance 20 ms a row, so the rows
# span about 1.7 windows; the first window holds 60 % of them over ROWS / 3 keys.
#
# How "the state is larger than the caches" is shown: the hashmap run checkpoints every 100 ms, and
# its checkpoint file is every live entry written out once (25 bytes of header + key + value each,
# see state/hashmap_backend.c). The largest such checkpoint ("bytes of state" in the log) is the
# live keyed state at that moment, with no hash table overhead and no compression, so it is a
# lower bound on what the rocksdb run had to hold at the same point of the input. It must be at
# least 4x each cache. The rocksdb run with checkpoints also reports its largest checkpoint, which
# is RocksDB's SST files: LZ4-compressed (the mostly-zero accumulators shrink severalfold) and with
# older versions of entries not yet compacted away. They must be at least 2x the block cache,
# which keeps uncompressed blocks, so the DB really reads blocks that the cache cannot all keep.
# Only bash, coreutils, grep and awk.
set -euo pipefail
sluice=$(readlink -f "$1")
work=$(mktemp -d /tmp/sluice-ltc-XXXXXX)
trap 'rm -rf "$work"' EXIT
fail() { echo "larger_than_cache: $*" >&2; exit 1; }

if [ -n "${SLUICE_TEST_ROWS:-}" ]; then rows=$SLUICE_TEST_ROWS
elif grep -qa __asan_init "$sluice"; then rows=150000
else rows=300000
fi
keys=$((rows / 3))
cache_mb=1
cache=$((cache_mb << 20))

# Keys k0000000..; values 0-999; times from 2024-03-01 00:00:00.020, 20 ms apart; one row in 50
# up to 900 ms out of order (inside the 1 s watermark, so nothing is late).
awk -v n="$rows" -v keys="$keys" 'BEGIN {
  srand(11)
  for (i = 1; i <= n; i++) {
    t = 20 * i
    if (rand() < 0.02) t -= int(rand() * 900)
    printf "k%07d,%d,2024-03-01 %02d:%02d:%02d.%03d\n", int(rand() * keys), int(rand() * 1000),
           int(t / 3600000), int(t / 60000) % 60, int(t / 1000) % 60, t % 1000
  }
}' > "$work/in.csv"

# The oracle: the same aggregation in awk, in the CSV sink's format.
awk -F, '{
  g = $1 SUBSEP substr($3, 12, 2)
  if (!(g in n)) { n[g] = 0; s[g] = 0; mx[g] = $2; mn[g] = $2 }
  n[g]++; s[g] += $2
  if ($2 + 0 > mx[g] + 0) mx[g] = $2
  if ($2 + 0 < mn[g] + 0) mn[g] = $2
} END {
  for (g in n) { split(g, p, SUBSEP); printf "%s,\"2024-03-01 %s:00:00\",%d,%.0f,%d,%d\n", p[1], p[2], n[g], s[g], mx[g], mn[g] }
}' "$work/in.csv" | LC_ALL=C sort > "$work/oracle.txt"

job() { # NAME BACKEND CHECKPOINTS(0|1)
  {
    echo "SET 'state.backend' = '$2';"
    echo "SET 'state.backend.rocksdb.block.cache-size' = '$cache_mb mb';"
    echo "SET 'state.backend.rocksdb.writebuffer.size' = '$cache_mb mb';"
    echo "SET 'state.backend.rocksdb.front-cache.size' = '$cache_mb mb';"
    echo "SET 'state.backend.rocksdb.localdir' = '$work';"
    if [ "$3" = 1 ]; then
      echo "SET 'execution.checkpointing.interval' = '100 ms';"
      echo "SET 'state.checkpoints.dir' = 'file://$work/ckpt-$1';"
    fi
    cat <<SQL
CREATE TABLE t (k STRING, v BIGINT, ts TIMESTAMP(3), WATERMARK FOR ts AS ts - INTERVAL '1' SECOND)
  WITH ('connector' = 'filesystem', 'path' = '$work/in.csv', 'format' = 'csv');
CREATE TABLE o (k STRING, window_start TIMESTAMP(3), n BIGINT, total BIGINT, largest BIGINT, smallest BIGINT)
  WITH ('connector' = 'filesystem', 'path' = '$work/out-$1', 'format' = 'csv');
INSERT INTO o
SELECT k, window_start, COUNT(*), SUM(v), MAX(v), MIN(v)
FROM TABLE(TUMBLE(TABLE t, DESCRIPTOR(ts), INTERVAL '1' HOUR))
GROUP BY k, window_start, window_end;
SQL
  } > "$work/$1.sql"
  local t0=$SECONDS
  "$sluice" run "$work/$1.sql" 2> "$work/$1.log" || { cat "$work/$1.log" >&2; fail "the $1 run failed"; }
  grep -q "$rows rows read" "$work/$1.log" || { cat "$work/$1.log" >&2; fail "the $1 run did not read $rows rows"; }
  cat "$work/out-$1"/part-* | LC_ALL=C sort > "$work/$1.txt"
  echo "larger_than_cache: $1: $(wc -l < "$work/$1.txt") rows in $((SECONDS - t0)) s" >&2
}
# The largest "bytes of state" a run's checkpoints logged.
max_state() { sed -n 's/^sluice: checkpoint [0-9]* complete in .* files, \([0-9]*\) bytes of state.*/\1/p' "$work/$1.log" | sort -n | tail -1; }

job hashmap hashmap 1
job rocksdb rocksdb 0
job rocksdb_ckpt rocksdb 1

expected=$(wc -l < "$work/oracle.txt")
[ "$expected" -gt $((keys / 2)) ] || fail "the oracle has only $expected rows"
for r in hashmap rocksdb rocksdb_ckpt; do
  if ! cmp -s "$work/oracle.txt" "$work/$r.txt"; then
    echo "larger_than_cache: $r: $(wc -l < "$work/$r.txt") rows, $expected expected; first differences:" >&2
    diff "$work/oracle.txt" "$work/$r.txt" | head -10 >&2
    fail "$r output differs from the expected aggregation"
  fi
done

live=$(max_state hashmap)
sst=$(max_state rocksdb_ckpt)
[ -n "$live" ] && [ -n "$sst" ] || fail "no checkpoint completed (hashmap: '${live}', rocksdb: '${sst}')"
[ "$live" -ge $((4 * cache)) ] ||
  fail "live keyed state reached only $live bytes, less than 4x the $cache-byte caches: give it more rows"
[ "$sst" -ge $((2 * cache)) ] ||
  fail "RocksDB's files reached only $sst bytes, less than 2x the $cache-byte block cache: give it more rows"
echo "larger_than_cache: $rows rows, $expected result rows, same on hashmap, rocksdb and rocksdb with checkpoints;" \
  "live state up to $live bytes ($((live / cache))x the caches), RocksDB files up to $sst bytes"
