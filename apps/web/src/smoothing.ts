/**
 * Exponential moving average with TensorBoard's debiasing: early points are divided by (1 - w^n) so
 * the curve does not start near zero. `weight` 0 returns the input; null and non-finite values pass
 * through unchanged and do not disturb the average (a NaN loss, logged as null, shows as a gap, not a
 * poisoned curve).
 */
export function smooth(values: readonly (number | null)[], weight: number): (number | null)[] {
  if (!(weight >= 0 && weight < 1)) throw new RangeError(`smoothing weight must be in [0, 1), got ${weight}`);
  if (weight === 0) return values.slice();
  const out = new Array<number | null>(values.length);
  let last = 0;
  let n = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i] as number | null;
    if (v === null || !Number.isFinite(v)) {
      out[i] = v;
      continue;
    }
    last = last * weight + (1 - weight) * v;
    n++;
    out[i] = last / (1 - weight ** n);
  }
  return out;
}
