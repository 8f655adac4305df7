import type { HParamFlags } from '@music-transformer/model/torch';
import { type CliEnv, type CommonFlags, outputFor } from '../command-kit.js';
import { prepareDestination, readInput, requireFile, writeOutput } from '../files.js';
import { torchPackage } from '../lazy-packages.js';
import { importedMetadata, importTorch } from '../torch-source.js';

export interface ImportFlags extends CommonFlags {
  force?: boolean;
  /** The hparams flags given on the command line (see `hparamFlagsOf`). */
  hparams: HParamFlags;
}

/** `mt import`'s work, apart from its flag declarations so that tests can call it directly. */
export async function runImport(source: string, out: string, flags: ImportFlags, env: CliEnv): Promise<void> {
  const output = outputFor(env, flags);
  await requireFile(source, '.pt file');
  const target = await prepareDestination(out, { force: flags.force === true, what: 'model file' });
  const bytes = await readInput(source, '.pt file');
  const model = await importTorch(source, bytes, flags.hparams);
  const { encodeImportedModel } = await torchPackage();
  await writeOutput(target, encodeImportedModel(model, importedMetadata(model, source)), 'model file');
  for (const note of model.notes) output.note(note);
  const h = model.hparams;
  output.result({ source, out: target, layout: model.layout, hparams: h, notes: model.notes }, () => [
    `${source} -> ${target}: ${model.layout === 'checkpoint' ? 'checkpoint {state_dict, hparams}' : 'bare state_dict'}, ${model.weights.size} tensors`,
    `hparams: d_model ${h.d_model}, layers ${h.num_layers}, heads ${h.num_heads}, d_ff ${h.d_ff}, max_rel_dist ${h.max_rel_dist}, max_abs_position ${h.max_abs_position}, vocab ${h.vocab_size}, bias ${h.bias}, norm ${h.norm}`,
  ]);
}
