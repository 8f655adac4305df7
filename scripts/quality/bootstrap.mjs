// @ts-check
/**
 * Percentile-bootstrap intervals of a batch's figures. Notes/s and the pitch-class distance are ratios
 * over all of a batch's files, and a few dense pieces in one key can carry them: two batches of the
 * same model differ by more than two models often do. Resampling the files with replacement shows by
 * how much, so that a comparison between models can say whether it separates them at all.
 */
import { quantile } from '@music-transformer/test-midi';
import { addCounts, notesPerSecond, totalVariation } from './histogram.mjs';

/**
 * @typedef {{ notes: number, seconds: number, pitchClassHistogram: readonly number[] }} FileFigures
 * @typedef {{ resamples: number, level: number, notesPerSecond: [number, number] | null,
 *   pitchClassTvd: [number, number] | null }} Intervals
 */

/**
 * @param {readonly FileFigures[]} files the batch, one entry per file
 * @param {readonly number[] | null} reference the reference's pitch-class counts (null: no distance)
 * @param {{ resamples: number, level?: number, nextInt: (n: number) => number }} options
 *   `nextInt(n)` draws a uniform integer in [0, n) (a seeded generator makes the intervals reproducible)
 * @returns {Intervals}
 */
export function bootstrapIntervals(files, reference, { resamples, level = 0.95, nextInt }) {
  if (!(Number.isInteger(resamples) && resamples >= 1)) {
    throw new RangeError(`resamples must be an integer >= 1, got ${resamples}`);
  }
  if (!(level > 0 && level < 1)) throw new RangeError(`level must be in (0, 1), got ${level}`);
  /** @type {number[]} */
  const rates = [];
  /** @type {number[]} */
  const distances = [];
  const n = files.length;
  for (let r = 0; r < resamples && n > 0; r++) {
    let notes = 0;
    let seconds = 0;
    const histogram = new Array(12).fill(0);
    for (let i = 0; i < n; i++) {
      const f = files[nextInt(n)];
      notes += f.notes;
      seconds += f.seconds;
      addCounts(histogram, f.pitchClassHistogram);
    }
    const rate = notesPerSecond(notes, seconds);
    if (rate !== null) rates.push(rate);
    const d = reference === null ? null : totalVariation(histogram, reference);
    if (d !== null) distances.push(d);
  }
  const tail = (1 - level) / 2;
  /** @param {number[]} xs @returns {[number, number] | null} */
  const interval = (xs) => (xs.length === 0 ? null : [quantile(xs, tail), quantile(xs, 1 - tail)]);
  return { resamples, level, notesPerSecond: interval(rates), pitchClassTvd: interval(distances) };
}
