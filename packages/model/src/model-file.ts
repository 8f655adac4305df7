import { ModelError } from './errors.js';
import { type HParams, parseHParams } from './hparams.js';
import { paramSpecs } from './params.js';
import { decodeSafetensors, toFloat32 } from './safetensors.js';

/** `__metadata__.format` of model files written here. */
export const MODEL_FORMAT = 'music-transformer/model@1';

export interface LoadModelOptions {
  /** Named in every error message. */
  fileName?: string;
  /** Refuse the file unless its vocabulary has this many ids (e.g. the caller's vocab.size). */
  vocabSize?: number;
}

export interface ModelFile {
  hparams: HParams;
  weights: Map<string, Float32Array>;
  /** The parsed `vocab` metadata, if any. */
  vocab: unknown;
  metadata: Record<string, string>;
}

/** Decodes and checks a model file without building a model; refuses the first mismatch. */
export function readModelFile(bytes: Uint8Array, options: LoadModelOptions = {}): ModelFile {
  const file = options.fileName ?? '<buffer>';
  const bad = (msg: string): never => {
    throw new ModelError('BAD_WEIGHTS', `${file}: ${msg}`);
  };
  const { tensors, metadata } = decodeSafetensors(bytes, file);
  if (metadata.hparams === undefined)
    bad("no 'hparams' in the safetensors metadata (convert it with the README's script)");
  let raw: unknown;
  try {
    raw = JSON.parse(metadata.hparams!);
  } catch (e) {
    throw new ModelError('BAD_WEIGHTS', `${file}: metadata 'hparams' is not JSON`, { cause: e });
  }
  let hparams: HParams;
  try {
    hparams = parseHParams(raw);
  } catch (e) {
    throw new ModelError('BAD_WEIGHTS', `${file}: ${(e as Error).message}`, { cause: e });
  }
  let vocab: unknown;
  if (metadata.vocab !== undefined) {
    try {
      vocab = JSON.parse(metadata.vocab);
    } catch (e) {
      throw new ModelError('BAD_WEIGHTS', `${file}: metadata 'vocab' is not JSON`, { cause: e });
    }
  }
  if (options.vocabSize !== undefined && options.vocabSize !== hparams.vocab_size) {
    bad(
      `vocabulary mismatch: the file has vocab_size ${hparams.vocab_size}, the caller's vocabulary has ${options.vocabSize} ids`,
    );
  }
  const weights = new Map<string, Float32Array>();
  const specs = paramSpecs(hparams);
  for (const spec of specs) {
    const t = tensors.get(spec.name);
    if (t === undefined) bad(`missing tensor '${spec.name}' (expected [${spec.shape}])`);
    if (t!.shape.length !== spec.shape.length || t!.shape.some((d, i) => d !== spec.shape[i])) {
      bad(`tensor '${spec.name}' has shape [${t!.shape}], expected [${spec.shape}] from the hparams`);
    }
    if (!['F32', 'F16', 'BF16', 'F64'].includes(t!.dtype))
      bad(`tensor '${spec.name}' has dtype ${t!.dtype}, expected a float type`);
    weights.set(spec.name, toFloat32(t!));
  }
  const expected = new Set(specs.map((s) => s.name));
  for (const name of tensors.keys())
    if (!expected.has(name)) bad(`unexpected tensor '${name}' for these hparams`);
  return { hparams, weights, vocab, metadata };
}
