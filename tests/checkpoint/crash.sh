#!/usr/bin/env bash
# crash.sh - kill -9 a checkpointing job at random moments and restart it with --restore latest,
# again and again until it finishes; its committed output must equal an uninterrupted run's.
#
# usage: crash.sh SLUICE KILLS [ROWS] [BACKEND] [CHECKPOINTS_URI]
#   KILLS            how many times to kill it (at least; the job may finish sooner, then the
#                    input is too small and the test fails)
#   ROWS             input transactions (default 2000000)
#   BACKEND          rocksdb (default) or hashmap
#   CHECKPOINTS_URI  default: a file:// folder; s3://bucket/prefix with the S3 settings in
#                    SLUICE_TEST_S3_ENDPOINT (see tests/services/with_s3.sh)
# Only bash and coreutils: the kill delays come from $RANDOM.
set -euo pipefail
sluice=$(readlink -f "$1")
kills=$2
rows=${3:-2000000}
backend=${4:-rocksdb}
uri=${5:-}
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d /tmp/sluice-crash-XXXXXX)
trap 'rm -rf "$work"' EXIT
[ -n "$uri" ] || uri="file://$work/ckpt"

bash "$here/../../examples/fraud-detection/gen_transactions.sh" "$rows" 500 7 > "$work/tx.json"

s3_settings=""
if [ "${uri#s3://}" != "$uri" ]; then
  s3_settings="SET 's3.endpoint' = '${SLUICE_TEST_S3_ENDPOINT:?run under tests/services/with_s3.sh}';
SET 's3.path.style.access' = 'true';"
fi

# The job: per card and minute, the count, total and largest amount, into CSV part files.
job() { # $1 output folder, $2 checkpoint settings
  cat <<SQL
$2
$s3_settings
SET 'state.backend' = '$backend';
CREATE TABLE tx (
  transaction_id STRING, card_id STRING, amount DECIMAL(10, 2), merchant_country STRING,
  event_time TIMESTAMP(3), WATERMARK FOR event_time AS event_time - INTERVAL '5' SECOND
) WITH ('connector' = 'filesystem', 'path' = '$work/tx.json', 'format' = 'json');
CREATE TABLE per_minute (card_id STRING, window_start TIMESTAMP(3), n BIGINT, total DECIMAL(20, 2),
  largest DECIMAL(10, 2), countries BIGINT)
  WITH ('connector' = 'filesystem', 'path' = '$1', 'format' = 'csv', 'sink.rolling-policy.file-size' = '64kb');
INSERT INTO per_minute
SELECT card_id, window_start, COUNT(*), SUM(amount), MAX(amount), COUNT(DISTINCT merchant_country)
FROM TABLE(TUMBLE(TABLE tx, DESCRIPTOR(event_time), INTERVAL '1' MINUTE))
GROUP BY card_id, window_start, window_end;
SQL
}

job "$work/expected" "" > "$work/plain.sql"
t0=$(date +%s%N)
"$sluice" run -q "$work/plain.sql"
span=$(( ($(date +%s%N) - t0) / 1000000 )) # ms of an uninterrupted run: kills are timed by it
cat "$work"/expected/part-* | sort > "$work/expected.txt"

job "$work/out" "SET 'execution.checkpointing.interval' = '20 ms';
SET 'state.checkpoints.dir' = '$uri';
SET 'state.checkpoints.num-retained' = '2';" > "$work/job.sql"

killed=0
runs=0
while :; do
  runs=$((runs + 1))
  "$sluice" run -q "$work/job.sql" --restore latest 2>> "$work/log" &
  pid=$!
  if [ "$killed" -lt "$kills" ]; then
    # 2.5% to 12.5% of an uninterrupted run: some runs die before their first checkpoint, most
    # after a few, often in the middle of one.
    ms=$(( span / 40 + RANDOM % (span / 10 + 1) ))
    sleep "$(printf "%d.%03d" $((ms / 1000)) $((ms % 1000)))"
    if kill -9 "$pid" 2>/dev/null; then
      wait "$pid" 2>/dev/null || true
      killed=$((killed + 1))
      continue
    fi
  fi
  if ! wait "$pid"; then
    echo "crash test: run $runs failed:" >&2
    tail -20 "$work/log" >&2
    exit 1
  fi
  break
done

cat "$work"/out/part-* 2>/dev/null | sort > "$work/got.txt"
if ! cmp -s "$work/expected.txt" "$work/got.txt"; then
  echo "crash test: output after $killed kills differs from an uninterrupted run ($(wc -l < "$work/expected.txt") rows expected, $(wc -l < "$work/got.txt") got)" >&2
  diff "$work/expected.txt" "$work/got.txt" | head -10 >&2
  exit 1
fi
if [ "$killed" -lt "$kills" ]; then
  echo "crash test: the job finished after $killed of $kills kills; give it more rows" >&2
  exit 1
fi
restores=$(grep -c "restoring from" "$work/log" || true)
if [ "$restores" -lt $((kills / 2)) ]; then
  echo "crash test: only $restores of $runs runs restored a checkpoint; the kills came too early" >&2
  exit 1
fi
echo "crash test: $killed kills, $runs runs, $restores restores, $(wc -l < "$work/got.txt") rows: output equals an uninterrupted run ($backend, ${uri%%://*})"

