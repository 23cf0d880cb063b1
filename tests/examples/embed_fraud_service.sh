#!/usr/bin/env bash
# embed_fraud_service.sh - the embed-fraud-service example end to end: a generated stream of card
# transactions posted to the service (single objects, JSON lines, an array, and one burst larger
# than the host source's queue, which must make the service wait for room) gives exactly the
# alerts `sluice run` gives on the same data, over GET /alerts and in the alerts log; bad records
# and malformed HTTP get 400 and leave the service serving.
#
# usage: embed_fraud_service.sh SERVICE SLUICE SOURCE_ROOT
set -euo pipefail
svc=$(readlink -f "$1")
sluice=$(readlink -f "$2")
root=$(readlink -f "$3")
ex=$root/examples/fraud-detection
work=$(mktemp -d /tmp/sluice-efs-XXXXXX)
pid=""
cleanup() {
  if [ -n "$pid" ]; then kill -KILL "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT
fail() {
  echo "embed_fraud_service: $*" >&2
  if [ -s "$work/service.err" ]; then echo "--- service stderr:" >&2; tail -20 "$work/service.err" >&2; fi
  exit 1
}

# One alert a line, its fields sorted, the lines sorted: the same alerts compare equal.
normalise() {
  awk '$0 == "[" || $0 == "]" { next } {
         sub(/,$/, ""); sub(/^\{/, ""); sub(/\}$/, "")
         n = split($0, f, ","); line = ""
         for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (f[j] < f[i]) { t = f[i]; f[i] = f[j]; f[j] = t }
         for (i = 1; i <= n; i++) line = line (i > 1 ? "," : "") f[i]
         print line }' "$@" | sort
}

# ---- The data and the alerts `sluice run` gives ------------------------------------------------
bash "$ex/gen_transactions.sh" 20000 200 7 > "$work/tx.json"
sed -e "s|examples/fraud-detection/data/transactions.json|$work/tx.json|" \
    -e "s|examples/fraud-detection/alerts|$work/expected|" \
    -e "s|examples/fraud-detection/checkpoints|$work/ckpt|" "$ex/fraud_local.sql" > "$work/fraud.sql"
grep -q "$work/tx.json" "$work/fraud.sql" || fail "fraud_local.sql no longer reads data/transactions.json"
"$sluice" run -q "$work/fraud.sql" 2> "$work/sluice.err" || { cat "$work/sluice.err" >&2; fail "sluice run failed"; }
cat "$work"/expected/part-* | normalise > "$work/expected.txt"
nexp=$(wc -l < "$work/expected.txt")
[ "$nexp" -gt 5 ] || fail "sluice run gave only $nexp alerts on the generated stream"

# ---- The service --------------------------------------------------------------------------------
"$svc" --listen 127.0.0.1:0 --alerts-log "$work/alerts.log" > "$work/service.out" 2> "$work/service.err" &
pid=$!
for _ in $(seq 200); do
  grep -q '^listening on ' "$work/service.out" 2>/dev/null && break
  kill -0 "$pid" 2>/dev/null || fail "the service exited at start"
  sleep 0.05
