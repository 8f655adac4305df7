import type { RunSeries } from '@music-transformer/dashboard/protocol';

export type XAxis = 'step' | 'epoch' | 'time';

/**
 * Fractional epochs for train records: epoch e plus the position of the step inside that epoch, so
 * points inside one epoch spread out instead of stacking on an integer. The length of an epoch is its
 * step count when a later epoch exists, else the previous epoch's (the current epoch is not over).
 */
export function fractionalEpochs(steps: readonly number[], epochs: readonly number[]): number[] {
  const first = new Map<number, number>(); // epoch -> first step
  const last = new Map<number, number>(); // epoch -> last step
  for (let i = 0; i < steps.length; i++) {
    const e = epochs[i] as number;
    const s = steps[i] as number;
    if (!first.has(e)) first.set(e, s);
    last.set(e, s);
  }
  const order = [...first.keys()].sort((a, b) => a - b);
  const length = new Map<number, number>();
  order.forEach((e, k) => {
    const next = order[k + 1];
    if (next !== undefined) length.set(e, (first.get(next) as number) - (first.get(e) as number));
    else {
      const prev = order[k - 1];
      const estimate = prev !== undefined ? length.get(prev) : undefined;
      length.set(e, estimate ?? (last.get(e) as number) - (first.get(e) as number) + 1);
    }
  });
  return steps.map((s, i) => {
    const e = epochs[i] as number;
    const len = Math.max(1, length.get(e) as number);
    return e + Math.min(0.999, (s - (first.get(e) as number)) / len);
  });
}

/** Maps any step to the x of the chosen axis, interpolating between train records (for markers). */
export interface XMapper {
  train: number[];
  validation: number[];
  atStep(step: number, time: number): number;
}

export function xMapper(series: RunSeries, axis: XAxis): XMapper {
  const t = series.train;
  const v = series.validation;
  if (axis === 'step') return { train: t.step, validation: v.step, atStep: (s) => s };
  if (axis === 'time') return { train: t.time, validation: v.time, atStep: (_s, time) => time };
  const trainX = fractionalEpochs(t.step, t.epoch);
  const atStep = (step: number): number => interpolate(t.step, trainX, step);
  return {
    train: trainX,
    validation: v.step.map((s, i) => (t.step.length > 0 ? atStep(s) : (v.epoch[i] as number))),
    atStep,
  };
}

/** Linear interpolation of y at x over increasing xs; clamps outside the range. */
export function interpolate(xs: readonly number[], ys: readonly number[], x: number): number {
  const n = xs.length;
  if (n === 0) return Number.NaN;
  if (x <= (xs[0] as number)) return ys[0] as number;
  if (x >= (xs[n - 1] as number)) return ys[n - 1] as number;
  let lo = 0;
  let hi = n - 1;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if ((xs[mid] as number) <= x) lo = mid;
    else hi = mid;
  }
  const x0 = xs[lo] as number;
  const x1 = xs[hi] as number;
  const y0 = ys[lo] as number;
  const y1 = ys[hi] as number;
  return x1 === x0 ? y0 : y0 + ((x - x0) / (x1 - x0)) * (y1 - y0);
}
