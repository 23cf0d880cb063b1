// kinesis_ctl.mjs - a small Kinesis client for tests and demos: creates and reshards streams, puts
// JSON lines as records and reads them back, over the Kinesis JSON 1.1 API with SigV4-signed calls.
//
// Usage: node kinesis_ctl.mjs [--endpoint URL] [--retries N] <command> [args...]
//   create STREAM SHARDS           creates the stream and waits until it is ACTIVE
//   put STREAM FILE [--key-field NAME] [--batch N] [--key-order]
//                                  each non-blank line of FILE ("-": stdin) becomes a record whose
//                                  data is the line; its partition key is the value of field NAME in
//                                  the line's JSON (default: the line's number, from 1). PutRecords
//                                  of up to N (default and most 500) records, in line order; failed
//                                  records go again first. With --key-order, failed records are
//                                  retried before any later record of their key is sent, and one
//                                  call holds at most one record per key, so the order per key is
//                                  kept even when calls partly fail (but keys move apart).
//                                  Prints how many records were put.
//   split STREAM SHARD             splits an open shard in the middle of its hash range, waits until
//                                  the stream is ACTIVE again, prints the two new shard ids
//   merge STREAM SHARD_A SHARD_B   merges two adjacent open shards (either order), waits until
//                                  ACTIVE, prints the new shard id
//   shards STREAM                  one line per shard, in order of id:
//                                  "id<TAB>parent<TAB>adjacent parent<TAB>open|closed" ("-": none)
//   read STREAM [--from TRIM_HORIZON] [--with-meta]
//                                  reads every shard from TRIM_HORIZON (the only --from supported),
//                                  shards in order of id (so parents before children), until an
//                                  open shard gives an empty batch or a closed one ends; prints each
//                                  record's data on a line of its own, or with --with-meta
//                                  "shardId<TAB>sequence number<TAB>data"
//   wait-count STREAM N [--timeout S]
//                                  polls (reading as above) until the stream holds at least N records
//                                  (default timeout 30 s); prints the count, exits 1 on timeout
// The endpoint is --endpoint, else AWS_ENDPOINT_URL_KINESIS, else AWS_ENDPOINT_URL. Credentials and
// region come from AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY (AWS_SESSION_TOKEN) and AWS_REGION (or
// AWS_DEFAULT_REGION). Throttling, 5xx answers and lost connections are retried up to N times
// (default 10) with a backoff from 50 ms to 1 s. Errors go to stderr; exit 1 on errors, 2 on usage.
// Plain node 18+, no npm packages.
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import https from 'node:https';

const USAGE = `usage: kinesis_ctl.mjs [--endpoint URL] [--retries N] <command> [args...]
  create STREAM SHARDS
  put STREAM FILE [--key-field NAME] [--batch N] [--key-order]
  split STREAM SHARD
  merge STREAM SHARD_A SHARD_B
  shards STREAM
  read STREAM [--from TRIM_HORIZON] [--with-meta]
  wait-count STREAM N [--timeout S]`;

class UsageError extends Error {}

const OPTIONS = ['endpoint', 'retries', 'key-field', 'batch', 'key-order', 'from', 'with-meta', 'timeout', 'help'];

// Splits argv into positional words and --options (flags listed in `bare` take no value).
function parseArgs(argv, bare) {
  const pos = [];
  const opts = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (!a.startsWith('--')) {
      pos.push(a);
    } else if (!OPTIONS.includes(a.slice(2))) {
      throw new UsageError(`unknown option ${a}`);
    } else if (bare.includes(a.slice(2))) {
      opts[a.slice(2)] = true;
    } else {
      if (i + 1 >= argv.length) throw new UsageError(`${a} wants a value`);
      opts[a.slice(2)] = argv[++i];
    }
  }
  return { pos, opts };
}

