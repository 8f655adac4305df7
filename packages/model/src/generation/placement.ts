import { ModelError } from '../errors.js';
import { createSimdKernels, jsKernels, type Kernels, simdSupported } from './kernels.js';
import { type DecoderWeights, type LayerWeights, roundUp } from './weights.js';

/** Which vector kernels to use: 'auto' = SIMD where the runtime and the shapes allow it, else JS. */
export type KernelChoice = 'auto' | 'simd' | 'js';

/**
 * The kernel set for a decoder. SIMD kernels address one fixed WebAssembly memory holding the weights and
 * `stateFloats` more floats of caches and scratch, so it is sized here, once, from the exact allocations.
 */
export function pickKernels(w: DecoderWeights, choice: KernelChoice, stateFloats: number): Kernels {
  const h = w.hparams;
  const ok = simdSupported({ dModel: h.d_model, dFf: h.d_ff, vocab: h.vocab_size });
  if (choice === 'simd' && !ok) {
    throw new ModelError(
      'BACKEND_UNAVAILABLE',
      `SIMD generation kernels need WebAssembly SIMD and d_model, d_ff, vocab_size divisible by 4; got d_model ${h.d_model}, d_ff ${h.d_ff}, vocab_size ${h.vocab_size}`,
    );
  }
  if (choice === 'js' || !ok) return jsKernels;
  const weightFloats = weightArrays(w).reduce((n, a) => n + roundUp(a.length, 4), 0);
  return createSimdKernels(weightFloats + stateFloats);
}

/** Counts the floats `allocate` asks for (rounded as the SIMD allocator rounds), allocating nothing. */
export function countFloats(allocate: (alloc: (length: number) => Float32Array) => unknown): number {
  let total = 0;
  const empty = new Float32Array(0);
  allocate((length) => {
    total += roundUp(length, 4);
    return empty;
  });
  return total;
}

function layerArrays(l: LayerWeights): Float32Array[] {
  const arrays = [l.wqkv, l.bqkv, l.wo, l.bo, l.w1, l.b1, l.w2, l.b2];
  arrays.push(l.ln1.weight, l.ln1.bias, l.ln2.weight, l.ln2.bias);
  return l.rel === null ? arrays : [...arrays, l.rel.transposed];
}

/** Every weight array `placeWeights` copies. */
function weightArrays(w: DecoderWeights): Float32Array[] {
  return [w.embedding, w.final, w.finalBias, w.norm.weight, w.norm.bias, ...w.layers.flatMap(layerArrays)];
}

/** The weights in kernel memory: copied for the SIMD kernels, as they are for the JS kernels. */
export function placeWeights(k: Kernels, w: DecoderWeights): DecoderWeights {
  if (k.name === 'js') return w;
  const p = (a: Float32Array) => {
    const out = k.alloc(a.length);
    out.set(a);
    return out;
  };
  return {
    hparams: w.hparams,
    embedding: p(w.embedding),
    final: p(w.final),
    finalBias: p(w.finalBias),
    norm: { weight: p(w.norm.weight), bias: p(w.norm.bias) },
    layers: w.layers.map((l) => ({
      wqkv: p(l.wqkv),
      bqkv: p(l.bqkv),
      wo: p(l.wo),
      bo: p(l.bo),
      rel: l.rel === null ? null : { ...l.rel, transposed: p(l.rel.transposed) },
      w1: p(l.w1),
      b1: p(l.b1),
      w2: p(l.w2),
      b2: p(l.b2),
      ln1: { weight: p(l.ln1.weight), bias: p(l.ln1.bias) },
      ln2: { weight: p(l.ln2.weight), bias: p(l.ln2.bias) },
    })),
  };
}
