import type { BackendChoice } from '../backend-choice.js';
import type { HParams } from '../hparams.js';
import type { EvalResult, TokenBatch } from './types.js';

/** workerData of a replica worker. */
export interface WorkerInit {
  hparams: HParams;
  flat: Float32Array;
  backend: BackendChoice;
  padId: number;
}

export type WorkerRequest =
  | { id: number; type: 'grads'; batches: TokenBatch[]; seeds: number[]; labelSmoothing: number }
  | { id: number; type: 'setFlat'; flat: Float32Array }
  | { id: number; type: 'evaluate'; batch: TokenBatch };

/** A request before the client numbers it. */
export type WorkerRequestBody = WorkerRequest extends infer R
  ? R extends unknown
    ? Omit<R, 'id'>
    : never
  : never;

export type WorkerResponse =
  | { type: 'ready'; backend: string }
  | { type: 'fatal'; message: string }
  | { id: number; type: 'grads'; grad: Float32Array; nllSum: number; tokens: number; correct: number }
  | { id: number; type: 'setFlat' }
  | ({ id: number; type: 'evaluate' } & EvalResult)
  | { id: number; type: 'error'; message: string };
