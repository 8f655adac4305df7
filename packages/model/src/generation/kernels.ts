import { ModelError } from '../errors.js';
import { kernelModuleBytes } from './simd/kernel-module.js';

/**
 * The vector kernels of the cached decoder. Two implementations with the same results up to float
 * round-off: plain JS, and WebAssembly SIMD (f32x4; see README "Generation" for measured speeds). Every
 * array handed to a SIMD kernel must come from the same set's `alloc`: they address one WebAssembly memory.
 */
export interface Kernels {
  readonly name: 'js' | 'simd';
  /** A zeroed array the kernels can address. */
  alloc(length: number): Float32Array;
  /** y[r] = b[r] + sum_c w[r*cols + c] * x[c]: a PyTorch-layout [rows, cols] Linear on one vector. */
  linear(
    w: Float32Array,
    b: Float32Array,
    x: Float32Array,
    y: Float32Array,
    rows: number,
    cols: number,
  ): void;
  /** The same Linear on n vectors, rows of x [n, cols] -> rows of y [n, rows] (prefill). */
  linearBatch(
    w: Float32Array,
    b: Float32Array,
    x: Float32Array,
    y: Float32Array,
    rows: number,
    cols: number,
    n: number,
  ): void;
  /**
   * y[j] = (accumulate ? y[j] : 0) + sum_{c < k} a[c] * m[c*ldm + j] for j < n: dot products of `a` with the
   * first n columns of a [k, ldm] row-major matrix (a transposed cache). n must be a multiple of 16; the
   * kernels read and write exactly n columns, so callers pad their buffers.
   */
  colDots(
    a: Float32Array,
    m: Float32Array,
    ldm: number,
    y: Float32Array,
    n: number,
    k: number,
    accumulate: boolean,
  ): void;
  /** out[c] = sum_{j < n} p[j] * m[c*ldm + j] for c < rows; n a multiple of 16. */
  rowDots(p: Float32Array, m: Float32Array, ldm: number, out: Float32Array, rows: number, n: number): void;
  /** x[j] = exp(x[j] - max(x)) for j < n (n a multiple of 4; pad with -Infinity); returns the sum. */
  expShifted(x: Float32Array, n: number): number;
}

export const jsKernels: Kernels = {
  name: 'js',
  alloc: (length) => new Float32Array(length),
  linear(w, b, x, y, rows, cols) {
    // Four partial sums break the floating-point dependency chain, which V8 then pipelines.
    const body = cols - (cols & 3);
    for (let r = 0; r < rows; r++) {
      const base = r * cols;
      let a0 = 0;
      let a1 = 0;
      let a2 = 0;
      let a3 = 0;
      for (let c = 0; c < body; c += 4) {
        a0 += w[base + c]! * x[c]!;
        a1 += w[base + c + 1]! * x[c + 1]!;
        a2 += w[base + c + 2]! * x[c + 2]!;
        a3 += w[base + c + 3]! * x[c + 3]!;
      }
      for (let c = body; c < cols; c++) a0 += w[base + c]! * x[c]!;
      y[r] = b[r]! + (a0 + a1) + (a2 + a3);
    }
  },
  linearBatch(w, b, x, y, rows, cols, n) {
    if (n === 1) {
      jsKernels.linear(w, b, x, y, rows, cols); // a decoder step: no row views to make
      return;
    }
    for (let t = 0; t < n; t++) {
      jsKernels.linear(
        w,
        b,
        x.subarray(t * cols, (t + 1) * cols),
        y.subarray(t * rows, (t + 1) * rows),
        rows,
        cols,
      );
    }
  },
  colDots(a, m, ldm, y, n, k, accumulate) {
    if (!accumulate) y.fill(0, 0, n);
    // Four rows of m per pass: one load and store of y per four multiply-adds.
    const body = k - (k & 3);
    for (let c = 0; c < body; c += 4) {
      const [a0, a1, a2, a3] = [a[c]!, a[c + 1]!, a[c + 2]!, a[c + 3]!];
      const [b0, b1, b2, b3] = [c * ldm, (c + 1) * ldm, (c + 2) * ldm, (c + 3) * ldm];
      for (let j = 0; j < n; j++) {
        y[j] = y[j]! + a0 * m[b0 + j]! + a1 * m[b1 + j]! + a2 * m[b2 + j]! + a3 * m[b3 + j]!;
      }
    }
    for (let c = body; c < k; c++) {
      const ac = a[c]!;
      const base = c * ldm;
      for (let j = 0; j < n; j++) y[j] = y[j]! + ac * m[base + j]!;
    }
  },
  rowDots(p, m, ldm, out, rows, n) {
    for (let c = 0; c < rows; c++) {
      const base = c * ldm;
      let s0 = 0;
      let s1 = 0;
      for (let j = 0; j < n; j += 2) {
        s0 += p[j]! * m[base + j]!;
        s1 += p[j + 1]! * m[base + j + 1]!;
      }
      out[c] = s0 + s1;
    }
  },
  expShifted(x, n) {
    let max = Number.NEGATIVE_INFINITY;
    for (let j = 0; j < n; j++) if (x[j]! > max) max = x[j]!;
    let sum = 0;
    for (let j = 0; j < n; j++) {
      const e = Math.exp(x[j]! - max);
      x[j] = e;
      sum += e;
    }
    return sum;
  },
};

