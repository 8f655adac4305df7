import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import type { WindowScheme } from '@music-transformer/vocab';
import { type Command, Option } from 'commander';
import { addCommonOptions, addExamples, type CliEnv, type CommonFlags, outputFor } from '../command-kit.js';
import { isDirectory, prepareDestination, requireDir } from '../files.js';
import { trainerPackage } from '../lazy-packages.js';
import { addMidiLimitOptions, type MidiLimitFlags, midiLimitsFromFlags } from '../midi-limits-option.js';
import { startProgress } from '../progress.js';
import { skipLine } from '../skip-line.js';
import { collect, parseFloatArg, parseIntArg } from '../values.js';
import { addVocabOptions, type VocabFlags, vocabFromFlags } from '../vocab-options.js';
import { describeWindows, parseWindowsArg } from '../windows-option.js';

interface PreprocessFlags extends CommonFlags, VocabFlags, MidiLimitFlags {
  transpositions?: number[];
  timeStretches?: number[];
  windows?: WindowScheme;
  seed: number;
  workers?: number;
  valSplit: number;
  drums?: boolean;
  force?: boolean;
}

export const DATASET_EXTENSION = '.safetensors';

/**
 * The original's destination rule, adapted to our format: an existing folder receives
 * `dataset.safetensors`; any other path gets `.safetensors` appended unless it already ends so.
 */
export async function datasetPath(destination: string): Promise<string> {
  if (await isDirectory(destination)) return join(destination, `dataset${DATASET_EXTENSION}`);
  return destination.endsWith(DATASET_EXTENSION) ? destination : `${destination}${DATASET_EXTENSION}`;
}

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
  command.action(async (source: string, destination: string, length: number, flags: PreprocessFlags) => {
    const output = outputFor(env, flags);
    await requireDir(source, 'source folder');
    const vocab = vocabFromFlags(flags);
    const target = await prepareDestination(await datasetPath(destination), {
      force: flags.force === true,
      what: 'dataset',
    });
    const workers = flags.workers ?? availableParallelism();
    const { buildDataset, datasetWindowScheme } = await trainerPackage();
    let progress: ReturnType<typeof startProgress> | undefined;
    const build = buildDataset(source, {
      output: target,
      length,
      seed: flags.seed,
      workers,
      validationFraction: flags.valSplit,
      // --sustain travels inside the vocab config (the vocab decides pedal handling from it).
      vocab: { ...vocab.config },
      includeDrums: flags.drums === true,
      midiLimits: midiLimitsFromFlags(flags),
      ...(flags.windows ? { windows: flags.windows } : {}),
      ...(flags.transpositions ? { transpositions: flags.transpositions } : {}),
      ...(flags.timeStretches ? { stretches: flags.timeStretches } : {}),
      onProgress: (p) => {
        progress ??= startProgress(output, { label: 'preprocess', total: p.total, unit: 'files' });
        progress.update(p.done, p.ok ? p.file : `${p.file} skipped`);
      },
    });
    const result = await build.catch((error: unknown) => {
      progress?.abort();
      throw error;
    });
    progress?.stop();
    const { counts } = result.meta;
    const windows = datasetWindowScheme(result.meta);
    output.result(
      {
        path: result.path,
        files: counts.files,
        skipped: result.skipped,
        train_rows: result.trainRows,
        validation_rows: result.validationRows,
        length: result.meta.length,
        windows,
        window_length: result.meta.windows.window_length,
        tokens: counts.non_pad_tokens,
        vocab: result.meta.vocab,
        include_drums: result.meta.include_drums === true,
        fingerprint: result.fingerprint,
      },
      () => [
        `read ${counts.files} MIDI files: ${counts.files - counts.skipped} used, ${counts.skipped} skipped`,
        ...result.skipped.map((s) => `  ${skipLine(s)}`),
        ...limitHints(result.skipped),
        `sustain pedal: ${String(result.meta.vocab.sustain)}; drums: ${result.meta.include_drums === true ? 'kept' : 'dropped'}`,
        `windows: ${describeWindows(windows, result.meta.windows.window_length)}`,
        `rows: ${result.trainRows} train + ${result.validationRows} validation, ${result.meta.length} tokens each (${counts.non_pad_tokens} non-pad tokens)`,
        `dataset written to ${result.path}`,
      ],
    );
  });
}

/** One line per limit that made files be skipped, saying which flag raises it. */
function limitHints(skipped: readonly { reason: string }[]): string[] {
  const out: string[] = [];
  for (const [name, flag] of [
    ['maxSeconds', '--max-piece-seconds'],
    ['maxTokens', '--max-piece-tokens'],
  ] as const) {
    const n = skipped.filter((s) => s.reason.endsWith(`(${name})`)).length;
    if (n > 0) out.push(`  ${n} file${n === 1 ? '' : 's'} over the ${name} limit: raise it with ${flag}`);
  }
  return out;
}
