#!/usr/bin/env bash
# selftest_kinesis.sh - checks the Kinesis test services by hand: kinesalite through
# kinesis_ctl.mjs (resharding, order per key, exactly-once puts) and every command of
# kinesis_proxy.mjs, then that with_s3.sh and with_kinesis.sh compose. Not part of the test suite.
#
# Usage: bash tests/services/selftest_kinesis.sh   (starts itself under with_kinesis.sh)
# Prints one line per check and "selftest_kinesis: N passed, M failed"; exits 1 if any failed.
set -uo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
if [ -z "${SLUICE_TEST_KINESIS_PROXY_ENDPOINT:-}" ]; then
  exec bash "$here/with_kinesis.sh" bash "$0" "$@"
fi

tmp="$(mktemp -d "${TMPDIR:-/tmp}/sluice-kinesis-selftest.XXXXXX")"
trap 'rm -rf "$tmp"' EXIT
ctl() { node "$here/kinesis_ctl.mjs" --endpoint "$SLUICE_TEST_KINESIS_PROXY_ENDPOINT" "$@"; }
direct() { node "$here/kinesis_ctl.mjs" --endpoint "$SLUICE_TEST_KINESIS_ENDPOINT" "$@"; }
proxy() { echo "$*" >"$SLUICE_TEST_KINESIS_PROXY_CONTROL"; }
log="$SLUICE_TEST_KINESIS_PROXY_LOG"
passed=0 failed=0

# check NAME COMMAND...: runs the command, counts and reports the outcome.
check() {
  local name="$1"
  shift
  if "$@"; then
    passed=$((passed + 1))
    echo "ok - $name"
  else
    failed=$((failed + 1))
    echo "FAILED - $name"
  fi
}

# quiet COMMAND...: runs the command with its output thrown away.
quiet() { "$@" >/dev/null; }

# count PATTERN FILE: how many lines of FILE match the extended regex PATTERN.
count() { grep -cE "$1" "$2" || true; }

# in_order FILE N: FILE holds lines {"k":..,"n":..} with each n of 1..N exactly once, and the n of
# each key rising from line to line.
in_order() {
  awk -v want="$2" '
    { k = $0; sub(/.*"k":"/, "", k); sub(/".*/, "", k); n = $0; sub(/.*"n":/, "", n); sub(/[^0-9].*/, "", n); n += 0 }
    (k in last) && n <= last[k] { print "out of order: key " k ": " n " after " last[k] > "/dev/stderr"; bad = 1 }
    { last[k] = n; if (seen[n]++) { print "twice: " n > "/dev/stderr"; bad = 1 } }
    END { if (NR != want) { print NR " lines, wanted " want > "/dev/stderr"; bad = 1 }; exit bad }' "$1"
}

seq 1 1000 | awk '{ printf "{\"k\":\"k%d\",\"n\":%d}\n", $1 % 10, $1 }' >"$tmp/lines.json"
head -n 500 "$tmp/lines.json" >"$tmp/a.json"
sed -n 501,750p "$tmp/lines.json" >"$tmp/b.json"
tail -n 250 "$tmp/lines.json" >"$tmp/c.json"

# ---- Resharding, with every PutRecords of the first 500 records partly failed. ----
check "create a 2-shard stream" ctl create orders 2
proxy "putrecords-partial 1000"
check "put 500 records, 10 keys, partly failed calls" test "$(ctl put orders "$tmp/a.json" --key-field k --key-order)" = 500
proxy ""
check "proxy failed records of those calls" test "$(count '^PutRecords 200 partial 5$' "$log")" -ge 50
check "split shard 0" test "$(ctl split orders shardId-000000000000 | tr '\n' ' ')" = "shardId-000000000002 shardId-000000000003 "
check "put 250 more" test "$(ctl put orders "$tmp/b.json" --key-field k --batch 7 --key-order)" = 250
check "merge shards 1 and 3" test "$(ctl merge orders shardId-000000000001 shardId-000000000003)" = shardId-000000000004
check "put the last 250" test "$(ctl put orders "$tmp/c.json" --key-field k --key-order)" = 250
ctl shards orders >"$tmp/shards.txt"
check "shards: 3 closed, 2 open" test "$(count closed "$tmp/shards.txt") $(count 'open$' "$tmp/shards.txt")" = "3 2"
check "shards: merged shard's parents" grep -qxP 'shardId-000000000004\tshardId-000000000003\tshardId-000000000001\topen' "$tmp/shards.txt"
ctl read orders >"$tmp/read.txt"
check "read back 1000 records once each, in order per key" in_order "$tmp/read.txt" 1000
direct read orders --with-meta >"$tmp/meta.txt"
check "read --with-meta: shard, sequence number, data" grep -qP '^shardId-00000000000[0-4]\t\d+\t\{"k":' "$tmp/meta.txt"
check "read --with-meta: shards in order of id" test "$(cut -f1 "$tmp/meta.txt" | uniq | sort -c && echo sorted)" = sorted
check "wait-count reaches 1000" test "$(ctl wait-count orders 1000 --timeout 5)" = 1000
check "wait-count 1001 times out" test "$(ctl wait-count orders 1001 --timeout 1 2>/dev/null; echo $?)" = 1

