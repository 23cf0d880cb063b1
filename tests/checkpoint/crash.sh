#!/usr/bin/env bash
# crash.sh - kill -9 a checkpointing job at random moments and restart it with --restore latest,
# again and again until it finishes; its committed output must equal an uninterrupted run's.
#
# usage: crash.sh SLUICE KILLS [ROWS] [BACKEND] [CHECKPOINTS] [INTERVAL_MS] [JOB]
#   KILLS        how many times to kill it (at least; the job may finish sooner, then the input
#                is too small and the test fails)
#   ROWS         input transactions (default 2000000)
#   BACKEND      rocksdb (default) or hashmap
#   CHECKPOINTS  file (default: a temp folder, a checkpoint every 20 ms), s3 (a fresh prefix in
#                $SLUICE_TEST_S3_BUCKET through $SLUICE_TEST_S3_FLAKY_ENDPOINT, every 300 ms; run under
#                tests/services/with_s3.sh), or a file:// or s3:// URI
#   INTERVAL_MS  the checkpoint interval instead of those defaults ('' for them)
#   JOB          window (default: per card and minute aggregates), join (the same over a LEFT
#                interval self-join of the transactions: two sources, join state, padded rows),
#                window_join (pairs of a card's transactions in the same minute), regular_join
#                (each transaction with itself, a regular join whose state only grows) or
#                statement_set (per-minute totals and the foreign transactions: two sinks fed by
#                one read of the input, in one job)
#
# When to kill: at a random moment of a run's checkpoint cycle, timed by the job's own log rather
# than the clock (which keeps the test the same on slow sanitizer builds). Each run waits for its
# anchor (its start for the first run and every fourth, which may thus die while restoring; else
# its "restoring from" line), then for K completed checkpoints, and is killed within one interval
# after that, or, when K = 0, within one interval plus the median upload: before, during or just
# after its first checkpoint. K is random from 0 to M, the number of checkpoints of an
# uninterrupted (checkpointing) run over twice the kills (0 for 10 kills on S3, several on file://), and at least 1 in the
# second run, so that the later ones restore. A run moves the job on by about K checkpoints;
# should the kills have taken it past two thirds of an uninterrupted run's checkpoints, the
# remaining runs die within one interval of their restore, before their first checkpoint, so
# that all kills happen.
# Only bash, coreutils and awk.
set -euo pipefail
sluice=$(readlink -f "$1")
kills=$2
rows=${3:-2000000}
backend=${4:-rocksdb}
where=${5:-file}
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d /tmp/sluice-crash-XXXXXX)
pid=""
trap '[ -z "$pid" ] || { kill -9 "$pid"; wait "$pid"; } 2>/dev/null; rm -rf "$work"' EXIT

case "$where" in
  file) uri="file://$work/ckpt" interval=20 ;;
  s3) uri="s3://${SLUICE_TEST_S3_BUCKET:?run under tests/services/with_s3.sh}/crash-${work##*-}" interval=300 ;;
  file://*) uri=$where interval=20 ;;
  s3://*) uri=$where interval=300 ;;
  *) echo "crash test: CHECKPOINTS must be file, s3 or a file:// or s3:// URI, not '$where'" >&2; exit 2 ;;
esac
interval=${6:-$interval}
job_kind=${7:-window}
case "$job_kind" in window|join|window_join|regular_join|statement_set) ;;
  *) echo "crash test: JOB must be window, join, window_join, regular_join or statement_set" >&2; exit 2 ;; esac

bash "$here/../../examples/fraud-detection/gen_transactions.sh" "$rows" 500 7 > "$work/tx.json"

s3_settings=""
if [ "${uri#s3://}" != "$uri" ]; then
  # Through with_s3.sh's proxy (passing everything): it forwards a PUT only once its body has
  # arrived, so that a PUT cut short by kill -9 leaves no object, as on S3 (s3rver on its own
  # would store the part it got, e.g. an empty _metadata).
  s3_settings="SET 's3.endpoint' = '${SLUICE_TEST_S3_FLAKY_ENDPOINT:?run under tests/services/with_s3.sh}';
SET 's3.path.style.access' = 'true';"
fi

