import type { Rng } from '../sampling/types.js';
import type { GenerationVocab } from './vocab-info.js';

/** Longest release tail, ms: long enough to hear the notes let go one by one, short enough to stay an ending. */
export const RELEASE_TAIL_MS = 400;

/**
 * The tokens that end a piece stopped at a limit: the sounding notes' note-offs (ids from the note-off
 * range, in any order), released at random moments spread over at most `budgetMs` (the first at once),
 * in a random order, as hands leave the keys, instead of all at one instant. Notes whose moments fall on
 * the same time step are released together. Returns note-offs and the time shifts between them; the
 * time shifts add up to at most `budgetMs`. Empty when nothing sounds.
 */
export function releaseTail(
  noteOffs: readonly number[],
  vocab: GenerationVocab,
  rng: Rng,
  budgetMs: number = RELEASE_TAIL_MS,
): number[] {
  const order = [...noteOffs];
  // Fisher-Yates with the session's stream, so a seed reproduces the tail.
  for (let i = order.length - 1; i > 0; i--) {
    const j = Math.floor(rng.next() * (i + 1));
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  const budgetSteps = Math.max(0, Math.floor(budgetMs / vocab.stepMs + 1e-9));
  // Release moments in steps: the first note at once, the others at sorted random moments.
  const moments = order.map((_, i) => (i === 0 ? 0 : Math.floor(rng.next() * (budgetSteps + 1))));
  moments.sort((a, b) => a - b);
  const { first, count } = vocab.ranges.time_shift;
  const out: number[] = [];
  let at = 0;
  order.forEach((id, i) => {
    let gap = moments[i]! - at;
    at = moments[i]!;
    while (gap > 0) {
      const steps = Math.min(count, gap);
      out.push(first + steps - 1);
      gap -= steps;
    }
    out.push(id);
  });
  return out;
}
