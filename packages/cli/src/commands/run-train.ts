import { basename, dirname, extname, join, resolve } from 'node:path';
import type { CheckpointMeta } from '@music-transformer/trainer';
import { mirrorCheckpoint } from '../checkpoint-mirror.js';
import { type CliEnv, outputFor, watchInterrupt } from '../command-kit.js';
import { dashboardPort } from '../dashboard-option.js';
import { CliError } from '../errors.js';
import { exists, prepareDestination, requireFile } from '../files.js';
import { trainerPackage } from '../lazy-packages.js';
import { metricText } from '../metric-text.js';
import { checkOwnCheckpoint, checkOwnModel } from '../own-files.js';
import { startProgress } from '../progress.js';
import { findResumePoint } from '../resume.js';
import { kindOf, readSafetensorsHeader } from '../safetensors-header.js';
import { startTrainDashboard } from '../train-dashboard.js';
import { hparamsFromFlags } from './train-hparams.js';
import type { TrainArgs, TrainOptions } from './train-options.js';

/** The run is named after the checkpoint file unless --name says otherwise: `ckpt/piano.pt` -> `piano`. */
export function runNameOf(checkpoint: string): string {
  const name = basename(checkpoint, extname(checkpoint)).replace(/[^A-Za-z0-9._-]/g, '-');
  return name === '' ? 'run' : name;
}

/**
 * `mt train`'s work: checks the dataset and the files of the run, resolves the hparams, trains (Ctrl-C
 * stops after the current step with a checkpoint) and prints the result.
 */