# The job: per card and minute, the count, total and largest amount, into CSV part files; for
# JOB=join, of each transaction paired with the card's transactions in the minute before it
# (or with nothing: NULL amounts); for the window_join and regular_join JOBs, the pairs themselves.
job() { # $1 output folder, $2 checkpoint settings
  cat <<SQL
$2
$s3_settings
SET 'state.backend' = '$backend';
CREATE TABLE tx (
  transaction_id STRING, card_id STRING, amount DECIMAL(10, 2), merchant_country STRING,
  event_time TIMESTAMP(3), WATERMARK FOR event_time AS event_time - INTERVAL '5' SECOND
) WITH ('connector' = 'filesystem', 'path' = '$work/tx.json', 'format' = 'json');
SQL
  local sink="WITH ('connector' = 'filesystem', 'path' = '$1', 'format' = 'csv', 'sink.rolling-policy.file-size' = '64kb')"
  case "$job_kind" in
    window) cat <<SQL
CREATE TABLE per_minute (card_id STRING, window_start TIMESTAMP(3), n BIGINT, total DECIMAL(20, 2),
  largest DECIMAL(10, 2), countries BIGINT) $sink;
INSERT INTO per_minute
SELECT card_id, window_start, COUNT(*), SUM(amount), MAX(amount), COUNT(DISTINCT merchant_country)
FROM TABLE(TUMBLE(TABLE tx, DESCRIPTOR(event_time), INTERVAL '1' MINUTE))
GROUP BY card_id, window_start, window_end;
SQL
      ;;
    join) cat <<SQL
CREATE TABLE per_minute (card_id STRING, window_start TIMESTAMP(3), n BIGINT, total DECIMAL(20, 2),
  largest_before DECIMAL(10, 2), alone BIGINT) $sink;
CREATE VIEW pairs AS
SELECT a.card_id, a.event_time, a.amount, b.amount AS before_amount
FROM tx a LEFT JOIN tx b ON a.card_id = b.card_id AND a.transaction_id <> b.transaction_id
  AND b.event_time BETWEEN a.event_time - INTERVAL '1' MINUTE AND a.event_time;
INSERT INTO per_minute
SELECT card_id, window_start, COUNT(*), SUM(amount), MAX(before_amount), COUNT(*) - COUNT(before_amount)
FROM TABLE(TUMBLE(TABLE pairs, DESCRIPTOR(event_time), INTERVAL '1' MINUTE))
GROUP BY card_id, window_start, window_end;
SQL
      ;;
    window_join) cat <<SQL
CREATE TABLE pairs (a STRING, b STRING, amount DECIMAL(10, 2), country STRING) $sink;
INSERT INTO pairs SELECT a.transaction_id, b.transaction_id, a.amount, b.merchant_country
FROM TABLE(TUMBLE(TABLE tx, DESCRIPTOR(event_time), INTERVAL '1' MINUTE)) a
JOIN TABLE(TUMBLE(TABLE tx, DESCRIPTOR(event_time), INTERVAL '1' MINUTE)) b
  ON a.card_id = b.card_id AND a.window_start = b.window_start AND a.window_end = b.window_end
  AND a.transaction_id < b.transaction_id;
SQL
      ;;
    statement_set) cat <<SQL
CREATE TABLE per_minute (card_id STRING, window_start TIMESTAMP(3), n BIGINT, total DECIMAL(20, 2))
WITH ('connector' = 'filesystem', 'path' = '$1/per_minute', 'format' = 'csv', 'sink.rolling-policy.file-size' = '64kb');
CREATE TABLE foreign_tx (transaction_id STRING, card_id STRING, amount DECIMAL(10, 2))
WITH ('connector' = 'filesystem', 'path' = '$1/foreign', 'format' = 'csv', 'sink.rolling-policy.file-size' = '64kb');
EXECUTE STATEMENT SET BEGIN
INSERT INTO per_minute SELECT card_id, window_start, COUNT(*), SUM(amount)
FROM TABLE(TUMBLE(TABLE tx, DESCRIPTOR(event_time), INTERVAL '1' MINUTE))
GROUP BY card_id, window_start, window_end;
INSERT INTO foreign_tx SELECT transaction_id, card_id, amount FROM tx WHERE merchant_country <> 'CA';
END;
SQL
      ;;
    regular_join) cat <<SQL
CREATE TABLE pairs (a STRING, b STRING, amount DECIMAL(10, 2), country STRING) $sink;
INSERT INTO pairs SELECT a.transaction_id, b.transaction_id, a.amount, b.merchant_country
FROM tx a JOIN tx b ON a.transaction_id = b.transaction_id;
SQL
      ;;
  esac
}

# The reference: an uninterrupted run, checkpointing like the job (elsewhere), so that its
# count of checkpoints tells how many a whole run makes (checkpoints slow a run down, more so
# under the sanitizers: the run time alone overestimates them).
job "$work/expected" "SET 'execution.checkpointing.interval' = '$interval ms';
SET 'state.checkpoints.dir' = '$uri-ref';" > "$work/plain.sql"
"$sluice" run -q "$work/plain.sql" 2> "$work/ref.log"
total=$(grep -c 'checkpoint [0-9]* complete' "$work/ref.log" || true)
# Every published part file under a job's output folder (a statement set writes two folders).
parts() { find "$1" -type f -name 'part-*' -exec cat {} + 2>/dev/null | sort; }
parts "$work/expected" > "$work/expected.txt"

