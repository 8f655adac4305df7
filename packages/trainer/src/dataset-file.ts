import { createHash } from 'node:crypto';
import { type DatasetMeta, DatasetMetaSchema } from './dataset-meta.js';
import { TrainerError } from './errors.js';
import { decodeSafetensors, encodeSafetensors, readFileBytes } from './safetensors.js';

/** A dataset loaded for training: rows are `length` tokens each, row-major. */
export interface LoadedDataset {
  path: string;
  meta: DatasetMeta;
  train: Uint16Array;
  validation: Uint16Array;
  trainRows: number;
  validationRows: number;
  length: number;
  /** sha256 of the file bytes: a checkpoint records it so a resume on other data is refused. */
  fingerprint: string;
}

/** Serialises a dataset: tensors `train` and `validation` (U16 [rows, length]), JSON metadata. */
export function encodeDataset(meta: DatasetMeta, train: Uint16Array, validation: Uint16Array): Uint8Array {
  const L = meta.length;
  return encodeSafetensors(
    new Map([
      ['train', { dtype: 'U16', shape: [train.length / L, L], data: train }],
      ['validation', { dtype: 'U16', shape: [validation.length / L, L], data: validation }],
    ]),
    { dataset: JSON.stringify(meta) },
  );
}

export function readDataset(path: string): LoadedDataset {
  const bytes = readFileBytes(path, 'dataset', 'BAD_DATASET');
  const { tensors, metadata } = decodeSafetensors(bytes, path, 'BAD_DATASET');
  const metaJson = metadata.dataset;
  if (metaJson === undefined) {
    throw new TrainerError('BAD_DATASET', `${path} has no __metadata__.dataset: not written by buildDataset`);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(metaJson);
  } catch (cause) {
    throw new TrainerError('BAD_DATASET', `${path}: dataset metadata is not JSON`, { cause });
  }
  const parsed = DatasetMetaSchema.safeParse(raw);
  if (!parsed.success) {
    throw new TrainerError('BAD_DATASET', `${path}: invalid dataset metadata: ${parsed.error.message}`);
  }
  const meta = parsed.data;
  const get = (name: 'train' | 'validation'): Uint16Array => {
    const t = tensors.get(name);
    if (!t || t.dtype !== 'U16' || t.shape.length !== 2 || t.shape[1] !== meta.length) {
      throw new TrainerError('BAD_DATASET', `${path}: tensor '${name}' must be U16 [rows, ${meta.length}]`);
    }
    return t.data as Uint16Array;
  };
  const train = get('train');
  const validation = get('validation');
  for (const [name, rows] of [
    ['train', train],
    ['validation', validation],
  ] as const) {
    for (let i = 0; i < rows.length; i++) {
      if (rows[i]! >= meta.vocab_size) {
        throw new TrainerError(
          'BAD_DATASET',
          `${path}: '${name}' holds token ${rows[i]} at index ${i}, outside vocab size ${meta.vocab_size}`,
        );
      }
    }
  }
  return {
    path,
    meta,
    train,
    validation,
    trainRows: train.length / meta.length,
    validationRows: validation.length / meta.length,
    length: meta.length,
    fingerprint: createHash('sha256').update(bytes).digest('hex'),
  };
}
