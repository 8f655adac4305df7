// @ts-check
/**
 * Shapes shared by the source modules (JSDoc only; this module exports nothing at run time).
 *
 * @typedef {object} SourceFile one MIDI file taken from a source
 * @property {string} pathInSource where it lives inside the unpacked archive (WAD lumps: 'x.wad#NAME')
 * @property {string} outPath where it is written, relative to the source's folder in the corpus
 * @property {Uint8Array} bytes the file's bytes, unchanged
 * @property {string} licence SPDX identifier (or the source's own name when it has none)
 * @property {string} licenceFrom the file and field the licence was read from
 * @property {string} [title] human-readable title when the source gives one
 *
 * @typedef {object} SourceResult
 * @property {string} package npm or Debian package name
 * @property {string} version exact version that was unpacked
 * @property {'npm' | 'debian'} registry
 * @property {string} archive file name of the .tgz/.deb
 * @property {string} archivePath full path of the archive (not written to the manifest)
 * @property {boolean} fromCache true when the download failed and a cached archive was used
 * @property {string} [downloadError] why the download failed, when fromCache
 * @property {SourceFile[]} files
 * @property {{ pathInSource: string, reason: string }[]} skipped files deliberately left out
 *
 * @typedef {object} Source
 * @property {string} id folder name under the corpus and key in the manifest
 * @property {string} description one line for logs
 * @property {(workDir: string, cacheDir: string) => Promise<SourceResult>} fetch
 */
export {};
