import { ModelError } from './errors.js';
import { MusicTransformer } from './model.js';
import { type LoadModelOptions, MODEL_FORMAT, readModelFile } from './model-file.js';
import { encodeSafetensors, type SafetensorsTensor } from './safetensors.js';

/**
 * One safetensors file: every parameter as F32 under its state_dict name, plus header metadata:
 * `format`, `hparams` (JSON) and the caller's string entries. Put the vocabulary config, as JSON, under
 * `vocab` (checked to be JSON). Readable by Python's `safetensors` package.
 */
export function saveModel(model: MusicTransformer, metadata: Record<string, string> = {}): Uint8Array {
  if (metadata.vocab !== undefined) {
    try {
      JSON.parse(metadata.vocab);
    } catch (e) {
      throw new ModelError('BAD_INPUT', "saveModel: metadata 'vocab' must be a JSON string", { cause: e });
    }
  }
  const weights = model.weights();
  const tensors = new Map<string, SafetensorsTensor>();
  for (const spec of model.specs)
    tensors.set(spec.name, { dtype: 'F32', shape: spec.shape, data: weights[spec.name]! });
  return encodeSafetensors(tensors, {
    ...metadata,
    format: MODEL_FORMAT,
    hparams: JSON.stringify(model.hparams),
  });
}

/** Builds a model from a file written by saveModel (or converted from the original project). */
export function loadModel(bytes: Uint8Array, options: LoadModelOptions = {}): MusicTransformer {
  const { hparams, weights } = readModelFile(bytes, options);
  return MusicTransformer.fromWeights(hparams, weights);
}
