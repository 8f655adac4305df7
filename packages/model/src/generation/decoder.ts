import { ModelError } from '../errors.js';
import { sinusoidTable } from '../ops/positional.js';
import {
  type AttentionScratch,
  type AttentionShape,
  attendNewest,
  createAttentionState,
  type KvCache,
} from './attention.js';
import type { Kernels } from './kernels.js';
import { countFloats, type KernelChoice, pickKernels, placeWeights } from './placement.js';
import { addInPlace, layerNorm, reluInPlace } from './vector-math.js';
import type { DecoderWeights } from './weights.js';

export type { KernelChoice } from './placement.js';

/** Tokens per prefill chunk: enough to amortise reading the weights, small enough for L2. */
const PREFILL_CHUNK = 64;

/** Every buffer of a decoder besides its weights; allocated once, overwritten at each step. */
interface DecoderState {
  caches: KvCache[];
  scratch: AttentionScratch;
  normed: Float32Array; // [dModel]: the final norm of the row whose logits are asked for
  out: Float32Array; // [vocab]
  /** Row buffers of a prefill chunk, [PREFILL_CHUNK, width] each. */
  batch: {
    x: Float32Array; // [chunk, dModel] residual streams
    normed: Float32Array; // [chunk, dModel]
    qkv: Float32Array; // [chunk, 3 * dModel]
    heads: Float32Array; // [chunk, dModel]
    proj: Float32Array; // [chunk, dModel]
    hidden: Float32Array; // [chunk, d_ff]
  };
}

function allocateState(
  alloc: (length: number) => Float32Array,
  h: DecoderWeights['hparams'],
  shape: AttentionShape,
): DecoderState {
  const d = h.d_model;
  const B = PREFILL_CHUNK;
  return {
    ...createAttentionState(alloc, shape, h.num_layers),
    normed: alloc(d),
    out: alloc(h.vocab_size),
    batch: {
      x: alloc(B * d),
      normed: alloc(B * d),
      qkv: alloc(B * 3 * d),
      heads: alloc(B * d),
      proj: alloc(B * d),
      hidden: alloc(B * h.d_ff),
    },
  };
}

/** Views of each row of the chunk buffers, and of their first n rows (index n), for the per-row passes. */
interface ChunkViews {
  x: Float32Array[];
  normed: Float32Array[];
  qkv: Float32Array[];
  heads: Float32Array[];
  xFirst: Float32Array[];
  projFirst: Float32Array[];
  hiddenFirst: Float32Array[];
}

function chunkViews(b: DecoderState['batch'], d: number, dFf: number): ChunkViews {
  const rows = (a: Float32Array, width: number) =>
    Array.from({ length: PREFILL_CHUNK }, (_, i) => a.subarray(i * width, (i + 1) * width));
  const first = (a: Float32Array, width: number) =>
    Array.from({ length: PREFILL_CHUNK + 1 }, (_, n) => a.subarray(0, n * width));
  return {
    x: rows(b.x, d),
    normed: rows(b.normed, d),
    qkv: rows(b.qkv, 3 * d),
    heads: rows(b.heads, d),
    xFirst: first(b.x, d),
    projFirst: first(b.proj, d),
    hiddenFirst: first(b.hidden, dFf),
  };
}

/**
 * The Music Transformer in eval mode (no dropout), fed one token at a time with a key/value cache: each step
 * costs O(current length) instead of the full recompute of the original. Holds at most `capacity`
 * positions; what to do when it is full (the sliding window) is the session's policy, not this class's.
 */
export class CachedDecoder {
  readonly capacity: number;
  readonly kernels: Kernels;
  private readonly w: DecoderWeights;
  private readonly shape: AttentionShape;
  private readonly state: DecoderState;
  private readonly positions: Float32Array | null; // [capacity, dModel] sinusoids; null without absolute positions
  private len = 0;
  /** The one-row chunk of `step` and the row views, made once so that a step allocates nothing. */
  private readonly oneToken = [0];
  private readonly views: ChunkViews;

  constructor(weights: DecoderWeights, capacity: number, kernels: KernelChoice = 'auto') {
    const h = weights.hparams;
    if (!Number.isInteger(capacity) || capacity < 1) {
      throw new ModelError('BAD_INPUT', `decoder capacity must be an integer >= 1, got ${capacity}`);
    }
    if (h.max_abs_position > 0 && capacity > h.max_abs_position) {
      throw new ModelError(
        'BAD_INPUT',
        `decoder capacity ${capacity} exceeds max_abs_position ${h.max_abs_position}: positions past the table have no encoding`,
      );
    }
    const d = h.d_model;
    this.shape = { dModel: d, heads: h.num_heads, capacity };
    const shape = this.shape;
    const k = pickKernels(
      weights,
      kernels,
      countFloats((alloc) => allocateState(alloc, h, shape)),
    );
    this.kernels = k;
    this.capacity = capacity;
    this.w = placeWeights(k, weights);
    this.state = allocateState((length) => k.alloc(length), h, shape);
    this.views = chunkViews(this.state.batch, d, h.d_ff);
    this.positions = h.max_abs_position > 0 ? sinusoidTable(capacity, d) : null;
  }

  /** Number of positions in the cache. */
  get length(): number {
    return this.len;
  }

  /** Forgets every cached position (the buffers are kept and overwritten). */
  reset(): void {
    this.len = 0;
  }

