import type { HParams } from '../hparams.js';
import { checkWeights } from '../params.js';

/** One decoder layer's weights, rearranged once for the per-token loops of the cached decoder. */
export interface LayerWeights {
  /** wq, wk, wv stacked: [3 * dModel, dModel] in PyTorch's [out, in] layout; q rows pre-scaled by 1/sqrt(depth). */
  wqkv: Float32Array;
  /** [3 * dModel]; zeros when hparams.bias is false; q part pre-scaled like wqkv. */
  bqkv: Float32Array;
  wo: Float32Array; // [dModel, dModel]
  bo: Float32Array; // [dModel]
  /** The relative embedding E, transposed; null when max_rel_dist = 0. */
  rel: RelativeTable | null;
  w1: Float32Array; // [d_ff, dModel]
  b1: Float32Array; // [d_ff]
  w2: Float32Array; // [dModel, d_ff]
  b2: Float32Array; // [dModel]
  ln1: { weight: Float32Array; bias: Float32Array };
  ln2: { weight: Float32Array; bias: Float32Array };
}

/**
 * E [max_rel_dist, dModel] (row 0 = farthest distance) stored transposed as [dModel, ldm]: column r is row r
 * of E. With ldm = max_rel_dist + 16 the kernels may read 16 columns past the end (see attention.ts).
 */
export interface RelativeTable {
  transposed: Float32Array;
  rows: number; // max_rel_dist
  ldm: number;
}

/** Pads n up to a multiple of m. */
export const roundUp = (n: number, m: number): number => Math.ceil(n / m) * m;

export function transposeRelative(e: Float32Array, rows: number, d: number): RelativeTable {
  const ldm = rows + 16;
  const transposed = new Float32Array(d * ldm);
  for (let r = 0; r < rows; r++) for (let c = 0; c < d; c++) transposed[c * ldm + r] = e[r * d + c]!;
  return { transposed, rows, ldm };
}

export interface DecoderWeights {
  hparams: HParams;
  embedding: Float32Array; // [vocab, dModel]
  layers: LayerWeights[];
  norm: { weight: Float32Array; bias: Float32Array };
  final: Float32Array; // [vocab, dModel]
  finalBias: Float32Array; // [vocab]
}

/**
 * Checks a state_dict-style weight map against the hparams and rearranges it for the cached decoder. The
 * first missing, unexpected or wrongly sized tensor is refused by name (`checkWeights` of the parameter specs): nothing
 * runs on random weights. Arrays are copied where they are rescaled and otherwise shared, never mutated.
 */
export function prepareDecoderWeights(
  hparams: HParams,
  weights: Record<string, Float32Array>,
): DecoderWeights {
  checkWeights(hparams, new Map(Object.entries(weights)));
  const get = (name: string): Float32Array => weights[name]!;
  const d = hparams.d_model;
  // Folding 1/sqrt(depth) into q makes both q.k and q.e come out already scaled (logits = (q.k + q.e)/sqrt(depth)).
  const scale = 1 / Math.sqrt(d / hparams.num_heads);
  const layers: LayerWeights[] = [];
  for (let i = 0; i < hparams.num_layers; i++) {
    const p = `decoder.layers.${i}`;
    const wqkv = new Float32Array(3 * d * d);
    const bqkv = new Float32Array(3 * d);
    ['wq', 'wk', 'wv'].forEach((w, k) => {
      const s = k === 0 ? scale : 1;
      const src = get(`${p}.self_attn.${w}.weight`);
      for (let j = 0; j < d * d; j++) wqkv[k * d * d + j] = src[j]! * s;
      if (hparams.bias) {
        const b = get(`${p}.self_attn.${w}.bias`);
        for (let j = 0; j < d; j++) bqkv[k * d + j] = b[j]! * s;
      }
    });
    layers.push({
      wqkv,
      bqkv,
      wo: get(`${p}.self_attn.wo.weight`),
      bo: get(`${p}.self_attn.wo.bias`),
      rel:
        hparams.max_rel_dist > 0
          ? transposeRelative(get(`${p}.self_attn.E.weight`), hparams.max_rel_dist, d)
          : null,
      w1: get(`${p}.ffn.main.0.weight`),
      b1: hparams.bias ? get(`${p}.ffn.main.0.bias`) : new Float32Array(hparams.d_ff),
      w2: get(`${p}.ffn.main.2.weight`),
      b2: hparams.bias ? get(`${p}.ffn.main.2.bias`) : new Float32Array(d),
      ln1: { weight: get(`${p}.layernorm1.weight`), bias: get(`${p}.layernorm1.bias`) },
      ln2: { weight: get(`${p}.layernorm2.weight`), bias: get(`${p}.layernorm2.bias`) },
    });
  }
  return {
    hparams,
    embedding: get('input_embedding.weight'),
    layers,
    norm: { weight: get('decoder.norm.weight'), bias: get('decoder.norm.bias') },
    final: get('final.weight'),
    finalBias: get('final.bias'),
  };
}
