/**
 * The part of the model package's training engine that the loop uses (docs/architecture.md, "Training
 * engine"). Declared structurally here so the loop can be driven by any engine with this shape; the
 * default comes from `createTrainingEngine` of @music-transformer/model.
 */

/** Rows of token ids; the engine trains on inputs row[0..len-2] and targets row[1..len-1]. */
export interface TokenBatch {
  /** [batch, len] row-major. */
  ids: Int32Array;
  batch: number;
  len: number;
}

export interface StepOptions {
  lr: number;
  clipNorm?: number;
  labelSmoothing?: number;
  dropoutSeed: number;
}

export interface StepResult {
  /** Mean loss per non-pad target token over the whole step. */
  loss: number;
  tokens: number;
  correct: number;
  /** Global gradient norm before clipping. */
  gradNorm: number;
}

export interface EvalResult {
  nllSum: number;
  tokens: number;
  correct: number;
}

export interface EngineState {
  weights: Record<string, Float32Array>;
  adam: { m: Record<string, Float32Array>; v: Record<string, Float32Array>; t: number };
}

export interface TrainingEngine {
  step(microBatches: TokenBatch[], options: StepOptions): Promise<StepResult>;
  evaluate(microBatch: TokenBatch): Promise<EvalResult>;
  getState(): Promise<EngineState>;
  setState(state: EngineState): Promise<void>;
  dispose(): Promise<void>;
}

export interface EngineFactoryOptions {
  hparams: Record<string, unknown>;
  seed: number;
  workers: number;
  backend: 'auto' | 'tensorflow-gpu' | 'tensorflow' | 'wasm' | 'cpu';
  /** Target id left out of the loss (the dataset vocabulary's pad). */
  padId: number;
}

export type EngineFactory = (options: EngineFactoryOptions) => Promise<TrainingEngine>;
