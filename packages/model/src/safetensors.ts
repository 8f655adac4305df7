import { ModelError } from './errors.js';

/** safetensors dtypes this codec reads and writes. F16/BF16 stay raw 16-bit words (see toFloat32). */
export type SafetensorsDtype =
  | 'F64'
  | 'F32'
  | 'F16'
  | 'BF16'
  | 'I64'
  | 'I32'
  | 'I16'
  | 'I8'
  | 'U64'
  | 'U32'
  | 'U16'
  | 'U8'
  | 'BOOL';

export type SafetensorsData =
  | Float64Array
  | Float32Array
  | Uint16Array
  | BigInt64Array
  | BigUint64Array
  | Int32Array
  | Int16Array
  | Int8Array
  | Uint32Array
  | Uint8Array;

export interface SafetensorsTensor {
  dtype: SafetensorsDtype;
  shape: number[];
  /** Little-endian element values; F16 and BF16 as raw Uint16Array bit patterns. */
  data: SafetensorsData;
}

export interface SafetensorsFile {
  tensors: Map<string, SafetensorsTensor>;
  /** The header's `__metadata__` (string to string), empty when absent. */
  metadata: Record<string, string>;
}

const ARRAY_OF: Record<SafetensorsDtype, { ctor: new (b: ArrayBuffer) => SafetensorsData; bytes: number }> = {
  F64: { ctor: Float64Array, bytes: 8 },
  F32: { ctor: Float32Array, bytes: 4 },
  F16: { ctor: Uint16Array, bytes: 2 },
  BF16: { ctor: Uint16Array, bytes: 2 },
  I64: { ctor: BigInt64Array, bytes: 8 },
  I32: { ctor: Int32Array, bytes: 4 },
  I16: { ctor: Int16Array, bytes: 2 },
  I8: { ctor: Int8Array, bytes: 1 },
  U64: { ctor: BigUint64Array, bytes: 8 },
  U32: { ctor: Uint32Array, bytes: 4 },
  U16: { ctor: Uint16Array, bytes: 2 },
  U8: { ctor: Uint8Array, bytes: 1 },
  BOOL: { ctor: Uint8Array, bytes: 1 },
};

function assertLittleEndian(): void {
  // Typed arrays use host byte order; the format is little-endian. Every platform Node ships on is LE.
  // Probed with a typed array rather than node:os so that the codec also runs in a browser.
  if (new Uint8Array(Uint16Array.of(1).buffer)[0] !== 1)
    throw new ModelError('BAD_SAFETENSORS', 'safetensors: big-endian hosts are not supported');
}

const fail = (where: string, msg: string): never => {
  throw new ModelError('BAD_SAFETENSORS', `${where}: ${msg}`);
};

/**
 * Encodes tensors into one safetensors buffer: 8-byte little-endian header length, JSON header
 * (dtype, shape, data_offsets per tensor, `__metadata__` string map) padded with spaces to 8 bytes,
 * then the raw data in header order.
 */
export function encodeSafetensors(
  tensors: Map<string, SafetensorsTensor> | Record<string, SafetensorsTensor>,
  metadata: Record<string, string> = {},
): Uint8Array {
  assertLittleEndian();
  const entries = tensors instanceof Map ? [...tensors.entries()] : Object.entries(tensors);
  const header: Record<string, unknown> = {};
  if (Object.keys(metadata).length > 0) {
    for (const [k, v] of Object.entries(metadata)) {
      if (typeof v !== 'string')
        fail('encodeSafetensors', `metadata '${k}' must be a string, got ${typeof v}`);
    }
    header.__metadata__ = metadata;
  }
  let offset = 0;
  for (const [name, t] of entries) {
    if (name === '__metadata__') fail('encodeSafetensors', "'__metadata__' cannot name a tensor");
    const spec = ARRAY_OF[t.dtype];
    if (spec === undefined)
      fail('encodeSafetensors', `tensor '${name}' has unknown dtype '${String(t.dtype)}'`);
    const count = t.shape.reduce((a, b) => a * b, 1);
    if (!t.shape.every((d) => Number.isInteger(d) && d >= 0))
      fail('encodeSafetensors', `tensor '${name}' has a bad shape [${t.shape}]`);
    if (t.data.length !== count || !(t.data instanceof spec.ctor)) {
      fail(
        'encodeSafetensors',
        `tensor '${name}': ${t.data.length} ${t.data.constructor.name} values do not fit ${t.dtype} [${t.shape}]`,
      );
    }
    header[name] = { dtype: t.dtype, shape: t.shape, data_offsets: [offset, offset + count * spec.bytes] };
    offset += count * spec.bytes;
  }
  let json = JSON.stringify(header);
  const pad = (8 - ((Buffer.byteLength(json) + 8) % 8)) % 8;
  json += ' '.repeat(pad);
  const headerBytes = new TextEncoder().encode(json);
  const out = new Uint8Array(8 + headerBytes.length + offset);
  new DataView(out.buffer).setBigUint64(0, BigInt(headerBytes.length), true);
  out.set(headerBytes, 8);
  let at = 8 + headerBytes.length;
  for (const [, t] of entries) {
    out.set(new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength), at);
    at += t.data.byteLength;
  }
  return out;
}

