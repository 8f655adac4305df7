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
 * How a piece is cut into training windows:
 * - `random`: `count` random windows of length +- length/6 plus the end window (`sampleWindows`);
 *   `count: 1` is the original project's scheme and the default.
 * - `tile`: consecutive windows of `length` tokens covering every token once (`tileWindows`), so a
 *   small corpus is used whole.
 */
export type WindowScheme = { kind: 'random'; count: number } | { kind: 'tile' };

/** The original project's scheme: one random window and the end window per piece. */
export const ORIGINAL_WINDOWS: WindowScheme = Object.freeze({ kind: 'random', count: 1 });

/** Throws `BAD_ARGUMENT` naming the value unless `scheme` is a valid `WindowScheme`. */
export function checkWindowScheme(scheme: WindowScheme): WindowScheme {
  const s = scheme as { kind?: unknown; count?: unknown } | null | undefined;
  const ok =
    s?.kind === 'tile' ||
    (s?.kind === 'random' && typeof s.count === 'number' && Number.isInteger(s.count) && s.count >= 1);
  if (!ok) {
    throw new VocabError(
      'BAD_ARGUMENT',
      `window scheme must be { kind: 'random', count: integer >= 1 } or { kind: 'tile' }, got ${JSON.stringify(scheme)}`,
    );
  }
  return scheme;
}

function checkLength(fn: string, length: number): void {
  if (!Number.isInteger(length) || length < 1) {
    throw new VocabError('BAD_ARGUMENT', `${fn}: length must be a positive integer, got ${length}`);
  }
}

/**
 * The original's windows (docs/original-project.md), with an explicit RNG: `count` random windows of
 * n = length +- length/6 tokens anywhere in the piece, then an end window starting in
 * [max(len - length, 0), that + length/6] and running to the end, so the model sees how pieces stop.
 * Each random window draws its size, then its start; the end window draws last, so `count: 1` (the
 * default) consumes the RNG exactly as the original two windows did. Empty windows (a piece shorter
 * than the end window's start) are left out.
 */
export function sampleWindows(tokens: Uint16Array, length: number, rng: Rng, count = 1): TokenWindow[] {
  checkLength('sampleWindows', length);
  if (!Number.isInteger(count) || count < 1) {
    throw new VocabError('BAD_ARGUMENT', `sampleWindows: count must be a positive integer, got ${count}`);
  }
  const len = tokens.length;
  const spread = Math.floor(length / 6);
  const out: TokenWindow[] = [];
  for (let i = 0; i < count; i++) {
    const n = length - spread + rng.nextInt(2 * spread + 1);
    const start = rng.nextInt(Math.max(0, len - n) + 1);
    const middle = tokens.subarray(start, start + n);
    if (middle.length > 0) out.push({ tokens: middle, offset: start, reachesEnd: start + n >= len });
  }
  const lo = Math.max(len - length, 0);
  const endStart = lo + rng.nextInt(spread + 1);
  if (endStart < len) out.push({ tokens: tokens.subarray(endStart), offset: endStart, reachesEnd: true });
  return out;
}

/**
 * Consecutive windows of `length` tokens covering every token of the piece exactly once, in order; the
 * last one reaches the end (`<end>` in `buildRows`). The first cut falls at a random phase, so another
 * seed cuts the piece elsewhere. The first and the last window may be shorter than `length`, but never
 * shorter than length/6 (the original's spread): the phase is drawn uniformly among the cuts that leave
 * no such stub, because a stub row would be mostly padding, and an end-window stub would teach the model
 * that music stops a few tokens after `<start>`. Merging a stub into its neighbour is no option: the
 * neighbour would outgrow the row. A piece of at most `length` tokens is one window and draws nothing.
 */
export function tileWindows(tokens: Uint16Array, length: number, rng: Rng): TokenWindow[] {
  checkLength('tileWindows', length);
  const len = tokens.length;
  if (len === 0) return [];
  if (len <= length) return [{ tokens, offset: 0, reachesEnd: true }];
  const stub = Math.max(1, Math.floor(length / 6));
  // With the first cut at `first`, the end window holds lastLength(first) tokens (1..length).
  const lastLength = (first: number) => ((len - first - 1) % length) + 1;
  const fits = (first: number) => lastLength(first) >= stub;
  // At most stub - 1 of the length - stub + 1 phases leave an end stub, so `choices` >= 1.
  let choices = 0;
  for (let first = stub; first <= length; first++) if (fits(first)) choices++;
  let pick = rng.nextInt(choices);
  let first = stub;
  while (!fits(first) || pick-- > 0) first++;
  const out: TokenWindow[] = [{ tokens: tokens.subarray(0, first), offset: 0, reachesEnd: false }];
  for (let start = first; start < len; start += length) {
    const end = Math.min(start + length, len);
    out.push({ tokens: tokens.subarray(start, end), offset: start, reachesEnd: end === len });
  }
  return out;
}

/** The windows of one piece under `scheme` (`length`: see `sampleWindows` and `tileWindows`). */
export function cutWindows(
  tokens: Uint16Array,
  length: number,
  scheme: WindowScheme,
  rng: Rng,
): TokenWindow[] {
  return scheme.kind === 'tile'
    ? tileWindows(tokens, length, rng)
    : sampleWindows(tokens, length, rng, scheme.count);
}