done
addr=$(sed -n 's/^listening on //p' "$work/service.out")
[ -n "$addr" ] || fail "the service printed no 'listening on' line"
port=${addr##*:}
url=http://127.0.0.1:$port

# req METHOD PATH [BODYFILE]: prints the status, the body goes to $work/resp.
req() {
  local data=()
  [ $# -ge 3 ] && data=(--data-binary "@$3" -H 'Content-Type: application/json')
  curl -sS --max-time 120 -o "$work/resp" -w '%{http_code}' -X "$1" "${data[@]}" "$url$2"
}
expect() { # STATUS PATTERN: the last answer
  [ "$code" = "$1" ] || fail "expected $1, got $code: $(cat "$work/resp")"
  grep -q -- "$2" "$work/resp" || fail "the answer lacks '$2': $(cat "$work/resp")"
}
post_lines() { # FIRST LAST [array]: posts lines FIRST..LAST of the stream in one request
  if [ "${3:-}" = array ]; then
    sed -n "$1,$2p" "$work/tx.json" | awk 'BEGIN { printf "[" } { printf "%s%s\n", (NR > 1 ? "," : ""), $0 } END { print "]" }' > "$work/body"
  else
    sed -n "$1,$2p" "$work/tx.json" > "$work/body"
  fi
  code=$(req POST /transactions "$work/body")
  expect 202 "\"accepted\": $(($2 - $1 + 1))}"
}

code=$(req GET /healthz); expect 200 '"job": "RUNNING"'

# A bad record: the records before it are accepted (a domestic one, which the query filters out
# and which does not move the watermark), it and those after it are not.
probe() { # ID AMOUNT COUNTRY: a transaction of the probe card
  printf '{"transaction_id":"%s","card_id":"card-probe","amount":%s,"merchant_country":"%s",' "$@"
  printf '"event_time":"2024-03-01 08:00:00.000"}\n'
}
{ probe probe-1 1.00 CA; probe probe-2 '"lots"' US; probe probe-3 600 US; } > "$work/body"
code=$(req POST /transactions "$work/body"); expect 400 '"accepted": 1, "errors": \["record 2: '
grep -q "amount" "$work/resp" || fail "the error does not name the field: $(cat "$work/resp")"
printf '[{"transaction_id":"probe-4","card_id":"card-probe","amount":1.00,"merchant_country":"CA"}]' > "$work/body"
code=$(req POST /transactions "$work/body"); expect 400 "record 1: 'event_time' is missing or null"
printf '[{"transaction_id":"probe-5"' > "$work/body"
code=$(req POST /transactions "$work/body"); expect 400 '"accepted": 0'

# Malformed HTTP: 400 and the connection closed; a body over the limit: 413.
raw() { # writes $1 to a fresh connection, prints what comes back until the service closes it
  exec 3<>"/dev/tcp/127.0.0.1/$port"
  printf '%b' "$1" >&3
  timeout 10 cat <&3 || true
  exec 3<&-
}
raw 'GARBAGE / NOT-HTTP\r\n\r\n' > "$work/raw"
head -1 "$work/raw" | grep -q '^HTTP/1.1 400 ' || fail "malformed HTTP got: $(head -1 "$work/raw")"
grep -q 'Connection: close' "$work/raw" || fail "malformed HTTP did not close the connection"
raw 'POST /transactions HTTP/1.1\r\nHost: x\r\nContent-Length: 999999999\r\n\r\n' > "$work/raw"
head -1 "$work/raw" | grep -q '^HTTP/1.1 413 ' || fail "a huge body got: $(head -1 "$work/raw")"
code=$(req GET /healthz); expect 200 '"status": "ok"'
code=$(req GET /nowhere); expect 404 'no such endpoint'
code=$(req GET /transactions); expect 405 'use POST'

# The stream, in order: single objects, JSON lines, an array, a burst over the source's queue
# (16384 rows), JSON lines again, single objects.
for i in 1 2 3; do post_lines "$i" "$i"; done
post_lines 4 1003
post_lines 1004 2003 array
post_lines 2004 19003
post_lines 19004 19997
for i in 19998 19999 20000; do post_lines "$i" "$i"; done
code=$(req POST /end); expect 202 '"ended": true'

for _ in $(seq 600); do
  code=$(req GET /healthz)
  grep -q '"job": "RUNNING"' "$work/resp" || break
  sleep 0.1
done
expect 200 '"job": "FINISHED"'
grep -q '"accepted": 20001,' "$work/resp" || fail "expected 20001 accepted records: $(cat "$work/resp")"
pauses=$(sed -n 's/.*"backpressure_pauses": \([0-9]*\).*/\1/p' "$work/resp")
[ "${pauses:-0}" -gt 0 ] || fail "the burst of 17000 records never waited for room in the queue"

code=$(req GET /alerts); [ "$code" = 200 ] || fail "GET /alerts: $code"
normalise "$work/resp" > "$work/got.txt"
if ! diff "$work/expected.txt" "$work/got.txt" > "$work/diff"; then
  head -20 "$work/diff" >&2
  fail "GET /alerts differs from sluice run's alerts"
fi
normalise "$work/alerts.log" > "$work/log.txt"
diff -q "$work/expected.txt" "$work/log.txt" > /dev/null || fail "the alerts log differs from sluice run's alerts"
# Arrival order: the log and GET /alerts list the alerts in the same order.
awk '$0 == "[" || $0 == "]" { next } { sub(/,$/, ""); print }' "$work/resp" | cmp -s - "$work/alerts.log" ||
  fail "GET /alerts and the alerts log list the alerts in different orders"

# SIGTERM: a clean exit, with the count of pauses on stderr.
kill -TERM "$pid"
rc=0
wait "$pid" || rc=$?
pid=""
[ "$rc" = 0 ] || fail "the service exited $rc on SIGTERM"
grep -q "[1-9][0-9]* backpressure pauses" "$work/service.err" || fail "no backpressure pauses reported at exit"
! grep -E "runtime error|Sanitizer" "$work/service.err" >&2 || fail "the sanitizers reported errors"
echo "example embed-fraud-service: $nexp alerts, the same as sluice run's; $pauses backpressure pauses"
