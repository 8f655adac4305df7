// @ts-check
/**
 * The corpus manifest (format documented in docs/corpus.md). Built from what each source yielded;
 * deterministic (no timestamps, sorted), so re-running on the same inputs rewrites identical bytes.
 */
import { createHash } from 'node:crypto';
import { CorpusError } from './errors.mjs';
import { midiStats } from './midi-stats.mjs';

export const MANIFEST_SCHEMA = 1;

/**
 * @typedef {import('./midi-stats.mjs').MidiStats & {
 *   path: string, source: string, package: string, version: string, pathInSource: string,
 *   licence: string, licenceFrom: string, title?: string, sha256: string, bytes: number
 * }} ManifestFile
 *
 * @typedef {{ files: number, notes: number, drumNotes: number, pitchedNotes: number,
 *   durationSeconds: number, minutes: number }} Totals
 *
 * @typedef {object} ManifestSource
 * @property {string} id
 * @property {'ok' | 'unavailable' | 'refused'} status refused = the source exists but breaks a rule
 * @property {string} [error] why it is not ok
 * @property {string} [package]
 * @property {string} [version]
 * @property {'npm' | 'debian'} [registry]
 * @property {string} [archive]
 * @property {string} [archiveSha256]
 * @property {{ pathInSource: string, reason: string }[]} skipped
 *
 * @typedef {{ schema: number, generator: string, sources: ManifestSource[], files: ManifestFile[],
 *   totals: Totals & { pitchClassHistogram: number[], bySource: Record<string, Totals> } }} Manifest
 */

/** @param {Uint8Array} bytes */
export const sha256 = (bytes) => createHash('sha256').update(bytes).digest('hex');

/** @param {number} seconds */
const round3 = (seconds) => Math.round(seconds * 1000) / 1000;

/**
 * @param {ManifestFile[]} files
 * @returns {Totals}
 */
function totalsOf(files) {
  let notes = 0;
  let drumNotes = 0;
  let durationSeconds = 0;
  for (const f of files) {
    notes += f.notes;
    drumNotes += f.drumNotes;
    durationSeconds += f.durationSeconds;
  }
  return {
    files: files.length,
    notes,
    drumNotes,
    pitchedNotes: notes - drumNotes,
    durationSeconds: round3(durationSeconds),
    minutes: Math.round((durationSeconds / 60) * 10) / 10,
  };
}

/**
 * Turns the files of one fetched source into manifest entries: hashes, reads the MIDI figures,
 * and skips (with a reason) duplicates of files already taken and files that do not parse.
 * @param {string} sourceId
 * @param {import('./sources/types.mjs').SourceResult} result
 * @param {Map<string, string>} seen sha256 -> corpus path of every file taken so far (updated)
 * @returns {{ entries: { file: ManifestFile, bytes: Uint8Array }[], skipped: { pathInSource: string, reason: string }[] }}
 */
export function describeFiles(sourceId, result, seen) {
  /** @type {{ file: ManifestFile, bytes: Uint8Array }[]} */
  const entries = [];
  const skipped = [...result.skipped];
  for (const f of result.files) {
    const hash = sha256(f.bytes);
    const path = `${sourceId}/${f.outPath}`;
    const earlier = seen.get(hash);
    if (earlier !== undefined) {
      skipped.push({ pathInSource: f.pathInSource, reason: `same bytes as ${earlier}` });
      continue;
    }
    let stats;
    try {
      stats = midiStats(f.bytes, `${result.archive}:${f.pathInSource}`);
    } catch (error) {
      if (!(error instanceof CorpusError)) throw error;
      skipped.push({ pathInSource: f.pathInSource, reason: error.message });
      continue;
    }
    if (stats.notes === 0) {
      skipped.push({ pathInSource: f.pathInSource, reason: 'no notes' });
      continue;
    }
    seen.set(hash, path);
    entries.push({
      bytes: f.bytes,
      file: {
        path,
        source: sourceId,
        package: result.package,
        version: result.version,
        pathInSource: f.pathInSource,
        licence: f.licence,
        licenceFrom: f.licenceFrom,
        ...(f.title === undefined ? {} : { title: f.title }),
        sha256: hash,
        bytes: f.bytes.length,
        ...stats,
      },
    });
  }
  return { entries, skipped };
}

/**
 * @param {ManifestSource[]} sources in the order they were run
 * @param {ManifestFile[]} files
 * @returns {Manifest}
 */
export function buildManifest(sources, files) {
  const sorted = [...files].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  /** @type {Record<string, Totals>} */
  const bySource = {};
  for (const s of sources) bySource[s.id] = totalsOf(sorted.filter((f) => f.source === s.id));
  const pitchClassHistogram = new Array(12).fill(0);
  for (const f of sorted) for (let i = 0; i < 12; i++) pitchClassHistogram[i] += f.pitchClassHistogram[i];
  return {
    schema: MANIFEST_SCHEMA,
    generator: 'scripts/corpus.mjs',
    sources,
    files: sorted,
    totals: { ...totalsOf(sorted), pitchClassHistogram, bySource },
  };
}

/**
 * Checks the parts of a manifest that readers rely on (check-samples uses files[] and totals).
 * @param {unknown} value parsed JSON
 * @param {string} fileName named in the error
 * @returns {Manifest}
 */
export function parseManifest(value, fileName) {
  const bad = (/** @type {string} */ what) =>
    new CorpusError('BAD_MANIFEST', `${fileName}: ${what} (format: docs/corpus.md)`);
  if (typeof value !== 'object' || value === null) throw bad('not a JSON object');
  const m = /** @type {Record<string, unknown>} */ (value);
  if (m.schema !== MANIFEST_SCHEMA)
    throw bad(`schema is ${JSON.stringify(m.schema)}, expected ${MANIFEST_SCHEMA}`);
  if (!Array.isArray(m.files)) throw bad('files is not an array');
  m.files.forEach((f, i) => {
    const file = /** @type {Record<string, unknown>} */ (f);
    for (const key of ['path', 'sha256', 'licence', 'source']) {
      if (typeof file?.[key] !== 'string') throw bad(`files[${i}].${key} is not a string`);
    }
    for (const key of ['notes', 'drumNotes', 'durationSeconds']) {
      if (typeof file[key] !== 'number' || !(Number(file[key]) >= 0)) {
        throw bad(`files[${i}].${key} is not a non-negative number`);
      }
    }
    const h = file.pitchClassHistogram;
    if (!Array.isArray(h) || h.length !== 12 || h.some((c) => typeof c !== 'number' || c < 0)) {
      throw bad(`files[${i}].pitchClassHistogram is not 12 non-negative counts`);
    }
  });
  return /** @type {Manifest} */ (value);
}
