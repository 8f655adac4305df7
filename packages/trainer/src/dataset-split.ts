import { createRng, permutation, shuffleInPlace } from '@music-transformer/vocab';

/**
 * Assigns whole source files to validation: `round(n * fraction)` of them, at least one when
 * `fraction > 0` and there are two files or more, never all. Files are taken in path order and shuffled
 * with a fork of the seed, so the split depends on the seed and the file set only. Splitting by file keeps
 * every augmented copy and window of a piece on one side (the original split rows, which leaks).
 */
export function splitByFile(paths: readonly string[], fraction: number, seed: number): Set<string> {
  const n = paths.length;
  let k = Math.round(n * fraction);
  if (fraction > 0 && n >= 2) k = Math.min(Math.max(k, 1), n - 1);
  if (n < 2) k = 0;
  const shuffled = shuffleInPlace([...paths].sort(), createRng(seed).fork('dataset/split'));
  return new Set(shuffled.slice(0, k));
}

/** Shuffles fixed-length rows (row-major) with a labelled fork of the seed; returns a new array. */
export function shuffleRows(rows: Uint16Array, length: number, seed: number, label: string): Uint16Array {
  const n = rows.length / length;
  const order = permutation(n, createRng(seed).fork(label));
  const out = new Uint16Array(rows.length);
  for (let i = 0; i < n; i++)
    out.set(rows.subarray(order[i]! * length, (order[i]! + 1) * length), i * length);
  return out;
}
