#!/usr/bin/env bash
# faults.sh - reading and writing through a proxy that throttles GetRecords, expires an iterator,
# throttles PutRecords and fails half the records of PutRecords calls: every record arrives
# exactly once, and each fault shows in the job's log.
# usage: faults.sh SLUICE   (under tests/services/with_kinesis.sh)
source "$(dirname "$0")/lib.sh"
proxy=$SLUICE_TEST_KINESIS_PROXY_ENDPOINT
control=$SLUICE_TEST_KINESIS_PROXY_CONTROL
plog=$SLUICE_TEST_KINESIS_PROXY_LOG

gen_tx 4000 3 >"$work/tx.json"
ctl create transactions 2 >/dev/null
ctl create copy 1 >/dev/null
head -2000 "$work/tx.json" | ctl put transactions - --key-field card_id >/dev/null
cat >"$work/copy.sql" <<SQL
CREATE TABLE transactions (transaction_id STRING)
WITH ('connector' = 'kinesis', 'stream' = 'transactions', 'aws.region' = 'us-east-1', 'aws.endpoint' = '$proxy',
      'scan.stream.initpos' = 'TRIM_HORIZON', 'scan.shard.getrecords.intervalmillis' = '50', 'format' = 'json');
CREATE TABLE copy (transaction_id STRING)
WITH ('connector' = 'kinesis', 'stream' = 'copy', 'aws.endpoint' = '$proxy', 'format' = 'csv',
      'sink.batch.max-size' = '100', 'sink.flush-buffer.timeout' = '100ms');
INSERT INTO copy SELECT transaction_id FROM transactions;
SQL
count() { grep -c "$1" "$plog" 2>/dev/null || true; }
has() { [ "$(count "$1")" -ge "$2" ]; }

echo "op GetRecords fail 6" >"$control"
start_job "$work/job.log" "$work/copy.sql"
wait_until 30 "6 throttled GetRecords" has "GetRecords 400 ProvisionedThroughputExceededException" 6
echo "op GetRecords fail 1 400 ExpiredIteratorException" >"$control"
wait_until 30 "an expired iterator" has "GetRecords 400 ExpiredIteratorException" 1
echo "op PutRecords fail 3" >"$control"
sed -n 2001,3000p "$work/tx.json" | ctl put transactions - --key-field card_id >/dev/null
wait_until 30 "3 throttled PutRecords" has "PutRecords 400 ProvisionedThroughputExceededException" 3
echo "putrecords-partial 3" >"$control"
tail -n +3001 "$work/tx.json" | ctl put transactions - --key-field card_id >/dev/null
wait_until 30 "3 partly failed PutRecords" has "PutRecords 200 partial" 3
wait_until 60 "4000 records copied" ctl wait-count copy 4000 --timeout 1
sleep 0.5
stop_job
ctl read copy | sort >"$work/copy.txt"
n=$(wc -l <"$work/copy.txt")
[ "$n" -eq 4000 ] || fail "$n records copied, not 4000"
[ "$(uniq "$work/copy.txt" | wc -l)" -eq 4000 ] || fail "records copied twice"
grep -q "GetRecords throttled (ProvisionedThroughputExceededException)" "$work/job.log" || fail "no throttling in the log"
grep -q "the iterator of shard .* expired" "$work/job.log" || fail "no expired iterator in the log"
grep -q "PutRecords throttled" "$work/job.log" || fail "no PutRecords throttling in the log"
grep -q "PutRecords: [0-9]* of [0-9]* records failed" "$work/job.log" || fail "no partial PutRecords failure in the log"
echo "ok: 4000 records, each once, through throttling, an expired iterator and partial PutRecords failures"