interface KernelExports {
  linear(w: number, b: number, x: number, y: number, rows: number, cols: number): void;
  linearBatch(w: number, b: number, x: number, y: number, rows: number, cols: number, n: number): void;
  colDots(a: number, m: number, ldm: number, y: number, n: number, k: number, acc: number): void;
  rowDots(p: number, m: number, ldm: number, out: number, rows: number, n: number): void;
  expShifted(x: number, n: number): number;
}

let compiled: WebAssembly.Module | null | undefined;

/** The compiled kernel module, or null where WebAssembly SIMD is unavailable or not allowed. Compiled once per process. */
function kernelModule(): WebAssembly.Module | null {
  if (compiled === undefined) {
    const bytes = kernelModuleBytes();
    try {
      compiled =
        typeof WebAssembly === 'object' && WebAssembly.validate(bytes) ? new WebAssembly.Module(bytes) : null;
    } catch {
      // A page whose Content-Security-Policy forbids compiling WebAssembly: the JS kernels serve instead.
      compiled = null;
    }
  }
  return compiled;
}

/** Whether the SIMD kernels can run here, and for these shapes (the Linear kernel works on 4 x 4 blocks). */
export function simdSupported(shape?: { dModel: number; dFf: number; vocab: number }): boolean {
  if (kernelModule() === null) return false;
  if (shape === undefined) return true;
  const { dModel, dFf, vocab } = shape;
  return dModel % 4 === 0 && dFf % 4 === 0 && vocab % 4 === 0;
}

/**
 * SIMD kernels over one fixed-size WebAssembly memory of `floats` float32 values (never grown, so the views
 * handed out stay valid). Addresses are the views' byteOffsets.
 */
export function createSimdKernels(floats: number): Kernels {
  const module = kernelModule();
  if (module === null)
    throw new ModelError('BACKEND_UNAVAILABLE', 'WebAssembly SIMD is not available in this runtime');
  const pages = Math.max(1, Math.ceil((floats * 4 + 16) / 65536));
  const memory = new WebAssembly.Memory({ initial: pages, maximum: pages });
  const k = new WebAssembly.Instance(module, { env: { memory } }).exports as unknown as KernelExports;
  let next = 0; // bump allocator, in floats; 16-byte aligned so every v128 load is aligned
  const capacity = (pages * 65536) / 4;
  return {
    name: 'simd',
    alloc(length) {
      const start = next;
      next += Math.ceil(length / 4) * 4;
      if (next > capacity) {
        throw new ModelError(
          'BAD_INPUT',
          `SIMD kernel memory exhausted: ${next} floats needed, ${capacity} reserved`,
        );
      }
      return new Float32Array(memory.buffer, start * 4, length);
    },
    linear: (w, b, x, y, rows, cols) =>
      k.linear(w.byteOffset, b.byteOffset, x.byteOffset, y.byteOffset, rows, cols),
    linearBatch: (w, b, x, y, rows, cols, n) =>
      k.linearBatch(w.byteOffset, b.byteOffset, x.byteOffset, y.byteOffset, rows, cols, n),
    colDots: (a, m, ldm, y, n, kk, accumulate) =>
      k.colDots(a.byteOffset, m.byteOffset, ldm, y.byteOffset, n, kk, accumulate ? 1 : 0),
    rowDots: (p, m, ldm, out, rows, n) => k.rowDots(p.byteOffset, m.byteOffset, ldm, out.byteOffset, rows, n),
    expShifted: (x, n) => k.expShifted(x.byteOffset, n),
  };
}
