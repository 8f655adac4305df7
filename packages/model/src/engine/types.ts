import type { BackendChoice } from '../backend-choice.js';
import type { HParams } from '../hparams.js';

/** Rows of token ids, [batch, len] row-major; the engine trains on row[0..len-2] -> row[1..len-1]. */
export interface TokenBatch {
  ids: Int32Array;
  batch: number;
  len: number;
}

export interface StepOptions {
  lr: number;
  /** Clip the global gradient norm to this value (no clipping when absent). */
  clipNorm?: number;
  /** Label smoothing of the training loss, in [0, 1); the reported loss stays the plain NLL. */
  labelSmoothing?: number;
  /** Dropout masks of micro-batch i derive from (dropoutSeed, i): a resumed run draws the same masks. */
  dropoutSeed: number;
}

export interface StepResult {
  /** Mean NLL per non-pad target over all micro-batches of the step (before the update). */
  loss: number;
  tokens: number;
  correct: number;
  /** Global L2 norm of the averaged gradient, before clipping. */
  gradNorm: number;
}

export interface EvalResult {
  nllSum: number;
  tokens: number;
  correct: number;
}

/** Everything needed for an exact resume. Names are the state_dict names. */
export interface EngineState {
  weights: Record<string, Float32Array>;
  adam: { m: Record<string, Float32Array>; v: Record<string, Float32Array>; t: number };
}

export interface TrainingEngineOptions {
  hparams: HParams;
  /** Initialisation seed (ignored for the weights when `weights` is given). */
  seed: number;
  /** Data-parallel worker threads; 1 trains in-process. */
  workers?: number;
  backend?: BackendChoice;
  /** Start from these weights instead of a fresh init. */
  weights?: Record<string, Float32Array>;
  /** Target id excluded from the loss (the vocabulary's pad; 0 for the seed vocabulary). */
  padId?: number;
}

export interface TrainingEngine {
  /** Backend actually used (by every replica). */
  readonly backend: string;
  readonly workers: number;
  step(microBatches: TokenBatch[], options: StepOptions): Promise<StepResult>;
  /** Loss sums without dropout or gradient tape. */
  evaluate(microBatch: TokenBatch): Promise<EvalResult>;
  getState(): Promise<EngineState>;
  setState(state: EngineState): Promise<void>;
  dispose(): Promise<void>;
}
