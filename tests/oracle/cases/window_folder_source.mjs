// A folder source read as one stream in file-name order; hidden files ignored.
import { MINUTE, SECOND } from '../lib.mjs';

const W = MINUTE;
export default {
  source: {
    path: 'in',
    format: 'json',
    schema: [['card_id', 'STRING'], ['amount', 'DECIMAL(10,2)'], ['ts', 'TIMESTAMP(3)']],
  },
  rowtime: 'ts',
  delayMs: 5 * SECOND,
  queries: [{
    windowMs: W,
    sql: `SELECT ws, card_id, COUNT(*) AS cnt, SUM(amount)::VARCHAR AS total
          FROM kw GROUP BY ws, card_id`,
    out: ['ws:TS3', 'card_id:STRING', 'cnt:BIGINT', 'total:DECIMAL(38,2)'],
  }],
};
