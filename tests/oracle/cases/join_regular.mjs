// Regular joins of generated customers, orders and regions, no time bounds: inner with a
// residual, left, right and full outer (changelogs: a padded row is retracted when its first
// match arrives), a three-way join, and a join on a non-equi condition only. Keys repeat and are
// sometimes NULL. The runner materializes each changelog; DuckDB's batch join is the final state.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

function generate(caseDir, lib) {
  const r = lib.rng(23);
  const key = (n) => (r.next() < 0.08 ? 'null' : String(r.int(1, n)));
  const names = ['ann', 'bo', 'cy', 'dee', 'eve', 'fay'];
  const regions = ['eu', 'us', 'apac'];
  const cust = [];
  for (let i = 0; i < 40; i++) cust.push(`${key(30)},${r.pick(names)},${r.int(1, 4)}`);
  writeFileSync(join(caseDir, 'customers.csv'), cust.join('\n') + '\n');
  const orders = [];
  for (let i = 0; i < 120; i++) orders.push(`${i + 1},${key(35)},${(r.int(100, 20000) / 100).toFixed(2)}`);
  writeFileSync(join(caseDir, 'orders.csv'), orders.join('\n') + '\n');
  const reg = [];
  for (let i = 1; i <= 3; i++) reg.push(`${i},${regions[i - 1]}`);
  reg.push('2,us-east');
  writeFileSync(join(caseDir, 'regions.csv'), reg.join('\n') + '\n');
}

const F = 'expected.final';
const oc = ['order_id:INT', 'cust_id:INT', 'amount:DECIMAL(10,2)', 'id:INT', 'name:STRING', 'region_id:INT'];
const cols = 'o.order_id, o.cust_id, o.amount, c.id, c.name, c.region_id';

export default {
  generate,
  tables: {
    customers: { path: 'customers.csv', format: 'csv', nullLiteral: 'null',
      schema: [['id', 'INT'], ['name', 'STRING'], ['region_id', 'INT']] },
    orders: { path: 'orders.csv', format: 'csv', nullLiteral: 'null',
      schema: [['order_id', 'INT'], ['cust_id', 'INT'], ['amount', 'DECIMAL(10,2)']] },
    regions: { path: 'regions.csv', format: 'csv', nullLiteral: 'null',
      schema: [['rid', 'INT'], ['region', 'STRING']] },
  },
  queries: [
    { file: F, prefix: 'inner> ', out: oc,
      sql: `SELECT ${cols} FROM orders o JOIN customers c ON o.cust_id = c.id AND o.amount > 50` },
    { file: F, prefix: 'left> ', out: oc,
      sql: `SELECT ${cols} FROM orders o LEFT JOIN customers c ON o.cust_id = c.id AND c.name <> 'bo'` },
    { file: F, prefix: 'right> ', out: oc,
      sql: `SELECT ${cols} FROM orders o RIGHT JOIN customers c ON o.cust_id = c.id` },
    { file: F, prefix: 'full> ', out: oc,
      sql: `SELECT ${cols} FROM orders o FULL JOIN customers c ON c.id = o.cust_id AND o.amount < 150` },
    { file: F, prefix: 'three> ', out: ['order_id:INT', 'name:STRING', 'region:STRING'],
      sql: `SELECT o.order_id, c.name, g.region FROM orders o, customers c, regions g
            WHERE o.cust_id = c.id AND c.region_id = g.rid AND o.amount > 100` },
    { file: F, prefix: 'direct> ', out: ['order_id:INT', 'name:STRING', 'region:STRING'],
      sql: `SELECT o.order_id, c.name, g.region FROM orders o JOIN customers c ON o.cust_id = c.id
            JOIN regions g ON c.region_id = g.rid WHERE o.amount > 100` },
    { file: F, prefix: 'nonequi> ', out: ['rid:INT', 'region:STRING', 'id:INT', 'name:STRING'],
      sql: `SELECT g.rid, g.region, c.id, c.name FROM regions g JOIN customers c ON c.region_id > g.rid AND c.name = 'ann'` },
  ],
};
