import { BACKEND_CHOICES } from '@music-transformer/model/hparams';
import { type Command, Option } from 'commander';
import { addCommonOptions, addExamples, type CliEnv, legacyOption } from '../command-kit.js';
import { parseIntArg } from '../values.js';
import type { EvaluateOptions } from './evaluate-options.js';
import { runEvaluate } from './run-evaluate.js';

export const EVALUATE_LEGACY_FLAGS = { '-bs': '--batch-size' } as const;

/** `mt evaluate <model> <dataset-or-midi-folder>`: NLL per token, perplexity and accuracy. */
export function registerEvaluate(program: Command, env: CliEnv): void {
  const command = program
    .command('evaluate')
    .description(
      'score a model on a dataset file or a folder of MIDI files (NLL per token, perplexity, accuracy)',
    )
    .argument('<model>', "model or checkpoint file ('default': the bundled model)")
    .argument('<dataset-or-midi-folder>', 'dataset file from mt preprocess, or a folder of MIDI files')
    .addOption(
      new Option('--split <which>', 'dataset rows to score')
        .choices(['validation', 'train', 'all'])
        .default('validation'),
    )
    .option(
      '--length <n>',
      'row length for a MIDI folder (default: min(1024, the model context))',
      parseIntArg({ min: 3, max: 65535 }),
    )
    .addOption(
      legacyOption('-bs', '--batch-size <n>', 'rows per forward pass')
        .argParser(parseIntArg({ min: 1 }))
        .default(8),
    )
    .addOption(new Option('--backend <name>', 'TF.js backend').choices(BACKEND_CHOICES).default('auto'));
  addCommonOptions(command);
  addExamples(command, [
    'mt evaluate models/piano.safetensors data/piano.safetensors',
    'mt evaluate model.safetensors midi/test/ --json',
    'mt evaluate ckpt.safetensors data.safetensors --split all',
  ]);
  command.action(async (model: string, data: string, flags: EvaluateOptions) => {
    await runEvaluate({ model, data }, flags, env);
  });
}
