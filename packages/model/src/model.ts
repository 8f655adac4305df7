import { ModelError } from './errors.js';
import { type HParams, parseHParams } from './hparams.js';
import { causalMask } from './ops/causal-mask.js';
import { layerNorm } from './ops/layer-norm.js';
import { sinusoidTable } from './ops/positional.js';
import { relativeAttention, relativeEmbeddings } from './ops/relative-attention.js';
import { checkWeights, initParams, type ParamSpec, paramSpecs } from './params.js';
import { tf } from './tf.js';

export interface ForwardOptions {
  /** Dropout on (training) or off (evaluation). */
  training: boolean;
  /** Dropout seed (training only): the same seed draws the same masks. Must be a non-zero integer. */
  seed?: number;
}

/**
 * Largest batch * heads * len^2 for which training keeps the attention probabilities for backprop
 * (32 MB per layer: len 1024 with 8 heads and one sequence per micro-batch). Beyond it they are
 * recomputed, which keeps len 2048 inside the 4 GB wasm heap.
 */
const KEEP_PROBS_LIMIT = 8 * 1024 * 1024;

/** TF.js variable names are global: each model prefixes its own so several can coexist. */
let nextModelId = 1;

/** Mixes a base seed and a site number into a non-zero 31-bit seed for tf.dropout. */
function siteSeed(base: number, site: number): number {
  let h = Math.imul((base | 0) ^ 0x7feb352d, 0x846ca68b) ^ Math.imul(site + 1, 0x9e3779b1);
  h = Math.imul(h ^ (h >>> 15), 0x2c1b3c6d);
  h ^= h >>> 12;
  return h & 0x7fffffff || 1;
}

/**
 * The Music Transformer of Huang et al. 2018: decoder-only, relative global self-attention with the
 * skew, parameters named like the original's PyTorch state_dict. Reading order of the forward pass:
 * embed * sqrt(d) (+ sinusoids) -> dropout -> N x [attention, FFN] (post- or pre-LN) -> norm -> final.
 */
export class MusicTransformer {
  readonly hparams: HParams;
  readonly specs: readonly ParamSpec[];
  /** One variable per parameter, in `specs` order. */
  private readonly vars: Map<string, tf.Variable>;
  private readonly masks = new Map<number, tf.Tensor2D>();
  private disposed = false;

  private constructor(hparams: HParams, values: Map<string, Float32Array>) {
    this.hparams = hparams;
    this.specs = paramSpecs(hparams);
    this.vars = new Map();
    const prefix = `mt${nextModelId++}/`;
    for (const spec of this.specs) {
      const v = values.get(spec.name)!;
      this.vars.set(spec.name, tf.variable(tf.tensor(v, spec.shape, 'float32'), true, prefix + spec.name));
    }
  }

  /** A freshly initialised model; the same seed gives the same weights on every backend. */
  static create(hparams: HParams, seed: number): MusicTransformer {
    const h = parseHParams(hparams);
    return new MusicTransformer(h, initParams(h, seed));
  }

  /** A model from a name -> values map; refuses the first missing, unexpected or mis-sized tensor. */
  static fromWeights(
    hparams: HParams,
    weights: Record<string, Float32Array> | Map<string, Float32Array>,
  ): MusicTransformer {
    const h = parseHParams(hparams);
    const map = weights instanceof Map ? weights : new Map(Object.entries(weights));
    checkWeights(h, map);
    return new MusicTransformer(h, map);
  }

  /** The variable of one parameter by state_dict name (its TF.js name carries a per-model prefix). */
  variable(name: string): tf.Variable {
    this.assertAlive();
    const v = this.vars.get(name);
    if (v === undefined) throw new ModelError('BAD_INPUT', `no parameter named '${name}'`);
    return v;
  }

  /** Trainable variables in spec order (for tf.variableGrads; gradients are keyed by variable.name). */
  variables(): tf.Variable[] {
    this.assertAlive();
    return this.specs.map((s) => this.vars.get(s.name)!);
  }

  /** A copy of every parameter, by state_dict name. */
  weights(): Record<string, Float32Array> {
    this.assertAlive();
    const out: Record<string, Float32Array> = {};
    for (const spec of this.specs) out[spec.name] = this.vars.get(spec.name)!.dataSync() as Float32Array;
    return out;
  }

  /** Overwrites parameters in place (same names and sizes as `weights()`). */
  setWeights(weights: Record<string, Float32Array> | Map<string, Float32Array>): void {
    this.assertAlive();
    const map = weights instanceof Map ? weights : new Map(Object.entries(weights));
    checkWeights(this.hparams, map);
    for (const spec of this.specs) {
      const v = this.vars.get(spec.name)!;
      tf.tidy(() => v.assign(tf.tensor(map.get(spec.name)!, spec.shape, 'float32')));
    }
  }

