import { tf } from '../tf.js';
import { makeBatchMatMulConfig } from './batch-matmul.js';
import { makeIdentityConfig } from './identity.js';
import { makeSliceConfig } from './slice.js';
import { makeTransposeConfig } from './transpose.js';

const OVERRIDDEN = ['BatchMatMul', 'Transpose', 'Slice', 'Identity'] as const;
let registered = false;

/**
 * Replaces the wasm backend's BatchMatMul, Transpose, Slice and Identity kernels with the zero-copy versions of
 * this folder. Model code stays plain TF.js; only how those three kernels run on wasm changes. Safe to
 * call more than once. Returns false when the wasm backend is not registered.
 */
export function registerFastWasmKernels(): boolean {
  if (registered) return true;
  const stock = OVERRIDDEN.map((name) => tf.getKernel(name, 'wasm'));
  if (stock.some((k) => k === undefined)) return false;
  const [matmul, transpose, slice, identity] = stock as [
    tf.KernelConfig,
    tf.KernelConfig,
    tf.KernelConfig,
    tf.KernelConfig,
  ];
  for (const name of OVERRIDDEN) tf.unregisterKernel(name, 'wasm');
  tf.registerKernel(makeBatchMatMulConfig(matmul));
  tf.registerKernel(makeTransposeConfig(transpose));
  tf.registerKernel(makeSliceConfig(slice));
  tf.registerKernel(makeIdentityConfig(identity));
  stockKernels = { matmul, transpose, slice, identity };
  registered = true;
  return true;
}

let stockKernels: Record<'matmul' | 'transpose' | 'slice' | 'identity', tf.KernelConfig> | null = null;

/** Puts the stock kernels back (tests compare both). */
export function unregisterFastWasmKernels(): void {
  if (!registered || stockKernels === null) return;
  for (const name of OVERRIDDEN) tf.unregisterKernel(name, 'wasm');
  tf.registerKernel(stockKernels.matmul);
  tf.registerKernel(stockKernels.transpose);
  tf.registerKernel(stockKernels.slice);
  tf.registerKernel(stockKernels.identity);
  registered = false;
}

export function fastWasmKernelsActive(): boolean {
  return registered;
}
