// Seeded generators of hostile input for the dashboard: raw HTTP requests (request line, headers and
// body built from pieces known to break parsers, then mutated byte-wise) and sequences of raw
// WebSocket frames sent after a valid handshake. The same seed always gives the same cases, so a
// failing case can be replayed by its index.
import { randomBytes } from 'node:crypto';

/** mulberry32: small, fast, good enough to pick cases. */
export function rng(seed) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n) => Math.floor(next() * n);
  const pick = (list) => list[int(list.length)];
  const chance = (p) => next() < p;
  const bytes = (n) => {
    const out = Buffer.alloc(n);
    for (let i = 0; i < n; i++) out[i] = int(256);
    return out;
  };
  return { next, int, pick, chance, bytes };
}

const METHODS = [
  'GET',
  'GET',
  'GET',
  'HEAD',
  'POST',
  'PUT',
  'DELETE',
  'OPTIONS',
  'CONNECT',
  'TRACE',
  'get',
  'G\0T',
  '',
  'X'.repeat(300),
];
const TARGETS = [
  '/',
  '/ws',
  '/ws?token=',
  '/index.html',
  '/assets/',
  '/files/alpha/samples/step-10.mid',
  '/files/alpha/samples/step-10.mid?download=1',
  '/files/alpha/metrics.jsonl',
  '/files/../secret',
  '/files/%2e%2e/%2e%2e/etc/passwd',
  '/files/alpha/%00',
  '/%',
  '/%zz',
  '/%E0%A4%A',
  '/?token=%',
  '/?token=%zz&token=',
  '//',
  '*',
  '',
  'http://[::1',
  'http://[::1]:80/',
  'http://127.0.0.1:99999/',
  'http://127.0.0.1:6006/ws',
  'http://evil.example/',
  'http://%/',
  'ws://127.0.0.1/ws',
  'https://[fe80::1%25eth0]/',
  'http:',
  'http://',
  'http://user:pass@127.0.0.1/',
  `/${'a'.repeat(9000)}`,
  '/\u00ff\u0100',
  '/files/alpha/samples/\uD800.mid',
  '/ws#frag',
  '/ /',
];
const VERSIONS = [
  'HTTP/1.1',
  'HTTP/1.1',
  'HTTP/1.0',
  'HTTP/2.0',
  'HTTP/0.9',
  'HTTP/1.1x',
  'http/1.1',
  'HTTP/',
  '',
];
const HOSTS = [
  '127.0.0.1',
  '127.0.0.1:6006',
  'localhost',
  '[::1]',
  '[::1]:80',
  '[::1',
  '[',
  ']',
  ':',
  '127.0.0.1:99999',
  'evil.example',
  '',
  ' ',
  '%',
  'a'.repeat(5000),
  '127.0.0.1\0',
];
const EOLS = ['\r\n', '\r\n', '\r\n', '\n', '\r'];

/**
 * One raw HTTP request (Buffer). `token` is the server's token in token mode (null on loopback); it is
 * presented in some cases so that hostile input also reaches the handlers behind the token check.
 */
