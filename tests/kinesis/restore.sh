#!/usr/bin/env bash
# restore.sh - a checkpointing job reading a stream (per-minute totals per card into files) is
# killed with kill -9 twice and resumed with --restore latest each time: the published files hold
# exactly what the same query gives over the same records in a file (nothing lost, nothing twice:
# shard positions and per-shard watermarks come back from the checkpoint).
# usage: restore.sh SLUICE   (under tests/services/with_kinesis.sh)
source "$(dirname "$0")/lib.sh"

gen_tx 12000 13 >"$work/tx.json"
sentinels 40 >>"$work/tx.json"
ctl create transactions 3 >/dev/null
ctl put transactions "$work/tx.json" --key-field card_id >/dev/null

query() { # $1 = the source's WITH options, $2 = the output folder
  cat <<SQL
SET 'execution.checkpointing.interval' = '300ms';
SET 'state.checkpoints.dir' = 'file://$work/checkpoints';
CREATE TABLE transactions (
  transaction_id STRING, card_id STRING, amount DECIMAL(10, 2), event_time TIMESTAMP(3),
  WATERMARK FOR event_time AS event_time - INTERVAL '5' SECOND
) WITH ($1, 'format' = 'json');
CREATE TABLE totals (card_id STRING, window_start TIMESTAMP(3), tx_count BIGINT, total DECIMAL(10, 2))
WITH ('connector' = 'filesystem', 'path' = '$2', 'format' = 'json');
INSERT INTO totals
SELECT card_id, TUMBLE_START(event_time, INTERVAL '1' MINUTE), COUNT(*), SUM(amount)
FROM transactions WHERE card_id NOT LIKE 'sentinel%'
GROUP BY card_id, TUMBLE(event_time, INTERVAL '1' MINUTE);
SQL
}
query "'connector' = 'filesystem', 'path' = '$work/tx.json'" "$work/expected" >"$work/file.sql"
"$sluice" run "$work/file.sql" -q || fail "the file run failed"
sort "$work"/expected/* >"$work/expected.txt"
expected=$(wc -l <"$work/expected.txt")

# Slow reading (100 records per call, 10 calls/s per shard): the job takes several seconds.
query "'connector' = 'kinesis', 'stream' = 'transactions', 'aws.region' = 'us-east-1', 'scan.stream.initpos' = 'TRIM_HORIZON',
  'scan.shard.getrecords.maxrecordcount' = '100', 'scan.shard.getrecords.intervalmillis' = '100'" "$work/out" >"$work/kinesis.sql"
checkpoints_done() { [ "$(grep -c "checkpoint [0-9]* complete" "$1" 2>/dev/null)" -ge "$2" ]; }
published() { [ "$(published_lines "$work/out")" -ge "$expected" ]; }
start_job "$work/run1.log" "$work/kinesis.sql"
wait_until 60 "two checkpoints of the first run" checkpoints_done "$work/run1.log" 2
kill -9 "$job_pid"; wait "$job_pid" 2>/dev/null || true
start_job "$work/run2.log" "$work/kinesis.sql" --restore latest
wait_until 60 "two checkpoints of the second run" checkpoints_done "$work/run2.log" 2
kill -9 "$job_pid"; wait "$job_pid" 2>/dev/null || true
grep -q "restoring from" "$work/run2.log" || fail "the second run did not restore"
start_job "$work/run3.log" "$work/kinesis.sql" --restore latest
wait_until 90 "$expected totals published" published
stop_job
find "$work/out" -type f ! -name '.*' -exec cat {} + | sort >"$work/actual.txt"
diff "$work/expected.txt" "$work/actual.txt" >"$work/diff.txt" || fail "totals differ after two kills: $(head -5 "$work/diff.txt")"
echo "ok: $expected totals after two kill -9 and restores, the same as from the file"
