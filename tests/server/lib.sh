# lib.sh - helpers for the `sluice serve` integration tests (sourced): a temporary folder, a server
# started on a free port and stopped at the end, and small curl wrappers.
#
# The sourcing test sets: sluice (the binary), src (the repository root). After `start_server`:
# $port, $base (http://127.0.0.1:PORT) and $server_pid.
set -euo pipefail

work=$(mktemp -d /tmp/sluice-server-test-XXXXXX)
server_pid=""
extra_pids=""
cleanup() {
  for p in $server_pid $extra_pids; do kill -9 "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT

die() {
  echo "FAIL: $*" >&2
  if [ -f "$work/server.log" ]; then echo "--- server log (tail) ---" >&2; tail -40 "$work/server.log" >&2; fi
  exit 1
}

# start_server [options...]: sluice serve on 127.0.0.1:0 with --dir $work/dir and the options.
start_server() {
  : > "$work/server.log"
  "$sluice" serve --listen 127.0.0.1:0 --dir "$work/dir" "$@" 2>> "$work/server.log" &
  server_pid=$!
  port=""
  for _ in $(seq 1 300); do
    port=$(sed -n 's/^sluice: serving on http:\/\/127\.0\.0\.1:\([0-9][0-9]*\)$/\1/p' "$work/server.log" | tail -1)
    [ -n "$port" ] && break
    kill -0 "$server_pid" 2>/dev/null || die "the server exited at start"
    sleep 0.05
  done
  [ -n "$port" ] || die "the server did not say where it listens"
  base="http://127.0.0.1:$port"
}

# stop_server [signal]: stops the server (TERM by default) and waits for it.
stop_server() {
  local sig=${1:-TERM} rc=0
  kill "-$sig" "$server_pid" 2>/dev/null || true
  wait "$server_pid" 2>/dev/null || rc=$?
  server_pid=""
  return $rc
}

# http METHOD PATH [curl args...]: prints the body; the status goes to $work/status.
http() {
  local method=$1 path=$2
  shift 2
  curl -sS -o "$work/body" -w '%{http_code}' -X "$method" "$@" "$base$path" > "$work/status" || echo 000 > "$work/status"
  cat "$work/body"
}
status() { cat "$work/status"; }

# expect_status CODE METHOD PATH [curl args...]: fails unless the request answers CODE.
expect_status() {
  local want=$1
  shift
  local body
  body=$(http "$@")
  [ "$(status)" = "$want" ] || die "$1 $2 answered $(status), not $want: $body"
  printf '%s' "$body"
}

# submit FILE [name]: POSTs the script as application/sql, prints the job id.
submit() {
  local body
  body=$(expect_status 202 POST /jobs -H 'Content-Type: application/sql' --data-binary "@$1")
  printf '%s' "$body" | sed -n 's/.*"jobid":"\([0-9a-f]\{32\}\)".*/\1/p'
}

# job_state ID: the job's state from GET /jobs/ID.
job_state() { http GET "/jobs/$1" | sed -n 's/.*"state":"\([A-Z]*\)".*/\1/p'; }

# wait_state ID STATE [seconds]: waits until the job is in STATE (fails on another final state).
wait_state() {
  local id=$1 want=$2 secs=${3:-120} s
  for _ in $(seq 1 $((secs * 20))); do
    s=$(job_state "$id")
    [ "$s" = "$want" ] && return 0
    case "$s" in FINISHED|CANCELED|FAILED) die "job $id is $s, not $want: $(http GET "/jobs/$id")" ;; esac
    sleep 0.05
  done
  die "job $id did not reach $want in ${secs}s (it is $s)"
}

# parts DIR: the published part files' lines, sorted (in-progress files are hidden, dot-named).
parts() { find "$1" -type f -name 'part-*' -exec cat {} + 2>/dev/null | sort; }

