import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../backend.js';
import { maxAbsDiff, randomArray } from '../test-utils/random.js';
import { tf } from '../tf.js';
import { causalMask } from './causal-mask.js';
import { relativeAttention, relativeEmbeddings } from './relative-attention.js';

/**
 * Naive O(L^2 * depth) reference (Shaw et al. style): explicit per-pair embeddings, row
 * max(M-1-(i-j), 0) of E for distance i-j, built by one-hot products so it differentiates on wasm.
 */
function naiveAttention(q: tf.Tensor4D, k: tf.Tensor4D, v: tf.Tensor4D, e: tf.Tensor2D): tf.Tensor4D {
  const [batch, heads, len, depth] = q.shape;
  const maxRel = e.shape[0];
  const idx = new Int32Array(len * len);
  for (let i = 0; i < len; i++)
    for (let j = 0; j < len; j++) idx[i * len + j] = j <= i ? Math.max(maxRel - 1 - (i - j), 0) : 0;
  const onehot = tf.oneHot(tf.tensor1d(idx, 'int32'), maxRel).toFloat(); // [len*len, maxRel]
  const perHead: tf.Tensor[] = [];
  for (let h = 0; h < heads; h++) {
    const eh = tf.slice(e, [0, h * depth], [maxRel, depth]); // [maxRel, depth]
    const pair = tf.reshape(tf.matMul(onehot, eh), [1, len, len, depth]); // [1, len, len, depth]
    const qh = tf.slice(q, [0, h, 0, 0], [batch, 1, len, depth]).reshape([batch, len, 1, depth]);
    const kh = tf.slice(k, [0, h, 0, 0], [batch, 1, len, depth]).reshape([batch, 1, len, depth]);
    const vh = tf.slice(v, [0, h, 0, 0], [batch, 1, len, depth]).reshape([batch, len, depth]);
    const logits = tf.div(tf.sum(tf.mul(qh, tf.add(kh, pair)), -1), Math.sqrt(depth)); // [batch, len, len]
    const p = tf.softmax(tf.add(logits, causalMask(len)));
    perHead.push(tf.matMul(p, vh)); // [batch, len, depth]
  }
  return tf.stack(perHead, 1) as tf.Tensor4D;
}

function inputs(batch: number, heads: number, len: number, depth: number, maxRel: number, seed: number) {
  const shape: [number, number, number, number] = [batch, heads, len, depth];
  const n = batch * heads * len * depth;
  return {
    q: tf.tensor4d(randomArray(n, seed), shape),
    k: tf.tensor4d(randomArray(n, seed + 1), shape),
    v: tf.tensor4d(randomArray(n, seed + 2), shape),
    e: tf.tensor2d(randomArray(maxRel * heads * depth, seed + 3), [maxRel, heads * depth]),
    w: tf.tensor4d(randomArray(n, seed + 4), shape),
  };
}

describe('relativeAttention (skew) against the naive O(L^2 D) reference', () => {
  beforeAll(async () => {
    await initBackend('wasm');
  });

  for (const [len, keepProbs, fused] of [
    [1, false, true],
    [6, true, true],
    [16, false, true],
    [23, false, true],
    [23, true, true],
    [40, false, true],
    [1, false, false],
    [23, false, false],
    [40, true, false],
  ] as const) {
    it(`matches values and gradients at len ${len} (max_rel_dist 16, keepProbs ${keepProbs}, fused ${fused})`, () => {
      const heads = 2;
      const { q, k, v, e, w } = inputs(2, heads, len, 4, 16, len * 7);
      const fast = (qq: tf.Tensor, kk: tf.Tensor, vv: tf.Tensor, ee: tf.Tensor) =>
        tf.sum(
          tf.mul(
            relativeAttention(
              qq as tf.Tensor4D,
              kk as tf.Tensor4D,
              vv as tf.Tensor4D,
              relativeEmbeddings(ee as tf.Tensor2D, len, heads),
              causalMask(len),
              { keepProbs, fused },
            ),
            w,
          ),
        );
      const slow = (qq: tf.Tensor, kk: tf.Tensor, vv: tf.Tensor, ee: tf.Tensor) =>
        tf.sum(
          tf.mul(
            naiveAttention(qq as tf.Tensor4D, kk as tf.Tensor4D, vv as tf.Tensor4D, ee as tf.Tensor2D),
            w,
          ),
        );
      const a = tf.tidy(() =>
        relativeAttention(q, k, v, relativeEmbeddings(e, len, heads), causalMask(len), { fused }).dataSync(),
      );
      const b = tf.tidy(() => naiveAttention(q, k, v, e).dataSync());
      expect(maxAbsDiff(a, b)).toBeLessThan(1e-5);
      const gFast = tf.grads(fast)([q, k, v, e]);
      const gSlow = tf.grads(slow)([q, k, v, e]);
      for (let i = 0; i < 4; i++) {
        expect(maxAbsDiff(gFast[i]!.dataSync(), gSlow[i]!.dataSync())).toBeLessThan(1e-5);
      }
      tf.dispose([q, k, v, e, w, ...gFast, ...gSlow]);
    });
  }

  it('plain attention (no E) matches the reference with a zero table', () => {
    const { q, k, v, w } = inputs(1, 2, 9, 4, 8, 99);
    const zero = tf.zeros([8, 8]) as tf.Tensor2D;
    const fast = (qq: tf.Tensor, kk: tf.Tensor, vv: tf.Tensor) =>
      tf.sum(
        tf.mul(
          relativeAttention(qq as tf.Tensor4D, kk as tf.Tensor4D, vv as tf.Tensor4D, null, causalMask(9)),
          w,
        ),
      );
    const slow = (qq: tf.Tensor, kk: tf.Tensor, vv: tf.Tensor) =>
      tf.sum(tf.mul(naiveAttention(qq as tf.Tensor4D, kk as tf.Tensor4D, vv as tf.Tensor4D, zero), w));
    const gFast = tf.grads(fast)([q, k, v]);
    const gSlow = tf.grads(slow)([q, k, v]);
    for (let i = 0; i < 3; i++)
      expect(maxAbsDiff(gFast[i]!.dataSync(), gSlow[i]!.dataSync())).toBeLessThan(1e-5);
    tf.dispose([q, k, v, w, zero, ...gFast, ...gSlow]);
  });

  it('is causal: changing key/value t leaves outputs at positions < t unchanged', () => {
    const len = 12;
    const t = 7;
    const { q, k, v, e } = inputs(1, 2, len, 4, 8, 5);
    const er = relativeEmbeddings(e, len, 2);
    const before = relativeAttention(q, k, v, er, causalMask(len)).arraySync()[0]!;
    const bump = tf.tidy(() => {
      const m = new Float32Array(len * 8);
      for (let c = 0; c < 8; c++) m[t * 8 + c] = 5; // rows t of both heads ([1, 2, len, 4] as [len, 8])
      return tf.reshape(tf.transpose(tf.reshape(tf.tensor1d(m), [len, 2, 4]), [1, 0, 2]), [1, 2, len, 4]);
    });
    const after = relativeAttention(q, tf.add(k, bump), tf.add(v, bump), er, causalMask(len)).arraySync()[0]!;
    for (let h = 0; h < 2; h++) {
      for (let i = 0; i < len; i++) {
        const d = maxAbsDiff(before[h]![i]!, after[h]![i]!);
        if (i < t) expect(d).toBe(0);
        else expect(d).toBeGreaterThan(0);
      }
    }
  });
});
