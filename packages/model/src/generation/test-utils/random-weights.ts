import type { HParams } from '../../hparams.js';
import { paramSpecs } from '../../params.js';
import type { Rng } from '../../sampling/types.js';

/** mulberry32: a tiny seeded generator for test weights (the product uses createRng from vocab). */
export function testRng(seed: number): Rng {
  let a = seed >>> 0;
  return {
    next() {
      a = (a + 0x6d2b79f5) >>> 0;
      let t = a;
      t = Math.imul(t ^ (t >>> 15), t | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    },
  };
}

/**
 * Random weights in the state_dict layout, scaled like PyTorch's defaults (Linear U(+-1/sqrt(fan_in)),
 * embeddings and E ~ unit scale) and with LayerNorm gains away from 1 so post- and pre-LN really differ.
 */
export function randomWeights(h: HParams, seed: number): Record<string, Float32Array> {
  const rng = testRng(seed);
  const out: Record<string, Float32Array> = {};
  for (const { name, shape } of paramSpecs(h)) {
    const size = shape.reduce((a, b) => a * b, 1);
    const a = new Float32Array(size);
    const fanIn = shape.length === 2 ? shape[1]! : h.d_model;
    const isNorm = name.includes('norm');
    const isTable = name.endsWith('E.weight') || name === 'input_embedding.weight';
    for (let i = 0; i < size; i++) {
      const u = rng.next() * 2 - 1;
      if (isNorm) a[i] = name.endsWith('weight') ? 1 + 0.3 * u : 0.1 * u;
      else if (isTable) a[i] = u * 1.7;
      else a[i] = u / Math.sqrt(fanIn);
    }
    out[name] = a;
  }
  return out;
}