  /**
   * Appends `token` at the next position and returns the logits [vocab] for the position after it: a
   * prefill of one row, so there is one cached forward pass. The returned array is owned by the decoder and
   * overwritten by the next call: copy it to keep it. With `withLogits` false the final projection is
   * skipped (prefill of all but the last primer token).
   */
  step(token: number, withLogits = true): Float32Array {
    if (this.len >= this.capacity) {
      throw new ModelError(
        'BAD_INPUT',
        `decoder is full (${this.capacity} positions): reset() or slide the window`,
      );
    }
    this.checkToken(token);
    this.oneToken[0] = token;
    this.prefillChunk(this.oneToken);
    return withLogits ? this.logitsOfRow(0) : this.state.out;
  }

  /**
   * Appends `tokens` in one go, as `step` would one by one, and returns the logits [vocab] after the last
   * (owned by the decoder, like `step`'s). Per chunk of up to 64 tokens, every Linear runs over all of them
   * at once (the weights are read once per chunk, not once per token); attention stays per token, in order,
   * so each query sees exactly its prefix. Used to encode a primer or a slid window.
   */
  prefill(tokens: readonly number[], withLogits = true): Float32Array {
    if (this.len + tokens.length > this.capacity) {
      throw new ModelError(
        'BAD_INPUT',
        `prefill of ${tokens.length} tokens does not fit: ${this.len} of ${this.capacity} positions are used`,
      );
    }
    for (const t of tokens) this.checkToken(t);
    for (let from = 0; from < tokens.length; from += PREFILL_CHUNK) {
      this.prefillChunk(tokens.slice(from, from + PREFILL_CHUNK));
    }
    if (!withLogits || tokens.length === 0) return this.state.out;
    return this.logitsOfRow((tokens.length - 1) % PREFILL_CHUNK);
  }

  /** The final norm and projection of row `i` of the last chunk, into the shared logits buffer. */
  private logitsOfRow(i: number): Float32Array {
    const h = this.w.hparams;
    const d = h.d_model;
    const { out, normed, batch } = this.state;
    layerNorm(
      batch.x.subarray(i * d, (i + 1) * d),
      this.w.norm.weight,
      this.w.norm.bias,
      h.layernorm_eps,
      normed,
    );
    this.kernels.linear(this.w.final, this.w.finalBias, normed, out, h.vocab_size, d);
    return out;
  }

  /** The cached forward pass over up to PREFILL_CHUNK checked tokens, appended at the next positions. */
  private prefillChunk(tokens: ArrayLike<number>): void {
    const h = this.w.hparams;
    const d = h.d_model;
    const n = tokens.length;
    const k = this.kernels;
    const { x, normed, qkv, heads, proj, hidden } = this.state.batch;
    const { caches, scratch } = this.state;
    const v = this.views;
    const start = this.len;
    for (let i = 0; i < n; i++) this.embed(tokens[i]!, start + i, v.x[i]!);
    const pre = h.norm === 'pre';
    for (let l = 0; l < this.w.layers.length; l++) {
      const layer = this.w.layers[l]!;
      // attention sublayer: pre-LN normalises its input, post-LN normalises the residual sum
      if (pre) this.normRows(n, layer.ln1, v.x, v.normed);
      k.linearBatch(layer.wqkv, layer.bqkv, pre ? normed : x, qkv, 3 * d, d, n);
      for (let i = 0; i < n; i++) {
        attendNewest(k, layer.rel, caches[l]!, v.qkv[i]!, start + i, this.shape, scratch);
        v.heads[i]!.set(scratch.heads);
      }
      k.linearBatch(layer.wo, layer.bo, heads, proj, d, d, n);
      addInPlace(v.xFirst[n]!, v.projFirst[n]!);
      if (!pre) this.normRows(n, layer.ln1, v.x, v.x);
      // feed-forward sublayer
      if (pre) this.normRows(n, layer.ln2, v.x, v.normed);
      k.linearBatch(layer.w1, layer.b1, pre ? normed : x, hidden, h.d_ff, d, n);
      reluInPlace(v.hiddenFirst[n]!);
      k.linearBatch(layer.w2, layer.b2, hidden, proj, d, h.d_ff, n);
      addInPlace(v.xFirst[n]!, v.projFirst[n]!);
      if (!pre) this.normRows(n, layer.ln2, v.x, v.x);
    }
    this.len = start + n;
  }

  /** LayerNorm of the first n rows of `from` into `to` (the same views for in place). */
  private normRows(
    n: number,
    ln: { weight: Float32Array; bias: Float32Array },
    from: readonly Float32Array[],
    to: readonly Float32Array[],
  ): void {
    const eps = this.w.hparams.layernorm_eps;
    for (let i = 0; i < n; i++) layerNorm(from[i]!, ln.weight, ln.bias, eps, to[i]!);
  }

  /** x = embedding[token] * sqrt(dModel) (+ the sinusoid of `pos`), as the original's input layer. */
  private embed(token: number, pos: number, x: Float32Array): void {
    const d = this.w.hparams.d_model;
    const emb = this.w.embedding;
    const positions = this.positions;
    const embScale = Math.sqrt(d);
    for (let c = 0; c < d; c++) {
      x[c] = emb[token * d + c]! * embScale + (positions === null ? 0 : positions[pos * d + c]!);
    }
  }

  private checkToken(token: number): void {
    const v = this.w.hparams.vocab_size;
    if (!Number.isInteger(token) || token < 0 || token >= v) {
      throw new ModelError('BAD_INPUT', `token ${token} is not an id in [0, ${v})`);
    }
  }
}
