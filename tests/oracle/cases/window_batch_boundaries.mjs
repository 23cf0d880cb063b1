// 10,000 generated rows crossing 4096-row batches, with out-of-order and late rows.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { MINUTE, SECOND } from '../lib.mjs';

const W = MINUTE;
const schema = [['k', 'STRING'], ['amount', 'DECIMAL(10,2)'], ['ts', 'TIMESTAMP(3)']];

function generate(caseDir, lib) {
  const r = lib.rng(20240301);
  let clock = Date.UTC(2024, 2, 1, 0, 0, 0);
  const out = [];
  for (let i = 0; i < 10000; i++) {
    clock += r.int(0, 900);
    let ts = clock - r.int(0, 3000);
    if (i % 97 === 96) ts = clock - r.int(0, 120000);
    const k = 'k' + (r.int(0, 9) % 5); // keys k0..k4, k0..k4 equally likely
    const amount = (r.int(1, 99999) / 100).toFixed(2);
    out.push(`{"k":"${k}","amount":${amount},"ts":"${lib.ts3(ts)}"}`);
  }
  writeFileSync(join(caseDir, 'input.json'), out.join('\n') + '\n');
}

export default {
  generate,
  source: { path: 'input.json', format: 'json', schema },
  rowtime: 'ts',
  delayMs: 5 * SECOND,
  queries: [
    {
      windowMs: W,
      prefix: 'key> ',
      sql: `SELECT ws, k, COUNT(*) AS cnt, SUM(amount)::VARCHAR AS total,
                   MIN(amount)::VARCHAR AS lo, MAX(amount)::VARCHAR AS hi
            FROM kw GROUP BY ws, k`,
      out: ['ws:TS3', 'k:STRING', 'cnt:BIGINT', 'total:DECIMAL(38,2)', 'lo:DECIMAL(10,2)',
        'hi:DECIMAL(10,2)'],
    },
    {
      windowMs: W,
      prefix: 'all> ',
      sql: `SELECT ws + ${W} AS we, COUNT(*) AS cnt, COUNT(DISTINCT k) AS keys FROM kw GROUP BY ws`,
      out: ['we:TS3', 'cnt:BIGINT', 'keys:BIGINT'],
    },
  ],
};
