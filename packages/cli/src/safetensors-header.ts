import { open } from 'node:fs/promises';
import { CliError } from './errors.js';

/**
 * Reads only the JSON header of a safetensors file (8-byte little-endian length, then JSON), so that
 * `mt info` and the model loader can tell a dataset, a checkpoint and a model apart without reading
 * hundreds of megabytes of tensors.
 */
export interface SafetensorsHeader {
  metadata: Record<string, string>;
  tensors: Record<string, { dtype: string; shape: number[] }>;
}

const MAX_HEADER = 100 * 1024 * 1024;

export async function readSafetensorsHeader(path: string): Promise<SafetensorsHeader | null> {
  const handle = await open(path, 'r');
  try {
    const size = (await handle.stat()).size;
    if (size < 10) return null;
    const prefix = Buffer.alloc(8);
    await handle.read(prefix, 0, 8, 0);
    const length = Number(prefix.readBigUInt64LE(0));
    if (length < 2 || length > MAX_HEADER || 8 + length > size) return null;
    const json = Buffer.alloc(length);
    await handle.read(json, 0, length, 8);
    let parsed: unknown;
    try {
      parsed = JSON.parse(json.toString('utf8'));
    } catch {
      return null;
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return null;
    const { __metadata__: metadata = {}, ...tensors } = parsed as Record<string, unknown>;
    if (typeof metadata !== 'object' || metadata === null) {
      throw new CliError('BAD_INPUT', `${path}: safetensors __metadata__ is not an object`);
    }
    return {
      metadata: metadata as Record<string, string>,
      tensors: tensors as SafetensorsHeader['tensors'],
    };
  } finally {
    await handle.close();
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
