#!/usr/bin/env bash
# fuzz.sh - a few hundred malformed and random requests: wrong methods and paths, bad JSON and
# SQL, huge headers, binary junk on the socket, bodies over --max-body (413, with and without a
# Content-Length). The server answers each with a 4xx (JSON errors when it gets that far), stays
# up, and /healthz still answers 200.
#
# usage: fuzz.sh SLUICE SRC_ROOT
sluice=$1 src=$2
. "$(dirname "$0")/lib.sh"

start_server --max-body 4096
n=0
check_4xx() { # what status body
  case "$2" in 4[0-9][0-9]) ;; *) die "$1 answered $2 (expected a 4xx): $3" ;; esac
  n=$((n + 1))
}
# A request whose answer must be 4xx with a JSON error body.
bad() {
  local what="$1" body
  shift
  body=$(http "$@")
  check_4xx "$what" "$(status)" "$body"
  echo "$body" | grep_q '^{"errors":\["' || die "$what: not a JSON error: $body"
}

# Wrong methods and paths.
for m in PUT DELETE OPTIONS TRACE FOO; do
  for p in / /jobs /jobs/overview /healthz /metrics /jobs/0123456789abcdef0123456789abcdef \
           /jobs/0123456789abcdef0123456789abcdef/checkpoints /jobs/x/savepoints/y; do
    bad "$m $p" "$m" "$p"
  done
done
for p in / /job /jobs/../etc/passwd /jobs/zz /jobs/0123/checkpoints /jobs/a/b/c/d/e \
         "/$(head -c 3000 /dev/zero | tr '\0' a)" /metrics/x /healthz/x "/jobs/$(printf '%%%02x' 1 2 3 255)" \
         /jobs/0123456789abcdef0123456789abcdef/savepoints/nope /jobs/overview/x; do
  bad "GET $p" GET "$p" --path-as-is
done
for p in /jobs/0123456789abcdef0123456789abcdef /jobs/zz; do
  bad "PATCH $p" PATCH "$p?mode=cancel"
  bad "POST $p/savepoints" POST "$p/savepoints" -H 'Content-Type: application/json' --data-binary '{}'
done

# Bad bodies for POST /jobs.
bodies=('' ' ' 'SELECT' 'SELECT * FROM nowhere;' 'CREATE TABLE' "INSERT INTO x SELECT 'unterminated"
        '/* never closed' 'SET x y;' "SET 'a' = ;" ')))' 'SELECT 1 +;' 'DROP TABLE x;' $'\x01\x02\x03'
        'CREATE TABLE t (a INT) WITH (\x27connector\x27 = \x27nope\x27); INSERT INTO t SELECT 1;')
for b in "${bodies[@]}"; do
  bad "SQL '$b'" POST /jobs -H 'Content-Type: application/sql' --data-binary "$b"
done
jsons=('' '{' '[]' '"sql"' '{"sql": 5}' '{"sql": null}' '{"sql": ""}' '{"sql": "SELEC"}' '{"name": "x"}'
       '{"sql": "SELECT 1;", "name": 7}' '{"sql": "SELECT 1;", "restore": 1}' '{"sql": "SELECT 1;"' 'nul'
       '{"sql": "\u0000"}' '{{{{{{{{{{')
for b in "${jsons[@]}"; do
  bad "JSON '$b'" POST /jobs -H 'Content-Type: application/json' --data-binary "$b"
done
bad "form body" POST /jobs -H 'Content-Type: application/x-www-form-urlencoded' --data-binary 'SELECT 1;'
bad "image body" POST /jobs -H 'Content-Type: image/png' --data-binary 'SELECT 1;'

# Random junk bodies and paths.
for i in $(seq 1 60); do
  head -c $((RANDOM % 600 + 1)) /dev/urandom > "$work/junk"
  bad "junk sql $i" POST /jobs -H 'Content-Type: application/sql' --data-binary "@$work/junk"
  bad "junk json $i" POST /jobs -H 'Content-Type: application/json' --data-binary "@$work/junk"
  path=$(head -c 12 /dev/urandom | od -An -tx1 | tr -d ' \n')
  bad "junk path $i" GET "/jobs/$path/x$((RANDOM))"
