import tonejs from '@tonejs/midi';
import { describe, expect, it } from 'vitest';
import { DRUM_PITCHES, PIANO_PITCHES, pianoAndDrumsMidi } from './band.js';

/** Read back by an independent parser (which splits a format-0 track by channel). */
describe('pianoAndDrumsMidi', () => {
  it('puts the piano line on channel 1 and kick/snare on channel 10, the pedal only when asked', () => {
    for (const sustain of [false, true]) {
      const midi = new tonejs.Midi(pianoAndDrumsMidi({ sustain }));
      expect(midi.header.ppq).toBe(480);
      expect(midi.tracks.map((t) => t.channel)).toEqual([0, 9]);
      const [piano, drums] = midi.tracks;
      const notes = (t: typeof piano) =>
        t!.notes.map((n) => [n.midi, n.ticks, n.durationTicks, Math.round(n.velocity * 127)]);
      expect(notes(piano)).toEqual(PIANO_PITCHES.map((p, i) => [p, i * 480, 400, 80]));
      expect(notes(drums)).toEqual(
        Array.from({ length: 16 }, (_, i) => [DRUM_PITCHES[i % 2], i * 240, 60, 100]),
      );
      const pedal = (piano!.controlChanges[64] ?? []).map((c) => [c.ticks, c.value]);
      expect(pedal).toEqual(
        sustain
          ? [
              [0, 1],
              [3900, 0],
            ]
          : [],
      );
    }
  });
});
