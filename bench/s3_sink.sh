#!/usr/bin/env bash
# s3_sink.sh - throughput of the filesystem sink writing a partitioned data lake to a local folder
# and to S3 (s3rver on 127.0.0.1, started by tests/services/with_s3.sh), exactly-once (checkpoints
# every 2 s: every part is a multipart upload completed when its checkpoint completes).
#
# usage: bench/s3_sink.sh [--rows N] [--runs R] [--sluice PATH]
#   --rows N       transactions (default 1000000, about 130 MB of JSON)
#   --runs R       timed runs per target (default 3; the median is shown)
#   --sluice PATH  the binary to measure (default: bench/build/sluice, built in release mode)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
if [ -z "${SLUICE_TEST_S3_ENDPOINT:-}" ]; then
  exec bash "$root/tests/services/with_s3.sh" bash "$0" "$@"
fi
rows=1000000 runs=3 sluice=""
while [ $# -gt 0 ]; do
  case "$1" in
    --rows) rows=$2; shift 2 ;;
    --runs) runs=$2; shift 2 ;;
    --sluice) sluice=$(readlink -f "$2"); shift 2 ;;
    *) echo "usage: bench/s3_sink.sh [--rows N] [--runs R] [--sluice PATH]" >&2; exit 2 ;;
  esac
done
work=$(mktemp -d /tmp/sluice-bench-s3-XXXXXX)
trap 'rm -rf "$work"' EXIT
source "$root/bench/lib.sh"
if [ -z "$sluice" ]; then
  cd "$root"
  [ -f bench/build/build.ninja ] || meson setup bench/build -Dbuildtype=release >&2
  ninja -C bench/build sluice >&2
  sluice=$root/bench/build/sluice
fi
export AWS_ENDPOINT_URL_S3=$SLUICE_TEST_S3_ENDPOINT
server=$(for p in /proc/[0-9]*; do grep -q s3rver.js "$p/cmdline" 2>/dev/null && { echo "${p#/proc/}"; break; }; done)

bash "$root/examples/fraud-detection/gen_transactions.sh" "$rows" 1000 42 >"$work/tx.json"
job() { # $1 = the sink's path
  cat <<SQL
SET 'execution.checkpointing.interval' = '2 s';
SET 'state.checkpoints.dir' = 'file://$work/ckpt-$RANDOM';
CREATE TABLE tx (transaction_id STRING, card_id STRING, amount DECIMAL(10, 2), merchant_country STRING,
  event_time TIMESTAMP(3)) WITH ('connector' = 'filesystem', 'path' = '$work/tx.json', 'format' = 'json');
CREATE TABLE lake (transaction_id STRING, card_id STRING, amount DECIMAL(10, 2), merchant_country STRING,
  event_time TIMESTAMP(3), dt STRING, hr STRING) PARTITIONED BY (dt, hr)
WITH ('connector' = 'filesystem', 'path' = '$1', 'format' = 'json');
INSERT INTO lake SELECT *, DATE_FORMAT(event_time, 'yyyy-MM-dd'), DATE_FORMAT(event_time, 'HH') FROM tx;
SQL
}
bytes=$(wc -c <"$work/tx.json")
echo "| target | rows/s | MB/s (input JSON) | sluice CPU s | s3rver CPU s |"
echo "|---|---|---|---|---|"
for target in local s3; do
  rates=() cpus=() srv=()
  for ((r = 1; r <= runs; r++)); do
    if [ "$target" = local ]; then path="$work/lake-$r"; else path="s3://$SLUICE_TEST_S3_BUCKET/lake-$r"; fi
    job "$path" >"$work/job.sql"
    wait_quiet
    s0=$(awk '{ printf "%.2f", ($14 + $15) / 100 }' "/proc/$server/stat")
    timed "$work/job.log" "$sluice" run "$work/job.sql"
    s1=$(awk '{ printf "%.2f", ($14 + $15) / 100 }' "/proc/$server/stat")
    rates+=("$(awk -v n="$rows" -v w="$t_wall" 'BEGIN { printf "%.0f", n / w }')")
    cpus+=("$t_cpu")
    srv+=("$(awk -v a="$s0" -v b="$s1" 'BEGIN { printf "%.2f", b - a }')")
    log "$target run $r: ${t_wall} s, ${rates[-1]} rows/s, CPU $t_cpu s, s3rver CPU ${srv[-1]} s"
    rm -rf "$work/lake-$r"
  done
  rate=$(median "${rates[@]}")
  echo "| $target | $rate | $(awk -v b="$bytes" -v n="$rows" -v r="$rate" 'BEGIN { printf "%.1f", b / n * r / 1e6 }') | $(median "${cpus[@]}") | $(median "${srv[@]}") |"
done
