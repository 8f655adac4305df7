import {
  type KernelConfig,
  type KernelFunc,
  type SliceAttrs,
  slice_util,
  type TensorInfo,
  util,
} from '@tensorflow/tfjs-core';
import type { WasmBackendLike } from './heap.js';

/**
 * Slice that reads its input through a heap view. The stock wasm kernel calls readSync, which copies
 * the whole input for every slice (the skew's slice of [8, 1025, 1024] costs ~28 ms that way, ~7 ms here).
 */
export function makeSliceConfig(stock: KernelConfig): KernelConfig {
  const kernelFunc: KernelFunc = (args) => {
    const x = args.inputs.x as TensorInfo;
    if (x.dtype !== 'float32' || x.shape.length > 4) return stock.kernelFunc(args);
    const backend = args.backend as unknown as WasmBackendLike;
    const { begin, size } = args.attrs as unknown as SliceAttrs;
    const [begin_, size_] = slice_util.parseSliceParams(x, begin, size) as [number[], number[]];
    const out = backend.makeOutput(size_, 'float32');
    const src = backend.typedArrayFromHeap(x);
    const dst = backend.typedArrayFromHeap(out);
    const total = util.sizeFromShape(size_);
    if (total === 0) return out;
    const strides = util.computeStrides(x.shape);
    if (slice_util.isSliceContinous(x.shape, begin_, size_)) {
      const flat = slice_util.computeFlatOffset(begin_, strides);
      dst.set(src.subarray(flat, flat + total));
      return out;
    }
    // Pad to rank 4 so one loop nest covers ranks 1..4; the last dim is copied as a block.
    const pad = 4 - x.shape.length;
    const b = [...new Array<number>(pad).fill(0), ...begin_];
    const s = [...new Array<number>(pad).fill(1), ...size_];
    const st = [...new Array<number>(pad).fill(0), ...strides, 1];
    let o = 0;
    for (let i = b[0]!; i < b[0]! + s[0]!; i++) {
      for (let j = b[1]!; j < b[1]! + s[1]!; j++) {
        for (let k = b[2]!; k < b[2]! + s[2]!; k++) {
          const from = i * st[0]! + j * st[1]! + k * st[2]! + b[3]!;
          dst.set(src.subarray(from, from + s[3]!), o);
          o += s[3]!;
        }
      }
    }
    return out;
  };
  return { ...stock, kernelFunc };
}
