import { basename, dirname, extname, join, resolve } from 'node:path';
import type { CheckpointMeta } from '@music-transformer/trainer';
import { type Command, Option } from 'commander';
import { mirrorCheckpoint } from '../checkpoint-mirror.js';
import {
  addCommonOptions,
  addExamples,
  type CliEnv,
  type CommonFlags,
  legacyOption,
  outputFor,
} from '../command-kit.js';
import { type DashboardFlag, dashboardOption, dashboardPort } from '../dashboard-option.js';
import { CliError } from '../errors.js';
import { exists, prepareDestination, requireFile } from '../files.js';
import { interruptOnSigint } from '../interrupt.js';
import { modelPackage, trainerPackage } from '../lazy-packages.js';
import { metricText } from '../metric-text.js';
import { checkOwnCheckpoint, checkOwnModel } from '../own-files.js';
import { startProgress } from '../progress.js';
import { findResumePoint } from '../resume.js';
import { kindOf, readSafetensorsHeader } from '../safetensors-header.js';
import { startTrainDashboard } from '../train-dashboard.js';
import { parseFloatArg, parseIntArg } from '../values.js';

/** The original's flags (argparse, multi-letter short forms) -> our long forms. */
export const TRAIN_LEGACY_FLAGS = {
  '-bs': '--batch-size',
  '-nl': '--num-layers',
  '-nh': '--num-heads',
  '-dff': '--d-feedforward',
  '-mrd': '--max-rel-dist',
  '-map': '--max-abs-position',
  '-nb': '--no-bias',
  '-dr': '--dropout',
  '-le': '--layernorm-eps',
} as const;

const BACKENDS = ['auto', 'tensorflow-gpu', 'tensorflow', 'wasm', 'cpu'] as const;

/** Names of the model package's `hparamPresets`, listed here so help works without loading TF.js (a test keeps them equal). */
export const HPARAM_PRESETS = ['default', 'large', 'paper', 'tiny'] as const;

/** Architecture flags and the hparams name each sets. */
const HPARAM_FLAGS = {
  dModel: 'd_model',
  numLayers: 'num_layers',
  numHeads: 'num_heads',
  dFeedforward: 'd_ff',
  maxRelDist: 'max_rel_dist',
  maxAbsPosition: 'max_abs_position',
  bias: 'bias',
  dropout: 'dropout',
  layernormEps: 'layernorm_eps',
  norm: 'norm',
} as const;

interface TrainFlags extends CommonFlags {
  loadCheckpoint?: boolean;
  batchSize: number;
  warmupSteps: number;
  preset?: (typeof HPARAM_PRESETS)[number];
  accumulate: number;
  labelSmoothing: number;
  clipNorm?: number;
  checkpointEvery: number;
  logdir: string;
  name?: string;
  seed: number;
  backend: (typeof BACKENDS)[number];
  workers: number;
  maxSteps?: number;
  validateEvery: number;
  logEvery: number;
  force?: boolean;
  dashboard?: DashboardFlag;
  /** The removed `--port` (now `--dashboard <port>`), kept hidden so its use gets a clear error. */
  port?: string | true;
  host: string;
}

/** The run is named after the checkpoint file unless --name says otherwise: `ckpt/piano.pt` -> `piano`. */
export function runNameOf(checkpoint: string): string {
  const name = basename(checkpoint, extname(checkpoint)).replace(/[^A-Za-z0-9._-]/g, '-');
  return name === '' ? 'run' : name;
}

async function hparamsFromFlags(command: Command, flags: TrainFlags): Promise<Record<string, unknown>> {
  const hparams: Record<string, unknown> = {};
  if (flags.preset !== undefined) {
    const { hparamPresets } = await modelPackage();
    // The vocabulary size always comes from the dataset, never from a preset.
    const { vocab_size: _ignored, ...preset } = hparamPresets[flags.preset];
    Object.assign(hparams, preset);
  }
  for (const [flag, key] of Object.entries(HPARAM_FLAGS)) {
    if (command.getOptionValueSource(flag) === 'cli')
      hparams[key] = (flags as unknown as Record<string, unknown>)[flag];
  }
  return hparams;
}

