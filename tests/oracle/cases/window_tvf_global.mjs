// Window TVF without a key: COUNT(*), MIN/MAX(STRING), MAX(DECIMAL), SUM(INT) per minute.
import { MINUTE, SECOND } from '../lib.mjs';

const W = MINUTE;
export default {
  source: {
    path: 'input.json',
    format: 'json',
    schema: [['card_id', 'STRING'], ['amount', 'DECIMAL(10,2)'], ['qty', 'INT'], ['ts', 'TIMESTAMP(3)']],
  },
  rowtime: 'ts',
  delayMs: SECOND,
  queries: [{
    windowMs: W,
    sql: `SELECT ws, ws + ${W} AS we, COUNT(*) AS cnt, MIN(card_id) AS lo, MAX(card_id) AS hi,
                 MAX(amount)::VARCHAR AS mx, SUM(qty) AS q
          FROM kw GROUP BY ws`,
    out: ['ws:TS3', 'we:TS3', 'cnt:BIGINT', 'lo:STRING', 'hi:STRING', 'mx:DECIMAL(10,2)', 'q:INT'],
  }],
};
