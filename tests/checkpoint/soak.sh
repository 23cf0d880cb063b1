#!/usr/bin/env bash
# soak.sh - the kill -9 crash test at length: crash.sh with 100 kills and an input big enough for
# them, against a local S3 server by default. Run by hand (minutes), not part of CI.
#
# usage: tests/checkpoint/soak.sh SLUICE [BACKEND] [CHECKPOINTS] [KILLS] [ROWS]
#   BACKEND      rocksdb (default) or hashmap
#   CHECKPOINTS  s3 (default: started with tests/services/with_s3.sh) or file (see crash.sh)
#   KILLS        default 100
#   ROWS         input transactions; default 100000 per kill on S3 (a kill costs the job about a
#                quarter of a 300 ms checkpoint there), 40000 per kill on file://
# Prints crash.sh's summary line and the wall time; exits with crash.sh's status.
set -euo pipefail
sluice=$(readlink -f "${1:?usage: soak.sh SLUICE [BACKEND] [CHECKPOINTS] [KILLS] [ROWS]}")
backend=${2:-rocksdb}
where=${3:-s3}
kills=${4:-100}
here=$(cd "$(dirname "$0")" && pwd)
case "$where" in
  s3 | s3://*) rows=${5:-$((kills * 100000))} ;;
  *) rows=${5:-$((kills * 40000))} ;;
esac

run=(bash "$here/crash.sh" "$sluice" "$kills" "$rows" "$backend" "$where")
# S3 without a server named by the caller: start the local one around the test.
if [ "${where%%:*}" = s3 ] && [ -z "${SLUICE_TEST_S3_ENDPOINT:-}" ]; then
  run=(bash "$here/../services/with_s3.sh" "${run[@]}")
fi

echo "soak: $kills kills, $rows rows, $backend, $where" >&2
t0=$(date +%s)
status=0
"${run[@]}" || status=$?
echo "soak: $(( $(date +%s) - t0 )) s wall time, exit $status"
exit "$status"
