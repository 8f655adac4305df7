// @ts-check
/**
 * Runs the sources one after another, keeps going when one fails (it is reported in the manifest
 * with its error and its folder is emptied), and writes the corpus folder and manifest.json.
 */
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CorpusError } from './errors.mjs';
import { buildManifest, describeFiles, parseManifest } from './manifest.mjs';
import { syncSourceFolder, writeJsonAtomically } from './output.mjs';

/**
 * @typedef {object} AssembleOptions
 * @property {string} out corpus folder
 * @property {import('./sources/types.mjs').Source[]} sources all sources, in manifest order
 * @property {string[]} only ids of the sources to (re)fetch; the others are carried over unchanged
 * @property {(line: string) => void} log progress lines
 */

/**
 * @param {string} path
 * @returns {Promise<import('./manifest.mjs').Manifest | null>}
 */
async function previousManifest(path) {
  const text = await readFile(path, 'utf8').catch(() => null);
  if (text === null) return null;
  try {
    return parseManifest(JSON.parse(text), path);
  } catch {
    return null; // unreadable or old format: rebuild everything rather than trust it
  }
}

/**
 * @param {AssembleOptions} options
 * @returns {Promise<{ manifest: import('./manifest.mjs').Manifest, failed: string[] }>}
 */
export async function assembleCorpus({ out, sources, only, log }) {
  const manifestPath = join(out, 'manifest.json');
  const cacheDir = join(out, '.cache');
  const previous = await previousManifest(manifestPath);
  /** @type {import('./manifest.mjs').ManifestSource[]} */
  const records = [];
  /** @type {import('./manifest.mjs').ManifestFile[]} */
  const files = [];
  /** @type {string[]} */
  const failed = [];
  const seen = new Map();
  for (const source of sources) {
    if (!only.includes(source.id)) {
      const kept = previous?.sources.find((s) => s.id === source.id);
      if (kept !== undefined) {
        records.push(kept);
        for (const f of previous?.files ?? []) {
          if (f.source !== source.id) continue;
          files.push(f);
          seen.set(f.sha256, f.path);
        }
      }
      continue;
    }
    const workDir = await mkdtemp(join(tmpdir(), `corpus-${source.id}-`));
    try {
      log(`${source.id}: fetching ${source.description}`);
      const result = await source.fetch(workDir, cacheDir);
      if (result.fromCache)
        log(`${source.id}: download failed (${result.downloadError}); using cached ${result.archive}`);
      const { entries, skipped } = describeFiles(source.id, result, seen);
      const sync = await syncSourceFolder(
        out,
        source.id,
        entries.map((e) => ({ path: e.file.path, bytes: e.bytes })),
      );
      const archiveSha256 = createHash('sha256')
        .update(await readFile(result.archivePath))
        .digest('hex');
      records.push({
        id: source.id,
        status: 'ok',
        package: result.package,
        version: result.version,
        registry: result.registry,
        archive: result.archive,
        archiveSha256,
        skipped,
      });
      files.push(...entries.map((e) => e.file));
      log(
        `${source.id}: ${entries.length} files (${sync.written} written, ${sync.unchanged} unchanged, ` +
          `${sync.removed} stale removed), ${skipped.length} skipped`,
      );
    } catch (error) {
      if (!(error instanceof CorpusError)) throw error;
      const status = error.code === 'OLD_VERSION' ? 'refused' : 'unavailable';
      log(`${source.id}: ${status}: ${error.message}`);
      failed.push(source.id);
      await syncSourceFolder(out, source.id, []);
      records.push({ id: source.id, status, error: error.message, skipped: [] });
    } finally {
      await rm(workDir, { recursive: true, force: true });
    }
  }
  const manifest = buildManifest(records, files);
  await writeJsonAtomically(manifestPath, manifest);
  return { manifest, failed };
}
