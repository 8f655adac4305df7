import { closeSync, fsyncSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { TrainerError } from './errors.js';
import { tempPathFor } from './temp-files.js';

/**
 * Writes `bytes` to `path` so that a crash at any moment leaves either the old file or the new one, never
 * a torn file: write a hidden temporary sibling (`tempPathFor`), fsync it, rename it over the target (atomic on POSIX within one
 * file system), then fsync the directory so the rename itself survives a power loss.
 */
export function writeFileAtomic(path: string, bytes: Uint8Array): void {
  const dir = dirname(path);
  const tmp = tempPathFor(path);
  try {
    const fd = openSync(tmp, 'w');
    try {
      let written = 0;
      while (written < bytes.byteLength) {
        written += writeSync(fd, bytes, written, bytes.byteLength - written);
      }
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, path);
  } catch (cause) {
    rmSync(tmp, { force: true });
    throw new TrainerError('IO', `could not write ${path}: ${(cause as Error).message}`, { cause });
  }
  syncDir(dir);
}

/** fsync of a directory is not supported everywhere (Windows); durability there is best effort. */
function syncDir(dir: string): void {
  let fd: number | undefined;
  try {
    fd = openSync(dir, 'r');
    fsyncSync(fd);
  } catch {
    // Not fatal: the data file itself is already synced.
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}
