#!/bin/bash
# cli_public_only.sh SLUICE_EXE SRC_DIR - the sluice CLI is a host program like any other: its
# source includes no header but <sluice.h> and the C library's, and the binary links the shared
# libsluice (which exports only sluice_*), so anything else it used would not build.
set -euo pipefail
exe=$1
src=$2
fail() { echo "FAIL: $*" >&2; exit 1; }
bad=$(grep -E '^\s*#\s*include' "$src/engine/cli_main.c" |
  grep -vE '<(sluice|errno|signal|stdio|stdlib|string|unistd|stdint|stddef|stdbool)\.h>' || true)
[ -z "$bad" ] || fail "engine/cli_main.c includes more than the public API: $bad"
readelf -d "$exe" | grep -q 'NEEDED.*libsluice\.so\.0' || fail "$exe does not link libsluice.so.0"
undefined=$(nm -u "$exe" | awk '{print $2}' | grep -E '^sl_' || true)
[ -z "$undefined" ] || fail "$exe uses internal symbols: $undefined"
echo "ok: the CLI uses <sluice.h> only"
