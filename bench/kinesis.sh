#!/usr/bin/env bash
# kinesis.sh - records per second reading from and writing to a local Kinesis server (kinesalite,
# started by tests/services/with_kinesis.sh), and what bounds them: sluice's CPU time against the
# server's over the same interval.
#
# usage: bench/kinesis.sh [--records N] [--shards S] [--runs R] [--sluice PATH]
#   --records N    transactions (default 200000; kinesalite holds them in memory, ~2 KB each)
#   --shards S     shards of the input stream (default 4)
#   --runs R       timed runs of each measurement (default 3; the median is shown)
#   --sluice PATH  the binary to measure (default: bench/build/sluice, built in release mode)
#
# Read: a job counts the records of the stream per day (one result row, once sentinel records a
# day later on every shard close the window), from TRIM_HORIZON; the time runs from the job's
# start to that row. Write: a job reads the same records from a file and writes them to a
# 1-shard stream (PutRecords of 500); the time is the job's, to its end (the last flush).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
if [ -z "${SLUICE_TEST_KINESIS_ENDPOINT:-}" ]; then
  exec bash "$root/tests/services/with_kinesis.sh" bash "$0" "$@"
fi
records=200000 shards=4 runs=3 sluice=""
while [ $# -gt 0 ]; do
  case "$1" in
    --records) records=$2; shift 2 ;;
    --shards) shards=$2; shift 2 ;;
    --runs) runs=$2; shift 2 ;;
    --sluice) sluice=$(readlink -f "$2"); shift 2 ;;
    *) echo "usage: bench/kinesis.sh [--records N] [--shards S] [--runs R] [--sluice PATH]" >&2; exit 2 ;;
  esac
done
work=$(mktemp -d /tmp/sluice-bench-kinesis-XXXXXX)
job=""
trap '[ -z "$job" ] || kill -9 "$job" 2>/dev/null; rm -rf "$work"' EXIT
source "$root/bench/lib.sh"
if [ -z "$sluice" ]; then
  cd "$root"
  [ -f bench/build/build.ninja ] || meson setup bench/build -Dbuildtype=release >&2
  ninja -C bench/build sluice >&2
  sluice=$root/bench/build/sluice
fi
export AWS_ENDPOINT_URL_KINESIS=$SLUICE_TEST_KINESIS_ENDPOINT
ctl() { node "$root/tests/services/kinesis_ctl.mjs" "$@"; }

# CPU seconds (user + system) a process has used so far.
cpu_of() { awk '{ printf "%.2f\n", ($14 + $15) / 100 }' "/proc/$1/stat"; }
server=$(for p in /proc/[0-9]*; do
  grep -q kinesis_server.mjs "$p/cmdline" 2>/dev/null && { echo "${p#/proc/}"; break; }
done)
[ -n "$server" ] || { log "cannot find the kinesalite process"; exit 1; }

bash "$root/examples/fraud-detection/gen_transactions.sh" "$records" 1000 42 >"$work/tx.json"
for i in $(seq 1 $((shards * 10))); do
  echo "{\"transaction_id\":\"end-$i\",\"card_id\":\"sentinel-$i\",\"amount\":1.00,\"merchant_country\":\"CA\",\"event_time\":\"2024-03-03 00:00:00.000\"}"
