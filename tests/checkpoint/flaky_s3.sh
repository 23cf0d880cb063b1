#!/usr/bin/env bash
# flaky_s3.sh - an S3 outage in the middle of a checkpointing job: the checkpoint that meets it
# fails and removes what it had uploaded, the job carries on, later checkpoints complete, and the
# committed output still equals an uninterrupted run's.
#
# usage: tests/services/with_s3.sh bash flaky_s3.sh SLUICE [ROWS]
#   ROWS  input transactions (default 1500000): enough for a few seconds of job
#
# The job checkpoints every 100 ms through with_s3.sh's fault-injecting proxy, and keeps all its
# checkpoints (so that every DELETE it sends is a failed checkpoint's clean-up). Once the first
# checkpoint is complete, the proxy lets one more request through, so that the next checkpoint
# has uploaded something, then fails every request ("fail-all") until the job has given up on
# the checkpoint and logged it: by then its deletes of what it had uploaded have failed too, and
# only the retry after the next successful checkpoint can remove them.
# Checked: a "checkpoint N failed" line, a later completed checkpoint, exit status 0, the output;
# no object left in the failed chk-N folder, and none that it uploaded to shared/ unless a later
# checkpoint uploaded it again (read from s3rver's data folder and the proxy's request log); the
# newest checkpoint restores; no credential in the log. Only bash, coreutils and awk.
set -euo pipefail
sluice=$(readlink -f "$1")
rows=${2:-1500000}
here=$(cd "$(dirname "$0")" && pwd)
: "${SLUICE_TEST_S3_FLAKY_ENDPOINT:?run under tests/services/with_s3.sh}"
control=$SLUICE_TEST_S3_FLAKY_CONTROL
requests=$SLUICE_TEST_S3_FLAKY_LOG
bucket=$SLUICE_TEST_S3_BUCKET
# s3rver's objects, one file <bucket>/<key>._S3rver_object each.
s3data=$SLUICE_TEST_S3_DATA
work=$(mktemp -d /tmp/sluice-flaky-XXXXXX)
pid=""
cleanup() {
  [ -z "$pid" ] || { kill -9 "$pid"; wait "$pid"; } 2>/dev/null
  : > "$control"
  rm -rf "$work"
}
trap cleanup EXIT
prefix="flaky-${work##*-}"

fail() {
  echo "flaky_s3 test: $*" >&2
  [ -f "$work/log" ] && tail -20 "$work/log" >&2
  exit 1
}

bash "$here/../../examples/fraud-detection/gen_transactions.sh" "$rows" 500 7 > "$work/tx.json"