/** `mt train <data> <checkpoint> <save-path> <epochs>`: the original's positional form, plus run logging. */
export function registerTrain(program: Command, env: CliEnv): void {
  const command = program
    .command('train')
    .description(
      'train a model on a dataset written by `mt preprocess`; Ctrl-C saves a checkpoint, -l resumes',
    )
    .argument('<data>', 'dataset file (.safetensors from mt preprocess)')
    .argument('<checkpoint>', 'checkpoint file kept up to date during training (resume from it with -l)')
    .argument('<save-path>', 'model file written when training ends or is interrupted')
    .argument(
      '<epochs>',
      'epochs to run in this call (a resumed partial epoch counts as one)',
      parseIntArg({ min: 1 }),
    )
    .option('-l, --load-checkpoint', 'resume from the run directory, or from <checkpoint>')
    .addOption(
      legacyOption('-bs', '--batch-size <n>', 'rows per optimizer step')
        .argParser(parseIntArg({ min: 1 }))
        .default(32),
    )
    .option('-w, --warmup-steps <n>', 'learning-rate warmup steps', parseIntArg({ min: 1 }), 2000)
    .option('-d, --d-model <n>', 'model width (default 128)', parseIntArg({ min: 1 }))
    .addOption(
      legacyOption('-nl', '--num-layers <n>', 'decoder layers (default 3)').argParser(
        parseIntArg({ min: 1 }),
      ),
    )
    .addOption(
      legacyOption('-nh', '--num-heads <n>', 'attention heads (default 8)').argParser(
        parseIntArg({ min: 1 }),
      ),
    )
    .addOption(
      legacyOption('-dff', '--d-feedforward <n>', 'feed-forward width (default 512)').argParser(
        parseIntArg({ min: 1 }),
      ),
    )
    .addOption(
      legacyOption(
        '-mrd',
        '--max-rel-dist <n>',
        'relative attention distances (default 1024; 0 = plain attention)',
      ).argParser(parseIntArg({ min: 0 })),
    )
    .addOption(
      legacyOption(
        '-map',
        '--max-abs-position <n>',
        'absolute position table length (default 0 = none)',
      ).argParser(parseIntArg({ min: 0 })),
    )
    .addOption(legacyOption('-nb', '--no-bias', 'no bias in the q/k/v and feed-forward layers'))
    .addOption(
      legacyOption('-dr', '--dropout <p>', 'dropout rate (default 0.1)').argParser(
        parseFloatArg({ min: 0, max: 0.99 }),
      ),
    )
    .addOption(
      legacyOption('-le', '--layernorm-eps <eps>', 'layer norm epsilon (default 1e-6)').argParser(
        parseFloatArg({ above: 0 }),
      ),
    )
    .addOption(
      new Option('--preset <name>', 'hparams preset; flags above override it').choices(HPARAM_PRESETS),
    )
    .addOption(
      new Option('--norm <where>', "layer norm placement (default pre, as the original's code)").choices([
        'pre',
        'post',
      ]),
    )
    .option(
      '--accumulate <n>',
      'split each batch into n micro-batches (gradient accumulation)',
      parseIntArg({ min: 1 }),
      1,
    )
    .option(
      '--label-smoothing <eps>',
      'label smoothing of the training loss',
      parseFloatArg({ min: 0, max: 0.99 }),
      0,
    )
    .option(
      '--clip-norm <x>',
      'clip the global gradient norm (default: no clipping, as the original)',
      parseFloatArg({ above: 0 }),
    )
    .option(
      '--checkpoint-every <steps>',
      'also checkpoint every n steps (always at epoch end and on Ctrl-C)',
      parseIntArg({ min: 1 }),
      500,
    )
    .option('--logdir <dir>', 'parent folder of run directories (read by mt dashboard)', 'runs')
    .option('--name <name>', 'run name (default: the checkpoint file name without extension)')
    .option('--seed <int>', 'seed of initialisation, data order and dropout', parseIntArg(), 1)
    .addOption(new Option('--backend <name>', 'TF.js backend').choices(BACKENDS).default('auto'))
    .option('--workers <n>', 'data-parallel worker threads', parseIntArg({ min: 1, max: 64 }), 1)
    .option(
      '--max-steps <n>',
      'stop after n optimizer steps in this call (smoke runs)',
      parseIntArg({ min: 1 }),
    )
    .option(
      '--validate-every <n>',
      'also validate every n steps (0: only at epoch end)',
      parseIntArg({ min: 0 }),
      0,
    )
    .option('--log-every <n>', 'write a metrics record every n steps', parseIntArg({ min: 1 }), 1)
    .option(
      '-f, --force',
      'overwrite an existing checkpoint/model file; with -l, resume even if the dataset changed',
    )
    .addOption(dashboardOption('of --logdir while training'))
    .addOption(new Option('--port [n]', 'replaced by --dashboard [port]').hideHelp())
    .option(
      '--host <host>',
      'dashboard interface; anything but loopback requires the printed token',
      '127.0.0.1',
    );
  addCommonOptions(command);
  addExamples(command, [
    'mt train data/piano.safetensors ckpt/piano.safetensors models/piano.safetensors 10',
    'mt train data/piano.safetensors ckpt/piano.safetensors models/piano.safetensors 10 -l',
    'mt train data.safetensors ckpt.safetensors model.safetensors 5 -bs 16 -d 256 -nl 4 -dr 0.2 --clip-norm 1',
    'mt train data.safetensors tiny.ckpt tiny.safetensors 1 --preset tiny --max-steps 20 --json',
    'mt train data/piano.safetensors ckpt/piano.safetensors models/piano.safetensors 10 --dashboard 6007',
  ]);
  command.action(
    async (data: string, checkpoint: string, savePath: string, epochs: number, flags: TrainFlags) => {
      const output = outputFor(env, flags);
      const resume = flags.loadCheckpoint === true;
      if (flags.port !== undefined) {
        const port = flags.port === true ? '<port>' : flags.port;
        throw new CliError('USAGE', `mt train has no --port: give the dashboard port as --dashboard ${port}`);
      }
      const dashboardAt = dashboardPort(flags.dashboard);
      if (dashboardAt === null && command.getOptionValueSource('host') === 'cli') {
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
      let hparams = await hparamsFromFlags(command, flags);
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
      const interrupt = interruptOnSigint(output);
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
    },
  );
}
