/** Uniform source in [0, 1); `createRng(seed)` from @music-transformer/vocab satisfies it. */
export interface Rng {
  next(): number;
}

/**
 * Takes next-token logits [vocab] and the tokens so far, returns new logits. Never mutates its input, so a
 * list of processors can be applied in any order to the same logits without surprises.
 */
export type LogitsProcessor = (logits: Float32Array, history: ArrayLike<number>) => Float32Array;

/** How the next token is chosen from the processed logits. */
export type SamplingMode = 'categorical' | 'argmax';

/** Sampling settings as the user gives them; `parseSamplingOptions` checks them and fills defaults. */
export interface SamplingOptions {
  /** Divides the logits; > 0, default 1 (neutral). Below 1 sharpens, above 1 flattens. */
  temperature?: number;
  /** Keep only the k most likely tokens; integer >= 1, default none (null also means none). */
  topK?: number | null;
  /** Keep the smallest set of most likely tokens whose probability reaches p; 0 < p <= 1, default 1. */
  topP?: number;
  /** 'categorical' (default) draws from the distribution, 'argmax' takes the most likely token. */
  mode?: SamplingMode;
}

/** Checked sampling settings; `topK` null = no top-k. */
export interface SamplingConfig {
  temperature: number;
  topK: number | null;
  topP: number;
  mode: SamplingMode;
}
