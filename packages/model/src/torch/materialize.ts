import { ModelError } from '../errors.js';
import { DTYPE_BYTES, FLOAT_DTYPES, type TensorRef } from './storage-types.js';

function fail(file: string, message: string): never {
  throw new ModelError('BAD_TORCH_FILE', `${file}: ${message}`);
}

/** Elements a view covers (its shape's product). */
export function viewNumel(ref: TensorRef): number {
  return ref.shape.reduce((a, b) => a * b, 1);
}

/**
 * Checks a view against its storage record before anything is allocated: the storage's claimed
 * size must equal the record's length, and the view's last element must lie inside it. A view may
 * not cover more elements than its storage holds (a broadcast view of a tiny storage could otherwise
 * claim gigabytes of output from a few bytes of file).
 */
export function checkView(
  name: string,
  ref: TensorRef,
  records: ReadonlyMap<string, Uint8Array>,
  file: string,
): void {
  const { storage } = ref;
  const record = records.get(`data/${storage.key}`);
  if (record === undefined) fail(file, `tensor '${name}': its storage record data/${storage.key} is missing`);
  const width = DTYPE_BYTES[storage.dtype];
  if (storage.numel * width !== record.length) {
    fail(
      file,
      `tensor '${name}': its storage claims ${storage.numel} ${storage.dtype} elements (${storage.numel * width} bytes) but the record holds ${record.length} bytes`,
    );
  }
  const numel = viewNumel(ref);
  if (numel === 0) return;
  let last = ref.offset;
  for (let i = 0; i < ref.shape.length; i++) last += (ref.shape[i]! - 1) * ref.stride[i]!;
  if (!Number.isSafeInteger(last) || last >= storage.numel || numel > storage.numel) {
    fail(
      file,
      `tensor '${name}' of shape [${ref.shape}] (offset ${ref.offset}, strides [${ref.stride}]) reaches beyond its storage of ${storage.numel} elements`,
    );
  }
}

function halfToFloat(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exp = (h >> 10) & 0x1f;
  const frac = h & 0x3ff;
  if (exp === 0) return sign * frac * 2 ** -24;
  if (exp === 31) return frac === 0 ? sign * Number.POSITIVE_INFINITY : Number.NaN;
  return sign * (1 + frac / 1024) * 2 ** (exp - 15);
}

/** Reads one element of a little-endian float record as a JS number. */
function elementReader(dtype: TensorRef['storage']['dtype'], record: Uint8Array): (i: number) => number {
  const view = new DataView(record.buffer, record.byteOffset, record.byteLength);
  switch (dtype) {
    case 'F32':
      return (i) => view.getFloat32(i * 4, true);
    case 'F64':
      return (i) => view.getFloat64(i * 8, true);
    case 'F16':
      return (i) => halfToFloat(view.getUint16(i * 2, true));
    case 'BF16': {
      const scratch = new DataView(new ArrayBuffer(4));
      return (i) => {
        scratch.setUint32(0, view.getUint16(i * 2, true) << 16);
        return scratch.getFloat32(0);
      };
    }
    default:
      throw new Error(`not a float dtype: ${dtype}`);
  }
}

/**
 * Copies a checked view (see checkView) into a fresh contiguous Float32Array, walking its strides,
 * so views with offsets, transposes and slices come out as the values torch shows for them.
 */
export function viewToFloat32(
  name: string,
  ref: TensorRef,
  records: ReadonlyMap<string, Uint8Array>,
  file: string,
): Float32Array {
  checkView(name, ref, records, file);
  if (!FLOAT_DTYPES.has(ref.storage.dtype)) {
    fail(
      file,
      `tensor '${name}' holds ${ref.storage.dtype} values; weights must be float (F32, F16, BF16 or F64)`,
    );
  }
  const record = records.get(`data/${ref.storage.key}`)!;
  const out = new Float32Array(viewNumel(ref));
  if (out.length === 0) return out;
  const { shape, stride } = ref;
  const read = elementReader(ref.storage.dtype, record);
  const rank = shape.length;
  const index = new Array<number>(rank).fill(0);
  let at = ref.offset;
  for (let n = 0; n < out.length; n++) {
    out[n] = read(at);
    // odometer over the shape, innermost dimension fastest
    for (let d = rank - 1; d >= 0; d--) {
      index[d]!++;
      at += stride[d]!;
      if (index[d]! < shape[d]!) break;
      at -= stride[d]! * shape[d]!;
      index[d] = 0;
    }
  }
  return out;
}
