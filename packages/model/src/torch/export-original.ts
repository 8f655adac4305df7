import { zipSync } from 'fflate';
import { ModelError } from '../errors.js';
import type { HParams } from '../hparams.js';
import { paramSpecs } from '../params.js';
import { ORIGINAL_HPARAM_KEYS } from './import-original.js';
import { PickleWriter } from './pickle-writer.js';

export interface TorchExportOptions {
  /** Named in every error. */
  fileName?: string;
  /** Folder name inside the zip (torch uses the file's stem); any name loads. */
  archiveName?: string;
}

function refuse(file: string, message: string): never {
  throw new ModelError('NOT_EXPORTABLE', `${file}: ${message}`);
}

/**
 * What the original project's MusicTransformer class cannot be built to match. Its DecoderLayer is
 * pre-LN only, and with max_rel_dist 0 its attention indexes an empty nn.Embedding and crashes.
 */
export function exportRefusal(h: HParams): string | null {
  if (h.norm !== 'pre') {
    return "the model is post-LN (norm 'post'); the original's layers are pre-LN only, so no .pt of the original can hold it";
  }
  if (h.max_rel_dist === 0) {
    return 'the model uses plain attention (max_rel_dist 0); the original crashes with max_rel_dist 0';
  }
  return null;
}

function writeHParams(w: PickleWriter, h: HParams): void {
  w.emptyDict().mark();
  for (const key of ORIGINAL_HPARAM_KEYS) {
    w.string(key);
    const v = h[key];
    if (typeof v === 'boolean') w.bool(v);
    else if (key === 'dropout' || key === 'layernorm_eps') w.float(v);
    else w.int(v);
  }
  w.setItems();
}

/**
 * Writes the original's checkpoint format, as its train.py saves at the end of training:
 * `torch.save({"state_dict": OrderedDict, "hparams": dict}, path)` in torch's zip layout, F32
 * contiguous storages, one per tensor, `.self_attn.` names. `torch.load` + `MusicTransformer(**hparams)`
 * + `load_state_dict(strict=True)` read it, and so does its generate.py.
 */
export function exportTorchCheckpoint(
  hparams: HParams,
  weights: ReadonlyMap<string, Float32Array> | Readonly<Record<string, Float32Array>>,
  options: TorchExportOptions = {},
): Uint8Array {
  const file = options.fileName ?? '<buffer>';
  const why = exportRefusal(hparams);
  if (why !== null) refuse(file, why);
  const get = (name: string) =>
    weights instanceof Map ? weights.get(name) : (weights as Record<string, Float32Array>)[name];
  const w = new PickleWriter().proto();
  w.emptyDict().mark().string('state_dict');
  w.global('collections', 'OrderedDict').emptyTuple().reduce().mark();
  const records: Record<string, Uint8Array> = {};
  const folder = options.archiveName ?? 'archive';
  paramSpecs(hparams).forEach((spec, index) => {
    const data = get(spec.name);
    const numel = spec.shape.reduce((a, b) => a * b, 1);
    if (data === undefined || data.length !== numel) {
      throw new ModelError('BAD_WEIGHTS', `${file}: tensor '${spec.name}' is missing or not [${spec.shape}]`);
    }
    const key = String(index);
    // Copy into a fresh buffer: the record must be exactly this tensor's bytes, little-endian F32.
    records[`${folder}/data/${key}`] = new Uint8Array(Float32Array.from(data).buffer);
    w.string(spec.name);
    w.global('torch._utils', '_rebuild_tensor_v2');
    w.mark();
    w.mark().string('storage').global('torch', 'FloatStorage').string(key).string('cpu').int(numel).tuple();
    w.persistentId();
    w.int(0);
    w.mark();
    for (const n of spec.shape) w.int(n);
    w.tuple();
    w.mark();
    let stride = 1;
    const strides = spec.shape.map(() => 0);
    for (let i = spec.shape.length - 1; i >= 0; i--) {
      strides[i] = stride;
      stride *= spec.shape[i]!;
    }
    for (const s of strides) w.int(s);
    w.tuple();
    w.bool(false);
    w.global('collections', 'OrderedDict').emptyTuple().reduce();
    w.tuple().reduce();
  });
  w.setItems();
  w.string('hparams');
  writeHParams(w, hparams);
  w.setItems();
  const pickle = w.stop();
  // torch reads the archive folder from the first record; data.pkl first as torch writes it.
  const entries: Record<string, Uint8Array> = { [`${folder}/data.pkl`]: pickle, ...records };
  entries[`${folder}/version`] = new TextEncoder().encode('3\n');
  entries[`${folder}/byteorder`] = new TextEncoder().encode('little');
  return zipSync(entries, { level: 0, mtime: new Date('2000-01-01T00:00:00Z') });
}
