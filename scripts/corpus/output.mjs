// @ts-check
/**
 * Writing the corpus folder so that a re-run is idempotent: a file is rewritten only when its bytes
 * changed, files of a source folder that are no longer part of the corpus are removed (so the folder
 * and the manifest always agree), and the manifest is replaced atomically (write, then rename).
 */
import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile, rename, rm, rmdir, writeFile } from 'node:fs/promises';
import { dirname, join, relative, sep } from 'node:path';

/**
 * @param {string} path
 * @param {Uint8Array} bytes
 * @returns {Promise<boolean>} true when the file was (re)written
 */
async function writeIfChanged(path, bytes) {
  const want = createHash('sha256').update(bytes).digest('hex');
  const have = await readFile(path)
    .then((b) => createHash('sha256').update(b).digest('hex'))
    .catch(() => null);
  if (have === want) return false;
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, bytes);
  return true;
}

/**
 * Makes `<corpusDir>/<sourceId>/` hold exactly `entries` (paths relative to corpusDir).
 * @param {string} corpusDir
 * @param {string} sourceId
 * @param {{ path: string, bytes: Uint8Array }[]} entries
 * @returns {Promise<{ written: number, unchanged: number, removed: number }>}
 */
export async function syncSourceFolder(corpusDir, sourceId, entries) {
  const root = join(corpusDir, sourceId);
  let written = 0;
  for (const e of entries) if (await writeIfChanged(join(corpusDir, e.path), e.bytes)) written++;
  const keep = new Set(entries.map((e) => e.path));
  const existing = await readdir(root, { recursive: true, withFileTypes: true }).catch(() => []);
  let removed = 0;
  for (const d of existing) {
    if (!d.isFile()) continue;
    const full = join(d.parentPath, d.name);
    const rel = relative(corpusDir, full).split(sep).join('/');
    if (!keep.has(rel)) {
      await rm(full);
      removed++;
    }
  }
  // Drop folders emptied by the removals (deepest first); non-empty ones make rmdir fail, which is fine.
  const dirs = existing.filter((d) => d.isDirectory()).map((d) => join(d.parentPath, d.name));
  for (const dir of dirs.sort((a, b) => b.length - a.length)) await rmdir(dir).catch(() => undefined);
  if (entries.length === 0) await rmdir(root).catch(() => undefined);
  return { written, unchanged: entries.length - written, removed };
}

/**
 * @param {string} path
 * @param {unknown} value
 * @returns {Promise<boolean>} true when the content changed
 */
export async function writeJsonAtomically(path, value) {
  const text = `${JSON.stringify(value, null, 2)}\n`;
  const old = await readFile(path, 'utf8').catch(() => null);
  if (old === text) return false;
  await mkdir(dirname(path), { recursive: true });
  const tmp = `${path}.${process.pid}.tmp`;
  await writeFile(tmp, text);
  await rename(tmp, path);
  return true;
}
