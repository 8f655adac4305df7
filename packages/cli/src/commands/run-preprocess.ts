import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { type CliEnv, outputFor, watchInterrupt } from '../command-kit.js';
import { CliError } from '../errors.js';
import { isDirectory, prepareDestination, requireDir } from '../files.js';
import { trainerPackage } from '../lazy-packages.js';
import { midiLimitsFromFlags } from '../midi-limits-option.js';
import { startProgress } from '../progress.js';
import { skipLine } from '../skip-line.js';
import { vocabFromFlags } from '../vocab-options.js';
import { describeWindows } from '../windows-option.js';
import type { PreprocessOptions } from './preprocess-options.js';

export const DATASET_EXTENSION = '.safetensors';

/**
 * The original's destination rule, adapted to our format: an existing folder receives
 * `dataset.safetensors`; any other path gets `.safetensors` appended unless it already ends so.
 */
export async function datasetPath(destination: string): Promise<string> {
  if (await isDirectory(destination)) return join(destination, `dataset${DATASET_EXTENSION}`);
  return destination.endsWith(DATASET_EXTENSION) ? destination : `${destination}${DATASET_EXTENSION}`;
}

/** `mt preprocess`'s positional arguments. */
export interface PreprocessArgs {
  source: string;
  destination: string;
  length: number;
}

/**
 * `mt preprocess`'s work: every MIDI file below the source folder into one dataset file. Ctrl-C stops
 * the build and writes nothing (exit 130).
 */
export async function runPreprocess(
  args: PreprocessArgs,
  options: PreprocessOptions,
  env: CliEnv,
): Promise<void> {
  const { source, destination, length } = args;
  const flags = options;
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
  const interrupt = watchInterrupt(env, output, 'stopping; no dataset is written');
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
    signal: interrupt.signal,
    onProgress: (p) => {
      progress ??= startProgress(output, { label: 'preprocess', total: p.total, unit: 'files' });
      progress.update(p.done, p.ok ? p.file : `${p.file} skipped`);
    },
  });
  const result = await build
    .catch((error: unknown) => {
      progress?.abort();
      // The dataset is written in one atomic step at the end, so a stopped build leaves no file behind.
      if (interrupt.signal.aborted)
        throw new CliError('INTERRUPTED', `interrupted: no dataset written to ${target}`);
      throw error;
    })
    .finally(() => interrupt.dispose());
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
