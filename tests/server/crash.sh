#!/usr/bin/env bash
# crash.sh - kill -9 the server mid-job and start it again with the same --dir: the job resumes
# under the same id from its latest checkpoint, and its output (exactly-once filesystem sink)
# equals an uninterrupted run's: nothing lost, nothing twice.
#
# usage: crash.sh SLUICE SRC_ROOT
sluice=$1 src=$2
. "$(dirname "$0")/lib.sh"

bash "$src/examples/fraud-detection/gen_transactions.sh" "${SERVER_TEST_ROWS:-150000}" 300 9 > "$work/tx.json"
reference_join '200 ms'

start_server
join_sql "$work/tx.json" "$work/out" '200 ms' > "$work/job.sql"
id=$(submit "$work/job.sql")
# Kill once the job has checkpointed twice (its log is DIR/jobs/<id>/log).
for _ in $(seq 1 1200); do
  grep -q '^checkpoint 2 complete' "$work/dir/jobs/$id/log" 2>/dev/null && break
  sleep 0.02
done
grep -q '^checkpoint 2 complete' "$work/dir/jobs/$id/log" || die "no second checkpoint"
kill -9 "$server_pid"
wait "$server_pid" 2>/dev/null || true
server_pid=""
grep -q '"state": "RUNNING"' "$work/dir/jobs/$id/job.json" || die "job.json at the kill: $(cat "$work/dir/jobs/$id/job.json")"
before=$(parts "$work/out" | wc -l)
[ "$before" -lt "$(wc -l < "$work/expected.txt")" ] || die "the job had finished before the kill"
echo "killed the server mid-job ($before of $(wc -l < "$work/expected.txt") rows published)"

start_server
grep -q "job $id resumed (latest)" "$work/server.log" || die "the job did not resume from latest"
list=$(expect_status 200 GET /jobs)
[ "$(echo "$list" | grep -o '"id"' | wc -l)" = 1 ] && echo "$list" | grep_q "\"id\":\"$id\"" ||
  die "after the restart, GET /jobs: $list"
wait_state "$id" FINISHED 120
grep -q 'restoring from\|restored' "$work/dir/jobs/$id/log" || echo "note: the job's log does not mention the restore"
parts "$work/out" > "$work/got.txt"
diff -q "$work/expected.txt" "$work/got.txt" > /dev/null ||
  die "output after kill -9 differs ($(wc -l < "$work/expected.txt") rows expected, $(wc -l < "$work/got.txt") got)"
expect_status 200 GET "/jobs/$id" | grep_q '"end-time":[1-9]' || die "end-time"
stop_server TERM || die "exit code on SIGTERM"
echo "crash: ok (resumed under $id, $(wc -l < "$work/got.txt") rows equal an uninterrupted run's)"
