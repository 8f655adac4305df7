// @ts-check
/** Comparing pitch-class histograms and note rates of samples with a reference corpus. */

/**
 * Counts -> probabilities (all zeros stay all zeros, so an empty histogram is recognisable).
 * @param {readonly number[]} counts
 * @returns {number[]}
 */
export function normalise(counts) {
  const sum = counts.reduce((a, b) => a + b, 0);
  return counts.map((c) => (sum === 0 ? 0 : c / sum));
}

/**
 * Total variation distance 0.5 * sum |p - q| of two count histograms of the same length: 0 = same
 * distribution, 1 = disjoint. null when either histogram is empty.
 * @param {readonly number[]} a
 * @param {readonly number[]} b
 * @returns {number | null}
 */
export function totalVariation(a, b) {
  if (a.length !== b.length) throw new RangeError(`histograms of ${a.length} and ${b.length} bins`);
  const p = normalise(a);
  const q = normalise(b);
  if (p.every((x) => x === 0) || q.every((x) => x === 0)) return null;
  let d = 0;
  for (let i = 0; i < p.length; i++) d += Math.abs(p[i] - q[i]);
  return d / 2;
}

/**
 * @param {number} notes
 * @param {number} seconds
 * @returns {number | null} null when no time passed
 */
export const notesPerSecond = (notes, seconds) => (seconds > 0 ? notes / seconds : null);

/** @param {number | null} x */
export const round4 = (x) => (x === null ? null : Math.round(x * 10000) / 10000);

/**
 * Adds `counts` into `into` bin by bin (histograms of the same length).
 * @param {number[]} into
 * @param {readonly number[]} counts
 */
export function addCounts(into, counts) {
  for (let i = 0; i < into.length; i++) into[i] += counts[i] ?? 0;
}
