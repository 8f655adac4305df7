import { ModelError } from './errors.js';
import { type HParams, parseHParams } from './hparams.js';
import { type ParamSpec, paramSpecs } from './params.js';
import { openSafetensors, type SafetensorsTensorInfo, toFloat32 } from './safetensors.js';

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

/**
 * Decodes and checks a model file without building a model; refuses the first mismatch. The hparams
 * (bounded, see `HPARAM_BOUNDS`) and every tensor's name, dtype and shape are checked against the
 * header before any tensor data is copied, so a lying header costs nothing.
 */
export function readModelFile(bytes: Uint8Array, options: LoadModelOptions = {}): ModelFile {
  const file = options.fileName ?? '<buffer>';
  const bad = (msg: string): never => {
    throw new ModelError('BAD_WEIGHTS', `${file}: ${msg}`);
  };
  const layout = openSafetensors(bytes, file);
  const { metadata } = layout;
  if (metadata.hparams === undefined)
    bad("no 'hparams' in the safetensors metadata (convert it with the README's script)");
  const hparams = hparamsOfMetadata(metadata.hparams!, file);
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
  const specs = checkModelTensors(layout.tensors, hparams, file);
  const weights = new Map<string, Float32Array>();
  for (const spec of specs) weights.set(spec.name, toFloat32(layout.tensor(spec.name)!));
  return { hparams, weights, vocab, metadata };
}

/** JSON hparams from a file's metadata, checked against the bounds; errors name the file. */
export function hparamsOfMetadata(json: string, fileName: string): HParams {
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch (e) {
    throw new ModelError('BAD_WEIGHTS', `${fileName}: metadata 'hparams' is not JSON`, { cause: e });
  }
  try {
    return parseHParams(raw);
  } catch (e) {
    throw new ModelError('BAD_WEIGHTS', `${fileName}: ${(e as Error).message}`, { cause: e });
  }
}

/**
 * The header's tensors (`prefix` + parameter name) against the parameters of `hparams`: every one present
 * with its shape and a float dtype, none extra besides names starting with `otherPrefixes`. Returns the
 * parameter specs. Costs only the header: the data is not touched.
 */
export function checkModelTensors(
  tensors: ReadonlyMap<string, SafetensorsTensorInfo>,
  hparams: HParams,
  fileName: string,
  options: { prefix?: string; floatTypes?: readonly string[]; otherPrefixes?: readonly string[] } = {},
): ParamSpec[] {
  const bad = (msg: string): never => {
    throw new ModelError('BAD_WEIGHTS', `${fileName}: ${msg}`);
  };
  const prefix = options.prefix ?? '';
  const floatTypes = options.floatTypes ?? ['F32', 'F16', 'BF16', 'F64'];
  const specs = paramSpecs(hparams);
  for (const spec of specs) {
    const name = prefix + spec.name;
    const t = tensors.get(name);
    if (t === undefined) bad(`missing tensor '${name}' (expected [${spec.shape}])`);
    if (t!.shape.length !== spec.shape.length || t!.shape.some((d, i) => d !== spec.shape[i])) {
      bad(`tensor '${name}' has shape [${t!.shape}], expected [${spec.shape}] from the hparams`);
    }
    if (!floatTypes.includes(t!.dtype))
      bad(`tensor '${name}' has dtype ${t!.dtype}, expected ${floatTypes.join(' or ')}`);
  }
  const expected = new Set(specs.map((s) => prefix + s.name));
  const others = options.otherPrefixes ?? [];
  for (const name of tensors.keys()) {
    if (!expected.has(name) && !others.some((p) => name.startsWith(p)))
      bad(`unexpected tensor '${name}' for these hparams`);
  }
  return specs;
}