/** A tensor as the header describes it, without its data. */
export interface SafetensorsTensorInfo {
  dtype: SafetensorsDtype;
  shape: number[];
}

/** Where a tensor's bytes lie in the data section (the bytes after the header). */
interface HeaderEntry extends SafetensorsTensorInfo {
  begin: number;
  end: number;
}

/**
 * Larger than any header this project writes (a few KiB) by far: the limit only stops a file that merely
 * looks like safetensors from making a reader allocate gigabytes for its "header".
 */
const MAX_HEADER_BYTES = 100 * 1024 * 1024;

const notSafetensors = (where: string, msg: string, cause?: unknown): never => {
  throw new ModelError('NOT_SAFETENSORS', `${where}: ${msg}`, cause === undefined ? undefined : { cause });
};

/**
 * The header length stored in the first 8 bytes (`prefix`) of a file of `fileBytes` bytes. Throws
 * NOT_SAFETENSORS unless the header fits in the file: the framing is all that marks a safetensors file.
 */
export function headerLength(prefix: Uint8Array, fileBytes: number, fileName: string): number {
  if (prefix.length < 8)
    notSafetensors(fileName, `not a safetensors file (${fileBytes} bytes, need an 8-byte header length)`);
  const length = Number(new DataView(prefix.buffer, prefix.byteOffset, 8).getBigUint64(0, true));
  if (length <= 0 || 8 + length > fileBytes)
    notSafetensors(fileName, `header length ${length} does not fit a file of ${fileBytes} bytes`);
  if (length > MAX_HEADER_BYTES)
    notSafetensors(fileName, `header length ${length} is over the ${MAX_HEADER_BYTES}-byte limit`);
  return length;
}

/**
 * Parses and checks the JSON header (`json`, the bytes after the length) of a file whose data section
 * has `dataBytes` bytes: NOT_SAFETENSORS when it is not a JSON object, BAD_SAFETENSORS naming the entry
 * when `__metadata__` or a tensor's dtype, shape or data_offsets is wrong.
 */
export function parseHeader(
  json: Uint8Array,
  dataBytes: number,
  fileName: string,
): { tensors: Map<string, HeaderEntry>; metadata: Record<string, string> } {
  let header: unknown;
  try {
    header = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(json));
  } catch (e) {
    notSafetensors(fileName, 'header is not valid UTF-8 JSON', e);
  }
  if (header === null || typeof header !== 'object' || Array.isArray(header))
    notSafetensors(fileName, 'header is not a JSON object');
  const tensors = new Map<string, HeaderEntry>();
  const metadata: Record<string, string> = {};
  for (const [name, raw] of Object.entries(header as Record<string, unknown>)) {
    if (name === '__metadata__') {
      if (raw === null || typeof raw !== 'object') fail(fileName, '__metadata__ is not an object');
      for (const [k, v] of Object.entries(raw as Record<string, unknown>)) {
        if (typeof v !== 'string') fail(fileName, `__metadata__.${k} is not a string`);
        metadata[k] = v as string;
      }
      continue;
    }
    const e = raw as { dtype?: unknown; shape?: unknown; data_offsets?: unknown };
    const spec = typeof e?.dtype === 'string' ? ARRAY_OF[e.dtype as SafetensorsDtype] : undefined;
    if (spec === undefined)
      fail(fileName, `tensor '${name}' has unsupported dtype ${JSON.stringify(e?.dtype)}`);
    const shape = e.shape;
    if (!Array.isArray(shape) || !shape.every((d) => Number.isInteger(d) && d >= 0)) {
      fail(fileName, `tensor '${name}' has a bad shape ${JSON.stringify(shape)}`);
    }
    const offsets = e.data_offsets;
    if (!Array.isArray(offsets) || offsets.length !== 2 || !offsets.every((o) => Number.isInteger(o))) {
      fail(fileName, `tensor '${name}' has bad data_offsets ${JSON.stringify(offsets)}`);
    }
    const [begin, end] = offsets as [number, number];
    const count = (shape as number[]).reduce((a, b) => a * b, 1);
    if (begin < 0 || end < begin || end > dataBytes)
      fail(fileName, `tensor '${name}' data_offsets [${begin}, ${end}] outside ${dataBytes} data bytes`);
    if (end - begin !== count * spec!.bytes) {
      fail(
        fileName,
        `tensor '${name}' has ${end - begin} bytes but ${e.dtype} [${shape}] needs ${count * spec!.bytes}`,
      );
    }
    tensors.set(name, { dtype: e.dtype as SafetensorsDtype, shape: shape as number[], begin, end });
  }
  return { tensors, metadata };
}

