#!/usr/bin/env bash
# read_shards.sh - the fraud query over a 4-shard stream (Kinesis source and sink) gives exactly
# the alerts of the same query over the same records in a file. Every shard has its own
# watermark; sentinel records far ahead in event time, on every shard, close the last windows.
# usage: read_shards.sh SLUICE   (under tests/services/with_kinesis.sh)
source "$(dirname "$0")/lib.sh"

gen_tx 6000 11 >"$work/tx.json"
sentinels 40 >>"$work/tx.json"
ctl create transactions 4 >/dev/null
ctl create alerts 1 >/dev/null
ctl put transactions "$work/tx.json" --key-field card_id >/dev/null

query() { # $1 = the source's WITH options, $2 = the sink's
  cat <<SQL
CREATE TABLE transactions (
  transaction_id STRING, card_id STRING, amount DECIMAL(10, 2), merchant_country STRING,
  event_time TIMESTAMP(3),
  WATERMARK FOR event_time AS event_time - INTERVAL '5' SECOND
) WITH ($1, 'format' = 'json');
CREATE TABLE alerts (card_id STRING, window_start TIMESTAMP(3), tx_count BIGINT, total_amount DECIMAL(10, 2))
WITH ($2, 'format' = 'json');
INSERT INTO alerts
SELECT card_id, TUMBLE_START(event_time, INTERVAL '1' MINUTE), COUNT(*), SUM(amount)
FROM transactions WHERE merchant_country <> 'CA'
GROUP BY card_id, TUMBLE(event_time, INTERVAL '1' MINUTE)
HAVING COUNT(*) > 1;
SQL
}

query "'connector' = 'filesystem', 'path' = '$work/tx.json'" "'connector' = 'filesystem', 'path' = '$work/expected'" >"$work/file.sql"
"$sluice" run "$work/file.sql" -q || fail "the file run failed"
sort "$work"/expected/* >"$work/expected.txt"
expected=$(wc -l <"$work/expected.txt")
[ "$expected" -gt 100 ] || fail "only $expected alerts expected: the data is too small"

query "'connector' = 'kinesis', 'stream' = 'transactions', 'aws.region' = 'us-east-1', 'scan.stream.initpos' = 'TRIM_HORIZON'" \
  "'connector' = 'kinesis', 'stream' = 'alerts', 'aws.region' = 'us-east-1', 'sink.flush-buffer.timeout' = '100ms'" >"$work/kinesis.sql"
start_job "$work/job.log" "$work/kinesis.sql"
wait_until "${WAIT:-60}" "$expected alerts in the alerts stream" ctl wait-count alerts "$expected" --timeout 1 || true
sleep 0.5 # anything beyond would be a duplicate
stop_job
ctl read alerts | sort >"$work/actual.txt"
[ -z "${KEEP:-}" ] || cp -r "$work" /tmp/kt/keep
diff "$work/expected.txt" "$work/actual.txt" >"$work/diff.txt" || fail "alerts differ: $(head -5 "$work/diff.txt")"
echo "ok: $expected alerts from 4 shards, the same as from the file"
