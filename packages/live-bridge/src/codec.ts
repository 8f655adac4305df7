/**
 * What the bridge needs to know about a token vocabulary: the meaning of an id when playing, and the
 * ids for events when turning a player's notes into a primer. Kept as a small interface so the
 * scheduler and decoder can be tested without a model; `codecFromVocab` adapts the real vocabulary.
 */
export type TokenMeaning =
  | { kind: 'note_on'; pitch: number }
  | { kind: 'note_off'; pitch: number }
  | { kind: 'time_shift'; ms: number }
  | { kind: 'velocity'; velocity: number }
  /** start, pad and other ids that carry no musical event. */
  | { kind: 'none' }
  /** The end-of-sequence id: generation is finished. */
  | { kind: 'end' };

export interface TokenCodec {
  /** Number of ids; decode throws on ids outside [0, size). */
  readonly size: number;
  decode(id: number): TokenMeaning;
  /** Lowest and highest pitch that have note tokens. */
  readonly minPitch: number;
  readonly maxPitch: number;
  noteOn(pitch: number): number;
  noteOff(pitch: number): number;
  /** Token for a MIDI velocity 1..127 (the nearest bin). */
  velocity(velocity: number): number;
  /** Tokens that advance time by about `ms` (rounded to the vocabulary's step; empty below half a step). */
  timeShift(ms: number): number[];
  /** The id the sequences start with, if the vocabulary has one. */
  readonly start: number | null;
}

/** What a sequence begins with: the codec's start id, if it has one. */
export function startIds(codec: Pick<TokenCodec, 'start'>): number[] {
  return codec.start === null ? [] : [codec.start];
}
