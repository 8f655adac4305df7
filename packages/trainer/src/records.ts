import { z } from 'zod';

/**
 * The metrics.jsonl records (schema version 1, docs/architecture.md "Run directory"). These schemas are
 * the contract with apps/web and `mt dashboard`: they are `.loose()` so that readers accept fields added
 * by later writers, and the reader skips records whose `type` it does not know.
 */
export const METRICS_SCHEMA_VERSION = 1 as const;

/**
 * A measured figure. `JSON.stringify` writes NaN and +-Infinity as `null`, so a diverged run (NaN loss)
 * logs `null`: readers must accept it and show a gap rather than reject the whole record.
 */
const metric = () => z.number().nullable();

const base = {
  v: z.literal(METRICS_SCHEMA_VERSION),
  time: z.string(),
};

/** One optimizer step's figures (loss/accuracy are over the step's non-pad target tokens). */
export const TrainRecordSchema = z
  .object({
    ...base,
    type: z.literal('train'),
    step: z.number().int(),
    epoch: z.number().int(),
    loss: metric(),
    accuracy: metric(),
    perplexity: metric(),
    lr: metric(),
    grad_norm: metric(),
    tokens_per_s: metric(),
    elapsed_s: metric(),
    eta_s: metric(),
  })
  .loose();

/** A full pass over the validation rows, without gradients. */
export const ValidationRecordSchema = z
  .object({
    ...base,
    type: z.literal('validation'),
    step: z.number().int(),
    epoch: z.number().int(),
    val_loss: metric(),
    val_accuracy: metric(),
    val_perplexity: metric(),
  })
  .loose();

/** A checkpoint was written; `path` is relative to the run directory. */
export const CheckpointRecordSchema = z
  .object({
    ...base,
    type: z.literal('checkpoint'),
    step: z.number().int(),
    epoch: z.number().int(),
    path: z.string(),
    best: z.boolean(),
  })
  .loose();

export const RunStatusSchema = z.enum(['running', 'finished', 'stopped', 'failed']);

/** Lifecycle of the writing process; a `running` run whose pid is dead has crashed. */
export const StatusRecordSchema = z
  .object({
    ...base,
    type: z.literal('status'),
    status: RunStatusSchema,
    pid: z.number().int(),
    message: z.string().optional(),
  })
  .loose();

/** Resource use of the training process. */
export const SystemRecordSchema = z
  .object({
    ...base,
    type: z.literal('system'),
    cpu_percent: metric(),
    rss_bytes: metric(),
  })
  .loose();

/** A generated sample; `path` is a `.mid` under `samples/`, relative to the run directory. */
export const SampleRecordSchema = z
  .object({
    ...base,
    type: z.literal('sample'),
    step: z.number().int(),
    path: z.string(),
  })
  .loose();

export const MetricsRecordSchema = z.discriminatedUnion('type', [
  TrainRecordSchema,
  ValidationRecordSchema,
  CheckpointRecordSchema,
  StatusRecordSchema,
  SystemRecordSchema,
  SampleRecordSchema,
]);

export type TrainRecord = z.infer<typeof TrainRecordSchema>;
export type ValidationRecord = z.infer<typeof ValidationRecordSchema>;
export type CheckpointRecord = z.infer<typeof CheckpointRecordSchema>;
export type StatusRecord = z.infer<typeof StatusRecordSchema>;
export type SystemRecord = z.infer<typeof SystemRecordSchema>;
export type SampleRecord = z.infer<typeof SampleRecordSchema>;
export type RunStatus = z.infer<typeof RunStatusSchema>;
export type MetricsRecord = z.infer<typeof MetricsRecordSchema>;

/** A record as handed to the writer: `v` and `time` are stamped on write. */
export type MetricsRecordInput = MetricsRecord extends infer R
  ? R extends MetricsRecord
    ? Omit<R, 'v' | 'time'>
    : never
  : never;

/** `config.json` of a run directory (schema 1). `training` and `dataset` are open objects. */
export const RunConfigSchema = z
  .object({
    schema: z.literal(1),
    name: z.string(),
    created: z.string(),
    hparams: z.record(z.string(), z.unknown()),
    training: z.record(z.string(), z.unknown()),
    dataset: z.record(z.string(), z.unknown()),
  })
  .loose();
export type RunConfig = z.infer<typeof RunConfigSchema>;
