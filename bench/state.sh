#!/usr/bin/env bash
# state.sh - measures the keyed-state backends: the fraud query on hashmap and rocksdb (checkpoints
# off and every 10 s), a window aggregation whose state is larger than RocksDB's caches, and the
# duration and upload size of checkpoints at ~100 MB and ~1 GB of state, incremental and full.
#
# usage: bench/state.sh [fraud] [window] [checkpoint] [options]   (no part named: all three)
#   --runs R            timed runs per configuration, medians shown (default 3)
#   --sluice PATH       the binary to measure (default: bench/build/sluice, built in release mode)
#   --fraud-rows N      transactions for the fraud query (default 50000000, 6.7 GB of JSON lines:
#                       ~15 s a run, so that 10 s checkpoints happen)
#   --window-rows N     rows of the window aggregation (default 4000000)
#   --window-keys K     its distinct keys (default 1000000)
#   --ckpt-sizes "A B"  state sizes in MB for the checkpoint part (default "100 1000")
#   --ckpt-modes "..."  any of incremental full hashmap (default: all three)
#   --ckpt-changed F    fraction of keys changed between the two checkpoints (default 0.01)
#   --ckpt-front-cache S 'state.backend.rocksdb.front-cache.size' for the checkpoint part, e.g.
#                       '4 gb' (default: sluice's, 64 mb; with it, writing 1 GB of state takes
#                       minutes: see bench/README.md)
#   --no-wait           do not wait (up to 2 minutes) for a quiet machine before each part
# Inputs are made once and kept in bench/out/ (git-ignored); each part's table goes to stdout and
# to bench/out/state-<part>.txt, every run's figures to stderr. See bench/README.md.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD

runs=3
sluice=""
fraud_rows=50000000
window_rows=4000000
window_keys=1000000
ckpt_sizes="100 1000"
ckpt_modes="incremental full hashmap"
ckpt_changed=0.01
ckpt_front=""
wait_idle=1
parts=""
while [ $# -gt 0 ]; do
  case "$1" in
    fraud|window|checkpoint) parts="$parts $1"; shift ;;
    --runs) runs=${2:?}; shift 2 ;;
    --sluice) sluice=$(readlink -f "${2:?}"); shift 2 ;;
    --fraud-rows) fraud_rows=${2:?}; shift 2 ;;
    --window-rows) window_rows=${2:?}; shift 2 ;;
    --window-keys) window_keys=${2:?}; shift 2 ;;
    --ckpt-sizes) ckpt_sizes=${2:?}; shift 2 ;;
    --ckpt-modes) ckpt_modes=${2:?}; shift 2 ;;
    --ckpt-changed) ckpt_changed=${2:?}; shift 2 ;;
    --ckpt-front-cache) ckpt_front=${2:?}; shift 2 ;;
    --no-wait) wait_idle=0; shift ;;
    -h|--help) awk 'NR > 1 && !/^#/ { exit } NR > 1' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "state.sh: unknown argument '$1' (try --help)" >&2; exit 2 ;;
  esac
done
[ -n "$parts" ] || parts="fraud window checkpoint"
case "$runs$fraud_rows$window_rows$window_keys${ckpt_sizes// /}" in
  *[!0-9]*) echo "state.sh: --runs, --*-rows, --window-keys and --ckpt-sizes take whole numbers" >&2; exit 2 ;;
esac

out=$root/bench/out
work=$out/state-work
mkdir -p "$out" "$work"
# shellcheck source=bench/lib.sh
. "$root/bench/lib.sh"
die() { echo "state.sh: $*" >&2; exit 1; }

[ -x /usr/bin/time ] || die "needs GNU time (apt-get install time)"
if [ -z "$sluice" ]; then
  [ -f bench/build/build.ninja ] || meson setup bench/build -Dbuildtype=release >&2
  ninja -C bench/build sluice >&2
  sluice=$root/bench/build/sluice
fi
[ -x "$sluice" ] || die "no sluice binary at '$sluice'"

# ---- helpers ------------------------------------------------------------------------------------

