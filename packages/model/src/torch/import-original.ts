import { ModelError } from '../errors.js';
import { type HParams, parseHParams } from '../hparams.js';
import { paramSpecs } from '../params.js';
import { loadTorchFile } from './load-torch-file.js';
import { checkView, viewNumel, viewToFloat32 } from './materialize.js';
import type { TensorRef } from './storage-types.js';
import { isTensorRef, type PickleValue } from './unpickle.js';

/** The hparams keys of the original project (its hparams.py), in its order. */
export const ORIGINAL_HPARAM_KEYS = [
  'd_model',
  'num_layers',
  'num_heads',
  'd_ff',
  'max_rel_dist',
  'max_abs_position',
  'vocab_size',
  'bias',
  'dropout',
  'layernorm_eps',
] as const;
export type OriginalHParamKey = (typeof ORIGINAL_HPARAM_KEYS)[number];
export type OriginalHParams = { [K in OriginalHParamKey]: HParams[K] };

/** Values the caller supplies for hparams a file does not hold (the CLI's -nh, -map, -le, -dr). */
export type HParamFlags = Partial<OriginalHParams>;

export interface TorchImportOptions {
  /** Named in every error. */
  fileName?: string;
  hparams?: HParamFlags;
}

export interface ImportedModel {
  /** Always pre-LN: the original's layers are. */
  hparams: HParams;
  weights: Map<string, Float32Array>;
  /** 'checkpoint' = the original's {state_dict, hparams}; 'state_dict' = bare, hparams inferred. */
  layout: 'checkpoint' | 'state_dict';
  /** What a user should know about the conversion (renames, assumed values, dtypes, devices). */
  notes: string[];
}

/** What the weights' shapes say without doubt; num_heads, max_abs_position and the rest they cannot say. */
type Inferred = Pick<
  OriginalHParams,
  'd_model' | 'vocab_size' | 'num_layers' | 'd_ff' | 'max_rel_dist' | 'bias'
>;

/** Values that only change training, or change outputs by rounding: defaulted with a note when missing. */
const ASSUMABLE: Partial<OriginalHParams> = { dropout: 0.1, layernorm_eps: 1e-6 };

function fail(file: string, message: string): never {
  throw new ModelError('BAD_TORCH_FILE', `${file}: ${message}`);
}

function describeKeys(map: Map<PickleValue, PickleValue>): string {
  const keys = [...map.keys()].slice(0, 8).map((k) => JSON.stringify(typeof k === 'string' ? k : String(k)));
  return keys.length === 0 ? 'none' : `${keys.join(', ')}${map.size > 8 ? ', ...' : ''}`;
}

function isStateDict(value: Map<PickleValue, PickleValue>): boolean {
  return value.size > 0 && [...value.values()].every(isTensorRef);
}

function findParts(
  root: PickleValue,
  file: string,
): {
  stateDict: Map<PickleValue, PickleValue>;
  stored: Map<PickleValue, PickleValue> | null;
  layout: ImportedModel['layout'];
} {
  if (!(root instanceof Map))
    fail(file, 'holds no dictionary: expected a state_dict or {"state_dict", "hparams"}');
  if (isStateDict(root)) return { stateDict: root, stored: null, layout: 'state_dict' };
  // train.py saves {state_dict, hparams} at the end and {model_state_dict, ..., hparams} as its checkpoint.
  const sd = root.get('state_dict') ?? root.get('model_state_dict');
  if (sd === undefined || !(sd instanceof Map)) {
    fail(file, `holds neither a state_dict nor {"state_dict", "hparams"} (its keys: ${describeKeys(root)})`);
  }
  const bad = [...sd.entries()].find(([k, v]) => typeof k !== 'string' || !isTensorRef(v));
  if (bad !== undefined) fail(file, `state_dict entry ${JSON.stringify(String(bad[0]))} is not a tensor`);
  const hp = root.get('hparams');
  if (hp !== undefined && hp !== null && !(hp instanceof Map)) fail(file, "'hparams' is not a dictionary");
  return { stateDict: sd, stored: hp ?? null, layout: hp ? 'checkpoint' : 'state_dict' };
}

