// Event-time temporal joins of generated transactions with a versioned merchants table: each
// transaction joins the merchant version valid at its time (DuckDB: ASOF JOIN on
// t.ts >= m.updated), INNER and LEFT, with a residual, and a window over the join. Merchant ids
// are sometimes NULL (never joined); versions of one merchant never share a time; each input is
// at most 4 s out of order against a 5 s watermark delay, so no row is late.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

function generate(caseDir, lib) {
  const r = lib.rng(31);
  const t0 = Date.UTC(2024, 2, 1, 9, 0, 0);
  const cats = ['grocery', 'travel', 'electronics', 'gambling', 'jewelry'];
  const m = [];
  // Every merchant but m21..m25 has a first version before the transactions start.
  for (let i = 1; i <= 20; i++) m.push([`m${i}`, r.pick(cats), t0 - 3600000 + i * 1000]);
  let clock = t0;
  for (let i = 0; i < 60; i++) {
    clock += r.int(20000, 120000);
    m.push([`m${r.int(1, 25)}`, r.pick(cats), clock - r.int(0, 4000) + i]);
  }
  writeFileSync(join(caseDir, 'merchants.csv'), m.map(([id, c, t]) => `${id},${c},${lib.ts3(t)}`).join('\n') + '\n');
  const tx = [];
  clock = t0;
  for (let i = 0; i < 400; i++) {
    clock += r.int(2000, 25000);
    const mid = r.next() < 0.05 ? 'null' : `m${r.int(1, 26)}`;
    tx.push(`tx${i + 1},c${r.int(1, 15)},${mid},${(r.int(100, 90000) / 100).toFixed(2)},${lib.ts3(clock - r.int(0, 4000))}`);
  }
  writeFileSync(join(caseDir, 'transactions.csv'), tx.join('\n') + '\n');
}

const out = ['id:STRING', 'merchant_id:STRING', 'amount:DECIMAL(10,2)', 'ts:TS3', 'category:STRING'];
const W = 600000;

export default {
  generate,
  tables: {
    tx: { path: 'transactions.csv', format: 'csv', nullLiteral: 'null',
      schema: [['id', 'STRING'], ['card', 'STRING'], ['merchant_id', 'STRING'], ['amount', 'DECIMAL(10,2)'],
        ['ts', 'TIMESTAMP(3)']] },
    merchants: { path: 'merchants.csv', format: 'csv', nullLiteral: 'null',
      schema: [['merchant_id', 'STRING'], ['category', 'STRING'], ['updated', 'TIMESTAMP(3)']] },
  },
  queries: [
    { prefix: 'inner> ', out,
      sql: `SELECT t.id, t.merchant_id, t.amount, t.ts, m.category
            FROM tx t ASOF JOIN merchants m ON t.merchant_id = m.merchant_id AND t.ts >= m.updated` },
    { prefix: 'left> ', out,
      sql: `SELECT t.id, t.merchant_id, t.amount, t.ts, m.category
            FROM tx t ASOF LEFT JOIN merchants m ON t.merchant_id = m.merchant_id AND t.ts >= m.updated` },
    { prefix: 'risky> ', out,
      sql: `SELECT * FROM (SELECT t.id, t.merchant_id, t.amount, t.ts, m.category
            FROM tx t ASOF JOIN merchants m ON t.merchant_id = m.merchant_id AND t.ts >= m.updated)
            WHERE category IN ('gambling', 'jewelry') AND amount > 100` },
    { prefix: 'window> ', out: ['category:STRING', 'ws:TS3', 'we:TS3', 'n:BIGINT', 'total:DECIMAL(38,2)'],
      sql: `SELECT m.category, (t.ts // ${W}) * ${W} AS ws, (t.ts // ${W}) * ${W} + ${W} AS we,
                   COUNT(*) AS n, SUM(t.amount)::VARCHAR AS total
            FROM tx t ASOF JOIN merchants m ON t.merchant_id = m.merchant_id AND t.ts >= m.updated
            GROUP BY m.category, ws` },
  ],
};
