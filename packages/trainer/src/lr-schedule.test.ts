import { describe, expect, it } from 'vitest';
import { transformerLr } from './lr-schedule.js';

describe('transformerLr', () => {
  it('starts at d^-0.5 * warmup^-1.5 on the first update, not ~1e-12 as the original', () => {
    expect(transformerLr(1, 128, 2000)).toBeCloseTo(128 ** -0.5 * 2000 ** -1.5, 15);
    expect(transformerLr(1, 128, 2000)).toBeGreaterThan(1e-7);
  });

  it('peaks at step = warmup (1.98e-3 for d_model 128, warmup 2000) and decays as step^-0.5', () => {
    const peak = transformerLr(2000, 128, 2000);
    expect(peak).toBeCloseTo(1.976e-3, 5);
    expect(transformerLr(1999, 128, 2000)).toBeLessThan(peak);
    expect(transformerLr(2001, 128, 2000)).toBeLessThan(peak);
    expect(transformerLr(8000, 128, 2000)).toBeCloseTo(peak / 2, 12);
  });

  it('rises linearly during warmup', () => {
    expect(transformerLr(1000, 128, 2000)).toBeCloseTo(1000 * transformerLr(1, 128, 2000), 12);
  });

  it('refuses step 0 and bad settings with BAD_OPTIONS', () => {
    expect(() => transformerLr(0, 128, 2000)).toThrow(expect.objectContaining({ code: 'BAD_OPTIONS' }));
    expect(() => transformerLr(1, 0, 2000)).toThrow(/dModel/);
    expect(() => transformerLr(1, 128, -1)).toThrow(/warmup/);
  });
});
