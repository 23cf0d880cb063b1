// Late rows dropped at the exact edges of the rule (end - 1 ms <= watermark before the row).
import { SECOND } from '../lib.mjs';

const W = 10 * SECOND;
export default {
  source: {
    path: 'input.json',
    format: 'json',
    schema: [['k', 'STRING'], ['v', 'INT'], ['ts', 'TIMESTAMP(3)']],
  },
  rowtime: 'ts',
  delayMs: 2 * SECOND,
  queries: [{
    windowMs: W,
    sql: 'SELECT k, ws, COUNT(*) AS cnt, SUM(v) AS total FROM kw GROUP BY k, ws',
    out: ['k:STRING', 'ws:TS3', 'cnt:BIGINT', 'total:INT'],
  }],
};
