import { describe, expect, it } from 'vitest';
import { smooth } from './smoothing.js';

describe('smooth', () => {
  it('returns a copy when the weight is 0', () => {
    const input = [3, 1, 2];
    const out = smooth(input, 0);
    expect(out).toEqual([3, 1, 2]);
    expect(out).not.toBe(input);
  });

  it('is debiased: a constant series stays constant from the first point', () => {
    expect(smooth([5, 5, 5, 5], 0.9).map((v) => Number((v as number).toFixed(12)))).toEqual([5, 5, 5, 5]);
  });

  it('matches the EMA by hand', () => {
    // w = 0.5: ema1 = 0.5*2 = 1 -> /0.5 = 2; ema2 = 0.5*1 + 0.5*4 = 2.5 -> /0.75 = 3.333...
    const [a, b] = smooth([2, 4], 0.5);
    expect(a).toBeCloseTo(2, 12);
    expect(b).toBeCloseTo(10 / 3, 12);
  });

  it('lets NaN through without poisoning later points', () => {
    const out = smooth([1, Number.NaN, 1], 0.6);
    expect(out[1]).toBeNaN();
    expect(out[2]).toBeCloseTo(1, 12);
  });

  it('keeps a null (a NaN the trainer logged) as a gap and smooths across it', () => {
    const out = smooth([2, null, 4], 0.5);
    expect(out[1]).toBeNull();
    expect(out[2]).toBeCloseTo(10 / 3, 12); // as if the null were not there
  });

  it('rejects a weight outside [0, 1)', () => {
    expect(() => smooth([1], 1)).toThrow(/\[0, 1\), got 1/);
    expect(() => smooth([1], -0.1)).toThrow(RangeError);
  });
});
