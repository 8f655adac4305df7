import { VocabError } from './errors.js';

/**
 * How long a piece read from MIDI may be. A few bytes can claim hours of silence (a delta time says up to
 * 2^28 ticks, at one tick per beat and 16.7 s per beat) or millions of notes, so reading a file has to
 * stop at a stated length rather than at the machine's memory. A piece over a limit is refused with a
 * `MidiParseError` saying which limit and by how much; it is never trimmed silently.
 */
export interface MidiLimits {
  /** Latest note end, in seconds from the start of the piece. */
  maxSeconds: number;
  /** Tokens the piece encodes to (also caps the notes read: a note is at least one token). */
  maxTokens: number;
}

/**
 * Defaults: two hours of music and two million tokens. Real pieces stay far below both (a dense
 * 30-minute piano performance is a few hundred thousand tokens), and at the limits a piece costs tens
 * of megabytes to read, not gigabytes.
 */
export const DEFAULT_MIDI_LIMITS: Readonly<MidiLimits> = Object.freeze({
  maxSeconds: 7200,
  maxTokens: 2_000_000,
});

/** Fills in defaults and checks the values: positive numbers (`Infinity` allowed: no limit). */
export function resolveMidiLimits(limits: Partial<MidiLimits> | undefined): MidiLimits {
  const out = { ...DEFAULT_MIDI_LIMITS, ...limits };
  for (const key of ['maxSeconds', 'maxTokens'] as const) {
    const v = out[key];
    if (typeof v !== 'number' || Number.isNaN(v) || v <= 0)
      throw new VocabError('BAD_ARGUMENT', `limits.${key} must be a positive number, got ${String(v)}`);
  }
  return out;
}
