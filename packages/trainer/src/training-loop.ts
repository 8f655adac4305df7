import { join, relative, resolve } from 'node:path';
import { microBatches } from './batches.js';
import type { Checkpoint } from './checkpoint.js';
import { writeBestCheckpoint, writeStepCheckpoint } from './checkpoint.js';
import type { CheckpointMeta } from './checkpoint-meta.js';
import { batchesPerEpoch, epochOrder } from './data-order.js';
import type { LoadedDataset } from './dataset-file.js';
import { writeFinalModel } from './default-engine.js';
import type { EngineState, TrainingEngine } from './engine.js';
import { TrainerError } from './errors.js';
import { transformerLr } from './lr-schedule.js';
import { MEMORY_WAYS_OUT } from './memory-check.js';
import type { Progress } from './progress.js';
import type { RunStatus } from './records.js';
import type { RunWriter } from './run-writer.js';
import { writeSample } from './samples.js';
import { mixSeed } from './seeds.js';
import { SystemSampler } from './system-sampler.js';
import type { TrainOptions } from './train-options.js';
import { runValidation } from './validate.js';

export interface TrainResult {
  status: Extract<RunStatus, 'finished' | 'stopped'>;
  runDir: string;
  /** Optimizer steps completed in total (all sessions of the run). */
  step: number;
  /** Epoch in progress at the end, and batches of it done. */
  epoch: number;
  batchInEpoch: number;
  /** Steps taken by this call. */
  stepsThisSession: number;
  lastCheckpoint: string | null;
  bestValLoss: number | null;
  /** Final weights-only model (written when the run ends for any reason but failure). */
  modelPath: string;
  message: string;
}

/**
 * One session of a run: the epoch/step loop, validation, checkpoints, metrics, stop and failure. All
 * state that a checkpoint must carry lives in `Progress`; the rest (timers, log window) is per session.
 */
export class TrainingLoop {
  private readonly sampler = new SystemSampler();
  private lastSystem = Date.now();
  private lastCheckpointTime = Date.now();
  private readonly start = process.hrtime.bigint();
  private stepsThisSession = 0;
  private lastCheckpoint: string | null;
  /** Step of the newest step checkpoint of this session (-1: none yet). */
  private lastCheckpointStep = -1;
  private logWindow = { loss: 0, tokens: 0, correct: 0, gradNorm: 0, steps: 0, positions: 0, seconds: 0 };

  constructor(
    private readonly opts: TrainOptions,
    private readonly micro: number,
    private readonly data: LoadedDataset,
    private readonly engine: TrainingEngine,
    private readonly writer: RunWriter,
    private readonly hparams: Record<string, unknown>,
    private readonly trajectory: Record<string, unknown>,
    private readonly signal: AbortSignal | undefined,
  ) {
    this.lastCheckpoint = null;
  }

