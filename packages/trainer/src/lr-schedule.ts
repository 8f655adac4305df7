import { TrainerError } from './errors.js';

/**
 * The Transformer ("Noam") schedule: `dModel^-0.5 * min(step^-0.5, step * warmup^-1.5)`.
 *
 * `step` counts optimizer updates starting at 1 for the first update (the step being taken, not the
 * number already done). The original evaluates its LambdaLR at s = 0 (+1e-6) for the first update, so its
 * first update runs at lr ~1e-12 and is wasted; counting from 1 gives `dModel^-0.5 * warmup^-1.5` instead.
 * The peak is at step = warmup: `dModel^-0.5 * warmup^-0.5` (1.98e-3 for d_model 128, warmup 2000).
 */
export function transformerLr(step: number, dModel: number, warmup: number): number {
  if (!Number.isInteger(step) || step < 1) {
    throw new TrainerError('BAD_OPTIONS', `transformerLr: step must be an integer >= 1, got ${step}`);
  }
  if (!(dModel > 0))
    throw new TrainerError('BAD_OPTIONS', `transformerLr: dModel must be > 0, got ${dModel}`);
  if (!(warmup > 0))
    throw new TrainerError('BAD_OPTIONS', `transformerLr: warmup must be > 0, got ${warmup}`);
  return dModel ** -0.5 * Math.min(step ** -0.5, step * warmup ** -1.5);
}
