# An ended job keeps its operators' last counters (its query itself is freed when it ends).
after=$(expect_status 200 GET "/jobs/$id")
for f in '"name":"Source(table=\[transactions\]' '"read-records":20000' '"status":"FINISHED"'; do
  echo "$after" | grep_q "$f" || die "after restart, GET /jobs/$id lacks $f: $after"
done
#!/usr/bin/env bash
# basic.sh - `sluice serve` runs the fraud example to FINISHED with the output `sluice run` gives,
# and shows it in Flink's REST shapes: /jobs, /jobs/<id>, /jobs/overview, /checkpoints, /metrics;
# a SQL error is 400 with "line:column: message"; jobs are kept across a restart of the server.
#
# usage: basic.sh SLUICE SRC_ROOT
sluice=$1 src=$2
. "$(dirname "$0")/lib.sh"

bash "$src/examples/fraud-detection/gen_transactions.sh" 20000 200 7 > "$work/tx.json"

# The reference: sluice run of the same script, elsewhere.
fraud_sql "$work/tx.json" "$work/ref_alerts" "file://$work/ref_ckpt" '100 ms' > "$work/ref.sql"
(cd "$work" && "$sluice" run -q ref.sql) || die "sluice run of the reference failed"
parts "$work/ref_alerts" > "$work/expected.txt"
[ -s "$work/expected.txt" ] || die "the reference run wrote no alerts"

start_server
[ "$(expect_status 200 GET /healthz)" = '{"status":"ok"}' ] || die "/healthz body"