# The job: per card and minute, the count, total and largest amount, into CSV part files.
job() { # $1 output folder, $2 checkpoint settings
  cat <<SQL
$2
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
"$sluice" run -q "$work/plain.sql"
cat "$work"/expected/part-* | sort > "$work/expected.txt"

job "$work/out" "SET 'execution.checkpointing.interval' = '100 ms';
SET 'state.checkpoints.dir' = 's3://$bucket/$prefix';
SET 'state.checkpoints.num-retained' = '1000';
SET 'state.backend' = 'rocksdb';
SET 's3.endpoint' = '$SLUICE_TEST_S3_FLAKY_ENDPOINT';
SET 's3.path.style.access' = 'true';" > "$work/job.sql"

# Waits (up to 60 s) until command "$@" succeeds while the job runs; 1 if the job ended first.
wait_for() {
  for _ in $(seq 6000); do
    "$@" && return 0
    kill -0 "$pid" 2>/dev/null || return 1
    sleep 0.01
  done
  fail "timed out waiting for: $*"
}
# This test's requests, one "METHOD URL STATUS" line each.
our_requests() { tail -n +$((seen + 1)) "$requests"; }
completed() { grep -q ' complete in ' "$work/log"; }
# The job has given up on an upload and logged the failure: by then its deletes of what the
# attempt uploaded have failed too (the outage is still on), so only a later retry can clean up.
gave_up() { grep -q ' failed, the job carries on' "$work/log"; }

: > "$control"
: > "$work/log"
touch "$requests" # the proxy creates it at its first request
seen=$(wc -l < "$requests")
"$sluice" run -q "$work/job.sql" 2> "$work/log" &
pid=$!
wait_for completed || fail "the job ended before its first checkpoint"
echo "skip 1 fail-all" > "$control"
t0=$(date +%s%N)
wait_for gave_up || fail "the job ended during the outage (give it more rows)"
: > "$control"
outage=$(( ($(date +%s%N) - t0) / 1000000 ))
status=0
wait "$pid" || status=$?
pid=""
[ "$status" -eq 0 ] || fail "the job failed (exit $status)"

failed=$(grep -o 'checkpoint [0-9]* failed, the job carries on' "$work/log" | head -1 | tr -dc '0-9' || true)
[ -n "$failed" ] || fail "no checkpoint failed during a ${outage} ms outage"
after=$( (grep -o 'checkpoint [0-9]* complete in' "$work/log" || true) | tr -dc '0-9\n' | awk -v f="$failed" '$1 > f' | wc -l)
[ "$after" -ge 1 ] || fail "no checkpoint completed after checkpoint $failed failed"

cat "$work"/out/part-* 2>/dev/null | sort > "$work/got.txt"
if ! cmp -s "$work/expected.txt" "$work/got.txt"; then
  diff "$work/expected.txt" "$work/got.txt" | head -10 >&2
  fail "the output differs from an uninterrupted run ($(wc -l < "$work/expected.txt") rows expected, $(wc -l < "$work/got.txt") got)"
fi

# What the failed checkpoint uploaded: the PUTs that succeeded after the last complete
# checkpoint's _metadata and before the outage; those uploaded again after the outage (shared
# files a later checkpoint needed) may stay. (Rarely the request let through was the previous
# checkpoint's _metadata, and the failed one had uploaded nothing to clean up.)
[ -d "$s3data/$bucket/$prefix" ] || fail "no checkpoints in s3rver's data folder $s3data/$bucket/$prefix (has with_s3.sh changed?)"
our_requests | awk '
  $1 == "PUT" && $3 == 200 && !out { if ($2 ~ /\/_metadata$/) split("", cur); else cur[$2] = 1 }
  $3 ~ /^5/ && !out { out = 1; for (k in cur) lost[k] = 1 }
  $1 == "PUT" && $3 == 200 && out && ($2 in lost) { again[$2] = 1 }
  END { for (k in lost) print (k in again ? "again " : "once ") k }' > "$work/lost"
while read -r how key; do
  if [ "$how" = once ] && [ -e "$s3data$key._S3rver_object" ]; then
    fail "checkpoint $failed failed but left $key behind"
  fi
done < "$work/lost"
left=$(find "$s3data/$bucket/$prefix" -path "*/chk-$failed/*" -name '*._S3rver_object')
[ -z "$left" ] || fail "checkpoint $failed failed but left objects behind in its folder: ${left//$s3data/}"

# The newest checkpoint is intact: restoring it (the job had finished) downloads every file.
"$sluice" run -q "$work/job.sql" --restore latest 2>> "$work/log" || fail "restoring the newest checkpoint failed"
grep -q 'restoring from' "$work/log" || fail "--restore latest found no checkpoint"
cat "$work"/out/part-* 2>/dev/null | sort | cmp -s "$work/expected.txt" - || fail "the output changed on restoring a finished job"

for secret in "$AWS_SECRET_ACCESS_KEY" Signature= Credential=; do
  if grep -qF -- "$secret" "$work/log"; then fail "the log shows a credential ($secret)"; fi
done
echo "flaky_s3 test: a ${outage} ms S3 outage failed checkpoint $failed after it had uploaded $(wc -l < "$work/lost") objects, none left behind; $after checkpoints completed after it; output equals an uninterrupted run"
