// @ts-check
/**
 * The reference the samples are compared with: a corpus manifest (figures precomputed by
 * `pnpm corpus`), a trainer dataset (.safetensors; its token rows are analysed like samples), or a
 * folder of MIDI / token files.
 */
import { readFile, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { CorpusError } from '../corpus/errors.mjs';
import { parseManifest } from '../corpus/manifest.mjs';
import { QualityError } from './errors.mjs';
import { addCounts } from './histogram.mjs';
import { readU16Rows } from './safetensors.mjs';
import { folderStats } from './sample-stats.mjs';
import { analyseTokens, illFormedShare, sumTokenStats } from './token-analysis.mjs';

/**
 * @typedef {object} ReferenceStats
 * @property {'manifest' | 'dataset' | 'folder'} kind
 * @property {string} path
 * @property {number} items files (manifest, folder) or rows (dataset)
 * @property {number} notes pitched notes
 * @property {number} seconds
 * @property {number[]} pitchClassHistogram
 * @property {ReturnType<typeof illFormedShare> | null} illFormed of the token streams (dataset rows,
 *   token files); a baseline for the samples': random training windows cut through sounding notes
 */

/**
 * @param {string} path manifest.json
 * @param {string[] | null} sources keep only files of these source ids (null: all)
 * @returns {Promise<ReferenceStats>}
 */
async function fromManifest(path, sources) {
  let manifest;
  try {
    manifest = parseManifest(JSON.parse(await readFile(path, 'utf8')), path);
  } catch (cause) {
    const why = cause instanceof CorpusError ? cause.message : `${path}: not readable JSON`;
    throw new QualityError('BAD_INPUT', why, { cause });
  }
  const files = manifest.files.filter((f) => sources === null || sources.includes(f.source));
  if (files.length === 0) {
    throw new QualityError(
      'BAD_INPUT',
      `${path}: no files${sources ? ` from sources ${sources.join(', ')}` : ''}`,
    );
  }
  const pitchClassHistogram = new Array(12).fill(0);
  let notes = 0;
  let seconds = 0;
  for (const f of files) {
    notes += f.notes - f.drumNotes;
    seconds += f.durationSeconds;
    addCounts(pitchClassHistogram, f.pitchClassHistogram);
  }
  return {
    kind: 'manifest',
    path,
    items: files.length,
    notes,
    seconds,
    pitchClassHistogram,
    illFormed: null,
  };
}

/**
 * @param {string} path .safetensors dataset
 * @param {string} split tensor name
 * @param {import('./token-analysis.mjs').VocabView} vocab
 * @returns {Promise<ReferenceStats>}
 */
async function fromDataset(path, split, vocab) {
  const { rows, metadata } = readU16Rows(new Uint8Array(await readFile(path)), split, path);
  // Trainer datasets record their vocab; ids of another vocab would be silently misread.
  let described;
  try {
    described = JSON.parse(metadata.dataset ?? '{}');
  } catch (cause) {
    throw new QualityError('BAD_INPUT', `${path}: __metadata__.dataset is not JSON`, { cause });
  }
  if (typeof described.vocab_size === 'number' && described.vocab_size !== vocab.size) {
    throw new QualityError(
      'BAD_INPUT',
      `${path}: dataset vocab_size is ${described.vocab_size} but --vocab has ${vocab.size} ids`,
    );
  }
  const total = sumTokenStats(rows.map((row, i) => analyseTokens(row, vocab, `${path} ${split}[${i}]`)));
  return {
    kind: 'dataset',
    path: `${path}#${split}`,
    items: rows.length,
    notes: total.noteOn,
    seconds: total.seconds,
    pitchClassHistogram: total.pitchClassHistogram,
    illFormed: illFormedShare(total),
  };
}

/**
 * @param {object} options
 * @param {string} options.path manifest.json, a corpus folder holding one, a .safetensors dataset, or a folder
 * @param {string} options.split dataset tensor to read
 * @param {string[] | null} options.sources manifest source filter
 * @param {import('./token-analysis.mjs').VocabView} options.vocab
 * @param {import('./sample-stats.mjs').MidiEncoder | null} options.encodeMidi
 * @returns {Promise<ReferenceStats>}
 */
export async function loadReference({ path, split, sources, vocab, encodeMidi }) {
  const info = await stat(path).catch((cause) => {
    throw new QualityError('BAD_INPUT', `${path}: reference not found`, { cause });
  });
  if (info.isFile() && basename(path).endsWith('.json')) return fromManifest(path, sources);
  if (info.isFile() && path.endsWith('.safetensors')) return fromDataset(path, split, vocab);
  if (info.isFile()) {
    throw new QualityError(
      'BAD_INPUT',
      `${path}: expected a manifest .json, a .safetensors dataset or a folder`,
    );
  }
  const manifest = join(path, 'manifest.json');
  if (
    await stat(manifest).then(
      (s) => s.isFile(),
      () => false,
    )
  )
    return fromManifest(manifest, sources);
  const files = await folderStats(path, vocab, encodeMidi);
  if (files.length === 0) throw new QualityError('BAD_INPUT', `${path}: no MIDI or token files`);
  const pitchClassHistogram = new Array(12).fill(0);
  let notes = 0;
  let seconds = 0;
  for (const f of files) {
    notes += f.notes;
    seconds += f.seconds;
    addCounts(pitchClassHistogram, f.pitchClassHistogram);
  }
  const streams = files.flatMap((f) => (f.tokenStats === null ? [] : [f.tokenStats]));
  const illFormed = streams.length === 0 ? null : illFormedShare(sumTokenStats(streams));
  return { kind: 'folder', path, items: files.length, notes, seconds, pitchClassHistogram, illFormed };
}
