import { hparamPresets } from '@music-transformer/model/hparams';
import { HPARAM_FLAGS, type TrainOptions } from './train-options.js';

/**
 * The hparams a new run asks for: the preset's (if any), then every architecture flag given on the
 * command line. Flags left out fall to the trainer's defaults, which are the `default` preset's.
 */
export function hparamsFromFlags(options: TrainOptions): Record<string, unknown> {
  const hparams: Record<string, unknown> = {};
  if (options.preset !== undefined) {
    // The vocabulary size always comes from the dataset, never from a preset.
    const { vocab_size: _ignored, ...preset } = hparamPresets[options.preset];
    Object.assign(hparams, preset);
  }
  for (const [flag, key] of Object.entries(HPARAM_FLAGS)) {
    if (options.given.has(flag)) hparams[key] = options[flag as keyof typeof HPARAM_FLAGS];
  }
  return hparams;
}