  async run(p: Progress, resumedFrom: string | null): Promise<TrainResult> {
    this.lastCheckpoint = resumedFrom;
    const { opts, data } = this;
    this.writer.append({
      type: 'status',
      status: 'running',
      pid: process.pid,
      message: resumedFrom
        ? `resumed from ${relative(this.writer.dir, resumedFrom)} at step ${p.step} (epoch ${p.epoch}, batch ${p.batchInEpoch})`
        : 'started',
    });
    const perEpoch = batchesPerEpoch(data.trainRows, opts.batchSize);
    // Steps planned for this call, for the ETA: the rest of the current epoch counts as one epoch.
    const planned = Math.min(opts.maxSteps ?? Infinity, opts.epochs * perEpoch - p.batchInEpoch);
    let epochsRun = 0;
    let stopReason: string | null = null;
    try {
      while (epochsRun < opts.epochs && stopReason === null) {
        const order = epochOrder(data.trainRows, opts.seed, p.epoch);
        while (p.batchInEpoch < perEpoch) {
          if (this.signal?.aborted) {
            stopReason = 'stopped by signal';
            break;
          }
          if (opts.maxSteps !== undefined && this.stepsThisSession >= opts.maxSteps) {
            stopReason = `maxSteps (${opts.maxSteps}) reached`;
            break;
          }
          await this.trainStep(p, order, planned);
          // An in-process engine settles its promises without returning to the event loop; yield once
          // per step so signal handlers (SIGINT -> abort) and timers get to run.
          await new Promise<void>((r) => setImmediate(r));
          if (opts.validateEvery > 0 && p.step % opts.validateEvery === 0) await this.validate(p);
          const minutes = (Date.now() - this.lastCheckpointTime) / 60000;
          if (p.step % opts.checkpointEvery === 0 || minutes >= opts.checkpointMinutes)
            await this.checkpoint(p);
          if (opts.sampleEvery > 0 && p.step % opts.sampleEvery === 0) await this.sample(p);
          this.maybeSystem();
        }
        if (stopReason !== null) break;
        // Epoch end: validate, record the epoch's mean loss, checkpoint at the start of the next epoch.
        const val = await this.validate(p);
        p.lossHistory.push({
          epoch: p.epoch,
          train_loss: p.epochLossCount > 0 ? p.epochLossSum / p.epochLossCount : null,
          val_loss: val,
        });
        p.epoch += 1;
        p.batchInEpoch = 0;
        p.epochLossSum = 0;
        p.epochLossCount = 0;
        epochsRun += 1;
        await this.checkpoint(p);
        if (opts.sampleEvery === 0 || p.step % opts.sampleEvery !== 0) await this.sample(p);
      }
    } catch (e) {
      const message = e instanceof Error ? e.message : String(e);
      this.writer.append({ type: 'status', status: 'failed', pid: process.pid, message });
      throw e;
    }
    const stopped = stopReason === 'stopped by signal';
    // A checkpoint for the exact stop position unless the epoch-end one already covers it.
    if (stopReason !== null && this.lastCheckpointStep !== p.step) await this.checkpoint(p);
    const modelPath = this.opts.savePath
      ? resolve(this.opts.savePath)
      : join(this.writer.dir, 'model.safetensors');
    const state = await this.engine.getState();
    writeFinalModel(modelPath, this.hparams, state.weights, {
      vocab: JSON.stringify(this.data.meta.vocab),
      step: String(p.step),
      epoch: String(p.epoch),
      run: this.opts.name,
    });
    const status = stopped ? 'stopped' : 'finished';
    const message = stopped
      ? `stopped at step ${p.step}; resume with the same command`
      : `finished at step ${p.step}${stopReason ? ` (${stopReason})` : ''}`;
    this.writer.append({ type: 'status', status, pid: process.pid, message });
    return {
      status,
      runDir: this.writer.dir,
      step: p.step,
      epoch: p.epoch,
      batchInEpoch: p.batchInEpoch,
      stepsThisSession: this.stepsThisSession,
      lastCheckpoint: this.lastCheckpoint,
      bestValLoss: p.bestValLoss,
      modelPath,
      message,
    };
  }

  private async trainStep(p: Progress, order: Uint32Array, planned: number): Promise<void> {
    const { opts, data } = this;
    const from = p.batchInEpoch * opts.batchSize;
    const to = Math.min(from + opts.batchSize, data.trainRows);
    const batches = microBatches(data.train, data.length, order, from, to, this.micro);
    const lr = transformerLr(p.step + 1, Number(this.hparams.d_model), opts.warmup);
    const t0 = process.hrtime.bigint();
    let r: Awaited<ReturnType<TrainingEngine['step']>>;
    try {
      r = await this.engine.step(batches, {
        lr,
        ...(opts.clipNorm !== undefined ? { clipNorm: opts.clipNorm } : {}),
        ...(opts.labelSmoothing > 0 ? { labelSmoothing: opts.labelSmoothing } : {}),
        dropoutSeed: mixSeed(opts.seed, p.step + 1),
      });
    } catch (cause) {
      throw await this.stepFailed(p, cause);
    }
    const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
    if (!Number.isFinite(r.loss) || !Number.isFinite(r.gradNorm)) {
      throw new TrainerError(
        'NON_FINITE_LOSS',
        `non-finite ${Number.isFinite(r.loss) ? 'gradient norm' : 'loss'} (loss ${r.loss}, grad norm ${r.gradNorm}) at step ${p.step + 1}, epoch ${p.epoch}; ` +
          `the run stopped and its last good checkpoint is ${this.lastCheckpoint ?? '(none)'}; try a lower lr (longer warmup) or clipNorm`,
      );
    }
    p.step += 1;
    p.batchInEpoch += 1;
    p.epochLossSum += r.loss;
    p.epochLossCount += 1;
    this.stepsThisSession += 1;
    const w = this.logWindow;
    w.loss += r.loss * r.tokens;
    w.tokens += r.tokens;
    w.correct += r.correct;
    w.gradNorm += r.gradNorm;
    w.steps += 1;
    w.positions += (to - from) * (data.length - 1);
    w.seconds += seconds;
    if (p.step % opts.logEvery === 0) {
      const elapsed = this.elapsed();
      const loss = w.tokens > 0 ? w.loss / w.tokens : Number.NaN;
      const perStep = elapsed / this.stepsThisSession;
      this.writer.append({
        type: 'train',
        step: p.step,
        epoch: p.epoch,
        loss,
        accuracy: w.tokens > 0 ? w.correct / w.tokens : 0,
        perplexity: Math.exp(loss),
        lr,
        grad_norm: w.gradNorm / w.steps,
        tokens_per_s: w.seconds > 0 ? w.positions / w.seconds : 0,
        elapsed_s: p.elapsedBefore + elapsed,
        eta_s: Math.max(0, planned - this.stepsThisSession) * perStep,
      });
      this.logWindow = { loss: 0, tokens: 0, correct: 0, gradNorm: 0, steps: 0, positions: 0, seconds: 0 };
    }
  }

