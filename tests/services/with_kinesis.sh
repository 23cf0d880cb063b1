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
source "$here/lib.sh"
services_init with_kinesis.sh SLUICE_TEST_KINESIS_KEEP

# Any key will do for kinesalite; keep the ones a caller (with_s3.sh) has set.
export AWS_ACCESS_KEY_ID="${AWS_ACCESS_KEY_ID:-test}" AWS_SECRET_ACCESS_KEY="${AWS_SECRET_ACCESS_KEY:-test}"
export AWS_REGION="${AWS_REGION:-us-east-1}"

read -r kinesis_port proxy_port < <(free_ports 2)
services_start kinesalite kinesalite.log "$kinesis_port" node "$here/kinesis_server.mjs" --port "$kinesis_port"
: >"$data/proxy.ctl"
services_start kinesis_proxy proxy.out "$proxy_port" env KINESIS_PROXY_SECRET="$AWS_SECRET_ACCESS_KEY" \
  node "$here/kinesis_proxy.mjs" --port "$proxy_port" --upstream "http://127.0.0.1:$kinesis_port" \
  --control "$data/proxy.ctl" --log "$data/proxy.log"

export SLUICE_TEST_KINESIS_ENDPOINT="http://127.0.0.1:$kinesis_port"
export SLUICE_TEST_KINESIS_PROXY_ENDPOINT="http://127.0.0.1:$proxy_port"
export SLUICE_TEST_KINESIS_PROXY_CONTROL="$data/proxy.ctl"
export SLUICE_TEST_KINESIS_PROXY_LOG="$data/proxy.log"
services_run "$@"
