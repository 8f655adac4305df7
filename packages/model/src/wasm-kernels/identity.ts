import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import type { WasmBackendLike } from './heap.js';

/**
 * Identity that shares the input's memory (one more reference) instead of copying it, as the cpu
 * backend and the wasm Reshape kernel already do. The gradient tape clones every tensor it saves for
 * backprop, and on wasm each clone was a full copy (2-3 % of a training step, more memory). Safe because
 * TF.js tensors are immutable; code that writes into the wasm heap in place must not clone first.
 */
export function makeIdentityConfig(stock: KernelConfig): KernelConfig {
  const kernelFunc: KernelFunc = (args) => {
    const x = args.inputs.x as TensorInfo;
    if (x.dtype === 'string') return stock.kernelFunc(args);
    (args.backend as unknown as WasmBackendLike).incRef(x.dataId);
    return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
  };
  return { ...stock, kernelFunc };
}
