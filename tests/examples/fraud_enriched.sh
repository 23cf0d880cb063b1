#!/usr/bin/env bash
# fraud_enriched.sh - runs examples/fraud-detection/fraud_enriched.sql itself (its paths moved to
# a temporary folder) on data from the example's generator, twice: once straight through and
# once stopped with SIGTERM halfway and resumed from the savepoint; both must publish the same
# alerts, and some. (Its results are checked against DuckDB by the SQL case fraud_enriched.)
#
# usage: fraud_enriched.sh SLUICE
set -euo pipefail
sluice=$(readlink -f "$1")
root=$(cd "$(dirname "$0")/../.." && pwd)
work=$(mktemp -d /tmp/sluice-example-XXXXXX)
trap 'rm -rf "$work"' EXIT
ex=$root/examples/fraud-detection
bash "$ex/gen_enriched.sh" 300000 1000 42 "$work/data" >/dev/null
job() { # $1 output folder name
  sed -e "s|examples/fraud-detection/data/enriched|$work/data|" \
      -e "s|examples/fraud-detection/alerts-enriched|$work/$1|" \
      -e "s|examples/fraud-detection/checkpoints-enriched|$work/ckpt-$1|" \
      -e "s|'10 s'|'100 ms'|" "$ex/fraud_enriched.sql"
}
job straight > "$work/straight.sql"
job resumed > "$work/resumed.sql"
"$sluice" run -q "$work/straight.sql"
"$sluice" run "$work/resumed.sql" 2> "$work/log" &
pid=$!
until grep -q 'checkpoint 2 complete' "$work/log" 2>/dev/null || ! kill -0 "$pid" 2>/dev/null; do sleep 0.01; done
kill -TERM "$pid" 2>/dev/null || true
wait "$pid" || true
"$sluice" run -q "$work/resumed.sql" --restore latest
cat "$work"/straight/part-* | sort > "$work/a"
cat "$work"/resumed/part-* | sort > "$work/b"
n=$(wc -l < "$work/a")
[ "$n" -gt 0 ] || { echo "example: no alerts" >&2; exit 1; }
if ! cmp -s "$work/a" "$work/b"; then
  echo "example: alerts after a stop and a resume differ from a straight run" >&2
  diff "$work/a" "$work/b" | head >&2
  exit 1
fi
echo "example fraud_enriched: $n alerts, the same after a stop with savepoint and a resume ($(grep -c 'savepoint' "$work/log" || true) savepoint line)"
