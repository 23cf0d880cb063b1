// The fraud query over 400 generated transactions: 12 cards, a few of them bursting.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { MINUTE, SECOND } from '../lib.mjs';

const W = 5 * MINUTE;

function generate(caseDir, lib) {
  const r = lib.rng(7);
  const countries = ['US', 'US', 'CA', 'FR', 'DE', 'GB', 'CA'];
  const cards = Array.from({ length: 12 }, (_, i) => `card-${String(i + 1).padStart(3, '0')}`);
  const bursty = new Set(['card-003', 'card-007', 'card-011']);
  let clock = Date.UTC(2024, 2, 1, 8, 0, 0);
  const out = [];
  for (let i = 0; i < 400; i++) {
    clock += r.int(500, 6000);
    const card = r.next() < 0.2 ? r.pick([...bursty]) : r.pick(cards);
    const big = bursty.has(card) && r.next() < 0.6;
    const cents = big ? r.int(5000, 40000) : r.int(100, 9000);
    const ts = clock - r.int(0, 4000);
    out.push(JSON.stringify({
      transaction_id: `tx-${String(i + 1).padStart(5, '0')}`,
      card_id: card,
      amount: 0, // placeholder, replaced below to keep two decimals in the text
      merchant_country: r.pick(countries),
      event_time: lib.ts3(ts),
    }).replace('"amount":0', `"amount":${(cents / 100).toFixed(2)}`));
  }
  writeFileSync(join(caseDir, 'transactions.json'), out.join('\n') + '\n');
}

export default {
  generate,
  source: {
    path: 'transactions.json',
    format: 'json',
    schema: [['transaction_id', 'STRING'], ['card_id', 'STRING'], ['amount', 'DECIMAL(10,2)'],
      ['merchant_country', 'STRING'], ['event_time', 'TIMESTAMP(3)']],
  },
  rowtime: 'event_time',
  delayMs: 5 * SECOND,
  queries: [{
    windowMs: W,
    sql: `SELECT card_id, ws, ws + ${W} AS we, COUNT(*) AS cnt, SUM(amount)::VARCHAR AS total
          FROM kw WHERE merchant_country <> 'CA'
          GROUP BY card_id, ws HAVING COUNT(*) > 3 AND SUM(amount) > 500`,
    out: ['card_id:STRING', 'ws:TS3', 'we:TS3', 'cnt:BIGINT', 'total:DECIMAL(38,2)'],
  }],
};
