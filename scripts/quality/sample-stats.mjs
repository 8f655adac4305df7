// @ts-check
/**
 * Figures of one sample file. Token files are analysed as token streams (ill-formedness, pitch
 * classes, notes per second from the time shifts). MIDI files get pitch classes and notes per second
 * from @tonejs/midi (pitched notes, seconds to the last note's end, as in the corpus manifest) and,
 * when an encoder is given, ill-formedness of their re-encoded token stream.
 */
import { readdir, readFile } from 'node:fs/promises';
import { extname, join, relative, sep } from 'node:path';
import { CorpusError } from '../corpus/errors.mjs';
import { midiStats } from '../corpus/midi-stats.mjs';
import { QualityError } from './errors.mjs';
import { notesPerSecond } from './histogram.mjs';
import { midiOutside, PIANO, tokensOutside } from './pitch-range.mjs';
import { analyseTokens } from './token-analysis.mjs';
import { parseTokenFile, TOKEN_EXTENSIONS } from './token-files.mjs';

export const MIDI_EXTENSIONS = ['.mid', '.midi'];

/**
 * @typedef {(bytes: Uint8Array, fileName: string) => ArrayLike<number>} MidiEncoder
 *
 * @typedef {object} SampleStats
 * @property {string} file the folder joined with the file's path inside it
 * @property {'tokens' | 'midi'} kind
 * @property {number} notes note-ons (tokens) or pitched notes (MIDI)
 * @property {number} seconds
 * @property {number | null} notesPerSecond
 * @property {number[]} pitchClassHistogram
 * @property {number} outOfRange notes outside the pitch range asked (piano 21-108 by default)
 * @property {import('./token-analysis.mjs').TokenStats | null} tokenStats null for MIDI without encoder
 */

/**
 * All sample files under `dir` (recursively), sorted, by extension.
 * @param {string} dir
 * @returns {Promise<string[]>} paths relative to dir, with '/' separators
 */
export async function listSampleFiles(dir) {
  const known = [...MIDI_EXTENSIONS, ...TOKEN_EXTENSIONS];
  const entries = await readdir(dir, { recursive: true, withFileTypes: true }).catch((cause) => {
    throw new QualityError('BAD_INPUT', `${dir}: cannot list the folder`, { cause });
  });
  return entries
    .filter((d) => d.isFile() && known.includes(extname(d.name).toLowerCase()))
    .map((d) => relative(dir, join(d.parentPath, d.name)).split(sep).join('/'))
    .sort();
}

/**
 * @param {Uint8Array} bytes
 * @param {string} file
 * @param {import('./token-analysis.mjs').VocabView} vocab
 * @param {MidiEncoder | null} encodeMidi
 * @param {import('./pitch-range.mjs').PitchRange} [range]
 * @returns {SampleStats}
 */
export function sampleStats(bytes, file, vocab, encodeMidi, range = PIANO) {
  if (MIDI_EXTENSIONS.includes(extname(file).toLowerCase())) {
    let stats;
    try {
      stats = midiStats(bytes, file);
    } catch (error) {
      if (error instanceof CorpusError) throw new QualityError('BAD_INPUT', error.message, { cause: error });
      throw error;
    }
    const notes = stats.notes - stats.drumNotes;
    const tokenStats = encodeMidi === null ? null : analyseTokens(encodeMidi(bytes, file), vocab, file);
    return {
      file,
      kind: 'midi',
      notes,
      seconds: stats.durationSeconds,
      notesPerSecond: notesPerSecond(notes, stats.durationSeconds),
      pitchClassHistogram: stats.pitchClassHistogram,
      outOfRange: midiOutside(bytes, range),
      tokenStats,
    };
  }
  const tokens = parseTokenFile(bytes, file);
  const tokenStats = analyseTokens(tokens, vocab, file);
  return {
    file,
    kind: 'tokens',
    notes: tokenStats.noteOn,
    seconds: tokenStats.seconds,
    notesPerSecond: notesPerSecond(tokenStats.noteOn, tokenStats.seconds),
    pitchClassHistogram: tokenStats.pitchClassHistogram,
    outOfRange: tokensOutside(tokens, vocab, range),
    tokenStats,
  };
}

/**
 * @param {string} dir
 * @param {import('./token-analysis.mjs').VocabView} vocab
 * @param {MidiEncoder | null} encodeMidi
 * @param {import('./pitch-range.mjs').PitchRange} [range]
 * @returns {Promise<SampleStats[]>}
 */
export async function folderStats(dir, vocab, encodeMidi, range = PIANO) {
  const files = await listSampleFiles(dir);
  /** @type {SampleStats[]} */
  const out = [];
  for (const file of files) {
    const bytes = new Uint8Array(await readFile(join(dir, file)));
    out.push(sampleStats(bytes, join(dir, file), vocab, encodeMidi, range));
  }
  return out;
}