# ckpt_field LOG N FIELD: of "checkpoint N complete in MS ms (job paused P ms): F files, S bytes of
# state, U bytes uploaded" (optionally prefixed by a time stamp), FIELD ms|paused|files|state|uploaded|at.
ckpt_field() {
  awk -v n="$2" -v f="$3" '{
    for (i = 1; i <= NF; i++) if ($i == "checkpoint" && $(i + 1) == n && $(i + 2) == "complete") {
      v["at"] = $1; v["ms"] = $(i + 4); v["paused"] = $(i + 8); v["files"] = $(i + 10); v["state"] = $(i + 12)
      v["uploaded"] = $(i + 16)
      print v[f]; exit
    }
  }' "$1"
}
header() {
  echo "sluice state bench, $(date -u '+%Y-%m-%d %H:%M UTC'), $(git rev-parse --short HEAD 2>/dev/null || echo '?')$(git diff --quiet HEAD -- engine sql connectors state 2>/dev/null || echo '+dirty'), $sluice"
  echo "cpu: $(grep -m1 'model name' /proc/cpuinfo | sed 's/.*: //'), $(nproc) cores, $(awk '/MemTotal/ { printf "%.0f GB", $2 / 1048576 }' /proc/meminfo); not pinned (RocksDB and the checkpoint uploader have threads)"
}

# ---- (a) the fraud query on both backends ------------------------------------------------------

fraud_sql() { # BACKEND INTERVAL(or empty) DATA CKPTDIR > sql
  echo "SET 'state.backend' = '$1';"
  echo "SET 'state.backend.rocksdb.localdir' = '$work';"
  if [ -n "$2" ]; then
    echo "SET 'execution.checkpointing.interval' = '$2';"
    echo "SET 'state.checkpoints.dir' = 'file://$4';"
  fi
  awk -v data="$3" '
    /^SET / { next }
    { gsub(/examples\/fraud-detection\/data\/transactions\.json/, data) }
    /^CREATE TABLE fraud_alerts/ { insink = 1 }
    insink && /^\) WITH \($/ { print ") WITH (\047connector\047 = \047blackhole\047);"; skip = 1; subst = 1; next }
    skip { if ($0 ~ /^\);/) { skip = 0; insink = 0 } next }
    { print }
    END { if (!subst) exit 1 }' examples/fraud-detection/fraud_local.sql
}

part_fraud() {
  local data=$out/transactions-$fraud_rows-1000.json
  if [ ! -s "$data" ]; then
    log "generating $fraud_rows transactions into $data"
    bash examples/fraud-detection/gen_transactions.sh "$fraud_rows" 1000 42 > "$data.tmp"
    mv "$data.tmp" "$data"
  fi
  local i c b iv name list=("hashmap|off" "rocksdb|off" "hashmap|10s" "rocksdb|10s")
  declare -A wall cpu rss ck rows
  for c in "${list[@]}"; do
    b=${c%|*}; iv=""
    if [ "${c#*|}" = 10s ]; then iv="10 s"; fi
    fraud_sql "$b" "$iv" "$data" "$work/fraud-ckpt" > "$work/fraud-${c/|/-}.sql"
  done
  wait_quiet
  log "fraud: warm-up run (page cache)"
  timed "$work/fraud.log" "$sluice" run "$work/fraud-hashmap-off.sql"
  read -r b0 a0 < <(busy_ticks)
  for ((i = 1; i <= runs; i++)); do
    for c in "${list[@]}"; do
      name=${c/|/-}
      rm -rf "$work/fraud-ckpt"
      timed "$work/fraud.log" "$sluice" run "$work/fraud-$name.sql"
      wall[$name]="${wall[$name]:-} $t_wall"; cpu[$name]="${cpu[$name]:-} $t_cpu"; rss[$name]="${rss[$name]:-} $t_rss"
      ck[$name]=$(grep -c 'checkpoint [0-9]* complete' "$work/fraud.log" || true)
      rows[$name]=$(written "$work/fraud.log")
      log "  fraud $name run $i: $t_wall s, cpu $t_cpu s, $t_rss MB, ${ck[$name]} checkpoints, ${rows[$name]} alerts"
    done
  done
  read -r b1 a1 < <(busy_ticks)
  rm -rf "$work/fraud-ckpt"
  local base
  base=$(median ${wall[hashmap-off]})
  {
    header
    echo "(a) fraud query (examples/fraud-detection/fraud_local.sql, blackhole sink): $fraud_rows transactions, 1000 cards,"
    echo "    $(awk -v b="$(stat -c %s "$data")" 'BEGIN { printf "%.1f GB", b / 1e9 }') of JSON lines; median of $runs runs (configurations interleaved) after 1 warm-up"
    echo "    machine $(busy_pct "$b0" "$a0" "$b1" "$a1")% busy while measuring (one run alone: ~50%)"
    echo
    printf '%-22s %9s %12s %9s %12s %12s %8s %12s\n' "backend, checkpoints" "median s" "events/s" "cpu s" "peak RSS MB" "time ratio" "ckpts" "alerts"
    for c in "${list[@]}"; do
      name=${c/|/-}
      local m
      m=$(median ${wall[$name]})
      printf '%-22s %9s %12s %9s %12s %12s %8s %12s\n' "${c/|/, }" "$m" \
        "$(awk -v n="$fraud_rows" -v s="$m" 'BEGIN { printf "%.2f M", n / s / 1e6 }')" "$(median ${cpu[$name]})" \
        "$(maxof ${rss[$name]})" "$(awk -v a="$m" -v b="$base" 'BEGIN { printf "%.2f", a / b }')" "${ck[$name]}" "${rows[$name]}"
    done
    echo "time ratio: median wall time / that of hashmap without checkpoints. ckpts: checkpoints completed in a run (the last one"
    echo "at the end of input). cpu s: user + system, all threads. peak RSS: max over the runs."
  } | tee "$out/state-fraud.txt"
}