# ---- Exactly once under putrecords-partial, 500 records a call, one key each. ----
check "create a second stream" ctl create plain 2
: >"$log"
proxy "putrecords-partial 3"
check "put 1000 records, 3 calls partly failed" test "$(ctl put plain "$tmp/lines.json")" = 1000
check "proxy logged 3 partial calls" test "$(count 'PutRecords 200 partial' "$log")" = 3
ctl read plain >"$tmp/plain.txt"
check "every record stored exactly once" test "$(sort -u "$tmp/plain.txt" | wc -l) $(wc -l <"$tmp/plain.txt")" = "1000 1000"
check "same records as put" cmp -s <(sort "$tmp/plain.txt") <(sort "$tmp/lines.json")

# ---- fail / op / skip / drop / fail-all. ----
: >"$log"
proxy "op GetRecords fail 3 400 ProvisionedThroughputExceededException"
check "read through 3 throttled GetRecords" test "$(ctl read plain | wc -l)" = 1000
check "3 GetRecords throttled, nothing else failed" \
  test "$(count ' 400 ' "$log") $(count '^GetRecords 400 ProvisionedThroughputExceededException$' "$log")" = "3 3"

: >"$log"
proxy "fail 2 500 InternalFailure"
check "shards through 2 server errors" quiet ctl shards plain
check "log: 2 ListShards 500 InternalFailure, then 200" \
  test "$(tr '\n' ',' <"$log")" = "ListShards 500 InternalFailure,ListShards 500 InternalFailure,ListShards 200,"

: >"$log"
proxy "op ListShards skip 1 fail 1 400 LimitExceededException"
ctl shards plain >/dev/null && ctl shards plain >/dev/null
check "skip 1 fail 1: the second ListShards fails once" \
  test "$(tr '\n' ',' <"$log")" = "ListShards 200,ListShards 400 LimitExceededException,ListShards 200,"

: >"$log"
proxy "op PutRecords fail 1"
ctl shards plain >/dev/null
echo '{"k":"x","n":1001}' >"$tmp/one.json"
check "op PutRecords: other calls pass and do not count" test "$(ctl put plain "$tmp/one.json")" = 1
check "log: ListShards 200, PutRecords 400 then 200" \
  test "$(tr '\n' ',' <"$log")" = "ListShards 200,PutRecords 400 ProvisionedThroughputExceededException,PutRecords 200,"

: >"$log"
proxy "drop 2"
check "shards through 2 dropped connections" quiet ctl shards plain
check "log: 2 drops" test "$(count '^ListShards drop$' "$log")" = 2

proxy "fail-all 503 ServiceUnavailable"
check "fail-all: gives up after --retries 2" test "$(ctl --retries 2 shards plain 2>"$tmp/err"; echo $?)" = 1
check "fail-all: the error names the type" grep -q 'ListShards: ServiceUnavailable' "$tmp/err"
proxy ""
check "emptied control file: calls pass again" quiet ctl --retries 0 shards plain
check "wait-count after the extra record" test "$(ctl wait-count plain 1001 --timeout 5)" = 1001

# ---- Signatures and usage. ----
check "proxy rejects a wrong secret" \
  test "$(AWS_SECRET_ACCESS_KEY=wrong ctl shards plain 2>&1 >/dev/null)" = \
  "kinesis_ctl: shards plain: ListShards: InvalidSignatureException: kinesis_proxy: signature mismatch."
check "kinesalite alone takes any secret" quiet env AWS_SECRET_ACCESS_KEY=wrong \
  node "$here/kinesis_ctl.mjs" --endpoint "$SLUICE_TEST_KINESIS_ENDPOINT" shards plain
check "missing stream: exit 1" test "$(ctl read nosuch 2>/dev/null; echo $?)" = 1
check "bad usage: exit 2" test "$(ctl create orders 2>/dev/null; echo $?)" = 2

# ---- with_s3.sh around with_kinesis.sh. ----
if [ -f "$here/with_s3.sh" ]; then
  # shellcheck disable=SC2016
  check "with_s3.sh with_kinesis.sh: both, S3's keys kept" bash "$here/with_s3.sh" bash "$here/with_kinesis.sh" bash -c '
    test "$AWS_ACCESS_KEY_ID" = S3RVER && test -n "$SLUICE_TEST_S3_ENDPOINT" &&
    node "$0/kinesis_ctl.mjs" --endpoint "$SLUICE_TEST_KINESIS_PROXY_ENDPOINT" create s 1 &&
    test "$(node "$0/kinesis_ctl.mjs" --endpoint "$SLUICE_TEST_KINESIS_PROXY_ENDPOINT" shards s | wc -l)" = 1' "$here"
fi

echo "selftest_kinesis: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
