// Hourly (legacy) and daily (TVF) windows across midnight, with one late row.
import { DAY, HOUR, MINUTE } from '../lib.mjs';

export default {
  source: {
    path: 'input.json',
    format: 'json',
    schema: [['store', 'STRING'], ['amount', 'INT'], ['ts', 'TIMESTAMP(3)']],
  },
  rowtime: 'ts',
  delayMs: MINUTE,
  queries: [
    {
      windowMs: HOUR,
      prefix: 'hour> ',
      sql: `SELECT store, ws, ws + ${HOUR} AS we, COUNT(*) AS cnt, SUM(amount) AS total
            FROM kw GROUP BY store, ws`,
      out: ['store:STRING', 'ws:TS3', 'we:TS3', 'cnt:BIGINT', 'total:INT'],
    },
    {
      windowMs: DAY,
      prefix: 'day> ',
      sql: `SELECT ws, ws + ${DAY} AS we, store, COUNT(*) AS cnt, SUM(amount) AS total
            FROM kw GROUP BY store, ws`,
      out: ['ws:TS3', 'we:TS3', 'store:STRING', 'cnt:BIGINT', 'total:INT'],
    },
  ],
};
