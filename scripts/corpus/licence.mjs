// @ts-check
/**
 * Licences of Debian packages, read from their machine-readable copyright file (DEP-5) rather than
 * typed in by hand, so a new upstream licence shows up in the manifest.
 */

/** Debian licence short names seen in our sources -> SPDX identifiers. */
const DEBIAN_TO_SPDX = new Map([
  ['GPL-3+', 'GPL-3.0-or-later'],
  ['GPL-2+', 'GPL-2.0-or-later'],
  ['BSD-3-clause', 'BSD-3-Clause'],
  ['Expat', 'MIT'],
  // Freedoom's own name for a licence whose text (in the same file) is the 3-clause BSD licence.
  ['freedoom-license', 'BSD-3-Clause'],
]);

/**
 * The licence of the `Files: *` paragraph of a DEP-5 copyright file.
 * @param {string} text contents of /usr/share/doc/<pkg>/copyright
 * @returns {{ spdx: string, debianName: string } | null} null when the file has no such paragraph
 */
export function debianMainLicence(text) {
  for (const paragraph of text.split(/\n\s*\n/)) {
    if (!/^Files:\s*\*\s*$/m.test(paragraph)) continue;
    const match = /^License:\s*(\S+)/m.exec(paragraph);
    if (match === null) return null;
    const debianName = match[1];
    return { spdx: DEBIAN_TO_SPDX.get(debianName) ?? debianName, debianName };
  }
  return null;
}
