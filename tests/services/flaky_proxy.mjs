// flaky_proxy.mjs - an HTTP proxy for tests that sits in front of a local S3 stand-in and fails
// requests on command, and checks every request's AWS SigV4 signature (which s3rver does not).
//
// Usage: node flaky_proxy.mjs --port P --upstream http://127.0.0.1:Q --control FILE [--log FILE]
//   (environment: FLAKY_PROXY_SECRET = the secret key to verify signatures with; unset: no check)
//
// The control file is read before every request. Its language (one command, blank = pass through):
//   fail N [STATUS [CODE]]   the next N requests fail with STATUS (default 503) and an S3 error body
//                            with CODE (default SlowDown). The proxy consumes the command: it
//                            empties the file and counts down on its own.
//   fail-all [STATUS [CODE]] every request fails the same way until the file is emptied.
//   drop N                   the next N requests get their connection closed without an answer
//                            (a transport error for the client); consumed like "fail".
//   skip M <command>         first lets M requests through, then does <command> (one of the above):
//                            "skip 1 fail 1 400 InvalidPart" fails the second request only.
// A new command replaces the one in progress. Unknown commands are ignored (reported on stderr).
// Requests that get through are forwarded unchanged and their answers streamed back. A request
// whose signature does not match gets 403 SignatureDoesNotMatch, as S3 would answer.
// With --log, every request is appended there as "METHOD URL STATUS" (STATUS "drop" for drops),
// so tests can see what was retried. Plain node 18+, no npm packages.
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';

import { controlReader } from './control.mjs';

function arg(name, def) {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 && i + 1 < process.argv.length ? process.argv[i + 1] : def;
}

const port = Number(arg('port', '0'));
const upstream = new URL(arg('upstream', 'http://127.0.0.1:4568'));
const control = arg('control', '');
const secret = process.env.FLAKY_PROXY_SECRET || '';
const agent = new http.Agent({ keepAlive: true });

const logFile = arg('log', '');


function parse(text) {
  const t = text.split(/\s+/);
  let skip = 0;
  if (t[0] === 'skip') {
    skip = Number(t[1]) || 0;
    t.splice(0, 2);
  }
  const [cmd, a, b, c] = t;
  if (cmd === 'fail' || cmd === 'drop') {
    return { skip, kind: cmd, n: Number(a) || 0, status: Number(b) || 503, code: c || 'SlowDown', sticky: false };
  }
  if (cmd === 'fail-all') {
    return { skip, kind: 'fail', n: Infinity, status: Number(a) || 503, code: b || 'SlowDown', sticky: true };
  }
  process.stderr.write(`flaky_proxy: unknown command '${text}'\n`);
  return null;
}

const nextAction = controlReader(control, parse);

function log(req, status) {
  if (logFile) fs.appendFileSync(logFile, `${req.method} ${req.url} ${status}\n`);
}

function s3Error(res, status, code, message) {
  const body = `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code>` +
    `<Message>${message}</Message><RequestId>flaky-proxy</RequestId></Error>`;
  res.writeHead(status, { 'Content-Type': 'application/xml', 'Content-Length': Buffer.byteLength(body) });
  res.end(body);
}

// ---- SigV4 check (header form), the way S3 computes it. ----
const enc = (s) => encodeURIComponent(s).replace(/[!'()*]/g, (ch) => '%' + ch.charCodeAt(0).toString(16).toUpperCase());
const hmac = (k, d) => crypto.createHmac('sha256', k).update(d).digest();
const sha256 = (d) => crypto.createHash('sha256').update(d).digest('hex');

// Returns '' when the request is correctly signed, else why not.
function signatureProblem(req) {
  const auth = req.headers.authorization || '';
  const m = /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request, ?SignedHeaders=([^,]+), ?Signature=([0-9a-f]+)$/.exec(auth);
  if (!m) return 'no SigV4 Authorization header';
  const [, , date, region, service, signed, sig] = m;
  const payload = req.headers['x-amz-content-sha256'];
  if (!payload) return 'no x-amz-content-sha256 header';
  const [path, query = ''] = req.url.split(/\?(.*)/s);
  const cq = query === '' ? '' : query.split('&').map((p) => {
    const i = p.indexOf('=');
    const k = i < 0 ? p : p.slice(0, i);
    const v = i < 0 ? '' : p.slice(i + 1);
    return [enc(decodeURIComponent(k)), enc(decodeURIComponent(v))];
  }).sort((x, y) => (x[0] < y[0] ? -1 : x[0] > y[0] ? 1 : x[1] < y[1] ? -1 : 1)).map(([k, v]) => `${k}=${v}`).join('&');
  const names = signed.split(';');
  const needed = ['host', 'x-amz-date', 'x-amz-content-sha256'];
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

const server = http.createServer((req, res) => {
  const act = nextAction();
  if (act && act.kind === 'drop') {
    log(req, 'drop');
    req.socket.destroy();
    return;
  }
  if (act) {
    log(req, act.status);
    req.resume();
    req.on('end', () => s3Error(res, act.status, act.code, 'Injected by flaky_proxy.'));
    return;
  }
  if (secret) {
    const why = signatureProblem(req);
    if (why) {
      log(req, 403);
      req.resume();
      req.on('end', () => s3Error(res, 403, 'SignatureDoesNotMatch', `flaky_proxy: ${why}.`));
      return;
    }
  }
  const headers = { ...req.headers };
  delete headers.expect; // this proxy already answered 100-continue
  // The body is forwarded only once it has fully arrived: a client killed in the middle of a PUT
  // leaves no object, as on S3 (s3rver alone would store the part it got).
  const body = [];
  req.on('data', (c) => body.push(c));
  req.on('end', () => {
    const up = http.request({
      host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers, agent,
    }, (ures) => {
      log(req, ures.statusCode);
      res.writeHead(ures.statusCode, ures.headers);
      ures.pipe(res);
    });
    up.on('error', (e) => {
      log(req, 502);
      if (!res.headersSent) s3Error(res, 502, 'BadGateway', `flaky_proxy: upstream: ${e.message}`);
      else res.destroy();
    });
    up.end(Buffer.concat(body));
  });
});

server.keepAliveTimeout = 30000;
server.listen(port, '127.0.0.1', () => {
  process.stdout.write(`flaky_proxy listening on 127.0.0.1:${server.address().port}\n`);
});
for (const sig of ['SIGTERM', 'SIGINT']) process.on(sig, () => process.exit(0));
