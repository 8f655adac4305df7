import { basename, extname } from 'node:path';
import { presets } from '@music-transformer/vocab';
import type { Command } from 'commander';
import { addCommonOptions, addExamples, type CliEnv, type CommonFlags, outputFor } from '../command-kit.js';
import { CliError } from '../errors.js';
import { prepareDestination, writeOutput } from '../files.js';
import { torchPackage } from '../lazy-packages.js';
import { loadModelSource, type ModelSource } from '../model-source.js';

interface ExportFlags extends CommonFlags {
  force?: boolean;
}

const TOKEN_LAYOUT = ['minPitch', 'maxPitch', 'stepMs', 'maxShiftSteps', 'velocityBins'] as const;

/**
 * The original's generate.py decodes ids with its own vocabulary (our seed preset): a model trained on
 * another token layout would load there but play the wrong notes, so it is refused.
 */
export function vocabRefusal(source: ModelSource): string | null {
  const config = source.vocab.config as unknown as Record<string, unknown>;
  const seed = presets.seed as unknown as Record<string, unknown>;
  const differs = TOKEN_LAYOUT.filter((k) => config[k] !== seed[k]);
  if (differs.length === 0) return null;
  return `its vocabulary '${source.vocab.config.name}' differs from the original's (${differs.map((k) => `${k} ${String(config[k])} vs ${String(seed[k])}`).join(', ')}), so the original's generate.py would decode its ids wrongly`;
}

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
    const output = outputFor(env, flags);
    const target = await prepareDestination(out, { force: flags.force === true, what: '.pt file' });
    const source = await loadModelSource(modelArg);
    const why = vocabRefusal(source);
    if (why !== null) throw new CliError('BAD_INPUT', `${source.path} cannot be exported: ${why}`);
    const { exportTorchCheckpoint } = await torchPackage();
    const archiveName = basename(target, extname(target)).replace(/[^A-Za-z0-9_-]/g, '_') || 'archive';
    const bytes = exportTorchCheckpoint(source.hparams, source.weights, {
      fileName: source.path,
      archiveName,
    });
    await writeOutput(target, bytes, '.pt file');
    output.result({ model: source.path, out: target, bytes: bytes.length, hparams: source.hparams }, () => [
      `${source.path} -> ${target}: the original's {state_dict, hparams} checkpoint, ${bytes.length.toLocaleString('en-US')} bytes`,
    ]);
  });
}
