import { describe, expect, it } from 'vitest';
import { testRng } from '../generation/test-utils/random-weights.js';
import { buildProcessors } from './build.js';
import { argmax, chooseToken, sampleCategorical } from './choose.js';
import { parseSamplingOptions } from './config.js';
import { applyProcessors, suppressIds, suppressSpecials, temperature, topK, topP } from './processors.js';

const logits = Float32Array.from([0.5, 2, -1, 3, 3, 0, 1.5, -4]);
const kept = (l: Float32Array) => [...l.keys()].filter((i) => l[i] !== Number.NEGATIVE_INFINITY);
const softmax = (l: Float32Array) => {
  const m = Math.max(...l);
  const e = [...l].map((x) => Math.exp(x - m));
  const s = e.reduce((a, b) => a + b, 0);
  return e.map((x) => x / s);
};

describe('logits processors', () => {
  it('top-k keeps exactly the k largest, lower id first on ties, and does not mutate its input', () => {
    const before = logits.slice();
    expect(kept(topK(3)(logits, []))).toEqual([1, 3, 4]);
    expect(kept(topK(1)(logits, []))).toEqual([3]); // 3 and 4 tie; the lower id wins
    expect(kept(topK(100)(logits, []))).toHaveLength(logits.length);
    expect(topK(3)(logits, [])[3]).toBe(3);
    expect(logits).toEqual(before);
  });

  it('top-p keeps the smallest most-likely set whose mass reaches p', () => {
    const probs = softmax(logits);
    for (const p of [0.05, 0.3, 0.5, 0.8, 0.95, 0.999]) {
      const ids = kept(topP(p)(logits, []));
      const mass = ids.reduce((a, i) => a + probs[i]!, 0);
      expect(mass).toBeGreaterThanOrEqual(p - 1e-9);
      // minimal: dropping the least likely kept id falls below p
      const weakest = Math.min(...ids.map((i) => probs[i]!));
      expect(mass - weakest).toBeLessThan(p);
    }
    expect(kept(topP(1)(logits, []))).toHaveLength(logits.length);
  });

  it('top-k and top-p agree with a naive sort-the-ids reference, ties included', () => {
    const rng = testRng(2);
    const naive = (l: Float32Array, keep: (sortedProbs: number[]) => number) => {
      const ids = [...l.keys()].sort((a, b) => l[b]! - l[a]! || a - b);
      const probs = softmax(Float32Array.from(ids.map((i) => l[i]!)));
      return ids.slice(0, keep(probs)).sort((a, b) => a - b);
    };
    for (let trial = 0; trial < 200; trial++) {
      // coarse values so that ties are common, some ids suppressed
      const l = Float32Array.from({ length: 40 }, () =>
        rng.next() < 0.1 ? Number.NEGATIVE_INFINITY : Math.round(rng.next() * 8),
      );
      const k = 1 + Math.floor(rng.next() * 10);
      expect(kept(topK(k)(l, []))).toEqual(naive(l, () => k));
      const p = 0.05 + 0.95 * rng.next();
      const byMass = (probs: number[]) => {
        let mass = 0;
        for (let i = 0; i < probs.length; i++) {
          mass += probs[i]!;
          if (mass >= p - 1e-12) return i + 1;
        }
        return probs.length;
      };
      expect(kept(topP(p)(l, []))).toEqual(naive(l, byMass));
    }
  });

  it('temperature divides and suppression removes ids', () => {
    expect([...temperature(2)(logits, [])]).toEqual([...logits].map((x) => x / 2));
    expect(kept(suppressIds([0, 3])(logits, []))).toEqual([1, 2, 4, 5, 6, 7]);
  });

  it('never allows pad, and allows start only at the first position', () => {
    const s = suppressSpecials({ pad: 0, start: 6 });
    expect(kept(s(logits, []))).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(kept(s(logits, [6]))).toEqual([1, 2, 3, 4, 5, 7]);
  });

  it('buildProcessors skips neutral settings and keeps only suppression for argmax', () => {
    const specials = { pad: 0, start: 6 };
    expect(buildProcessors(parseSamplingOptions({}), specials)).toHaveLength(1);
    expect(
      buildProcessors(parseSamplingOptions({ temperature: 0.9, topK: 4, topP: 0.9 }), specials),
    ).toHaveLength(4);
    expect(
      buildProcessors(parseSamplingOptions({ temperature: 0.9, mode: 'argmax' }), specials),
    ).toHaveLength(1);
    // suppression runs before top-k, so a suppressed id never takes a slot
    const out = applyProcessors(
      buildProcessors(parseSamplingOptions({ topK: 2 }), { pad: 3, start: 6 }),
      logits,
      [6],
    );
    expect(kept(out)).toEqual([1, 4]);
  });
});

describe('choosing a token', () => {
  it('argmax takes the first maximum; an all -Infinity row is an error', () => {
    expect(argmax(logits)).toBe(3);
    expect(() => argmax(new Float32Array(3).fill(Number.NEGATIVE_INFINITY))).toThrow(
      expect.objectContaining({ code: 'BAD_INPUT' }),
    );
  });

  it('categorical sampling follows softmax and never picks a suppressed id', () => {
    const probs = softmax(logits);
    const masked = suppressIds([3])(logits, []);
    const rng = testRng(11);
    const counts = new Array(logits.length).fill(0);
    const n = 20000;
    for (let i = 0; i < n; i++) counts[sampleCategorical(logits, rng)]++;
    counts.forEach((c, i) => {
      expect(Math.abs(c / n - probs[i]!)).toBeLessThan(0.015);
    });
    for (let i = 0; i < 2000; i++) expect(sampleCategorical(masked, rng)).not.toBe(3);
  });

  it('is deterministic for a seed and differs across seeds', () => {
    const draw = (seed: number) => {
      const rng = testRng(seed);
      return Array.from({ length: 50 }, () => chooseToken(logits, 'categorical', rng));
    };
    expect(draw(5)).toEqual(draw(5));
    expect(draw(5)).not.toEqual(draw(6));
  });
});

describe('parseSamplingOptions', () => {
  it.each([
    [{ temperature: 0 }, /temperature must be a finite number > 0, got 0/],
    [{ temperature: -1 }, /temperature/],
    [{ topK: 0 }, /topK must be an integer >= 1, got 0/],
    [{ topK: 2.5 }, /topK/],
    [{ topP: 0 }, /topP must be a number with 0 < topP <= 1, got 0/],
    [{ topP: 1.5 }, /topP/],
    [{ mode: 'beam' }, /mode must be 'categorical' or 'argmax', got 'beam'/],
    [{ top_k: 5 }, /unknown sampling option 'top_k'/],
  ])('refuses %o', (options, message) => {
    expect(() => parseSamplingOptions(options as never)).toThrow(message);
    expect(() => parseSamplingOptions(options as never)).toThrow(
      expect.objectContaining({ code: 'BAD_INPUT' }),
    );
  });

  it('merges over a base and fills defaults', () => {
    const base = parseSamplingOptions({ temperature: 0.8, topK: 10 });
    expect(parseSamplingOptions({ topP: 0.9 }, base)).toEqual({
      temperature: 0.8,
      topK: 10,
      topP: 0.9,
      mode: 'categorical',
    });
    expect(parseSamplingOptions({ topK: null }, base).topK).toBeNull();
  });
});
