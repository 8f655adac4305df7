// @ts-check
/**
 * Per-file figures for the manifest, read with @tonejs/midi (tempo map applied, so seconds are real
 * seconds). @tonejs/midi splits tracks by channel and program, so a track on channel 10 (index 9)
 * holds only General MIDI drums; those notes are counted apart because training excludes them.
 */
import tonejs from '@tonejs/midi';
import { CorpusError } from './errors.mjs';

const { Midi } = tonejs;
const DRUM_CHANNEL = 9;

/**
 * @typedef {object} MidiStats
 * @property {number} notes all notes, drums included
 * @property {number} drumNotes notes on MIDI channel 10
 * @property {number} durationSeconds end of the last note (any channel), in seconds
 * @property {number} tracks tracks that hold at least one note (after the channel split of tonejs)
 * @property {number[]} programs distinct General MIDI programs of the pitched tracks, ascending
 * @property {number[]} pitchClassHistogram 12 counts (C, C#, ..., B) of the pitched (non-drum) notes
 * @property {[number, number] | null} pitchRange lowest and highest pitched note, null if none
 */

/**
 * @param {Uint8Array} bytes a standard MIDI file
 * @param {string} fileName named in the error if the bytes do not parse
 * @returns {MidiStats}
 */
export function midiStats(bytes, fileName) {
  /** @type {InstanceType<typeof Midi>} */
  let midi;
  try {
    midi = new Midi(bytes);
  } catch (cause) {
    const why = cause instanceof Error ? cause.message : String(cause);
    throw new CorpusError('BAD_MIDI', `${fileName}: not a readable MIDI file (${why})`, { cause });
  }
  let notes = 0;
  let drumNotes = 0;
  let tracks = 0;
  let durationSeconds = 0;
  let low = 128;
  let high = -1;
  const programs = new Set();
  const pitchClassHistogram = new Array(12).fill(0);
  for (const track of midi.tracks) {
    if (track.notes.length === 0) continue;
    tracks++;
    const drums = track.channel === DRUM_CHANNEL;
    if (!drums) programs.add(track.instrument.number);
    for (const note of track.notes) {
      notes++;
      durationSeconds = Math.max(durationSeconds, note.time + note.duration);
      if (drums) {
        drumNotes++;
        continue;
      }
      pitchClassHistogram[note.midi % 12]++;
      low = Math.min(low, note.midi);
      high = Math.max(high, note.midi);
    }
  }
  return {
    notes,
    drumNotes,
    durationSeconds: Math.round(durationSeconds * 1000) / 1000,
    tracks,
    programs: [...programs].sort((a, b) => a - b),
    pitchClassHistogram,
    pitchRange: high < 0 ? null : [low, high],
  };
}