# The fraud example over local files: fraud_sql DATA OUT CKPT_DIR INTERVAL > script.
fraud_sql() {
  sed -e "s#'examples/fraud-detection/data/transactions.json'#'$1'#" \
      -e "s#'examples/fraud-detection/alerts'#'$2'#" \
      -e "s#'examples/fraud-detection/checkpoints'#'$3'#" \
      -e "s#'10 s'#'$4'#" "$src/examples/fraud-detection/fraud_local.sql"
}

# A slower job: each transaction joined with the card's transactions of the minute before it,
# counted per card and minute into CSV part files (RocksDB state). join_sql DATA OUT INTERVAL
# [CKPT_DIR] > script; without CKPT_DIR the server's checkpoint folder is used.
join_sql() {
  echo "SET 'execution.checkpointing.interval' = '$3';"
  [ -z "${4:-}" ] || echo "SET 'state.checkpoints.dir' = '$4';"
  cat <<SQL
SET 'state.backend' = 'rocksdb';
CREATE TABLE tx (
  transaction_id STRING, card_id STRING, amount DECIMAL(10, 2), merchant_country STRING,
  event_time TIMESTAMP(3), WATERMARK FOR event_time AS event_time - INTERVAL '5' SECOND
) WITH ('connector' = 'filesystem', 'path' = '$1', 'format' = 'json');
CREATE TABLE per_minute (card_id STRING, window_start TIMESTAMP(3), n BIGINT, total DECIMAL(20, 2),
  largest_before DECIMAL(10, 2), alone BIGINT)
WITH ('connector' = 'filesystem', 'path' = '$2', 'format' = 'csv', 'sink.rolling-policy.file-size' = '64kb');
CREATE VIEW pairs AS
SELECT a.card_id, a.event_time, a.amount, b.amount AS before_amount
FROM tx a LEFT JOIN tx b ON a.card_id = b.card_id AND a.transaction_id <> b.transaction_id
  AND b.event_time BETWEEN a.event_time - INTERVAL '1' MINUTE AND a.event_time;
INSERT INTO per_minute
SELECT card_id, window_start, COUNT(*), SUM(amount), MAX(before_amount), COUNT(*) - COUNT(before_amount)
FROM TABLE(TUMBLE(TABLE pairs, DESCRIPTOR(event_time), INTERVAL '1' MINUTE))
GROUP BY card_id, window_start, window_end;
SQL
}

# reference_join INTERVAL: the join job over $work/tx.json run by `sluice run` (checkpointing every
# INTERVAL), its sorted output into $work/expected.txt: what a server run must equal.
reference_join() {
  join_sql "$work/tx.json" "$work/ref_out" "$1" "file://$work/ref_ckpt" > "$work/ref.sql"
  "$sluice" run -q "$work/ref.sql" 2> "$work/ref.log" || die "reference run: $(cat "$work/ref.log")"
  parts "$work/ref_out" > "$work/expected.txt"
  [ -s "$work/expected.txt" ] || die "the reference run wrote nothing"
}

# json_string TEXT: TEXT as a JSON string literal.
json_string() {
  printf '%s' "$1" | awk 'BEGIN { printf "\"" } { gsub(/\\/, "\\\\"); gsub(/"/, "\\\""); gsub(/\t/, "\\t");
    printf "%s%s", (NR > 1 ? "\\n" : ""), $0 } END { printf "\"" }'
}

# wait_savepoint ID REQUEST: polls the savepoint until COMPLETED; prints the body.
wait_savepoint() {
  local body
  for _ in $(seq 1 1200); do
    body=$(expect_status 200 GET "/jobs/$1/savepoints/$2")
    case "$body" in *'"COMPLETED"'*) printf '%s' "$body"; return 0 ;; esac
    echo "$body" | grep -q '{"status":{"id":"IN_PROGRESS"}}' || die "savepoint status: $body"
    sleep 0.05
  done
  die "savepoint $2 of job $1 did not complete"
}

# grep_q PATTERN...: grep -q that reads all of its input first (a grep -q ending a pipeline early
# would kill the writer with SIGPIPE, which pipefail turns into a failure).
grep_q() {
  local in
  in=$(cat)
  grep -q "$@" <<< "$in"
}
