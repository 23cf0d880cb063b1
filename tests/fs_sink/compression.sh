#!/usr/bin/env bash
# compression.sh - 'sink.compression': the same job written plain, with 'gzip' and with 'zstd'
# into a partitioned folder; each compressed part file decompresses on its own (gzip -dc; zstd
# -dc where the zstd tool is installed) to exactly the plain run's part file of the same
# partition and number, and its name ends in .gz / .zst. Also with checkpointing, where parts roll
# at every checkpoint: the lines per partition are the plain run's.
#
# usage: compression.sh SLUICE [ROWS]   (ROWS: input transactions, default 100000)
# Only bash, coreutils, findutils, gzip and awk (zstd optional).
set -euo pipefail
sluice=$(readlink -f "$1")
rows=${2:-100000}
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d /tmp/sluice-fs-compression-XXXXXX)
trap 'rm -rf "$work"' EXIT

fail() {
  echo "compression test: $*" >&2
  exit 1
}

bash "$here/../../examples/fraud-detection/gen_transactions.sh" "$rows" 200 3 > "$work/tx.json"

job() { # $1 output folder, $2 extra sink options, $3 settings
  cat <<SQL
$3
CREATE TABLE tx (
  transaction_id STRING, card_id STRING, amount DECIMAL(10, 2), merchant_country STRING,
  event_time TIMESTAMP(3), WATERMARK FOR event_time AS event_time - INTERVAL '5' SECOND
) WITH ('connector' = 'filesystem', 'path' = '$work/tx.json', 'format' = 'json');
CREATE TABLE lake (transaction_id STRING, card_id STRING, amount DECIMAL(10, 2), dt STRING, hr STRING)
PARTITIONED BY (dt, hr) WITH ('connector' = 'filesystem', 'path' = '$1', 'format' = 'json'$2);
INSERT INTO lake SELECT transaction_id, card_id, amount, DATE_FORMAT(event_time, 'yyyy-MM-dd'),
  DATE_FORMAT(event_time, 'HH') FROM tx;
SQL
}

run() { # $1 name, $2 extra sink options, $3 settings
  job "$work/$1" "$2" "$3" > "$work/$1.sql"
  "$sluice" run -q "$work/$1.sql" 2> "$work/$1.log" || { cat "$work/$1.log" >&2; fail "the $1 run failed"; }
}

# "partition/part-<n>" of every part file under $1 (the UUID differs per run), sorted.
parts() {
  (cd "$1" && find . -name 'part-*' | sed -E 's|^\./||; s|part-[0-9a-f-]{36}-0-([0-9]+).*$|part-\1|' | LC_ALL=C sort)
}
# The file of part $2 ("partition/part-<n>") under $1.
part_file() {
  local d=${2%/*} n=${2##*-}
  ls "$1/$d"/part-*-0-"$n"*
}

run plain "" ""
parts "$work/plain" > "$work/plain.parts"
[ "$(wc -l < "$work/plain.parts")" -ge 2 ] || fail "expected several partitions"

codecs="gzip"
command -v zstd > /dev/null && codecs="gzip zstd"
for codec in $codecs; do
  ext=.gz
  [ "$codec" = zstd ] && ext=.zst
  run "$codec" ", 'sink.compression' = '$codec'" ""
  parts "$work/$codec" > "$work/$codec.parts"
  cmp -s "$work/plain.parts" "$work/$codec.parts" || fail "$codec: other part files than the plain run's"
  while read -r p; do
    f=$(part_file "$work/$codec" "$p")
    case "$f" in *"$ext") ;; *) fail "$codec: '$f' does not end in $ext" ;; esac
    "$codec" -dc < "$f" > "$work/one" || fail "$codec: '$f' does not decompress"
    cmp -s "$work/one" "$(part_file "$work/plain" "$p")" || fail "$codec: '$f' differs from the plain run's $p"
  done < "$work/plain.parts"
done

# With checkpointing (parts roll at every checkpoint): the lines of each partition, decompressed.
lines() { # $1 folder: "partition<TAB>line", sorted
  (cd "$1" && find . -name 'part-*' | while read -r f; do
    d=${f%/*}
    case "$f" in *.gz) gzip -dc < "$f" ;; *) cat "$f" ;; esac | awk -v d="${d#./}" '{ print d "\t" $0 }'
  done) | LC_ALL=C sort
}
run ckpt ", 'sink.compression' = 'gzip'" "SET 'execution.checkpointing.interval' = '50 ms';
SET 'state.checkpoints.dir' = 'file://$work/checkpoints';"
lines "$work/plain" > "$work/plain.lines"
lines "$work/ckpt" > "$work/ckpt.lines"
cmp -s "$work/plain.lines" "$work/ckpt.lines" || fail "gzip with checkpointing: other lines than the plain run's"
n=$(find "$work/ckpt" -name 'part-*.gz' | wc -l)
echo "compression test: $codecs part files decompress to the plain run's ($(wc -l < "$work/plain.parts") parts); with checkpoints $n gzip parts hold the same $(wc -l < "$work/plain.lines") lines"
