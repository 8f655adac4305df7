import type { HParams } from '../../hparams.js';

// A deliberately naive full forward (eval mode) in float64, written from the description in docs/original-project.md and independent
// of the cached decoder: explicit per-distance embeddings, an explicit causal loop, the 1/sqrt(depth) applied
// to the summed logits. Used to check the cached generator until/besides MusicTransformer.logits.

type Vec = Float64Array;

function linear(w: Float32Array, b: Float32Array | undefined, x: Vec, rows: number, cols: number): Vec {
  const y = new Float64Array(rows);
  for (let r = 0; r < rows; r++) {
    let s = b === undefined ? 0 : b[r]!;
    for (let c = 0; c < cols; c++) s += w[r * cols + c]! * x[c]!;
    y[r] = s;
  }
  return y;
}

function layerNorm(x: Vec, w: Float32Array, b: Float32Array, eps: number): Vec {
  const n = x.length;
  const mean = x.reduce((a, v) => a + v, 0) / n;
  const variance = x.reduce((a, v) => a + (v - mean) ** 2, 0) / n;
  return x.map((v, i) => ((v - mean) / Math.sqrt(variance + eps)) * w[i]! + b[i]!);
}

/** Logits [len][vocab] for every position of `tokens`. */
export function referenceLogits(
  h: HParams,
  W: Record<string, Float32Array>,
  tokens: readonly number[],
): Vec[] {
  const d = h.d_model;
  const depth = d / h.num_heads;
  let xs: Vec[] = tokens.map((t, pos) => {
    const x = new Float64Array(d);
    for (let c = 0; c < d; c++) {
      x[c] = W['input_embedding.weight']![t * d + c]! * Math.sqrt(d);
      if (h.max_abs_position > 0) {
        const angle = pos / 10000 ** ((2 * Math.floor(c / 2)) / d);
        x[c]! += c % 2 === 0 ? Math.sin(angle) : Math.cos(angle);
      }
    }
    return x;
  });
  for (let i = 0; i < h.num_layers; i++) {
    const p = `decoder.layers.${i}`;
    const ln = (x: Vec, n: string) =>
      layerNorm(x, W[`${p}.${n}.weight`]!, W[`${p}.${n}.bias`]!, h.layernorm_eps);
    const attention = (inp: Vec[]): Vec[] => {
      const q = inp.map((x) => linear(W[`${p}.self_attn.wq.weight`]!, W[`${p}.self_attn.wq.bias`], x, d, d));
      const k = inp.map((x) => linear(W[`${p}.self_attn.wk.weight`]!, W[`${p}.self_attn.wk.bias`], x, d, d));
      const v = inp.map((x) => linear(W[`${p}.self_attn.wv.weight`]!, W[`${p}.self_attn.wv.bias`], x, d, d));
      const E = W[`${p}.self_attn.E.weight`];
      return inp.map((_, t) => {
        const merged = new Float64Array(d);
        for (let head = 0; head < h.num_heads; head++) {
          const logits: number[] = [];
          for (let j = 0; j <= t; j++) {
            let s = 0;
            const row = Math.max(h.max_rel_dist - 1 - (t - j), 0);
            for (let c = head * depth; c < (head + 1) * depth; c++) {
              s += q[t]![c]! * k[j]![c]!;
              if (E !== undefined) s += q[t]![c]! * E[row * d + c]!;
            }
            logits.push(s / Math.sqrt(depth));
          }
          const max = Math.max(...logits);
          const ex = logits.map((l) => Math.exp(l - max));
          const sum = ex.reduce((a, b) => a + b, 0);
          for (let j = 0; j <= t; j++) {
            for (let c = head * depth; c < (head + 1) * depth; c++) merged[c]! += (ex[j]! / sum) * v[j]![c]!;
          }
        }
        return linear(W[`${p}.self_attn.wo.weight`]!, W[`${p}.self_attn.wo.bias`], merged, d, d);
      });
    };
    const ffn = (x: Vec): Vec => {
      const hid = linear(W[`${p}.ffn.main.0.weight`]!, W[`${p}.ffn.main.0.bias`], x, h.d_ff, d).map((v) =>
        Math.max(v, 0),
      );
      return linear(W[`${p}.ffn.main.2.weight`]!, W[`${p}.ffn.main.2.bias`], hid, d, h.d_ff);
    };
    const add = (a: Vec, b: Vec) => a.map((v, c) => v + b[c]!);
    if (h.norm === 'pre') {
      const a = attention(xs.map((x) => ln(x, 'layernorm1'))).map((o, t) => add(xs[t]!, o));
      xs = a.map((x) => add(x, ffn(ln(x, 'layernorm2'))));
    } else {
      const a = attention(xs).map((o, t) => ln(add(xs[t]!, o), 'layernorm1'));
      xs = a.map((x) => ln(add(x, ffn(x)), 'layernorm2'));
    }
  }
  return xs.map((x) => {
    const n = layerNorm(x, W['decoder.norm.weight']!, W['decoder.norm.bias']!, h.layernorm_eps);
    return linear(W['final.weight']!, W['final.bias'], n, h.vocab_size, d);
  });
}
