#!/usr/bin/env bash
# embed.sh - the embedding API's costs: records per second a host pushes through a host source
# into the fraud query (JSON text, and typed rows), per CPU-second of the whole process (the
# pushing thread and the job's), and the time from sluice_job_new to a running query.
#
# usage: bench/embed.sh [--records N] [--runs R]
#   --records N   transactions per run (default 2000000)
#   --runs R      timed runs of each (default 5; the median is shown)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
records=2000000 runs=5
while [ $# -gt 0 ]; do
  case "$1" in
    --records) records=$2; shift 2 ;;
    --runs) runs=$2; shift 2 ;;
    *) echo "usage: bench/embed.sh [--records N] [--runs R]" >&2; exit 2 ;;
  esac
done
work=$(mktemp -d /tmp/sluice-bench-embed-XXXXXX)
trap 'rm -rf "$work"' EXIT
source "$root/bench/lib.sh"
cd "$root"
[ -f bench/build/build.ninja ] || meson setup bench/build -Dbuildtype=release >&2
ninja -C bench/build sluice >&2
cc -O2 -Wall -Werror -I engine bench/embed_push.c -L bench/build -lsluice -Wl,-rpath,"$root/bench/build" \
  -o "$work/embed_push"

field() { tr ' ' '\n' | awk -F= -v k="$1" '$1 == k { print $2 }'; }
wait_quiet
for mode in json typed; do
  walls=() cpus=()
  for ((r = 0; r < runs; r++)); do
    line=$("$work/embed_push" "$mode" "$records")
    log "$line"
    walls+=("$(echo "$line" | field wall_s)")
    cpus+=("$(echo "$line" | field cpu_s)")
  done
  w=$(median "${walls[@]}") c=$(median "${cpus[@]}")
  printf '%-6s %9d records  median wall %6.2f s (%8.0f records/s)  cpu %6.2f s (%8.0f records per CPU-second)\n' \
    "$mode" "$records" "$w" "$(awk -v n="$records" -v w="$w" 'BEGIN { print n / w }')" "$c" \
    "$(awk -v n="$records" -v c="$c" 'BEGIN { print n / c }')"
done
line=$("$work/embed_push" submit 200)
log "$line"
echo "submit: sluice_job_new to a running query, 200 jobs: median $(echo "$line" | field median_ms) ms, max $(echo "$line" | field max_ms) ms"
