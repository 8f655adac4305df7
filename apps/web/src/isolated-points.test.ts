import { describe, expect, it } from 'vitest';
import { isolatedIndices, positiveOnly } from './isolated-points.js';

describe('isolated points', () => {
  it('finds a single value', () => {
    expect(isolatedIndices([42])).toEqual([0]);
    expect(isolatedIndices([undefined, 3, undefined])).toEqual([1]);
  });

  it('finds values between gaps, but not values joined across missing cells', () => {
    expect(isolatedIndices([1, null, 2, null, 3, 4])).toEqual([0, 2]);
    expect(isolatedIndices([1, undefined, undefined, 2])).toBeNull();
    expect(isolatedIndices([null, 5, undefined, null])).toEqual([1]);
  });

  it('finds nothing in a connected line or an empty one', () => {
    expect(isolatedIndices([1, 2, 3])).toBeNull();
    expect(isolatedIndices([])).toBeNull();
    expect(isolatedIndices([null, undefined])).toBeNull();
  });

  it('turns non-positive values into gaps for a log axis', () => {
    expect(positiveOnly([0, -1, 0.5, null, undefined, 3])).toEqual([null, null, 0.5, null, undefined, 3]);
  });
});