/** Old checkpoints name attention `.mha.` (the current code `.self_attn.`); DataParallel adds `module.`. */
function renameTensors(stateDict: Map<PickleValue, PickleValue>, notes: string[]): Map<string, TensorRef> {
  const out = new Map<string, TensorRef>();
  let mha = 0;
  let wrapped = 0;
  for (const [key, value] of stateDict) {
    let name = String(key);
    if (name.startsWith('module.')) {
      name = name.slice('module.'.length);
      wrapped++;
    }
    if (name.includes('.mha.')) {
      name = name.replace('.mha.', '.self_attn.');
      mha++;
    }
    out.set(name, value as TensorRef);
  }
  if (mha > 0) notes.push(`renamed ${mha} tensors from the old '.mha.' names to '.self_attn.'`);
  if (wrapped > 0) notes.push(`dropped the 'module.' prefix of ${wrapped} tensors (saved from DataParallel)`);
  return out;
}

function shapeOf(
  tensors: Map<string, TensorRef>,
  name: string,
  rank: number,
  file: string,
): readonly number[] {
  const t = tensors.get(name);
  if (t === undefined) fail(file, `no tensor '${name}': this is not a Music Transformer state_dict`);
  if (t.shape.length !== rank)
    fail(file, `tensor '${name}' has shape [${t.shape}], expected ${rank} dimensions`);
  return t.shape;
}

function inferFromShapes(tensors: Map<string, TensorRef>, file: string): Inferred {
  const [vocab, d] = shapeOf(tensors, 'input_embedding.weight', 2, file) as [number, number];
  const layers = new Set<number>();
  for (const name of tensors.keys()) {
    const m = /^decoder\.layers\.(\d+)\./.exec(name);
    if (m) layers.add(Number(m[1]));
  }
  const numLayers = layers.size;
  for (let i = 0; i < numLayers; i++) {
    if (!layers.has(i)) fail(file, `decoder layers are not numbered 0..${numLayers - 1} (no layer ${i})`);
  }
  if (numLayers === 0) fail(file, 'no decoder.layers.* tensors: this is not a Music Transformer state_dict');
  const [dff] = shapeOf(tensors, 'decoder.layers.0.ffn.main.0.weight', 2, file) as [number, number];
  const e = tensors.get('decoder.layers.0.self_attn.E.weight');
  return {
    d_model: d,
    vocab_size: vocab,
    num_layers: numLayers,
    d_ff: dff,
    max_rel_dist: e === undefined ? 0 : (e.shape[0] ?? 0),
    bias: tensors.has('decoder.layers.0.self_attn.wq.bias'),
  };
}

function storedHParams(stored: Map<PickleValue, PickleValue>, file: string, notes: string[]): HParamFlags {
  const out: Record<string, unknown> = {};
  const ignored: string[] = [];
  for (const [key, value] of stored) {
    if (typeof key === 'string' && (ORIGINAL_HPARAM_KEYS as readonly string[]).includes(key)) {
      const v = typeof value === 'bigint' ? Number(value) : value;
      if (typeof v !== 'number' && typeof v !== 'boolean') {
        fail(file, `hparams '${key}' is ${JSON.stringify(String(v))}, not a number or boolean`);
      }
      out[key] = key === 'bias' ? Boolean(v) : Number(v);
    } else ignored.push(String(key));
  }
  if (ignored.length > 0) notes.push(`ignored hparams the model does not use: ${ignored.join(', ')}`);
  return out as HParamFlags;
}

const FLAG_OF: Record<OriginalHParamKey, string> = {
  d_model: '-d/--d-model',
  num_layers: '-nl/--num-layers',
  num_heads: '-nh/--num-heads',
  d_ff: '-dff/--d-feedforward',
  max_rel_dist: '-mrd/--max-rel-dist',
  max_abs_position: '-map/--max-abs-position',
  vocab_size: '--vocab-size',
  bias: '-nb/--no-bias',
  dropout: '-dr/--dropout',
  layernorm_eps: '-le/--layernorm-eps',
};

/**
 * Combines what the file stores, what the shapes say and what the caller passed. Stored values and
 * flags must agree with the shapes; values neither stored nor inferable must come from flags, except
 * dropout and layernorm_eps, which default to the original's values with a note.
 */
