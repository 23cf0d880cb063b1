// lib.mjs - the oracle's pieces: input readers, the event-time rules of e2e-spec.md, DuckDB
// loading, and rendering of values the way Flink's CAST(v AS STRING) / print sink shows them.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

// ---------------------------------------------------------------------------------------------
// Deterministic pseudo-random numbers (mulberry32), so generated inputs never change.
export function rng(seed) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (lo, hi) => lo + Math.floor(next() * (hi - lo + 1)), // inclusive
    pick: (arr) => arr[Math.floor(next() * arr.length)],
  };
}

// ---------------------------------------------------------------------------------------------
// Time: timestamps are naive (no zone); we map them to epoch milliseconds as if UTC.

// Parses 'YYYY-MM-DD HH:MM:SS[.fff...]' or the ISO form with 'T' (an optional trailing 'Z').
export function parseTs(s) {
  const m = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?Z?$/.exec(s);
  if (!m) throw new Error(`bad timestamp '${s}'`);
  const ms = m[7] ? Number((m[7] + '00').slice(0, 3)) : 0;
  return Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6], ms);
}

// TIMESTAMP(3) text: 2024-03-01 08:05:00.000
export function ts3(ms) {
  return new Date(Number(ms)).toISOString().replace('T', ' ').replace('Z', '');
}

// Milliseconds of a SQL interval written like the query does, for the window sizes we use.
export const SECOND = 1000;
export const MINUTE = 60 * SECOND;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

// ---------------------------------------------------------------------------------------------
// Inputs. A source is { path, format: 'json'|'csv', schema: [[name, type], ...], csv options }.
// 'path' is a file or a folder (non-hidden files in name order, one stream), as in the spec.

export function sourceFiles(caseDir, path) {
  const full = join(caseDir, path);
  if (statSync(full).isDirectory()) {
    return readdirSync(full)
      .filter((f) => !f.startsWith('.'))
      .sort()
      .map((f) => join(full, f));
  }
  return [full];
}

function lines(text) {
  const ls = text.split('\n');
  if (ls.length && ls[ls.length - 1] === '') ls.pop();
  return ls;
}

// Splits one CSV record (no embedded newlines) with a delimiter and quote character.
function csvFields(line, delim, quote) {
  const out = [];
  let i = 0;
  for (;;) {
    let field = '';
    let quoted = false;
    if (line[i] === quote) {
      quoted = true;
      i++;
      for (;;) {
        if (i >= line.length) throw new Error(`unterminated quote in '${line}'`);
        if (line[i] === quote) {
          if (line[i + 1] === quote) {
            field += quote;
            i += 2;
            continue;
          }
          i++;
          break;
        }
        field += line[i++];
      }
    } else {
      while (i < line.length && line[i] !== delim) field += line[i++];
    }
    out.push({ text: field, quoted });
    if (i >= line.length) return out;
    if (line[i] !== delim) throw new Error(`junk after quoted field in '${line}'`);
    i++;
  }
}

// Converts one JSON or CSV field to the oracle's JS value for its SQL type:
// strings stay strings, integers become BigInt, DECIMAL a fixed-scale string, DOUBLE a number,
// TIMESTAMP epoch milliseconds, BOOLEAN true/false.
export function convert(type, v) {
  if (v === null || v === undefined) return null;
  const t = type.toUpperCase();
  if (t === 'STRING' || t.startsWith('VARCHAR') || t.startsWith('CHAR')) return String(v);
  if (['TINYINT', 'SMALLINT', 'INT', 'BIGINT'].includes(t)) return BigInt(String(v).trim());
  if (t === 'DOUBLE' || t === 'FLOAT') return Number(v);
  if (t === 'BOOLEAN') return v === true || String(v).toLowerCase() === 'true';
  if (t.startsWith('TIMESTAMP')) return parseTs(String(v));
  const dm = /^DECIMAL\((\d+),\s*(\d+)\)$/.exec(t);
  if (dm) return decFixed(String(v), Number(dm[2]));
  throw new Error(`oracle: unsupported type ${type}`);
}

