#!/usr/bin/env bash
# gen_transactions.sh - writes N card transactions as JSON lines, like the fraud example's input.
#
# usage: gen_transactions.sh N [CARDS] [SEED] > transactions.json
#
# Event times start at 2024-03-01 08:00:00.000 and advance 0-199 ms per transaction; one in 50
# arrives up to 3 s out of order. About 60% of transactions are domestic ('CA'); one card in 40
# makes bursts of foreign purchases, which the fraud query flags. Only bash and awk are needed.
set -euo pipefail
n=${1:?usage: gen_transactions.sh N [CARDS] [SEED]}
cards=${2:-1000}
seed=${3:-42}
exec awk -v n="$n" -v cards="$cards" -v seed="$seed" '
function civil(days,   z, era, doe, yoe, y, doy, mp, d, m) {
  z = days + 719468; era = int(z / 146097); doe = z - era * 146097
  yoe = int((doe - int(doe / 1460) + int(doe / 36524) - int(doe / 146096)) / 365)
  y = yoe + era * 400; doy = doe - (365 * yoe + int(yoe / 4) - int(yoe / 100))
  mp = int((5 * doy + 2) / 153); d = doy - int((153 * mp + 2) / 5) + 1
  m = mp < 10 ? mp + 3 : mp - 9
  return sprintf("%04d-%02d-%02d", y + (m <= 2), m, d)
}
function ts(ms,   days, rem) {
  days = int(ms / 86400000); rem = ms - days * 86400000
  return sprintf("%s %02d:%02d:%02d.%03d", civil(days), int(rem / 3600000), int(rem % 3600000 / 60000),
                 int(rem % 60000 / 1000), rem % 1000)
}
BEGIN {
  srand(seed)
  split("US FR DE GB MX JP BR IN", foreign, " ")
  t = 19783 * 86400000 + 8 * 3600000   # 2024-03-01 08:00:00 UTC in ms
  for (i = 1; i <= n; i++) {
    t += int(rand() * 200)
    et = t
    if (rand() < 0.02) et = t - int(rand() * 3000)
    card = int(rand() * cards) + 1
    risky = (card % 40 == 0)
    if (risky && rand() < 0.8) country = foreign[int(rand() * 8) + 1]
    else if (rand() < 0.6) country = "CA"
    else country = foreign[int(rand() * 8) + 1]
    amount = int(rand() * (risky ? 40000 : 15000)) + 100
    printf("{\"transaction_id\":\"tx-%08d\",\"card_id\":\"card-%05d\",\"amount\":%d.%02d,\"merchant_country\":\"%s\",\"event_time\":\"%s\"}\n",
           i, card, int(amount / 100), amount % 100, country, ts(et))
  }
}'
