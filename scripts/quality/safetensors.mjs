// @ts-check
/**
 * Minimal safetensors reader for trainer datasets (`train` / `validation`, U16 [rows, length], with
 * the dataset description as JSON under `__metadata__.dataset`). Format: 8-byte little-endian header
 * length N, N bytes of JSON header, then the tensor bytes (offsets relative to the end of the header).
 */
import { open } from 'node:fs/promises';
import { decodeSafetensors } from '@music-transformer/model';
import { QualityError } from './errors.mjs';

/**
 * @param {Uint8Array} bytes
 * @param {string} fileName
 * @returns {{ header: Record<string, unknown>, metadata: Record<string, string>, dataStart: number }}
 */
function readHeader(bytes, fileName) {
  if (bytes.length < 8) throw new QualityError('BAD_INPUT', `${fileName}: too short for a safetensors file`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const n = Number(view.getBigUint64(0, true));
  if (n <= 0 || 8 + n > bytes.length) {
    throw new QualityError(
      'BAD_INPUT',
      `${fileName}: header length ${n} does not fit in ${bytes.length} bytes`,
    );
  }
  let header;
  try {
    header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + n)));
  } catch (cause) {
    throw new QualityError('BAD_INPUT', `${fileName}: safetensors header is not JSON`, { cause });
  }
  const metadata = /** @type {Record<string, string>} */ (header.__metadata__ ?? {});
  return { header, metadata, dataStart: 8 + n };
}

/**
 * The rows of one U16 [rows, length] tensor, and the file's `__metadata__`, through the model package's
 * safetensors codec (which checks the header and the data offsets).
 * @param {Uint8Array} bytes
 * @param {string} name tensor name, e.g. 'validation'
 * @param {string} fileName
 * @returns {{ rows: Uint16Array[], metadata: Record<string, string> }}
 */
export function readU16Rows(bytes, name, fileName) {
  let file;
  try {
    file = decodeSafetensors(bytes, fileName);
  } catch (cause) {
    throw new QualityError('BAD_INPUT', /** @type {Error} */ (cause).message, { cause });
  }
  const info = file.tensors.get(name);
  if (info === undefined) {
    const names = [...file.tensors.keys()];
    throw new QualityError('BAD_INPUT', `${fileName}: no tensor '${name}' (has: ${names.join(', ')})`);
  }
  if (info.dtype !== 'U16' || info.shape.length !== 2) {
    throw new QualityError(
      'BAD_INPUT',
      `${fileName}: tensor '${name}' is ${info.dtype} ${JSON.stringify(info.shape)}, expected U16 [rows, length]`,
    );
  }
  const [rows, length] = /** @type {[number, number]} */ (info.shape);
  const data = /** @type {Uint16Array} */ (info.data);
  /** @type {Uint16Array[]} */
  const out = [];
  for (let r = 0; r < rows; r++) out.push(data.slice(r * length, (r + 1) * length));
  return { rows: out, metadata: file.metadata };
}

/**
 * Shape of one tensor, reading only the header (datasets can be large).
 * @param {string} path
 * @param {string} name
 * @returns {Promise<number[]>}
 */
export async function tensorShape(path, name) {
  const file = await open(path, 'r').catch((cause) => {
    throw new QualityError('BAD_INPUT', `${path}: cannot open the dataset`, { cause });
  });
  try {
    const size = new Uint8Array(8);
    await file.read(size, 0, 8, 0);
    const n = Number(new DataView(size.buffer).getBigUint64(0, true));
    const { size: fileSize } = await file.stat();
    if (n <= 0 || 8 + n > fileSize) {
      throw new QualityError('BAD_INPUT', `${path}: header length ${n} does not fit in ${fileSize} bytes`);
    }
    const head = new Uint8Array(8 + n);
    await file.read(head, 0, 8 + n, 0);
    const { header } = readHeader(head, path);
    const info = /** @type {{ shape?: number[] } | undefined} */ (header[name]);
    if (!Array.isArray(info?.shape)) throw new QualityError('BAD_INPUT', `${path}: no tensor '${name}'`);
    return info.shape;
  } finally {
    await file.close();
  }
}
