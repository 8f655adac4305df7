import { describe, expect, it } from 'vitest';
import { ArrivalStamps } from './arrival-stamps.js';

describe('ArrivalStamps', () => {
  it('keeps native spacing when callbacks run late, and re-anchors on a prompt callback', () => {
    const s = new ArrivalStamps();
    expect(s.stamp(0, 1136)).toBe(1136); // first callback 136 ms late: nothing better known yet
    expect(s.stamp(0.4, 1400)).toBe(1400); // prompt: the anchor moves 136 ms earlier
    expect(s.stamp(0.4, 1950)).toBeCloseTo(1800); // late callback: spacing from the native delta
  });
});