// A whole number >= min from an argument, or a usage error naming it.
function int(text, what, min) {
  if (!/^\d+$/.test(String(text)) || Number(text) < min) {
    throw new UsageError(`${what} must be a whole number >= ${min}, got '${text}'`);
  }
  return Number(text);
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// ---- Calls: SigV4-signed POSTs of Kinesis JSON 1.1. ----

let endpoint = null;
let retries = 10;
let client = null;
let agent = null;
let context = ''; // "COMMAND STREAM: ", what error messages start with

const hmac = (k, d) => crypto.createHmac('sha256', k).update(d).digest();
const sha256 = (d) => crypto.createHash('sha256').update(d).digest('hex');

// An error answer from Kinesis (type = its __type), or none (status 0: the connection failed).
class CallError extends Error {
  constructor(op, status, type, message) {
    super(`${op}: ${type || (status ? `HTTP ${status}` : 'no answer')}: ${message}`);
    this.status = status;
    this.type = type;
  }
}

// Whether a failed call of op may work when sent again. LimitExceededException means "too many
// calls" except from the calls that add shards, where it is the shard limit: no retry helps there.
function retryable(e, op) {
  if (!(e instanceof CallError)) return false;
  if (e.status === 0 || e.status >= 500) return true;
  if (e.type === 'LimitExceededException') return !['CreateStream', 'SplitShard', 'MergeShards'].includes(op);
  return ['ProvisionedThroughputExceededException', 'ThrottlingException',
    'KMSThrottlingException', 'InternalFailure', 'ServiceUnavailable'].includes(e.type);
}

// Adds x-amz-date, x-amz-security-token and the SigV4 Authorization header for this body.
function sign(headers, path, body) {
  const keyId = process.env.AWS_ACCESS_KEY_ID;
  const secret = process.env.AWS_SECRET_ACCESS_KEY;
  const region = process.env.AWS_REGION || process.env.AWS_DEFAULT_REGION;
  if (!keyId || !secret) throw new Error('AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY must be set');
  if (!region) throw new Error('AWS_REGION must be set');
  const amzDate = new Date().toISOString().replace(/[-:]/g, '').replace(/\.\d+/, '');
  const date = amzDate.slice(0, 8);
  headers['x-amz-date'] = amzDate;
  if (process.env.AWS_SESSION_TOKEN) headers['x-amz-security-token'] = process.env.AWS_SESSION_TOKEN;
  const names = Object.keys(headers).sort();
  const canon = names.map((n) => `${n}:${String(headers[n]).trim().replace(/\s+/g, ' ')}\n`).join('');
  const signed = names.join(';');
  const scope = `${date}/${region}/kinesis/aws4_request`;
  const creq = ['POST', path, '', canon, signed, sha256(body)].join('\n');
  const sts = ['AWS4-HMAC-SHA256', amzDate, scope, sha256(creq)].join('\n');
  const key = hmac(hmac(hmac(hmac('AWS4' + secret, date), region), 'kinesis'), 'aws4_request');
  headers.authorization = `AWS4-HMAC-SHA256 Credential=${keyId}/${scope}, SignedHeaders=${signed}, ` +
    `Signature=${hmac(key, sts).toString('hex')}`;
}

// One attempt of operation op; resolves to the parsed answer or rejects with a CallError.
function callOnce(op, payload) {
  const body = Buffer.from(JSON.stringify(payload));
  const headers = {
    'content-type': 'application/x-amz-json-1.1',
    host: endpoint.host,
    'x-amz-target': `Kinesis_20131202.${op}`,
  };
  sign(headers, endpoint.pathname, body);
  return new Promise((resolve, reject) => {
    const req = client.request({
      host: endpoint.hostname, port: endpoint.port, path: endpoint.pathname, method: 'POST', agent,
      headers: { ...headers, 'content-length': body.length },
    }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('error', (e) => reject(new CallError(op, 0, '', e.message)));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let answer = null;
        try {
          answer = text === '' ? {} : JSON.parse(text);
        } catch {
          answer = null;
        }
        if (res.statusCode === 200 && answer) {
          resolve(answer);
        } else if (!answer || !answer.__type) {
          reject(new CallError(op, res.statusCode, '', text.slice(0, 200)));
        } else {
          const type = String(answer.__type).replace(/^.*#/, ''); // "com.amazon.coral...#Type" in some answers
          reject(new CallError(op, res.statusCode, type, answer.message || answer.Message || ''));
        }
      });
    });
    req.on('error', (e) => reject(new CallError(op, 0, '', e.message)));
    req.end(body);
  });
}

const backoff = (attempt) => Math.min(1000, 50 * 2 ** attempt);

