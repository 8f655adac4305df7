// @ts-check
/**
 * Reader for Doom WAD archives (the format of freedoom1.wad / freedoom2.wad).
 * Layout, all little-endian: a 12-byte header ('IWAD' or 'PWAD', int32 numlumps, int32 directory
 * offset), and at that offset `numlumps` 16-byte entries (int32 offset, int32 size, 8-byte name padded
 * with NULs). Music lumps may be MUS or MIDI; we keep only those whose bytes start with 'MThd'.
 */
import { CorpusError } from './errors.mjs';

/** @typedef {{ name: string, offset: number, size: number }} WadEntry */

const HEADER_BYTES = 12;
const ENTRY_BYTES = 16;
const MIDI_MAGIC = [0x4d, 0x54, 0x68, 0x64]; // 'MThd'

/**
 * Parses the WAD directory and checks every entry lies inside the file.
 * @param {Uint8Array} bytes
 * @param {string} fileName named in errors
 * @returns {{ kind: 'IWAD' | 'PWAD', entries: WadEntry[] }}
 */
export function parseWadDirectory(bytes, fileName) {
  if (bytes.length < HEADER_BYTES) {
    throw new CorpusError('BAD_WAD', `${fileName}: ${bytes.length} bytes is too short for a WAD header (12)`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const kind = String.fromCharCode(bytes[0], bytes[1], bytes[2], bytes[3]);
  if (kind !== 'IWAD' && kind !== 'PWAD') {
    throw new CorpusError('BAD_WAD', `${fileName}: header is '${kind}', expected 'IWAD' or 'PWAD'`);
  }
  const count = view.getInt32(4, true);
  const dirOffset = view.getInt32(8, true);
  if (count < 0 || dirOffset < HEADER_BYTES || dirOffset + count * ENTRY_BYTES > bytes.length) {
    throw new CorpusError(
      'BAD_WAD',
      `${fileName}: directory of ${count} entries at offset ${dirOffset} does not fit in ${bytes.length} bytes`,
    );
  }
  /** @type {WadEntry[]} */
  const entries = [];
  for (let i = 0; i < count; i++) {
    const at = dirOffset + i * ENTRY_BYTES;
    const offset = view.getInt32(at, true);
    const size = view.getInt32(at + 4, true);
    let name = '';
    for (let c = 0; c < 8; c++) {
      const code = bytes[at + 8 + c];
      if (code === 0) break;
      name += String.fromCharCode(code);
    }
    // Marker lumps (F_START, S_END, ...) have size 0 and may carry any offset; only check real lumps.
    if (size < 0 || (size > 0 && (offset < 0 || offset + size > bytes.length))) {
      throw new CorpusError(
        'BAD_WAD',
        `${fileName}: lump ${i} '${name}' (offset ${offset}, size ${size}) lies outside the file (${bytes.length} bytes)`,
      );
    }
    entries.push({ name, offset, size });
  }
  return { kind, entries };
}

/**
 * The lumps of a WAD that are standard MIDI files, in directory order.
 * @param {Uint8Array} bytes
 * @param {string} fileName
 * @returns {{ name: string, index: number, bytes: Uint8Array }[]}
 */
export function midiLumps(bytes, fileName) {
  const { entries } = parseWadDirectory(bytes, fileName);
  /** @type {{ name: string, index: number, bytes: Uint8Array }[]} */
  const lumps = [];
  entries.forEach((entry, index) => {
    if (entry.size < MIDI_MAGIC.length) return;
    for (let k = 0; k < MIDI_MAGIC.length; k++) if (bytes[entry.offset + k] !== MIDI_MAGIC[k]) return;
    lumps.push({ name: entry.name, index, bytes: bytes.subarray(entry.offset, entry.offset + entry.size) });
  });
  return lumps;
}
