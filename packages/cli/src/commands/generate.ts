import { type Command, Option } from 'commander';
import { addCommonOptions, addExamples, type CliEnv, legacyOption } from '../command-kit.js';
import { addSamplingOptions } from '../sampling-options.js';
import { parseFloatArg, parseIntArg } from '../values.js';
import { GENERATE_BACKENDS, type GenerateOptions } from './generate-options.js';
import { runGenerate } from './run-generate.js';

export { midiOutputPath, numberedPaths } from './generate-paths.js';

export const GENERATE_LEGACY_FLAGS = {
  '-tm': '--tempo',
  '-it': '--primer-tokens',
  '--midi-prompt': '--primer',
  '--midi-prompt-tokens': '--primer-tokens',
} as const;

/** `mt generate [model] <out.mid>`: sample music from a trained model, optionally continuing a primer. */
export function registerGenerate(program: Command, env: CliEnv): void {
  const command = program
    .command('generate')
    .description('generate MIDI with a trained model (or the bundled default model)')
    .usage('[options] [model] <out.mid>')
    .argument(
      '<paths...>',
      "[model] <out.mid>: model or checkpoint file ('default' or omitted: the bundled model), then the output",
    )
    .addOption(
      new Option('-m, --mode <mode>', 'sampling mode')
        .choices(['categorical', 'argmax'])
        .default('categorical'),
    );
  addSamplingOptions(command, { maxTemperature: 100 });
  command
    .addOption(
      legacyOption(
        '-tm',
        '--tempo <bpm>',
        'tempo written to the file; note timing stays in real milliseconds',
      )
        .argParser(parseFloatArg({ min: 2, max: 1000 }))
        .default(120),
    )
    .option('-i, --primer <file.mid>', 'MIDI file whose tokens the model continues (alias --midi-prompt)')
    .addOption(
      legacyOption(
        '-it',
        '--primer-tokens <n>',
        'use only the first n tokens of the primer (alias --midi-prompt-tokens)',
      ).argParser(parseIntArg({ min: 1 })),
    )
    .option(
      '--max-tokens <n>',
      'most tokens to generate per file (default: 1024 when --max-seconds is not given either)',
      parseIntArg({ min: 1, max: 1_000_000 }),
    )
    .option(
      '--max-seconds <s>',
      'seconds of music per file, within 1 s: the piece is steered to end there (wins over --min-seconds)',
      parseFloatArg({ above: 0, max: 36_000 }),
    )
    .option('--no-grammar', 'sample raw model output: allow note-offs of silent notes and repeated note-ons')
    .option('--no-close-notes', 'at --max-tokens/--max-seconds, leave the notes still sounding unclosed')
    .option('--continuation-only', 'write only what follows the primer, not the primer itself')
    .option(
      '--count <n>',
      'number of files to generate: out-1.mid ... out-N.mid',
      parseIntArg({ min: 1, max: 1000 }),
      1,
    )
    .option('-f, --force', 'overwrite output files that exist')
    .addOption(
      new Option(
        '--backend <name>',
        'compute path: wasm = WebAssembly SIMD kernels, cpu = plain JavaScript (generation runs on its own kernels, not TF.js)',
      )
        .choices(GENERATE_BACKENDS)
        .default('auto'),
    )
    .addOption(
      new Option('-c, --compile', "the original's torch.compile flag: accepted and ignored").hideHelp(),
    )
    .addOption(
      new Option('-v', "the original's verbose flag: accepted, the summary is always printed").hideHelp(),
    );
  addCommonOptions(command);
  addExamples(command, [
    'mt generate song.mid',
    'mt generate models/piano.safetensors song.mid -t 0.9 -k 50 --max-seconds 30',
    'mt generate model.safetensors out.mid -i intro.mid -it 256 --continuation-only --count 4 --seed 7',
    'mt generate default out.mid -m argmax -tm 90',
    'mt generate out.mid --min-seconds 0 --no-grammar   # the raw model, as the original samples it',
  ]);
  command.action(async (paths: string[], flags: GenerateOptions) => {
    await runGenerate(paths, flags, env);
  });
}
