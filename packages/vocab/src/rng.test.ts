import { describe, expect, it } from 'vitest';
import { VocabError } from './errors.js';
import { createRng, restoreRng } from './rng.js';

describe('rng', () => {
  it('matches the xoshiro128** reference output for state [1, 2, 3, 4]', () => {
    const rng = restoreRng({ algorithm: 'xoshiro128**', key: [0, 0, 0, 0], s: [1, 2, 3, 4] });
    const got = Array.from({ length: 8 }, () => rng.nextUint32());
    expect(got).toEqual([11520, 0, 5927040, 70819200, 2031721883, 1637235492, 1287239034, 3734860849]);
  });

  it('gives the same stream for the same seed and different streams for different seeds', () => {
    const a = createRng(42);
    const b = createRng(42);
    const c = createRng(43);
    const xs = Array.from({ length: 100 }, () => a.next());
    expect(Array.from({ length: 100 }, () => b.next())).toEqual(xs);
    expect(Array.from({ length: 100 }, () => c.next())).not.toEqual(xs);
    for (const x of xs) expect(x >= 0 && x < 1).toBe(true);
    // 0 and negative seeds are real seeds, not "no seed".
    expect(createRng(0).next()).not.toBe(createRng(-1).next());
  });

  it('restores from a JSON round trip of its state and continues identically', () => {
    const a = createRng(7);
    for (let i = 0; i < 13; i++) a.next();
    const b = restoreRng(JSON.parse(JSON.stringify(a.getState())));
    expect(Array.from({ length: 50 }, () => b.nextInt(1000))).toEqual(
      Array.from({ length: 50 }, () => a.nextInt(1000)),
    );
    expect(b.fork('x').next()).toBe(a.fork('x').next());
  });

  it('forks by label independently of how many numbers were drawn', () => {
    const a = createRng(5);
    const before = a.fork('shuffle').next();
    for (let i = 0; i < 10; i++) a.next();
    expect(a.fork('shuffle').next()).toBe(before);
    expect(a.fork('windows').next()).not.toBe(before);
    expect(a.fork('shuffle').fork('x').next()).not.toBe(a.fork('x').next());
  });

  it('nextInt is uniform enough (chi-square over 10 buckets)', () => {
    const rng = createRng(99);
    const counts = new Array(10).fill(0);
    const n = 20000;
    for (let i = 0; i < n; i++) counts[rng.nextInt(10)]++;
    const chi = counts.reduce((s, c) => s + (c - n / 10) ** 2 / (n / 10), 0);
    expect(chi).toBeLessThan(27.9); // p = 0.001 for 9 degrees of freedom
    expect(rng.nextInt(1)).toBe(0);
  });

  it('rejects bad seeds, bounds and states with VocabError', () => {
    expect(() => createRng(1.5)).toThrow(VocabError);
    expect(() => createRng(1.5)).toThrow(/seed must be a safe integer, got 1.5/);
    expect(() => createRng(1).nextInt(0)).toThrow(/nextInt/);
    expect(() => restoreRng({ algorithm: 'xoshiro128**', key: [0, 0, 0, 0], s: [0, 0, 0, 0] })).toThrow(
      VocabError,
    );
    expect(() => restoreRng({ s: [1, 2, 3] })).toThrow(/restoreRng/);
    try {
      restoreRng(null);
    } catch (e) {
      expect((e as VocabError).code).toBe('BAD_ARGUMENT');
    }
  });
});
