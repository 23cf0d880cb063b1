#!/usr/bin/env bash
# client.sh - the CLI's job-server commands against a `sluice serve`: submit (--name, --wait),
# list (-a), status, savepoint (into a folder, --cancel), cancel; the server from --server, else
# SLUICE_SERVER; the token from --token-file / SLUICE_TOKEN_FILE; and the exit codes a script
# relies on: 0 done, 1 refused or not FINISHED, 2 usage, 3 server unreachable.
#
# usage: client.sh SLUICE SRC_ROOT
sluice=$1 src=$2
. "$(dirname "$0")/lib.sh"

# run_cli WANT_RC ARGS...: runs `sluice ARGS`, stdout to $work/out, stderr to $work/err; fails
# unless it exits WANT_RC.
run_cli() {
  local want=$1 rc=0
  shift
  "$sluice" "$@" > "$work/out" 2> "$work/err" || rc=$?
  [ "$rc" = "$want" ] || die "sluice $* exited $rc, not $want; stdout: $(cat "$work/out") stderr: $(cat "$work/err")"
}
expect_err() { grep -q -- "$1" "$work/err" || die "stderr lacks '$1': $(cat "$work/err")"; }
expect_out() { grep -q -- "$1" "$work/out" || die "stdout lacks '$1': $(cat "$work/out")"; }

# No server: exit 3, saying where it looked (--server beats SLUICE_SERVER).
SLUICE_SERVER=http://127.0.0.1:9 run_cli 3 list
expect_err 'cannot reach the job server at http://127.0.0.1:9'
SLUICE_SERVER=http://127.0.0.1:9 run_cli 3 status 0123456789abcdef0123456789abcdef --server http://127.0.0.1:7
expect_err 'at http://127.0.0.1:7'

# Usage errors: exit 2, before any request.
run_cli 2 submit
expect_err 'usage: sluice submit'
run_cli 2 submit "$work/missing.sql"
expect_err "cannot read '$work/missing.sql'"
run_cli 2 list --bogus
run_cli 2 status
run_cli 2 cancel
run_cli 2 savepoint
run_cli 2 bogus-command
expect_err "unknown command 'bogus-command'"
run_cli 2 list --token-file "$work/no-such-token"
expect_err "cannot read the token file"

start_server
export SLUICE_SERVER=$base/
run_cli 0 list
expect_out '^No running jobs\.$'

# A bounded job with --wait: the id on stdout, exit 0 once FINISHED.
bash "$src/examples/fraud-detection/gen_transactions.sh" 5000 100 3 > "$work/tx.json"
fraud_sql "$work/tx.json" "$work/alerts" "file://$work/ckpt" '100 ms' > "$work/fraud.sql"
run_cli 0 submit "$work/fraud.sql" --name fraud-check --wait
fraud_id=$(cat "$work/out")
[[ "$fraud_id" =~ ^[0-9a-f]{32}$ ]] || die "submit printed '$fraud_id', not a job id"
[ "$(job_state "$fraud_id")" = FINISHED ] || die "--wait returned before FINISHED"
[ -n "$(parts "$work/alerts")" ] || die "the fraud job wrote no alerts"
run_cli 0 status "$fraud_id"
expect_out "^job: *$fraud_id$"
expect_out '^name: *fraud-check$'
expect_out '^state: *FINISHED$'
expect_out '^0 *5000 *Source(table=\[transactions\]'

# A SQL error: exit 1, the server's "line:column: message".
printf 'CREATE TABLE t (a INT) WITH (%s);\nINSERT INTO nowhere SELECT a FROM t;\n' \
  "'connector' = 'filesystem', 'path' = '$work/tx.json', 'format' = 'json'" > "$work/bad.sql"
run_cli 1 submit "$work/bad.sql"
expect_err '2:13: '
[ ! -s "$work/out" ] || die "a refused submit printed: $(cat "$work/out")"

# A job that fails at run time, with --wait: exit 1 with the state and cause.
printf '{"a": 1}\nnot json\n' > "$work/broken.json"
printf 'CREATE TABLE t (a INT) WITH (%s);\nCREATE TABLE o (a INT) WITH (%s);\nINSERT INTO o SELECT a FROM t;\n' \
  "'connector' = 'filesystem', 'path' = '$work/broken.json', 'format' = 'json'" \
  "'connector' = 'filesystem', 'path' = '$work/broken_out', 'format' = 'json'" > "$work/fails.sql"
