// HAVING after windowed aggregation, legacy and TVF forms, two print identifiers.
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
  queries: [
    {
      windowMs: W,
      prefix: 'legacy> ',
      sql: `SELECT card_id, ws + ${W} AS we, COUNT(*) AS cnt, SUM(amount)::VARCHAR AS total
            FROM kw GROUP BY card_id, ws HAVING COUNT(*) >= 2 AND SUM(amount) > 100`,
      out: ['card_id:STRING', 'we:TS3', 'cnt:BIGINT', 'total:DECIMAL(38,2)'],
    },
    {
      windowMs: W,
      prefix: 'tvf> ',
      sql: `SELECT ws, card_id, MAX(amount)::VARCHAR AS mx
            FROM kw GROUP BY ws, card_id HAVING MAX(amount) > 50`,
      out: ['ws:TS3', 'card_id:STRING', 'mx:DECIMAL(10,2)'],
    },
  ],
};
