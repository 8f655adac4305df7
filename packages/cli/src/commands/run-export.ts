import { basename, extname } from 'node:path';
import { presets } from '@music-transformer/vocab';
import { type CliEnv, type CommonFlags, outputFor } from '../command-kit.js';
import { CliError } from '../errors.js';
import { prepareDestination, writeOutput } from '../files.js';
import { torchPackage } from '../lazy-packages.js';
import { loadModelSource, type ModelSource } from '../model-source.js';

export interface ExportFlags extends CommonFlags {
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

/** `mt export`'s work, apart from its flag declarations so that tests can call it directly. */
export async function runExport(
  modelArg: string,
  out: string,
  flags: ExportFlags,
  env: CliEnv,
): Promise<void> {
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
}
