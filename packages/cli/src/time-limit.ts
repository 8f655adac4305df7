import type { Vocab } from '@music-transformer/vocab';

/**
 * Cuts a token sequence at `maxSeconds` of music. The generator stops on the first time shift that
 * reaches the limit, so its last shift may overshoot by up to one token (1 s in the seed vocab); here
 * that shift is shortened to land exactly on the limit and nothing after it is kept, so notes still
 * sounding are closed at the limit by the decoder and the file never lasts longer than asked.
 */
export function clipToSeconds(tokens: readonly number[], vocab: Vocab, maxSeconds: number): number[] {
  const { first, count } = vocab.ranges.time_shift;
  const limitSteps = Math.floor((maxSeconds * 1000) / vocab.stepMs + 1e-9);
  const out: number[] = [];
  let steps = 0;
  for (const id of tokens) {
    const shift = id >= first && id < first + count ? id - first + 1 : 0;
    if (shift > 0 && steps + shift > limitSteps) {
      const rest = limitSteps - steps;
      if (rest > 0) out.push(vocab.timeShift(rest));
      return out;
    }
    steps += shift;
    out.push(id);
  }
  return out;
}
