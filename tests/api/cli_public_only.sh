#!/bin/bash
# cli_public_only.sh SLUICE_EXE SRC_DIR - the sluice CLI (with its job server and client) is a
# host program like any other: its sources include no sluice header but <sluice.h> (their own
# headers under engine/server and engine/client aside), and the binary links the shared libsluice,
# which exports only sluice_*, so using anything else would not build.
set -euo pipefail
exe=$1
src=$(cd "$2" && pwd)
fail() { echo "FAIL: $*" >&2; exit 1; }
cd "$src"
files="engine/cli_main.c $(ls engine/server/*.[ch] engine/client/*.[ch] 2>/dev/null | tr '\n' ' ')"
for f in $files; do
  dir=$(dirname "$f")
  while IFS= read -r inc; do
    name=$(echo "$inc" | sed -E 's/^\s*#\s*include\s*[<"]([^">]+)[">].*/\1/')
    if echo "$inc" | grep -q '"'; then
      target=$(realpath -m "$dir/$name")
      case "$target" in
        "$src"/engine/server/* | "$src"/engine/client/*) ;;
        *) fail "$f includes \"$name\", which is not the CLI's own header" ;;
      esac
    else
      case "$name" in *..*) fail "$f includes <$name>" ;; esac
      for d in engine sql connectors state; do
        if [ -e "$d/$name" ] && [ "$d/$name" != engine/sluice.h ]; then
          fail "$f includes <$name>, an internal sluice header"
        fi
      done
    fi
  done < <(grep -E '^\s*#\s*include' "$f")
done
readelf -d "$exe" | grep -q 'NEEDED.*libsluice\.so\.0' || fail "$exe does not link libsluice.so.0"
undefined=$(nm -u "$exe" | awk '{print $2}' | grep -E '^sl_' || true)
[ -z "$undefined" ] || fail "$exe uses internal symbols: $undefined"
echo "ok: the CLI ($(echo $files | wc -w) files) uses <sluice.h> only"
