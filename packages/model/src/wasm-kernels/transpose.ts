import type { KernelConfig, KernelFunc, TensorInfo, TransposeAttrs } from '@tensorflow/tfjs-core';
import { heapOffset, type WasmBackendLike } from './heap.js';
import { simdTranspose } from './simd-transpose.js';

const TILE = 64;

/** Whether the tile rows [i0, i1) x columns [j0, j1) of a matrix may hold non-zeros. */
export type TilePredicate = (i0: number, i1: number, j0: number, j1: number) => boolean;

/**
 * Swaps the last two dims of a float32 tensor in 64x64 tiles, reading strided and writing
 * contiguously. For [8, 1024, 1024] this takes ~25 ms against ~77 ms for the wasm kernel, whose
 * 4 KB power-of-two stride thrashes the cache (measured). With `nonZero`,
 * tiles it rules out are not read, only zero-filled in the output (causal attention matrices are half
 * zeros, see ops/causal-transpose.ts).
 */
export function transposeLastTwo(
  backend: WasmBackendLike,
  x: TensorInfo,
  nonZero?: TilePredicate,
): TensorInfo {
  const shape = x.shape;
  const rows = shape[shape.length - 2]!;
  const cols = shape[shape.length - 1]!;
  const outShape = [...shape.slice(0, -2), cols, rows];
  const out = backend.makeOutput(outShape, 'float32');
  // Views are taken after makeOutput: allocating can grow the heap and detach earlier views. They are
  // Int32 views of the float data: moving bits as integers skips float conversions and keeps NaN payloads.
  const srcF = backend.typedArrayFromHeap(x);
  const dstF = backend.typedArrayFromHeap(out);
  const src = new Int32Array(srcF.buffer, srcF.byteOffset, srcF.length);
  const dst = new Int32Array(dstF.buffer, dstF.byteOffset, dstF.length);
  const matrix = rows * cols;
  const batches = matrix === 0 ? 0 : src.length / matrix;
  // 4x4 SIMD blocks when the shape allows (simd-transpose.ts); a JS loop otherwise.
  const simd = rows % 4 === 0 && cols % 4 === 0 ? simdTranspose(backend) : null;
  const srcOff = simd === null ? 0 : heapOffset(backend, x);
  const dstOff = simd === null ? 0 : heapOffset(backend, out);
  type CopyTile = (base: number, i0: number, i1: number, j0: number, j1: number) => void;
  const copyTile: CopyTile =
    simd !== null
      ? (base, i0, i1, j0, j1) => simd(srcOff + base * 4, dstOff + base * 4, rows, cols, i0, i1, j0, j1)
      : (base, i0, i1, j0, j1) => {
          for (let j = j0; j < j1; j++) {
            const outRow = base + j * rows;
            for (let i = i0; i < i1; i++) dst[outRow + i] = src[base + i * cols + j]!;
          }
        };
  for (let b = 0; b < batches; b++) {
    const base = b * matrix;
    for (let i0 = 0; i0 < rows; i0 += TILE) {
      const i1 = Math.min(i0 + TILE, rows);
      for (let j0 = 0; j0 < cols; j0 += TILE) {
        const j1 = Math.min(j0 + TILE, cols);
        if (nonZero !== undefined && !nonZero(i0, i1, j0, j1)) {
          for (let j = j0; j < j1; j++) dst.fill(0, base + j * rows + i0, base + j * rows + i1);
        } else copyTile(base, i0, i1, j0, j1);
      }
    }
  }
  return out;
}

function isLastTwoSwap(perm: number[]): boolean {
  const n = perm.length;
  if (n < 2 || perm[n - 1] !== n - 2 || perm[n - 2] !== n - 1) return false;
  for (let i = 0; i < n - 2; i++) if (perm[i] !== i) return false;
  return true;
}

/** Transpose: last-two-dims swaps of float32 go to the JS tiles, everything else to the stock kernel. */
export function makeTransposeConfig(stock: KernelConfig): KernelConfig {
  const kernelFunc: KernelFunc = (args) => {
    const x = args.inputs.x as TensorInfo;
    const { perm } = args.attrs as unknown as TransposeAttrs;
    if (x.dtype === 'float32' && isLastTwoSwap(perm)) {
      return transposeLastTwo(args.backend as unknown as WasmBackendLike, x);
    }
    return stock.kernelFunc(args);
  };
  return { ...stock, kernelFunc };
}
