import { buildSmf, cc, off, on, type RawEvent } from './smf.js';

/** The piano line of `pianoAndDrumsMidi`: one note per beat on channel 1 (0-based 0). */
export const PIANO_PITCHES = [60, 62, 64, 65, 67, 69, 71, 72];
/** Kick and snare (GM 36, 38): inside the seed vocab's 21..108 range, so only the channel decides their fate. */
export const DRUM_PITCHES = [36, 38];
const DRUM_CHANNEL = 9; // General MIDI channel 10

/**
 * A format-0 file, 480 ticks per beat at the default 120 bpm: the piano line (velocity 80, each note
 * 400 ticks) and kick/snare alternating every half beat on channel 10 (velocity 100, 60 ticks each).
 * With `sustain`, the pedal (CC64) is held on the piano's channel from the start to tick 3900.
 */
export function pianoAndDrumsMidi(options: { sustain?: boolean } = {}): Uint8Array {
  const events: RawEvent[] = options.sustain ? [cc(0, 64, 127), cc(3900, 64, 0)] : [];
  PIANO_PITCHES.forEach((pitch, i) => {
    events.push(on(i * 480, pitch, 80), off(i * 480 + 400, pitch));
  });
  for (let i = 0; i < 16; i++) {
    const pitch = DRUM_PITCHES[i % 2] as number;
    events.push(on(i * 240, pitch, 100, DRUM_CHANNEL), off(i * 240 + 60, pitch, DRUM_CHANNEL));
  }
  // A stable sort: at equal ticks the pedal comes first, then the piano, then the drums.
  events.sort((a, b) => a.tick - b.tick);
  return buildSmf([events]);
}
