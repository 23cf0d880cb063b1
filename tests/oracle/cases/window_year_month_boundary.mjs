// 5-minute windows across year, leap-day and month boundaries.
import { MINUTE, SECOND } from '../lib.mjs';

const W = 5 * MINUTE;
export default {
  source: {
    path: 'input.json',
    format: 'json',
    schema: [['amount', 'INT'], ['ts', 'TIMESTAMP(3)']],
  },
  rowtime: 'ts',
  delayMs: 10 * SECOND,
  queries: [{
    windowMs: W,
    sql: `SELECT ws, ws + ${W} AS we, COUNT(*) AS cnt, SUM(amount) AS total FROM kw GROUP BY ws`,
    out: ['ws:TS3', 'we:TS3', 'cnt:BIGINT', 'total:INT'],
  }],
};
