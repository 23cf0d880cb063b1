// Legacy GROUP BY TUMBLE: per card and 5-minute window, COUNT(*) and SUM(amount).
import { MINUTE, SECOND } from '../lib.mjs';

const W = 5 * MINUTE;
export default {
  source: {
    path: 'input.json',
    format: 'json',
    schema: [['card_id', 'STRING'], ['amount', 'DECIMAL(10,2)'], ['ts', 'TIMESTAMP(3)']],
  },
  rowtime: 'ts',
  delayMs: 5 * SECOND,
  queries: [{
    windowMs: W,
    sql: `SELECT card_id, ws, ws + ${W} AS we, COUNT(*) AS cnt, SUM(amount)::VARCHAR AS total
          FROM kw GROUP BY card_id, ws`,
    out: ['card_id:STRING', 'ws:TS3', 'we:TS3', 'cnt:BIGINT', 'total:DECIMAL(38,2)'],
  }],
};
