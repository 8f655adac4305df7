import { z } from 'zod';

/** Per-epoch loss history kept in every checkpoint (the original's train_losses / validation_losses). */
export const EpochLossSchema = z.object({
  epoch: z.number().int().nonnegative(),
  train_loss: z.number().nullable(),
  val_loss: z.number().nullable(),
});

/**
 * Everything besides tensors that a checkpoint needs for an exact resume. Stored as JSON under
 * `__metadata__.checkpoint` of the safetensors file.
 */
export const CheckpointMetaSchema = z.object({
  format: z.literal('music-transformer/trainer-checkpoint'),
  version: z.literal(1),
  /** Optimizer updates completed. */
  step: z.number().int().nonnegative(),
  /** Epoch in progress (0-based); with `batch_in_epoch` = batches of it already done. */
  epoch: z.number().int().nonnegative(),
  batch_in_epoch: z.number().int().nonnegative(),
  /**
   * Data order and dropout are pure functions of the seed (see data-order.ts and seeds.ts), so the seed,
   * epoch and position are the complete RNG state; the derivation names are recorded for readers.
   */
  rng: z.object({
    seed: z.number().int(),
    data_order: z.literal('fork(data-order/epoch-<epoch>) Fisher-Yates'),
    dropout: z.literal('engine dropoutSeed = mixSeed(seed, step)'),
  }),
  schedule: z.object({
    kind: z.literal('transformer'),
    d_model: z.number().int().positive(),
    warmup: z.number().positive(),
    /** The lr of the next update is schedule(step + 1). */
    next_step: z.number().int().positive(),
  }),
  adam_t: z.number().int().nonnegative(),
  hparams: z.record(z.string(), z.unknown()),
  /** Options that change the trajectory (batch sizes, smoothing, clipping); checked on resume. */
  trajectory: z.record(z.string(), z.unknown()),
  dataset_fingerprint: z.string(),
  loss_history: z.array(EpochLossSchema),
  best_val_loss: z.number().nullable(),
  /** Running sums of the epoch in progress, so the resumed epoch mean equals the uninterrupted one. */
  epoch_loss_sum: z.number(),
  epoch_loss_count: z.number().int().nonnegative(),
  /** Training wall time of all sessions so far. */
  elapsed_s: z.number().nonnegative(),
  created: z.string(),
});

export type CheckpointMeta = z.infer<typeof CheckpointMetaSchema>;
export type EpochLoss = z.infer<typeof EpochLossSchema>;
