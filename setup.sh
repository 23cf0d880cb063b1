#!/usr/bin/env bash
# setup.sh - installs what is missing (Debian packages) and builds sluice into build/.
# Usage: ./setup.sh [build-dir [meson options...]]
set -euo pipefail
cd "$(dirname "$0")"

PKGS="gcc libc6-dev pkg-config meson ninja-build lemon librocksdb-dev libuv1-dev libprotobuf-c-dev
protobuf-c-compiler check libcurl4-openssl-dev libjansson-dev zlib1g-dev libzstd-dev diffutils coreutils
libhttp-parser-dev libmicrohttpd-dev curl binutils"

missing=""
for p in $PKGS; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
if [ -n "$missing" ]; then
  echo "setup: installing$missing" >&2
  SUDO=""
  [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends $missing >&2
fi

dir="${1:-build}"
shift || true
if [ ! -f "$dir/build.ninja" ]; then
  meson setup "$dir" "$@" >&2
fi
ninja -C "$dir" >&2