# ---- (b) a window aggregation larger than RocksDB's caches --------------------------------------

window_sql() { # NAME BACKEND CACHE-SETTINGS INTERVAL DATA > sql
  echo "SET 'state.backend' = '$2';"
  echo "SET 'state.backend.rocksdb.localdir' = '$work';"
  if [ -n "$3" ]; then printf '%s\n' "$3"; fi
  if [ -n "$4" ]; then
    echo "SET 'execution.checkpointing.interval' = '$4';"
    echo "SET 'state.checkpoints.dir' = 'file://$work/window-ckpt';"
  fi
  cat <<SQL
CREATE TABLE t (k STRING, v BIGINT, ts TIMESTAMP(3), WATERMARK FOR ts AS ts - INTERVAL '1' SECOND)
  WITH ('connector' = 'filesystem', 'path' = '$5', 'format' = 'csv');
CREATE TABLE o (k STRING, window_start TIMESTAMP(3), n BIGINT, total BIGINT, largest BIGINT, smallest BIGINT)
  WITH ('connector' = 'blackhole');
INSERT INTO o
SELECT k, window_start, COUNT(*), SUM(v), MAX(v), MIN(v)
FROM TABLE(TUMBLE(TABLE t, DESCRIPTOR(ts), INTERVAL '1' HOUR))
GROUP BY k, window_start, window_end;
SQL
}

part_window() {
  local data=$out/window-$window_rows-$window_keys.csv
  if [ ! -s "$data" ]; then
    log "generating $window_rows rows over $window_keys keys into $data"
    # Three one-hour windows; one row in 50 up to 900 ms out of order (inside the watermark).
    awk -v n="$window_rows" -v keys="$window_keys" 'BEGIN {
      srand(17); step = 3 * 3600000 / n
      for (i = 1; i <= n; i++) {
        t = int(step * i); if (rand() < 0.02) t -= int(rand() * 900); if (t < 0) t = 0
        printf "k%08d,%d,2024-03-01 %02d:%02d:%02d.%03d\n", int(rand() * keys), int(rand() * 1000),
               int(t / 3600000), int(t / 60000) % 60, int(t / 1000) % 60, t % 1000
      }
    }' > "$data.tmp"
    mv "$data.tmp" "$data"
  fi
  local tiny="SET 'state.backend.rocksdb.block.cache-size' = '1 mb';
