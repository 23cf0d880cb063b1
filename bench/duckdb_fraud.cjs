// duckdb_fraud.cjs - the fraud query of examples/fraud-detection computed by DuckDB (one thread) over
// the same JSON lines file, as the yardstick for bench/run.sh.
//
// usage: node duckdb_fraud.cjs NODE_DIR FILE              run the query, print "rows=N query_s=S"
//        node duckdb_fraud.cjs NODE_DIR FILE --check DIR  also compare the alerts with sluice's JSON
//                                                         part files in DIR (exit 1 on difference)
//        node duckdb_fraud.cjs NODE_DIR --startup         only load DuckDB and run SELECT 1
// NODE_DIR is the folder where `npm install @duckdb/node-api` was run (bench/out/node).
'use strict';
const fs = require('fs');
const path = require('path');
const { createRequire } = require('module');

const [nodeDir, file, flag, checkDir] = process.argv.slice(2);
if (!nodeDir || !file) {
  console.error('usage: node duckdb_fraud.cjs NODE_DIR FILE [--check DIR] | NODE_DIR --startup');
  process.exit(2);
}
const { DuckDBInstance } = createRequire(path.resolve(nodeDir, 'package.json'))('@duckdb/node-api');

// The same schema as the sluice table; the window is [floor(t / 5 min) * 5 min, + 5 min), which is
// what time_bucket computes (its default origin 2000-01-03 is a multiple of 5 minutes after 1970).
// The result columns are turned into text in the query so that the comparison is exact.
function fraudSql(f) {
  const lit = "'" + f.replace(/'/g, "''") + "'";
  return `
SELECT card_id,
       strftime(time_bucket(INTERVAL '5 minutes', event_time), '%Y-%m-%d %H:%M:%S') AS window_start,
       count(*) AS tx_count,
       CAST(sum(amount) AS VARCHAR) AS total_amount
FROM read_json(${lit}, format = 'newline_delimited',
               columns = {transaction_id: 'VARCHAR', card_id: 'VARCHAR', amount: 'DECIMAL(10,2)',
                          merchant_country: 'VARCHAR', event_time: 'TIMESTAMP'})
WHERE merchant_country <> 'CA'
GROUP BY card_id, time_bucket(INTERVAL '5 minutes', event_time)
HAVING count(*) > 3 AND sum(amount) > 500`;
}

// One alert as a canonical line: card|window start to the second|count|amount with 2 decimals.
function key(card, ws, cnt, amt) {
  return [card, String(ws).replace(/\.0+$/, ''), String(cnt), Number(amt).toFixed(2)].join('|');
}

function sluiceAlerts(dir) {
  const out = [];
  for (const name of fs.readdirSync(dir)) {
    if (!name.startsWith('part-')) continue;
    for (const line of fs.readFileSync(path.join(dir, name), 'utf8').split('\n')) {
      if (!line) continue;
      const r = JSON.parse(line);
      out.push(key(r.card_id, r.window_start, r.tx_count, r.total_amount));
    }
  }
  return out.sort();
}

async function main() {
  const inst = await DuckDBInstance.create(':memory:', { threads: '1' });
  const con = await inst.connect();
  await con.run('SET threads = 1');
  if (file === '--startup') {
    await con.runAndReadAll('SELECT 1');
    console.log('rows=1 query_s=0');
    return;
  }
  const t0 = process.hrtime.bigint();
  const reader = await con.runAndReadAll(fraudSql(file));
  const rows = reader.getRows();
  const secs = Number(process.hrtime.bigint() - t0) / 1e9;
  console.log(`rows=${rows.length} query_s=${secs.toFixed(4)}`);
  if (flag === '--check') {
    const duck = rows.map((r) => key(r[0], r[1], r[2], r[3])).sort();
    const sl = sluiceAlerts(checkDir);
    const a = new Set(duck), b = new Set(sl);
    const onlyDuck = duck.filter((k) => !b.has(k)), onlySluice = sl.filter((k) => !a.has(k));
    if (onlyDuck.length || onlySluice.length || duck.length !== sl.length) {
      console.log(`check: DIFFERENT: duckdb ${duck.length} alerts, sluice ${sl.length}; ` +
                  `${onlyDuck.length} only in duckdb, ${onlySluice.length} only in sluice`);
      for (const k of onlyDuck.slice(0, 5)) console.log(`  only duckdb: ${k}`);
      for (const k of onlySluice.slice(0, 5)) console.log(`  only sluice: ${k}`);
      process.exitCode = 1;
    } else {
      console.log(`check: same ${duck.length} alerts (card, window, count, sum)`);
    }
  }
}

main().catch((e) => {
  console.error(`duckdb_fraud: ${e && e.message ? e.message : e}`);
  process.exit(1);
});
