import { describe, expect, it } from 'vitest';
import { createRng } from './rng.js';
import { permutation, shuffleInPlace } from './shuffle.js';

describe('seeded shuffling', () => {
  it('permutation is a permutation, the same for the same seed, different for another', () => {
    const a = permutation(1000, createRng(1));
    expect(Array.from(a).sort((x, y) => x - y)).toEqual(Array.from({ length: 1000 }, (_, i) => i));
    expect(permutation(1000, createRng(1))).toEqual(a);
    expect(permutation(1000, createRng(2))).not.toEqual(a);
    expect(permutation(0, createRng(1)).length).toBe(0);
  });

  it('shuffleInPlace puts every item everywhere about equally often', () => {
    const rng = createRng(3);
    const counts = Array.from({ length: 4 }, () => new Array(4).fill(0));
    for (let t = 0; t < 8000; t++) {
      shuffleInPlace([0, 1, 2, 3], rng).forEach((item, pos) => {
        counts[item]![pos]++;
      });
    }
    for (const row of counts) for (const c of row) expect(Math.abs(c - 2000)).toBeLessThan(200);
  });
});
