import { identityOrder, microBatches } from './batches.js';
import type { TrainingEngine } from './engine.js';

export interface ValidationFigures {
  loss: number;
  accuracy: number;
  perplexity: number;
  tokens: number;
}

/**
 * Mean NLL per non-pad target token over every validation row, forward only (the engine's `evaluate`
 * builds no gradients, unlike the original's validation). Returns null when there are no rows.
 */
export async function runValidation(
  engine: TrainingEngine,
  rows: Uint16Array,
  length: number,
  microBatchSize: number,
): Promise<ValidationFigures | null> {
  const n = rows.length / length;
  if (n === 0) return null;
  let nll = 0;
  let tokens = 0;
  let correct = 0;
  for (const mb of microBatches(rows, length, identityOrder(n), 0, n, microBatchSize)) {
    const r = await engine.evaluate(mb);
    nll += r.nllSum;
    tokens += r.tokens;
    correct += r.correct;
  }
  if (tokens === 0) return null;
  const loss = nll / tokens;
  return { loss, accuracy: correct / tokens, perplexity: Math.exp(loss), tokens };
}
