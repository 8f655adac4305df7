import type { SamplingControls } from './controls.js';

/**
 * What the generator drives: an incremental sampler with a cache, as the model package's
 * `GenerationSession` (`next()`, `setSampling(partial)`, `tokens`, `reset(primer)`).
 */
export interface TokenSource {
  /** Samples, appends and returns the next token id. */
  next(): number;
  setSampling(update: Partial<SamplingControls>): void;
  /** Starts over, conditioned on `primer`. */
  reset(primer: readonly number[]): void;
  /** Every id the source conditions on: the primer followed by what it generated. */
  readonly tokens: ArrayLike<number>;
}

/** A module the generation worker loads by URL to build its source (the model, or a test source). */
export interface TokenSourceModule {
  createTokenSource(options: unknown): TokenSource | Promise<TokenSource>;
}
