#!/usr/bin/env bash
# server.sh - the job server's costs: its RSS when idle (just started, and again after it has run
# jobs), and the time from a REST POST /jobs to the job showing RUNNING, as a client polling
# GET /jobs/<id> sees it (bench/server_submit.c).
#
# usage: bench/server.sh [--jobs N]
#   --jobs N   jobs submitted one after another (default 100; median, p90 and max are shown)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
jobs=100
while [ $# -gt 0 ]; do
  case "$1" in
    --jobs) jobs=$2; shift 2 ;;
    *) echo "usage: bench/server.sh [--jobs N]" >&2; exit 2 ;;
  esac
done
work=$(mktemp -d /tmp/sluice-bench-server-XXXXXX)
server_pid=""
cleanup() {
  [ -z "$server_pid" ] || { kill -9 "$server_pid" 2>/dev/null; wait "$server_pid" 2>/dev/null; } || true
  rm -rf "$work"
}
trap cleanup EXIT
source "$root/bench/lib.sh"
cd "$root"
[ -f bench/build/build.ninja ] || meson setup bench/build -Dbuildtype=release >&2
ninja -C bench/build sluice >&2
cc -O2 -Wall -Werror bench/server_submit.c -lcurl -o "$work/server_submit"

# "RSS ANON" of a process in kB: all of its resident memory, and the part that is not file pages
# (library code): what the server itself allocated.
rss_kb() { awk '/^VmRSS/ { r = $2 } /^RssAnon/ { a = $2 } END { print r, a }' "/proc/$1/status"; }

wait_quiet
bench/build/sluice serve --listen 127.0.0.1:0 --dir "$work/dir" 2> "$work/server.log" &
server_pid=$!
port=""
for _ in $(seq 1 200); do
  port=$(sed -n 's/^sluice: serving on http:\/\/127\.0\.0\.1:\([0-9][0-9]*\)$/\1/p' "$work/server.log")
  [ -n "$port" ] && break
  sleep 0.05
done
[ -n "$port" ] || { cat "$work/server.log" >&2; echo "bench: the server did not start" >&2; exit 1; }
sleep 1
read -r idle idle_anon < <(rss_kb "$server_pid")

# Each job reads a file of 3 million small records, which takes it longer than the client needs
# to see it RUNNING and cancel it.
{ yes '{"card_id": "c1", "amount": 12.50}' || true; } | head -n 3000000 > "$work/tx.json"
cat > "$work/job.sql" <<SQL
CREATE TABLE tx (card_id STRING, amount DECIMAL(10, 2))
WITH ('connector' = 'filesystem', 'path' = '$work/tx.json', 'format' = 'json');
CREATE TABLE big (card_id STRING, amount DECIMAL(10, 2)) WITH ('connector' = 'blackhole');
INSERT INTO big SELECT card_id, amount FROM tx WHERE amount > 1000;
SQL
line=$("$work/server_submit" "http://127.0.0.1:$port" "$work/job.sql" "$jobs")
log "$line"
sleep 1
read -r after after_anon < <(rss_kb "$server_pid")
field() { tr ' ' '\n' | awk -F= -v k="$1" '$1 == k { print $2 }'; }
echo "submit: POST /jobs to RUNNING over REST, $jobs jobs one at a time: median $(echo "$line" | field median_ms) ms," \
  "p90 $(echo "$line" | field p90_ms) ms, max $(echo "$line" | field max_ms) ms"
mb() { awk -v k="$1" 'BEGIN { printf "%.1f", k / 1024 }'; }
echo "idle server RSS: $(mb "$idle") MB just started ($(mb "$idle_anon") MB of it its own memory, the rest library" \
  "code), $(mb "$after") MB after $jobs jobs ($(mb "$after_anon") MB own; all ended, kept in its list)"
