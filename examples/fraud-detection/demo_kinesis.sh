#!/usr/bin/env bash
# demo_kinesis.sh - the fraud pipeline against local stand-ins for Kinesis and S3, in one command:
#
#   examples/fraud-detection/demo_kinesis.sh [TRANSACTIONS]     (default 20000)
#
# Installs what is missing (Debian packages, the npm stand-ins), builds sluice, starts kinesalite
# and s3rver on 127.0.0.1 (tests/services/with_kinesis.sh and with_s3.sh), creates the streams
# 'transactions' and 'fraud-alerts' and the bucket 'fraud-lake', then:
#   1. runs fraud.sql unchanged (it reads from LATEST, so the job starts first), loads sample
#      transactions into the input stream, and prints the alerts that reach 'fraud-alerts';
#   2. runs fraud_pipeline.sql (alerts to 'fraud-alerts' and the audit log on S3, partitioned by
#      date and hour), loads the transactions again, and shows the objects in the bucket.
# Both alert sets are checked against fraud.sql's query over the same transactions in a file.
# The servers stop, and everything they held goes, when the demo ends.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
n=${1:-20000}

if [ -z "${SLUICE_TEST_KINESIS_ENDPOINT:-}" ]; then
  "$root/setup.sh" build
  export SLUICE_S3_BUCKET=fraud-lake
  exec bash "$root/tests/services/with_s3.sh" bash "$root/tests/services/with_kinesis.sh" bash "$0" "$@"
fi

sluice=$root/build/sluice
work=$(mktemp -d /tmp/sluice-demo-XXXXXX)
job=""
trap '[ -z "$job" ] || { kill -9 "$job"; wait "$job"; } 2>/dev/null; rm -rf "$work"' EXIT
export AWS_ENDPOINT_URL_KINESIS=$SLUICE_TEST_KINESIS_ENDPOINT AWS_ENDPOINT_URL_S3=$SLUICE_TEST_S3_ENDPOINT
ctl() { node "$root/tests/services/kinesis_ctl.mjs" "$@"; }
say() { printf '\n== %s\n' "$*"; }

# Waits (60 s at most) until the job has said "reading shard" for every shard.
wait_reading() {
  for _ in $(seq 600); do
    [ "$(grep -c "reading shard" "$1" || true)" -ge 2 ] && return 0
    kill -0 "$job" 2>/dev/null || { cat "$1" >&2; exit 1; }
    sleep 0.1
  done
  echo "demo: the job did not start reading" >&2
  cat "$1" >&2
  exit 1
}

# The alerts fraud.sql's query gives over the transactions in a file (what both runs must give).
expected_alerts() {
  sed -e "s|'connector' = 'kinesis'|'connector' = 'filesystem'|" -e "/'aws.region'/d" -e "/'scan.stream.initpos'/d" \
    -e "s|'stream' = 'transactions'|'path' = '$work/transactions.json'|" \
    -e "s|'stream' = 'fraud-alerts'|'path' = '$work/expected'|" "$here/fraud.sql" >"$work/expected.sql"
  "$sluice" run "$work/expected.sql" -q
  cat "$work"/expected/* | sort
}

say "streams and sample data"
ctl create transactions 2 >/dev/null
ctl create fraud-alerts 1 >/dev/null
bash "$here/gen_transactions.sh" "$n" 1000 42 >"$work/transactions.json"
# A few transactions a day later on every shard move the watermark past the last windows.
for i in $(seq 1 20); do
  echo "{\"transaction_id\":\"end-$i\",\"card_id\":\"card-end-$i\",\"amount\":1.00,\"merchant_country\":\"CA\",\"event_time\":\"2024-03-02 08:00:00.000\"}"
done >>"$work/transactions.json"
expected_alerts >"$work/expected.txt"
want=$(wc -l <"$work/expected.txt")
echo "streams 'transactions' (2 shards) and 'fraud-alerts', bucket 'fraud-lake'; $n transactions; $want alerts expected"

say "1. fraud.sql, unchanged"
"$sluice" run "$here/fraud.sql" >"$work/fraud.out" 2>"$work/fraud.log" &
job=$!
wait_reading "$work/fraud.log"
ctl put transactions "$work/transactions.json" --key-field card_id >/dev/null
ctl wait-count fraud-alerts "$want" --timeout 120 >/dev/null
kill -TERM "$job"; wait "$job" || true; job=""
ctl read fraud-alerts >"$work/alerts1.txt"
head -5 "$work/alerts1.txt"
echo "... $(wc -l <"$work/alerts1.txt") alerts in 'fraud-alerts'"
sort "$work/alerts1.txt" | cmp -s - "$work/expected.txt" && echo "the same alerts as fraud.sql's query over the file" ||
  { echo "demo: the alerts differ from the file run's" >&2; exit 1; }

say "2. fraud_pipeline.sql: alerts to 'fraud-alerts' and the audit log on s3://fraud-lake/audit"
"$sluice" run "$here/fraud_pipeline.sql" >"$work/pipeline.out" 2>"$work/pipeline.log" &
job=$!
wait_reading "$work/pipeline.log"
ctl put transactions "$work/transactions.json" --key-field card_id >/dev/null
ctl wait-count fraud-alerts "$((2 * want))" --timeout 120 >/dev/null
sleep 11 # one more checkpoint: the audit log's files are published when it completes
kill -TERM "$job"; wait "$job" || true; job=""
lake=$SLUICE_TEST_S3_DATA/fraud-lake/audit
# s3rver keeps each object as a file "<key>._S3rver_object".
(cd "$lake" && find . -type f -name '*._S3rver_object' | sed -e 's|^\./|s3://fraud-lake/audit/|' -e 's|\._S3rver_object$||' | sort)
audit=$(find "$lake" -type f -name 'part-*._S3rver_object' -exec cat {} + | wc -l)
echo "... $audit alerts in the audit log"
[ "$audit" -eq "$want" ] || { echo "demo: $audit alerts in the audit log, $want expected" >&2; cat "$work/pipeline.log" >&2; exit 1; }
echo "done: $want alerts in the stream and in the data lake, from one read of the transactions"
