import { VocabError } from './errors.js';
import type { Rng } from './rng.js';

/** A slice of a piece's tokens. `tokens` is a view into the piece (no copy): do not mutate it. */
export interface TokenWindow {
  tokens: Uint16Array;
  /** Index of the first token in the piece. */
  offset: number;
  /** True when the window runs to the last token of the piece (it gets `<end>` in `buildRows`). */
  reachesEnd: boolean;
}

/**
 * The original's two windows per piece (seed-spec 3.1), with an explicit RNG: a random window of
 * n = length +- length/6 tokens anywhere in the piece, and an end window starting in
 * [max(len - length, 0), that + length/6] and running to the end, so the model sees how pieces stop.
 * Empty windows (a piece shorter than the end window's start) are left out.
 */
export function sampleWindows(tokens: Uint16Array, length: number, rng: Rng): TokenWindow[] {
  if (!Number.isInteger(length) || length < 1) {
    throw new VocabError('BAD_ARGUMENT', `sampleWindows: length must be a positive integer, got ${length}`);
  }
  const len = tokens.length;
  const spread = Math.floor(length / 6);
  const n = length - spread + rng.nextInt(2 * spread + 1);
  const start = rng.nextInt(Math.max(0, len - n) + 1);
  const lo = Math.max(len - length, 0);
  const endStart = lo + rng.nextInt(spread + 1);
  const out: TokenWindow[] = [];
  const middle = tokens.subarray(start, start + n);
  if (middle.length > 0) out.push({ tokens: middle, offset: start, reachesEnd: start + n >= len });
  if (endStart < len) out.push({ tokens: tokens.subarray(endStart), offset: endStart, reachesEnd: true });
  return out;
}
