import { ModelError } from '../errors.js';
import type { Rng, SamplingMode } from './types.js';

/** Index of the largest logit (the lowest such index on ties). */
export function argmax(logits: Float32Array): number {
  let best = 0;
  let bestValue = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < logits.length; i++) {
    const v = logits[i]!;
    if (v > bestValue) {
      bestValue = v;
      best = i;
    }
  }
  if (bestValue === Number.NEGATIVE_INFINITY || Number.isNaN(bestValue)) {
    throw new ModelError('BAD_INPUT', 'argmax: every logit is -Infinity or NaN, no token can be chosen');
  }
  return best;
}

/**
 * Draws one id from softmax(logits) with a single `rng.next()`, so every step consumes the stream the same
 * way and a seed reproduces a whole generation. Works in float64 after subtracting the max (no overflow).
 */
export function sampleCategorical(logits: Float32Array, rng: Rng): number {
  const max = logits[argmax(logits)]!;
  const weights = new Float64Array(logits.length);
  let total = 0;
  for (let i = 0; i < logits.length; i++) {
    const w = Math.exp(logits[i]! - max);
    weights[i] = w;
    total += w;
  }
  let u = rng.next() * total;
  let last = 0;
  for (let i = 0; i < weights.length; i++) {
    const w = weights[i]!;
    if (w === 0) continue;
    last = i;
    u -= w;
    if (u < 0) return i;
  }
  return last; // float round-off left u a hair above 0: the last id with non-zero weight
}

/** Chooses the next token from processed logits. */
export function chooseToken(logits: Float32Array, mode: SamplingMode, rng: Rng): number {
  return mode === 'argmax' ? argmax(logits) : sampleCategorical(logits, rng);
}
