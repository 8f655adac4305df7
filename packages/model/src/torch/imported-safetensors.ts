import { paramSpecs } from '../params.js';
import { encodeSafetensors, type SafetensorsTensor } from '../safetensors.js';
import type { ImportedModel } from './import-original.js';

/**
 * `__metadata__.format` of our model files. The same string as the package's MODEL_FORMAT (a test
 * holds them equal), repeated here so that importing needs no TensorFlow.js.
 */
export const IMPORTED_MODEL_FORMAT = 'music-transformer/model@1';

/** An imported model as our model file: F32 tensors by state_dict name, hparams and the caller's metadata. */
export function encodeImportedModel(model: ImportedModel, metadata: Record<string, string> = {}): Uint8Array {
  const tensors = new Map<string, SafetensorsTensor>();
  for (const spec of paramSpecs(model.hparams)) {
    tensors.set(spec.name, { dtype: 'F32', shape: spec.shape, data: model.weights.get(spec.name)! });
  }
  return encodeSafetensors(tensors, {
    ...metadata,
    format: IMPORTED_MODEL_FORMAT,
    hparams: JSON.stringify(model.hparams),
  });
}
