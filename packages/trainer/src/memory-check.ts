import {
  estimateStepMemory,
  type HParams,
  WASM_HEAP_BUDGET,
  WASM_HEAP_BYTES,
} from '@music-transformer/model';
import { TrainerError } from './errors.js';

/** The ways out of a step too large for the heap, said the same way wherever it is hit. */
export const MEMORY_WAYS_OUT =
  'use shorter rows (mt preprocess with a smaller length), a smaller micro-batch (--accumulate), a smaller preset, or the PyTorch trainer';

const gb = (bytes: number): string => `${(bytes / 2 ** 30).toFixed(1)} GiB`;

/**
 * Refuses, before step 1, a training step whose estimated peak (`estimateStepMemory`: per worker, for
 * one micro-batch of `microBatch` rows of `rowLength` tokens) is over the share of the 4 GiB wasm heap
 * a step can count on. Only the wasm backend has that ceiling.
 */
export function checkStepMemory(hparams: HParams, rowLength: number, microBatch: number): void {
  const estimate = estimateStepMemory(hparams, rowLength, microBatch);
  const usable = WASM_HEAP_BUDGET * WASM_HEAP_BYTES;
  if (estimate.bytes <= usable) return;
  throw new TrainerError(
    'OUT_OF_MEMORY',
    `a training step needs about ${gb(estimate.bytes)} per worker (rows of ${rowLength} tokens, micro-batch ${microBatch}, ${hparams.num_layers} layers of d_model ${hparams.d_model}; ${gb(estimate.attentionBytes)} of it attention), over the ${gb(usable)} a step can use of the ${gb(WASM_HEAP_BYTES)} wasm heap: ${MEMORY_WAYS_OUT}`,
  );
}
