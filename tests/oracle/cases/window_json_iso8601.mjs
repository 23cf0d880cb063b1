// ISO-8601 timestamps in JSON as the rowtime of 1-minute TVF windows.
import { MINUTE, SECOND } from '../lib.mjs';

const W = MINUTE;
export default {
  source: {
    path: 'input.json',
    format: 'json',
    schema: [['kind', 'STRING'], ['ts', 'TIMESTAMP(3)']],
  },
  rowtime: 'ts',
  delayMs: 5 * SECOND,
  queries: [{
    windowMs: W,
    sql: `SELECT ws, ws + ${W} - 1 AS wt, kind, COUNT(*) AS n FROM kw GROUP BY ws, kind`,
    out: ['ws:TS3', 'wt:TS3', 'kind:STRING', 'n:BIGINT'],
  }],
};
