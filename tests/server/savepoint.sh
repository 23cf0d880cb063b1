#!/usr/bin/env bash
# savepoint.sh - savepoints through the REST API: POST /jobs/<id>/savepoints (into the default
# folder and into a target-directory), polled to COMPLETED with a location; then a savepoint with
# cancel-job (stop-with-savepoint, shown CANCELED), and a job submitted with restore from its
# location finishes with the output of an uninterrupted run (exactly-once filesystem sink).
#
# usage: savepoint.sh SLUICE SRC_ROOT
sluice=$1 src=$2
. "$(dirname "$0")/lib.sh"

bash "$src/examples/fraud-detection/gen_transactions.sh" "${SERVER_TEST_ROWS:-150000}" 300 5 > "$work/tx.json"
reference_join '100 ms'

start_server
join_sql "$work/tx.json" "$work/out" '100 ms' > "$work/job.sql"
id=$(submit "$work/job.sql")
wait_state "$id" RUNNING 30

# Into the default folder (the server's checkpoints), the job keeps running.
body=$(expect_status 202 POST "/jobs/$id/savepoints" -H 'Content-Type: application/json' --data-binary '{"cancel-job": false}')
rid=$(echo "$body" | sed -n 's/^{"request-id":"\([0-9a-f]\{32\}\)"}$/\1/p')
[ -n "$rid" ] || die "savepoint trigger body: $body"
sp=$(wait_savepoint "$id" "$rid")
echo "$sp" | grep_q "^{\"status\":{\"id\":\"COMPLETED\"},\"operation\":{\"location\":\"file://$work/dir/checkpoints" ||
  die "default savepoint: $sp"
echo "savepoint into the default folder: $sp"

# Into a target-directory.
mkdir -p "$work/savepoints"
body=$(expect_status 202 POST "/jobs/$id/savepoints" -H 'Content-Type: application/json' \
  --data-binary "{\"target-directory\": \"file://$work/savepoints\", \"cancel-job\": false}")
rid=$(echo "$body" | sed -n 's/^{"request-id":"\([0-9a-f]*\)"}$/\1/p')
sp=$(wait_savepoint "$id" "$rid")
if echo "$sp" | grep_q "\"location\":\"file://$work/savepoints/"; then
  echo "savepoint into target-directory: $sp"
else
  die "savepoint into target-directory: $sp"
fi
# The running join keeps state (RocksDB): its vertices and the metrics show a size.
http GET "/jobs/$id" | grep_q '"name":"[A-Za-z]*Join[^}]*}[^}]*"state-size":[1-9]' ||
  die "no state size on the join's vertex: $(http GET "/jobs/$id")"
expect_status 200 GET /metrics | grep_q "^sluice_operator_state_size_bytes{job_id=\"$id\".*} [1-9]" ||
  die "metrics: no operator state size"
expect_status 404 GET "/jobs/$id/savepoints/00000000000000000000000000000000" > /dev/null
expect_status 400 POST "/jobs/$id/savepoints" -H 'Content-Type: application/json' --data-binary '{"cancel-job": "yes"}' > /dev/null
[ "$(job_state "$id")" = RUNNING ] || die "the job stopped after plain savepoints (too little input?)"

# Stop with a savepoint: cancel-job.
body=$(expect_status 202 POST "/jobs/$id/savepoints" -H 'Content-Type: application/json' \
  --data-binary "{\"target-directory\": \"file://$work/savepoints\", \"cancel-job\": true}")
rid=$(echo "$body" | sed -n 's/^{"request-id":"\([0-9a-f]*\)"}$/\1/p')
sp=$(wait_savepoint "$id" "$rid")
location=$(echo "$sp" | sed -n 's/.*"location":"\([^"]*\)".*/\1/p')
[ -n "$location" ] || die "stop-with-savepoint: $sp"
wait_state "$id" CANCELED 60
expect_status 409 POST "/jobs/$id/savepoints" -H 'Content-Type: application/json' --data-binary '{}' > /dev/null
before=$(parts "$work/out" | wc -l)
[ "$before" -lt "$(wc -l < "$work/expected.txt")" ] || die "the job had finished before the stop ($before rows)"
echo "stopped with a savepoint at $location after $before rows"

# Resume from it: the same output as the uninterrupted run.
body=$(expect_status 202 POST /jobs -H 'Content-Type: application/json' \
  --data-binary "{\"sql\": $(json_string "$(cat "$work/job.sql")"), \"name\": \"resumed\", \"restore\": \"$location\"}")
id2=$(echo "$body" | sed -n 's/.*"jobid":"\([0-9a-f]*\)".*/\1/p')
[ -n "$id2" ] && [ "$id2" != "$id" ] || die "resume submit: $body"
wait_state "$id2" FINISHED 120
parts "$work/out" > "$work/got.txt"
diff -q "$work/expected.txt" "$work/got.txt" > /dev/null ||
  die "output after savepoint + restore differs ($(wc -l < "$work/expected.txt") rows expected, $(wc -l < "$work/got.txt") got)"
expect_status 200 GET "/jobs/$id2/checkpoints" | grep_q '"restored":1' || die "restored count"
echo "savepoint: ok ($(wc -l < "$work/got.txt") rows equal an uninterrupted run's)"
