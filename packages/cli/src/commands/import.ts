import type { HParamFlags } from '@music-transformer/model/torch';
import type { Command } from 'commander';
import {
  addCommonOptions,
  addExamples,
  type CliEnv,
  type CommonFlags,
  legacyOption,
  outputFor,
} from '../command-kit.js';
import { prepareDestination, readInput, requireFile, writeOutput } from '../files.js';
import { torchPackage } from '../lazy-packages.js';
import { importedMetadata, importTorch } from '../torch-source.js';
import { parseFloatArg, parseIntArg } from '../values.js';

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

const FLAG_KEYS = {
  dModel: 'd_model',
  numLayers: 'num_layers',
  numHeads: 'num_heads',
  dFeedforward: 'd_ff',
  maxRelDist: 'max_rel_dist',
  maxAbsPosition: 'max_abs_position',
  bias: 'bias',
  dropout: 'dropout',
  layernormEps: 'layernorm_eps',
} as const;

interface ImportFlags extends CommonFlags {
  force?: boolean;
}

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

/** `mt import <file.pt> <out.safetensors>`: the original project's PyTorch checkpoints, without Python. */
export function registerImport(program: Command, env: CliEnv): void {
  const command = program
    .command('import')
    .description(
      'convert a PyTorch .pt of the original project ({state_dict, hparams} or a bare state_dict) to a model file; nothing in the .pt is executed',
    )
    .argument('<file.pt>', 'file written by torch.save (torch >= 1.6)')
    .argument('<out.safetensors>', 'model file to write')
    .option('-f, --force', 'overwrite <out.safetensors> if it exists');
  addHParamFlags(command);
  addCommonOptions(command);
  addExamples(command, [
    'mt import chopintransformerv5.pt chopin.safetensors',
    'mt import state_dict.pt model.safetensors -nh 8 -map 0   # a bare state_dict: heads and positions are not in the weights',
    'mt generate chopintransformerv5.pt out.mid               # or use the .pt directly',
  ]);
  command.action(async (source: string, out: string, flags: ImportFlags) => {
    const output = outputFor(env, flags);
    await requireFile(source, '.pt file');
    const target = await prepareDestination(out, { force: flags.force === true, what: 'model file' });
    const bytes = await readInput(source, '.pt file');
    const model = await importTorch(source, bytes, hparamFlagsOf(command));
    const { encodeImportedModel } = await torchPackage();
    await writeOutput(target, encodeImportedModel(model, importedMetadata(model, source)), 'model file');
    for (const note of model.notes) output.note(note);
    const h = model.hparams;
    output.result({ source, out: target, layout: model.layout, hparams: h, notes: model.notes }, () => [
      `${source} -> ${target}: ${model.layout === 'checkpoint' ? 'checkpoint {state_dict, hparams}' : 'bare state_dict'}, ${model.weights.size} tensors`,
      `hparams: d_model ${h.d_model}, layers ${h.num_layers}, heads ${h.num_heads}, d_ff ${h.d_ff}, max_rel_dist ${h.max_rel_dist}, max_abs_position ${h.max_abs_position}, vocab ${h.vocab_size}, bias ${h.bias}, norm ${h.norm}`,
    ]);
  });
}
