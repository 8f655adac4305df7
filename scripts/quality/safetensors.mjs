// @ts-check
/**
 * Trainer datasets (`train` / `validation`, U16 [rows, length], with the dataset description as JSON
 * under `__metadata__.dataset`) read through the model package's safetensors codec and header reader,
 * their errors (which name the file) re-thrown as this package's.
 */
import { decodeSafetensors, ModelError, readSafetensorsHeader } from '@music-transformer/model';
import { QualityError } from './errors.mjs';

/** @param {string} fileName @param {string} name @param {Iterable<string>} names */
const noTensor = (fileName, name, names) =>
  new QualityError('BAD_INPUT', `${fileName}: no tensor '${name}' (has: ${[...names].join(', ')})`);

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
  if (info === undefined) throw noTensor(fileName, name, file.tensors.keys());
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
  let header;
  try {
    header = await readSafetensorsHeader(path);
  } catch (cause) {
    const message = cause instanceof ModelError ? cause.message : `${path}: cannot open the dataset`;
    throw new QualityError('BAD_INPUT', message, { cause });
  }
  const info = header.tensors.get(name);
  if (info === undefined) throw noTensor(path, name, header.tensors.keys());
  return info.shape;
}
