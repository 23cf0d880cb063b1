// Interval joins of generated orders and shipments: inner (comma join + WHERE), left, right and
// full outer (JOIN ... ON, strict and non-strict bounds, a residual predicate), and a tumbling
// window over an interval join. Keys repeat on both sides and are sometimes NULL; each input's
// rows are at most 4 s out of order (its watermark delay is 5 s), so no row is late and the
// streaming result equals DuckDB's batch join.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

function rows(r, lib, n, start, key, extra) {
  let clock = start;
  const out = [];
  for (let i = 0; i < n; i++) {
    clock += r.int(5000, 90000);
    const id = r.next() < 0.05 ? 'null' : String(r.int(1, 60));
    out.push([id, extra(i), lib.ts3(clock - r.int(0, 4000))].join(','));
  }
  return out.join('\n') + '\n';
}

function generate(caseDir, lib) {
  const r = lib.rng(11);
  const t0 = Date.UTC(2024, 2, 1, 8, 0, 0);
  const products = ['book', 'lamp', 'desk', 'pen', 'chair'];
  writeFileSync(join(caseDir, 'orders.csv'),
    rows(r, lib, 300, t0, 'order_id', () => `${r.pick(products)},${(r.int(100, 9000) / 100).toFixed(2)}`));
  const carriers = ['ups', 'dhl', 'fedex'];
  writeFileSync(join(caseDir, 'shipments.csv'), rows(r, lib, 300, t0 + 600000, 'oid', () => r.pick(carriers)));
}

const joined = ['order_id:INT', 'product:STRING', 'amount:DECIMAL(10,2)', 'ots:TS3', 'oid:INT', 'carrier:STRING', 'sts:TS3'];
const cols = 'o.order_id, o.product, o.amount, o.ots, s.oid, s.carrier, s.sts';
const MIN = 60000;

export default {
  generate,
  tables: {
    orders: { path: 'orders.csv', format: 'csv', nullLiteral: 'null',
      schema: [['order_id', 'INT'], ['product', 'STRING'], ['amount', 'DECIMAL(10,2)'], ['ots', 'TIMESTAMP(3)']] },
    shipments: { path: 'shipments.csv', format: 'csv', nullLiteral: 'null',
      schema: [['oid', 'INT'], ['carrier', 'STRING'], ['sts', 'TIMESTAMP(3)']] },
  },
  queries: [
    { prefix: 'inner> ', out: joined,
      sql: `SELECT ${cols} FROM orders o, shipments s
            WHERE o.order_id = s.oid AND o.ots BETWEEN s.sts - ${30 * MIN} AND s.sts` },
    { prefix: 'left> ', out: joined,
      sql: `SELECT ${cols} FROM orders o LEFT JOIN shipments s
            ON o.order_id = s.oid AND s.sts > o.ots AND s.sts < o.ots + ${20 * MIN}` },
    { prefix: 'right> ', out: joined,
      sql: `SELECT ${cols} FROM orders o RIGHT JOIN shipments s
            ON o.order_id = s.oid AND o.ots BETWEEN s.sts - ${10 * MIN} AND s.sts + ${10 * MIN} AND o.amount > 20` },
    { prefix: 'full> ', out: joined,
      sql: `SELECT ${cols} FROM orders o FULL JOIN shipments s
            ON s.oid = o.order_id AND o.ots BETWEEN s.sts - ${30 * MIN} AND s.sts` },
    { prefix: 'window> ', out: ['ws:TS3', 'we:TS3', 'n:BIGINT', 'total:DECIMAL(38,2)'],
      sql: `SELECT (o.ots // 3600000) * 3600000 AS ws, (o.ots // 3600000) * 3600000 + 3600000 AS we,
                   COUNT(*) AS n, SUM(o.amount)::VARCHAR AS total
            FROM orders o JOIN shipments s ON o.order_id = s.oid AND o.ots BETWEEN s.sts - ${30 * MIN} AND s.sts
            GROUP BY ws` },
    { prefix: 'leftwindow> ', out: ['ws:TS3', 'we:TS3', 'n:BIGINT', 'shipped:BIGINT'],
      sql: `SELECT (o.ots // 3600000) * 3600000 AS ws, (o.ots // 3600000) * 3600000 + 3600000 AS we,
                   COUNT(*) AS n, COUNT(s.sts) AS shipped
            FROM orders o LEFT JOIN shipments s ON o.order_id = s.oid AND s.sts BETWEEN o.ots AND o.ots + ${15 * MIN}
            GROUP BY ws` },
  ],
};
