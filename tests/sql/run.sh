#!/usr/bin/env bash
# run.sh - end-to-end SQL cases: each folder with query.sql runs through `sluice run` and is
# compared against expected.out (print sink / bare SELECT on stdout), expected.sink (files
# written under out/) or expected.err (first line of stderr).
#
# usage: bash tests/sql/run.sh /path/to/sluice [case-name...]
#
# Per case folder tests/sql/<case>/:
#   query.sql      run as `sluice run query.sql` inside a temporary copy of the folder
#   expected.out   exit 0; sorted stdout lines == sorted expected.out (exact if `ordered` exists)
#   expected.sink  exit 0; sorted lines of all non-hidden files under out/ == sorted
#                  expected.sink, and no hidden (dot) file or folder left under out/
#   expected.final exit 0; stdout read as a changelog (+I/+U rows add, -U/-D rows retract one
#                  equal row, per print identifier) and materialized: the rows left, as +I lines,
#                  sorted == sorted expected.final (a retraction of an absent row fails)
#   expected.err   exit != 0; first line of stderr == first line of expected.err
# Several expected.* files may be present in one case; each is checked.
# Needs only bash, coreutils (timeout, sort, mktemp, ...), findutils and diffutils.

set -u
export LC_ALL=C
# AWS settings of the machine never reach the cases (their messages would differ).
unset AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY AWS_SESSION_TOKEN AWS_PROFILE AWS_REGION AWS_DEFAULT_REGION
export AWS_SHARED_CREDENTIALS_FILE=/nonexistent/aws-credentials AWS_CONFIG_FILE=/nonexistent/aws-config

TIMEOUT_S=${SLUICE_TEST_TIMEOUT:-60}
MAX_DETAIL=40

if [ $# -lt 1 ]; then
  echo "usage: $0 /path/to/sluice [case-name...]" >&2
  exit 2
fi

sluice=$1
shift
case "$sluice" in
  */*) ;;
  *) sluice=$(command -v -- "$sluice" || echo "$sluice") ;;
esac
case "$sluice" in
  /*) ;;
  *) sluice="$PWD/$sluice" ;;
esac
if [ ! -x "$sluice" ]; then
  echo "run.sh: '$sluice' is not an executable" >&2
  exit 2
fi

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

# The cases to run: the names given, or every folder holding query.sql.
cases=()
if [ $# -gt 0 ]; then
  for c in "$@"; do
    c=${c%/}
    cases+=("${c##*/}")
  done
