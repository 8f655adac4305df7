import { DEFAULT_MIDI_LIMITS, type MidiLimits, MidiParseError } from '@music-transformer/vocab';
import type { Command } from 'commander';
import { CliError } from './errors.js';
import { parseFloatArg, parseIntArg } from './values.js';

export interface MidiLimitFlags {
  maxPieceSeconds?: number;
  maxPieceTokens?: number;
}

const FLAG_OF: Record<keyof MidiLimits, string> = {
  maxSeconds: '--max-piece-seconds',
  maxTokens: '--max-piece-tokens',
};

/**
 * `--max-piece-seconds` / `--max-piece-tokens`: the longest piece a MIDI file may hold. A few bytes of delta time can
 * claim years of silence, so reading stops at a stated length, which a user with a really long piece
 * can raise.
 */
export function addMidiLimitOptions(command: Command): Command {
  return command
    .option(
      '--max-piece-seconds <s>',
      `refuse MIDI files whose music lasts longer (default ${DEFAULT_MIDI_LIMITS.maxSeconds})`,
      parseFloatArg({ above: 0 }),
    )
    .option(
      '--max-piece-tokens <n>',
      `refuse MIDI files that encode to more tokens (default ${DEFAULT_MIDI_LIMITS.maxTokens})`,
      parseIntArg({ min: 1 }),
    );
}

export function midiLimitsFromFlags(flags: MidiLimitFlags): Partial<MidiLimits> {
  return {
    ...(flags.maxPieceSeconds === undefined ? {} : { maxSeconds: flags.maxPieceSeconds }),
    ...(flags.maxPieceTokens === undefined ? {} : { maxTokens: flags.maxPieceTokens }),
  };
}

/** The flag that raises the limit a `MidiParseError` names, if it names one. */
export function limitHint(error: unknown): string | undefined {
  if (!(error instanceof MidiParseError) || error.limit === undefined) return undefined;
  return `raise it with ${FLAG_OF[error.limit]}`;
}

/** Runs `read`; a file over a limit becomes one line saying which flag raises it. */
export function withLimitHint<T>(read: () => T): T {
  try {
    return read();
  } catch (e) {
    const hint = limitHint(e);
    if (hint === undefined) throw e;
    throw new CliError('BAD_INPUT', `${(e as Error).message}; ${hint}`, { cause: e });
  }
}
