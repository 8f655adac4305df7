import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../backend.js';
import { maxAbsDiff, randomArray } from '../test-utils/random.js';
import { tf } from '../tf.js';
import { fastWasmKernelsActive, registerFastWasmKernels, unregisterFastWasmKernels } from './register.js';

/** Runs f with the stock wasm kernels and with the fast ones; returns both outputs' values. */
function both(f: () => tf.Tensor): [Float32Array, Float32Array, number[], number[]] {
  unregisterFastWasmKernels();
  const stock = tf.tidy(f);
  registerFastWasmKernels();
  const fast = tf.tidy(f);
  const out: [Float32Array, Float32Array, number[], number[]] = [
    stock.dataSync() as Float32Array,
    fast.dataSync() as Float32Array,
    stock.shape,
    fast.shape,
  ];
  tf.dispose([stock, fast]);
  return out;
}

const t = (shape: number[], seed: number) =>
  tf.tensor(
    randomArray(
      shape.reduce((a, b) => a * b, 1),
      seed,
    ),
    shape,
  );

describe('fast wasm kernels match the stock kernels', () => {
  beforeAll(async () => {
    await initBackend('wasm');
    expect(fastWasmKernelsActive()).toBe(true);
  });

  const cases: Array<{ a: number[]; b: number[]; ta: boolean; tb: boolean }> = [
    { a: [5, 7], b: [7, 3], ta: false, tb: false },
    { a: [5, 7], b: [3, 7], ta: false, tb: true },
    { a: [7, 5], b: [7, 3], ta: true, tb: false },
    { a: [7, 5], b: [3, 7], ta: true, tb: true },
    { a: [4, 9, 6], b: [4, 6, 5], ta: false, tb: false },
    { a: [4, 9, 6], b: [4, 5, 6], ta: false, tb: true },
    { a: [4, 6, 9], b: [4, 6, 5], ta: true, tb: false },
    { a: [2, 3, 9, 6], b: [3, 6, 5], ta: false, tb: false }, // broadcast b over the batch
    { a: [2, 3, 9, 6], b: [1, 6, 5], ta: false, tb: false }, // b batch 1: folded into rows
    { a: [2, 66, 70], b: [2, 66, 65], ta: true, tb: false }, // more than one 64-tile
  ];
  for (const c of cases) {
    it(`BatchMatMul [${c.a}]${c.ta ? 'ᵀ' : ''} x [${c.b}]${c.tb ? 'ᵀ' : ''}`, () => {
      const [s, f, ss, fs] = both(() => tf.matMul(t(c.a, 1), t(c.b, 2), c.ta, c.tb));
      expect(fs).toEqual(ss);
      expect(maxAbsDiff(s, f)).toBeLessThan(1e-5);
    });
  }

  it('BatchMatMul broadcasting both ways equals the product of explicitly tiled operands', () => {
    // The stock kernel mishandles this case (it fills only max(batchA, batchB) matrices), so the
    // reference tiles the operands to the full batch shape first.
    const a = t([3, 9, 6], 7);
    const b = t([2, 1, 5, 6], 8);
    registerFastWasmKernels();
    const fast = tf.tidy(() => tf.matMul(a, b, false, true));
    unregisterFastWasmKernels();
    const ref = tf.tidy(() =>
      tf.matMul(tf.tile(tf.expandDims(a, 0), [2, 1, 1, 1]), tf.tile(b, [1, 3, 1, 1]), false, true),
    );
    registerFastWasmKernels();
    expect(fast.shape).toEqual([2, 3, 9, 5]);
    expect(maxAbsDiff(fast.dataSync(), ref.dataSync())).toBeLessThan(1e-5);
    tf.dispose([a, b, fast, ref]);
  });

  it('Transpose of the last two dims, and other perms via the stock kernel', () => {
    for (const [shape, perm] of [
      [
        [3, 130, 67], // JS tiles (not multiples of 4)
        [0, 2, 1],
      ],
      [
        [2, 132, 68], // SIMD 4x4 blocks, partial 64-tiles
        [0, 2, 1],
      ],
      [
        [8, 256, 128],
        [0, 2, 1],
      ],
      [
        [1, 4, 4],
        [0, 2, 1],
      ],
      [
        [2, 3, 4, 5],
        [0, 1, 3, 2],
      ],
      [
        [2, 3, 4],
        [1, 0, 2],
      ],
      [
        [6, 5],
        [1, 0],
      ],
    ] as Array<[number[], number[]]>) {
      const [s, f, ss, fs] = both(() => tf.transpose(t(shape, 3), perm));
      expect(fs).toEqual(ss);
      expect(Array.from(f)).toEqual(Array.from(s));
    }
  });

  it('Slice, contiguous and strided, ranks 1 to 4', () => {
    for (const [shape, begin, size] of [
      [[10], [2], [5]],
      [
        [4, 6],
        [1, 0],
        [2, 6],
      ],
      [
        [4, 6],
        [1, 2],
        [3, 3],
      ],
      [
        [3, 5, 7],
        [0, 1, 0],
        [3, 4, 7],
      ],
      [
        [2, 3, 5, 7],
        [1, 0, 2, 3],
        [1, 3, 3, 4],
      ],
      [
        [2, 3, 5, 7],
        [0, 0, 1, 0],
        [2, 3, 0, 7],
      ],
    ] as Array<[number[], number[], number[]]>) {
      const [s, f, ss, fs] = both(() => tf.slice(t(shape, 4), begin, size));
      expect(fs).toEqual(ss);
      expect(Array.from(f)).toEqual(Array.from(s));
    }
  });

  it('matMul gradients agree (they use transposed products)', () => {
    const a = t([2, 8, 6], 5);
    const b = t([2, 6, 4], 6);
    const g = () => {
      const grads = tf.grads((x: tf.Tensor, y: tf.Tensor) => tf.sum(tf.square(tf.matMul(x, y))))([a, b]);
      return tf.concat([grads[0]!.flatten(), grads[1]!.flatten()]);
    };
    const [s, f] = both(g);
    expect(maxAbsDiff(s, f)).toBeLessThan(1e-4);
  });
});

describe('SIMD transpose', () => {
  it('compiles against the wasm heap here (so the tests above exercise it)', async () => {
    await initBackend('wasm');
    const { simdTranspose } = await import('./simd-transpose.js');
    expect(simdTranspose(tf.backend() as unknown as import('./heap.js').WasmBackendLike)).toBeTypeOf(
      'function',
    );
  });
});

describe('Identity shares memory instead of copying', () => {
  it('a clone reads the same values and survives disposal of its source', async () => {
    await initBackend('wasm');
    const a = t([3, 4], 9);
    const values = Array.from(a.dataSync());
    const c = tf.clone(a);
    a.dispose();
    expect(Array.from(c.dataSync())).toEqual(values);
    const before = tf.memory().numBytes;
    c.dispose();
    expect(tf.memory().numBytes).toBe(before - 48);
  });
});
