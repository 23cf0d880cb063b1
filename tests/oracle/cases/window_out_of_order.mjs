// Out-of-order rows within the watermark bound: nothing is dropped.
import { SECOND } from '../lib.mjs';

const W = 10 * SECOND;
export default {
  source: {
    path: 'input.json',
    format: 'json',
    schema: [['k', 'STRING'], ['v', 'INT'], ['ts', 'TIMESTAMP(3)']],
  },
  rowtime: 'ts',
  delayMs: 10 * SECOND,
  queries: [{
    windowMs: W,
    sql: `SELECT ws, ws + ${W} AS we, k, COUNT(*) AS cnt, SUM(v) AS total, MIN(v) AS lo, MAX(v) AS hi
          FROM kw GROUP BY ws, k`,
    out: ['ws:TS3', 'we:TS3', 'k:STRING', 'cnt:BIGINT', 'total:INT', 'lo:INT', 'hi:INT'],
  }],
};
