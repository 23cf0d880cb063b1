#!/usr/bin/env bash
# joins.sh - measures the four join kinds on both state backends over two long generated streams:
# events/s (rows read, both inputs, per second of wall time on one core), CPU, peak RSS, and the
# RSS at a quarter, half, three quarters and the end of each run (flat = state bounded).
#
# usage: bench/joins.sh [interval] [window] [temporal] [regular] [options]   (none named: all four)
#   --rows N        rows per input stream (default 10000000: 20 M rows per run; at most 17 M,
#                   which fills the day)
#   --keys K        distinct join keys (default 100000)
#   --backends "B"  hashmap and/or rocksdb (default: both)
#   --runs R        timed runs per configuration, medians shown (default 1)
#   --front-cache S 'state.backend.rocksdb.front-cache.size' for the rocksdb runs, e.g. '4 mb'
#                   (default: sluice's, 64 mb), to make the state larger than the in-memory layer
#   --sluice PATH   the binary to measure (default: bench/build/sluice, built in release mode)
#   --no-wait       do not wait (up to 2 minutes) for a quiet machine before each run
#
# The streams: a (k, v, ts) and b (k, w, ts), keys uniform, event times 0-9 ms apart (10 M rows
# span ~12.5 hours), one row in 50 up to 2 s out of order; watermark delay 5 s. The queries, all
# into a blackhole sink:
#   interval  a JOIN b ON a.k = b.k AND a.ts BETWEEN b.ts - 30 s AND b.ts + 30 s
#   window    1-minute tumbling windows of a and b joined on window and k
#   temporal  a JOIN b FOR SYSTEM_TIME AS OF a.ts (b as a versioned table, PRIMARY KEY k)
#   regular   a JOIN b ON a.k = b.k with 'table.exec.state.ttl' = '1 s' (state bounded by time)
# Inputs are made once and kept in bench/out/ (git-ignored); the table goes to stdout and to
# bench/out/joins.txt. See bench/README.md.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD

rows=10000000
keys=100000
backends="hashmap rocksdb"
runs=1
sluice=""
front=""
wait_idle=1
parts=""
while [ $# -gt 0 ]; do
  case "$1" in
    interval|window|temporal|regular) parts="$parts $1"; shift ;;
    --rows) rows=${2:?}; shift 2 ;;
    --keys) keys=${2:?}; shift 2 ;;
    --backends) backends=${2:?}; shift 2 ;;
    --runs) runs=${2:?}; shift 2 ;;
    --front-cache) front=${2:?}; shift 2 ;;
    --sluice) sluice=$(readlink -f "${2:?}"); shift 2 ;;
    --no-wait) wait_idle=0; shift ;;
    -h|--help) awk 'NR > 1 && !/^#/ { exit } NR > 1' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "joins.sh: unknown argument '$1' (try --help)" >&2; exit 2 ;;
  esac
done
[ -n "$parts" ] || parts="interval window temporal regular"
case "$rows$keys$runs" in *[!0-9]*) echo "joins.sh: --rows, --keys and --runs take whole numbers" >&2; exit 2 ;; esac
[ "$rows" -le 17000000 ] || { echo "joins.sh: --rows at most 17000000 (the inputs span one day)" >&2; exit 2; }

out=$root/bench/out
work=$out/joins-work
mkdir -p "$out" "$work"
# shellcheck source=bench/lib.sh
. "$root/bench/lib.sh"
[ -x /usr/bin/time ] || { echo "joins.sh: needs GNU time (apt-get install time)" >&2; exit 1; }
if [ -z "$sluice" ]; then
  [ -f bench/build/build.ninja ] || meson setup bench/build -Dbuildtype=release >&2
  ninja -C bench/build sluice >&2
  sluice=$root/bench/build/sluice
fi

# ---- inputs -------------------------------------------------------------------------------------

gen() { # SEED > csv
  awk -v n="$rows" -v keys="$keys" -v seed="$1" 'BEGIN {
    srand(seed); t = 28810000   # ms after 2024-03-01 00:00:00: 08:00:10
    for (i = 1; i <= n; i++) {
      t += int(rand() * 10); et = t
      if (rand() < 0.02) et -= int(rand() * 2000)
      s = int(et / 1000)
      printf "%d,%d,2024-03-01 %02d:%02d:%02d.%03d\n", int(rand() * keys), int(rand() * 1000),
             int(s / 3600), int(s / 60) % 60, s % 60, et % 1000
    }
  }'
}
a=$out/joins-a-$rows-$keys.csv
b=$out/joins-b-$rows-$keys.csv
for f in "$a:11" "$b:12"; do
  file=${f%:*}
  if [ ! -s "$file" ]; then
    log "generating $rows rows into $file"
    gen "${f#*:}" > "$file.tmp"
    mv "$file.tmp" "$file"
  fi
done

# ---- the jobs -----------------------------------------------------------------------------------