// Calls op, retrying what may work when sent again (see retryable) up to `retries` times.
async function call(op, payload) {
  for (let attempt = 0; ; attempt++) {
    try {
      return await callOnce(op, payload);
    } catch (e) {
      if (!retryable(e, op) || attempt >= retries) throw e;
      await sleep(backoff(attempt));
    }
  }
}

// ---- Streams and shards. ----

// Waits until the stream is ACTIVE (30 s at most).
async function waitActive(stream) {
  const deadline = Date.now() + 30000;
  for (;;) {
    const d = await call('DescribeStreamSummary', { StreamName: stream });
    const status = d.StreamDescriptionSummary.StreamStatus;
    if (status === 'ACTIVE') return;
    if (Date.now() > deadline) throw new Error(`stream ${stream} is still ${status} after 30 s`);
    await sleep(25);
  }
}

// Every shard of the stream, sorted by id (so parents come before their children).
async function listShards(stream) {
  const shards = [];
  let page = await call('ListShards', { StreamName: stream });
  shards.push(...page.Shards);
  while (page.NextToken) {
    page = await call('ListShards', { NextToken: page.NextToken });
    shards.push(...page.Shards);
  }
  return shards.sort((a, b) => (a.ShardId < b.ShardId ? -1 : a.ShardId > b.ShardId ? 1 : 0));
}

const isOpen = (s) => s.SequenceNumberRange.EndingSequenceNumber === undefined;

function findShard(shards, stream, id) {
  const s = shards.find((x) => x.ShardId === id);
  if (!s) throw new Error(`stream ${stream} has no shard ${id}`);
  if (!isOpen(s)) throw new Error(`shard ${id} of stream ${stream} is closed`);
  return s;
}

// Runs a resharding call, waits until ACTIVE, and prints the ids of the shards it made.
async function reshard(stream, op, payload) {
  const before = new Set((await listShards(stream)).map((s) => s.ShardId));
  await call(op, payload);
  await waitActive(stream);
  for (const s of await listShards(stream)) {
    if (!before.has(s.ShardId)) process.stdout.write(`${s.ShardId}\n`);
  }
}

async function cmdCreate(stream, count) {
  await call('CreateStream', { StreamName: stream, ShardCount: count });
  await waitActive(stream);
}

async function cmdSplit(stream, id) {
  await waitActive(stream);
  const s = findShard(await listShards(stream), stream, id);
  const start = BigInt(s.HashKeyRange.StartingHashKey);
  const end = BigInt(s.HashKeyRange.EndingHashKey);
  if (end <= start) throw new Error(`shard ${id} of stream ${stream} holds one hash key: it cannot be split`);
  const middle = start + (end - start + 1n) / 2n;
  await reshard(stream, 'SplitShard', {
    StreamName: stream, ShardToSplit: id, NewStartingHashKey: middle.toString(),
  });
}

async function cmdMerge(stream, idA, idB) {
  await waitActive(stream);
  const shards = await listShards(stream);
  let a = findShard(shards, stream, idA);
  let b = findShard(shards, stream, idB);
  if (BigInt(b.HashKeyRange.EndingHashKey) + 1n === BigInt(a.HashKeyRange.StartingHashKey)) [a, b] = [b, a];
  if (BigInt(a.HashKeyRange.EndingHashKey) + 1n !== BigInt(b.HashKeyRange.StartingHashKey)) {
    throw new Error(`shards ${idA} and ${idB} of stream ${stream} are not adjacent`);
  }
  await reshard(stream, 'MergeShards', {
    StreamName: stream, ShardToMerge: a.ShardId, AdjacentShardToMerge: b.ShardId,
  });
}

async function cmdShards(stream) {
  for (const s of await listShards(stream)) {
    const fields = [s.ShardId, s.ParentShardId || '-', s.AdjacentParentShardId || '-', isOpen(s) ? 'open' : 'closed'];
    process.stdout.write(`${fields.join('\t')}\n`);
  }
}

// ---- Putting records. ----

const MAX_CALL_BYTES = 5 * 1024 * 1024; // what one PutRecords may carry (data + keys)

