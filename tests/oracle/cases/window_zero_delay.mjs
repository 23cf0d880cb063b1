// Watermark without delay: ties kept, rows of fired windows dropped.
import { SECOND } from '../lib.mjs';

const W = 10 * SECOND;
export default {
  source: {
    path: 'input.json',
    format: 'json',
    schema: [['k', 'STRING'], ['v', 'INT'], ['ts', 'TIMESTAMP(3)']],
  },
  rowtime: 'ts',
  delayMs: 0,
  queries: [{
    windowMs: W,
    sql: `SELECT ws, ws + ${W} - 1 AS wt, COUNT(*) AS cnt, SUM(v) AS total FROM kw GROUP BY ws`,
    out: ['ws:TS3', 'wt:TS3', 'cnt:BIGINT', 'total:INT'],
  }],
};
