/**
 * Entry point of the generation worker thread. It owns the TokenSource (the model and its TF.js
 * backend), so model work never runs on the bridge's thread, whose only job is to send on time.
 * It generates while tokens are owed, in batches, yielding to the event loop between batches so that
 * reset/sampling/close messages take effect within one batch.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { BATCH_TOKENS } from './generator.js';
import type { TokenSource, TokenSourceModule } from './token-source.js';
import type { FromWorker, ToWorker, WorkerInit } from './worker-protocol.js';

const port = parentPort;
if (!port) throw new Error('generation-worker.js must run in a worker thread');
const post = (message: FromWorker) => port.postMessage(message);
const fail = (err: unknown) => {
  const e = err instanceof Error ? err : new Error(String(err));
  post({ type: 'error', message: e.message, ...(e.stack ? { stack: e.stack } : {}) });
};

const init = workerData as WorkerInit;
let source: TokenSource | null = null;
let owed = 0;
let epoch = 0;
let looping = false;
let closed = false;

function loop(): void {
  looping = false;
  if (closed || !source || owed <= 0) return;
  const start = performance.now();
  const ids: number[] = [];
  try {
    while (owed > 0 && ids.length < BATCH_TOKENS) {
      ids.push(source.next());
      owed--;
    }
  } catch (err) {
    owed = 0;
    fail(err);
    return;
  }
  post({ type: 'tokens', ids, epoch, busyMs: performance.now() - start });
  kick();
}

function kick(): void {
  if (looping || closed || owed <= 0) return;
  looping = true;
  setImmediate(loop);
}

port.on('message', (message: ToWorker) => {
  try {
    switch (message.type) {
      case 'request':
        owed += message.count;
        kick();
        break;
      case 'reset':
        owed = 0;
        epoch = message.epoch;
        if (source) {
          source.reset(message.primer);
          post({ type: 'primed', tokens: Array.from(source.tokens), epoch });
        }
        break;
      case 'sampling':
        source?.setSampling(message.controls);
        break;
      case 'close':
        closed = true;
        port.close();
        break;
    }
  } catch (err) {
    fail(err);
  }
});

try {
  const mod = (await import(init.sourceModule)) as TokenSourceModule;
  source = await mod.createTokenSource(init.sourceOptions);
  post({ type: 'ready' });
  kick();
} catch (err) {
  fail(err);
}
