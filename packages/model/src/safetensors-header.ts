import { open } from 'node:fs/promises';
import { headerLength, parseHeader, type SafetensorsTensorInfo } from './safetensors.js';

/** What a safetensors file holds, read from its header alone. */
export interface SafetensorsHeader {
  /** Dtype and shape of each tensor, in header order. */
  tensors: Map<string, SafetensorsTensorInfo>;
  /** The header's `__metadata__` (string to string), empty when absent. */
  metadata: Record<string, string>;
}

/**
 * Reads only the header of the safetensors file at `path` (8-byte little-endian length, then JSON), so a
 * caller can tell a dataset, a checkpoint and a model apart, or learn a tensor's shape, without reading
 * hundreds of megabytes of tensors. The header gets the same checks as in `decodeSafetensors`, data
 * offsets against the file's size included. Errors name the file: `NOT_SAFETENSORS` when it is not a
 * safetensors file at all (a MIDI file, text, a file too short), `BAD_SAFETENSORS` when its header is
 * malformed; a file that cannot be opened rejects with Node's own error.
 */
export async function readSafetensorsHeader(path: string): Promise<SafetensorsHeader> {
  const file = await open(path, 'r');
  try {
    const { size } = await file.stat();
    const prefix = new Uint8Array(Math.min(8, size));
    await file.read(prefix, 0, prefix.length, 0);
    const length = headerLength(prefix, size, path);
    const json = new Uint8Array(length);
    await file.read(json, 0, length, 8);
    const header = parseHeader(json, size - 8 - length, path);
    const tensors = new Map<string, SafetensorsTensorInfo>();
    for (const [name, { dtype, shape }] of header.tensors) tensors.set(name, { dtype, shape });
    return { tensors, metadata: header.metadata };
  } finally {
    await file.close();
  }
}
