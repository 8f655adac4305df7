import { CodedError } from './coded-error.js';

/** Closed set of error codes for the vocab package; tests and the CLI switch on `code`, never on text. */
export type VocabErrorCode = 'BAD_CONFIG' | 'BAD_TOKEN' | 'BAD_ARGUMENT' | 'BAD_MIDI';

/** Every error this package throws on purpose is a `VocabError` (or its subclass `MidiParseError`). */
export class VocabError extends CodedError<VocabErrorCode> {
  override readonly name: string = 'VocabError';
}

/**
 * Bytes that are not a MIDI file we can read: empty, truncated, not `MThd`, format 2, SMPTE division,
 * malformed events. The message always starts with the file name so a batch job can say which file failed.
 */
export class MidiParseError extends VocabError {
  override readonly name: string = 'MidiParseError';
  readonly fileName: string;
  readonly reason: string;
  /** Set when the file is readable but longer than a `MidiLimits` bound: which one (callers say how to raise it). */
  readonly limit?: 'maxSeconds' | 'maxTokens';

  constructor(
    fileName: string,
    reason: string,
    options?: { cause?: unknown; limit?: 'maxSeconds' | 'maxTokens' },
  ) {
    super('BAD_MIDI', `${fileName}: ${reason}`, options);
    this.fileName = fileName;
    this.reason = reason;
    if (options?.limit !== undefined) this.limit = options.limit;
  }
}