// Reads all rows of a source in stream order as objects keyed by column name.
export function readSource(caseDir, src) {
  const rows = [];
  for (const file of sourceFiles(caseDir, src.path)) {
    for (const line of lines(readFileSync(file, 'utf8'))) {
      if (src.format === 'json') {
        const obj = JSON.parse(line);
        const row = {};
        for (const [name, type] of src.schema) row[name] = convert(type, obj[name]);
        rows.push(row);
      } else if (src.format === 'csv') {
        const fields = csvFields(line, src.delimiter ?? ',', src.quote ?? '"');
        const row = {};
        src.schema.forEach(([name, type], i) => {
          const f = fields[i];
          const isNull = f === undefined || (src.nullLiteral !== undefined && f.text === src.nullLiteral);
          row[name] = isNull ? null : convert(type, f.text);
        });
        rows.push(row);
      } else {
        throw new Error(`oracle: unknown format ${src.format}`);
      }
    }
  }
  return rows;
}

// ---------------------------------------------------------------------------------------------
// Event time (e2e-spec.md): the watermark after a row is max over rows so far of (ts - delay);
// a row is late, and dropped, when its tumbling window's end - 1 ms <= the watermark before it.
// Late rows still advance the watermark (it is computed at the source, before the window).
export function dropLate(rows, rowtime, delayMs, windowMs) {
  let wm = -Infinity;
  const kept = [];
  let late = 0;
  for (const r of rows) {
    const ts = r[rowtime];
    if (ts === null) throw new Error('oracle: NULL rowtime is not modelled');
    const end = Math.floor(ts / windowMs) * windowMs + windowMs;
    if (end - 1 <= wm) {
      late++;
    } else {
      kept.push(r);
    }
    wm = Math.max(wm, ts - delayMs);
  }
  return { kept, late };
}

// ---------------------------------------------------------------------------------------------
// DuckDB: the kept rows go into table `kept` (TIMESTAMP columns as BIGINT epoch ms, DECIMAL as
// DECIMAL(p,s)) with `ws`, the window start in ms, added as a column of view `kw`.

function duckType(type) {
  const t = type.toUpperCase();
  if (t === 'STRING' || t.startsWith('VARCHAR') || t.startsWith('CHAR')) return 'VARCHAR';
  if (t === 'INT') return 'INTEGER';
  if (t.startsWith('TIMESTAMP')) return 'BIGINT';
  return t; // TINYINT SMALLINT BIGINT DOUBLE FLOAT BOOLEAN DECIMAL(p,s)
}

function sqlLiteral(type, v) {
  if (v === null || v === undefined) return 'NULL';
  const t = type.toUpperCase();
  if (t.startsWith('DECIMAL')) return `CAST('${v}' AS ${t})`;
  if (typeof v === 'string') return `'${v.replaceAll("'", "''")}'`;
  if (typeof v === 'number' && !Number.isFinite(v)) throw new Error('oracle: non-finite double');
  return String(v);
}

// Loads rows into a DuckDB table `name` (joins: every row, no late rows dropped; the join cases
// keep each input's rows within its watermark delay, where streaming and batch results agree).
export async function loadTable(con, name, schema, rows) {
  await con.run(`DROP TABLE IF EXISTS "${name}"`);
  const cols = schema.map(([n, t]) => `"${n}" ${duckType(t)}`).join(', ');
  await con.run(`CREATE TABLE "${name}" (${cols})`);
  for (let i = 0; i < rows.length; i += 500) {
    const chunk = rows.slice(i, i + 500);
    const values = chunk
      .map((r) => '(' + schema.map(([n, t]) => sqlLiteral(t, r[n])).join(', ') + ')')
      .join(',\n');
    await con.run(`INSERT INTO "${name}" VALUES ${values}`);
  }
}

export async function loadKept(con, schema, rows, rowtime, windowMs) {
  await con.run('DROP VIEW IF EXISTS kw');
  await con.run('DROP TABLE IF EXISTS kept');
  const cols = schema.map(([n, t]) => `"${n}" ${duckType(t)}`).join(', ');
  await con.run(`CREATE TABLE kept (${cols})`);
  for (let i = 0; i < rows.length; i += 500) {
    const chunk = rows.slice(i, i + 500);
    const values = chunk
      .map((r) => '(' + schema.map(([n, t]) => sqlLiteral(t, r[n])).join(', ') + ')')
      .join(',\n');
    await con.run(`INSERT INTO kept VALUES ${values}`);
  }
  await con.run(`CREATE VIEW kw AS SELECT *, ("${rowtime}" // ${windowMs}) * ${windowMs} AS ws FROM kept`);
}

// ---------------------------------------------------------------------------------------------
// Rendering, as Flink's CAST(v AS STRING) (e2e-spec.md "print sink rows").

