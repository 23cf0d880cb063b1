#!/usr/bin/env bash
# cancel.sh - an unbounded job (a filesystem source on a named pipe that `yes` keeps feeding)
# runs until PATCH /jobs/<id>?mode=cancel: 202, then CANCELED; a second cancel is 409.
#
# usage: cancel.sh SLUICE SRC_ROOT
sluice=$1 src=$2
. "$(dirname "$0")/lib.sh"

mkfifo "$work/feed"
cat > "$work/job.sql" <<SQL
CREATE TABLE tx (transaction_id STRING, card_id STRING, amount DECIMAL(10, 2))
WITH ('connector' = 'filesystem', 'path' = '$work/feed', 'format' = 'json');
CREATE TABLE big (card_id STRING, amount DECIMAL(10, 2))
WITH ('connector' = 'filesystem', 'path' = '$work/out', 'format' = 'json');
INSERT INTO big SELECT card_id, amount FROM tx WHERE amount > 1000;
SQL

start_server
id=$(submit "$work/job.sql")
# The writer: the same record again and again, for as long as the job reads (a trickle would
# leave the source waiting inside a batch it is filling, where it does not see the cancel).
yes '{"transaction_id": "t1", "card_id": "c1", "amount": 12.50}' > "$work/feed" 2>/dev/null &
extra_pids=$!

wait_state "$id" RUNNING 30
sleep 0.5
http GET "/jobs/$id" | grep_q '"state-size":[0-9]*,"metrics":{"read-records":[1-9]' || die "the job reads nothing: $(http GET "/jobs/$id")"
[ "$(job_state "$id")" = RUNNING ] || die "the unbounded job is not RUNNING"
grep -q "\"end-time\":-1" <<< "$(http GET "/jobs/$id")" || die "end-time is not -1 while running"
expect_status 200 GET /metrics | grep_q '^sluice_jobs{state="RUNNING"} 1$' || die "metrics: RUNNING 1"

expect_status 400 PATCH "/jobs/$id?mode=bogus" > /dev/null
[ "$(expect_status 202 PATCH "/jobs/$id?mode=cancel")" = '{}' ] || die "cancel body"
wait_state "$id" CANCELED 30
body=$(expect_status 409 PATCH "/jobs/$id?mode=cancel")
echo "$body" | grep_q '^{"errors":\["job [0-9a-f]* has already ended' || die "409 body: $body"
expect_status 404 PATCH "/jobs/ffffffffffffffffffffffffffffffff?mode=cancel" > /dev/null
grep -q '"state": "CANCELED"' "$work/dir/jobs/$id/job.json" || die "job.json does not say CANCELED"
expect_status 200 GET "/jobs/$id" | grep_q '"end-time":[1-9]' || die "no end-time after cancel"
echo "cancel: ok"
