import { type Command, Option } from 'commander';
import { addCommonOptions, addExamples, type CliEnv } from '../command-kit.js';
import { addMidiLimitOptions } from '../midi-limits-option.js';
import { collect, parseFloatArg, parseIntArg } from '../values.js';
import { addVocabOptions } from '../vocab-options.js';
import { parseWindowsArg } from '../windows-option.js';
import type { PreprocessOptions } from './preprocess-options.js';
import { runPreprocess } from './run-preprocess.js';

export { DATASET_EXTENSION, datasetPath } from './run-preprocess.js';

/** `mt preprocess <source-dir> <destination> <length>`: MIDI folder -> augmented dataset file. */
export function registerPreprocess(program: Command, env: CliEnv): void {
  const command = program
    .command('preprocess')
    .description('turn a folder of MIDI files into a training dataset (windows, augmentation, split)')
    .argument('<source-dir>', 'folder searched recursively for .mid / .midi files')
    .argument('<destination>', 'dataset file to write (.safetensors is appended), or a folder')
    .argument(
      '<length>',
      'row length in tokens, <start>/<end> included (e.g. 1024)',
      parseIntArg({ min: 3, max: 65535 }),
    )
    .option(
      '-t, --transpositions <semitones...>',
      'transpositions to augment with (default -2 -1 0 1 2)',
      collect(parseIntArg({ min: -127, max: 127 })),
    )
    .option(
      '-s, --time-stretches <factors...>',
      'time stretches; 1 and the inverses are added (default 1 1.05 1.1)',
      collect(parseFloatArg({ above: 0, max: 10 })),
    )
    .option(
      '--windows <n|all>',
      "windows per piece: n random ones + the end window (default 1: the original's), or 'all': consecutive windows using every token (small corpora)",
      parseWindowsArg,
    )
    .option('--seed <int>', 'seed of windows, split and shuffle', parseIntArg(), 1)
    .option('--workers <n>', 'worker threads (default: all cores)', parseIntArg({ min: 1, max: 256 }))
    .option(
      '--val-split <fraction>',
      'share of source files held out for validation',
      parseFloatArg({ min: 0, max: 0.99 }),
      0.2,
    )
    .option('--drums', 'keep General MIDI drums (channel 10) as notes, merged with the other instruments')
    .option('-f, --force', 'overwrite the destination file if it exists');
  addVocabOptions(command);
  addMidiLimitOptions(command);
  addCommonOptions(command);
  command.addOption(
    new Option('-v', "the original project's verbose flag: accepted, progress is always shown").hideHelp(),
  );
  addExamples(command, [
    'mt preprocess midi/ data/piano 1024',
    'mt preprocess midi/ data/piano.safetensors 512 -t -1 0 1 -s 1 1.1 --val-split 0.1',
    'mt preprocess midi/ data/ 2048 --preset performance-rnn --sustain ignore --json',
    'mt preprocess band-midi/ data/band 1024 --drums',
    'mt preprocess small-midi/ data/small 512 --windows all --seed 2   # every token; another seed cuts elsewhere',
    'mt preprocess midi/ data/more 1024 --windows 4                    # 4 random windows + the end one per piece',
  ]);
  command.action(async (source: string, destination: string, length: number, flags: PreprocessOptions) => {
    await runPreprocess({ source, destination, length }, flags, env);
  });
}
