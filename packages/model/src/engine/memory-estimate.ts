import type { HParams } from '../hparams.js';
import { countParameters } from '../hparams.js';

/** A wasm32 heap cannot grow past 4 GiB: every TF.js wasm replica (one per worker thread) lives in one. */
export const WASM_HEAP_BYTES = 4 * 2 ** 30;

/**
 * Share of the heap a step may be estimated to use. Above it the step may still fit once and then fail
 * the next time, when the heap is fragmented (measured: the paper preset at 2,048 tokens ran one step and
 * died in the second).
 */
export const WASM_HEAP_BUDGET = 0.85;

/**
 * Bytes per element of each term, fitted (least squares, non-negative) to the wasm heap's high-water mark
 * after one training step, measured with `packages/model/bench/train-memory.mjs`: default preset at 128,
 * 256, 512 and 1,024 tokens x 1 row and 256, 512 x 8 rows, paper at 512 and 1,024 x 1, tiny at 512 x 4.
 * The fit is within 22 % of every measurement and under it by at most 9 %, hence `MARGIN`. The attention's
 * [heads, len, len] scores are the L^2 terms; most of that memory does not grow with the rows of a
 * micro-batch (measured: 8 rows of 512 tokens need 4.2 times the heap of 1 row, not 8 times).
 */
const BYTES = {
  /** Weights, their gradients and the tape's copies. */
  parameter: 19.9,
  /** Per layer, head and (query, key) pair, once per micro-batch. */
  attention: 13.1,
  /** Per row, layer, head and (query, key) pair. */
  attentionPerRow: 0.28,
  /** Per row, layer, position and channel of d_model + d_ff (activations of the linears). */
  channel: 49.8,
  /** Per row, position and vocabulary id (logits, softmax, their gradients). */
  vocab: 200.2,
} as const;

/** Over the fit, for the measurements it under-estimates. */
const MARGIN = 1.1;

export interface StepMemory {
  /** Estimated peak bytes of one replica's heap during a training step. */
  bytes: number;
  /** Bytes of it in the attention's L^2 tensors. */
  attentionBytes: number;
}

/**
 * Peak heap of one replica while it computes the gradients of one micro-batch of `batch` rows of `len`
 * tokens (a replica runs its micro-batches one after another, so `batch` is the micro-batch size).
 */
export function estimateStepMemory(hparams: HParams, len: number, batch: number): StepMemory {
  const h = hparams;
  const pairs = h.num_layers * h.num_heads * len * len;
  const attentionBytes = MARGIN * (BYTES.attention * pairs + BYTES.attentionPerRow * batch * pairs);
  const bytes =
    attentionBytes +
    MARGIN *
      (BYTES.parameter * countParameters(h) +
        BYTES.channel * batch * h.num_layers * len * (h.d_model + h.d_ff) +
        BYTES.vocab * batch * len * h.vocab_size);
  return { bytes, attentionBytes };
}

/** Whether the estimate fits the wasm heap with the fragmentation margin. */
export function fitsWasmHeap(memory: StepMemory): boolean {
  return memory.bytes <= WASM_HEAP_BUDGET * WASM_HEAP_BYTES;
}
