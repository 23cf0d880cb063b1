#!/usr/bin/env bash
# auth.sh - with --token-file every request needs "Authorization: Bearer <token>" (401 JSON error
# otherwise); a non-loopback --listen without --token-file is refused (exit 2).
#
# usage: auth.sh SLUICE SRC_ROOT
sluice=$1 src=$2
. "$(dirname "$0")/lib.sh"

# Refused: non-loopback without a token, bad options.
for listen in 0.0.0.0:0 '[::]:0'; do
  rc=0
  "$sluice" serve --listen "$listen" --dir "$work/dir0" 2> "$work/refused.log" || rc=$?
  [ "$rc" = 2 ] || die "--listen $listen without --token-file exited $rc, not 2"
  grep -q 'without --token-file' "$work/refused.log" || die "message: $(cat "$work/refused.log")"
done
rc=0; "$sluice" serve --listen nowhere --dir "$work/dir0" 2> /dev/null || rc=$?
[ "$rc" = 2 ] || die "a bad --listen exited $rc"
rc=0; "$sluice" serve --bogus 2> /dev/null || rc=$?
[ "$rc" = 2 ] || die "an unknown option exited $rc"
: > "$work/empty-token"
rc=0; "$sluice" serve --listen 127.0.0.1:0 --dir "$work/dir0" --token-file "$work/empty-token" 2> /dev/null || rc=$?
[ "$rc" = 2 ] || die "an empty token file exited $rc"

token=s3cr3t-$RANDOM-$RANDOM
printf '%s\n' "$token" > "$work/token"
start_server --token-file "$work/token"
for p in /healthz /jobs /metrics /jobs/overview; do
  body=$(expect_status 401 GET "$p")
  echo "$body" | grep_q '^{"errors":\["' || die "401 body: $body"
  expect_status 401 GET "$p" -H "Authorization: Bearer wrong-$token" > /dev/null
  expect_status 401 GET "$p" -H "Authorization: Basic $token" > /dev/null
  expect_status 401 GET "$p" -H "Authorization: Bearer ${token%?}" > /dev/null
done
expect_status 401 POST /jobs -H 'Content-Type: application/sql' --data-binary 'SELECT 1;' > /dev/null
[ "$(expect_status 200 GET /healthz -H "Authorization: Bearer $token")" = '{"status":"ok"}' ] || die "healthz with the token"
body=$(expect_status 202 POST /jobs -H "Authorization: Bearer $token" -H 'Content-Type: application/sql' --data-binary 'SELECT 1;')
id=$(echo "$body" | sed -n 's/.*"jobid":"\([0-9a-f]*\)".*/\1/p')
expect_status 200 GET "/jobs/$id" -H "Authorization: Bearer $token" > /dev/null
grep -q "$token" "$work/server.log" && die "the token appears in the server's log"
stop_server TERM || die "exit code"

# A non-loopback address with a token is accepted.
"$sluice" serve --listen 0.0.0.0:0 --dir "$work/dir2" --token-file "$work/token" 2> "$work/any.log" &
server_pid=$!
for _ in $(seq 1 100); do grep -q 'serving on' "$work/any.log" && break; sleep 0.05; done
grep -q '^sluice: serving on http://0.0.0.0:[0-9]*$' "$work/any.log" || die "0.0.0.0 with a token: $(cat "$work/any.log")"
stop_server TERM || die "exit code"
echo "auth: ok"
