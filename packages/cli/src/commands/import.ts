import type { Command } from 'commander';
import { addCommonOptions, addExamples, type CliEnv } from '../command-kit.js';
import { addHParamFlags, hparamFlagsOf } from './import-flags.js';
import { type ImportFlags, runImport } from './run-import.js';

export { addHParamFlags, hparamFlagsOf, IMPORT_LEGACY_FLAGS } from './import-flags.js';

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
  command.action(async (source: string, out: string, flags: Omit<ImportFlags, 'hparams'>) => {
    await runImport(source, out, { ...flags, hparams: hparamFlagsOf(command) }, env);
  });
}
