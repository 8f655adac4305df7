import { dirname, join, relative, resolve } from 'node:path';
import { parseHParams } from '@music-transformer/model';
import { listStepCheckpoints, readCheckpoint } from './checkpoint.js';
import type { CheckpointMeta } from './checkpoint-meta.js';
import { type LoadedDataset, readDataset } from './dataset-file.js';
import { defaultEngineFactory, resolveHParams } from './default-engine.js';
import type { EngineFactory } from './engine.js';
import { TrainerError } from './errors.js';
import { checkStepMemory } from './memory-check.js';
import { freshProgress, progressFrom } from './progress.js';
import { describeMismatches, diffRecords, type Mismatch } from './resume-check.js';
import { RunWriter, type TrainerEmitter } from './run-writer.js';
import { mixSeed } from './seeds.js';
import { removeStaleTemps } from './temp-files.js';
import { parseTrainOptions, type TrainOptions, type TrainOptionsInput } from './train-options.js';
import { TrainingLoop, type TrainResult } from './training-loop.js';

export type { TrainResult } from './training-loop.js';

export interface TrainHooks {
  /** Aborting finishes the step in progress, writes a checkpoint and returns status 'stopped'. */
  signal?: AbortSignal;
  /** Receives every metrics record as it is written. */
  events?: TrainerEmitter;
  /** Replaces the model package's engine (tests, other backends). */
  createEngine?: EngineFactory;
}

/**
 * Trains a model on a dataset file, logging to `<logdir>/<name>/`. See README "Training" for the meaning
 * of every option and for exact-resume guarantees.
 */
export async function train(input: TrainOptionsInput, hooks: TrainHooks = {}): Promise<TrainResult> {
  const opts = parseTrainOptions(input);
  const micro = opts.microBatchSize ?? opts.batchSize;
  if (micro > opts.batchSize) {
    throw new TrainerError('BAD_OPTIONS', `microBatchSize (${micro}) exceeds batchSize (${opts.batchSize})`);
  }
  const data = readDataset(opts.dataset);
  if (data.trainRows === 0) throw new TrainerError('EMPTY_DATASET', `${opts.dataset} has no training rows`);
  const runDir = resolve(opts.logdir, opts.name);
  const ckptDir = join(runDir, 'checkpoints');
  // Temps of a writer killed mid-write (kill -9, power loss) go before anything else is read or written.
  for (const dir of [runDir, ckptDir, join(runDir, 'samples')]) removeStaleTemps(dir);
  if (opts.savePath !== undefined) removeStaleTemps(dirname(resolve(opts.savePath)));
  const latest = listStepCheckpoints(ckptDir).at(-1);
  if (opts.resume === true && !latest) {
    throw new TrainerError('BAD_CHECKPOINT', `cannot resume: no checkpoint in ${ckptDir}`);
  }
  if (opts.resume === false && latest) {
    throw new TrainerError(
      'BAD_RUN_DIR',
      `${runDir} already holds checkpoints (newest ${relative(runDir, latest.path)}); resume it or pick another name`,
    );
  }
  const resumeFrom = latest && opts.resume !== false ? readCheckpoint(latest.path) : null;
  const hparams = resolveHParams(opts.hparams, data, resumeFrom?.meta.hparams ?? null);
  const trajectory = trajectoryOf(opts, micro);
  if (resumeFrom) checkResume(resumeFrom.meta, data, hparams, trajectory, opts.force, latest!.path);

  const factory = hooks.createEngine ?? defaultEngineFactory;
  const engine = await factory({
    hparams,
    seed: mixSeed(opts.seed, 0x1417),
    workers: opts.workers,
    backend: opts.backend,
    padId: data.meta.pad,
  });
  try {
    // Before anything is written: a step over the wasm heap would abort mid-run.
    const backend = (engine as { backend?: string }).backend;
    if (backend === 'wasm') checkStepMemory(parseHParams(hparams), data.length, micro);
    if (resumeFrom) {
      try {
        await engine.setState(resumeFrom.state);
      } catch (cause) {
        throw new TrainerError(
          'RESUME_MISMATCH',
          `${latest!.path} does not fit the model: ${(cause as Error).message}`,
          { cause },
        );
      }
    }
    const writer = RunWriter.open(
      runDir,
      {
        name: opts.name,
        hparams,
        training: { ...opts, microBatchSize: micro },
        dataset: {
          path: resolve(opts.dataset),
          fingerprint: data.fingerprint,
          length: data.length,
          train_rows: data.trainRows,
          validation_rows: data.validationRows,
        },
      },
      hooks.events,
    );
    const loop = new TrainingLoop(opts, micro, data, engine, writer, hparams, trajectory, hooks.signal);
    return await loop.run(resumeFrom ? progressFrom(resumeFrom.meta) : freshProgress(), latest?.path ?? null);
  } finally {
    await engine.dispose();
  }
}

/** Options that change which updates are made; a resume with other values would not continue the run. */
function trajectoryOf(opts: TrainOptions, micro: number): Record<string, unknown> {
  return {
    seed: opts.seed,
    batchSize: opts.batchSize,
    microBatchSize: micro,
    warmup: opts.warmup,
    labelSmoothing: opts.labelSmoothing,
    clipNorm: opts.clipNorm ?? null,
    workers: opts.workers,
  };
}

function checkResume(
  meta: CheckpointMeta,
  data: LoadedDataset,
  hparams: Record<string, unknown>,
  trajectory: Record<string, unknown>,
  force: boolean,
  path: string,
): void {
  const mismatches: Mismatch[] = [];
  if (meta.dataset_fingerprint !== data.fingerprint) {
    mismatches.push({
      what: 'dataset fingerprint',
      checkpoint: meta.dataset_fingerprint,
      now: data.fingerprint,
    });
  }
  mismatches.push(...diffRecords('hparams', meta.hparams, hparams));
  mismatches.push(...diffRecords('training', meta.trajectory, trajectory));
  if (mismatches.length > 0 && !force) {
    throw new TrainerError(
      'RESUME_MISMATCH',
      `refusing to resume ${path}: ${describeMismatches(mismatches)} (pass force to resume anyway)`,
    );
  }
}
