import { readFileSync } from 'node:fs';
import { decodeSafetensors as decode, type SafetensorsFile } from '@music-transformer/model';
import { TrainerError, type TrainerErrorCode } from './errors.js';

export { encodeSafetensors, type SafetensorsTensor } from '@music-transformer/model';

/** The model package's decoder, with its error re-thrown as this package's (dataset or checkpoint) code. */
export function decodeSafetensors(
  bytes: Uint8Array,
  fileName: string,
  code: TrainerErrorCode,
): SafetensorsFile {
  try {
    return decode(bytes, fileName);
  } catch (cause) {
    throw new TrainerError(code, (cause as Error).message, { cause });
  }
}

/**
 * A plain Uint8Array view of a Node Buffer (no copy). The decoder copies tensors with `slice()`, which on
 * a Buffer returns a view of the shared pool instead of a copy; on a plain Uint8Array it copies.
 */
export function plainBytes(b: Uint8Array): Uint8Array {
  return new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
}

/** The bytes of the file at `path` (a plain Uint8Array, see above); a failed read is `code`, naming the `what` and the path. */
export function readFileBytes(path: string, what: string, code: TrainerErrorCode): Uint8Array {
  try {
    return plainBytes(readFileSync(path));
  } catch (cause) {
    throw new TrainerError(code, `cannot read ${what} ${path}: ${(cause as Error).message}`, { cause });
  }
}