/** A safetensors buffer whose header is parsed and checked, its tensors decoded only when asked for. */
export interface SafetensorsLayout {
  /** Dtype and shape of every tensor, in header order; checked against the data section's size. */
  tensors: ReadonlyMap<string, SafetensorsTensorInfo>;
  metadata: Record<string, string>;
  /** Copies one tensor's data out of the buffer; undefined when the header has no such tensor. */
  tensor(name: string): SafetensorsTensor | undefined;
}

/**
 * Parses and checks the header only (framing, JSON, every entry's dtype, shape and offsets against the
 * bytes present), so a caller can check names, shapes and metadata before any tensor is copied.
 */
export function openSafetensors(bytes: Uint8Array, fileName = '<buffer>'): SafetensorsLayout {
  assertLittleEndian();
  const length = headerLength(bytes.subarray(0, 8), bytes.length, fileName);
  const dataStart = 8 + length;
  const header = parseHeader(bytes.subarray(8, dataStart), bytes.length - dataStart, fileName);
  return {
    tensors: header.tensors,
    metadata: header.metadata,
    tensor(name) {
      const e = header.tensors.get(name);
      if (e === undefined) return undefined;
      // Copy: the slice may not be aligned for its element type inside the file buffer. Through the
      // constructor, not .slice(): a Node Buffer's slice is a view on the whole file's memory.
      const copy = new Uint8Array(bytes.subarray(dataStart + e.begin, dataStart + e.end));
      return { dtype: e.dtype, shape: e.shape, data: new ARRAY_OF[e.dtype].ctor(copy.buffer) };
    },
  };
}

/** Decodes a safetensors buffer; every check names `fileName` and the offending tensor. */
export function decodeSafetensors(bytes: Uint8Array, fileName = '<buffer>'): SafetensorsFile {
  const layout = openSafetensors(bytes, fileName);
  const tensors = new Map<string, SafetensorsTensor>();
  for (const name of layout.tensors.keys()) tensors.set(name, layout.tensor(name)!);
  return { tensors, metadata: layout.metadata };
}

function halfToFloat(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exp = (h >> 10) & 0x1f;
  const frac = h & 0x3ff;
  if (exp === 0) return sign * 2 ** -14 * (frac / 1024);
  if (exp === 31) return frac === 0 ? sign * Number.POSITIVE_INFINITY : Number.NaN;
  return sign * 2 ** (exp - 15) * (1 + frac / 1024);
}

/** Any numeric tensor as float32 values (F16 and BF16 widened exactly; 64-bit ints via Number). */
export function toFloat32(t: SafetensorsTensor): Float32Array {
  switch (t.dtype) {
    case 'F32':
      return t.data as Float32Array;
    case 'F16':
      return Float32Array.from(t.data as Uint16Array, halfToFloat);
    case 'BF16': {
      const words = new Uint32Array(t.data.length);
      (t.data as Uint16Array).forEach((w, i) => {
        words[i] = w << 16;
      });
      return new Float32Array(words.buffer);
    }
    case 'I64':
    case 'U64':
      return Float32Array.from(t.data as BigInt64Array, (x) => Number(x));
    default:
      return Float32Array.from(t.data as ArrayLike<number>);
  }
}