export function httpCase(r, token) {
  // Each part is usually well-formed, so that most requests get past the parser to the handlers.
  const eol = r.chance(0.85) ? '\r\n' : r.pick(EOLS);
  let target = r.chance(0.3)
    ? r.pick(['/', '/index.html', '/files/alpha/samples/step-10.mid', '/app.js'])
    : r.pick(TARGETS);
  if (token && r.chance(0.3))
    target += `${target.includes('?') ? '&' : '?'}token=${r.chance(0.8) ? token : `${token}%`}`;
  const method = r.chance(0.8) ? 'GET' : r.pick(METHODS);
  const version = r.chance(0.85) ? 'HTTP/1.1' : r.pick(VERSIONS);
  const lines = [`${method} ${target} ${version}`];
  if (r.chance(0.95)) lines.push(`Host: ${r.chance(0.6) ? '127.0.0.1' : r.pick(HOSTS)}`);
  if (r.chance(0.05)) lines.push(`Host: ${r.pick(HOSTS)}`);
  if (r.chance(0.3)) {
    const value = r.pick([
      '%',
      '%zz',
      '%E0%A4%A',
      '',
      '=',
      token ?? 'x',
      `${token ?? 'x'}%`,
      'a'.repeat(3000),
    ]);
    lines.push(
      `Cookie: ${r.pick(['', 'a=b; ', ';;; '])}mt_dashboard_token=${value}${r.pick(['', '; x=%', ';'])}`,
    );
  }
  if (r.chance(0.2))
    lines.push(
      `Authorization: ${r.pick(['Bearer ', 'Bearer %', `Bearer ${token ?? 'x'}`, 'Basic Og==', 'Bearer', ''])}`,
    );
  if (r.chance(0.2))
    lines.push(
      `Origin: ${r.pick(['null', 'http://evil.example', 'http://127.0.0.1', '%', 'http://[::1', ''])}`,
    );
  if (r.chance(0.3)) {
    lines.push(`Upgrade: ${r.pick(['websocket', 'WebSocket', 'h2c', '', 'websocket, x'])}`);
    lines.push(`Connection: ${r.pick(['Upgrade', 'upgrade, keep-alive', 'close', ''])}`);
    if (r.chance(0.8))
      lines.push(`Sec-WebSocket-Key: ${r.pick(['dGhlIHNhbXBsZSBub25jZQ==', '', '%%%', 'x'.repeat(200)])}`);
    if (r.chance(0.8)) lines.push(`Sec-WebSocket-Version: ${r.pick(['13', '8', '', 'x'])}`);
    if (r.chance(0.2))
      lines.push(
        `Sec-WebSocket-Extensions: ${r.pick(['permessage-deflate', 'permessage-deflate; client_max_window_bits=99', ';;;'])}`,
      );
  }
  let body = Buffer.alloc(0);
  if (r.chance(0.2)) {
    body = r.bytes(r.int(2000));
    lines.push(
      `Content-Length: ${r.pick([String(body.length), '-1', '99999999999', 'x', `${body.length}, ${body.length}`])}`,
    );
  }
  if (r.chance(0.1)) lines.push(`Transfer-Encoding: ${r.pick(['chunked', 'gzip, chunked', 'x'])}`);
  if (r.chance(0.1))
    lines.push(
      r.pick([
        'NoColonHere',
        ': empty-name',
        'Bad Name: x',
        ' folded-continuation',
        `X-Long: ${'b'.repeat(20000)}`,
        'Range: bytes=-1-2',
      ]),
    );
  let raw = Buffer.concat([Buffer.from(`${lines.join(eol)}${eol}${eol}`, 'latin1'), body]);
  if (r.chance(0.2)) raw = mutate(r, raw);
  return raw;
}

/** Flips, inserts, deletes, truncates or repeats bytes. */
function mutate(r, buf) {
  const out = [...buf];
  const edits = 1 + r.int(6);
  for (let i = 0; i < edits && out.length > 0; i++) {
    const at = r.int(out.length);
    switch (r.int(5)) {
      case 0:
        out[at] = r.int(256);
        break;
      case 1:
        out.splice(at, 0, ...r.bytes(1 + r.int(8)));
        break;
      case 2:
        out.splice(at, 1 + r.int(8));
        break;
      case 3:
        out.length = at;
        break;
      default:
        out.splice(at, 0, ...out.slice(at, at + 1 + r.int(64)));
    }
  }
  return Buffer.from(out);
}