run_cli 1 submit "$work/fails.sql" --wait
expect_err 'ended FAILED: '
failed_id=$(cat "$work/out")
[ "$(job_state "$failed_id")" = FAILED ] || die "the failing job is not FAILED"

# An unbounded job (a named pipe `yes` keeps feeding): list shows it; a savepoint into a folder;
# a savepoint with --cancel ends it (CANCELED, as Flink's cancel with savepoint); cancelling an ended job is refused.
mkfifo "$work/feed"
cat > "$work/endless.sql" <<SQL
CREATE TABLE tx (transaction_id STRING, card_id STRING, amount DECIMAL(10, 2))
WITH ('connector' = 'filesystem', 'path' = '$work/feed', 'format' = 'json');
CREATE TABLE big (card_id STRING, amount DECIMAL(10, 2))
WITH ('connector' = 'filesystem', 'path' = '$work/big', 'format' = 'json');
SET 'execution.checkpointing.interval' = '1 h';
SET 'state.checkpoints.dir' = 'file://$work/endless_ckpt';
INSERT INTO big SELECT card_id, amount FROM tx WHERE amount > 1000;
SQL
run_cli 0 submit "$work/endless.sql" --name endless
endless_id=$(cat "$work/out")
yes '{"transaction_id": "t1", "card_id": "c1", "amount": 12.50}' > "$work/feed" 2>/dev/null &
extra_pids=$!
wait_state "$endless_id" RUNNING 30
run_cli 0 list
expect_out " : $endless_id : endless (RUNNING)$"
grep -q "$fraud_id" "$work/out" && die "list without -a shows the finished job"
run_cli 0 list -a
for want in "$endless_id : endless (RUNNING)" "$fraud_id : fraud-check (FINISHED)" "$failed_id : .* (FAILED)"; do
  expect_out "$want"
done
[ "$(wc -l < "$work/out")" = 3 ] || die "list -a: $(cat "$work/out")"

run_cli 0 savepoint "$endless_id" "file://$work/savepoints"
expect_out "^Savepoint completed. Path: file://$work/savepoints/.*chk-"
[ "$(job_state "$endless_id")" = RUNNING ] || die "a savepoint without --cancel ended the job"
run_cli 0 savepoint "$endless_id" --cancel
expect_out '^Savepoint completed. Path: file://'
wait_state "$endless_id" CANCELED 30
run_cli 1 cancel "$endless_id"
expect_err 'has already ended'
run_cli 1 savepoint "$endless_id"

# Cancel: a second endless job (with a new writer: the first one died with its reader), cancelled.
run_cli 0 submit "$work/endless.sql"
second_id=$(cat "$work/out")
yes '{"transaction_id": "t2", "card_id": "c2", "amount": 1.50}' > "$work/feed" 2>/dev/null &
extra_pids="$extra_pids $!"
wait_state "$second_id" RUNNING 30
run_cli 0 cancel "$second_id"
expect_out "^Cancelled job $second_id\.$"
wait_state "$second_id" CANCELED 30
kill $extra_pids 2>/dev/null || true

# Unknown job: exit 1 with the server's message.
run_cli 1 status ffffffffffffffffffffffffffffffff
run_cli 1 cancel ffffffffffffffffffffffffffffffff
stop_server

# A server with a token: without it 401 (exit 1); with --token-file or SLUICE_TOKEN_FILE, fine.
printf '  tok-%s \t\n' "$RANDOM$RANDOM" > "$work/token" # blanks around it: both sides trim them
start_server --token-file "$work/token"
export SLUICE_SERVER=$base
run_cli 1 list
run_cli 0 list -a --token-file "$work/token"
expect_out "$fraud_id : fraud-check (FINISHED)"
SLUICE_TOKEN_FILE=$work/token run_cli 0 status "$fraud_id"
expect_out '^state: *FINISHED$'
grep -q "tok-" "$work/server.log" && die "the token appears in the server's log"
stop_server
echo "client: ok"
