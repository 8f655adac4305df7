import type { Vocab } from '@music-transformer/vocab';

/**
 * Cuts a token sequence at `maxSeconds` of music. The generator stops on the first time shift that
 * reaches the limit, so its last shift may overshoot by up to one token (1 s in the seed vocab); here
 * that shift is shortened to land exactly on the limit. After it only the note-offs of notes sounding at
 * the limit are kept (the generator's `closeNotes` repair puts them there), so they close at the limit and
 * the file never lasts longer than asked.
 */
export function clipToSeconds(tokens: readonly number[], vocab: Vocab, maxSeconds: number): number[] {
  const { first, count } = vocab.ranges.time_shift;
  const limitSteps = Math.floor((maxSeconds * 1000) / vocab.stepMs + 1e-9);
  const out: number[] = [];
  const sounding = new Set<number>();
  let steps = 0;
  for (const [i, id] of tokens.entries()) {
    const shift = id >= first && id < first + count ? id - first + 1 : 0;
    if (shift > 0 && steps + shift > limitSteps) {
      const rest = limitSteps - steps;
      if (rest > 0) out.push(vocab.timeShift(rest));
      for (const later of tokens.slice(i + 1)) {
        if (vocab.kindOf(later) === 'note_off' && sounding.delete(vocab.valueOf(later))) out.push(later);
      }
      return out;
    }
    const kind = vocab.kindOf(id);
    if (kind === 'note_on') sounding.add(vocab.valueOf(id));
    else if (kind === 'note_off') sounding.delete(vocab.valueOf(id));
    steps += shift;
    out.push(id);
  }
  return out;
}
