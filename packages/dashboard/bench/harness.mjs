// Shared by the fuzz and stalled-client benchmarks and the fuzz test: a run directory to serve, a
// stand-in page, and the server process.
import { fork } from 'node:child_process';
import { appendFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const TOKEN = 'fuzz-token-0123456789abcdef';
/** The page the server serves in these runs; checked byte for byte after the fuzzing. */
export const PAGE =
  '<!doctype html><title>dashboard page</title><script type="module" src="./app.js"></script>\n';

export function trainLine(step) {
  const loss = 5 * Math.exp(-step / 4000) + 0.8;
  return JSON.stringify({
    v: 1,
    type: 'train',
    time: new Date(Date.UTC(2026, 0, 1) + step * 1000).toISOString(),
    step,
    epoch: Math.floor(step / 1000),
    loss,
    accuracy: 1 - loss / 6,
    perplexity: Math.exp(loss),
    lr: 1e-3,
    grad_norm: 1 + 1 / step,
    tokens_per_s: 900 + (step % 7),
    elapsed_s: step * 0.3,
    eta_s: 100,
  });
}

/** A temp folder with the stand-in page and a logdir holding run `alpha` with `records` train records. */
export function makeWorkdir(records) {
  const root = mkdtempSync(join(tmpdir(), 'mt-dash-fuzz-'));
  const webRoot = join(root, 'web');
  mkdirSync(webRoot);
  writeFileSync(join(webRoot, 'index.html'), PAGE);
  writeFileSync(join(webRoot, 'app.js'), 'export {};\n');
  const run = join(root, 'runs', 'alpha');
  mkdirSync(join(run, 'samples'), { recursive: true });
  writeFileSync(
    join(run, 'config.json'),
    JSON.stringify({ schema: 1, name: 'alpha', created: new Date(Date.UTC(2026, 0, 1)).toISOString() }),
  );
  writeFileSync(
    join(run, 'samples', 'step-10.mid'),
    Buffer.from('MThd\0\0\0\x06\0\0\0\x01\x01\xe0', 'latin1'),
  );
  const lines = [];
  for (let step = 1; step <= records; step++) lines.push(trainLine(step));
  writeFileSync(join(run, 'metrics.jsonl'), lines.length ? `${lines.join('\n')}\n` : '');
  return {
    root,
    webRoot,
    logdir: join(root, 'runs'),
    append: (from, count) => {
      const more = [];
      for (let s = from; s < from + count; s++) more.push(trainLine(s));
      appendFileSync(join(run, 'metrics.jsonl'), `${more.join('\n')}\n`);
    },
    remove: () => rmSync(root, { recursive: true, force: true }),
  };
}

/** Forks serve-child.mjs; resolves once it listens. `exited` is set if it ever dies. */
export function startServerProcess(options) {
  const child = fork(
    fileURLToPath(new URL('./serve-child.mjs', import.meta.url)),
    [JSON.stringify(options)],
    {
      execArgv: ['--expose-gc'],
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
    },
  );
  const state = { child, exited: null, stderr: '', port: 0, token: null };
  child.stderr.on('data', (d) => {
    if (state.stderr.length < 20000) state.stderr += d;
  });
  child.on('exit', (code, signal) => {
    state.exited = { code, signal };
  });
  state.stats = () =>
    new Promise((resolve, reject) => {
      const onMessage = (msg) => {
        if (!msg?.stats) return;
        child.off('message', onMessage);
        resolve(msg.stats);
      };
      child.on('message', onMessage);
      if (!child.connected) reject(new Error('server process is gone'));
      else child.send({ cmd: 'stats' });
    });
  state.stop = () =>
    new Promise((resolve) => {
      if (state.exited) return resolve();
      child.once('exit', () => resolve());
      child.disconnect();
      setTimeout(() => child.kill('SIGKILL'), 5000).unref();
    });
  return new Promise((resolve, reject) => {
    child.once('message', (msg) => {
      state.port = msg.port;
      state.token = msg.token;
      resolve(state);
    });
    child.once('exit', () => reject(new Error(`server process exited at start: ${state.stderr}`)));
  });
}
