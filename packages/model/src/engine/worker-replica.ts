import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { ModelError } from '../errors.js';
import type { WorkerInit, WorkerRequest, WorkerRequestBody, WorkerResponse } from './protocol.js';
import type { GradResult } from './replica.js';
import type { EvalResult, TokenBatch } from './types.js';

/**
 * The compiled worker module. From dist it sits beside this file; when the package runs from its
 * TypeScript sources (vitest) Node cannot start a .ts worker, so the built copy in ../../dist is used
 * (`pnpm --filter @music-transformer/model build` first; turbo's test task depends on build).
 */
function workerFile(): string {
  const here = fileURLToPath(new URL('./replica-worker.js', import.meta.url));
  if (existsSync(here)) return here;
  const built = fileURLToPath(new URL('../../dist/engine/replica-worker.js', import.meta.url));
  if (existsSync(built)) return built;
  throw new ModelError(
    'WORKER_FAILED',
    `worker module not found at ${here} or ${built}: build the package first`,
  );
}

type Pending = { resolve: (r: WorkerResponse) => void; reject: (e: Error) => void };

/** A Replica living in a worker thread, driven by promise-returning requests. */
export class WorkerReplica {
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private failure: Error | null = null;

  private constructor(
    private readonly worker: Worker,
    readonly backend: string,
  ) {
    worker.on('message', (msg: WorkerResponse) => {
      if (!('id' in msg)) return;
      const p = this.pending.get(msg.id);
      if (p === undefined) return;
      this.pending.delete(msg.id);
      if (msg.type === 'error') p.reject(new ModelError('WORKER_FAILED', `training worker: ${msg.message}`));
      else p.resolve(msg);
    });
    const fail = (e: Error) => {
      this.failure = new ModelError('WORKER_FAILED', `training worker died: ${e.message}`, { cause: e });
      for (const p of this.pending.values()) p.reject(this.failure);
      this.pending.clear();
    };
    worker.on('error', fail);
    worker.on('exit', (code) => {
      if (code !== 0) fail(new Error(`exit code ${code}`));
    });
  }

  static async start(init: WorkerInit): Promise<WorkerReplica> {
    const worker = new Worker(workerFile(), { workerData: init });
    const backend = await new Promise<string>((resolve, reject) => {
      const onMessage = (msg: WorkerResponse) => {
        if (msg.type === 'ready') resolve(msg.backend);
        else if (msg.type === 'fatal')
          reject(new ModelError('WORKER_FAILED', `training worker failed to start: ${msg.message}`));
      };
      worker.once('message', onMessage);
      worker.once('error', (e) =>
        reject(
          new ModelError('WORKER_FAILED', `training worker failed to start: ${e.message}`, { cause: e }),
        ),
      );
    }).catch(async (e: unknown) => {
      await worker.terminate();
      throw e;
    });
    return new WorkerReplica(worker, backend);
  }

  private request(req: WorkerRequestBody, transfer: ArrayBuffer[] = []): Promise<WorkerResponse> {
    if (this.failure !== null) return Promise.reject(this.failure);
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage({ ...req, id } as WorkerRequest, transfer);
    });
  }

  async grads(batches: TokenBatch[], seeds: number[], labelSmoothing: number): Promise<GradResult> {
    const r = await this.request({ type: 'grads', batches, seeds, labelSmoothing });
    if (r.type !== 'grads')
      throw new ModelError('WORKER_FAILED', `training worker answered '${r.type}' to 'grads'`);
    return { grad: r.grad, nllSum: r.nllSum, tokens: r.tokens, correct: r.correct };
  }

  async setFlat(flat: Float32Array): Promise<void> {
    await this.request({ type: 'setFlat', flat });
  }

  async evaluate(batch: TokenBatch): Promise<EvalResult> {
    const r = await this.request({ type: 'evaluate', batch });
    if (r.type !== 'evaluate')
      throw new ModelError('WORKER_FAILED', `training worker answered '${r.type}' to 'evaluate'`);
    return { nllSum: r.nllSum, tokens: r.tokens, correct: r.correct };
  }

  async dispose(): Promise<void> {
    await this.worker.terminate();
  }
}