tables() { # BACKEND
  cat <<SQL
SET 'state.backend' = '$1';
SET 'state.backend.rocksdb.localdir' = '$work';
${front:+SET 'state.backend.rocksdb.front-cache.size' = '$front';}
CREATE TABLE a (k BIGINT, v BIGINT, ts TIMESTAMP(3), WATERMARK FOR ts AS ts - INTERVAL '5' SECOND)
  WITH ('connector' = 'filesystem', 'path' = '$a', 'format' = 'csv');
CREATE TABLE b (k BIGINT, w BIGINT, ts TIMESTAMP(3), WATERMARK FOR ts AS ts - INTERVAL '5' SECOND)
  WITH ('connector' = 'filesystem', 'path' = '$b', 'format' = 'csv');
CREATE TABLE bv (k BIGINT, w BIGINT, ts TIMESTAMP(3), PRIMARY KEY (k) NOT ENFORCED,
  WATERMARK FOR ts AS ts - INTERVAL '5' SECOND)
  WITH ('connector' = 'filesystem', 'path' = '$b', 'format' = 'csv');
CREATE TABLE o (k BIGINT, v BIGINT, w BIGINT) WITH ('connector' = 'blackhole');
SQL
}

query() { # KIND
  case $1 in
    interval) echo "INSERT INTO o SELECT a.k, a.v, b.w FROM a JOIN b ON a.k = b.k
  AND a.ts BETWEEN b.ts - INTERVAL '30' SECOND AND b.ts + INTERVAL '30' SECOND;" ;;
    window) echo "INSERT INTO o SELECT l.k, l.v, r.w
FROM TABLE(TUMBLE(TABLE a, DESCRIPTOR(ts), INTERVAL '1' MINUTE)) l
JOIN TABLE(TUMBLE(TABLE b, DESCRIPTOR(ts), INTERVAL '1' MINUTE)) r
  ON l.k = r.k AND l.window_start = r.window_start AND l.window_end = r.window_end;" ;;
    temporal) echo "INSERT INTO o SELECT a.k, a.v, r.w FROM a JOIN bv FOR SYSTEM_TIME AS OF a.ts AS r ON a.k = r.k;" ;;
    regular) echo "SET 'table.exec.state.ttl' = '1 s';
INSERT INTO o SELECT a.k, a.v, b.w FROM a JOIN b ON a.k = b.k;" ;;
  esac
}

declare -A wall cpu rss trace outrows
read -r b0 a0 < <(busy_ticks)
for ((i = 1; i <= runs; i++)); do
  for kind in $parts; do
    for be in $backends; do
      c="$kind $be"
      { tables "$be"; query "$kind"; } > "$work/job.sql"
      wait_quiet
      timed_trace "$work/job.log" "$sluice" run "$work/job.sql"
      wall[$c]="${wall[$c]:-} $t_wall"; cpu[$c]="${cpu[$c]:-} $t_cpu"; rss[$c]="${rss[$c]:-} $t_rss"
      trace[$c]=$t_trace
      outrows[$c]=$(written "$work/job.log")
      log "  $kind $be run $i: $t_wall s, cpu $t_cpu s, peak $t_rss MB, RSS trace $t_trace MB, ${outrows[$c]} rows out"
    done
  done
done
read -r b1 a1 < <(busy_ticks)

{
  echo "sluice join bench, $(date -u '+%Y-%m-%d %H:%M UTC'), $(git rev-parse --short HEAD 2>/dev/null || echo '?')$(git diff --quiet HEAD -- engine sql connectors state 2>/dev/null || echo '+dirty'), $sluice"
  echo "cpu: $(grep -m1 'model name' /proc/cpuinfo | sed 's/.*: //'), $(nproc) cores, $(awk '/MemTotal/ { printf "%.0f GB", $2 / 1048576 }' /proc/meminfo)"
  echo "2 x $rows rows, $keys keys; rocksdb front cache ${front:-64 mb}; median of $runs run(s); machine $(busy_pct "$b0" "$a0" "$b1" "$a1")% busy while measuring (one run alone: ~50%)"
  echo
  printf '%-9s %-8s %9s %11s %8s %9s %-22s %12s\n' "join" "backend" "median s" "events/s" "cpu s" "peak MB" "RSS at 1/4..end MB" "rows out"
  for kind in $parts; do
    for be in $backends; do
      c="$kind $be"
      m=$(median ${wall[$c]})
      printf '%-9s %-8s %9.2f %9.0f k %8.2f %9.0f %-22s %12s\n' "$kind" "$be" "$m" \
        "$(awk -v n="$rows" -v s="$m" 'BEGIN { print 2 * n / s / 1000 }')" "$(median ${cpu[$c]})" \
        "$(maxof ${rss[$c]})" "${trace[$c]}" "${outrows[$c]}"
    done
  done
  echo "events/s: rows read from both inputs per second of wall time (one thread does the work)."
} | tee "$out/joins.txt"
