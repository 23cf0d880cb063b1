// Window TVF per key: COUNT(*), SUM(DECIMAL) and AVG(DECIMAL) (DECIMAL(38, 6), HALF_UP).
import { SECOND } from '../lib.mjs';

const W = 10 * SECOND;
export default {
  source: {
    path: 'input.json',
    format: 'json',
    schema: [['card_id', 'STRING'], ['amount', 'DECIMAL(10,2)'], ['ts', 'TIMESTAMP(3)']],
  },
  rowtime: 'ts',
  delayMs: 2 * SECOND,
  queries: [{
    windowMs: W,
    sql: `SELECT ws, ws + ${W} AS we, ws + ${W} - 1 AS wt, card_id, COUNT(*) AS cnt,
                 SUM(amount)::VARCHAR AS total, COUNT(amount) AS n
          FROM kw GROUP BY ws, card_id`,
    out: ['ws:TS3', 'we:TS3', 'wt:TS3', 'card_id:STRING', 'cnt:BIGINT', 'total:DECIMAL(38,2)',
      (r, lib) => lib.avgDecimal(r.total, r.n, 2)],
  }],
};
