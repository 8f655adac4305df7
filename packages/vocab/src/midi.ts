import { type DecodeOptions, type DecodeStats, tokensToStepNotes } from './decode.js';
import { defaultVocab } from './default-vocab.js';
import { type EncodeStats, encodeWithin, quantizeNotes } from './encode.js';
import { MidiParseError } from './errors.js';
import { decodeEvents, type VocabEvent } from './events.js';
import { type MidiLimits, resolveMidiLimits } from './limits.js';
import { type ReadReport, readMidiNotes } from './midi-read.js';
import { stepNotesToMidi, type WriteOptions } from './midi-write.js';
import type { SourceNote } from './notes.js';
import type { Vocab } from './vocab.js';

export interface MidiToTokensOptions {
  /** Named in errors and the report. */
  fileName: string;
  /** Default: the `seed` vocab. Its `sustain` setting decides pedal handling. */
  vocab?: Vocab;
  /** Keep General MIDI drums (channel 10). Default false. */
  includeDrums?: boolean;
  /**
   * Longest piece accepted, in seconds of music and in tokens (defaults: `DEFAULT_MIDI_LIMITS`). A longer
   * one is refused with `MidiParseError` (its `limit` says which); reading stays linear in the file size.
   */
  limits?: Partial<MidiLimits>;
}

/** The report of one file: reading, range filtering and encoding, every dropped or changed note counted. */
export interface MidiReport extends ReadReport, EncodeStats {
  /** Notes turned into tokens (after drums / range filtering and duplicate merging). */
  notesEncoded: number;
  /** Notes outside the vocab's pitch range: not encoded. */
  outOfRange: { notes: number; pitches: number[] };
}

export interface MidiTokens {
  tokens: Uint16Array;
  /** The tokens as structured events (built on first access: the training path never needs them). */
  readonly events: VocabEvent[];
  /** Notes read from the file that were encoded (in range, channel kept), in seconds. */
  notes: SourceNote[];
  report: MidiReport;
}

/**
 * MIDI file bytes -> token ids (no start/end: windows add them). Tempo map honoured, tracks merged by time,
 * drums excluded by default. Throws `MidiParseError` (code `BAD_MIDI`, naming the file) on bad bytes.
 */
export function midiToTokens(bytes: Uint8Array, options: MidiToTokensOptions): MidiTokens {
  const vocab = options.vocab ?? defaultVocab();
  const { minPitch, maxPitch, sustain } = vocab.config;
  const limits = resolveMidiLimits(options.limits);
  const read = readMidiNotes(bytes, {
    fileName: options.fileName,
    includeDrums: options.includeDrums,
    sustain,
    limits,
  });
  const notes: SourceNote[] = [];
  const outPitches = new Set<number>();
  let outOfRange = 0;
  for (const n of read.notes) {
    if (n.pitch < minPitch || n.pitch > maxPitch) {
      outOfRange++;
      outPitches.add(n.pitch);
    } else notes.push(n);
  }
  const encoded = encodeWithin(quantizeNotes(notes, vocab), vocab, limits.maxTokens);
  if ('tooMany' in encoded) {
    throw new MidiParseError(
      options.fileName,
      `the music encodes to ${encoded.tooMany} tokens, above the limit of ${limits.maxTokens} (maxTokens)`,
      { limit: 'maxTokens' },
    );
  }
  const { tokens, stats } = encoded;
  let events: VocabEvent[] | undefined;
  return {
    tokens,
    get events() {
      events ??= decodeEvents(tokens, vocab);
      return events;
    },
    notes,
    report: {
      ...read.report,
      ...stats,
      notesEncoded: notes.length - stats.duplicatesMerged,
      outOfRange: { notes: outOfRange, pitches: [...outPitches].sort((a, b) => a - b) },
    },
  };
}

export interface TokensToMidiOptions extends DecodeOptions, WriteOptions {}

/**
 * Token ids -> MIDI file bytes. Timing is exact: PPQ and tempo are chosen so one time step is a whole
 * number of ticks. Velocity carries over; orphan note-offs are ignored; open notes are closed at the end;
 * notes are capped at `maxNoteSeconds` (default 5); pad/start/end are ignored.
 */
export function tokensToMidi(tokens: ArrayLike<number>, options: TokensToMidiOptions = {}): Uint8Array {
  return tokensToMidiWithStats(tokens, options).bytes;
}

/** `tokensToMidi` plus what the decoder repaired. */
export function tokensToMidiWithStats(
  tokens: ArrayLike<number>,
  options: TokensToMidiOptions = {},
): { bytes: Uint8Array; stats: DecodeStats } {
  const vocab = options.vocab ?? defaultVocab();
  const { notes, stats } = tokensToStepNotes(tokens, options);
  return { bytes: stepNotesToMidi(notes, vocab.stepMs, options), stats };
}
