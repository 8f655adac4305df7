import type { SamplingControls } from './controls.js';

/** Messages from the bridge (main thread) to the generation worker. */
export type ToWorker =
  | { type: 'request'; count: number }
  | { type: 'reset'; primer: number[]; epoch: number }
  | { type: 'sampling'; controls: Partial<SamplingControls> }
  | { type: 'close' };

/** Messages from the generation worker to the bridge. */
export type FromWorker =
  | { type: 'ready' }
  | { type: 'tokens'; ids: number[]; epoch: number; busyMs: number }
  | { type: 'primed'; tokens: number[]; epoch: number }
  | { type: 'error'; message: string; stack?: string };

/** What the worker is started with. */
export interface WorkerInit {
  /** URL of an ES module exporting `createTokenSource(options)` (see TokenSourceModule). */
  sourceModule: string;
  /** Passed to `createTokenSource`; must be structured-cloneable. */
  sourceOptions: unknown;
}
