// Window joins of two generated streams in 5-minute tumbling windows: INNER, LEFT, RIGHT and
// FULL OUTER on window_start, window_end and a key (which repeats and is sometimes NULL), with a
// residual, the windows taken directly from TABLE(TUMBLE(...)) and through SELECT * subqueries.
// Each input is at most 4 s out of order against its 5 s watermark delay: no row is late, so the
// result is DuckDB's batch join of the windowed rows.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

function stream(r, lib, n, start, tag) {
  let clock = start;
  const out = [];
  for (let i = 0; i < n; i++) {
    clock += r.int(3000, 40000);
    const k = r.next() < 0.06 ? 'null' : String(r.int(1, 12));
    out.push(`${k},${tag}${i + 1},${r.int(1, 100)},${lib.ts3(clock - r.int(0, 4000))}`);
  }
  return out.join('\n') + '\n';
}

function generate(caseDir, lib) {
  const r = lib.rng(41);
  const t0 = Date.UTC(2024, 2, 1, 12, 0, 0);
  writeFileSync(join(caseDir, 'left.csv'), stream(r, lib, 250, t0, 'l'));
  writeFileSync(join(caseDir, 'right.csv'), stream(r, lib, 250, t0 + 30000, 'r'));
}

const W = 300000;
const win = (t) => `(${t}.ts // ${W}) * ${W}`;
const out = ['lk:INT', 'lid:STRING', 'rk:INT', 'rid:STRING', 'ws:TS3', 'we:TS3'];
const joined = (kind, extra = '') => `
  WITH L AS (SELECT *, ${win('l')} AS ws FROM lt l), R AS (SELECT *, ${win('r')} AS ws FROM rt r)
  SELECT L.k AS lk, L.id AS lid, R.k AS rk, R.id AS rid,
         COALESCE(L.ws, R.ws) AS ws, COALESCE(L.ws, R.ws) + ${W} AS we
  FROM L ${kind} JOIN R ON L.k = R.k AND L.ws = R.ws ${extra}`;

export default {
  generate,
  tables: {
    lt: { path: 'left.csv', format: 'csv', nullLiteral: 'null',
      schema: [['k', 'INT'], ['id', 'STRING'], ['v', 'INT'], ['ts', 'TIMESTAMP(3)']] },
    rt: { path: 'right.csv', format: 'csv', nullLiteral: 'null',
      schema: [['k', 'INT'], ['id', 'STRING'], ['v', 'INT'], ['ts', 'TIMESTAMP(3)']] },
  },
  queries: [
    { prefix: 'inner> ', out, sql: joined('') },
    { prefix: 'left> ', out, sql: joined('LEFT', 'AND L.v < R.v') },
    { prefix: 'right> ', out, sql: joined('RIGHT') },
    { prefix: 'full> ', out, sql: joined('FULL') },
  ],
};