job "$work/out" "SET 'execution.checkpointing.interval' = '$interval ms';
SET 'state.checkpoints.dir' = '$uri';
SET 'state.checkpoints.num-retained' = '2';" > "$work/job.sql"

most=$(( total / (2 * kills) ))
limit=$(( 2 * total / 3 )) # checkpoints in two thirds of an uninterrupted run

# Waits until run $1 has logged $2 lines matching $3 (in $work/run.log) or has ended.
wait_lines() {
  while kill -0 "$1" 2>/dev/null; do
    [ "$(grep -cE "$3" "$work/run.log" || true)" -lt "$2" ] || return 0
    sleep 0.01
  done
}
# The durations of the completed checkpoints so far, in ms, one a line, sorted.
uploads() { grep -o 'complete in [0-9]* ms' "$work/log" | tr -dc '0-9\n' | sort -n || true; }

killed=0
runs=0
: > "$work/log"
while :; do
  runs=$((runs + 1))
  "$sluice" run -q "$work/job.sql" --restore latest 2> "$work/run.log" &
  pid=$!
  if [ "$killed" -lt "$kills" ]; then
    # From where the kill is timed: the start, for the first run and every fourth (these may die
    # while restoring), else the moment the run has restored (or started fresh).
    if [ "$runs" -gt 1 ] && [ $((runs % 4)) -ne 0 ]; then
      wait_lines "$pid" 1 'restoring from|starting fresh'
    fi
    # Then K checkpoints: at least one in the second run, so that the runs after it restore.
    k=$(( RANDOM % (most + 1) ))
    [ "$runs" -ne 2 ] || k=$(( k + 1 ))
    done_ckpts=$(grep -o 'checkpoint [0-9]* complete' "$work/log" | tr -dc '0-9\n' | sort -n | tail -1 || true)
    if [ "$runs" -gt 2 ] && [ "${done_ckpts:-0}" -ge "$limit" ]; then
      # The kills have taken the job far enough: die before the run's first checkpoint.
      window=$interval
    elif [ "$k" -eq 0 ]; then
      # The run's first checkpoint starts one interval after its restore and takes about the
      # median upload: most kills land before it, many during it, some just after.
      median=$(uploads | awk '{ d[NR] = $1 } END { if (NR) print d[int((NR + 1) / 2)] }')
      window=$(( interval + ${median:-$interval} ))
    else
      wait_lines "$pid" "$k" ' complete in '
      window=$interval
    fi
    ms=$(( RANDOM % window ))
    sleep "$(printf "%d.%03d" $((ms / 1000)) $((ms % 1000)))"
    if kill -9 "$pid" 2>/dev/null; then
      wait "$pid" 2>/dev/null || true
      pid=""
      cat "$work/run.log" >> "$work/log"
      echo "crash test: run $runs killed" >> "$work/log"
      killed=$((killed + 1))
      continue
    fi
  fi
  status=0
  wait "$pid" || status=$?
  pid=""
  cat "$work/run.log" >> "$work/log"
  if [ "$status" -ne 0 ]; then
    echo "crash test: run $runs failed (exit $status):" >&2
    tail -20 "$work/log" >&2
    exit 1
  fi
  break
done

parts "$work/out" > "$work/got.txt"
if ! cmp -s "$work/expected.txt" "$work/got.txt"; then
  echo "crash test: output after $killed kills differs from an uninterrupted run ($(wc -l < "$work/expected.txt") rows expected, $(wc -l < "$work/got.txt") got)" >&2
  diff "$work/expected.txt" "$work/got.txt" | head -10 >&2
  tail -20 "$work/log" >&2
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
# How far the kills took the job: the last run's checkpoint and the job's last one.
from=$(grep -o '(checkpoint [0-9]*)$' "$work/log" | tail -1 | tr -dc '0-9' || true)
last=$(grep -o 'checkpoint [0-9]* complete in' "$work/log" | tail -1 | tr -dc '0-9' || true)
echo "crash test: $killed kills, $runs runs, $restores restores, the last from checkpoint ${from:-0} of ${last:-0}, $(wc -l < "$work/got.txt") rows: output equals an uninterrupted run ($job_kind job, $backend, ${uri%%://*}, every $interval ms)"
