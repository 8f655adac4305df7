import { VocabError } from './errors.js';
import type { Vocab } from './vocab.js';

/** Total time steps of the shift tokens in `tokens`. */
export function shiftSteps(tokens: ArrayLike<number>, vocab: Vocab): number {
  const { first, count } = vocab.ranges.time_shift;
  let total = 0;
  for (let i = 0; i < tokens.length; i++) {
    const id = tokens[i]!;
    if (id >= first && id < first + count) total += id - first + 1;
  }
  return total;
}

/** Room `stretchInto` may need: each run of shifts adds at most one partial token; runs + other ids <= n. */
export function stretchCapacity(length: number, totalSteps: number, factor: number, vocab: Vocab): number {
  return length + Math.ceil((totalSteps * factor) / vocab.ranges.time_shift.count) + 1;
}

/**
 * Writes `src` stretched by `factor` into `dst` from index `at`; returns the number of ids written.
 * `dst` needs `stretchCapacity(...)` free slots. Allocation-free kernel behind `stretch` and `buildRows`.
 */
export function stretchInto(
  src: ArrayLike<number>,
  factor: number,
  vocab: Vocab,
  dst: Uint16Array,
  at: number,
): number {
  const { first, count: maxShift } = vocab.ranges.time_shift;
  const n = src.length;
  let len = at;
  let t = 0; // original time in steps
  let written = 0; // stretched time already emitted
  let pending = false;
  // i === n flushes the trailing shifts, so they stay in this window.
  for (let i = 0; i <= n; i++) {
    const id = i < n ? src[i]! : -1;
    if (id >= first && id < first + maxShift) {
      t += id - first + 1;
      pending = true;
      continue;
    }
    if (pending) {
      // Absolute rescaling: each event lands at round(t * factor), so rounding never accumulates.
      const target = Math.floor(t * factor + 0.5);
      let gap = target - written;
      while (gap > maxShift) {
        dst[len++] = first + maxShift - 1;
        gap -= maxShift;
      }
      if (gap > 0) dst[len++] = first + gap - 1;
      written = target;
      pending = false;
    }
    if (id >= 0) dst[len++] = id;
  }
  return len - at;
}

/**
 * Scales time by `factor` (> 1 slower). Times are rescaled from the absolute position of each event,
 * rounded half up to the step grid, so rounding never accumulates; trailing time shifts are rescaled too
 * and stay in this window (the original lengthened every shift by one step and carried trailing time
 * into the next window). Runs of shifts come out in canonical form (full shifts, then the remainder).
 */
export function stretch(tokens: ArrayLike<number>, factor: number, vocab: Vocab): Uint16Array {
  if (!Number.isFinite(factor) || factor <= 0) {
    throw new VocabError('BAD_ARGUMENT', `stretch: factor must be a positive number, got ${factor}`);
  }
  const out = new Uint16Array(stretchCapacity(tokens.length, shiftSteps(tokens, vocab), factor, vocab));
  const len = stretchInto(tokens, factor, vocab, out, 0);
  return out.slice(0, len);
}
