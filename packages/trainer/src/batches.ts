import type { TokenBatch } from './engine.js';

/** Copies the rows `order[from..to)` of a row-major U16 table into an int32 batch for the engine. */
export function gatherRows(
  rows: Uint16Array,
  length: number,
  order: ArrayLike<number>,
  from: number,
  to: number,
): TokenBatch {
  const batch = to - from;
  const ids = new Int32Array(batch * length);
  for (let b = 0; b < batch; b++) {
    const r = order[from + b]!;
    ids.set(rows.subarray(r * length, (r + 1) * length), b * length);
  }
  return { ids, batch, len: length };
}

/**
 * Splits one optimizer batch (rows `order[from..to)`) into micro-batches of at most `micro` rows, in
 * order. The engine averages gradients over all of them, so the split changes memory, not the update
 * (up to float summation order).
 */
export function microBatches(
  rows: Uint16Array,
  length: number,
  order: ArrayLike<number>,
  from: number,
  to: number,
  micro: number,
): TokenBatch[] {
  const out: TokenBatch[] = [];
  for (let s = from; s < to; s += micro)
    out.push(gatherRows(rows, length, order, s, Math.min(s + micro, to)));
  return out;
}

/** Identity order 0..n-1 (validation visits rows in file order). */
export function identityOrder(n: number): Uint32Array {
  const o = new Uint32Array(n);
  for (let i = 0; i < n; i++) o[i] = i;
  return o;
}
