// A csv source with '|' delimiter and 'NULL' null literal into a legacy 2-minute window.
import { MINUTE, SECOND } from '../lib.mjs';

const W = 2 * MINUTE;
export default {
  source: {
    path: 'input.csv',
    format: 'csv',
    delimiter: '|',
    nullLiteral: 'NULL',
    schema: [['card_id', 'STRING'], ['amount', 'DECIMAL(10,2)'], ['ts', 'TIMESTAMP(3)']],
  },
  rowtime: 'ts',
  delayMs: 3 * SECOND,
  queries: [{
    windowMs: W,
    sql: `SELECT card_id, ws, COUNT(*) AS n, COUNT(amount) AS na, SUM(amount)::VARCHAR AS total
          FROM kw GROUP BY card_id, ws`,
    out: ['card_id:STRING', 'ws:TS3', 'n:BIGINT', 'na:BIGINT', 'total:DECIMAL(38,2)'],
  }],
};
