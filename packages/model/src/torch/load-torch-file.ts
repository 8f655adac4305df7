import { ModelError } from '../errors.js';
import { readTorchArchive } from './torch-zip.js';
import { type PickleValue, unpickleTorch } from './unpickle.js';

/** A torch.save file opened as data: its object tree and the storage records its tensors view. */
export interface TorchFile {
  root: PickleValue;
  records: ReadonlyMap<string, Uint8Array>;
}

/**
 * Opens a `torch.save` file (torch >= 1.6 zip format) without running anything in it. Errors are
 * `ModelError('BAD_TORCH_FILE')` naming the file: legacy format (with how to re-save), not torch,
 * truncated, compressed records, forbidden classes. Tensor sizes are checked when they are read.
 */
export function loadTorchFile(bytes: Uint8Array, file = '<buffer>'): TorchFile {
  const archive = readTorchArchive(bytes, file);
  const pickle = archive.records.get('data.pkl');
  if (pickle === undefined) throw new ModelError('BAD_TORCH_FILE', `${file}: no data.pkl record`);
  return { root: unpickleTorch(pickle, file), records: archive.records };
}
