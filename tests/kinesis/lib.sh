#!/usr/bin/env bash
# lib.sh - what the Kinesis tests share: sourced by each one, which runs under
# tests/services/with_kinesis.sh (kinesalite and the fault proxy on 127.0.0.1) and gets the sluice
# binary as $1. Gives a work folder (removed at exit, with any job still running), kinesis_ctl,
# transaction data, and jobs started in the background and stopped with SIGTERM.
set -euo pipefail
sluice=$(readlink -f "$1")
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
services="$here/../services"
: "${SLUICE_TEST_KINESIS_ENDPOINT:?run under tests/services/with_kinesis.sh}"
export AWS_ENDPOINT_URL_KINESIS="$SLUICE_TEST_KINESIS_ENDPOINT"
work=$(mktemp -d /tmp/sluice-kinesis-test-XXXXXX)
job_pid=""
trap '[ -z "$job_pid" ] || { kill -9 "$job_pid"; wait "$job_pid"; } 2>/dev/null; rm -rf "$work"' EXIT

fail() {
  echo "FAIL: $*" >&2
  for f in "$work"/*.log; do [ -f "$f" ] && { echo "--- $f" >&2; tail -20 "$f" >&2; }; done
  exit 1
}

ctl() { node "$services/kinesis_ctl.mjs" "$@"; }

# N transactions (examples/fraud-detection/gen_transactions.sh) with SEED.
gen_tx() { bash "$here/../../examples/fraud-detection/gen_transactions.sh" "$1" 200 "${2:-7}"; }

# N transactions a day ahead (2024-03-02), on cards sentinel-1..N: spread over the shards, they
# move every shard's watermark past the data's last windows. Domestic ('CA'), as the queries'
# filters drop those.
sentinels() {
  local i
  for ((i = 1; i <= $1; i++)); do
    echo "{\"transaction_id\":\"end-$i\",\"card_id\":\"sentinel-$i\",\"amount\":1.00,\"merchant_country\":\"CA\",\"event_time\":\"2024-03-02 00:00:00.000\"}"
  done
}

# Starts `sluice run FILE [args...]` in the background; stdout and stderr go to LOG.
start_job() {
  local log=$1 sql=$2
  shift 2
  "$sluice" run "$sql" "$@" >"$log" 2>&1 &
  job_pid=$!
}

# Stops the running job with SIGTERM (a savepoint when it checkpoints) and checks it ended well.
stop_job() {
  kill -TERM "$job_pid" 2>/dev/null || fail "the job ended before it was stopped"
  local rc=0
  wait "$job_pid" || rc=$?
  job_pid=""
  [ "$rc" -eq 0 ] || fail "the job exited with status $rc"
}

# Waits until COMMAND succeeds, for at most SECONDS, failing with MESSAGE.
wait_until() {
  local seconds=$1 message=$2
  shift 2
  local end=$((SECONDS + seconds))
  while [ "$SECONDS" -lt "$end" ]; do
    "$@" >/dev/null 2>&1 && return 0
    [ -z "$job_pid" ] || kill -0 "$job_pid" 2>/dev/null || fail "the job died: $message"
    sleep 0.2
  done
  fail "timed out after $seconds s: $message"
}

# Lines in the published files of a filesystem sink's folder (in-progress files are hidden).
published_lines() { find "$1" -type f ! -name '.*' -exec cat {} + 2>/dev/null | wc -l; }
