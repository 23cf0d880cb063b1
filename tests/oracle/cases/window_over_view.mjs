// Windows over a filtering view (TVF) and over a projecting subquery (legacy TUMBLE).
import { MINUTE, SECOND } from '../lib.mjs';

const W = 5 * MINUTE;
export default {
  source: {
    path: 'input.json',
    format: 'json',
    schema: [['card_id', 'STRING'], ['amount', 'DECIMAL(10,2)'], ['merchant_country', 'STRING'],
      ['ts', 'TIMESTAMP(3)']],
  },
  rowtime: 'ts',
  delayMs: 5 * SECOND,
  queries: [
    {
      windowMs: W,
      prefix: 'view> ',
      sql: `SELECT ws, card_id, COUNT(*) AS cnt, SUM(amount)::VARCHAR AS total
            FROM kw WHERE amount >= 10 GROUP BY ws, card_id`,
      out: ['ws:TS3', 'card_id:STRING', 'cnt:BIGINT', 'total:DECIMAL(38,2)'],
    },
    {
      windowMs: W,
      prefix: 'sub> ',
      sql: `SELECT ws + ${W} AS we, UPPER(merchant_country) AS country, COUNT(*) AS cnt,
                   SUM(amount * 2)::VARCHAR AS doubled
            FROM kw WHERE merchant_country IS NOT NULL GROUP BY ws, UPPER(merchant_country)`,
      out: ['we:TS3', 'country:STRING', 'cnt:BIGINT', 'doubled:DECIMAL(38,2)'],
    },
  ],
};