SET 'state.backend.rocksdb.writebuffer.size' = '1 mb';
SET 'state.backend.rocksdb.front-cache.size' = '1 mb';"
  window_sql hashmap hashmap "" "" "$data" > "$work/window-hashmap.sql"
  window_sql rocksdb-default rocksdb "" "" "$data" > "$work/window-rocksdb-default.sql"
  window_sql rocksdb-tiny rocksdb "$tiny" "" "$data" > "$work/window-rocksdb-tiny.sql"
  # The live state's size: the hashmap backend's checkpoint file holds each live entry once.
  window_sql sizes hashmap "" "200 ms" "$data" > "$work/window-size.sql"
  wait_quiet
  log "window: a hashmap run with checkpoints every 200 ms, for the state's size (also the warm-up)"
  rm -rf "$work/window-ckpt"
  timed "$work/window.log" "$sluice" run "$work/window-size.sql"
  local live
  live=$(sed -n 's/.*complete in .* files, \([0-9]*\) bytes of state.*/\1/p' "$work/window.log" | sort -n | tail -1)
  rm -rf "$work/window-ckpt"
  local list=(hashmap rocksdb-default rocksdb-tiny) c i
  declare -A wall cpu rss rows
  read -r b0 a0 < <(busy_ticks)
  for ((i = 1; i <= runs; i++)); do
    for c in "${list[@]}"; do
      timed "$work/window.log" "$sluice" run "$work/window-$c.sql"
      wall[$c]="${wall[$c]:-} $t_wall"; cpu[$c]="${cpu[$c]:-} $t_cpu"; rss[$c]="${rss[$c]:-} $t_rss"
      rows[$c]=$(written "$work/window.log")
      log "  window $c run $i: $t_wall s, cpu $t_cpu s, $t_rss MB, ${rows[$c]} rows out"
    done
  done
  read -r b1 a1 < <(busy_ticks)
  local base
  base=$(median ${wall[hashmap]})
  {
    header
    echo "(b) window aggregation: per key and 1-hour tumbling window COUNT, SUM, MAX, MIN; $window_rows rows over $window_keys keys"
    echo "    in 3 windows, blackhole sink; live keyed state up to $(awk -v b="${live:-0}" 'BEGIN { printf "%.0f MB", b / 1048576 }')"
    echo "    (largest checkpoint of the hashmap backend, one record per live entry); median of $runs runs, interleaved;"
    echo "    machine $(busy_pct "$b0" "$a0" "$b1" "$a1")% busy while measuring (one run alone: ~50%)"
    echo
    printf '%-44s %9s %12s %9s %12s %11s %10s\n' "backend, caches" "median s" "rows/s" "cpu s" "peak RSS MB" "time ratio" "rows out"
    for c in "${list[@]}"; do
      local m label
      m=$(median ${wall[$c]})
      case $c in
        hashmap) label="hashmap (all in memory)" ;;
        rocksdb-default) label="rocksdb, default (8 MB block, 64 MB wb+front)" ;;
        rocksdb-tiny) label="rocksdb, tiny (1 MB block, wb, front)" ;;
      esac
      printf '%-44s %9s %12s %9s %12s %11s %10s\n' "$label" "$m" \
        "$(awk -v n="$window_rows" -v s="$m" 'BEGIN { printf "%.0f k", n / s / 1e3 }')" "$(median ${cpu[$c]})" \
        "$(maxof ${rss[$c]})" "$(awk -v a="$m" -v b="$base" 'BEGIN { printf "%.2f", a / b }')" "${rows[$c]}"
    done
    echo "time ratio: median wall time / hashmap's. wb = write buffer (memtable), front = sluice's in-memory layer."
  } | tee "$out/state-window.txt"
}

# ---- (c) checkpoints of large, mostly unchanging state ------------------------------------------
#
# The job keeps, per key, COUNT(*) and MAX(s) of a 400-character random string in a one-day window,
# and reads a named pipe. The script writes one row per key (phase 1), then, once checkpoint 1 is
# complete, rows for a small fraction of the keys (phase 2), and stops the job with kill -9 once
# checkpoint 2 is complete (closing the pipe would fire the window, which is not measured here).
# Between the phases it writes bursts of rows for one extra key, so that the source's reads return
# and the job's loop (and its checkpoint timer) keeps turning. The checkpoint interval is longer
# than phase 1 takes (measured in a first run of each backend and size), so that checkpoint 1 holds
# the whole state and checkpoint 2 differs from it by phase 2 alone.

