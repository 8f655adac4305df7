import { CodedError } from '@music-transformer/vocab';

/**
 * The CLI's own error class. Every failure the user can cause ends as one of these codes, and the
 * code alone decides the exit status: usage mistakes exit 2 (like commander's own parse errors), any
 * other failure exits 1.
 */
export type CliErrorCode =
  | 'USAGE' // bad flag value or combination the parser could not catch
  | 'NOT_FOUND' // an input file or folder does not exist
  | 'BAD_INPUT' // an input exists but is not what the command needs (not MIDI, wrong vocabulary...)
  | 'EXISTS' // the destination exists and --force was not given
  | 'UNWRITABLE' // the destination cannot be written
  | 'NO_DEFAULT_MODEL' // `default` was asked for but no model is bundled yet
  | 'FAILED' // a library call failed for another reason
  | 'INTERRUPTED'; // Ctrl-C stopped the command before it had anything whole to write

export class CliError extends CodedError<CliErrorCode> {
  override readonly name = 'CliError';

  get exitCode(): number {
    if (this.code === 'INTERRUPTED') return EXIT.interrupted;
    return this.code === 'USAGE' ? EXIT.usage : EXIT.failure;
  }
}

/** 130 = 128 + SIGINT, what a shell reports for a command stopped by Ctrl-C. */
export const EXIT = { ok: 0, failure: 1, usage: 2, interrupted: 130 } as const;
