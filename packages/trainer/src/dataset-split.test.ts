import { describe, expect, it } from 'vitest';
import { shuffleRows, splitByFile } from './dataset-split.js';

describe('splitByFile', () => {
  const files = Array.from({ length: 10 }, (_, i) => `f${i}.mid`);

  it('holds out round(n * fraction) whole files, the same for the same seed and any input order', () => {
    const a = splitByFile(files, 0.2, 7);
    expect(a.size).toBe(2);
    expect([...splitByFile([...files].reverse(), 0.2, 7)].sort()).toEqual([...a].sort());
    const others = [1, 2, 3, 4, 5].map((s) => [...splitByFile(files, 0.2, s)].sort().join());
    expect(new Set(others).size).toBeGreaterThan(1);
  });

  it('keeps one validation file for two files or more, none for one file or fraction 0', () => {
    expect(splitByFile(['a', 'b'], 0.2, 1).size).toBe(1);
    expect(splitByFile(['a'], 0.2, 1).size).toBe(0);
    expect(splitByFile(files, 0, 1).size).toBe(0);
    expect(splitByFile(['a', 'b'], 0.9, 1).size).toBe(1);
  });
});

describe('shuffleRows', () => {
  it('permutes whole rows deterministically', () => {
    const rows = Uint16Array.from({ length: 12 }, (_, i) => Math.floor(i / 3) * 10 + (i % 3));
    const a = shuffleRows(rows, 3, 5, 'x');
    expect(shuffleRows(rows, 3, 5, 'x')).toEqual(a);
    const asRows = (r: Uint16Array) =>
      Array.from({ length: 4 }, (_, i) => [...r.subarray(i * 3, i * 3 + 3)].join());
    expect(asRows(a).sort()).toEqual(asRows(rows).sort());
  });
});
