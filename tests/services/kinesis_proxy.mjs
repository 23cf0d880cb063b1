// kinesis_proxy.mjs - an HTTP proxy for tests that sits in front of kinesalite and fails Kinesis
// calls on command (throttling, server errors, lost connections, partly failed PutRecords), and
// checks every request's AWS SigV4 signature (which kinesalite does not).
//
// Usage: node kinesis_proxy.mjs --port P --upstream http://127.0.0.1:Q --control FILE [--log FILE]
//   (environment: KINESIS_PROXY_SECRET = the secret key to verify signatures with; unset: no check)
//
// The control file is read before every request. Its language (one command, blank = pass through):
//   fail N [STATUS [TYPE]]   the next N requests fail with STATUS (default 400) and a Kinesis JSON
//                            error body {"__type":TYPE,"message":...} (TYPE default
//                            ProvisionedThroughputExceededException). The proxy consumes the
//                            command: it empties the file and counts down on its own.
//   fail-all [STATUS [TYPE]] every request fails the same way until the file is emptied.
//   drop N                   the next N requests get their connection closed without an answer
//                            (a transport error for the client; nothing reaches kinesalite).
//   putrecords-partial N [TYPE]
//                            the next N PutRecords calls succeed for the records at even indexes
//                            (0, 2, 4, ...) only: the others get ErrorCode TYPE (default
//                            ProvisionedThroughputExceededException) and FailedRecordCount counts
//                            them. Only the succeeding records are sent on, so the failed ones are
//                            really not stored. Implies "op PutRecords". Consumed like "fail".
//   skip M <command>         first lets M requests through, then does <command>:
//                            "skip 1 fail 1" fails the second request only.
//   op OP <command>          <command> sees only calls of operation OP (the X-Amz-Target suffix,
//                            e.g. GetRecords): others pass and count for neither N nor M.
//                            "op GetRecords skip 2 fail 3 500 InternalFailure" fails the 3rd, 4th
//                            and 5th GetRecords. ("skip" and "op" may come in either order.)
// A new command replaces the one in progress. Unknown commands are ignored (reported on stderr).
// Requests that get through are forwarded unchanged and their answers passed back. A request
// whose signature does not match gets 400 InvalidSignatureException, as Kinesis would answer.
// With --log, every request is appended there as "OP STATUS [TYPE]": TYPE is the error's __type
// (injected or from kinesalite), STATUS is "drop" for drops, and partly failed PutRecords are
// logged "PutRecords 200 partial K" (K records failed by the proxy). Plain node 18+, no npm packages.
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';

import { controlReader } from './control.mjs';

function arg(name, def) {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 && i + 1 < process.argv.length ? process.argv[i + 1] : def;
}

const port = Number(arg('port', '0'));
const upstream = new URL(arg('upstream', 'http://127.0.0.1:4567'));
const control = arg('control', '');
const secret = process.env.KINESIS_PROXY_SECRET || '';
const agent = new http.Agent({ keepAlive: true });

const logFile = arg('log', '');

const THROTTLED = 'ProvisionedThroughputExceededException';
const AMZ_JSON = 'application/x-amz-json-1.1';


function parse(text) {
  const t = text.split(/\s+/);
  let skip = 0;
  let op = '';
  for (;;) {
    if (t[0] === 'skip') skip = Number(t[1]) || 0;
    else if (t[0] === 'op' && t.length > 1) op = t[1];
    else break;
    t.splice(0, 2);
  }
  const [cmd, a, b, c] = t;
  if (cmd === 'fail' || cmd === 'drop') {
    return { op, skip, kind: cmd, n: Number(a) || 0, status: Number(b) || 400, type: c || THROTTLED, sticky: false };
  }
  if (cmd === 'fail-all') {
    return { op, skip, kind: 'fail', n: Infinity, status: Number(a) || 400, type: b || THROTTLED, sticky: true };
  }
  if (cmd === 'putrecords-partial') {
    return { op: 'PutRecords', skip, kind: 'partial', n: Number(a) || 0, status: 200, type: b || THROTTLED, sticky: false };
  }
  process.stderr.write(`kinesis_proxy: unknown command '${text}'\n`);
  return null;
}