// A decimal string (possibly in exponent form from a JS number) at exactly `scale` digits,
// rounding HALF_UP, as Flink's DecimalData.fromBigDecimal does.
export function decFixed(v, scale) {
  let s = String(v).trim();
  if (/e/i.test(s)) s = Number(s).toFixed(20);
  const neg = s.startsWith('-');
  if (neg || s.startsWith('+')) s = s.slice(1);
  let [ip, fp = ''] = s.split('.');
  if (ip === '') ip = '0';
  let unscaled = BigInt(ip + (fp + '0'.repeat(scale)).slice(0, scale));
  const rest = fp.slice(scale);
  if (rest.length && rest[0] >= '5') unscaled += 1n;
  return unscaledToString(neg ? -unscaled : unscaled, scale);
}

export function unscaledToString(u, scale) {
  const neg = u < 0n;
  let digits = (neg ? -u : u).toString();
  if (scale === 0) return (neg && digits !== '0' ? '-' : '') + digits;
  digits = digits.padStart(scale + 1, '0');
  const out = digits.slice(0, -scale) + '.' + digits.slice(-scale);
  return (neg && /[1-9]/.test(digits) ? '-' : '') + out;
}

// Decimal string -> unscaled BigInt at the given scale (the string must not have more digits).
export function toUnscaled(v, scale) {
  const s = decFixed(v, scale);
  const neg = s.startsWith('-');
  const u = BigInt(s.replace('-', '').replace('.', ''));
  return neg ? -u : u;
}

// AVG of a DECIMAL(p,s) column in Flink: DECIMAL(38, max(6, s)), sum / count rounded HALF_UP.
export function avgDecimal(sum, count, inScale) {
  if (sum === null || sum === undefined || BigInt(count) === 0n) return 'null';
  const outScale = Math.max(6, inScale);
  const num = toUnscaled(sum, inScale) * 10n ** BigInt(outScale - inScale);
  const c = BigInt(count);
  const neg = num < 0n;
  const a = neg ? -num : num;
  let q = a / c;
  if ((a % c) * 2n >= c) q += 1n;
  return unscaledToString(neg ? -q : q, outScale);
}

// AVG of an integer column in Flink: the same integer type, sum / count truncated toward zero.
export function avgInt(sum, count) {
  if (sum === null || sum === undefined || BigInt(count) === 0n) return 'null';
  return (BigInt(sum) / BigInt(count)).toString(); // BigInt division truncates toward zero
}

// Java's Double.toString (shortest repr, as JDK 19+): 1.0, 0.1, 1.0E7, 1.5E-4.
export function javaDouble(d) {
  d = Number(d);
  if (Number.isNaN(d)) return 'NaN';
  if (d === Infinity) return 'Infinity';
  if (d === -Infinity) return '-Infinity';
  if (d === 0) return Object.is(d, -0) ? '-0.0' : '0.0';
  const neg = d < 0;
  const a = Math.abs(d);
  const [mant, expStr] = a.toExponential().split('e');
  const exp = Number(expStr);
  const digits = mant.replace('.', '');
  let out;
  if (a >= 1e-3 && a < 1e7) {
    if (exp >= 0) {
      const ip = digits.slice(0, exp + 1).padEnd(exp + 1, '0');
      const fp = digits.slice(exp + 1) || '0';
      out = ip + '.' + fp;
    } else {
      out = '0.' + '0'.repeat(-exp - 1) + digits;
    }
  } else {
    out = digits[0] + '.' + (digits.slice(1) || '0') + 'E' + exp;
  }
  return (neg ? '-' : '') + out;
}

// Renders one value of a result column. type: STRING INT BIGINT DOUBLE BOOLEAN TS3 DECIMAL(p,s).
export function render(type, v) {
  if (v === null || v === undefined) return 'null';
  const t = type.toUpperCase();
  if (t === 'STRING') return String(v);
  if (['TINYINT', 'SMALLINT', 'INT', 'BIGINT'].includes(t)) return BigInt(v).toString();
  if (t === 'DOUBLE') return javaDouble(v);
  if (t === 'BOOLEAN') return v ? 'TRUE' : 'FALSE';
  if (t === 'TS3') return ts3(v);
  const dm = /^DECIMAL\((\d+),\s*(\d+)\)$/.exec(t);
  if (dm) return decFixed(String(v), Number(dm[2]));
  throw new Error(`oracle: cannot render type ${type}`);
}

// Byte-wise order, the same as `LC_ALL=C sort` in the runner.
export function sortC(ls) {
  return ls.sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
}
