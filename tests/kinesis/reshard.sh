#!/usr/bin/env bash
# reshard.sh - a shard split and a merge while the job reads: every record read exactly once, and
# a card's records in the order they were put (a child shard is read only after its parents).
# usage: reshard.sh SLUICE   (under tests/services/with_kinesis.sh)
source "$(dirname "$0")/lib.sh"

gen_tx 3000 5 >"$work/tx.json"
head -1000 "$work/tx.json" >"$work/a.json"
sed -n 1001,2000p "$work/tx.json" >"$work/b.json"
tail -n +2001 "$work/tx.json" >"$work/c.json"
ctl create transactions 2 >/dev/null
ctl create copy 1 >/dev/null
cat >"$work/copy.sql" <<'SQL'
CREATE TABLE transactions (transaction_id STRING, card_id STRING)
WITH ('connector' = 'kinesis', 'stream' = 'transactions', 'aws.region' = 'us-east-1',
      'scan.stream.initpos' = 'TRIM_HORIZON', 'scan.shard.discovery.intervalmillis' = '200',
      'scan.shard.getrecords.intervalmillis' = '100', 'scan.shard.getrecords.maxrecordcount' = '25',
      'format' = 'json');
CREATE TABLE copy (card_id STRING, transaction_id STRING)
WITH ('connector' = 'kinesis', 'stream' = 'copy', 'format' = 'csv', 'sink.flush-buffer.timeout' = '100ms');
INSERT INTO copy SELECT card_id, transaction_id FROM transactions;
SQL
start_job "$work/job.log" "$work/copy.sql"
# The job reads slowly (25 records per call, 10 calls/s per shard), so the parents still hold
# unread records when their children get theirs: reading a child early would reorder a card.
ctl put transactions "$work/a.json" --key-field card_id >/dev/null
children=($(ctl split transactions shardId-000000000000))
ctl put transactions "$work/b.json" --key-field card_id >/dev/null
merged=$(ctl merge transactions "${children[0]}" "${children[1]}")
ctl put transactions "$work/c.json" --key-field card_id >/dev/null
wait_until 60 "3000 records copied" ctl wait-count copy 3000 --timeout 1
sleep 0.5
stop_job
grep -q "new shard $merged" "$work/job.log" || fail "the merged shard $merged was not discovered"
ctl read copy >"$work/copy.csv"
n=$(wc -l <"$work/copy.csv")
[ "$n" -eq 3000 ] || fail "$n records copied, not 3000"
# Every transaction once, and per card in input order (transaction ids grow with input order).
sort -t, -k2 "$work/copy.csv" | cut -d, -f2 | uniq -d | head -1 | grep -q . && fail "a transaction was copied twice"
awk -F, '{ if (($1 in last) && $2 <= last[$1]) { print "card " $1 ": " $2 " after " last[$1]; bad = 1 } last[$1] = $2 }
  END { exit bad }' "$work/copy.csv" >"$work/order.txt" || fail "order per card broken: $(head -3 "$work/order.txt")"
echo "ok: 3000 records over a split and a merge, each once, in order per card"
