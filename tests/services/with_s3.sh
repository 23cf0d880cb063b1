#!/usr/bin/env bash
# with_s3.sh - runs a command next to a local S3 stand-in: s3rver on a free 127.0.0.1 port with
# a temp data folder and one bucket, plus flaky_proxy.mjs in front of it (fault injection and
# SigV4 checks). Stops both and removes the data when the command ends, fails or is interrupted,
# and exits with the command's status.
#
# Usage: tests/services/with_s3.sh <command> [args...]
# The command sees:
#   SLUICE_TEST_S3_ENDPOINT        http://127.0.0.1:PORT of s3rver (path-style addressing)
#   SLUICE_TEST_S3_BUCKET          the bucket created at start ($SLUICE_S3_BUCKET, else sluice-test)
#   SLUICE_TEST_S3_FLAKY_ENDPOINT  the proxy in front of the same server
#   SLUICE_TEST_S3_FLAKY_CONTROL   the proxy's control file (language: flaky_proxy.mjs header)
#   SLUICE_TEST_S3_FLAKY_LOG       the proxy's request log, one "METHOD URL STATUS" line each
#   SLUICE_TEST_S3_DATA            s3rver's data folder (objects as files)
#   AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_REGION   what s3rver accepts (its built-in key)
# Set SLUICE_TEST_S3_KEEP=1 to keep the data folder (its path is printed) for a post-mortem.
set -uo pipefail
here="$(cd "$(dirname "$0")" && pwd)"

if [ $# -eq 0 ]; then
  echo "usage: $0 <command> [args...]" >&2
  exit 2
fi
bash "$here/install.sh" || { echo "with_s3.sh: installing the test services failed" >&2; exit 1; }

data="$(mktemp -d "${TMPDIR:-/tmp}/sluice-s3.XXXXXX")"
s3_pid="" proxy_pid="" cmd_pid=""

cleanup() {
  local status=$?
  trap - EXIT INT TERM
  [ -n "$cmd_pid" ] && kill "$cmd_pid" 2>/dev/null
  for p in $proxy_pid $s3_pid; do kill "$p" 2>/dev/null; done
  for p in $cmd_pid $proxy_pid $s3_pid; do wait "$p" 2>/dev/null; done
  if [ "${SLUICE_TEST_S3_KEEP:-}" = 1 ]; then echo "with_s3.sh: kept $data" >&2; else rm -rf "$data"; fi
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

free_port() {
  node -e 'const s = require("net").createServer(); s.listen(0, "127.0.0.1", () => { console.log(s.address().port); s.close(); });'
}

# Waits until something accepts connections on 127.0.0.1:$1 while process $2 lives (10 s max).
wait_port() {
  for _ in $(seq 100); do
    kill -0 "$2" 2>/dev/null || return 1
    if (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; then return 0; fi
    sleep 0.1
  done
  return 1
}

# s3rver's paged listing needs the legacy OpenSSL provider on node >= 17 (see LOCAL-AWS.md).
node_flags=""
node --openssl-legacy-provider -e 0 2>/dev/null && node_flags="--openssl-legacy-provider"

bucket="${SLUICE_S3_BUCKET:-sluice-test}"
s3_port="$(free_port)" proxy_port="$(free_port)"
# shellcheck disable=SC2086
node $node_flags "$here/node_modules/s3rver/bin/s3rver.js" --silent --directory "$data/s3" \
  --address 127.0.0.1 --port "$s3_port" --configure-bucket "$bucket" >"$data/s3rver.log" 2>&1 &
s3_pid=$!
if ! wait_port "$s3_port" "$s3_pid"; then
  echo "with_s3.sh: s3rver did not start on port $s3_port:" >&2
  cat "$data/s3rver.log" >&2
  exit 1
fi

export AWS_ACCESS_KEY_ID="S3RVER" AWS_SECRET_ACCESS_KEY="S3RVER" AWS_REGION="us-east-1"
: >"$data/flaky.ctl"
FLAKY_PROXY_SECRET="$AWS_SECRET_ACCESS_KEY" node "$here/flaky_proxy.mjs" --port "$proxy_port" \
  --upstream "http://127.0.0.1:$s3_port" --control "$data/flaky.ctl" --log "$data/flaky.log" \
  >"$data/proxy.log" 2>&1 &
proxy_pid=$!
if ! wait_port "$proxy_port" "$proxy_pid"; then
  echo "with_s3.sh: flaky_proxy did not start on port $proxy_port:" >&2
  cat "$data/proxy.log" >&2
  exit 1
fi

export SLUICE_TEST_S3_ENDPOINT="http://127.0.0.1:$s3_port"
export SLUICE_TEST_S3_BUCKET="$bucket"
export SLUICE_TEST_S3_FLAKY_ENDPOINT="http://127.0.0.1:$proxy_port"
export SLUICE_TEST_S3_FLAKY_CONTROL="$data/flaky.ctl"
export SLUICE_TEST_S3_FLAKY_LOG="$data/flaky.log"
export SLUICE_TEST_S3_DATA="$data/s3" # s3rver's objects, as files (for tests that look inside)

# In the background so that a TERM (a test timeout) reaches the trap at once.
"$@" <&0 &
cmd_pid=$!
wait "$cmd_pid"
status=$?
cmd_pid=""
exit "$status"
