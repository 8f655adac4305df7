// @ts-check
/** Game music of Debian `planetblupi-music-midi`: /usr/share/planetblupi/music/*.mid. */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { CorpusError } from '../errors.mjs';
import { unpackDebian } from './debian.mjs';

const MUSIC_DIR = 'usr/share/planetblupi/music';

/** @returns {import('./types.mjs').Source} */
export function planetblupi() {
  return {
    id: 'planetblupi',
    description: `Debian planetblupi-music-midi, ${MUSIC_DIR}/*.mid`,
    async fetch(workDir, cacheDir) {
      const deb = await unpackDebian('planetblupi-music-midi', workDir, cacheDir);
      const names = (await readdir(join(deb.root, MUSIC_DIR))).filter((n) => /\.midi?$/i.test(n)).sort();
      if (names.length === 0) {
        throw new CorpusError('SOURCE_UNAVAILABLE', `${deb.result.archive}: no .mid under ${MUSIC_DIR}`);
      }
      /** @type {import('./types.mjs').SourceFile[]} */
      const files = [];
      for (const name of names) {
        files.push({
          pathInSource: `${MUSIC_DIR}/${name}`,
          outPath: name,
          bytes: new Uint8Array(await readFile(join(deb.root, MUSIC_DIR, name))),
          licence: deb.licence,
          licenceFrom: deb.licenceFrom,
        });
      }
      return { ...deb.result, files, skipped: [] };
    },
  };
}
