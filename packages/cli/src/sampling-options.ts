import { randomInt } from 'node:crypto';
import type { Command } from 'commander';
import { CliError } from './errors.js';
import { parseFloatArg, parseIntArg } from './values.js';

/**
 * Default `--min-seconds`: a model trained on the original's windows, half of which are song endings,
 * emits <end> early (the earlier bundled models: median 201-266 tokens, 1-14 s, in the model card), so
 * without a floor a command can give a few seconds (`mt generate`) or a new piece every few seconds
 * (`mt live`). 10 s gives at least a short piece with any model.
 */
export const DEFAULT_MIN_SECONDS = 10;

/** The flags `addSamplingOptions` adds, as commander hands them to the action. */
export interface SamplingFlags {
  temperature: number;
  /** 0 = off. */
  topK: number;
  /** 1 = off. */
  topP: number;
  minSeconds: number;
  seed?: number;
  /** `--pitch-range` as typed (checked by `pitchRangeOf` once the model package is loaded). */
  pitchRange?: string;
}

/**
 * How the model samples, shared by `mt generate` and `mt live` so both take the same flags with the same
 * defaults: `-t -k -p --min-seconds --seed`. Only the temperature's ceiling differs: the live bridge
 * refuses temperatures above 10 (its controls' range), a file can be sampled hotter.
 */
export function addSamplingOptions(command: Command, limits: { maxTemperature: number }): Command {
  return command
    .option(
      '-t, --temperature <float>',
      'sampling temperature: the logits are divided by it (lower = safer)',
      parseFloatArg({ above: 0, max: limits.maxTemperature }),
      1,
    )
    .option(
      '-k, --top-k <int>',
      'sample among the k most likely tokens only (0 = off)',
      parseIntArg({ min: 0 }),
      0,
    )
    .option(
      '-p, --top-p <float>',
      'nucleus sampling: smallest set of tokens with this total probability (1 = off)',
      parseFloatArg({ above: 0, max: 1 }),
      1,
    )
    .option(
      '--min-seconds <s>',
      'the model may not end a piece before this much music (0 = whenever it likes)',
      parseFloatArg({ min: 0, max: 3600 }),
      DEFAULT_MIN_SECONDS,
    )
    .option(
      '--pitch-range <LO-HI|instrument>',
      'notes the model may start: MIDI numbers LO-HI or piano, harpsichord, organ, guitar, bass, violin, viola, cello, flute, full (default piano = 21-108)',
    )
    .option(
      '--seed <int>',
      'random seed (default: random, printed so the run can be repeated)',
      parseIntArg(),
    );
}

/** The seed given, or a fresh random one (the commands print it, so the run can be repeated). */
export function seedOf(flags: Pick<SamplingFlags, 'seed'>): number {
  return flags.seed ?? randomInt(1, 2 ** 31 - 1);
}

/** The model package's range parser (passed in: the CLI loads that package lazily). */
type ParsePitchRange = (value: string) => { low: number; high: number };

/**
 * The checked `--pitch-range` (undefined = the model's default, piano 21-108). The range is part of the
 * music grammar, so it cannot go with `--no-grammar`; a bad value is a usage error naming it.
 */
export function pitchRangeOf(
  flags: Pick<SamplingFlags, 'pitchRange'> & { grammar?: boolean },
  parse: ParsePitchRange,
): { low: number; high: number } | undefined {
  if (flags.pitchRange === undefined) return undefined;
  if (flags.grammar === false) {
    throw new CliError('USAGE', '--pitch-range is part of the music grammar: it cannot go with --no-grammar');
  }
  try {
    return parse(flags.pitchRange);
  } catch (error) {
    throw new CliError('USAGE', `--pitch-range: ${error instanceof Error ? error.message : String(error)}`);
  }
}
