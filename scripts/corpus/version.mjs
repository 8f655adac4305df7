// @ts-check
/**
 * Compares dotted numeric versions ('2.6.1' vs '2.6'); pre-release suffixes are ignored.
 * @param {string} a
 * @param {string} b
 * @returns {number} negative, 0 or positive
 */
export function compareVersions(a, b) {
  const parts = (/** @type {string} */ v) =>
    v
      .split('-')[0]
      .split('.')
      .map((x) => Number.parseInt(x, 10) || 0);
  const pa = parts(a);
  const pb = parts(b);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}
