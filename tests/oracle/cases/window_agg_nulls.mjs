// Aggregates over NULL inputs in a window TVF; AVG(INT) truncates toward zero.
import { MINUTE, SECOND } from '../lib.mjs';

const W = MINUTE;
export default {
  source: {
    path: 'input.json',
    format: 'json',
    schema: [['grp', 'STRING'], ['v', 'INT'], ['s', 'STRING'], ['ts', 'TIMESTAMP(3)']],
  },
  rowtime: 'ts',
  delayMs: SECOND,
  queries: [{
    windowMs: W,
    sql: `SELECT ws, grp, COUNT(*) AS n, COUNT(v) AS nv, COUNT(DISTINCT s) AS nds,
                 SUM(v) AS sv, MIN(v) AS lo, MAX(v) AS hi, MIN(s) AS los, MAX(s) AS his
          FROM kw GROUP BY ws, grp`,
    out: ['ws:TS3', 'grp:STRING', 'n:BIGINT', 'nv:BIGINT', 'nds:BIGINT', 'sv:INT',
      (r, lib) => lib.avgInt(r.sv, r.nv), 'lo:INT', 'hi:INT', 'los:STRING', 'his:STRING'],
  }],
};
