#!/usr/bin/env bash
# gen_enriched.sh - writes the inputs of fraud_enriched.sql: N card transactions with the
# merchant each was paid to, and the merchants reference stream (every change of a merchant's
# category, as a new version with its time), as JSON lines.
#
# usage: gen_enriched.sh N [CARDS] [SEED] [DIR]    (default DIR: examples/fraud-detection/data/enriched)
#
# Transactions: event times from 2024-03-01 08:00:00.000, 0-199 ms apart, one in 50 up to 3 s
# out of order; ~60 % domestic ('CA'). One card in 40 is compromised: mostly foreign purchases,
# mostly at merchants in a high-risk category at the time. Merchants: 300 of them, all described
# at 07:59:00; then, every 20-80 s of event time, one changes category (one in 4 changes to or
# from a high-risk category), so that the category a transaction sees depends on its time.
# Only bash and awk are needed.
set -euo pipefail
n=${1:?usage: gen_enriched.sh N [CARDS] [SEED] [DIR]}
cards=${2:-1000}
seed=${3:-42}
dir=${4:-$(dirname "$0")/data/enriched}
mkdir -p "$dir"
awk -v n="$n" -v cards="$cards" -v seed="$seed" -v tx="$dir/transactions.json" -v mf="$dir/merchants.json" '
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
function version(id, cat, t) {
  category[id] = cat
  printf("{\"merchant_id\":\"m-%04d\",\"category\":\"%s\",\"update_time\":\"%s\"}\n", id, cat, ts(t)) > mf
}
BEGIN {
  srand(seed)
  nsafe = split("grocery fuel restaurant pharmacy travel clothing", safe, " ")
  nrisky = split("gambling jewelry electronics crypto", risky, " ")
  merchants = 300
  t0 = 19783 * 86400000 + 8 * 3600000   # 2024-03-01 08:00:00 UTC in ms
  for (m = 1; m <= merchants; m++)
    version(m, (m % 5 == 0) ? risky[int(rand() * nrisky) + 1] : safe[int(rand() * nsafe) + 1], t0 - 60000 + m)
  t = t0
  next_change = t0 + 20000 + int(rand() * 60000)
  for (i = 1; i <= n; i++) {
    t += int(rand() * 200)
    while (next_change <= t) {
      m = int(rand() * merchants) + 1
      version(m, (rand() < 0.25) ? risky[int(rand() * nrisky) + 1] : safe[int(rand() * nsafe) + 1], next_change)
      next_change += 20000 + int(rand() * 60000)
    }
    et = t
    if (rand() < 0.02) et = t - int(rand() * 3000)
    card = int(rand() * cards) + 1
    compromised = (card % 40 == 0)
    if (compromised && rand() < 0.8) country = "US"
    else if (rand() < 0.6) country = "CA"
    else country = (rand() < 0.5) ? "FR" : "GB"
    # Compromised cards mostly pay merchants that are high-risk now.
    m = int(rand() * merchants) + 1
    if (compromised && rand() < 0.8)
      for (tries = 0; tries < 20 && category[m] !~ /^(gambling|jewelry|electronics|crypto)$/; tries++)
        m = int(rand() * merchants) + 1
    amount = int(rand() * (compromised ? 40000 : 15000)) + 100
    printf("{\"transaction_id\":\"tx-%08d\",\"card_id\":\"card-%05d\",\"merchant_id\":\"m-%04d\",\"amount\":%d.%02d,\"merchant_country\":\"%s\",\"event_time\":\"%s\"}\n",
           i, card, m, int(amount / 100), amount % 100, country, ts(et)) > tx
  }
}'
