// gen.mjs - computes the expected outputs of the windowed end-to-end cases independently of the
// engine: inputs are read in JS, the event-time rules of e2e-spec.md drop late rows in JS, DuckDB
// runs the aggregation over the rest, and JS renders each row as the print sink would.
//
// usage: node tests/oracle/gen.mjs [case-name...]        (see tests/oracle/README.md)
// Each tests/oracle/cases/<name>.mjs describes one case of tests/sql/<name>/.
import { createRequire } from 'node:module';
import { readdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

import * as lib from './lib.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const sqlDir = join(here, '..', 'sql');

// DuckDB lives outside the repository (default /tmp/oracle, see README.md).
function loadDuckDB() {
  const dir = process.env.SLUICE_ORACLE_DIR ?? '/tmp/oracle';
  try {
    return createRequire(join(dir, 'package.json'))('@duckdb/node-api');
  } catch (e) {
    console.error(`cannot load @duckdb/node-api from ${dir}: run\n` +
      `  mkdir -p ${dir} && cd ${dir} && npm install @duckdb/node-api\n` +
      'or set SLUICE_ORACLE_DIR to the folder holding its node_modules.');
    process.exit(2);
  }
}

// One output column: 'alias:TYPE' renders a DuckDB column; a function renders from the raw row.
function renderRow(out, raw) {
  return out.map((spec) => {
    if (typeof spec === 'function') return spec(raw, lib);
    const i = spec.lastIndexOf(':');
    return lib.render(spec.slice(i + 1), raw[spec.slice(0, i)]);
  });
}

async function runCase(duck, c) {
  const caseDir = join(sqlDir, c.name);
  if (c.generate) c.generate(caseDir, lib);

  const inst = await duck.DuckDBInstance.create(':memory:');
  const con = await inst.connect();
  const files = {}; // expected file name -> lines

  // Join cases: every input table loaded as read, once.
  for (const [name, src] of Object.entries(c.tables ?? {})) {
    const rows = lib.readSource(caseDir, src);
    await lib.loadTable(con, name, src.schema, rows);
    console.log(`${c.name}: table ${name}, ${rows.length} rows`);
  }

  for (const q of c.queries) {
    if (c.tables) {
      const raws = (await con.runAndReadAll(q.sql)).getRowObjectsJS();
      const target = q.file ?? 'expected.out';
      files[target] ??= [];
      for (const raw of raws) files[target].push((q.prefix ?? '') + `+I[${renderRow(q.out, raw).join(', ')}]`);
      console.log(`${c.name}: ${raws.length} results${q.prefix ? ` (${q.prefix.trim()})` : ''}`);
      continue;
    }
    const src = q.source ?? c.source;
    const rows = lib.readSource(caseDir, src);
    const rowtime = q.rowtime ?? c.rowtime;
    const delayMs = q.delayMs ?? c.delayMs;
    const withTime = src.derive ? rows.map(src.derive) : rows;
    const { kept, late } = lib.dropLate(withTime, rowtime, delayMs, q.windowMs);
    const schema = src.derivedSchema ?? src.schema;
    await lib.loadKept(con, schema, kept, rowtime, q.windowMs);
    const result = await con.runAndReadAll(q.sql);
    const raws = result.getRowObjectsJS();
    const target = q.file ?? 'expected.out';
    files[target] ??= [];
    for (const raw of raws) {
      const line = q.line ? q.line(raw, lib) : `+I[${renderRow(q.out, raw).join(', ')}]`;
      files[target].push((q.prefix ?? '') + line);
    }
    console.log(`${c.name}: ${rows.length} rows, ${late} late, ${raws.length} results` +
      (q.file ? ` -> ${q.file}` : ''));
  }

  for (const [name, ls] of Object.entries(files)) {
    lib.sortC(ls);
    writeFileSync(join(caseDir, name), ls.length ? ls.join('\n') + '\n' : '');
  }
  con.closeSync?.();
}

const duck = loadDuckDB();
const wanted = process.argv.slice(2);
const mods = readdirSync(join(here, 'cases')).filter((f) => f.endsWith('.mjs')).sort();
let n = 0;
for (const f of mods) {
  const c = (await import(pathToFileURL(join(here, 'cases', f)))).default;
  c.name ??= f.replace(/\.mjs$/, '');
  if (wanted.length && !wanted.includes(c.name)) continue;
  await runCase(duck, c);
  n++;
}
if (wanted.length && n !== wanted.length) {
  console.error('some named cases have no tests/oracle/cases/<name>.mjs');
  process.exit(1);
}
