// @ts-check
/**
 * A piano-roll picture of a MIDI file as PNG bytes (written with pngjs): time left to right, pitch bottom
 * to top, one row per semitone. The 88 piano keys (21-108) are always drawn; notes outside them widen
 * the picture and sit on a red-tinted background, so a note off the instrument is seen at once.
 */
import tonejs from '@tonejs/midi';
import pngjs from 'pngjs';
import { PIANO } from './pitch-range.mjs';

const { Midi } = tonejs;
const { PNG } = pngjs;
const DRUM_CHANNEL = 9;
const BLACK_KEYS = new Set([1, 3, 6, 8, 10]);

/** @typedef {{ pitch: number, start: number, end: number, velocity: number }} RollNote */

/**
 * Pitched notes of a MIDI file, seconds, velocity 0..1.
 * @param {Uint8Array} bytes
 * @returns {RollNote[]}
 */
export function rollNotes(bytes) {
  /** @type {RollNote[]} */
  const out = [];
  for (const track of new Midi(bytes).tracks) {
    if (track.channel === DRUM_CHANNEL) continue;
    for (const n of track.notes) {
      out.push({ pitch: n.midi, start: n.time, end: n.time + n.duration, velocity: n.velocity });
    }
  }
  return out;
}

/**
 * @param {RollNote[]} notes
 * @param {object} [options]
 * @param {number} [options.pxPerSecond] default 40
 * @param {number} [options.pxPerPitch] default 4
 * @param {number} [options.seconds] width of the time axis; default the last note's end (at least 1 s)
 * @returns {{ png: Buffer, width: number, height: number, low: number, high: number }}
 */
export function drawPianoRoll(notes, options = {}) {
  const pxPerSecond = options.pxPerSecond ?? 40;
  const pxPerPitch = options.pxPerPitch ?? 4;
  const seconds = options.seconds ?? Math.max(1, ...notes.map((n) => n.end));
  const low = Math.min(PIANO.low, ...notes.map((n) => n.pitch));
  const high = Math.max(PIANO.high, ...notes.map((n) => n.pitch));
  const width = Math.max(1, Math.ceil(seconds * pxPerSecond));
  const height = (high - low + 1) * pxPerPitch;
  const png = new PNG({ width, height });
  const data = png.data;
  /** @param {number} x @param {number} y @param {[number, number, number]} rgb */
  const set = (x, y, rgb) => {
    const i = (y * width + x) * 4;
    data[i] = rgb[0];
    data[i + 1] = rgb[1];
    data[i + 2] = rgb[2];
    data[i + 3] = 255;
  };
  /** Top row of pitch p. @param {number} p */
  const rowOf = (p) => (high - p) * pxPerPitch;
  for (let p = low; p <= high; p++) {
    const outside = p < PIANO.low || p > PIANO.high;
    const black = BLACK_KEYS.has(p % 12);
    /** @type {[number, number, number]} */
    const bg = outside ? [255, 224, 224] : black ? [228, 228, 232] : [246, 246, 248];
    for (let dy = 0; dy < pxPerPitch; dy++) {
      const y = rowOf(p) + dy;
      // The boundary between B and C (bottom edge of each C row) marks the octaves.
      const octaveLine = p % 12 === 0 && dy === pxPerPitch - 1;
      for (let x = 0; x < width; x++) {
        const secondLine = x % pxPerSecond === 0;
        const fiveLine = x % (pxPerSecond * 5) === 0;
        /** @type {[number, number, number]} */
        const c = octaveLine
          ? [170, 170, 180]
          : fiveLine
            ? [190, 190, 200]
            : secondLine
              ? [218, 218, 226]
              : bg;
        set(x, y, c);
      }
    }
  }
  for (const n of notes) {
    const x0 = Math.max(0, Math.floor(n.start * pxPerSecond));
    const x1 = Math.min(width, Math.max(x0 + 1, Math.ceil(n.end * pxPerSecond)));
    const v = Math.max(0, Math.min(1, n.velocity));
    const outside = n.pitch < PIANO.low || n.pitch > PIANO.high;
    /** @type {[number, number, number]} louder = darker */
    const fill = outside
      ? [200, 30, 30]
      : [Math.round(120 - 100 * v), Math.round(170 - 110 * v), Math.round(240 - 60 * v)];
    const top = rowOf(n.pitch);
    for (let dy = 0; dy < pxPerPitch; dy++) {
      for (let x = x0; x < x1; x++) set(x, top + dy, x === x0 ? [20, 20, 40] : fill);
    }
  }
  return { png: PNG.sync.write(png), width, height, low, high };
}
