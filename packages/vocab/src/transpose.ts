import { VocabError } from './errors.js';
import type { Vocab } from './vocab.js';

/** Lowest and highest pitch of the notes in `tokens`, or null when there are none. */
export function pitchSpan(tokens: ArrayLike<number>, vocab: Vocab): { low: number; high: number } | null {
  const onFirst = vocab.ranges.note_on.first;
  const offFirst = vocab.ranges.note_off.first;
  const count = vocab.ranges.note_on.count;
  let low = Number.POSITIVE_INFINITY;
  let high = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < tokens.length; i++) {
    const id = tokens[i]!;
    let idx: number;
    if (id >= onFirst && id < onFirst + count) idx = id - onFirst;
    else if (id >= offFirst && id < offFirst + count) idx = id - offFirst;
    else continue;
    if (idx < low) low = idx;
    if (idx > high) high = idx;
  }
  const min = vocab.config.minPitch;
  return low <= high ? { low: low + min, high: high + min } : null;
}

/**
 * Writes `src` shifted by `semitones` into `dst` (same length or longer). The caller has checked with
 * `pitchSpan` that every note stays in range; this is the allocation-free kernel behind `transpose` and
 * `buildRows`.
 */
export function transposeInto(
  src: ArrayLike<number>,
  semitones: number,
  vocab: Vocab,
  dst: Uint16Array,
): void {
  const onFirst = vocab.ranges.note_on.first;
  const onEnd = onFirst + vocab.ranges.note_on.count;
  const offFirst = vocab.ranges.note_off.first;
  const offEnd = offFirst + vocab.ranges.note_off.count;
  for (let i = 0; i < src.length; i++) {
    const id = src[i]!;
    dst[i] = (id >= onFirst && id < onEnd) || (id >= offFirst && id < offEnd) ? id + semitones : id;
  }
}

/**
 * Shifts every note by `semitones`. Returns null when any note of these tokens would leave the vocab's
 * pitch range: the caller skips this transposition for this window (the original kept such notes
 * unshifted, which puts wrong notes in the data). Other ids are copied unchanged.
 */
export function transpose(tokens: ArrayLike<number>, semitones: number, vocab: Vocab): Uint16Array | null {
  if (!Number.isInteger(semitones)) {
    throw new VocabError('BAD_ARGUMENT', `transpose: semitones must be an integer, got ${semitones}`);
  }
  const span = pitchSpan(tokens, vocab);
  if (
    span &&
    (span.low + semitones < vocab.config.minPitch || span.high + semitones > vocab.config.maxPitch)
  ) {
    return null;
  }
  const out = new Uint16Array(tokens.length);
  transposeInto(tokens, span ? semitones : 0, vocab, out);
  return out;
}