done >>"$work/tx.json"
total=$(wc -l <"$work/tx.json")
ctl create tx "$shards" >/dev/null
s0=$(cpu_of "$server"); t0=$EPOCHREALTIME
ctl put tx "$work/tx.json" --key-field card_id >/dev/null
put_wall=$(awk -v a="$t0" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.2f", b - a }')
put_server=$(awk -v a="$s0" -v b="$(cpu_of "$server")" 'BEGIN { printf "%.2f", b - a }')
log "loaded $total records in $put_wall s with kinesis_ctl (server CPU $put_server s)"

cat >"$work/read.sql" <<'SQL'
CREATE TABLE tx (transaction_id STRING, card_id STRING, amount DECIMAL(10, 2), merchant_country STRING,
  event_time TIMESTAMP(3), WATERMARK FOR event_time AS event_time - INTERVAL '5' SECOND)
WITH ('connector' = 'kinesis', 'stream' = 'tx', 'aws.region' = 'us-east-1', 'scan.stream.initpos' = 'TRIM_HORIZON',
      'scan.shard.getrecords.intervalmillis' = '0', 'format' = 'json');
CREATE TABLE o (d TIMESTAMP(3), n BIGINT) WITH ('connector' = 'print');
INSERT INTO o SELECT TUMBLE_START(event_time, INTERVAL '1' DAY), COUNT(*) FROM tx
GROUP BY TUMBLE(event_time, INTERVAL '1' DAY);
SQL
read_rate=() read_cpu=() read_srv=()
for ((r = 1; r <= runs; r++)); do
  wait_quiet
  rm -f "$work/read.out" # (else the loop below may see the last run's row before the truncation)
  s0=$(cpu_of "$server"); t0=$EPOCHREALTIME
  "$sluice" run "$work/read.sql" >"$work/read.out" 2>"$work/read.log" &
  job=$!
  until [ -s "$work/read.out" ]; do
    kill -0 "$job" 2>/dev/null || { cat "$work/read.log" >&2; exit 1; }
    sleep 0.02
  done
  t1=$EPOCHREALTIME
  c=$(cpu_of "$job"); s1=$(cpu_of "$server")
  kill -TERM "$job"; wait "$job" || true; job=""
  grep -q ", $records\]" "$work/read.out" || { log "unexpected count: $(cat "$work/read.out")"; exit 1; }
  wall=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", b - a }')
  read_rate+=("$(awk -v n="$total" -v w="$wall" 'BEGIN { printf "%.0f", n / w }')")
  read_cpu+=("$c")
  read_srv+=("$(awk -v a="$s0" -v b="$s1" 'BEGIN { printf "%.2f", b - a }')")
  log "read run $r: ${wall} s, ${read_rate[-1]} records/s, sluice CPU $c s, server CPU ${read_srv[-1]} s"
done

cat >"$work/write.sql" <<SQL
CREATE TABLE tx (transaction_id STRING, card_id STRING, amount DECIMAL(10, 2), merchant_country STRING,
  event_time TIMESTAMP(3)) WITH ('connector' = 'filesystem', 'path' = '$work/tx.json', 'format' = 'json');
CREATE TABLE out (transaction_id STRING, card_id STRING, amount DECIMAL(10, 2), merchant_country STRING,
  event_time TIMESTAMP(3)) PARTITIONED BY (card_id)
WITH ('connector' = 'kinesis', 'stream' = 'out', 'aws.region' = 'us-east-1', 'format' = 'json');
INSERT INTO out SELECT * FROM tx;
SQL
write_rate=() write_cpu=() write_srv=()
for ((r = 1; r <= runs; r++)); do
  ctl create "out" 1 >/dev/null 2>&1 || true
  wait_quiet
  s0=$(cpu_of "$server")
  timed "$work/write.log" "$sluice" run "$work/write.sql"
  s1=$(cpu_of "$server")
  write_rate+=("$(awk -v n="$total" -v w="$t_wall" 'BEGIN { printf "%.0f", n / w }')")
  write_cpu+=("$t_cpu")
  write_srv+=("$(awk -v a="$s0" -v b="$s1" 'BEGIN { printf "%.2f", b - a }')")
  log "write run $r: ${t_wall} s, ${write_rate[-1]} records/s, sluice CPU $t_cpu s, server CPU ${write_srv[-1]} s"
done

per_cpu() { awk -v n="$total" -v c="$1" 'BEGIN { printf "%.0f", (c > 0 ? n / c : 0) }'; }
rc=$(median "${read_cpu[@]}") wc=$(median "${write_cpu[@]}")
echo "kinesis: $total records, $shards shards, median of $runs runs"
echo "| direction | records/s | sluice CPU s | sluice records per CPU-second | kinesalite CPU s |"
echo "|---|---|---|---|---|"
echo "| read (GetRecords) | $(median "${read_rate[@]}") | $rc | $(per_cpu "$rc") | $(median "${read_srv[@]}") |"
echo "| write (PutRecords) | $(median "${write_rate[@]}") | $wc | $(per_cpu "$wc") | $(median "${write_srv[@]}") |"
echo "loading with kinesis_ctl: $(awk -v n="$total" -v w="$put_wall" 'BEGIN { printf "%.0f", n / w }') records/s (server CPU $put_server s)"
