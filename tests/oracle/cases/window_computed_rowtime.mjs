// Rowtime from a computed column TO_TIMESTAMP(ts_str) (pattern 'yyyy-MM-dd HH:mm:ss').
import { SECOND, parseTs } from '../lib.mjs';

const W = 30 * SECOND;
export default {
  source: {
    path: 'input.json',
    format: 'json',
    schema: [['user_id', 'STRING'], ['ts_str', 'STRING']],
    derive: (r) => ({ user_id: r.user_id, ts: parseTs(r.ts_str) }),
    derivedSchema: [['user_id', 'STRING'], ['ts', 'TIMESTAMP(3)']],
  },
  rowtime: 'ts',
  delayMs: SECOND,
  queries: [{
    windowMs: W,
    sql: `SELECT ws, ws + ${W} AS we, user_id, COUNT(*) AS n FROM kw GROUP BY ws, user_id`,
    out: ['ws:TS3', 'we:TS3', 'user_id:STRING', 'n:BIGINT'],
  }],
};
