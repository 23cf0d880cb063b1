#!/usr/bin/env bash
# restart.sh - Flink's fixed-delay restart strategy: a job that fails at runtime (a bad record in
# its input) is shown RESTARTING, started again after the delay under the same id, and ends FAILED
# with its cause once the attempts are used up; an unknown strategy is refused at submission.
#
# usage: restart.sh SLUICE SRC_ROOT
sluice=$1 src=$2
. "$(dirname "$0")/lib.sh"

printf '{"card_id": "c1", "amount": 12.50}\n{"card_id": "c2", "amount": "not a number"}\n' > "$work/bad.json"
job() { # $1 restart settings
  cat <<SQL
$1
CREATE TABLE tx (card_id STRING, amount DECIMAL(10, 2))
WITH ('connector' = 'filesystem', 'path' = '$work/bad.json', 'format' = 'json');
CREATE TABLE big (card_id STRING, amount DECIMAL(10, 2))
WITH ('connector' = 'filesystem', 'path' = '$work/out', 'format' = 'json');
INSERT INTO big SELECT card_id, amount FROM tx;
SQL
}

start_server
job "SET 'restart-strategy.type' = 'fixed-delay';
SET 'restart-strategy.fixed-delay.attempts' = '2';
SET 'restart-strategy.fixed-delay.delay' = '100 ms';" > "$work/fast.sql"
id=$(submit "$work/fast.sql")
wait_state "$id" FAILED 60 2>/dev/null || true
for _ in $(seq 1 600); do [ "$(job_state "$id")" = FAILED ] && break; sleep 0.05; done
detail=$(expect_status 200 GET "/jobs/$id")
echo "$detail" | grep_q '"state":"FAILED"' || die "not FAILED: $detail"
echo "$detail" | grep_q '"restarts":2' || die "not restarted twice: $detail"
echo "$detail" | grep_q '"failure-cause":"[^"]*amount' || die "no failure-cause naming the field: $detail"
[ "$(grep -c "job $id failed, restarting in 100 ms" "$work/server.log")" = 2 ] || die "restart log lines"
[ "$(grep -c "job $id restarted" "$work/server.log")" = 2 ] || die "restarted log lines"
expect_status 200 GET /metrics | grep_q "^sluice_job_restarts_total{job_id=\"$id\",.*} 2\$" || die "restarts metric"
echo "fixed-delay, 2 attempts: FAILED after 2 restarts: $(echo "$detail" | sed -n 's/.*"failure-cause":\("[^"]*"\).*/\1/p')"

# A long delay: RESTARTING is visible (in /jobs, /jobs/<id> and job.json), then FAILED.
job "SET 'restart-strategy.type' = 'fixeddelay';
SET 'restart-strategy.fixed-delay.delay' = '3 s';" > "$work/slow.sql"
id2=$(submit "$work/slow.sql")
wait_state "$id2" RESTARTING 30
expect_status 200 GET /jobs | grep_q "{\"id\":\"$id2\",\"status\":\"RESTARTING\"}" || die "GET /jobs RESTARTING"
grep -q '"state": "RESTARTING"' "$work/dir/jobs/$id2/job.json" || die "job.json RESTARTING"
expect_status 200 GET /metrics | grep_q '^sluice_jobs{state="RESTARTING"} 1$' || die "metrics RESTARTING"
for _ in $(seq 1 600); do [ "$(job_state "$id2")" = FAILED ] && break; sleep 0.05; done
expect_status 200 GET "/jobs/$id2" | grep_q '"state":"FAILED".*"restarts":1' || die "$id2 after its one attempt"

# No strategy (the default): FAILED at once.
job "" > "$work/none.sql"
id3=$(submit "$work/none.sql")
for _ in $(seq 1 600); do [ "$(job_state "$id3")" = FAILED ] && break; sleep 0.05; done
expect_status 200 GET "/jobs/$id3" | grep_q '"state":"FAILED".*"restarts":0' || die "$id3 without a strategy"

# Refused at submission.
job "SET 'restart-strategy.type' = 'exponential-delay';" > "$work/exp.sql"
expect_status 400 POST /jobs -H 'Content-Type: application/sql' --data-binary "@$work/exp.sql" |
  grep_q 'restart-strategy.type' || die "exponential-delay not refused"
job "SET 'restart-strategy.type' = 'fixed-delay'; SET 'restart-strategy.fixed-delay.delay' = 'soon';" > "$work/d.sql"
expect_status 400 POST /jobs -H 'Content-Type: application/sql' --data-binary "@$work/d.sql" > /dev/null
echo "restart: ok"