function resolveHParams(
  inferred: Inferred,
  stored: HParamFlags,
  flags: HParamFlags,
  file: string,
  notes: string[],
): HParams {
  const out: Record<string, unknown> = {};
  const missing: string[] = [];
  for (const key of ORIGINAL_HPARAM_KEYS) {
    const fromShapes = (inferred as Partial<OriginalHParams>)[key];
    const candidates: [string, unknown][] = [
      ['the weights', fromShapes],
      ['the file', stored[key]],
      [FLAG_OF[key], flags[key]],
    ];
    const known = candidates.filter(([, v]) => v !== undefined);
    const [first] = known;
    for (const [source, value] of known.slice(1)) {
      if (value !== first![1]) {
        fail(
          file,
          `${key} is ${String(first![1])} according to ${first![0]} but ${String(value)} according to ${source}`,
        );
      }
    }
    if (first !== undefined) out[key] = first[1];
    else if (ASSUMABLE[key] !== undefined) {
      out[key] = ASSUMABLE[key];
      notes.push(`${key} ${ASSUMABLE[key]} assumed (the original's default; ${FLAG_OF[key]} sets it)`);
    } else missing.push(`${key} (${FLAG_OF[key]})`);
  }
  if (missing.length > 0) {
    throw new ModelError(
      'BAD_HPARAMS',
      `${file}: the file does not store ${missing.map((m) => m.split(' ')[0]).join(' or ')} and the weights cannot tell; pass ${missing.join(', ')}`,
    );
  }
  try {
    return parseHParams({ ...out, norm: 'pre' });
  } catch (e) {
    throw new ModelError('BAD_HPARAMS', `${file}: ${(e as Error).message}`, { cause: e });
  }
}

/**
 * Reads a `.pt` of the original project (or a bare state_dict of its architecture) into our weights.
 * Nothing is allocated for a tensor before its view has been checked against its storage record, and
 * every shape against the hparams, so a file claiming gigabytes fails before using them.
 */
export function importTorchModel(bytes: Uint8Array, options: TorchImportOptions = {}): ImportedModel {
  const file = options.fileName ?? '<buffer>';
  const { root, records } = loadTorchFile(bytes, file);
  const { stateDict, stored, layout } = findParts(root, file);
  const notes: string[] = [];
  const tensors = renameTensors(stateDict, notes);
  // Sizes first: every view against its storage record, whose length the zip directory has checked.
  for (const [name, t] of tensors) checkView(name, t, records, file);
  const inferred = inferFromShapes(tensors, file);
  const storedValues = stored === null ? {} : storedHParams(stored, file, notes);
  const hparams = resolveHParams(inferred, storedValues, options.hparams ?? {}, file, notes);

  // The original always has E, empty ([0, d]) for max_rel_dist 0; we have none then.
  const emptyE = [...tensors.entries()].filter(
    ([n, t]) => n.endsWith('.self_attn.E.weight') && viewNumel(t) === 0,
  );
  for (const [name] of emptyE) tensors.delete(name);

  const specs = paramSpecs(hparams);
  for (const spec of specs) {
    const t = tensors.get(spec.name);
    if (t === undefined)
      fail(file, `missing tensor '${spec.name}' (expected [${spec.shape}] from the hparams)`);
    if (t.shape.length !== spec.shape.length || t.shape.some((n, i) => n !== spec.shape[i])) {
      fail(file, `tensor '${spec.name}' has shape [${t.shape}], expected [${spec.shape}] from the hparams`);
    }
  }
  // Views may share a storage (tied weights), so one stored element can be read twice, not more:
  // otherwise a small file of many views of one storage could still claim gigabytes of output.
  const storages = new Map<string, number>();
  for (const t of tensors.values()) storages.set(t.storage.key, t.storage.numel);
  const storedTotal = [...storages.values()].reduce((a, b) => a + b, 0);
  const claimed = specs.reduce((n, s) => n + viewNumel(tensors.get(s.name)!), 0);
  if (claimed > 2 * storedTotal) {
    fail(file, `its tensors claim ${claimed} elements but its storages hold only ${storedTotal}`);
  }
  const expected = new Set(specs.map((s) => s.name));
  for (const name of tensors.keys()) {
    if (!expected.has(name)) fail(file, `unexpected tensor '${name}' for these hparams`);
  }

  const weights = new Map<string, Float32Array>();
  const dtypes = new Map<string, number>();
  const locations = new Set<string>();
  for (const spec of specs) {
    const t = tensors.get(spec.name)!;
    weights.set(spec.name, viewToFloat32(spec.name, t, records, file));
    dtypes.set(t.storage.dtype, (dtypes.get(t.storage.dtype) ?? 0) + 1);
    locations.add(t.storage.location);
  }
  const widened = [...dtypes].filter(([d]) => d !== 'F32');
  if (widened.length > 0) {
    notes.push(`converted to F32: ${widened.map(([d, n]) => `${n} ${d} tensors`).join(', ')}`);
  }
  const devices = [...locations].filter((l) => l !== 'cpu');
  if (devices.length > 0) notes.push(`tensors saved on ${devices.join(', ')} were read as CPU data`);
  return { hparams, weights, layout, notes };
}
