import { ModelError } from '../errors.js';

/**
 * What generation needs from a vocabulary; `Vocab` from @music-transformer/vocab satisfies it. Kept
 * structural so that the model package does not depend on the vocab's full API.
 */
export interface GenerationVocab {
  readonly size: number;
  readonly pad: number;
  readonly start: number;
  readonly end: number;
  /** Pitch of the first note-on id (`Vocab.config` has it); absent = 0, as in the presets. */
  readonly config?: { readonly minPitch: number };
  /** Milliseconds per time-shift step. */
  readonly stepMs: number;
  readonly ranges: {
    readonly time_shift: { readonly first: number; readonly count: number };
    /** Note ranges: the music grammar (on by default) masks note-ons and note-offs by pitch with them. */
    readonly note_on: { readonly first: number; readonly count: number };
    readonly note_off: { readonly first: number; readonly count: number };
  };
}

/** Milliseconds of music each id advances the clock by: k * stepMs for a k-step time shift, 0 otherwise. */
export function msPerToken(vocab: GenerationVocab): Float64Array {
  const { first, count } = vocab.ranges.time_shift;
  if (first < 0 || first + count > vocab.size || !(vocab.stepMs > 0)) {
    throw new ModelError(
      'BAD_INPUT',
      `vocab: time-shift range [${first}, ${first + count}) or stepMs ${vocab.stepMs} does not fit a vocab of ${vocab.size} ids`,
    );
  }
  const ms = new Float64Array(vocab.size);
  for (let k = 1; k <= count; k++) ms[first + k - 1] = k * vocab.stepMs;
  return ms;
}