  /**
   * Next-token logits. ids: int32 [batch, len] -> float32 [batch, len, vocab]. Call inside tf.tidy or
   * dispose the result.
   */
  logits(ids: tf.Tensor2D, options: ForwardOptions): tf.Tensor3D {
    this.assertAlive();
    const h = this.hparams;
    if (ids.rank !== 2 || ids.dtype !== 'int32') {
      throw new ModelError(
        'BAD_INPUT',
        `logits: ids must be an int32 [batch, len] tensor, got ${ids.dtype} [${ids.shape}]`,
      );
    }
    const [batch, len] = ids.shape;
    if (batch === 0 || len === 0) throw new ModelError('BAD_INPUT', `logits: empty ids [${ids.shape}]`);
    if (h.max_abs_position > 0 && len > h.max_abs_position) {
      throw new ModelError(
        'BAD_INPUT',
        `logits: length ${len} exceeds max_abs_position ${h.max_abs_position}`,
      );
    }
    const training = options.training && h.dropout > 0;
    const seed = options.seed ?? 1;
    if (training && (!Number.isInteger(seed) || seed === 0)) {
      throw new ModelError('BAD_INPUT', `logits: dropout seed must be a non-zero integer, got ${seed}`);
    }
    let site = 0;
    const drop = (x: tf.Tensor2D): tf.Tensor2D =>
      training ? (tf.dropout(x, h.dropout, undefined, siteSeed(seed, site++)) as tf.Tensor2D) : x;
    const mask = this.maskFor(len);
    const keepProbs = options.training && batch * h.num_heads * len * len <= KEEP_PROBS_LIMIT;
    const p = (name: string) => this.vars.get(name)!;
    const d = h.d_model;
    const rows = batch * len;

    return tf.tidy(() => {
      // Embedding as one-hot x matMul: the gradient of gather needs UnsortedSegmentSum, which wasm lacks.
      const onehot = tf.cast(tf.oneHot(tf.reshape(ids, [rows]), h.vocab_size), 'float32'); // [rows, vocab]
      let x = tf.mul(tf.matMul(onehot, p('input_embedding.weight')), Math.sqrt(d)) as tf.Tensor2D; // [rows, dModel]
      if (h.max_abs_position > 0) {
        const table = tf.tensor3d(sinusoidTable(len, d), [1, len, d]);
        x = tf.reshape(tf.add(tf.reshape(x, [batch, len, d]), table), [rows, d]);
      }
      x = drop(x);
      for (let i = 0; i < h.num_layers; i++) {
        const pre = `decoder.layers.${i}`;
        const ln1 = (t: tf.Tensor2D) =>
          layerNorm(
            t,
            p(`${pre}.layernorm1.weight`) as tf.Tensor1D,
            p(`${pre}.layernorm1.bias`) as tf.Tensor1D,
            h.layernorm_eps,
          );
        const ln2 = (t: tf.Tensor2D) =>
          layerNorm(
            t,
            p(`${pre}.layernorm2.weight`) as tf.Tensor1D,
            p(`${pre}.layernorm2.bias`) as tf.Tensor1D,
            h.layernorm_eps,
          );
        if (h.norm === 'pre') {
          x = tf.add(x, drop(this.attention(ln1(x), i, batch, len, mask, keepProbs)));
          x = tf.add(x, drop(this.ffn(ln2(x), i)));
        } else {
          x = ln1(tf.add(x, drop(this.attention(x, i, batch, len, mask, keepProbs))));
          x = ln2(tf.add(x, drop(this.ffn(x, i))));
        }
      }
      x = layerNorm(
        x,
        p('decoder.norm.weight') as tf.Tensor1D,
        p('decoder.norm.bias') as tf.Tensor1D,
        h.layernorm_eps,
      );
      return tf.reshape(this.linear(x, 'final'), [batch, len, h.vocab_size]) as tf.Tensor3D;
    });
  }

  /** y = x W^T + b with W in PyTorch's [out, in] layout. x: [rows, in] -> [rows, out]. */
  private linear(x: tf.Tensor2D, name: string): tf.Tensor2D {
    const y = tf.matMul(x, this.vars.get(`${name}.weight`)!, false, true);
    const b = this.vars.get(`${name}.bias`);
    return (b === undefined ? y : tf.add(y, b)) as tf.Tensor2D;
  }

  private ffn(x: tf.Tensor2D, layer: number): tf.Tensor2D {
    const pre = `decoder.layers.${layer}.ffn.main`;
    return this.linear(tf.relu(this.linear(x, `${pre}.0`)), `${pre}.2`);
  }

  /** Multi-head relative self-attention. x: [batch*len, dModel] -> [batch*len, dModel]. */
  private attention(
    x: tf.Tensor2D,
    layer: number,
    batch: number,
    len: number,
    mask: tf.Tensor2D,
    keepProbs: boolean,
  ): tf.Tensor2D {
    const h = this.hparams;
    const heads = h.num_heads;
    const depth = h.d_model / heads;
    const pre = `decoder.layers.${layer}.self_attn`;
    const split = (t: tf.Tensor2D) =>
      tf.transpose(tf.reshape(t, [batch, len, heads, depth]), [0, 2, 1, 3]) as tf.Tensor4D; // [batch, heads, len, depth]
    const q = split(this.linear(x, `${pre}.wq`));
    const k = split(this.linear(x, `${pre}.wk`));
    const v = split(this.linear(x, `${pre}.wv`));
    const e = this.vars.get(`${pre}.E.weight`);
    const er = e === undefined ? null : relativeEmbeddings(e as tf.Tensor2D, len, heads);
    const o = relativeAttention(q, k, v, er, mask, { keepProbs }); // [batch, heads, len, depth]
    const merged = tf.reshape(tf.transpose(o, [0, 2, 1, 3]), [batch * len, h.d_model]) as tf.Tensor2D;
    return this.linear(merged, `${pre}.wo`);
  }

  private maskFor(len: number): tf.Tensor2D {
    let m = this.masks.get(len);
    if (m === undefined) {
      // keep: logits() usually runs inside a caller's tidy or gradient scope, which would free the cache.
      m = tf.keep(tf.tidy(() => causalMask(len)));
      this.masks.set(len, m);
    }
    return m;
  }

  get isDisposed(): boolean {
    return this.disposed;
  }

  dispose(): void {
    if (this.disposed) return;
    for (const v of this.vars.values()) v.dispose();
    for (const m of this.masks.values()) m.dispose();
    this.masks.clear();
    this.disposed = true;
  }

  private assertAlive(): void {
    if (this.disposed) throw new ModelError('DISPOSED', 'MusicTransformer used after dispose()');
  }
}
