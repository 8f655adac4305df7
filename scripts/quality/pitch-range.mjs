// @ts-check
/** Notes outside an instrument's range, in token streams and MIDI files (piano 21-108 by default). */
import tonejs from '@tonejs/midi';
import { QualityError } from './errors.mjs';

const { Midi } = tonejs;
const DRUM_CHANNEL = 9;

/** @typedef {{ low: number, high: number }} PitchRange */

/** @type {PitchRange} */
export const PIANO = Object.freeze({ low: 21, high: 108 });

/**
 * `LO-HI` in MIDI note numbers.
 * @param {string} text
 * @returns {PitchRange}
 */
export function parseRange(text) {
  const m = /^(\d{1,3})-(\d{1,3})$/.exec(text.trim());
  const low = Number(m?.[1]);
  const high = Number(m?.[2]);
  if (!m || low > high || high > 127) {
    throw new QualityError(
      'BAD_ARGS',
      `--pitch-range must be LO-HI with 0 <= LO <= HI <= 127, got '${text}'`,
    );
  }
  return { low, high };
}

/**
 * Note-ons outside `range` in a token stream (up to its <end>).
 * @param {ArrayLike<number>} tokens
 * @param {import('./token-analysis.mjs').VocabView} vocab
 * @param {PitchRange} range
 */
export function tokensOutside(tokens, vocab, range) {
  let outside = 0;
  for (let i = 0; i < tokens.length; i++) {
    const kind = vocab.kindOf(tokens[i]);
    if (kind === 'end') break;
    if (kind !== 'note_on') continue;
    const pitch = vocab.valueOf(tokens[i]);
    if (pitch < range.low || pitch > range.high) outside++;
  }
  return outside;
}

/**
 * Pitched (non-drum) notes outside `range` in a MIDI file already known to parse.
 * @param {Uint8Array} bytes
 * @param {PitchRange} range
 */
export function midiOutside(bytes, range) {
  let outside = 0;
  for (const track of new Midi(bytes).tracks) {
    if (track.channel === DRUM_CHANNEL) continue;
    for (const n of track.notes) if (n.midi < range.low || n.midi > range.high) outside++;
  }
  return outside;
}