// The records of a JSON lines file: { i (line number), key, data }.
function readRecords(file, keyField) {
  let text;
  try {
    text = fs.readFileSync(file === '-' ? 0 : file);
  } catch (e) {
    throw new Error(`cannot read ${file}: ${e.message}`);
  }
  const records = [];
  text.toString('utf8').split('\n').forEach((raw, n) => {
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (line.trim() === '') return;
    let key = String(n + 1);
    if (keyField !== undefined) {
      let v;
      try {
        v = JSON.parse(line);
      } catch {
        throw new Error(`${file}:${n + 1}: not a JSON line`);
      }
      v = v !== null && typeof v === 'object' ? v[keyField] : undefined;
      if (v === undefined || v === null) throw new Error(`${file}:${n + 1}: no field '${keyField}'`);
      key = typeof v === 'string' ? v : JSON.stringify(v);
    }
    records.push({ i: n, key, data: Buffer.from(line, 'utf8') });
  });
  return records;
}

// Puts the records in calls of up to `max`. By default a call takes the next records in line
// order (records that failed go again first), so a stream gets them in the file's order (event
// time order, for generated data) unless a call partly fails. With keyOrder, the next call takes,
// in line order, the earliest unsent record of each key (retried ones first, as they are the
// earliest), so a record is sent only once every earlier record of its key is stored: a partly
// failed call cannot reorder a key, but records of different keys move up to 4 calls apart.
async function cmdPut(stream, file, keyField, max, keyOrder) {
  const records = readRecords(file, keyField);
  let pending = []; // records looked at but not stored yet, in line order
  let next = 0; // records[next...] were not looked at yet
  let put = 0;
  let stuck = 0; // calls in a row that stored nothing
  while (pending.length > 0 || next < records.length) {
    const batch = [];
    const left = [];
    const seen = new Set();
    let bytes = 0;
    const take = (r) => {
      const size = r.data.length + Buffer.byteLength(r.key);
      if (batch.length < max && !(keyOrder && seen.has(r.key)) && (batch.length === 0 || bytes + size <= MAX_CALL_BYTES)) {
        batch.push(r);
        bytes += size;
      } else {
        left.push(r);
      }
      seen.add(r.key);
    };
    pending.forEach(take);
    // Looks at no more than 4 * max records at once: with few keys, most must wait for later calls.
    while (next < records.length && batch.length < max && left.length + batch.length < (keyOrder ? 4 * max : max)) {
      take(records[next++]);
    }
    const answer = await call('PutRecords', {
      StreamName: stream,
      Records: batch.map((r) => ({ Data: r.data.toString('base64'), PartitionKey: r.key })),
    });
    const failed = batch.filter((_, j) => answer.Records[j].ErrorCode !== undefined);
    put += batch.length - failed.length;
    pending = failed.concat(left).sort((x, y) => x.i - y.i);
    if (failed.length === 0) {
      stuck = 0;
      continue;
    }
    if (failed.length < batch.length) {
      stuck = 0;
      await sleep(10); // some got through: little to wait for
    } else if (++stuck > retries) {
      const why = answer.Records.find((r) => r.ErrorCode !== undefined);
      throw new Error(`PutRecords: ${failed.length} records of ${stream} still fail after ${retries} retries: ` +
        `${why.ErrorCode}: ${why.ErrorMessage}`);
    } else {
      await sleep(backoff(stuck - 1));
    }
  }
  process.stdout.write(`${put}\n`);
}

// ---- Reading records. ----

// Reads one shard from where its reader stopped (st: { id, iter, lastSeq, done }): an open
// shard until an empty batch, a closed one to its end. Calls onRecords(shardId, records).
async function drain(stream, st, open, onRecords) {
  while (!st.done) {
    if (!st.iter) {
      const from = st.lastSeq ?
        { ShardIteratorType: 'AFTER_SEQUENCE_NUMBER', StartingSequenceNumber: st.lastSeq } :
        { ShardIteratorType: 'TRIM_HORIZON' };
      st.iter = (await call('GetShardIterator', { StreamName: stream, ShardId: st.id, ...from })).ShardIterator;
    }
    let got;
    try {
      got = await call('GetRecords', { ShardIterator: st.iter, Limit: 10000 });
    } catch (e) {
      if (e.type !== 'ExpiredIteratorException') throw e;
      st.iter = null; // a fresh one after the last record seen
      continue;
    }
    if (got.Records.length > 0) {
      st.lastSeq = got.Records[got.Records.length - 1].SequenceNumber;
      await onRecords(st.id, got.Records);
    }
    st.iter = got.NextShardIterator || null;
    if (!st.iter) st.done = true; // a closed shard read to its end
    else if (open && got.Records.length === 0) return;
  }
}

