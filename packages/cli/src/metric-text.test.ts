import { describe, expect, it } from 'vitest';
import { metricText } from './metric-text.js';

describe('metricText', () => {
  it('fixes finite values and names null and NaN as non-finite', () => {
    expect(metricText(1.23456, 3)).toBe('1.235');
    expect(metricText(null, 3)).toBe('non-finite');
    expect(metricText(Number.NaN, 2)).toBe('non-finite');
  });
});
