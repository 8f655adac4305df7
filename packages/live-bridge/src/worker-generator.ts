import { Worker } from 'node:worker_threads';
import type { SamplingControls } from './controls.js';
import { BridgeError } from './errors.js';
import type { GeneratorListener, TokenGenerator } from './generator.js';
import type { FromWorker, ToWorker, WorkerInit } from './worker-protocol.js';

/**
 * Runs generation on a worker thread (`generation-worker.js`). Messages sent before the worker is
 * ready are queued by the worker's port, and a reset issued before ready is applied once the source
 * is loaded (the worker answers with `primed`).
 */
export function createWorkerGenerator(
  init: WorkerInit,
  /** The worker script; tests running from sources pass the built one (dist/generation-worker.js). */
  workerUrl: URL = new URL('./generation-worker.js', import.meta.url),
): TokenGenerator {
  const worker = new Worker(workerUrl, { workerData: init });
  let listener: GeneratorListener | null = null;
  let epoch = 0;
  let closed = false;
  // Until the source is loaded, the latest reset and the tokens owed since are kept here and sent in
  // that order once ready (a reset arriving after queued requests would cancel them).
  let pendingReset: number[] | null = null;
  let pendingCount = 0;
  let isReady = false;
  const send = (message: ToWorker) => {
    if (!closed) worker.postMessage(message);
  };
  const ready = new Promise<void>((resolve, reject) => {
    worker.on('message', (message: FromWorker) => {
      switch (message.type) {
        case 'ready':
          isReady = true;
          if (pendingReset) send({ type: 'reset', primer: pendingReset, epoch });
          if (pendingCount > 0) send({ type: 'request', count: pendingCount });
          pendingReset = null;
          pendingCount = 0;
          resolve();
          break;
        case 'tokens':
          listener?.tokens(message.ids, message.epoch, message.busyMs);
          break;
        case 'primed':
          listener?.primed(message.tokens, message.epoch);
          break;
        case 'error': {
          const error = new BridgeError('WORKER_FAILED', `generation worker: ${message.message}`);
          if (message.stack) error.stack = message.stack;
          if (!isReady) reject(error);
          listener?.error(error);
          break;
        }
      }
    });
    worker.on('error', (cause) => {
      const error = new BridgeError('WORKER_FAILED', `generation worker crashed: ${cause.message}`, {
        cause,
      });
      if (!isReady) reject(error);
      listener?.error(error);
    });
    worker.on('exit', (code) => {
      if (closed) return;
      const error = new BridgeError('WORKER_FAILED', `generation worker exited with code ${code}`);
      if (!isReady) reject(error);
      listener?.error(error);
    });
  });
  // The rejection is delivered through `ready` to whoever awaits it; avoid an unhandled-rejection crash.
  ready.catch(() => {});
  return {
    ready,
    listen(l) {
      listener = l;
    },
    request(count) {
      if (isReady) send({ type: 'request', count });
      else pendingCount += count;
    },
    reset(primer) {
      epoch++;
      if (isReady) send({ type: 'reset', primer: [...primer], epoch });
      else {
        pendingReset = [...primer];
        pendingCount = 0;
      }
      return epoch;
    },
    setSampling(controls: Partial<SamplingControls>) {
      send({ type: 'sampling', controls });
    },
    async close() {
      if (closed) return;
      send({ type: 'close' });
      closed = true;
      await worker.terminate();
    },
  };
}
