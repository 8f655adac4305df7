// @ts-check
/**
 * Game music of Debian `freedoom`: the MIDI lumps (those starting with 'MThd') of
 * /usr/share/games/doom/freedoom1.wad and freedoom2.wad. Lumps are written as
 * `freedoom/<wad>/<LUMP>.mid`; the same tune in both WADs is kept once (deduplicated by sha256 later).
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { CorpusError } from '../errors.mjs';
import { midiLumps } from '../wad.mjs';
import { unpackDebian } from './debian.mjs';

const WAD_DIR = 'usr/share/games/doom';

/** @returns {import('./types.mjs').Source} */
export function freedoom() {
  return {
    id: 'freedoom',
    description: `Debian freedoom, MIDI lumps of ${WAD_DIR}/*.wad`,
    async fetch(workDir, cacheDir) {
      const deb = await unpackDebian('freedoom', workDir, cacheDir);
      const wads = (await readdir(join(deb.root, WAD_DIR))).filter((n) => n.endsWith('.wad')).sort();
      if (wads.length === 0) {
        throw new CorpusError('SOURCE_UNAVAILABLE', `${deb.result.archive}: no .wad under ${WAD_DIR}`);
      }
      /** @type {import('./types.mjs').SourceFile[]} */
      const files = [];
      for (const wad of wads) {
        const bytes = new Uint8Array(await readFile(join(deb.root, WAD_DIR, wad)));
        for (const lump of midiLumps(bytes, `${WAD_DIR}/${wad}`)) {
          files.push({
            pathInSource: `${WAD_DIR}/${wad}#${lump.name}`,
            outPath: `${wad.replace(/\.wad$/, '')}/${lump.name}.mid`,
            bytes: lump.bytes,
            licence: deb.licence,
            licenceFrom: deb.licenceFrom,
          });
        }
      }
      return { ...deb.result, files, skipped: [] };
    },
  };
}
