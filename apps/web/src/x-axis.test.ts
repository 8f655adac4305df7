import { emptySeries } from '@music-transformer/dashboard/protocol';
import { describe, expect, it } from 'vitest';
import { fractionalEpochs, interpolate, xMapper } from './x-axis.js';

describe('fractionalEpochs', () => {
  it('spreads the steps of each epoch over [e, e + 1)', () => {
    expect(fractionalEpochs([1, 2, 3, 4, 5, 6], [0, 0, 0, 0, 1, 1])).toEqual([0, 0.25, 0.5, 0.75, 1, 1.25]);
  });

  it('estimates the running epoch from the previous one', () => {
    expect(fractionalEpochs([10, 20, 30, 40], [0, 0, 1, 1])).toEqual([0, 0.5, 1, 1.5]);
  });

  it('handles a single unfinished epoch', () => {
    expect(fractionalEpochs([0, 1, 2, 3], [0, 0, 0, 0])).toEqual([0, 0.25, 0.5, 0.75]);
  });
});

describe('interpolate', () => {
  it('is linear inside and clamps outside', () => {
    expect(interpolate([0, 10], [0, 1], 5)).toBe(0.5);
    expect(interpolate([0, 10], [0, 1], -1)).toBe(0);
    expect(interpolate([0, 10], [0, 1], 99)).toBe(1);
    expect(interpolate([], [], 1)).toBeNaN();
  });
});

describe('xMapper', () => {
  it('places validation and checkpoint steps on the fractional epoch axis', () => {
    const s = emptySeries();
    for (const [step, epoch] of [
      [1, 0],
      [2, 0],
      [3, 1],
      [4, 1],
    ] as const) {
      s.train.step.push(step);
      s.train.epoch.push(epoch);
      s.train.time.push(step * 1000);
    }
    s.validation.step.push(3);
    s.validation.epoch.push(1);
    const m = xMapper(s, 'epoch');
    expect(m.train).toEqual([0, 0.5, 1, 1.5]);
    expect(m.validation).toEqual([1]);
    expect(m.atStep(2.5, 0)).toBe(0.75);
  });
});