else
  for d in "$here"/*/; do
    [ -f "$d/query.sql" ] && cases+=("$(basename "$d")")
  done
fi

tmproot=$(mktemp -d "${TMPDIR:-/tmp}/sluice-sql.XXXXXX") || exit 2
trap 'rm -rf "$tmproot"' EXIT INT TERM

passed=0
failed=0

# Sorted lines of a file, with a final newline added when missing (so that a missing trailing
# newline never shows up as a difference).
sorted_lines() {
  sed -e '$a\' "$1" | sort
}

# The rows a changelog on stdout leaves: "[ident> ]+I[...]" and "+U[...]" add the row, "-U[...]"
# and "-D[...]" remove one equal row (of the same identifier); prints what is left as +I lines,
# sorted. Fails on a removal of a row that is not there.
materialize() {
  awk '{
    line = $0; pre = ""
    if (match(line, /^[^[]*> /)) { pre = substr(line, 1, RLENGTH); line = substr(line, RLENGTH + 1) }
    kind = substr(line, 1, 2); row = pre substr(line, 3)
    if (kind == "+I" || kind == "+U") n[row]++
    else if (kind == "-U" || kind == "-D") {
      if (n[row] <= 0) { printf "retraction of a row not there: %s\n", $0 > "/dev/stderr"; bad = 1 }
      n[row]--
    } else { printf "not a changelog line: %s\n", $0 > "/dev/stderr"; bad = 1 }
  }
  END {
    for (r in n) for (i = 0; i < n[r]; i++) {
      p = ""; rest = r
      if (match(rest, /^[^[]*> /)) { p = substr(rest, 1, RLENGTH); rest = substr(rest, RLENGTH + 1) }
      print p "+I" rest
    }
    exit bad
  }' "$1" | sort
  return "${PIPESTATUS[0]}"
}

# Prints the first MAX_DETAIL lines of the detail file, indented, and notes a cut.
show_detail() {
  local f=$1 n
  n=$(wc -l <"$f")
  head -n "$MAX_DETAIL" "$f" | sed -e 's/^/    /'
  if [ "$n" -gt "$MAX_DETAIL" ]; then
    echo "    ... ($((n - MAX_DETAIL)) more lines)"
  fi
}

# Appends the head of stderr to the detail file (helps when the exit code is unexpected).
note_stderr() {
  local errf=$1 detail=$2
  if [ -s "$errf" ]; then
    echo "stderr:" >>"$detail"
    head -n 5 "$errf" | sed -e 's/^/  /' >>"$detail"
  fi
}

run_case() {
  local name=$1 src="$here/$1" tmp="$tmproot/$1"
  local work="$tmp/work" out="$tmp/stdout" errf="$tmp/stderr" detail="$tmp/detail"
  local rc ok=1 checked=0

  rm -rf "$tmp"
  mkdir -p "$work"
  : >"$detail"

  if [ ! -f "$src/query.sql" ]; then
    echo "no such case (no $src/query.sql)" >>"$detail"
    report "$name" 0 "$detail"
    return
  fi
  cp -R "$src/." "$work/"
  rm -rf "$work/out" # never let a stale sink folder from a manual run leak into the result

  (cd "$work" && timeout -k 5 "$TIMEOUT_S" "$sluice" run query.sql </dev/null >"$out" 2>"$errf")
  rc=$?
  if [ "$rc" -eq 124 ] || [ "$rc" -eq 137 ]; then
    echo "timed out after ${TIMEOUT_S}s (exit $rc)" >>"$detail"
    report "$name" 0 "$detail"
    rm -rf "$tmp"
    return
  fi

  if [ -f "$src/expected.out" ] || [ -f "$src/expected.sink" ] || [ -f "$src/expected.final" ]; then
    checked=1
    if [ "$rc" -ne 0 ]; then
      echo "exit code $rc, expected 0" >>"$detail"
      note_stderr "$errf" "$detail"
      ok=0
    fi
  fi

  if [ -f "$src/expected.out" ]; then
    if [ -f "$src/ordered" ]; then
      sed -e '$a\' "$src/expected.out" >"$tmp/exp"
      sed -e '$a\' "$out" >"$tmp/act"
    else
      sorted_lines "$src/expected.out" >"$tmp/exp"
      sorted_lines "$out" >"$tmp/act"
    fi
    if ! diff -u --label expected.out --label stdout "$tmp/exp" "$tmp/act" >>"$detail"; then
      ok=0
    fi
  fi

  if [ -f "$src/expected.final" ]; then
    materialize "$out" >"$tmp/act" 2>>"$detail" || ok=0
    sorted_lines "$src/expected.final" >"$tmp/exp"
    if ! diff -u --label expected.final --label 'stdout, materialized' "$tmp/exp" "$tmp/act" >>"$detail"; then
      ok=0
    fi
  fi

  if [ -f "$src/expected.sink" ]; then
    : >"$tmp/sink"
    if [ -d "$work/out" ]; then
      # Non-hidden files, recursively, pruning any dot-named file or folder.
      find "$work/out" -mindepth 1 -name '.*' -prune -o -type f -print | sort >"$tmp/files"
      while IFS= read -r f; do
        sed -e '$a\' "$f" >>"$tmp/sink"
      done <"$tmp/files"
      find "$work/out" -mindepth 1 -name '.*' | sed -e "s|^$work/||" >"$tmp/hidden"
      if [ -s "$tmp/hidden" ]; then
        echo "hidden files left in the sink folder:" >>"$detail"
        sed -e 's/^/  /' "$tmp/hidden" >>"$detail"
        ok=0
      fi
    fi
    sort "$tmp/sink" >"$tmp/act"
    sorted_lines "$src/expected.sink" >"$tmp/exp"
    if ! diff -u --label expected.sink --label out/ "$tmp/exp" "$tmp/act" >>"$detail"; then
      ok=0
    fi
  fi

  if [ -f "$src/expected.err" ]; then
    checked=1
    if [ "$rc" -eq 0 ]; then
      echo "exit code 0, expected an error" >>"$detail"
      ok=0
    fi
    head -n 1 "$src/expected.err" >"$tmp/exp"
    head -n 1 "$errf" >"$tmp/act"
    if ! diff -u --label expected.err --label stderr "$tmp/exp" "$tmp/act" >>"$detail"; then
      ok=0
    fi
  fi

  if [ "$checked" -eq 0 ]; then
    echo "no expected.out, expected.sink, expected.final or expected.err in the case" >>"$detail"
    ok=0
  fi

  report "$name" "$ok" "$detail"
  rm -rf "$tmp"
}

report() {
  local name=$1 ok=$2 detail=$3
  if [ "$ok" -eq 1 ]; then
    echo "ok $name"
    passed=$((passed + 1))
  else
    echo "FAIL $name"
    show_detail "$detail"
    failed=$((failed + 1))
  fi
}

for c in "${cases[@]}"; do
  run_case "$c"
done

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
