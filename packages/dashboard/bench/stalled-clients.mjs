// Slow ws clients against a server that is busy: a run of --records records grows by 100 records a
// second (the trainer writing), a live bridge publishes 50 status events a second, and --clients
// clients connect, ask for the runs list and the run's history, and then never read a byte for
// --seconds. One well-behaved client reads throughout. Prints one JSON line: the server's RSS (after a
// GC) before, at its peak while the clients stall, and after they leave, plus what it held for them.
//   node packages/dashboard/bench/stalled-clients.mjs [--clients 50] [--seconds 120] [--records 100000]
//     [--settle 60] [--after 30]
import { randomBytes } from 'node:crypto';
import net from 'node:net';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import WebSocket from 'ws';
import { makeWorkdir, startServerProcess } from './harness.mjs';

const { values } = parseArgs({
  options: {
    clients: { type: 'string', default: '50' },
    seconds: { type: 'string', default: '120' },
    records: { type: 'string', default: '100000' },
    settle: { type: 'string', default: '60' },
    after: { type: 'string', default: '30' },
    'server-dist': { type: 'string' },
  },
});
const clients = Number(values.clients);
const seconds = Number(values.seconds);
const records = Number(values.records);
const settleSeconds = Number(values.settle);
const afterSeconds = Number(values.after);
const MB = 1024 * 1024;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** A masked client text frame (clients must mask; the mask itself does not matter). */
function textFrame(text) {
  const payload = Buffer.from(text);
  const len = payload.length;
  const head =
    len < 126 ? Buffer.from([0x81, 0x80 | len]) : Buffer.from([0x81, 0x80 | 126, len >> 8, len & 0xff]);
  const mask = randomBytes(4);
  return Buffer.concat([head, mask, payload.map((b, i) => b ^ mask[i % 4])]);
}

/** Handshakes, subscribes, then pauses: the kernel buffers fill and the server must cope. */
function stalledClient(port) {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1');
    let head = '';
    const onData = (d) => {
      head += d.toString('latin1');
      if (!head.includes('\r\n\r\n')) return;
      socket.off('data', onData);
      if (!head.startsWith('HTTP/1.1 101')) return reject(new Error(head.split('\r\n')[0]));
      socket.write(textFrame('{"type":"watch-runs"}'));
      socket.write(textFrame('{"type":"subscribe","runs":["alpha"]}'));
      socket.pause();
      resolve(socket);
    };
    socket.on('data', onData);
    socket.on('error', reject);
    socket.on('close', () => reject(new Error('closed before the handshake')));
    socket.write(
      `GET /ws HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
        `Sec-WebSocket-Key: ${randomBytes(16).toString('base64')}\r\nSec-WebSocket-Version: 13\r\n\r\n`,
    );
  });
}

const work = makeWorkdir(records);
const server = await startServerProcess({
  mode: 'loopback',
  logdir: work.logdir,
  webRoot: work.webRoot,
  liveHz: 50,
  ...(values['server-dist']
    ? { serverDist: pathToFileURL(resolve(values['server-dist'], 'index.js')).href }
    : {}),
});
let step = records + 1;
const writer = setInterval(() => {
  work.append(step, 10);
  step += 10;
}, 100);

// The reader: proves the server keeps serving a client that does read.
const reader = new WebSocket(`ws://127.0.0.1:${server.port}/ws`);
const seen = { metrics: 0, live: 0, runs: 0, errors: 0 };
reader.on('error', () => {
  seen.errors++;
});
reader.on('open', () => {
  reader.send(JSON.stringify({ type: 'watch-runs' }));
  reader.send(JSON.stringify({ type: 'subscribe', runs: ['alpha'] }));
});
reader.on('message', (data) => {
  const type = JSON.parse(String(data)).type;
  if (type in seen) seen[type]++;
});

/** The server's figures, or null once it is gone (the old code could die under this load). */
const stats = () =>
  server.exited
    ? Promise.resolve(null)
    : Promise.race([server.stats().catch(() => null), sleep(10_000).then(() => null)]);

// Baseline: the lowest RSS over the last 10 s of --settle seconds. The start-up read of the run is
// collected and the allocator gives pages back only 30-40 s after the start; a shorter wait would
// count that give-back as memory the stalled clients returned.
let before = null;
for (let i = 0; i < settleSeconds; i++) {
  await sleep(1000);
  const s = await stats();
  if (i >= settleSeconds - 10 && s && (before === null || s.rss < before.rss)) before = s;
}
const stalled = [];
for (let i = 0; i < clients && !server.exited; i++) {
  const socket = await stalledClient(server.port).catch(() => null);
  if (socket) {
    socket.on('error', () => {});
    stalled.push(socket);
  }
}
let peak = before;
const samples = [];
const started = Date.now();
while (Date.now() - started < seconds * 1000) {
  await sleep(Math.min(5000, seconds * 1000));
  const s = await stats();
  if (s === null) {
    samples.push({ t: Math.round((Date.now() - started) / 1000), exited: server.exited });
    break;
  }
  samples.push({
    t: Math.round((Date.now() - started) / 1000),
    rssMB: +(s.rss / MB).toFixed(1),
    heapMB: +(s.heapUsed / MB).toFixed(1),
    externalMB: +(s.external / MB).toFixed(1),
    heldKB: Math.round(((s.hub?.pendingBytes ?? 0) + (s.hub?.bufferedBytes ?? 0)) / 1024),
  });
  if (s.rss > peak.rss) peak = s;
}
const during = await stats();
const crashed = server.exited !== null;
const readerSeen = { ...seen };
for (const s of stalled) s.destroy();
// After they leave: the lowest RSS over --after seconds (the allocator returns pages in its own time).
let after = null;
const afterSamples = [];
for (let i = 0; i < afterSeconds; i += 5) {
  await sleep(5000);
  const s = await stats();
  if (s === null) break;
  afterSamples.push({ t: i + 5, rssMB: +(s.rss / MB).toFixed(1), heapMB: +(s.heapUsed / MB).toFixed(1) });
  if (after === null || s.rss < after.rss) after = s;
}
clearInterval(writer);
reader.terminate();
await server.stop();
work.remove();

const growth = (peak.rss - before.rss) / MB;
console.log(
  JSON.stringify({
    bench: 'dashboard/stalled-clients-rss-growth',
    value: +growth.toFixed(1),
    unit: 'MB',
    target: 20,
    clients,
    seconds,
    records,
    rssBeforeMB: +(before.rss / MB).toFixed(1),
    rssPeakMB: +(peak.rss / MB).toFixed(1),
    rssAfterLeaveMB: after ? +(after.rss / MB).toFixed(1) : null,
    returnedMB: after ? +((peak.rss - after.rss) / MB).toFixed(1) : null,
    aboveBaselineAfterLeaveMB: after ? +((after.rss - before.rss) / MB).toFixed(1) : null,
    heldForStalledKB: during?.hub
      ? Math.round((during.hub.pendingBytes + during.hub.bufferedBytes) / 1024)
      : null,
    heldAfterLeaveKB: after?.hub
      ? Math.round((after.hub.pendingBytes + after.hub.bufferedBytes) / 1024)
      : null,
    droppedLive: during?.hub?.droppedLive ?? null,
    readerMessages: readerSeen,
    crashed,
    serverError: crashed ? server.stderr.split('\n').slice(0, 3).join(' | ') : null,
    samples,
    afterSamples,
  }),
);
