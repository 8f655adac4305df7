import { VocabError } from './errors.js';

/** One augmented copy: transpose by `semitones`, then stretch time by `stretch`. */
export interface Augmentation {
  semitones: number;
  stretch: number;
}

/**
 * All (transposition, stretch) pairs, transposition outer, as the original's preprocessing: stretches
 * get 1 and each reciprocal added (deduplicated, sorted), so the defaults give 5 x 5 = 25 augmentations:
 * semitones -2..2 and stretches 1/1.1, 1/1.05, 1, 1.05, 1.1.
 */
export function augmentations(
  transpositions: readonly number[] = [-2, -1, 0, 1, 2],
  stretches: readonly number[] = [1, 1.05, 1.1],
  options: { reciprocals?: boolean } = {},
): Augmentation[] {
  for (const s of transpositions) {
    if (!Number.isInteger(s))
      throw new VocabError('BAD_ARGUMENT', `augmentations: transposition ${s} is not an integer`);
  }
  for (const f of stretches) {
    if (!Number.isFinite(f) || f <= 0) {
      throw new VocabError('BAD_ARGUMENT', `augmentations: stretch ${f} is not a positive number`);
    }
  }
  const set = new Set<number>([...stretches]);
  if (options.reciprocals ?? true) {
    set.add(1);
    for (const f of stretches) set.add(1 / f);
  }
  const factors = [...set].sort((a, b) => a - b);
  const shifts = [...new Set(transpositions)].sort((a, b) => a - b);
  return shifts.flatMap((semitones) => factors.map((f) => ({ semitones, stretch: f })));
}
