import { describe, expect, it } from 'vitest';
import { formatBytes, formatDuration, formatNumber } from './format.js';

describe('format', () => {
  it('shows missing and non-finite numbers as a dash', () => {
    expect(formatNumber(null)).toBe('—');
    expect(formatNumber(Number.NaN)).toBe('—');
    expect(formatDuration(undefined)).toBe('—');
    expect(formatDuration(-1)).toBe('—');
  });

  it('uses exponents for tiny and huge values only', () => {
    expect(formatNumber(2.123456)).toBe('2.123');
    expect(formatNumber(0.0001)).toBe('1.00e-4');
    expect(formatNumber(0)).toBe('0');
    expect(formatNumber(12_345_678)).toBe('1.23e+7');
  });

  it('picks the two largest duration units', () => {
    expect(formatDuration(42)).toBe('42s');
    expect(formatDuration(125)).toBe('2m 5s');
    expect(formatDuration(3 * 3600 + 61)).toBe('3h 1m');
    expect(formatDuration(2 * 86400 + 5 * 3600)).toBe('2d 5h');
  });

  it('scales bytes by 1024', () => {
    expect(formatBytes(512)).toBe('512 B');
    expect(formatBytes(1536)).toBe('1.5 KiB');
    expect(formatBytes(3 * 2 ** 30)).toBe('3.0 GiB');
  });
});
