import { BACKEND_CHOICES, hparamPresetNames, hparamPresets } from '@music-transformer/model/hparams';
import { type Command, Option } from 'commander';
import { addCommonOptions, addExamples, type CliEnv, legacyOption } from '../command-kit.js';
import { dashboardOption } from '../dashboard-option.js';
import { parseFloatArg, parseIntArg } from '../values.js';
import { IMPORT_LEGACY_FLAGS } from './import-flags.js';
import { runTrain } from './run-train.js';
import type { TrainOptions } from './train-options.js';

export { runNameOf } from './run-train.js';

/** The original's flags (argparse, multi-letter short forms) -> our long forms. */
export const TRAIN_LEGACY_FLAGS = { '-bs': '--batch-size', ...IMPORT_LEGACY_FLAGS } as const;

type TrainFlags = Omit<TrainOptions, 'given'>;

/** Help shows the defaults of the preset a run without --preset starts from. */
const DEFAULTS = hparamPresets.default;

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
    .option('-d, --d-model <n>', `model width (default ${DEFAULTS.d_model})`, parseIntArg({ min: 1 }))
    .addOption(
      legacyOption('-nl', '--num-layers <n>', `decoder layers (default ${DEFAULTS.num_layers})`).argParser(
        parseIntArg({ min: 1 }),
      ),
    )
    .addOption(
      legacyOption('-nh', '--num-heads <n>', `attention heads (default ${DEFAULTS.num_heads})`).argParser(
        parseIntArg({ min: 1 }),
      ),
    )
    .addOption(
      legacyOption('-dff', '--d-feedforward <n>', `feed-forward width (default ${DEFAULTS.d_ff})`).argParser(
        parseIntArg({ min: 1 }),
      ),
    )
    .addOption(
      legacyOption(
        '-mrd',
        '--max-rel-dist <n>',
        `relative attention distances (default ${DEFAULTS.max_rel_dist}; 0 = plain attention)`,
      ).argParser(parseIntArg({ min: 0 })),
    )
    .addOption(
      legacyOption(
        '-map',
        '--max-abs-position <n>',
        `absolute position table length (default ${DEFAULTS.max_abs_position}${DEFAULTS.max_abs_position === 0 ? ' = none' : '; 0 = none'})`,
      ).argParser(parseIntArg({ min: 0 })),
    )
    .addOption(legacyOption('-nb', '--no-bias', 'no bias in the q/k/v and feed-forward layers'))
    .addOption(
      legacyOption('-dr', '--dropout <p>', `dropout rate (default ${DEFAULTS.dropout})`).argParser(
        parseFloatArg({ min: 0, max: 0.99 }),
      ),
    )
    .addOption(
      legacyOption(
        '-le',
        '--layernorm-eps <eps>',
        `layer norm epsilon (default ${DEFAULTS.layernorm_eps.toExponential()})`,
      ).argParser(parseFloatArg({ above: 0 })),
    )
    .addOption(
      new Option('--preset <name>', 'hparams preset; flags above override it').choices(hparamPresetNames),
    )
    .addOption(
      new Option(
        '--norm <where>',
        `layer norm placement (default ${DEFAULTS.norm}, as the original's code)`,
      ).choices(['pre', 'post']),
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
    .addOption(new Option('--backend <name>', 'TF.js backend').choices(BACKEND_CHOICES).default('auto'))
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
      const given = new Set(
        command.options
          .map((o) => o.attributeName())
          .filter((n) => command.getOptionValueSource(n) === 'cli'),
      );
      await runTrain({ data, checkpoint, savePath, epochs }, { ...flags, given }, env);
    },
  );
}