export async function runTrain(args: TrainArgs, options: TrainOptions, env: CliEnv): Promise<void> {
  const { data, checkpoint, savePath, epochs } = args;
  const flags = options;
  const output = outputFor(env, flags);
  const resume = flags.loadCheckpoint === true;
  if (flags.port !== undefined) {
    const port = flags.port === true ? '<port>' : flags.port;
    throw new CliError('USAGE', `mt train has no --port: give the dashboard port as --dashboard ${port}`);
  }
  const dashboardAt = dashboardPort(flags.dashboard);
  if (dashboardAt === null && flags.given.has('host')) {
    throw new CliError('USAGE', '--host is for the dashboard: add --dashboard');
  }
  await requireFile(data, 'dataset');
  const header = await readSafetensorsHeader(data);
  if (header === null || kindOf(header) !== 'dataset') {
    throw new CliError('BAD_INPUT', `${data} is not a dataset written by mt preprocess`);
  }
  const { readDataset, TrainerEmitter, train } = await trainerPackage();
  const dataset = readDataset(data);
  if (flags.accumulate > flags.batchSize) {
    throw new CliError(
      'USAGE',
      `--accumulate ${flags.accumulate} is larger than the batch size ${flags.batchSize}`,
    );
  }
  const name = flags.name ?? runNameOf(checkpoint);
  const runDir = resolve(flags.logdir, name);
  const ckptTarget = resolve(checkpoint);
  let hparams = hparamsFromFlags(flags);
  let startMeta: CheckpointMeta | null = null;

  let seedRun = (): void => undefined;
  if (resume) {
    const point = await findResumePoint(runDir, ckptTarget, checkpoint);
    startMeta = point.meta;
    seedRun = point.seed;
    await checkOwnCheckpoint(ckptTarget, startMeta, flags.force === true);
    await checkOwnModel(resolve(savePath), name, flags.force === true);
    const trainedVocab = Number(startMeta.hparams.vocab_size);
    if (trainedVocab !== dataset.meta.vocab_size) {
      throw new CliError(
        'BAD_INPUT',
        `vocabulary mismatch: the checkpoint of run '${name}' has vocab_size ${trainedVocab} but dataset ${data} uses vocab '${String(dataset.meta.vocab.name)}' (${dataset.meta.vocab_size} ids)`,
      );
    }
    if (Object.keys(hparams).length > 0) {
      output.warn(
        "-l: the checkpoint's hparams are used; the architecture flags given are ignored (as the original)",
      );
      hparams = {};
    }
  } else {
    // A new run: never clobber files of another run unless asked.
    if (flags.force !== true && (await exists(ckptTarget))) {
      // --force overwrites the file, but a run directory with checkpoints is never wiped: say which applies.
      const { listStepCheckpoints } = await trainerPackage();
      const startOver =
        listStepCheckpoints(join(runDir, 'checkpoints')).length > 0
          ? `or start a new run with --name NEW --force; run '${name}' in ${flags.logdir} keeps its checkpoints`
          : 'or --force to start over';
      throw new CliError(
        'EXISTS',
        `checkpoint file already exists: ${checkpoint} (pass -l to resume from it, ${startOver})`,
      );
    }
    await prepareDestination(checkpoint, { force: true, what: 'checkpoint file' });
  }
  const modelTarget = await prepareDestination(savePath, {
    force: flags.force === true || resume,
    what: 'model file',
  });
  seedRun();
  // The checkpoint mirror and the model file are written through hidden temps: sweep a killed run's.
  const { removeStaleTemps } = await trainerPackage();
  for (const file of [ckptTarget, modelTarget]) removeStaleTemps(dirname(resolve(file)));

  const perEpoch = Math.ceil(dataset.trainRows / flags.batchSize);
  const startStep = startMeta?.step ?? 0;
  const planned = Math.min(
    flags.maxSteps ?? Number.POSITIVE_INFINITY,
    epochs * perEpoch - (startMeta?.batch_in_epoch ?? 0),
  );
  const progress = startProgress(output, { label: 'train', total: planned, unit: 'steps' });
  const events = new TrainerEmitter();
  events.on('train', (r) =>
    progress.update(r.step - startStep, `epoch ${r.epoch} loss ${metricText(r.loss, 3)}`),
  );
  events.on('checkpoint', (r) => {
    if (!r.best) mirrorCheckpoint(runDir, r.path, ckptTarget);
  });
  events.on('validation', (r) =>
    output.note(`validation at step ${r.step}: loss ${metricText(r.val_loss, 4)}`),
  );

  const dashboard =
    dashboardAt !== null
      ? await startTrainDashboard(
          { logdir: resolve(flags.logdir), port: dashboardAt, host: flags.host },
          events,
          output,
        ).catch((error: unknown) => {
          progress.abort();
          throw error;
        })
      : null;
  const interrupt = watchInterrupt(env, output, 'finishing the current step and saving a checkpoint');
  output.note(
    `${resume ? 'resuming' : 'training'} run ${runDir} on ${dataset.trainRows} rows (${perEpoch} steps per epoch)` +
      (startMeta ? ` from step ${startMeta.step}` : ''),
  );
  let result: Awaited<ReturnType<typeof train>>;
  try {
    result = await train(
      {
        dataset: data,
        logdir: resolve(flags.logdir),
        name,
        hparams,
        epochs,
        batchSize: flags.batchSize,
        microBatchSize: Math.ceil(flags.batchSize / flags.accumulate),
        warmup: flags.warmupSteps,
        labelSmoothing: flags.labelSmoothing,
        seed: flags.seed,
        workers: flags.workers,
        backend: flags.backend,
        checkpointEvery: flags.checkpointEvery,
        validateEvery: flags.validateEvery,
        logEvery: flags.logEvery,
        resume,
        force: resume && flags.force === true,
        savePath: modelTarget,
        ...(flags.clipNorm !== undefined ? { clipNorm: flags.clipNorm } : {}),
        ...(flags.maxSteps !== undefined ? { maxSteps: flags.maxSteps } : {}),
      },
      { signal: interrupt.signal, events },
    );
  } catch (error) {
    progress.abort();
    throw error;
  } finally {
    interrupt.dispose();
    await dashboard?.close();
  }
  progress.stop();
  const stopped = result.status === 'stopped';
  output.result(
    {
      status: result.status,
      run_dir: result.runDir,
      step: result.step,
      epoch: result.epoch,
      steps_this_session: result.stepsThisSession,
      checkpoint: ckptTarget,
      model: result.modelPath,
      best_val_loss: result.bestValLoss,
      message: result.message,
      ...(dashboard ? { dashboard_url: dashboard.url } : {}),
    },
    () => [
      stopped
        ? `interrupted at step ${result.step}: checkpoint saved to ${checkpoint}; resume with the same command and -l`
        : `${result.message}; checkpoint ${checkpoint}`,
      `model written to ${result.modelPath}`,
      `run directory ${result.runDir} (mt dashboard --logdir ${flags.logdir})`,
    ],
  );
}