const MESSAGES = [
  '{"type":"ping","id":1}',
  '{"type":"watch-runs"}',
  '{"type":"subscribe","runs":["alpha"]}',
  '{"type":"subscribe","runs":["alpha","missing","../../etc",""]}',
  '{"type":"subscribe","runs":[]}',
  `{"type":"subscribe","runs":${JSON.stringify(Array.from({ length: 70 }, (_, i) => `r${i}`))}}`,
  '{"type":"live","event":{"kind":"note","pitch":60,"velocity":90,"on":true,"time":1}}',
  '{"type":"live","event":{"kind":"note","pitch":1e309,"velocity":-1,"on":"yes","time":null}}',
  '{"type":"live","event":{"kind":"state","state":"playing"}}',
  '{"type":"live","event":{"kind":"state","state":"x"}}',
  '{"type":"live","event":{"kind":"buffer","seconds":1e308}}',
  '{"type":"live","event":{"kind":"__proto__"}}',
  '{"__proto__":{"type":"ping"}}',
  '{"type":"constructor"}',
  '{"type":"ping","id":1.5}',
  '{"type":',
  'null',
  '[]',
  '"ping"',
  '1e999999',
  `${'['.repeat(5000)}${']'.repeat(5000)}`,
  '{"type":"ping","id":123456789012345678901234567890}',
  '\ud800',
];

/** Opcodes: 0 continuation, 1 text, 2 binary, 8 close, 9 ping, 10 pong, the rest reserved. */
function frame(r, { opcode, payload, fin = true, masked = true, rsv = 0, lengthOverride }) {
  const len = lengthOverride ?? payload.length;
  const head = [((fin ? 0x80 : 0) | (rsv << 4) | opcode) & 0xff];
  const maskBit = masked ? 0x80 : 0;
  if (len < 126) head.push(maskBit | len);
  else if (len < 65536) head.push(maskBit | 126, len >> 8, len & 0xff);
  else {
    head.push(maskBit | 127);
    const big = Buffer.alloc(8);
    big.writeBigUInt64BE(BigInt(len));
    head.push(...big);
  }
  if (!masked) return Buffer.concat([Buffer.from(head), payload]);
  const mask = r.bytes(4);
  const body = Buffer.from(payload.map((b, i) => b ^ mask[i % 4]));
  return Buffer.concat([Buffer.from(head), mask, body]);
}

/** 1-6 frames to send after a valid handshake, mostly well-formed, some not. */
export function wsCase(r) {
  const frames = [];
  const count = 1 + r.int(6);
  for (let i = 0; i < count; i++) {
    const kind = r.int(12);
    const text = Buffer.from(r.pick(MESSAGES));
    if (kind < 5) frames.push(frame(r, { opcode: 1, payload: text }));
    else if (kind === 5) frames.push(frame(r, { opcode: 1, payload: Buffer.from([0xc3, 0x28, 0xff, 0xfe]) }));
    else if (kind === 6)
      frames.push(frame(r, { opcode: r.pick([0, 2, 3, 7, 11, 15]), payload: r.bytes(r.int(200)) }));
    else if (kind === 7) {
      const cut = r.int(text.length);
      frames.push(frame(r, { opcode: 1, payload: text.subarray(0, cut), fin: false }));
      if (r.chance(0.7)) frames.push(frame(r, { opcode: r.pick([0, 0, 1, 9]), payload: text.subarray(cut) }));
    } else if (kind === 8) {
      frames.push(
        frame(r, { opcode: r.pick([8, 9, 10]), payload: r.bytes(r.pick([0, 1, 2, 125, 126, 300])) }),
      );
    } else if (kind === 9) {
      frames.push(frame(r, { opcode: 1, payload: text, masked: false }));
    } else if (kind === 10) {
      frames.push(frame(r, { opcode: 1, payload: text, rsv: 1 + r.int(7) }));
    } else {
      frames.push(
        frame(r, {
          opcode: 1,
          payload: text,
          lengthOverride: r.pick([17 * 1024, 2 ** 32, 2 ** 53 - 1, text.length + 5]),
        }),
      );
    }
  }
  let raw = Buffer.concat(frames);
  if (r.chance(0.15)) raw = mutate(r, raw);
  return raw;
}

/** A valid client handshake for `/ws` (token mode: with the token in the query). */
export function handshake(token) {
  return Buffer.from(
    `GET /ws${token ? `?token=${token}` : ''} HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n` +
      `Connection: Upgrade\r\nSec-WebSocket-Key: ${randomBytes(16).toString('base64')}\r\n` +
      'Sec-WebSocket-Version: 13\r\n\r\n',
    'latin1',
  );
}
