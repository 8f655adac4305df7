import type { KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import { tf } from '../tf.js';
import { heapOffset, type WasmBackendLike } from '../wasm-kernels/heap.js';
import { MASKED } from './causal-mask.js';
import { type SimdAttention, simdAttention } from './simd-attention.js';

/**
 * Two fused JS kernels for the [heads, len, len] part of relative attention, registered for the wasm
 * and cpu backends. They replace chains of stock ops (pad, reshape, slice, add, add, sub, mul, pad,
 * slice: about ten full passes over a 32 MB tensor per layer at len 1024) with one pass that touches
 * only the causal half. Other backends (tfjs-node) use the equivalent op chain in relative-attention.ts.
 */
export const REL_LOGITS = 'MtRelativeLogits';
export const REL_GRAD = 'MtRelativeGrad';

type Backend = WasmBackendLike & { readSync?: (dataId: object) => unknown };

interface Io {
  /** wasm only: SIMD inner loops and byte offsets of tensors on the heap (simd-attention.ts). */
  simd: SimdAttention | null;
  offset(t: TensorInfo): number;
  read(t: TensorInfo): Float32Array;
  /** Allocates an output and returns it with a writable view; read views must be taken after it. */
  alloc(shape: number[]): { info: TensorInfo; view: () => Float32Array };
}

function io(backendName: 'wasm' | 'cpu', backend: Backend): Io {
  if (backendName === 'wasm') {
    return {
      simd: simdAttention(backend.wasm),
      offset: (t) => heapOffset(backend, t),
      read: (t) => backend.typedArrayFromHeap(t),
      alloc: (shape) => {
        const info = backend.makeOutput(shape, 'float32');
        return { info, view: () => backend.typedArrayFromHeap(info) };
      },
    };
  }
  const cpu = backend as unknown as {
    readSync(dataId: object): Float32Array;
    makeTensorInfo(shape: number[], dtype: 'float32', values: Float32Array): TensorInfo;
  };
  return {
    simd: null,
    offset: () => 0,
    read: (t) => cpu.readSync(t.dataId),
    alloc: (shape) => {
      const values = new Float32Array(shape.reduce((a, b) => a * b, 1));
      return { info: cpu.makeTensorInfo(shape, 'float32', values), view: () => values };
    },
  };
}

/**
 * logits[h, i, j] = qk[h, i, j] + qe[h, i, len-1-i+j] for j <= i (the skew as an index shift), and
 * MASKED for j > i (the causal mask). qk, qe: [heads, len, len] -> [heads, len, len].
 */
function relLogits(backendName: 'wasm' | 'cpu'): KernelFunc {
  return ({ inputs, backend }) => {
    const qk = inputs.qk as TensorInfo;
    const qe = inputs.qe as TensorInfo;
    const [h, l] = qk.shape as [number, number, number];
    const x = io(backendName, backend as unknown as Backend);
    const out = x.alloc([h, l, l]);
    const a = x.read(qk);
    const e = x.read(qe);
    const o = out.view();
    const simd = x.simd;
    const [ao, eo, oo] = [x.offset(qk), x.offset(qe), x.offset(out.info)];
    for (let m = 0; m < h; m++) {
      for (let i = 0; i < l; i++) {
        const row = (m * l + i) * l;
        const shift = row + l - 1 - i;
        let j = 0;
        if (simd !== null) {
          const n4 = (i + 1) >> 2;
          simd.addRun(ao + row * 4, eo + shift * 4, oo + row * 4, n4);
          j = n4 * 4;
        }
        for (; j <= i; j++) o[row + j] = a[row + j]! + e[shift + j]!;
        o.fill(MASKED, row + i + 1, row + l);
      }
    }
    return out.info;
  };
}

/**
 * The softmax backward and the skew's adjoint in one pass. p, dp: [heads, len, len], rowDot:
 * [heads, len, 1] (sum_j p*dp). Returns g [heads, len, 2*len] = [ds | dqe] with
 * ds[i, j] = p[i, j] * (dp[i, j] - rowDot[i]) for j <= i (0 above the diagonal, where p is 0), and
 * dqe[i, len-1-i+j] = ds[i, j] (0 for the other columns): the gradients of qk and qe.
 */
function relGrad(backendName: 'wasm' | 'cpu'): KernelFunc {
  return ({ inputs, backend }) => {
    const pT = inputs.p as TensorInfo;
    const [h, l] = pT.shape as [number, number, number];
    const x = io(backendName, backend as unknown as Backend);
    const out = x.alloc([h, l, 2 * l]);
    const p = x.read(pT);
    const dp = x.read(inputs.dp as TensorInfo);
    const rd = x.read(inputs.rowDot as TensorInfo);
    const g = out.view();
    const simd = x.simd;
    const [po, dpo, go] = [x.offset(pT), x.offset(inputs.dp as TensorInfo), x.offset(out.info)];
    for (let m = 0; m < h; m++) {
      for (let i = 0; i < l; i++) {
        const src = (m * l + i) * l;
        const dst = (m * l + i) * 2 * l;
        const r = rd[m * l + i]!;
        const eBase = dst + l + l - 1 - i; // column len-1-i of the dqe half
        g.fill(0, dst + l, eBase);
        let j = 0;
        if (simd !== null) {
          const n4 = (i + 1) >> 2;
          simd.gradRun(po + src * 4, dpo + src * 4, r, go + dst * 4, go + eBase * 4, n4);
          j = n4 * 4;
        }
        for (; j <= i; j++) {
          const v = p[src + j]! * (dp[src + j]! - r);
          g[dst + j] = v;
          g[eBase + j] = v;
        }
        g.fill(0, dst + i + 1, dst + l);
      }
    }
    return out.info;
  };
}

let registered = false;

/** Registers both kernels for wasm and cpu (idempotent). */
export function registerFusedAttentionKernels(): void {
  if (registered) return;
  for (const b of ['wasm', 'cpu'] as const) {
    tf.registerKernel({ kernelName: REL_LOGITS, backendName: b, kernelFunc: relLogits(b) });
    tf.registerKernel({ kernelName: REL_GRAD, backendName: b, kernelFunc: relGrad(b) });
  }
  registered = true;
}

/** Whether the active backend has the fused kernels. */
export function fusedAttentionAvailable(): boolean {
  registerFusedAttentionKernels();
  return tf.getKernel(REL_LOGITS, tf.getBackend()) !== undefined;
}

export function relativeLogits(qk: tf.Tensor3D, qe: tf.Tensor3D): tf.Tensor3D {
  registerFusedAttentionKernels();
  return tf.engine().runKernel(REL_LOGITS, { qk, qe }) as tf.Tensor3D;
}

export function relativeGrad(p: tf.Tensor3D, dp: tf.Tensor3D, rowDot: tf.Tensor3D): tf.Tensor3D {
  registerFusedAttentionKernels();
  return tf.engine().runKernel(REL_GRAD, { p, dp, rowDot }) as tf.Tensor3D;
}
