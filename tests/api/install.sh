#!/bin/bash
# install.sh BUILD_DIR SRC_DIR - `meson install` into a scratch root gives what a host program
# needs: <sluice.h>, libsluice.so.0 (versioned soname) and libsluice.a exporting only sluice_*,
# and a pkg-config file with which examples/embed-hello/hello.c builds, both ways, and runs.
set -euo pipefail
build=$(cd "$1" && pwd)
src=$(cd "$2" && pwd)
root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

DESTDIR=$root meson install -C "$build" --no-rebuild --quiet >/dev/null
header=$(find "$root" -name sluice.h | head -1)
pc=$(find "$root" -name sluice.pc | head -1)
so=$(find "$root" -name 'libsluice.so.*.*.*' | head -1)
static=$(find "$root" -name libsluice.a | head -1)
[ -n "$header" ] || fail "no sluice.h installed"
[ -n "$pc" ] || fail "no sluice.pc installed"
[ -n "$so" ] || fail "no versioned libsluice.so installed"
[ -n "$static" ] || fail "no libsluice.a installed"
[ -x "$(find "$root" -name sluice -type f | head -1)" ] || fail "no sluice CLI installed"
libdir=$(dirname "$so")

soname=$(objdump -p "$so" | awk '/SONAME/ {print $2}')
[ "$soname" = "libsluice.so.0" ] || fail "soname is '$soname', expected libsluice.so.0"
[ -L "$libdir/libsluice.so.0" ] || fail "no libsluice.so.0 link"
hidden=$(nm -D --defined-only "$so" | awk '{print $3}' | grep -v '^sluice_' || true)
[ -z "$hidden" ] || fail "libsluice.so exports more than sluice_*: $(echo "$hidden" | head -5 | tr '\n' ' ')"

export PKG_CONFIG_PATH=$(dirname "$pc") PKG_CONFIG_SYSROOT_DIR=$root
[ "$(pkg-config --modversion sluice)" = "$(grep -o 'SLUICE_VERSION "[^"]*"' "$header" | cut -d'"' -f2)" ] ||
  fail "pkg-config version differs from the header's"
cd "$root"
# A sanitized build's library needs the sanitizer runtimes linked into the program, first.
san=""
if nm "$static" 2>/dev/null | grep '__asan_init' >/dev/null; then san="-fsanitize=address,undefined"; fi
# shellcheck disable=SC2046
cc -Wall -Werror $san "$src/examples/embed-hello/hello.c" $(pkg-config --cflags --libs sluice) -o hello-shared ||
  fail "hello.c does not build with pkg-config --cflags --libs sluice"
# libsluice.a with the shared libraries of its dependencies (their own static archives, libcurl's
# above all, are not all packaged): the modules sluice.pc requires privately, plus -lm -pthread.
# shellcheck disable=SC2046
cc -Wall -Werror $san "$src/examples/embed-hello/hello.c" $(pkg-config --cflags sluice) "$static" \
  $(pkg-config --libs $(pkg-config --print-requires-private sluice | awk '{print $1}')) -lm -pthread -o hello-static ||
  fail "hello.c does not build against libsluice.a"
expect='+I {"card":"4000-0002","amount":99.00,"fee":1.98}
+I {"card":"4000-0001","amount":250.00,"fee":5.00}
FINISHED: 3 rows read, 2 written'
for prog in hello-shared hello-static; do
  out=$(LD_LIBRARY_PATH=$libdir "./$prog") || fail "$prog exited non-zero"
  [ "$out" = "$expect" ] || fail "$prog printed:
$out
expected:
$expect"
done
if ldd ./hello-static | grep -q libsluice; then fail "hello-static still needs libsluice.so"; fi
echo "ok: installed header, libsluice.so.0 (only sluice_* exported), libsluice.a, sluice.pc; hello.c built both ways and ran"
