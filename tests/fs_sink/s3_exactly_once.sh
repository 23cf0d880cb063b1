#!/usr/bin/env bash
# s3_exactly_once.sh - the filesystem sink as an S3 data lake under kill -9: a checkpointing job
# writes transactions PARTITIONED BY (dt, hr) as JSON to s3://<bucket>/<prefix>/lake, is killed
# at least KILLS times and restarted with --restore latest until it finishes; the objects under
# lake/ must then hold, partition by partition, the same lines as an uninterrupted run's, each
# partition must have its _SUCCESS, no upload marker may be left, and every upload a killed run
# left must have been completed later (its checkpoint had completed) or aborted: the proxy's
# request log shows its CompleteMultipartUpload or AbortMultipartUpload, and at least one abort.
#
# usage: tests/services/with_s3.sh bash s3_exactly_once.sh SLUICE [KILLS] [ROWS]
#   KILLS  how many times to kill the job (default 3; at least 2)
#   ROWS   input transactions (default 300000: about 8 hours of event time, 9 partitions)
#
# Everything goes through with_s3.sh's proxy (checkpoints too), which logs every request and
# forwards a PUT only once its body has arrived, as S3 would. A run is killed once it has
# completed a random number of checkpoints (none for the first run, which thus mostly dies before
# its first checkpoint, so that the second starts fresh and cleans up by itself; at least one for
# the others, so that restores restore) and then while one of its upload markers exists: a
# multipart upload no completed checkpoint holds, which the next run must abort. s3rver answers
# aborts with 405 (it has none), which the sink tolerates; the request still shows in the log.
# Objects are read from s3rver's data folder (one <bucket>/<key>._S3rver_object file each).
# Only bash, coreutils, findutils and awk.
set -euo pipefail
sluice=$(readlink -f "$1")
kills=${2:-3}
rows=${3:-300000}
here=$(cd "$(dirname "$0")" && pwd)
: "${SLUICE_TEST_S3_FLAKY_ENDPOINT:?run under tests/services/with_s3.sh}"
bucket=$SLUICE_TEST_S3_BUCKET
requests=$SLUICE_TEST_S3_FLAKY_LOG
s3data=$SLUICE_TEST_S3_DATA
work=$(mktemp -d /tmp/sluice-fs-s3-XXXXXX)
pid=""
trap '[ -z "$pid" ] || { kill -9 "$pid"; wait "$pid"; } 2>/dev/null; rm -rf "$work"' EXIT
export TMPDIR=$work # the sink's staging folders, left behind by kill -9, go with the test
prefix="fs-eo-${work##*-}"
interval=200

fail() {
  echo "s3_exactly_once test: $*" >&2
  [ -f "$work/log" ] && tail -20 "$work/log" >&2
  exit 1
}

bash "$here/../../examples/fraud-detection/gen_transactions.sh" "$rows" 500 7 > "$work/tx.json"

job() { # $1 the table's prefix under the bucket, $2 the checkpoint folder's
  cat <<SQL
SET 'execution.checkpointing.interval' = '$interval ms';
SET 'state.checkpoints.dir' = 's3://$bucket/$2';
SET 'state.checkpoints.num-retained' = '2';
SET 's3.endpoint' = '$SLUICE_TEST_S3_FLAKY_ENDPOINT';
SET 's3.path.style.access' = 'true';
CREATE TABLE tx (
  transaction_id STRING, card_id STRING, amount DECIMAL(10, 2), merchant_country STRING,
  event_time TIMESTAMP(3), WATERMARK FOR event_time AS event_time - INTERVAL '5' SECOND
) WITH ('connector' = 'filesystem', 'path' = '$work/tx.json', 'format' = 'json');
CREATE TABLE lake (
  transaction_id STRING, card_id STRING, amount DECIMAL(10, 2), merchant_country STRING,
  event_time TIMESTAMP(3), dt STRING, hr STRING
) PARTITIONED BY (dt, hr) WITH (
  'connector' = 'filesystem', 'path' = 's3://$bucket/$1/lake', 'format' = 'json',
  's3.endpoint' = '$SLUICE_TEST_S3_FLAKY_ENDPOINT', 's3.path.style.access' = 'true',
  'sink.rolling-policy.file-size' = '1mb',
  'sink.partition-commit.policy.kind' = 'success-file',
  'sink.partition-commit.trigger' = 'partition-time',
  'partition.time-extractor.timestamp-pattern' = '\$dt \$hr:00:00',
  'sink.partition-commit.delay' = '1 h');
INSERT INTO lake
SELECT transaction_id, card_id, amount, merchant_country, event_time,
  DATE_FORMAT(event_time, 'yyyy-MM-dd'), DATE_FORMAT(event_time, 'HH')
FROM tx;
SQL
}

