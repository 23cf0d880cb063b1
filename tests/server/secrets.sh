#!/usr/bin/env bash
# secrets.sh - values of credential-like keys ('...token', '...secret', '...password', ...) in a
# submitted script never come back: not in errors, job details, the job list, metrics or the
# server's log, wherever else the value appears (here: in a path); a secret that is part of the
# mask itself ('*') is redacted without hanging the server.
#
# usage: secrets.sh SLUICE SRC_ROOT
sluice=$1 src=$2
. "$(dirname "$0")/lib.sh"

secret="tok${RANDOM}x${RANDOM}"
job() { # $1 token value, $2 input path
  cat <<SQL
SET 'pipeline.auth-token' = '$1';
CREATE TABLE tx (card_id STRING, amount DECIMAL(10, 2))
WITH ('connector' = 'filesystem', 'path' = '$2', 'format' = 'json');
CREATE TABLE big (card_id STRING, amount DECIMAL(10, 2)) WITH ('connector' = 'blackhole');
INSERT INTO big SELECT card_id, amount FROM tx;
SQL
}
start_server

# A job that fails: its cause names the path, the secret masked.
job "$secret" "$work/missing-$secret/in.json" > "$work/bad.sql"
bad=$(submit "$work/bad.sql")
wait_state "$bad" FAILED 30
body=$(expect_status 200 GET "/jobs/$bad")
echo "$body" | grep_q "missing-\*\*\*\*\*\*/in.json" || die "the failure cause does not show the masked path: $body"

# Run: the vertex names carry the path.
mkdir -p "$work/in-$secret"
printf '{"card_id": "c1", "amount": 12.50}\n' > "$work/in-$secret/in.json"
job "$secret" "$work/in-$secret/in.json" > "$work/good.sql"
id=$(submit "$work/good.sql")
wait_state "$id" FINISHED 30
detail=$(expect_status 200 GET "/jobs/$id")
echo "$detail" | grep_q "in-\*\*\*\*\*\*/in.json" || die "the vertex name is not masked: $detail"
for p in "/jobs/$id" /jobs /jobs/overview /metrics "/jobs/$id/checkpoints"; do
  http GET "$p" | grep_q "$secret" && die "GET $p shows the secret"
done
grep -q "$secret" "$work/server.log" && die "the server's log shows the secret"
grep -q "$secret" "$work/dir/jobs/$id/job.json" && die "job.json shows the secret"

# A secret inside the mask: '*' in a path and as a token. The server must answer, and go on.
job '*' "$work/missing/*.json" > "$work/star.sql"
star=$(submit "$work/star.sql")
wait_state "$star" FAILED 30
expect_status 200 GET "/jobs/$star" | grep_q '"failure-cause":"[^"]*\*\*\*\*\*\*\.json' || die "star: $(http GET "/jobs/$star")"
[ "$(expect_status 200 GET /healthz)" = '{"status":"ok"}' ] || die "/healthz after the '*' secret"
stop_server
echo "secrets: ok"
