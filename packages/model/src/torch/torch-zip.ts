import { unzipSync } from 'fflate';
import { ModelError } from '../errors.js';

/** The records of a `torch.save` zip archive, by name without the archive folder (`data.pkl`, `data/0`). */
export interface TorchArchive {
  /** The archive's top folder (torch names it after the file it saved to). */
  folder: string;
  records: Map<string, Uint8Array>;
}

const ZIP_MAGIC = [0x50, 0x4b, 0x03, 0x04];
/** `torch.save(..., _use_new_zipfile_serialization=False)` and torch < 1.6: pickle protocol 2 + magic number. */
const LEGACY_PICKLE_MAGIC = [
  0x80, 0x02, 0x8a, 0x0a, 0x6c, 0xfc, 0x9c, 0x46, 0xf9, 0x20, 0x6a, 0xa8, 0x50, 0x19,
];

function startsWith(bytes: Uint8Array, magic: readonly number[], at = 0): boolean {
  return bytes.length >= at + magic.length && magic.every((b, i) => bytes[at + i] === b);
}

function fail(file: string, message: string, cause?: unknown): never {
  throw new ModelError('BAD_TORCH_FILE', `${file}: ${message}`, cause === undefined ? undefined : { cause });
}

/** How to turn a legacy file into one `mt import` reads; the user runs torch, which may run the pickle. */
export function resaveHint(file: string): string {
  return `re-save it with torch >= 1.6: python3 -c "import torch; torch.save(torch.load('${file}', map_location='cpu'), 'resaved.pt')"`;
}

function isTar(bytes: Uint8Array): boolean {
  return startsWith(bytes, [0x75, 0x73, 0x74, 0x61, 0x72], 257); // "ustar"
}

/**
 * Opens the zip container of a torch >= 1.6 file. Only stored (uncompressed) records are read, as
 * torch writes them: a compressed record could claim any inflated size, so it is refused before
 * anything is inflated, and every record is checked to be as long as the central directory says.
 */
export function readTorchArchive(bytes: Uint8Array, file: string): TorchArchive {
  if (!startsWith(bytes, ZIP_MAGIC)) {
    if (startsWith(bytes, LEGACY_PICKLE_MAGIC) || isTar(bytes)) {
      fail(
        file,
        `written in the legacy format of torch < 1.6, which mt import does not read; ${resaveHint(file)}`,
      );
    }
    if (bytes[0] === 0x80) {
      fail(file, `a bare pickle, not the zip format torch.save writes; ${resaveHint(file)}`);
    }
    fail(file, 'not a PyTorch file (torch.save writes a zip archive; this does not start like one)');
  }
  let compressed: string | undefined;
  const sizes = new Map<string, number>();
  let unzipped: Record<string, Uint8Array>;
  try {
    unzipped = unzipSync(bytes, {
      filter: (entry) => {
        if (entry.compression !== 0 && compressed === undefined) compressed = entry.name;
        sizes.set(entry.name, entry.originalSize);
        return entry.compression === 0 && entry.size === entry.originalSize && entry.size <= bytes.length;
      },
    });
  } catch (cause) {
    fail(file, 'a damaged or truncated zip archive (its directory cannot be read)', cause);
  }
  if (compressed !== undefined) {
    fail(
      file,
      `record '${compressed}' is compressed; torch.save stores records uncompressed, ${resaveHint(file)}`,
    );
  }
  for (const [name, size] of sizes) {
    const data = unzipped[name];
    if (data === undefined || data.length !== size) {
      fail(
        file,
        `record '${name}' is cut short (${data?.length ?? 0} of ${size} bytes): the file is truncated`,
      );
    }
  }
  const names = Object.keys(unzipped);
  const pickle = names.find((n) => /^[^/]+\/data\.pkl$/.test(n));
  if (pickle === undefined) {
    fail(file, 'a zip archive but not a torch.save file (it has no <name>/data.pkl record)');
  }
  const folder = pickle.slice(0, pickle.indexOf('/'));
  const records = new Map<string, Uint8Array>();
  for (const name of names) {
    if (name.startsWith(`${folder}/`)) records.set(name.slice(folder.length + 1), unzipped[name]!);
  }
  const byteorder = records.get('byteorder');
  if (byteorder !== undefined && new TextDecoder().decode(byteorder).trim() !== 'little') {
    fail(file, 'written on a big-endian machine; only little-endian files are read');
  }
  return { folder, records };
}
