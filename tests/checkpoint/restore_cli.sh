#!/usr/bin/env bash
# restore_cli.sh - what a user sees around checkpoints, through the CLI: a fresh start with
# --restore latest, stop with a savepoint on SIGTERM and resume from its path, retention across
# runs, and the refusals (another query, another state backend, several jobs).
#
# usage: restore_cli.sh SLUICE        (KEEP=1 keeps its work folder for a look)
set -euo pipefail
sluice=$(readlink -f "$1")
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d /tmp/sluice-restore-XXXXXX)
trap '[ -n "${KEEP:-}" ] || rm -rf "$work"' EXIT
fail() { echo "restore_cli: $*" >&2; exit 1; }

bash "$here/../../examples/fraud-detection/gen_transactions.sh" 1500000 300 11 > "$work/tx.json"

job() { # $1 output folder, $2 extra settings, $3 aggregate (the query's shape)
  cat <<SQL
SET 'execution.checkpointing.interval' = '100 ms';
SET 'state.checkpoints.dir' = 'file://$work/ckpt';
SET 'state.checkpoints.num-retained' = '2';
$2
CREATE TABLE tx (
  transaction_id STRING, card_id STRING, amount DECIMAL(10, 2), merchant_country STRING,
  event_time TIMESTAMP(3), WATERMARK FOR event_time AS event_time - INTERVAL '5' SECOND
) WITH ('connector' = 'filesystem', 'path' = '$work/tx.json', 'format' = 'json');
CREATE TABLE per_minute (card_id STRING, window_start TIMESTAMP(3), v DECIMAL(20, 2))
  WITH ('connector' = 'filesystem', 'path' = '$1', 'format' = 'csv');
INSERT INTO per_minute
SELECT card_id, window_start, $3(amount)
FROM TABLE(TUMBLE(TABLE tx, DESCRIPTOR(event_time), INTERVAL '1' MINUTE))
GROUP BY card_id, window_start, window_end;
SQL
}

# The expected output: one uninterrupted run without checkpoints.
job "$work/expected" "RESET 'execution.checkpointing.interval';" SUM > "$work/plain.sql"
"$sluice" run -q "$work/plain.sql"
sort "$work"/expected/part-* > "$work/expected.txt"

# 1. --restore latest with no checkpoint yet: a fresh start that says so.
job "$work/out" "" SUM > "$work/job.sql"
"$sluice" run "$work/job.sql" --restore latest 2> "$work/log1" &
pid=$!
# 2. SIGTERM once a checkpoint completed: a savepoint, its path printed, exit 0.
for _ in $(seq 200); do grep -q "checkpoint [0-9]* complete" "$work/log1" && break; sleep 0.05; done
grep -q "no completed checkpoint in file://$work/ckpt yet: starting fresh" "$work/log1" ||
  fail "no fresh-start message: $(head -3 "$work/log1")"
kill -TERM "$pid"
wait "$pid" || fail "stopped job exited with $?: $(tail -3 "$work/log1")"
grep -q "job stopped on request" "$work/log1" || fail "no stop message"
savepoint=$(sed -n 's/.*savepoint [0-9]* complete in .*, written to \(.*\)$/\1/p' "$work/log1")
[ -n "$savepoint" ] || fail "no savepoint path in: $(tail -3 "$work/log1")"
[ -f "${savepoint#file://}/_metadata" ] || fail "savepoint $savepoint has no _metadata"
ls "$work"/out/part-* > /dev/null 2>&1 || fail "nothing published at the savepoint"

# 3. Another query, or the other state backend, is refused; nothing is written.
job "$work/out" "" MAX > "$work/other.sql"
if "$sluice" run -q "$work/other.sql" --restore "$savepoint" 2> "$work/log3"; then fail "restored another query"; fi
grep -q "it was taken by a different query" "$work/log3" || fail "unclear mismatch message: $(cat "$work/log3")"
job "$work/out" "SET 'state.backend' = 'hashmap';" SUM > "$work/hashmap.sql"
if "$sluice" run -q "$work/hashmap.sql" --restore latest 2> "$work/log4"; then fail "restored into another backend"; fi
grep -q "holds 'rocksdb' state but this job uses state.backend 'hashmap'" "$work/log4" ||
  fail "unclear backend message: $(cat "$work/log4")"
{ cat "$work/job.sql"; echo "INSERT INTO per_minute SELECT card_id, event_time, amount FROM tx;"; } > "$work/two.sql"
if "$sluice" run -q "$work/two.sql" --restore latest 2> "$work/log5"; then fail "restored a script of two jobs"; fi
grep -q "needs a script with one INSERT or SELECT" "$work/log5" || fail "unclear message: $(cat "$work/log5")"

# 4. Resume from the savepoint's path: the output equals the uninterrupted run.
"$sluice" run -q "$work/job.sql" --restore "$savepoint" 2> "$work/log6" || fail "resume failed: $(tail -3 "$work/log6")"
grep -q "restoring from $savepoint (checkpoint [0-9]*, a savepoint)" "$work/log6" || fail "no restore message"
sort "$work"/out/part-* > "$work/got.txt"
cmp -s "$work/expected.txt" "$work/got.txt" ||
  fail "output after stop and resume differs ($(wc -l < "$work/expected.txt") rows expected, $(wc -l < "$work/got.txt"))"
ls -A "$work/out" | grep -q '^\.' && fail "hidden in-progress files left in the sink folder"

# 5. Retention across runs: at most 2 complete checkpoints, no incomplete folder.
complete=$(find "$work/ckpt" -name _metadata | wc -l)
folders=$(find "$work/ckpt" -mindepth 2 -maxdepth 2 -name 'chk-*' | wc -l)
[ "$complete" -le 2 ] && [ "$folders" -eq "$complete" ] ||
  fail "$complete complete checkpoints in $folders folders after the last run (num-retained 2)"
echo "restore_cli: fresh start, savepoint on SIGTERM, refusals, resume and retention as expected"