const nextAction = controlReader(control, parse);

// The operation a request calls: "Kinesis_20131202.GetRecords" -> "GetRecords" ("-" if none).
function operation(req) {
  const target = String(req.headers['x-amz-target'] || '');
  const dot = target.indexOf('.');
  return dot >= 0 ? target.slice(dot + 1) : '-';
}

function log(op, status, extra) {
  if (logFile) fs.appendFileSync(logFile, `${op} ${status}${extra ? ' ' + extra : ''}\n`);
}

function kinesisError(res, status, type, message) {
  const body = JSON.stringify({ __type: type, message });
  res.writeHead(status, {
    'Content-Type': AMZ_JSON, 'Content-Length': Buffer.byteLength(body),
    'x-amzn-RequestId': crypto.randomUUID(), 'x-amzn-ErrorType': `${type}:`,
  });
  res.end(body);
}

// The __type of a Kinesis JSON error answer, or '' when there is none.
function errorType(body) {
  try {
    return String(JSON.parse(body.toString('utf8')).__type || '');
  } catch {
    return '';
  }
}

// ---- SigV4 check (header form), the way Kinesis computes it. ----
const enc = (s) => encodeURIComponent(s).replace(/[!'()*]/g, (ch) => '%' + ch.charCodeAt(0).toString(16).toUpperCase());
const hmac = (k, d) => crypto.createHmac('sha256', k).update(d).digest();
const sha256 = (d) => crypto.createHash('sha256').update(d).digest('hex');

// Returns '' when the request with this body is correctly signed, else why not.
function signatureProblem(req, body) {
  const auth = req.headers.authorization || '';
  const m = /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request, ?SignedHeaders=([^,]+), ?Signature=([0-9a-f]+)$/.exec(auth);
  if (!m) return 'no SigV4 Authorization header';
  const [, , date, region, service, signed, sig] = m;
  if (service !== 'kinesis') return `signed for service '${service}', not 'kinesis'`;
  // The payload hash: a header if the client sent one (it is then signed too), else computed.
  const payload = req.headers['x-amz-content-sha256'] || sha256(body);
  const [path, query = ''] = req.url.split(/\?(.*)/s);
  const cq = query === '' ? '' : query.split('&').map((p) => {
    const i = p.indexOf('=');
    const k = i < 0 ? p : p.slice(0, i);
    const v = i < 0 ? '' : p.slice(i + 1);
    return [enc(decodeURIComponent(k)), enc(decodeURIComponent(v))];
  }).sort((x, y) => (x[0] < y[0] ? -1 : x[0] > y[0] ? 1 : x[1] < y[1] ? -1 : 1)).map(([k, v]) => `${k}=${v}`).join('&');
  const names = signed.split(';');
  const needed = ['host', 'x-amz-date'];
  if (req.headers['x-amz-security-token'] !== undefined) needed.push('x-amz-security-token');
  for (const need of needed) {
    if (!names.includes(need)) return `header ${need} is not signed`;
  }
  const canonHeaders = names.map((n) => `${n}:${String(req.headers[n] ?? '').trim().replace(/\s+/g, ' ')}\n`).join('');
  const creq = [req.method, path, cq, canonHeaders, signed, payload].join('\n');
  const sts = ['AWS4-HMAC-SHA256', req.headers['x-amz-date'], `${date}/${region}/${service}/aws4_request`, sha256(creq)].join('\n');
  const key = hmac(hmac(hmac(hmac('AWS4' + secret, date), region), service), 'aws4_request');
  return hmac(key, sts).toString('hex') === sig ? '' : 'signature mismatch';
}

// ---- Forwarding. ----

// Sends body to kinesalite with the request's headers; calls done(status, headers, answer body).
function forward(req, body, done) {
  const headers = { ...req.headers, 'content-length': String(body.length) };
  delete headers.expect; // this proxy already answered 100-continue
  delete headers['transfer-encoding'];
  const up = http.request({
    host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers, agent,
  }, (ures) => {
    const chunks = [];
    ures.on('data', (c) => chunks.push(c));
    ures.on('end', () => done(ures.statusCode, ures.headers, Buffer.concat(chunks)));
    ures.on('error', (e) => done(502, null, Buffer.from(e.message)));
  });
  up.on('error', (e) => done(502, null, Buffer.from(e.message)));
  up.end(body);
}

// Passes the call through and kinesalite's answer back.
function pass(req, res, op, body) {
  forward(req, body, (status, headers, answer) => {
    if (!headers) {
      log(op, 502, 'BadGateway');
      kinesisError(res, 502, 'BadGateway', `kinesis_proxy: upstream: ${answer}`);
      return;
    }
    log(op, status, status >= 300 ? errorType(answer) : '');
    res.writeHead(status, headers);
    res.end(answer);
  });
}

// Sends on only the records at even indexes of a PutRecords call, and answers as if those at odd
// indexes had failed with ErrorCode type: the client sees a partly failed batch whose failed
// records kinesalite never stored.
function putPartial(req, res, body, type) {
  let call;
  try {
    call = JSON.parse(body.toString('utf8'));
  } catch {
    call = null;
  }
  if (!call || !Array.isArray(call.Records) || call.Records.length < 2) {
    pass(req, res, 'PutRecords', body); // not JSON (CBOR), or nothing to fail
    return;
  }
  const kept = call.Records.filter((_, i) => i % 2 === 0);
  forward(req, Buffer.from(JSON.stringify({ ...call, Records: kept })), (status, headers, answer) => {
    let out = null;
    try {
      out = status === 200 ? JSON.parse(answer.toString('utf8')) : null;
    } catch {
      out = null;
    }
    if (!headers || !out || !Array.isArray(out.Records) || out.Records.length !== kept.length) {
      if (!headers) {
        log('PutRecords', 502, 'BadGateway');
        kinesisError(res, 502, 'BadGateway', `kinesis_proxy: upstream: ${answer}`);
      } else {
        log('PutRecords', status, status >= 300 ? errorType(answer) : '');
        res.writeHead(status, headers);
        res.end(answer);
      }
      return;
    }
    const failed = call.Records.length - kept.length;
    const records = call.Records.map((_, i) => (i % 2 === 0 ? out.Records[i / 2] :
      { ErrorCode: type, ErrorMessage: 'Injected by kinesis_proxy (putrecords-partial).' }));
    const text = JSON.stringify({ ...out, FailedRecordCount: (out.FailedRecordCount || 0) + failed, Records: records });
    const h = { ...headers, 'content-length': String(Buffer.byteLength(text)) };
    log('PutRecords', 200, `partial ${failed}`);
    res.writeHead(200, h);
    res.end(text);
  });
}

const server = http.createServer((req, res) => {
  const op = operation(req);
  const act = nextAction(op);
  if (act && act.kind === 'drop') {
    log(op, 'drop');
    req.socket.destroy();
    return;
  }
  if (act && act.kind === 'fail') {
    log(op, act.status, act.type);
    req.resume();
    req.on('end', () => kinesisError(res, act.status, act.type, 'Injected by kinesis_proxy.'));
    return;
  }
  // The body is forwarded only once it has fully arrived (a client killed mid-call sends nothing).
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    const body = Buffer.concat(chunks);
    if (secret) {
      const why = signatureProblem(req, body);
      if (why) {
        log(op, 400, 'InvalidSignatureException');
        kinesisError(res, 400, 'InvalidSignatureException', `kinesis_proxy: ${why}.`);
        return;
      }
    }
    if (act && act.kind === 'partial') putPartial(req, res, body, act.type);
    else pass(req, res, op, body);
  });
});

server.keepAliveTimeout = 30000;
server.listen(port, '127.0.0.1', () => {
  process.stdout.write(`kinesis_proxy listening on 127.0.0.1:${server.address().port}\n`);
});
for (const sig of ['SIGTERM', 'SIGINT']) process.on(sig, () => process.exit(0));
