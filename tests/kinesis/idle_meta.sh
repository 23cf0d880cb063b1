#!/usr/bin/env bash
# idle_meta.sh - a shard without records holds the watermark back until it turns idle
# ('scan.shard.idle.interval'): windows then fire on the other shard's progress alone. And the
# METADATA columns: each row's shard id and sequence number are those the stream reports, its
# arrival time is the record's. And a Kinesis sink stopped without checkpoints still sends the
# records it buffered.
# usage: idle_meta.sh SLUICE   (under tests/services/with_kinesis.sh)
source "$(dirname "$0")/lib.sh"

# One card only: every record lands on the same one of the two shards.
gen_tx 3000 5 | sed 's/"card_id":"card-[0-9]*"/"card_id":"card-1"/' >"$work/tx.json"
ctl create transactions 2 >/dev/null
ctl put transactions "$work/tx.json" --key-field card_id >/dev/null
ctl read transactions --with-meta | awk -F'\t' '{ print $1 "\t" $2 }' | sort >"$work/meta.expected"

query() { # $1 = extra source options
  cat <<SQL
CREATE TABLE transactions (
  transaction_id STRING, card_id STRING, event_time TIMESTAMP(3),
  shard STRING METADATA FROM 'shard-id' VIRTUAL,
  seq STRING METADATA FROM 'sequence-number' VIRTUAL,
  arrival TIMESTAMP_LTZ(3) METADATA FROM 'timestamp' VIRTUAL,
  WATERMARK FOR event_time AS event_time - INTERVAL '5' SECOND
) WITH ('connector' = 'kinesis', 'stream' = 'transactions', 'aws.region' = 'us-east-1',
        'scan.stream.initpos' = 'TRIM_HORIZON', 'format' = 'json'$1);
CREATE TABLE per_minute (m TIMESTAMP(3), n BIGINT) WITH ('connector' = 'print', 'print-identifier' = 'W');
CREATE TABLE rows_meta (shard STRING, seq STRING, arrival TIMESTAMP_LTZ(3)) WITH ('connector' = 'print', 'print-identifier' = 'M');
EXECUTE STATEMENT SET BEGIN
INSERT INTO per_minute SELECT TUMBLE_START(event_time, INTERVAL '1' MINUTE), COUNT(*) FROM transactions
GROUP BY TUMBLE(event_time, INTERVAL '1' MINUTE);
INSERT INTO rows_meta SELECT shard, seq, arrival FROM transactions;
END;
SQL
}
windows() { grep -c '^W> ' "$1" 2>/dev/null || true; }
rows() { [ "$(grep -c '^M> ' "$1" 2>/dev/null || true)" -ge 3000 ]; }

# Without an idle interval the empty shard holds every window back.
query "" >"$work/no_idle.sql"
start_job "$work/no_idle.log" "$work/no_idle.sql"
wait_until 30 "3000 rows read" rows "$work/no_idle.log"
sleep 2
[ "$(windows "$work/no_idle.log")" -eq 0 ] || fail "windows fired although a shard has no records and no idle interval"
stop_job

# With one, the empty shard turns idle after 500 ms and the windows up to the last minute fire.
query ", 'scan.shard.idle.interval' = '500'" >"$work/idle.sql"
start_job "$work/idle.log" "$work/idle.sql"
fired() { [ "$(windows "$work/idle.log")" -ge 4 ]; }
wait_until 30 "windows fired once the empty shard is idle" fired
stop_job

# Metadata: the shard and sequence number of every record, as the stream reports them.
sed -n 's/^M> +I\[\(shardId-[0-9]*\), \([0-9]*\), .*/\1\t\2/p' "$work/idle.log" | sort >"$work/meta.actual"
diff "$work/meta.expected" "$work/meta.actual" >/dev/null || fail "shard ids or sequence numbers differ from the stream's"
now=$(date -u +%Y-%m-%d)
[ "$(grep -c "^M> +I\[shardId-[0-9]*, [0-9]*, $now " "$work/idle.log")" -eq 3000 ] || fail "arrival times are not today's"

# A stop sends what the sink buffered (7 full batches of 400 went out; 200 records wait for a
# timeout of an hour).
ctl create copy 1 >/dev/null
cat >"$work/copy.sql" <<'SQL'
CREATE TABLE transactions (transaction_id STRING)
WITH ('connector' = 'kinesis', 'stream' = 'transactions', 'aws.region' = 'us-east-1',
      'scan.stream.initpos' = 'TRIM_HORIZON', 'format' = 'json');
CREATE TABLE copy (transaction_id STRING)
WITH ('connector' = 'kinesis', 'stream' = 'copy', 'format' = 'csv', 'sink.batch.max-size' = '400',
      'sink.flush-buffer.timeout' = '1 h');
INSERT INTO copy SELECT transaction_id FROM transactions;
SQL
start_job "$work/copy.log" "$work/copy.sql"
wait_until 30 "2800 records copied" ctl wait-count copy 2800 --timeout 1
sleep 0.5
[ "$(ctl read copy | wc -l)" -eq 2800 ] || fail "more than the full batches were sent before the stop"
stop_job
[ "$(ctl read copy | sort -u | wc -l)" -eq 3000 ] || fail "the stop did not send the buffered records"
echo "ok: windows wait for an empty shard until it is idle; metadata columns match the stream; a stop flushes the sink"
