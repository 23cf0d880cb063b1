// Windowed results through the filesystem sink in json (compared as expected.sink).
import { MINUTE, SECOND } from '../lib.mjs';

const W = 5 * MINUTE;
export default {
  source: {
    path: 'input.json',
    format: 'json',
    schema: [['card_id', 'STRING'], ['amount', 'DECIMAL(10,2)'], ['note', 'STRING'],
      ['ts', 'TIMESTAMP(3)']],
  },
  rowtime: 'ts',
  delayMs: 5 * SECOND,
  queries: [{
    windowMs: W,
    file: 'expected.sink',
    sql: `SELECT card_id, ws, COUNT(*) AS cnt, SUM(amount)::VARCHAR AS total, MAX(note) AS note
          FROM kw GROUP BY card_id, ws`,
    line: (r, lib) => JSON.stringify({
      card_id: r.card_id,
      w_start: lib.ts3(r.ws).slice(0, 16),
      w_time: lib.ts3(Number(r.ws) + W - 1),
      cnt: 0, // replaced: BigInt and DECIMAL text are spliced in below
      total: 0,
      multi: Number(r.cnt) > 1,
      note: r.note,
    }).replace('"cnt":0', `"cnt":${r.cnt}`)
      .replace('"total":0', `"total":${r.total === null ? 'null' : lib.decFixed(r.total, 2)}`),
  }],
};