// One pass over every shard (new shards are added to `readers`), calling onRecords.
async function readPass(stream, readers, onRecords) {
  for (const s of await listShards(stream)) {
    if (!readers.has(s.ShardId)) readers.set(s.ShardId, { id: s.ShardId, iter: null, lastSeq: null, done: false });
    await drain(stream, readers.get(s.ShardId), isOpen(s), onRecords);
  }
}

// Writes to stdout, waiting when its buffer is full.
async function out(text) {
  if (!process.stdout.write(text)) await new Promise((r) => process.stdout.once('drain', r));
}

async function cmdRead(stream, from, withMeta) {
  if (from !== 'TRIM_HORIZON') throw new UsageError(`--from: only TRIM_HORIZON is supported, got '${from}'`);
  await readPass(stream, new Map(), async (shardId, records) => {
    const lines = records.map((r) => {
      const data = Buffer.from(r.Data, 'base64').toString('utf8');
      return withMeta ? `${shardId}\t${r.SequenceNumber}\t${data}\n` : `${data}\n`;
    });
    await out(lines.join(''));
  });
}

async function cmdWaitCount(stream, want, timeoutS) {
  const deadline = Date.now() + timeoutS * 1000;
  const readers = new Map();
  let count = 0;
  for (;;) {
    await readPass(stream, readers, (_, records) => { count += records.length; });
    if (count >= want) break;
    if (Date.now() > deadline) {
      throw new Error(`stream ${stream} holds ${count} records after ${timeoutS} s, wanted ${want}`);
    }
    await sleep(100);
  }
  process.stdout.write(`${count}\n`);
}

// ---- Main. ----

async function main() {
  const { pos, opts } = parseArgs(process.argv.slice(2), ['with-meta', 'key-order', 'help']);
  if (opts.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const url = opts.endpoint || process.env.AWS_ENDPOINT_URL_KINESIS || process.env.AWS_ENDPOINT_URL;
  if (!url) throw new UsageError('no endpoint: give --endpoint URL or set AWS_ENDPOINT_URL_KINESIS');
  try {
    endpoint = new URL(url);
  } catch {
    throw new UsageError(`bad endpoint '${url}'`);
  }
  if (!['http:', 'https:'].includes(endpoint.protocol)) throw new UsageError(`bad endpoint '${url}'`);
  client = endpoint.protocol === 'https:' ? https : http;
  agent = new client.Agent({ keepAlive: true });
  if (opts.retries !== undefined) retries = int(opts.retries, '--retries', 0);
  const [cmd, stream, ...rest] = pos;
  context = `${[cmd, stream].filter(Boolean).join(' ')}: `;
  const want = (n) => {
    if (stream === undefined || rest.length !== n) throw new UsageError(`${cmd}: wrong number of arguments`);
  };
  switch (cmd) {
    case 'create': want(1); return cmdCreate(stream, int(rest[0], 'SHARDS', 1));
    case 'put': want(1);
      return cmdPut(stream, rest[0], opts['key-field'], Math.min(500, int(opts.batch ?? '500', '--batch', 1)),
        opts['key-order'] !== undefined);
    case 'split': want(1); return cmdSplit(stream, rest[0]);
    case 'merge': want(2); return cmdMerge(stream, rest[0], rest[1]);
    case 'shards': want(0); return cmdShards(stream);
    case 'read': want(0); return cmdRead(stream, opts.from ?? 'TRIM_HORIZON', Boolean(opts['with-meta']));
    case 'wait-count': want(1);
      return cmdWaitCount(stream, int(rest[0], 'N', 0), int(opts.timeout ?? '30', '--timeout', 0));
    default: throw new UsageError(cmd === undefined ? 'no command' : `unknown command '${cmd}'`);
  }
}

main().then(() => {
  process.exitCode = 0;
  if (agent) agent.destroy();
}, (e) => {
  if (agent) agent.destroy();
  if (e instanceof UsageError) {
    process.stderr.write(`kinesis_ctl: ${e.message}\n${USAGE}\n`);
    process.exitCode = 2;
  } else {
    process.stderr.write(`kinesis_ctl: ${context}${e.message}\n`);
    process.exitCode = 1;
  }
});