ckpt_sql() { # BACKEND INCREMENTAL INTERVAL_S DIR > sql
  cat <<SQL
SET 'state.backend' = '$1';
SET 'state.backend.incremental' = '$2';
SET 'state.backend.rocksdb.localdir' = '$4';
${ckpt_front:+SET 'state.backend.rocksdb.front-cache.size' = '$ckpt_front';}
SET 'execution.checkpointing.interval' = '$3 s';
SET 'state.checkpoints.dir' = 'file://$4/ckpt';
CREATE TABLE t (k STRING, s STRING, ts TIMESTAMP(3), WATERMARK FOR ts AS ts - INTERVAL '1' SECOND)
  WITH ('connector' = 'filesystem', 'path' = '$4/in.fifo', 'format' = 'csv');
CREATE TABLE o (k STRING, window_start TIMESTAMP(3), n BIGINT, s STRING) WITH ('connector' = 'blackhole');
INSERT INTO o
SELECT k, window_start, COUNT(*), MAX(s)
FROM TABLE(TUMBLE(TABLE t, DESCRIPTOR(ts), INTERVAL '1' DAY))
GROUP BY k, window_start, window_end;
SQL
}

# ckpt_run BACKEND INCREMENTAL INTERVAL_S P1 P2 [calibrate]: one job as described above. Sets
# r_p1 (s phase 1 took), r_rss (MB), r_t0 (start), r_ok (0 when checkpoint 1 ended after
# checkpoint 2 was due, so that checkpoint 2 may not show phase 2). With calibrate it stops the job
# with SIGTERM after phase 1 and sets r_sp (s the final savepoint of the whole state took).
ckpt_run() {
  local be=$1 inc=$2 iv=$3 p1=$4 p2=$5 cal=${6:-} d=$work/ckpt-run pid cp t0 n ts
  rm -rf "$d"; mkdir -p "$d"
  ckpt_sql "$be" "$inc" "$iv" "$d" > "$d/job.sql"
  mkfifo "$d/in.fifo"
  exec 4<> "$d/in.fifo" # read-write: never blocks, and the job's open never waits for us
  t0=$EPOCHREALTIME
  "$sluice" run "$d/job.sql" 2> >(while IFS= read -r l; do printf '%s %s\n' "$EPOCHREALTIME" "$l"; done > "$d/log") &
  pid=$!
  r_t0=$t0
  r_ok=1
  # Once the job has the pipe open, keep only a write-only end: if the job dies, writes fail
  # (EPIPE) instead of blocking on a full pipe. Writes are never interrupted, so lines stay whole.
  until ls -l "/proc/$pid/fd" 2>/dev/null | grep -q 'in\.fifo'; do
    kill -0 "$pid" 2>/dev/null || { cat "$d/log" >&2; die "the job died before reading its input"; }
    sleep 0.01
  done
  exec 3> "$d/in.fifo" 4>&-
  cat "$p1" >&3 &
  cp=$!
  while kill -0 "$cp" 2>/dev/null; do
    kill -0 "$pid" 2>/dev/null || { cat "$d/log" >&2; die "the job died in phase 1"; }
    sleep 0.2
  done
  wait "$cp" || { cat "$d/log" >&2; die "the job died in phase 1"; }
  # Phase 1 is all in the pipe (at most its last megabyte not yet processed, a matter of ms).
  r_p1=$(awk -v a="$t0" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.1f", b - a }')
  if [ -n "$cal" ]; then
    # The stop signal's savepoint holds the whole state: about what checkpoint 1 will take.
    r_rss=$(awk '/^VmHWM/ { printf "%.0f", $2 / 1024 }' "/proc/$pid/status")
    ts=$EPOCHREALTIME
    kill -TERM "$pid"
    while kill -0 "$pid" 2>/dev/null; do cat "$work/hb.csv" >&3 || true; sleep 0.05; done # reads must return
    wait "$pid" || true
    r_sp=$(awk -v a="$ts" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.1f", b - a }')
  else
    if grep -q 'checkpoint 1 complete' "$d/log"; then die "checkpoint 1 completed before phase 1 was written: interval $iv s is too short"; fi
    for n in 1 2; do
      while ! grep -q "checkpoint $n complete" "$d/log"; do
        kill -0 "$pid" 2>/dev/null || { cat "$d/log" >&2; die "the job died waiting for checkpoint $n"; }
        if grep -q 'checkpoint .* failed' "$d/log"; then cat "$d/log" >&2; die "a checkpoint failed"; fi
        cat "$work/hb.csv" >&3 || true
        sleep 0.05
      done
      if [ "$n" = 1 ]; then
        cat "$p2" >&3
        # Phase 2 must be in before checkpoint 2 is due (start + 2 intervals), with a second to spare.
        r_ok=$(awk -v t="$t0" -v iv="$iv" -v now="$EPOCHREALTIME" 'BEGIN { print (now < t + 2 * iv - 1) ? 1 : 0 }')
      fi
    done
    r_rss=$(awk '/^VmHWM/ { printf "%.0f", $2 / 1024 }' "/proc/$pid/status")
    kill -9 "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  fi
  exec 3>&-
  sleep 0.2 # the log reader ends with the job
  cp "$d/log" "$work/ckpt-last.log"
  rm -rf "$d"
}

part_checkpoint() {
  local size mode keys p1 p2 be inc iv i
  awk 'BEGIN { for (i = 0; i < 4096; i++) print "hb,x,2024-03-01 01:00:00.000" }' > "$work/hb.csv"
  local tag=${ckpt_front:+-front-${ckpt_front// /}}
  local res=$work/ckpt-results$tag.txt
  : > "$res"
  for size in $ckpt_sizes; do
    # ~460 bytes of SST per key (400-character string, key, COUNT); a first run tells.
    keys=$((size * 1048576 / 460))
    p1=$out/ckpt-p1-$keys.csv
    p2=$out/ckpt-p2-$keys-$ckpt_changed.csv
    if [ ! -s "$p1" ]; then
      log "generating $keys keys with 400-character random strings into $p1"
      head -c $((keys * 300)) /dev/urandom | base64 -w 400 |
        awk '{ printf "k%08d,%s,2024-03-01 00:00:00.000\n", NR, $0 }' > "$p1.tmp"
      mv "$p1.tmp" "$p1"
    fi
    if [ ! -s "$p2" ]; then
      awk -v n="$keys" -v f="$ckpt_changed" 'BEGIN { srand(23); m = int(n * f)
        for (i = 1; i <= m; i++) printf "k%08d,~changed-%d,2024-03-01 01:00:00.000\n", int(rand() * n) + 1, i }' > "$p2"
    fi
    local bes=""
    case " $ckpt_modes " in *" incremental "*|*" full "*) bes="rocksdb" ;; esac
    case " $ckpt_modes " in *" hashmap "*) bes="$bes hashmap" ;; esac
    for be in $bes; do
      wait_quiet
      log "checkpoint $size MB, $be: calibration run (how long phase 1 takes)"
      ckpt_run "$be" true 3600 "$p1" "$p2" calibrate
      iv=$(awk -v p="$r_p1" -v c="$r_sp" 'BEGIN { printf "%d", p * 1.3 + 2 * c + 8 }')
      log "  phase 1 took $r_p1 s, a savepoint of it $r_sp s (peak RSS $r_rss MB); checkpoint interval $iv s"
      eval "iv_${be}_$size=$iv"
    done
    for ((i = 1; i <= runs; i++)); do
      for mode in $ckpt_modes; do
        case $mode in
          incremental) be=rocksdb; inc=true ;;
          full) be=rocksdb; inc=false ;;
          hashmap) be=hashmap; inc=false ;;
          *) die "unknown checkpoint mode '$mode'" ;;
        esac
        eval "iv=\$iv_${be}_$size"
        wait_quiet
        ckpt_run "$be" "$inc" "$iv" "$p1" "$p2"
        local l=$work/ckpt-last.log f1 f2
        f1="$(ckpt_field "$l" 1 ms) $(ckpt_field "$l" 1 files) $(ckpt_field "$l" 1 state) $(ckpt_field "$l" 1 uploaded) $(ckpt_field "$l" 1 at)"
        f2="$(ckpt_field "$l" 2 ms) $(ckpt_field "$l" 2 files) $(ckpt_field "$l" 2 state) $(ckpt_field "$l" 2 uploaded) $(ckpt_field "$l" 2 at)"
        # size mode keys iv p1 rss  ms1 files1 state1 up1 at1  ms2 files2 state2 up2 at2  t0  paused1 paused2
        if [ "$r_ok" != 1 ]; then
          log "  WARNING: checkpoint 1 ended after checkpoint 2 was due: checkpoint 2 may not show phase 2; run not counted"
          continue
        fi
        echo "$size $mode $keys $iv $r_p1 $r_rss $f1 $f2 $r_t0 $(ckpt_field "$l" 1 paused) $(ckpt_field "$l" 2 paused)" >> "$res"
        log "  $size MB $mode run $i: phase 1 $r_p1 s, peak RSS $r_rss MB; ckpt 1 (ms files state uploaded at): $f1; ckpt 2: $f2"
        # Checkpoint 1 must have seen all of phase 1: then checkpoint 2 holds barely more state.
        if awk -v a="$(ckpt_field "$l" 1 state)" -v b="$(ckpt_field "$l" 2 state)" 'BEGIN { exit !(b > 1.25 * a) }'; then
          log "  WARNING: checkpoint 2 holds much more state than checkpoint 1: did checkpoint 1 start before phase 1 was in?"
        fi
      done
    done
  done
  # Medians per (size, mode). End-to-end = when the completion line arrived minus when the timer
  # was due (job start + n x interval): the logged duration plus the wait for the loop to turn.
  {
    header
    echo "(c) checkpoints to a file:// folder on the same disk; per key COUNT(*) and MAX of a 400-character random string"
    echo "    in a 1-day window; checkpoint 1 after every key was written once, checkpoint 2 after $(awk -v f="$ckpt_changed" 'BEGIN { print f * 100 }')% of the keys"
    echo "    changed; RocksDB front cache ${ckpt_front:-64 mb (the default)}; median of $runs runs per row. MB = 2^20 bytes."
    echo "    'logged ms' is the duration sluice logs (from the trigger to the completion), 'paused' the part of it the job"
    echo "    stood still (barrier and synchronous snapshot); 'e2e s' is from the moment the checkpoint timer was due to the"
    echo "    completion line."
    echo
    printf '%-6s %-12s %9s %8s | %9s %9s %9s %9s %7s | %9s %9s %9s %9s %7s | %7s\n' "state" "mode" "keys" "phase1 s" \
      "1: MB" "uploaded" "logged ms" "paused ms" "e2e s" "2: MB" "uploaded" "logged ms" "paused ms" "e2e s" "RSS MB"
    awk '
      function med(s,   n, a, i, j, t) { n = split(s, a, " "); for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (a[j] + 0 < a[i] + 0) { t = a[i]; a[i] = a[j]; a[j] = t }
        return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2 }
      { g = $1 " " $2; if (!(g in keys)) order[++ng] = g
        keys[g] = $3; p1[g] = p1[g] " " $5; rss[g] = rss[g] " " $6
        pa1[g] = pa1[g] " " $18; pa2[g] = pa2[g] " " $19
        ms1[g] = ms1[g] " " $7; st1[g] = st1[g] " " $9; up1[g] = up1[g] " " $10; e1[g] = e1[g] " " ($11 - $17 - $4)
        ms2[g] = ms2[g] " " $12; st2[g] = st2[g] " " $14; up2[g] = up2[g] " " $15; e2[g] = e2[g] " " ($16 - $17 - 2 * $4) }
      END { for (i = 1; i <= ng; i++) { g = order[i]; split(g, p, " ")
        printf "%-6s %-12s %9d %8.1f | %9.1f %9.1f %9d %9d %7.2f | %9.1f %9.1f %9d %9d %7.2f | %7d\n", p[1] " MB", p[2], keys[g],
          med(p1[g]), med(st1[g]) / 1048576, med(up1[g]) / 1048576, med(ms1[g]), med(pa1[g]), med(e1[g]),
          med(st2[g]) / 1048576, med(up2[g]) / 1048576, med(ms2[g]), med(pa2[g]), med(e2[g]), med(rss[g]) } }' "$res"
  } | tee "$out/state-checkpoint$tag.txt"
}

for p in $parts; do "part_$p"; echo; done
rm -f "$work/.time"
