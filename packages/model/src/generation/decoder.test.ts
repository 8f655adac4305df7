import { describe, expect, it } from 'vitest';
import { parseHParams } from '../hparams.js';
import { maxAbsDiff } from '../test-utils/random.js';
import { CachedDecoder } from './decoder.js';
import { randomWeights, testRng } from './test-utils/random-weights.js';
import { referenceLogits } from './test-utils/reference-forward.js';
import { prepareDecoderWeights } from './weights.js';

// depth 8 and sizes divisible by 4, so that the SIMD kernels apply
const small = { d_model: 16, num_layers: 2, num_heads: 2, d_ff: 32, vocab_size: 24, max_rel_dist: 8 };

describe('CachedDecoder', () => {
  it.each([
    ['post', 0, 8, 'js'],
    ['pre', 0, 8, 'js'],
    ['post', 64, 8, 'js'],
    ['pre', 64, 0, 'js'],
    ['post', 0, 0, 'js'],
    ['post', 0, 8, 'simd'],
    ['pre', 0, 8, 'simd'],
    ['post', 64, 8, 'simd'],
    ['pre', 64, 0, 'simd'],
    ['post', 0, 1, 'simd'],
    ['pre', 0, 1, 'js'],
  ] as const)(
    'matches a naive full forward step by step (norm %s, abs %i, rel %i, %s kernels)',
    (norm, abs, rel, kernels) => {
      const h = parseHParams({ ...small, norm, max_abs_position: abs, max_rel_dist: rel });
      const W = randomWeights(h, 7);
      const rng = testRng(3);
      const tokens = Array.from({ length: 40 }, () => Math.floor(rng.next() * h.vocab_size));
      const ref = referenceLogits(h, W, tokens);
      const dec = new CachedDecoder(prepareDecoderWeights(h, W), 40, kernels);
      expect(dec.kernels.name).toBe(kernels);
      tokens.forEach((t, i) => {
        expect(maxAbsDiff(dec.step(t), ref[i]!), `position ${i}`).toBeLessThan(1e-4);
      });
    },
  );

  it.each(['js', 'simd'] as const)('prefill equals stepping token by token (%s kernels)', (kernels) => {
    for (const norm of ['post', 'pre'] as const) {
      const h = parseHParams({ ...small, norm, max_abs_position: 256 });
      const weights = prepareDecoderWeights(h, randomWeights(h, 4));
      const rng = testRng(8);
      const tokens = Array.from({ length: 150 }, () => Math.floor(rng.next() * h.vocab_size)); // 3 chunks
      const stepped = new CachedDecoder(weights, 200, kernels);
      let want = new Float32Array(0);
      for (const t of tokens) want = stepped.step(t).slice();
      const batched = new CachedDecoder(weights, 200, kernels);
      batched.step(tokens[0]!);
      const got = batched.prefill(tokens.slice(1)).slice(); // after a token already cached, too
      expect(batched.length).toBe(150);
      expect(maxAbsDiff(got, want)).toBeLessThan(1e-5);
      // the caches match as well: the next step agrees
      expect(maxAbsDiff(batched.step(3), stepped.step(3))).toBeLessThan(1e-5);
    }
  });

  it('refuses a token outside the vocabulary and a full cache', () => {
    const h = parseHParams(small);
    const dec = new CachedDecoder(prepareDecoderWeights(h, randomWeights(h, 1)), 2);
    expect(() => dec.step(24)).toThrow(expect.objectContaining({ code: 'BAD_INPUT' }));
    dec.step(1);
    dec.step(2);
    expect(() => dec.step(3)).toThrow(/full \(2 positions\)/);
    dec.reset();
    expect(() => dec.prefill([1, 2, 3])).toThrow(
      /prefill of 3 tokens does not fit: 0 of 2 positions are used/,
    );
  });

  it('refuses weights that do not match the hparams, naming the tensor', () => {
    const h = parseHParams(small);
    const W = randomWeights(h, 1);
    W['decoder.layers.1.self_attn.E.weight'] = new Float32Array(3);
    expect(() => prepareDecoderWeights(h, W)).toThrow(/'decoder.layers.1.self_attn.E.weight' has 3 values/);
    const { 'final.bias': _, ...missing } = randomWeights(h, 1);
    expect(() => prepareDecoderWeights(h, missing)).toThrow(/missing tensor 'final.bias'/);
  });
});