  /**
   * A step that threw (the wasm heap exhausted, `memory access out of bounds`, a worker gone): the
   * master weights and Adam state live in this thread and still hold the last good step, so it is
   * checkpointed before the run ends with one error saying where it is and what to change.
   */
  private async stepFailed(p: Progress, cause: unknown): Promise<TrainerError> {
    const reason = (cause instanceof Error ? cause.message : String(cause)).split('\n', 1)[0];
    let saved: string;
    try {
      if (this.lastCheckpointStep !== p.step) await this.checkpoint(p);
      saved = `the last good step (${p.step}) is saved in ${this.lastCheckpoint}; resume with -l`;
    } catch (e) {
      saved = `saving the last good step failed too (${(e as Error).message})`;
    }
    return new TrainerError(
      'STEP_FAILED',
      `step ${p.step + 1} failed: ${reason}; ${saved}. If it ran out of memory: ${MEMORY_WAYS_OUT}`,
      { cause },
    );
  }

  /** Validates, logs, and writes best.safetensors when the validation loss improves. */
  private async validate(p: Progress): Promise<number | null> {
    const v = await runValidation(this.engine, this.data.validation, this.data.length, this.micro);
    if (!v) return null;
    this.writer.append({
      type: 'validation',
      step: p.step,
      epoch: p.epoch,
      val_loss: v.loss,
      val_accuracy: v.accuracy,
      val_perplexity: v.perplexity,
    });
    if (Number.isFinite(v.loss) && (p.bestValLoss === null || v.loss < p.bestValLoss)) {
      p.bestValLoss = v.loss;
      const path = writeBestCheckpoint(this.writer.checkpointsDir, await this.snapshot(p));
      this.writer.append({
        type: 'checkpoint',
        step: p.step,
        epoch: p.epoch,
        path: relative(this.writer.dir, path),
        best: true,
      });
    }
    return v.loss;
  }

  private async checkpoint(p: Progress): Promise<void> {
    const path = writeStepCheckpoint(this.writer.checkpointsDir, await this.snapshot(p), this.opts.keepLast);
    this.lastCheckpoint = path;
    this.lastCheckpointStep = p.step;
    this.lastCheckpointTime = Date.now();
    this.writer.append({
      type: 'checkpoint',
      step: p.step,
      epoch: p.epoch,
      path: relative(this.writer.dir, path),
      best: false,
    });
  }

  private async snapshot(p: Progress): Promise<Checkpoint> {
    const state: EngineState = await this.engine.getState();
    const meta: CheckpointMeta = {
      format: 'music-transformer/trainer-checkpoint',
      version: 1,
      step: p.step,
      epoch: p.epoch,
      batch_in_epoch: p.batchInEpoch,
      rng: {
        seed: this.opts.seed,
        data_order: 'fork(data-order/epoch-<epoch>) Fisher-Yates',
        dropout: 'engine dropoutSeed = mixSeed(seed, step)',
      },
      schedule: {
        kind: 'transformer',
        d_model: Number(this.hparams.d_model),
        warmup: this.opts.warmup,
        next_step: p.step + 1,
      },
      adam_t: state.adam.t,
      hparams: this.hparams,
      trajectory: this.trajectory,
      dataset_fingerprint: this.data.fingerprint,
      loss_history: p.lossHistory,
      best_val_loss: p.bestValLoss,
      epoch_loss_sum: p.epochLossSum,
      epoch_loss_count: p.epochLossCount,
      elapsed_s: p.elapsedBefore + this.elapsed(),
      created: new Date().toISOString(),
    };
    return { meta, state };
  }

  /** Writes a generated MIDI sample and its `sample` record (skipped when sampleTokens is 0). */
  private async sample(p: Progress): Promise<void> {
    if (this.opts.sampleTokens === 0) return;
    const { weights } = await this.engine.getState();
    const path = writeSample(this.writer.samplesDir, p.step, this.hparams, weights, this.data.meta.vocab, {
      tokens: this.opts.sampleTokens,
      temperature: this.opts.sampleTemperature,
      seed: this.opts.seed,
    });
    this.writer.append({ type: 'sample', step: p.step, path: relative(this.writer.dir, path) });
  }

  private maybeSystem(): void {
    if (Date.now() - this.lastSystem < this.opts.systemEvery * 1000) return;
    this.lastSystem = Date.now();
    this.writer.append({ type: 'system', ...this.sampler.sample() });
  }

  private elapsed(): number {
    return Number(process.hrtime.bigint() - this.start) / 1e9;
  }
}
