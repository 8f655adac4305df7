import {
  type BatchMatMulAttrs,
  broadcast_util,
  type KernelConfig,
  type KernelFunc,
  type TensorInfo,
  util,
} from '@tensorflow/tfjs-core';
import { dropView, heapId, heapOffset, makeView, type WasmBackendLike } from './heap.js';
import { transposeLastTwo } from './transpose.js';

type WasmMatMul = (
  aId: number,
  aShape: Uint8Array,
  aRank: number,
  bId: number,
  bShape: Uint8Array,
  bRank: number,
  transposeA: boolean,
  transposeB: boolean,
  outId: number,
) => void;

const entryPoints = new WeakMap<object, WasmMatMul>();

/** The wasm module's own BatchMatMul entry; with rank-3 [1, M, K] x [1, K, N] it takes XNNPACK's path. */
function wasmMatMul(backend: WasmBackendLike): WasmMatMul {
  let fn = entryPoints.get(backend.wasm);
  if (fn === undefined) {
    const args = ['number', 'array', 'number', 'number', 'array', 'number', 'number', 'number', 'number'];
    fn = backend.wasm.cwrap('BatchMatMul', null, args) as unknown as WasmMatMul;
    entryPoints.set(backend.wasm, fn);
  }
  return fn;
}

const shapeBytes = (shape: number[]): Uint8Array => new Uint8Array(new Int32Array(shape).buffer);

/**
 * BatchMatMul that keeps every product on XNNPACK's fast path (2-D, non-transposed): the stock kernel
 * runs anything batched or transposed through a scalar loop at ~2.5 GFLOP/s instead of ~30.
 * - plain 2-D NN products go to the stock kernel, which keeps XNNPACK's packed-weight cache per tensor;
 * - a transposed operand is transposed first (JS tiles); in attention it is either small or needed once;
 * - if b has no batch (or batch 1), the batch folds into the rows of a: one big 2-D product;
 * - otherwise each batch entry is multiplied through zero-copy views registered on the wasm heap.
 */
export function makeBatchMatMulConfig(stock: KernelConfig): KernelConfig {
  const kernelFunc: KernelFunc = (args) => {
    const a0 = args.inputs.a as TensorInfo;
    const b0 = args.inputs.b as TensorInfo;
    const { transposeA, transposeB } = args.attrs as unknown as BatchMatMulAttrs;
    const plain2d = a0.shape.length === 2 && b0.shape.length === 2 && !transposeA && !transposeB;
    if (a0.dtype !== 'float32' || b0.dtype !== 'float32' || plain2d) return stock.kernelFunc(args);
    const backend = args.backend as unknown as WasmBackendLike;
    const temps: TensorInfo[] = [];
    const a = transposeA ? transposeLastTwo(backend, a0) : a0;
    const b = transposeB ? transposeLastTwo(backend, b0) : b0;
    if (transposeA) temps.push(a);
    if (transposeB) temps.push(b);
    try {
      return multiply(backend, a, b);
    } finally {
      for (const t of temps) backend.disposeData(t.dataId);
    }
  };
  return { ...stock, kernelFunc };
}

/** NN product of a [...batchA, M, K] and b [...batchB, K, N] with broadcast batch dims. */
function multiply(backend: WasmBackendLike, a: TensorInfo, b: TensorInfo): TensorInfo {
  const m = a.shape[a.shape.length - 2]!;
  const k = a.shape[a.shape.length - 1]!;
  const kb = b.shape[b.shape.length - 2]!;
  const n = b.shape[b.shape.length - 1]!;
  util.assert(k === kb, () => `matMul: inner dims ${k} and ${kb} of [${a.shape}] and [${b.shape}] differ`);
  const outerA = a.shape.slice(0, -2);
  const outerB = b.shape.slice(0, -2);
  const outer = broadcast_util.assertAndGetBroadcastShape(outerA, outerB);
  const out = backend.makeOutput([...outer, m, n], 'float32');
  const batchA = util.sizeFromShape(outerA);
  const batchB = util.sizeFromShape(outerB);
  const batch = util.sizeFromShape(outer);
  const matmul = wasmMatMul(backend);
  if (batch === 0 || m === 0 || n === 0) return out;
  if (batchB === 1) {
    // b is shared: fold a's batch into rows, one [batch*M, K] x [K, N] product.
    const rows = batchA * m;
    matmul(
      heapId(backend, a),
      shapeBytes([1, rows, k]),
      3,
      heapId(backend, b),
      shapeBytes([1, k, n]),
      3,
      false,
      false,
      heapId(backend, out),
    );
    return out;
  }
  const aOff = heapOffset(backend, a);
  const bOff = heapOffset(backend, b);
  const oOff = heapOffset(backend, out);
  const aShape = shapeBytes([1, m, k]);
  const bShape = shapeBytes([1, k, n]);
  const outStrides = util.computeStrides(outer);
  for (let i = 0; i < batch; i++) {
    const ia = broadcastIndex(i, outer, outStrides, outerA);
    const ib = broadcastIndex(i, outer, outStrides, outerB);
    const av = makeView(backend, aOff + ia * m * k * 4, m * k);
    const bv = makeView(backend, bOff + ib * k * n * 4, k * n);
    const ov = makeView(backend, oOff + i * m * n * 4, m * n);
    matmul(av, aShape, 3, bv, bShape, 3, false, false, ov);
    // Dropping the b view also drops the XNNPACK operator cached for its id (it never matches again).
    dropView(backend, av);
    dropView(backend, bv);
    dropView(backend, ov);
  }
  return out;
}

/** Flat index into an operand of shape `dims` (right-aligned, size-1 dims broadcast) for output batch i. */
function broadcastIndex(i: number, outer: number[], outStrides: number[], dims: number[]): number {
  if (dims.length === 0) return 0;
  const offset = outer.length - dims.length;
  let index = 0;
  let rem = i;
  let stride = util.sizeFromShape(dims);
  for (let d = 0; d < outer.length; d++) {
    const coord = d < outer.length - 1 ? Math.floor(rem / outStrides[d]!) : rem;
    if (d < outer.length - 1) rem -= coord * outStrides[d]!;
    if (d >= offset) {
      const size = dims[d - offset]!;
      stride /= size;
      index += (size === 1 ? 0 : coord) * stride;
    }
  }
  return index;
}
