/**
 * Worker-thread entry of the dataset pool (tinypool runs the default export). One task = one source file:
 * read, hash, tokenize, augment, cut into rows. Everything random comes from forks of the dataset seed
 * labelled with the file's relative path, so a file's rows do not depend on which worker ran it or when.
 */
import { readFileSync } from 'node:fs';
import { type FileTask, type FileTaskResult, fileRows } from './file-rows.js';

export default function processFile(task: FileTask): FileTaskResult {
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(task.absPath);
  } catch (e) {
    return { ok: false, relPath: task.relPath, reason: `cannot read: ${(e as Error).message}` };
  }
  return fileRows(bytes, task);
}
