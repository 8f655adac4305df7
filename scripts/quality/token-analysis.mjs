// @ts-check
/**
 * Figures of one token stream, read with the vocab's own id -> meaning functions (`kindOf`,
 * `valueOf`), so it works for any VocabConfig. Ill-formed events are defined on the stream:
 * - noteOffWithoutNoteOn: a note-off for a pitch that is not sounding (it is then ignored);
 * - noteOnWhileSounding: a note-on for a pitch that is already sounding (the pitch stays sounding once);
 * - openAtEnd: pitches still sounding at the end of the stream (or at `<end>`).
 * `<pad>` and `<start>` are skipped; tokens after `<end>` are not analysed (counted in afterEnd).
 */

import { QualityError } from './errors.mjs';
import { addCounts } from './histogram.mjs';

/**
 * The part of `Vocab` (@music-transformer/vocab) this module needs.
 * @typedef {object} VocabView
 * @property {number} size
 * @property {number} stepMs milliseconds per time-shift step
 * @property {(id: number) => 'pad' | 'note_on' | 'note_off' | 'time_shift' | 'velocity' | 'start' | 'end'} kindOf
 * @property {(id: number) => number} valueOf pitch for notes, steps for shifts
 */

/**
 * @typedef {object} TokenStats
 * @property {number} tokens ids analysed (up to and including `<end>`)
 * @property {number} afterEnd ids after `<end>`, ignored
 * @property {number} noteOn
 * @property {number} noteOff
 * @property {number} noteOffWithoutNoteOn
 * @property {number} noteOnWhileSounding
 * @property {number} openAtEnd
 * @property {number} seconds sum of all time shifts
 * @property {number[]} pitchClassHistogram 12 counts of note-on pitches (C..B)
 */

/**
 * @param {ArrayLike<number>} tokens
 * @param {VocabView} vocab
 * @param {string} name the stream's file, named in the error for an id outside the vocab
 * @returns {TokenStats}
 */
export function analyseTokens(tokens, vocab, name) {
  const sounding = new Uint8Array(128);
  const pitchClassHistogram = new Array(12).fill(0);
  let noteOn = 0;
  let noteOff = 0;
  let noteOffWithoutNoteOn = 0;
  let noteOnWhileSounding = 0;
  let steps = 0;
  let analysed = 0;
  for (; analysed < tokens.length; analysed++) {
    const id = tokens[analysed];
    if (!Number.isInteger(id) || id < 0 || id >= vocab.size) {
      throw new QualityError(
        'BAD_INPUT',
        `${name}: token ${analysed} is ${id}, outside the vocab's ids 0..${vocab.size - 1}`,
      );
    }
    const kind = vocab.kindOf(id);
    if (kind === 'end') {
      analysed++;
      break;
    }
    if (kind === 'note_on') {
      const pitch = vocab.valueOf(id);
      noteOn++;
      pitchClassHistogram[pitch % 12]++;
      if (sounding[pitch]) noteOnWhileSounding++;
      sounding[pitch] = 1;
    } else if (kind === 'note_off') {
      const pitch = vocab.valueOf(id);
      noteOff++;
      if (!sounding[pitch]) noteOffWithoutNoteOn++;
      sounding[pitch] = 0;
    } else if (kind === 'time_shift') {
      steps += vocab.valueOf(id);
    }
  }
  let openAtEnd = 0;
  for (const s of sounding) openAtEnd += s;
  return {
    tokens: analysed,
    afterEnd: tokens.length - analysed,
    noteOn,
    noteOff,
    noteOffWithoutNoteOn,
    noteOnWhileSounding,
    openAtEnd,
    seconds: (steps * vocab.stepMs) / 1000,
    pitchClassHistogram,
  };
}

/**
 * Adds up the stats of several streams (counts and seconds are summed).
 * @param {TokenStats[]} all
 * @returns {TokenStats}
 */
export function sumTokenStats(all) {
  const total = {
    tokens: 0,
    afterEnd: 0,
    noteOn: 0,
    noteOff: 0,
    noteOffWithoutNoteOn: 0,
    noteOnWhileSounding: 0,
    openAtEnd: 0,
    seconds: 0,
    pitchClassHistogram: new Array(12).fill(0),
  };
  for (const s of all) {
    total.tokens += s.tokens;
    total.afterEnd += s.afterEnd;
    total.noteOn += s.noteOn;
    total.noteOff += s.noteOff;
    total.noteOffWithoutNoteOn += s.noteOffWithoutNoteOn;
    total.noteOnWhileSounding += s.noteOnWhileSounding;
    total.openAtEnd += s.openAtEnd;
    total.seconds += s.seconds;
    addCounts(total.pitchClassHistogram, s.pitchClassHistogram);
  }
  return total;
}

/**
 * Share of ill-formed events among the note events of the stream(s). `share` counts all three kinds,
 * as check-samples defines it; `shareWithoutOpenAtEnd` leaves out notes open at the end, which a sample cut
 * at a fixed token budget has even when the model is perfect.
 * @param {TokenStats} s
 */
export function illFormedShare(s) {
  const noteEvents = s.noteOn + s.noteOff;
  const inStream = s.noteOffWithoutNoteOn + s.noteOnWhileSounding;
  const total = inStream + s.openAtEnd;
  return {
    noteOffWithoutNoteOn: s.noteOffWithoutNoteOn,
    noteOnWhileSounding: s.noteOnWhileSounding,
    openAtEnd: s.openAtEnd,
    total,
    noteEvents,
    share: noteEvents === 0 ? null : total / noteEvents,
    shareWithoutOpenAtEnd: noteEvents === 0 ? null : inStream / noteEvents,
  };
}
