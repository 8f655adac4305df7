import { describe, expect, it } from 'vitest';
import { initBackend } from '../backend.js';
import { maxAbsDiff, randomArray } from '../test-utils/random.js';
import { tf } from '../tf.js';
import { causalMask } from './causal-mask.js';
import { relativeGrad, relativeLogits } from './fused-kernels.js';
import { skew, unskew } from './skew.js';

const t3 = (h: number, l: number, w: number, seed: number) =>
  tf.tensor3d(randomArray(h * l * w, seed), [h, l, w]);

describe.each(['cpu', 'wasm'] as const)('fused attention kernels on %s equal the op chains', (backend) => {
  it('relativeLogits = qk + skew(qe) + causal mask', async () => {
    await initBackend(backend);
    const qk = t3(3, 9, 9, 1);
    const qe = t3(3, 9, 9, 2);
    const fused = tf.tidy(() => relativeLogits(qk, qe).dataSync());
    const chain = tf.tidy(() => tf.add(tf.add(qk, skew(qe)), causalMask(9)).dataSync());
    expect(maxAbsDiff(fused, chain)).toBeLessThan(1e-6);
    tf.dispose([qk, qe]);
  });

  it('relativeGrad = [ds | unskew(ds)] with ds = p * (dp - rowDot)', async () => {
    await initBackend(backend);
    const p = tf.tidy(() => tf.softmax(tf.add(t3(2, 7, 7, 3), causalMask(7)))) as tf.Tensor3D;
    const dp = t3(2, 7, 7, 4);
    const rowDot = t3(2, 7, 1, 5);
    const fused = tf.tidy(() => relativeGrad(p, dp, rowDot).dataSync());
    const chain = tf.tidy(() => {
      const ds = tf.mul(p, tf.sub(dp, rowDot)) as tf.Tensor3D;
      return tf.concat([ds, unskew(ds)], 2).dataSync();
    });
    expect(maxAbsDiff(fused, chain)).toBeLessThan(1e-6);
    tf.dispose([p, dp, rowDot]);
  });
});

describe('causalTranspose skips only structurally zero tiles', () => {
  it('equals tf.transpose for lower-triangular and [dS | dQE] matrices larger than one tile', async () => {
    await initBackend('wasm');
    const { causalTranspose } = await import('./causal-transpose.js');
    for (const len of [64, 130, 200]) {
      const p = tf.tidy(() => tf.softmax(tf.add(t3(2, len, len, len), causalMask(len)))) as tf.Tensor3D;
      const g = tf.tidy(() => relativeGrad(p, t3(2, len, len, len + 1), t3(2, len, 1, len + 2)));
      for (const [x, pattern] of [
        [p, 'lower'],
        [g, 'relgrad'],
      ] as const) {
        const fast = tf.tidy(() => causalTranspose(x, pattern).dataSync());
        const ref = tf.tidy(() => tf.transpose(x, [0, 2, 1]).dataSync());
        expect(Array.from(fast)).toEqual(Array.from(ref));
      }
      tf.dispose([p, g]);
    }
  });
});

describe('SIMD inner loops of the fused kernels', () => {
  it('compile against the wasm heap here (so the wasm cases above exercise them)', async () => {
    await initBackend('wasm');
    const { simdAttention } = await import('./simd-attention.js');
    const kernels = simdAttention((tf.backend() as unknown as { wasm: unknown }).wasm);
    expect(kernels).not.toBeNull();
    expect(kernels!.addRun).toBeTypeOf('function');
    expect(kernels!.gradRun).toBeTypeOf('function');
  });
});
