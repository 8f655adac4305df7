import { createRng, permutation } from '@music-transformer/vocab';

/**
 * The order in which epoch `epoch` visits the training rows: a permutation drawn from an Rng forked from
 * the run seed and the epoch number. Being a pure function of (seed, epoch), it needs no stored RNG state
 * to resume: a checkpoint records the epoch and the number of batches already done.
 */
export function epochOrder(rows: number, seed: number, epoch: number): Uint32Array {
  return permutation(rows, createRng(seed).fork(`data-order/epoch-${epoch}`));
}

/** Number of batches in one epoch; the last, partial batch is kept (as the original's DataLoader does). */
export function batchesPerEpoch(rows: number, batchSize: number): number {
  return Math.ceil(rows / batchSize);
}
