import { parseHParams } from '../../hparams.js';

/** The engine suites' model: 2 layers of width 32 over a 40-id vocabulary, so a step takes milliseconds. */
export const tiny = parseHParams({
  d_model: 32,
  num_layers: 2,
  num_heads: 4,
  d_ff: 64,
  max_rel_dist: 16,
  vocab_size: 40,
});