# "partition<TAB>line" for every line of every part file under the table's lake/, sorted.
lines_of() { # $1 the table's prefix
  local root="$s3data/$bucket/$1/lake"
  [ -d "$root" ] || return 0
  (cd "$root" && find . -name 'part-*._S3rver_object' | sort | while read -r f; do
    d=${f%/*}
    awk -v d="${d#./}" '{ print d "\t" $0 }' "$f"
  done) | LC_ALL=C sort
}
# The partition folders under lake/ that have data, and those with a _SUCCESS, one a line.
partitions() { # $1 prefix, $2 'part-*' or '_SUCCESS'
  (cd "$s3data/$bucket/$1/lake" && find . -name "$2._S3rver_object" | sed 's|^\./||; s|/[^/]*$||' | LC_ALL=C sort -u)
}
markers() { # $1 prefix: how many upload markers there are under lake/_sluice_uploads/
  marker_ids "$1" | wc -l
}
marker_ids() { # $1 prefix: their upload ids (s3rver's are hex, so a marker's name is its id)
  find "$s3data/$bucket/$1/lake/_sluice_uploads" -name '*._S3rver_object' 2>/dev/null | sed 's|.*/||; s|\._S3rver_object$||'
}

# The reference: an uninterrupted run of the same job.
job "$prefix/ref" "$prefix/ref-ckpt" > "$work/ref.sql"
"$sluice" run -q "$work/ref.sql" 2> "$work/ref.log" || { cat "$work/ref.log" >&2; fail "the uninterrupted run failed"; }
lines_of "$prefix/ref" > "$work/expected.txt"
[ "$(wc -l < "$work/expected.txt")" -eq "$rows" ] || fail "the uninterrupted run wrote $(wc -l < "$work/expected.txt") of $rows rows"
total=$(grep -c 'checkpoint [0-9]* complete' "$work/ref.log" || true)
most=$(( total / (2 * kills) ))
[ "$most" -ge 1 ] || most=1

job "$prefix/out" "$prefix/ckpt" > "$work/job.sql"
killed=0 runs=0 left_markers=0
: > "$work/log"
: > "$work/left_ids"
while :; do
  runs=$((runs + 1))
  "$sluice" run -q "$work/job.sql" --restore latest 2> "$work/run.log" &
  pid=$!
  if [ "$killed" -lt "$kills" ]; then
    # K completed checkpoints of this run (none in the first run, at least one in the others),
    # then the first moment an upload marker of this run exists, plus up to one interval.
    k=$(( RANDOM % most + 1 ))
    [ "$runs" -gt 1 ] || k=0
    while kill -0 "$pid" 2>/dev/null && [ "$(grep -c ' complete in ' "$work/run.log" || true)" -lt "$k" ]; do sleep 0.01; done
    # (a marker of this run: earlier runs' markers wait for this run's clean-up)
    while kill -0 "$pid" 2>/dev/null && ! marker_ids "$prefix/out" | grep -qvxF -f "$work/left_ids" -e __none__; do
      sleep 0.005
    done
    # The first kill comes at once, so that at least one upload is surely left that no completed
    # checkpoint holds (the next run must abort it); the others within one interval.
    ms=$(( killed == 0 ? 0 : RANDOM % interval ))
    sleep "$(printf "0.%03d" "$ms")"
    if kill -9 "$pid" 2>/dev/null; then
      wait "$pid" 2>/dev/null || true
      pid=""
      m=$(markers "$prefix/out")
      marker_ids "$prefix/out" >> "$work/left_ids"
      left_markers=$((left_markers + m))
      cat "$work/run.log" >> "$work/log"
      echo "s3_exactly_once test: run $runs killed with $m upload marker(s) left" >> "$work/log"
      killed=$((killed + 1))
      continue
    fi
  fi
  status=0
  wait "$pid" || status=$?
  pid=""
  cat "$work/run.log" >> "$work/log"
  [ "$status" -eq 0 ] || fail "run $runs failed (exit $status)"
  break
done
[ "$killed" -ge "$kills" ] || fail "the job finished after $killed of $kills kills; give it more rows"
restores=$(grep -c "restoring from" "$work/log" || true)
[ "$restores" -ge 1 ] || fail "no run restored a checkpoint"
fresh=$(grep -c "starting fresh" "$work/log" || true)

lines_of "$prefix/out" > "$work/got.txt"
if ! cmp -s "$work/expected.txt" "$work/got.txt"; then
  echo "s3_exactly_once test: the lake after $killed kills differs from an uninterrupted run's ($(wc -l < "$work/expected.txt") lines expected, $(wc -l < "$work/got.txt") got):" >&2
  diff "$work/expected.txt" "$work/got.txt" | head -10 >&2
  fail "output differs"
fi
partitions "$prefix/out" 'part-*' > "$work/parts.txt"
partitions "$prefix/out" '_SUCCESS' > "$work/success.txt"
[ "$(wc -l < "$work/parts.txt")" -ge 2 ] || fail "expected several partitions, got $(wc -l < "$work/parts.txt")"
cmp -s "$work/parts.txt" "$work/success.txt" ||
  fail "partitions and _SUCCESS files differ: $(diff "$work/parts.txt" "$work/success.txt" | head -5 | tr '\n' ' ')"
[ "$(markers "$prefix/out")" -eq 0 ] || fail "$(markers "$prefix/out") upload marker(s) left after the job finished"
[ "$left_markers" -ge 1 ] || fail "no killed run left an upload marker behind"
# Each upload a killed run left a marker for was completed later (its checkpoint had completed)
# or aborted: AbortMultipartUpload, DELETE <object>?uploadId=<id> (405: s3rver has none).
aborted=0
for id in $(sort -u "$work/left_ids"); do
  if grep -q "^DELETE /$bucket/$prefix/out/lake/.*?uploadId=$id " "$requests"; then
    aborted=$((aborted + 1))
  elif ! grep -q "^POST /$bucket/$prefix/out/lake/.*?uploadId=$id 200$" "$requests"; then
    fail "upload $id, which a killed run left, was neither completed nor aborted"
  fi
done
[ "$aborted" -ge 1 ] || fail "no AbortMultipartUpload was sent for an upload a killed run left"
aborts=$(grep -c "^DELETE /$bucket/$prefix/out/lake/.*?uploadId=" "$requests" || true)
completes=$(grep -c "^POST /$bucket/$prefix/out/lake/.*?uploadId=.* 200$" "$requests" || true)
echo "s3_exactly_once test: $killed kills, $runs runs ($fresh fresh starts, $restores restores), $left_markers upload(s) left by killed runs ($aborted of them aborted, $aborts aborts sent), $completes upload(s) completed; $(wc -l < "$work/got.txt") lines in $(wc -l < "$work/parts.txt") partitions equal an uninterrupted run's, each with its _SUCCESS"
