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
source "$here/lib.sh"
services_init with_s3.sh SLUICE_TEST_S3_KEEP

# s3rver's paged listing needs the legacy OpenSSL provider on node >= 17 (see LOCAL-AWS.md).
node_flags=""
node --openssl-legacy-provider -e 0 2>/dev/null && node_flags="--openssl-legacy-provider"

bucket="${SLUICE_S3_BUCKET:-sluice-test}"
read -r s3_port proxy_port < <(free_ports 2)
# shellcheck disable=SC2086
services_start s3rver s3rver.log "$s3_port" node $node_flags "$here/node_modules/s3rver/bin/s3rver.js" --silent \
  --directory "$data/s3" --address 127.0.0.1 --port "$s3_port" --configure-bucket "$bucket"

export AWS_ACCESS_KEY_ID="S3RVER" AWS_SECRET_ACCESS_KEY="S3RVER" AWS_REGION="us-east-1"
: >"$data/flaky.ctl"
services_start flaky_proxy proxy.log "$proxy_port" env FLAKY_PROXY_SECRET="$AWS_SECRET_ACCESS_KEY" \
  node "$here/flaky_proxy.mjs" --port "$proxy_port" --upstream "http://127.0.0.1:$s3_port" \
  --control "$data/flaky.ctl" --log "$data/flaky.log"

export SLUICE_TEST_S3_ENDPOINT="http://127.0.0.1:$s3_port"
export SLUICE_TEST_S3_BUCKET="$bucket"
export SLUICE_TEST_S3_FLAKY_ENDPOINT="http://127.0.0.1:$proxy_port"
export SLUICE_TEST_S3_FLAKY_CONTROL="$data/flaky.ctl"
export SLUICE_TEST_S3_FLAKY_LOG="$data/flaky.log"
export SLUICE_TEST_S3_DATA="$data/s3" # s3rver's objects, as files (for tests that look inside)
services_run "$@"
