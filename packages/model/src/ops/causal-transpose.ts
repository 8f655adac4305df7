import type { KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import { tf } from '../tf.js';
import type { WasmBackendLike } from '../wasm-kernels/heap.js';
import { type TilePredicate, transposeLastTwo } from '../wasm-kernels/transpose.js';

/**
 * Transposes of the causal attention matrices that skip their structurally zero half:
 * - 'lower': [heads, len, len] zero above the diagonal (P, dS);
 * - 'relgrad': [heads, len, 2*len] = [dS | dQE], dS lower-triangular and dQE[i, r] zero unless
 *   i + r >= len - 1 (the skew's image).
 * On wasm a kernel reads only the tiles that may hold non-zeros (half the work of a plain transpose);
 * elsewhere it is tf.transpose.
 */
export type CausalPattern = 'lower' | 'relgrad';
const KERNEL = 'MtCausalTranspose';

function predicate(pattern: CausalPattern, len: number): TilePredicate {
  if (pattern === 'lower') return (_i0, i1, j0) => j0 <= i1 - 1;
  return (_i0, i1, j0, j1) => {
    if (j0 < len && j0 <= i1 - 1) return true; // dS half (lower triangle), tile starts left of the diagonal
    if (j1 > len && i1 - 1 + (j1 - 1 - len) >= len - 1) return true; // dQE half, tile reaches i + r >= len - 1
    return false;
  };
}

let registered = false;
function register(): void {
  if (registered) return;
  const kernelFunc: KernelFunc = ({ inputs, backend, attrs }) => {
    const x = inputs.x as TensorInfo;
    const pattern = (attrs as unknown as { pattern: CausalPattern }).pattern;
    return transposeLastTwo(backend as unknown as WasmBackendLike, x, predicate(pattern, x.shape[1]!));
  };
  tf.registerKernel({ kernelName: KERNEL, backendName: 'wasm', kernelFunc });
  registered = true;
}

/** x [heads, rows, cols] with the zero pattern `pattern` -> x^T [heads, cols, rows]. */
export function causalTranspose(x: tf.Tensor3D, pattern: CausalPattern): tf.Tensor3D {
  if (tf.getBackend() !== 'wasm') return tf.transpose(x, [0, 2, 1]);
  register();
  return tf.engine().runKernel(KERNEL, { x }, { pattern } as unknown as tf.NamedAttrMap) as tf.Tensor3D;
}
