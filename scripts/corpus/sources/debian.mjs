// @ts-check
/**
 * Common part of the Debian sources: download + unpack, and the licence of the package's files
 * (the `Files: *` paragraph of /usr/share/doc/<pkg>/copyright).
 */
import { readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { CorpusError } from '../errors.mjs';
import { fetchDebianPackage } from '../fetch.mjs';
import { debianMainLicence } from '../licence.mjs';

/**
 * @param {string} pkg
 * @param {string} workDir
 * @param {string} cacheDir
 */
export async function unpackDebian(pkg, workDir, cacheDir) {
  const got = await fetchDebianPackage(pkg, workDir, cacheDir);
  const copyrightPath = `usr/share/doc/${pkg}/copyright`;
  const text = await readFile(join(got.root, copyrightPath), 'utf8').catch((cause) => {
    throw new CorpusError('SOURCE_UNAVAILABLE', `${got.archive}: no ${copyrightPath} inside`, { cause });
  });
  const licence = debianMainLicence(text);
  if (licence === null) {
    throw new CorpusError('SOURCE_UNAVAILABLE', `${pkg}: ${copyrightPath} has no 'Files: *' licence`);
  }
  return {
    root: got.root,
    licence: licence.spdx,
    licenceFrom: `${copyrightPath} (Files: *, License: ${licence.debianName})`,
    /** @type {Omit<import('./types.mjs').SourceResult, 'files' | 'skipped'>} */
    result: {
      package: pkg,
      version: got.version,
      registry: 'debian',
      archive: basename(got.archive),
      archivePath: got.archive,
      fromCache: got.fromCache,
      ...(got.downloadError === undefined ? {} : { downloadError: got.downloadError }),
    },
  };
}
