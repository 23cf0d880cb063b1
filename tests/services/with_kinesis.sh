#!/usr/bin/env bash
# with_kinesis.sh - runs a command next to a local Kinesis stand-in: kinesalite (kinesis_server.mjs,
# in memory) on a free 127.0.0.1 port, plus kinesis_proxy.mjs in front of it (fault injection and
# SigV4 checks). Stops both when the command ends, fails or is interrupted, and exits with the
# command's status. Composes with with_s3.sh: "with_s3.sh with_kinesis.sh <command>" gives both.
#
# Usage: tests/services/with_kinesis.sh <command> [args...]
# The command sees:
#   SLUICE_TEST_KINESIS_ENDPOINT        http://127.0.0.1:PORT of kinesalite
#   SLUICE_TEST_KINESIS_PROXY_ENDPOINT  the proxy in front of the same server
#   SLUICE_TEST_KINESIS_PROXY_CONTROL   the proxy's control file (language: kinesis_proxy.mjs header)
#   SLUICE_TEST_KINESIS_PROXY_LOG       the proxy's request log, one "OP STATUS [TYPE]" line each
#   AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_REGION   kept if set (kinesalite takes any key),
#                                       else "test", "test", "us-east-1"; the proxy checks
#                                       signatures against this secret
# KINESALITE_SHARD_LIMIT raises kinesalite's limit of 10 open shards (over all streams).
# Set SLUICE_TEST_KINESIS_KEEP=1 to keep the folder with the logs (its path is printed).
set -uo pipefail
here="$(cd "$(dirname "$0")" && pwd)"

if [ $# -eq 0 ]; then
  echo "usage: $0 <command> [args...]" >&2
  exit 2
fi
bash "$here/install.sh" || { echo "with_kinesis.sh: installing the test services failed" >&2; exit 1; }

data="$(mktemp -d "${TMPDIR:-/tmp}/sluice-kinesis.XXXXXX")"
kinesis_pid="" proxy_pid="" cmd_pid=""

cleanup() {
  local status=$?
  trap - EXIT INT TERM
  [ -n "$cmd_pid" ] && kill "$cmd_pid" 2>/dev/null
  for p in $proxy_pid $kinesis_pid; do kill "$p" 2>/dev/null; done
  for p in $cmd_pid $proxy_pid $kinesis_pid; do wait "$p" 2>/dev/null; done
  if [ "${SLUICE_TEST_KINESIS_KEEP:-}" = 1 ]; then echo "with_kinesis.sh: kept $data" >&2; else rm -rf "$data"; fi
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# Two distinct free ports (both held open while asked for, so they cannot be the same one).
free_ports() {
  node -e '
    const net = require("net");
    const a = net.createServer(), b = net.createServer();
    a.listen(0, "127.0.0.1", () => b.listen(0, "127.0.0.1", () => {
      console.log(a.address().port, b.address().port); a.close(); b.close(); }));'
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

# Any key will do for kinesalite; keep the ones a caller (with_s3.sh) has set.
export AWS_ACCESS_KEY_ID="${AWS_ACCESS_KEY_ID:-test}" AWS_SECRET_ACCESS_KEY="${AWS_SECRET_ACCESS_KEY:-test}"
export AWS_REGION="${AWS_REGION:-us-east-1}"

read -r kinesis_port proxy_port < <(free_ports)
node "$here/kinesis_server.mjs" --port "$kinesis_port" >"$data/kinesalite.log" 2>&1 &
kinesis_pid=$!
if ! wait_port "$kinesis_port" "$kinesis_pid"; then
  echo "with_kinesis.sh: kinesalite did not start on port $kinesis_port:" >&2
  cat "$data/kinesalite.log" >&2
  exit 1
fi

: >"$data/proxy.ctl"
KINESIS_PROXY_SECRET="$AWS_SECRET_ACCESS_KEY" node "$here/kinesis_proxy.mjs" --port "$proxy_port" \
  --upstream "http://127.0.0.1:$kinesis_port" --control "$data/proxy.ctl" --log "$data/proxy.log" \
  >"$data/proxy.out" 2>&1 &
proxy_pid=$!
if ! wait_port "$proxy_port" "$proxy_pid"; then
  echo "with_kinesis.sh: kinesis_proxy did not start on port $proxy_port:" >&2
  cat "$data/proxy.out" >&2
  exit 1
fi

export SLUICE_TEST_KINESIS_ENDPOINT="http://127.0.0.1:$kinesis_port"
export SLUICE_TEST_KINESIS_PROXY_ENDPOINT="http://127.0.0.1:$proxy_port"
export SLUICE_TEST_KINESIS_PROXY_CONTROL="$data/proxy.ctl"
export SLUICE_TEST_KINESIS_PROXY_LOG="$data/proxy.log"

# In the background so that a TERM (a test timeout) reaches the trap at once.
"$@" <&0 &
cmd_pid=$!
wait "$cmd_pid"
status=$?
cmd_pid=""
exit "$status"