fraud_sql "$work/tx.json" "$work/alerts" "file://$work/ckpt" '100 ms' > "$work/job.sql"
id=$(submit "$work/job.sql")
[ ${#id} = 32 ] || die "no job id from POST /jobs"
wait_state "$id" FINISHED 60
parts "$work/alerts" > "$work/got.txt"
diff -q "$work/expected.txt" "$work/got.txt" > /dev/null || die "the server's alerts differ from sluice run's"
echo "fraud job FINISHED, $(wc -l < "$work/got.txt") alerts equal sluice run's"

# GET /jobs and /jobs/<id>.
list=$(expect_status 200 GET /jobs)
echo "$list" | grep_q "{\"id\":\"$id\",\"status\":\"FINISHED\"}" || die "GET /jobs: $list"
detail=$(expect_status 200 GET "/jobs/$id")
for f in '"jid":"'"$id"'"' '"name":"sluice job"' '"state":"FINISHED"' '"start-time":[1-9]' '"end-time":[1-9]' \
         '"duration":[0-9]' '"now":[1-9]' '"vertices":\[{' '"parallelism":1' '"read-records":20000' \
         '"write-records":[0-9]' '"status":"FINISHED"' '"name":"Source(table=\[transactions\]' '"state-size":[0-9]'; do
  echo "$detail" | grep_q "$f" || die "GET /jobs/$id lacks $f: $detail"
done
echo "$detail" | grep_q '"failure-cause"' && die "a FINISHED job has a failure-cause"
overview=$(expect_status 200 GET /jobs/overview)
echo "$overview" | grep_q "\"jid\":\"$id\",\"name\":\"sluice job\",\"state\":\"FINISHED\"" || die "overview: $overview"

# Checkpoints: Flink's counts and latest.completed.
ck=$(expect_status 200 GET "/jobs/$id/checkpoints")
echo "$ck" | grep_q '"counts":{[^}]*"completed":[1-9]' || die "checkpoints counts: $ck"
echo "$ck" | grep_q '"failed":0' || die "checkpoints failed: $ck"
echo "$ck" | grep_q '"latest":{"completed":{[^}]*"external_path":"file://' || die "latest.completed: $ck"
for f in '"state_size":' '"end_to_end_duration":' '"latest_ack_timestamp":' '"in_progress":0' '"total":'; do
  echo "$ck" | grep_q "$f" || die "checkpoints lacks $f: $ck"
done

# Metrics: Prometheus text with the job's counters.
expect_status 200 GET /metrics > "$work/metrics.txt"
grep -q '^# TYPE sluice_jobs gauge$' "$work/metrics.txt" || die "metrics: no TYPE line"
grep -q '^sluice_jobs{state="FINISHED"} 1$' "$work/metrics.txt" || die "metrics: jobs per state"
grep -q '^sluice_jobs{state="RESTARTING"} 0$' "$work/metrics.txt" || die "metrics: RESTARTING"
grep -q "^sluice_job_rows_read_total{job_id=\"$id\",job_name=\"sluice job\"} 20000\$" "$work/metrics.txt" ||
  die "metrics: rows read"
grep -q "^sluice_job_rows_written_total{job_id=\"$id\",.*} $(wc -l < "$work/got.txt")\$" "$work/metrics.txt" ||
  die "metrics: rows written"
grep -q "^sluice_operator_records_in_total{job_id=\"$id\",.*operator_index=\"0\",operator_name=\"Source: transactions" \
  "$work/metrics.txt" || die "metrics: operator records"
grep -q "^sluice_job_last_checkpoint_size_bytes{job_id=\"$id\"" "$work/metrics.txt" || die "metrics: checkpoint size"
grep -q "^sluice_job_late_rows_dropped_total{job_id=\"$id\"" "$work/metrics.txt" || die "metrics: late rows"
echo "REST shapes and metrics as expected"

# A SQL error: 400 with line:column: message, nothing registered.
printf 'CREATE TABLE t (a INT) WITH (%s);\nSELECT amout FROM t;\n' "'connector' = 'filesystem', 'path' = '$work/tx.json', 'format' = 'json'" > "$work/bad.sql"
body=$(expect_status 400 POST /jobs -H 'Content-Type: application/sql' --data-binary "@$work/bad.sql")
echo "$body" | grep -Eq '^\{"errors":\["2:8: [^"]*amout' || die "SQL error body: $body"
expect_status 400 POST /jobs -H 'Content-Type: text/plain' --data-binary 'SELEC 1' | grep_q '"errors":\["1:1: ' ||
  die "syntax error body"
[ "$(expect_status 200 GET /jobs | grep -o '"id"' | wc -l)" = 1 ] || die "a refused job was registered"
echo "SQL errors: $body"

# JSON submission with a name; the print sink's output goes to the job's out file.
body=$(expect_status 202 POST /jobs -H 'Content-Type: application/json' \
  --data-binary '{"sql": "SELECT 6 * 7 AS answer;\n", "name": "answer"}')
id2=$(echo "$body" | sed -n 's/.*"jobid":"\([0-9a-f]*\)".*/\1/p')
wait_state "$id2" FINISHED 30
expect_status 200 GET "/jobs/$id2" | grep_q '"name":"answer"' || die "JSON name"
grep -q '42' "$work/dir/jobs/$id2/out" || die "print output not in the job's out file"
expect_status 400 POST /jobs -H 'Content-Type: application/json' --data-binary '{"name": "x"}' > /dev/null
expect_status 415 POST /jobs -H 'Content-Type: application/x-www-form-urlencoded' --data-binary 'SELECT 1' > /dev/null
expect_status 404 GET /jobs/0123456789abcdef0123456789abcdef | grep_q '^{"errors":\["' || die "404 shape"
expect_status 404 GET /nope > /dev/null
expect_status 405 DELETE /jobs > /dev/null
[ -s "$work/dir/jobs/$id/job.json" ] && [ -s "$work/dir/jobs/$id/job.sql" ] || die "no job folder"

# Kept across a restart of the server (SIGTERM: exit 0).
stop_server TERM || die "the server did not exit 0 on SIGTERM"
start_server
list=$(expect_status 200 GET /jobs)
echo "$list" | grep_q "{\"id\":\"$id\",\"status\":\"FINISHED\"}" || die "after restart, GET /jobs: $list"
expect_status 200 GET "/jobs/$id/checkpoints" | grep_q '"completed":[1-9]' || die "checkpoints after restart"
expect_status 200 GET "/jobs/$id" | grep_q '"end-time":[1-9]' || die "end-time after restart"
# An ended job keeps its operators' last counters (its query itself is freed when it ends).
after=$(expect_status 200 GET "/jobs/$id")
for f in '"name":"Source(table=\[transactions\]' '"read-records":20000' '"status":"FINISHED"'; do
  echo "$after" | grep_q "$f" || die "after restart, GET /jobs/$id lacks $f: $after"
done
[ "$(parts "$work/alerts" | wc -l)" = "$(wc -l < "$work/expected.txt")" ] || die "a finished job ran again"
stop_server TERM || die "exit code on SIGTERM"
echo "basic: ok"
