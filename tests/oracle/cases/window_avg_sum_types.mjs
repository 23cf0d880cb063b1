// Result types and rounding of windowed AVG / SUM / MIN / MAX over INT, BIGINT, DOUBLE, DECIMAL.
import { SECOND } from '../lib.mjs';

const W = 30 * SECOND;
export default {
  source: {
    path: 'input.json',
    format: 'json',
    schema: [['i', 'INT'], ['b', 'BIGINT'], ['x', 'DOUBLE'], ['d', 'DECIMAL(10,2)'],
      ['e', 'DECIMAL(12,8)'], ['ts', 'TIMESTAMP(3)']],
  },
  rowtime: 'ts',
  delayMs: SECOND,
  queries: [{
    windowMs: W,
    sql: `SELECT ws, SUM(i) AS si, COUNT(i) AS ni, SUM(b) AS sb, COUNT(b) AS nb,
                 SUM(x) AS sx, COUNT(x) AS nx, SUM(d)::VARCHAR AS sd, COUNT(d) AS nd,
                 SUM(e)::VARCHAR AS se, COUNT(e) AS ne, MIN(ts) AS t0, MAX(ts) AS t1
          FROM kw GROUP BY ws`,
    out: ['ws:TS3',
      (r, lib) => lib.avgInt(r.si, r.ni),
      (r, lib) => lib.avgInt(r.sb, r.nb),
      (r, lib) => lib.javaDouble(r.sx / Number(r.nx)),
      (r, lib) => lib.avgDecimal(r.sd, r.nd, 2),
      (r, lib) => lib.avgDecimal(r.se, r.ne, 8),
      'sb:BIGINT', 'sx:DOUBLE', 'se:DECIMAL(38,8)', 't0:TS3', 't1:TS3'],
  }],
};
