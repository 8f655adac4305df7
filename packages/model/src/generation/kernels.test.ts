import { describe, expect, it } from 'vitest';
import { createSimdKernels, jsKernels, type Kernels, simdSupported } from './kernels.js';
import { testRng } from './test-utils/random-weights.js';

const rng = testRng(17);
const fill = (k: Kernels, n: number) => {
  const a = k.alloc(n);
  for (let i = 0; i < n; i++) a[i] = rng.next() * 2 - 1;
  return a;
};
const copy = (k: Kernels, src: Float32Array) => {
  const a = k.alloc(src.length);
  a.set(src);
  return a;
};
const worst = (a: Float32Array, b: Float32Array) =>
  a.reduce((m, v, i) => Math.max(m, Math.abs(v - b[i]!)), 0);

describe('SIMD kernels agree with the JS kernels', () => {
  it('are available in this Node', () => {
    expect(simdSupported()).toBe(true);
    expect(simdSupported({ dModel: 128, dFf: 512, vocab: 416 })).toBe(true);
    expect(simdSupported({ dModel: 36, dFf: 64, vocab: 415 })).toBe(false);
  });

  it.each([
    [4, 4],
    [384, 128],
    [128, 512],
    [416, 128],
  ])('linear [%i, %i]', (rows, cols) => {
    const simd = createSimdKernels(rows * cols + rows * 2 + cols + 64);
    const w = fill(jsKernels, rows * cols);
    const b = fill(jsKernels, rows);
    const x = fill(jsKernels, cols);
    const want = new Float32Array(rows);
    jsKernels.linear(w, b, x, want, rows, cols);
    const got = simd.alloc(rows);
    simd.linear(copy(simd, w), copy(simd, b), copy(simd, x), got, rows, cols);
    expect(worst(got, want)).toBeLessThan(1e-5);
  });

  it.each([
    [4, 4, 1],
    [384, 128, 5],
    [128, 512, 64],
  ])('linearBatch [%i, %i] over %i vectors', (rows, cols, n) => {
    const simd = createSimdKernels(rows * cols + rows + 2 * n * (rows + cols) + 64);
    const w = fill(jsKernels, rows * cols);
    const b = fill(jsKernels, rows);
    const x = fill(jsKernels, n * cols);
    const want = new Float32Array(n * rows);
    jsKernels.linearBatch(w, b, x, want, rows, cols, n);
    const one = new Float32Array(rows);
    jsKernels.linear(w, b, x.subarray((n - 1) * cols), one, rows, cols);
    expect(want.subarray((n - 1) * rows)).toEqual(one);
    const got = simd.alloc(n * rows);
    simd.linearBatch(copy(simd, w), copy(simd, b), copy(simd, x), got, rows, cols, n);
    expect(worst(got, want)).toBeLessThan(1e-5);
  });

  it.each([
    [16, 1, 16],
    [64, 16, 80],
    [1040, 16, 1040],
  ])(
    'colDots over %i columns of a [%i, %i] matrix, plain and accumulating, at an unaligned offset',
    (n, k, ldm) => {
      const simd = createSimdKernels(4 * (k * ldm + n + k + 64));
      const a = fill(jsKernels, k);
      const m = fill(jsKernels, k * ldm + 3);
      const init = fill(jsKernels, n + 5);
      for (const accumulate of [false, true]) {
        const want = init.slice();
        jsKernels.colDots(a, m.subarray(3), ldm, want.subarray(5), n, k, accumulate);
        const got = copy(simd, init);
        simd.colDots(copy(simd, a), copy(simd, m).subarray(3), ldm, got.subarray(5), n, k, accumulate);
        expect(worst(got, want)).toBeLessThan(1e-5);
        expect(got.subarray(0, 5)).toEqual(init.subarray(0, 5)); // nothing written before y
      }
    },
  );

  it.each([
    [16, 1, 16],
    [1024, 16, 1040],
  ])('rowDots over %i columns, %i rows (ldm %i)', (n, rows, ldm) => {
    const simd = createSimdKernels(4 * (rows * ldm + n + rows + 64));
    const p = fill(jsKernels, n);
    const m = fill(jsKernels, rows * ldm);
    const want = new Float32Array(rows);
    jsKernels.rowDots(p, m, ldm, want, rows, n);
    const got = simd.alloc(rows);
    simd.rowDots(copy(simd, p), copy(simd, m), ldm, got, rows, n);
    expect(worst(got, want)).toBeLessThan(1e-4);
  });

  it.each([[4], [1024]])('expShifted over %i values, with -Infinity padding', (n) => {
    const simd = createSimdKernels(2 * n + 64);
    const x = fill(jsKernels, n).map((v) => v * 40 - 10); // arguments down to -50 + max differences
    x[n - 1] = Number.NEGATIVE_INFINITY;
    const want = x.slice();
    const wantSum = jsKernels.expShifted(want, n);
    const got = copy(simd, x);
    const gotSum = simd.expShifted(got, n);
    // Relative 1e-5: the float32 difference x - max is rounded (JS subtracts in float64), worth |x - max| * 6e-8.
    for (let j = 0; j < n; j++)
      expect(Math.abs(got[j]! - want[j]!)).toBeLessThanOrEqual(1e-5 * want[j]! + 1e-30);
    expect(Math.abs(gotSum - wantSum) / wantSum).toBeLessThan(1e-5);
    expect(got[n - 1]).toBeLessThan(1e-37);
  });

  it('refuses to allocate past its memory', () => {
    const simd = createSimdKernels(10);
    expect(() => simd.alloc(1e6)).toThrow(/SIMD kernel memory exhausted/);
  });
});
