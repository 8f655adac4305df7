import type { HParamFlags } from '@music-transformer/model/torch';
import type { Command } from 'commander';
import { legacyOption } from '../command-kit.js';
import { parseFloatArg, parseIntArg } from '../values.js';
import { HPARAM_FLAGS } from './train-options.js';

/** The original's flags for the hparams a bare state_dict cannot tell (and the rest, checked against it). */
export const IMPORT_LEGACY_FLAGS = {
  '-nl': '--num-layers',
  '-nh': '--num-heads',
  '-dff': '--d-feedforward',
  '-mrd': '--max-rel-dist',
  '-map': '--max-abs-position',
  '-nb': '--no-bias',
  '-dr': '--dropout',
  '-le': '--layernorm-eps',
} as const;

/** `mt train`'s architecture flags without --norm: the original's format has no post-LN to import. */
const { norm: _norm, ...FLAG_KEYS } = HPARAM_FLAGS;

/** The hparams flags the user typed (never defaults): they fill what the file lacks and must agree with it. */
export function hparamFlagsOf(command: Command): HParamFlags {
  const out: Record<string, unknown> = {};
  const values = command.opts();
  for (const [flag, key] of Object.entries(FLAG_KEYS)) {
    if (command.getOptionValueSource(flag) === 'cli') out[key] = values[flag];
  }
  return out as HParamFlags;
}

/** Adds -d -nl -nh -dff -mrd -map -nb -dr -le, as `mt train` and the original's train.py name them. */
export function addHParamFlags(command: Command): Command {
  return command
    .option('-d, --d-model <n>', 'model width', parseIntArg({ min: 1 }))
    .addOption(legacyOption('-nl', '--num-layers <n>', 'decoder layers').argParser(parseIntArg({ min: 1 })))
    .addOption(legacyOption('-nh', '--num-heads <n>', 'attention heads').argParser(parseIntArg({ min: 1 })))
    .addOption(
      legacyOption('-dff', '--d-feedforward <n>', 'feed-forward width').argParser(parseIntArg({ min: 1 })),
    )
    .addOption(
      legacyOption('-mrd', '--max-rel-dist <n>', 'relative attention distances').argParser(
        parseIntArg({ min: 0 }),
      ),
    )
    .addOption(
      legacyOption('-map', '--max-abs-position <n>', 'absolute position table length (0 = none)').argParser(
        parseIntArg({ min: 0 }),
      ),
    )
    .addOption(legacyOption('-nb', '--no-bias', 'the q/k/v and feed-forward layers have no bias'))
    .addOption(
      legacyOption('-dr', '--dropout <p>', 'dropout rate (default 0.1)').argParser(
        parseFloatArg({ min: 0, max: 0.99 }),
      ),
    )
    .addOption(
      legacyOption('-le', '--layernorm-eps <eps>', 'layer norm epsilon (default 1e-6)').argParser(
        parseFloatArg({ above: 0 }),
      ),
    );
}
