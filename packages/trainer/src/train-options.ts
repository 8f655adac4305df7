import { BACKEND_CHOICES, hparamPresetNames } from '@music-transformer/model/hparams';
import { z } from 'zod';
import { TrainerError } from './errors.js';

/**
 * Options of `train()`. Defaults follow the original (batch 32, warmup 2000, Adam 0.9/0.98 in the engine)
 * except where the original is a known trap (see README "Differences from the original").
 */
export const TrainOptionsSchema = z
  .object({
    /** Dataset file written by `buildDataset`. */
    dataset: z.string().min(1),
    /** Parent of run directories; the run lives in `<logdir>/<name>/`. */
    logdir: z.string().min(1).default('runs'),
    name: z.string().regex(/^[A-Za-z0-9._-]+$/, 'letters, digits, ".", "_" and "-" only'),
    /**
     * Model hyperparameters (validated by the model package), or a preset name of the model package
     * (`tiny`, `default`, `large`, `paper`; its vocab_size is replaced by the dataset's). Empty on resume =
     * the checkpoint's; given on resume = compared with the checkpoint's.
     */
    hparams: z.union([z.enum(hparamPresetNames), z.record(z.string(), z.unknown())]).default({}),
    /** Epochs to run in this call. A run stopped mid-epoch counts the rest of that epoch as one. */
    epochs: z.number().int().positive(),
    /** Optional cap on optimizer steps in this call (smoke runs, benchmarks). */
    maxSteps: z.number().int().positive().optional(),
    /** Rows per optimizer step. */
    batchSize: z.number().int().positive().default(32),
    /** Rows per forward/backward pass; the batch is split into ceil(batchSize / microBatchSize) of them. */
    microBatchSize: z.number().int().positive().optional(),
    warmup: z.number().positive().default(2000),
    labelSmoothing: z.number().min(0).lt(1).default(0),
    /** Global gradient-norm clipping threshold; absent = no clipping (the original's behaviour). */
    clipNorm: z.number().positive().optional(),
    seed: z.number().int().default(1),
    /** Data-parallel worker threads of the training engine. */
    workers: z.number().int().positive().default(1),
    backend: z.enum(BACKEND_CHOICES).default('auto'),
    /** Write a `train` record every N steps (figures averaged over those steps). */
    logEvery: z.number().int().positive().default(1),
    /** Also validate every N steps (0 = only at each epoch end). */
    validateEvery: z.number().int().nonnegative().default(0),
    /** Checkpoint every N steps and every M minutes, whichever comes first; also at epoch end and on stop. */
    checkpointEvery: z.number().int().positive().default(500),
    checkpointMinutes: z.number().positive().default(10),
    /** Step checkpoints to keep (best.safetensors is kept separately). */
    keepLast: z.number().int().positive().default(3),
    /** Tokens of the MIDI sample written to samples/ at each epoch end (0 = no samples). */
    sampleTokens: z.number().int().nonnegative().default(512),
    /** Also write a sample every N steps (0 = only at epoch ends). */
    sampleEvery: z.number().int().nonnegative().default(0),
    sampleTemperature: z.number().positive().default(1),
    /** Seconds between `system` records. */
    systemEvery: z.number().positive().default(15),
    /** Continue the run from its newest checkpoint: 'auto' = if one exists. */
    resume: z.union([z.boolean(), z.literal('auto')]).default('auto'),
    /** Resume even if the dataset fingerprint or trajectory options differ. */
    force: z.boolean().default(false),
    /** Where the final weights-only model goes (default `<run>/model.safetensors`). */
    savePath: z.string().optional(),
  })
  .strict();

export type TrainOptionsInput = z.input<typeof TrainOptionsSchema>;
export type TrainOptions = z.output<typeof TrainOptionsSchema>;

export function parseTrainOptions(input: unknown): TrainOptions {
  const r = TrainOptionsSchema.safeParse(input);
  if (!r.success) {
    const issues = r.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
    throw new TrainerError('BAD_OPTIONS', `invalid training options: ${issues}`, { cause: r.error });
  }
  return r.data;
}
