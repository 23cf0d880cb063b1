// Legacy TUMBLE with TUMBLE_ROWTIME: per sensor and minute, COUNT(*), MIN and MAX of a DOUBLE.
import { MINUTE, SECOND } from '../lib.mjs';

const W = MINUTE;
export default {
  source: {
    path: 'input.json',
    format: 'json',
    schema: [['sensor', 'STRING'], ['temp', 'DOUBLE'], ['ts', 'TIMESTAMP(3)']],
  },
  rowtime: 'ts',
  delayMs: 10 * SECOND,
  queries: [{
    windowMs: W,
    sql: `SELECT sensor, ws + ${W} - 1 AS wt, ws, COUNT(*) AS cnt, MIN(temp) AS lo, MAX(temp) AS hi
          FROM kw GROUP BY sensor, ws`,
    out: ['sensor:STRING', 'wt:TS3', 'ws:TS3', 'cnt:BIGINT', 'lo:DOUBLE', 'hi:DOUBLE'],
  }],
};
