import type { Kernels } from './kernels.js';
import { type RelativeTable, roundUp } from './weights.js';

/**
 * Per-layer key/value cache, preallocated and stored transposed, [dModel, stride] (column j = position j),
 * so that scores and the weighted sum of values are contiguous, vertical SIMD work (see kernels.ts).
 */
export interface KvCache {
  keys: Float32Array;
  values: Float32Array;
}

/** Scratch buffers reused across steps so the per-token loop allocates nothing large. */
export interface AttentionScratch {
  scores: Float32Array; // [heads, stride + 16]: logits, then softmax weights, of each head
  heads: Float32Array; // [dModel] merged head outputs before wo
}

export interface AttentionShape {
  dModel: number;
  heads: number;
  capacity: number;
}

/** Columns of a transposed cache: the capacity padded to the kernels' 16-column blocks. */
export const cacheStride = (capacity: number): number => roundUp(capacity, 16);

export function createAttentionState(
  alloc: (length: number) => Float32Array,
  shape: AttentionShape,
  layers: number,
): { caches: KvCache[]; scratch: AttentionScratch } {
  const stride = cacheStride(shape.capacity);
  const caches = Array.from({ length: layers }, () => ({
    keys: alloc(shape.dModel * stride),
    values: alloc(shape.dModel * stride),
  }));
  // +16: the relative pass starts at a key that need not be 16-aligned and writes whole blocks
  return { caches, scratch: { scores: alloc(shape.heads * (stride + 16)), heads: alloc(shape.dModel) } };
}

/**
 * Relative self-attention of the newest position t (= `pos`). `qkv` [3 * dModel] holds its q (already scaled
 * by 1/sqrt(depth)), k and v; k and v are written into the caches at column t first. For key j, head h:
 * logit = q_h . k_j + q_h . e_(t-j), where distance dist uses E row max(M-1-dist, 0) (rows ordered farthest
 * first; distances >= M-1 share row 0, as the original's skew produces). Keys j >= t-M+1 use the contiguous
 * rows E[M-1-t+j], so q.E is one pass over that block of the transposed table; older keys all add q_h.E[0]_h.
 * Causal by construction: only columns <= t are used. Cost O(t * dModel). Writes the merged heads [dModel]
 * into scratch.heads.
 */
export function attendNewest(
  kernels: Kernels,
  rel: RelativeTable | null,
  cache: KvCache,
  qkv: Float32Array,
  pos: number,
  shape: AttentionShape,
  scratch: AttentionScratch,
): void {
  const { dModel: d, heads, capacity } = shape;
  const depth = d / heads;
  const stride = cacheStride(capacity);
  const sStride = stride + 16;
  const { keys, values } = cache;
  for (let c = 0; c < d; c++) {
    keys[c * stride + pos] = qkv[d + c]!;
    values[c * stride + pos] = qkv[2 * d + c]!;
  }
  const count = pos + 1;
  const n16 = roundUp(count, 16);
  const n4 = roundUp(count, 4);
  const near = rel === null ? 0 : Math.max(0, pos - (rel.rows - 1)); // keys before `near` use E row 0
  const out = scratch.heads;
  for (let h = 0; h < heads; h++) {
    const off = h * depth;
    const q = qkv.subarray(off, off + depth);
    const scores = scratch.scores.subarray(h * sStride, (h + 1) * sStride);
    kernels.colDots(q, keys.subarray(off * stride), stride, scores, n16, depth, false);
    if (rel !== null) {
      const t = rel.transposed;
      const firstRow = rel.rows - 1 - pos + near;
      const block = t.subarray(off * rel.ldm + firstRow);
      kernels.colDots(q, block, rel.ldm, scores.subarray(near), roundUp(count - near, 16), depth, true);
      if (near > 0) {
        let far = 0;
        for (let c = 0; c < depth; c++) far += q[c]! * t[(off + c) * rel.ldm]!;
        for (let j = 0; j < near; j++) scores[j] = scores[j]! + far;
      }
    }
    scores.fill(Number.NEGATIVE_INFINITY, count, n4); // padding lanes take no part in the softmax
    const sum = kernels.expShifted(scores, n4);
    scores.fill(0, count, n16); // ... nor in the weighted sum of values
    const o = out.subarray(off, off + depth);
    kernels.rowDots(scores, values.subarray(off * stride), stride, o, depth, n16);
    // Normalising the [depth] output once is cheaper than dividing each of the `count` weights.
    const inv = 1 / sum;
    for (let c = 0; c < depth; c++) o[c] = o[c]! * inv;
  }
}
