import { open } from 'node:fs/promises';
import { basename } from 'node:path';
import type { HParams } from '@music-transformer/model';
import type { HParamFlags, ImportedModel } from '@music-transformer/model/torch';
import { createVocab, presets } from '@music-transformer/vocab';
import { CliError } from './errors.js';
import { torchPackage } from './lazy-packages.js';

/** The original project's vocabulary is the seed preset: same token layout, 416 ids. */
export function originalVocabFits(hparams: HParams): boolean {
  return createVocab(presets.seed).size === hparams.vocab_size;
}

/** True when the file starts like a torch.save file (zip or legacy pickle); reads 8 bytes only. */
export async function isTorchFile(path: string): Promise<boolean> {
  const handle = await open(path, 'r').catch(() => null);
  if (handle === null) return false;
  try {
    const head = new Uint8Array(8);
    await handle.read(head, 0, 8, 0);
    const { looksLikeTorchFile } = await torchPackage();
    return looksLikeTorchFile(head);
  } finally {
    await handle.close();
  }
}

/**
 * Imports a `.pt` in memory (what `mt import` writes to disk), naming the file in every error. Without
 * `hparams` (commands that only use a model), a bare state_dict that needs flags gets an error that
 * says to convert it once with `mt import`, which takes them.
 */
export async function importTorch(
  path: string,
  bytes: Uint8Array,
  hparams?: HParamFlags,
): Promise<ImportedModel> {
  const { importTorchModel } = await torchPackage();
  try {
    return importTorchModel(bytes, { fileName: path, hparams: hparams ?? {} });
  } catch (error) {
    if (hparams === undefined && (error as { code?: unknown }).code === 'BAD_HPARAMS') {
      throw new CliError(
        'BAD_INPUT',
        `${(error as Error).message}; convert it once with: mt import ${path} model.safetensors <those flags>`,
        { cause: error },
      );
    }
    throw error;
  }
}

/** Metadata `mt import` writes: the original's vocabulary when the size fits, and where it came from. */
export function importedMetadata(model: ImportedModel, path: string): Record<string, string> {
  const meta: Record<string, string> = { imported_from: basename(path) };
  if (originalVocabFits(model.hparams)) meta.vocab = JSON.stringify(presets.seed);
  return meta;
}
