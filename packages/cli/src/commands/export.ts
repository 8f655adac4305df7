import type { Command } from 'commander';
import { addCommonOptions, addExamples, type CliEnv } from '../command-kit.js';
import { type ExportFlags, runExport } from './run-export.js';

export { vocabRefusal } from './run-export.js';

/** `mt export <model> <out.pt>`: a model back to the original project's checkpoint format. */
export function registerExport(program: Command, env: CliEnv): void {
  const command = program
    .command('export')
    .description(
      "write a model as the original PyTorch project's checkpoint ({state_dict, hparams}, torch.save zip format)",
    )
    .argument('<model>', "model or checkpoint file ('default': the bundled model)")
    .argument('<out.pt>', '.pt file to write')
    .option('-f, --force', 'overwrite <out.pt> if it exists');
  addCommonOptions(command);
  addExamples(command, [
    'mt export runs/piano/model.safetensors piano.pt',
    "python3 generate.py piano.pt out.mid   # the original's generate.py loads it",
  ]);
  command.action(async (modelArg: string, out: string, flags: ExportFlags) => {
    await runExport(modelArg, out, flags, env);
  });
}
