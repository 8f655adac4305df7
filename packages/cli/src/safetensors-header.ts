import type { SafetensorsHeader } from '@music-transformer/model';
import { modelPackage } from './lazy-packages.js';

export type { SafetensorsHeader };

/**
 * The header of a safetensors file, read by the model package without the tensor data, so that `mt info`
 * and the model loader can tell a dataset, a checkpoint and a model apart without reading hundreds of
 * megabytes; null when the file is not a safetensors file at all (a MIDI file, text), so each command can
 * say what it expected. A safetensors file with a malformed header rejects with the model package's error,
 * which names the file.
 */
export async function readSafetensorsHeader(path: string): Promise<SafetensorsHeader | null> {
  const { ModelError, readSafetensorsHeader: readHeader } = await modelPackage();
  try {
    return await readHeader(path);
  } catch (error) {
    if (error instanceof ModelError && error.code === 'NOT_SAFETENSORS') return null;
    throw error;
  }
}

export type SafetensorsKind = 'dataset' | 'checkpoint' | 'model' | 'unknown';

/** Which of our writers produced the file, from the metadata keys each one sets. */
export function kindOf(header: SafetensorsHeader): SafetensorsKind {
  if (header.metadata.dataset !== undefined) return 'dataset';
  if (header.metadata.checkpoint !== undefined) return 'checkpoint';
  if (header.metadata.hparams !== undefined) return 'model';
  return 'unknown';
}