done

# Bodies over --max-body: 413 with a Content-Length, and chunked.
head -c 5000 /dev/zero | tr '\0' 'x' > "$work/big"
bad "413 with Content-Length" POST /jobs -H 'Content-Type: application/sql' --data-binary "@$work/big"
[ "$(status)" = 413 ] || die "an oversized body got $(status), not 413"
body=$(http POST /jobs -H 'Content-Type: application/sql' -H 'Transfer-Encoding: chunked' --data-binary "@$work/big")
[ "$(status)" = 413 ] || die "an oversized chunked body got $(status), not 413: $body"
head -c 2000000 /dev/zero | tr '\0' 'x' > "$work/huge"
body=$(http POST /jobs -H 'Content-Type: application/sql' -H 'Transfer-Encoding: chunked' --data-binary "@$work/huge")
case "$(status)" in 413|000) ;; *) die "a 2 MB chunked body got $(status)" ;; esac
body=$(http POST /jobs/0123456789abcdef0123456789abcdef/savepoints -H 'Content-Type: application/json' \
  -H 'Content-Length: 99999999999999999999' --data-binary '{}')
case "$(status)" in 4[0-9][0-9]|000) ;; *) die "an absurd Content-Length got $(status)" ;; esac
n=$((n + 4))

# Huge headers: libmicrohttpd refuses them itself (431 or 413), the server stays up.
long=$(head -c 100000 /dev/zero | tr '\0' 'h')
code=$(curl -s -o /dev/null -w '%{http_code}' -H "X-Long: $long" "$base/healthz" || true)
case "$code" in 4[0-9][0-9]|000) ;; *) die "a 100 kB header got $code" ;; esac
code=$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $long" "$base/jobs" || true)
case "$code" in 4[0-9][0-9]|000) ;; *) die "a 100 kB Authorization header got $code" ;; esac
n=$((n + 2))

# Binary junk and broken HTTP straight on the socket.
send_raw() { timeout 2 bash -c "cat > /dev/tcp/127.0.0.1/$port" 2>/dev/null || true; }
for i in $(seq 1 40); do head -c $((RANDOM % 2000 + 1)) /dev/urandom | send_raw; n=$((n + 1)); done
printf 'GET /healthz HTTP/1.1\r\n\r\n' | send_raw
printf 'GET\r\n\r\n' | send_raw
printf 'POST /jobs HTTP/1.1\r\nHost: x\r\nContent-Length: -5\r\n\r\nSELECT 1;' | send_raw
printf 'POST /jobs HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\nSEL' | send_raw
printf 'POST /jobs HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nabc\r\n' | send_raw
printf 'GET /jobs HTTP/9.9\r\nHost: x\r\n\r\n' | send_raw
printf '\x00\x00\x00\r\n\r\n' | send_raw
printf 'GET /%s HTTP/1.1\r\nHost: x\r\n\r\n' "$long" | send_raw
# Half-open connections left behind.
for i in $(seq 1 20); do
  (exec 3<>"/dev/tcp/127.0.0.1/$port"; printf 'GET /jobs HTTP/1.1\r\nHo' >&3; sleep 1) 2>/dev/null &
done
n=$((n + 28))
wait_children() { for p in $(jobs -p); do [ "$p" = "$server_pid" ] || wait "$p" 2>/dev/null || true; done; }
wait_children

kill -0 "$server_pid" 2>/dev/null || die "the server died"
[ "$(expect_status 200 GET /healthz)" = '{"status":"ok"}' ] || die "/healthz after the fuzzing"
[ "$(expect_status 200 GET /jobs)" = '{"jobs":[]}' ] || die "a malformed request made a job"
stop_server TERM || die "exit code on SIGTERM"
echo "fuzz: ok ($n malformed requests, the server stayed up)"
