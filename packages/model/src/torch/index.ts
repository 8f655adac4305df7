/**
 * PyTorch interchange without Python and without TensorFlow.js: read the original project's `.pt`
 * checkpoints (torch >= 1.6 zip format, data-only unpickling) and write them back.
 */

export { exportRefusal, exportTorchCheckpoint, type TorchExportOptions } from './export-original.js';
export {
  type HParamFlags,
  type ImportedModel,
  importTorchModel,
  ORIGINAL_HPARAM_KEYS,
  type OriginalHParamKey,
  type TorchImportOptions,
} from './import-original.js';
export { encodeImportedModel, IMPORTED_MODEL_FORMAT } from './imported-safetensors.js';
export { loadTorchFile, type TorchFile } from './load-torch-file.js';
export { looksLikeTorchFile } from './sniff.js';
export type { StorageRef, TensorRef, TorchDtype } from './storage-types.js';
export { isTensorRef, type PickleValue } from './unpickle.js';
