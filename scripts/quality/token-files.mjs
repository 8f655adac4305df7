// @ts-check
/**
 * Reading token streams from files. Accepted forms (by extension):
 * - `.json`: an array of ids, or an object with a `tokens` array (e.g. `{ "tokens": [414, 382, ...] }`);
 * - `.txt` / `.tokens`: ids separated by whitespace or commas;
 * - `.u16`: raw little-endian uint16 ids (what `Uint16Array` holds).
 */
import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import { QualityError } from './errors.mjs';

export const TOKEN_EXTENSIONS = ['.json', '.txt', '.tokens', '.u16'];

/**
 * @param {unknown} value
 * @param {string} fileName
 * @returns {number[]}
 */
function checkIds(value, fileName) {
  if (!Array.isArray(value))
    throw new QualityError('BAD_INPUT', `${fileName}: expected an array of token ids`);
  value.forEach((id, i) => {
    if (!Number.isInteger(id) || id < 0) {
      throw new QualityError('BAD_INPUT', `${fileName}: token ${i} is ${JSON.stringify(id)}, not an id >= 0`);
    }
  });
  return value;
}

/**
 * Parses the contents of a token file (exported for tests; `readTokenFile` reads from disk).
 * @param {Uint8Array} bytes
 * @param {string} fileName its extension picks the format
 * @returns {ArrayLike<number>}
 */
export function parseTokenFile(bytes, fileName) {
  const ext = extname(fileName).toLowerCase();
  if (ext === '.u16') {
    if (bytes.length % 2 !== 0) {
      throw new QualityError(
        'BAD_INPUT',
        `${fileName}: ${bytes.length} bytes is not a whole number of uint16 ids`,
      );
    }
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const ids = new Uint16Array(bytes.length / 2);
    for (let i = 0; i < ids.length; i++) ids[i] = view.getUint16(2 * i, true);
    return ids;
  }
  const text = new TextDecoder().decode(bytes);
  if (ext === '.json') {
    let value;
    try {
      value = JSON.parse(text);
    } catch (cause) {
      throw new QualityError('BAD_INPUT', `${fileName}: not valid JSON`, { cause });
    }
    const ids = Array.isArray(value) ? value : /** @type {{ tokens?: unknown }} */ (value)?.tokens;
    return checkIds(ids, fileName);
  }
  if (ext === '.txt' || ext === '.tokens') {
    const words = text.split(/[\s,]+/).filter((w) => w.length > 0);
    return checkIds(
      words.map((w) => (/^\d+$/.test(w) ? Number(w) : w)),
      fileName,
    );
  }
  throw new QualityError(
    'BAD_INPUT',
    `${fileName}: unknown token file type '${ext}' (use ${TOKEN_EXTENSIONS.join(', ')})`,
  );
}

/** @param {string} path */
export async function readTokenFile(path) {
  return parseTokenFile(new Uint8Array(await readFile(path)), path);
}
