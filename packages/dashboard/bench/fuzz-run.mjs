// Drives seeded hostile HTTP requests and ws frames at a dashboard server process and reports whether
// it survived: no exit, the page still served byte for byte, and a well-behaved ws client still
// greeted and answered. Used by bench/fuzz.mjs (10,000 of each) and src/fuzz.test.ts (CI, fewer).
import net from 'node:net';
import WebSocket from 'ws';
import { handshake, httpCase, rng, wsCase } from './fuzz-cases.mjs';
import { makeWorkdir, PAGE, startServerProcess, TOKEN } from './harness.mjs';

const CASE_TIMEOUT_MS = 2000;

/** Sends `raw`, half-closes, and resolves with the first response line once the server closes. */
function rawExchange(port, raw) {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    let head = '';
    const done = () => {
      clearTimeout(timer);
      socket.destroy();
      resolve(head.split('\r\n', 1)[0] || '(no response)');
    };
    const timer = setTimeout(done, CASE_TIMEOUT_MS);
    socket.on('data', (d) => {
      if (head.length < 200) head += d.toString('latin1');
    });
    socket.on('error', done);
    socket.on('close', done);
    socket.write(raw, () => socket.end());
  });
}

/** Handshakes on /ws, then sends `frames` and waits briefly for the server's reaction. */
function wsExchange(port, token, frames) {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    let head = '';
    let upgraded = false;
    const done = (how) => {
      clearTimeout(timer);
      socket.destroy();
      resolve(upgraded ? how : 'no upgrade');
    };
    const timer = setTimeout(() => done('still open'), CASE_TIMEOUT_MS);
    socket.on('data', (d) => {
      if (upgraded) return;
      head += d.toString('latin1');
      if (!head.includes('\r\n\r\n')) return;
      if (!head.startsWith('HTTP/1.1 101')) return done('refused');
      upgraded = true;
      socket.write(frames, () => setTimeout(() => done('still open'), 20));
    });
    socket.on('error', () => done('closed'));
    socket.on('close', () => done('closed'));
    socket.write(handshake(token));
  });
}

async function pool(count, concurrency, task) {
  let next = 0;
  const workers = Array.from({ length: Math.min(concurrency, count) }, async () => {
    while (next < count) {
      const i = next++;
      if ((await task(i)) === false) next = count;
    }
  });
  await Promise.all(workers);
}

async function pageServed(port, token) {
  try {
    const res = await fetch(`http://127.0.0.1:${port}/${token ? `?token=${token}` : ''}`);
    return res.status === 200 && (await res.text()) === PAGE;
  } catch {
    return false;
  }
}

/** A well-behaved client: hello on connect, pong to a ping, the runs list when asked. */
function wsHealthy(port, token) {
  return new Promise((resolve) => {
    const ws = new WebSocket(`ws://127.0.0.1:${port}/ws${token ? `?token=${token}` : ''}`);
    const seen = new Set();
    const finish = (ok) => {
      clearTimeout(timer);
      ws.terminate();
      resolve(ok);
    };
    const timer = setTimeout(() => finish(false), 5000);
    ws.on('open', () => {
      ws.send(JSON.stringify({ type: 'watch-runs' }));
      ws.send(JSON.stringify({ type: 'ping', id: 42 }));
    });
    ws.on('message', (data) => {
      const msg = JSON.parse(String(data));
      seen.add(msg.type);
      if (seen.has('hello') && seen.has('pong') && seen.has('runs')) finish(true);
    });
    ws.on('error', () => finish(false));
  });
}

/** The error line of a crashed process's stderr (`TypeError: Invalid URL`). */
function errorLine(stderr) {
  return stderr.split('\n').find((l) => /^[A-Za-z]*Error\b/.test(l)) ?? stderr.split('\n')[0] ?? '';
}

/**
 * Runs `httpCases` raw requests and `wsCases` frame sequences against a fresh server in `mode`
 * ('loopback' or 'token'), seeded by `seed`. Returns figures; `crashed` is the first exit and the
 * index of the case in flight when the process died, or null. With `restart`, a dead server is
 * started again and the run goes on one case at a time, so `crashes` counts the cases that kill it
 * (for measuring a build that crashes).
 */
export async function fuzzMode({
  mode,
  seed,
  httpCases,
  wsCases,
  concurrency = 8,
  serverDist,
  restart = false,
}) {
  const work = makeWorkdir(200);
  const token = mode === 'token' ? TOKEN : null;
  const start = () =>
    startServerProcess({
      mode,
      token: TOKEN,
      logdir: work.logdir,
      webRoot: work.webRoot,
      liveHz: 20,
      serverDist,
    });
  let server = await start();
  const started = Date.now();
  const statuses = {};
  const wsOutcomes = {};
  const errors = {};
  let crashes = 0;
  let crashed = null;
  /** After each case: false stops the run (a crash without `restart`). */
  const survived = async (kind, index) => {
    if (!server.exited) return true;
    crashes++;
    const line = errorLine(server.stderr);
    errors[line] = (errors[line] ?? 0) + 1;
    crashed ??= { ...server.exited, kind, index, stderr: server.stderr.slice(0, 2000) };
    if (!restart) return false;
    server = await start();
    return true;
  };
  const workers = restart ? 1 : concurrency;
  try {
    const http = rng(seed);
    const requests = Array.from({ length: httpCases }, () => httpCase(http, token));
    await pool(httpCases, workers, async (i) => {
      const status = await rawExchange(server.port, requests[i]);
      const key = status.slice(0, 40);
      statuses[key] = (statuses[key] ?? 0) + 1;
      return survived('http', i);
    });
    const ws = rng(seed + 1);
    const frames = Array.from({ length: crashed && !restart ? 0 : wsCases }, () => wsCase(ws));
    await pool(frames.length, workers, async (i) => {
      const outcome = await wsExchange(server.port, token, frames[i]);
      wsOutcomes[outcome] = (wsOutcomes[outcome] ?? 0) + 1;
      return survived('ws', i);
    });
    const served = !server.exited && (await pageServed(server.port, token));
    const healthy = !server.exited && (await wsHealthy(server.port, token));
    const stats = server.exited ? null : await server.stats();
    await survived('after', -1);
    return {
      mode,
      seed,
      httpCases,
      wsCases,
      crashes,
      crashErrors: errors,
      crashed,
      pageServed: served,
      wsHealthy: healthy,
      seconds: (Date.now() - started) / 1000,
      rssMB: stats ? Math.round(stats.rss / 1e5) / 10 : null,
      statuses,
      wsOutcomes,
    };
  } finally {
    await server.stop();
    work.remove();
  }
}
