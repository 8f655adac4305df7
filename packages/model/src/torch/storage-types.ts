/** Element types of torch storages that weights can be read from (all little-endian on disk). */
export type TorchDtype = 'F64' | 'F32' | 'F16' | 'BF16' | 'I64' | 'I32' | 'I16' | 'I8' | 'U8' | 'BOOL';

/**
 * The storage classes torch.save names in its persistent ids (`torch.FloatStorage`, ...), which are
 * the only torch classes besides the tensor rebuilders that the unpickler accepts.
 */
export const STORAGE_CLASSES: Readonly<Record<string, TorchDtype>> = {
  DoubleStorage: 'F64',
  FloatStorage: 'F32',
  HalfStorage: 'F16',
  BFloat16Storage: 'BF16',
  LongStorage: 'I64',
  IntStorage: 'I32',
  ShortStorage: 'I16',
  CharStorage: 'I8',
  ByteStorage: 'U8',
  BoolStorage: 'BOOL',
};

export const DTYPE_BYTES: Readonly<Record<TorchDtype, number>> = {
  F64: 8,
  F32: 4,
  F16: 2,
  BF16: 2,
  I64: 8,
  I32: 4,
  I16: 2,
  I8: 1,
  U8: 1,
  BOOL: 1,
};

/** Dtypes a weight may have; integer storages (optimizer step counters and the like) are not weights. */
export const FLOAT_DTYPES: ReadonlySet<TorchDtype> = new Set(['F64', 'F32', 'F16', 'BF16']);

/** One storage record of the archive, as its persistent id describes it. */
export interface StorageRef {
  readonly key: string;
  readonly dtype: TorchDtype;
  /** Where it lived when saved ('cpu', 'cuda:0', ...); the bytes are the same either way. */
  readonly location: string;
  /** Element count the persistent id claims; checked against the record's length. */
  readonly numel: number;
}

/** A tensor as `torch._utils._rebuild_tensor_v2` describes it: a strided view into a storage. */
export interface TensorRef {
  readonly storage: StorageRef;
  readonly offset: number;
  readonly shape: readonly number[];
  readonly stride: readonly number[];
}
