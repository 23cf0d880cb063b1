#!/usr/bin/env bash
# allow_path.sh - with --allow-path, a job may read and write local paths under those folders
# only: others ('path' options, checkpoint folders, restore and savepoint targets, ".." tricks,
# symlinks out) are refused with 403 naming the path; jobs inside run.
#
# usage: allow_path.sh SLUICE SRC_ROOT
sluice=$1 src=$2
. "$(dirname "$0")/lib.sh"

mkdir -p "$work/ok" "$work/outside"
printf '{"card_id": "c1", "amount": 12.50}\n' > "$work/ok/in.json"
cp "$work/ok/in.json" "$work/outside/in.json"
ln -s "$work/outside" "$work/ok/link"
job() { # $1 input path, $2 output path, $3 extra settings
  cat <<SQL
${3:-}
CREATE TABLE tx (card_id STRING, amount DECIMAL(10, 2))
WITH ('connector' = 'filesystem', 'path' = '$1', 'format' = 'json');
CREATE TABLE big (card_id STRING, amount DECIMAL(10, 2))
WITH ('connector' = 'filesystem', 'path' = '$2', 'format' = 'json');
INSERT INTO big SELECT card_id, amount FROM tx;
SQL
}

start_server --allow-path "$work/ok"
refuse() { # $1 what, $2 script file, $3 path the message must name
  local body
  body=$(expect_status 403 POST /jobs -H 'Content-Type: application/sql' --data-binary "@$2")
  echo "$body" | grep_q "^{\"errors\":\[\"[^\"]*'$3'" || die "$1: $body"
}
job "$work/outside/in.json" "$work/ok/out" > "$work/a.sql"; refuse "read outside" "$work/a.sql" "$work/outside/in.json"
job "$work/ok/in.json" "$work/outside/out" > "$work/b.sql"; refuse "write outside" "$work/b.sql" "$work/outside/out"
job "$work/ok/../outside/in.json" "$work/ok/out" > "$work/c.sql"; refuse "dot-dot" "$work/c.sql" "$work/ok/../outside/in.json"
job "$work/ok/link/in.json" "$work/ok/out" > "$work/d.sql"; refuse "symlink" "$work/d.sql" "$work/ok/link/in.json"
job "file://$work/outside/in.json" "$work/ok/out" > "$work/e.sql"; refuse "file URI" "$work/e.sql" "file://$work/outside/in.json"
job "$work/ok/in.json" "$work/ok/out" "SET 'state.checkpoints.dir' = 'file:///tmp';" > "$work/f.sql"
refuse "checkpoint folder" "$work/f.sql" "file:///tmp"
job /etc/passwd "$work/ok/out" > "$work/g.sql"; refuse "system file" "$work/g.sql" /etc/passwd
body=$(expect_status 403 POST /jobs -H 'Content-Type: application/json' \
  --data-binary "{\"sql\": \"SELECT 1;\", \"restore\": \"file://$work/outside/sp\"}")
echo "$body" | grep_q "restore 'file://$work/outside/sp'" || die "restore outside: $body"
[ "$(expect_status 200 GET /jobs)" = '{"jobs":[]}' ] || die "a refused job was registered"

# Inside: runs (the server's own checkpoint folder is not the job's business).
job "$work/ok/in.json" "$work/ok/new/../out" > "$work/h.sql"
id=$(submit "$work/h.sql")
wait_state "$id" FINISHED 30
parts "$work/ok/out" | grep_q '"card_id":"c1"' || die "the allowed job wrote nothing"
echo "allow_path: ok"
