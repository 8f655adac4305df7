import * as tonejs from '@tonejs/midi';
import { describe, expect, it } from 'vitest';
import { ALL_NOTES_OFF, noteOff, noteOn } from './messages.js';
import { MidiRecorder, RECORD_PPQ } from './recorder.js';

const ns = tonejs as typeof tonejs & { default?: typeof tonejs };
const Midi: typeof tonejs.Midi = ns.Midi ?? (ns.default as typeof tonejs).Midi;

describe('MidiRecorder', () => {
  it('writes the tempo and the notes at their send times, readable by a MIDI parser', () => {
    const r = new MidiRecorder(120);
    r.add(noteOn(1, 60, 100), 1000);
    r.add(noteOn(1, 64, 80), 1250);
    r.add(noteOff(1, 60), 1500); // one beat after the first note-on at 120 BPM
    r.add(noteOff(1, 64), 1750);
    r.add({ type: 'cc', channel: 1, controller: ALL_NOTES_OFF, value: 0 }, 1750);
    const midi = new Midi(r.toBytes());
    expect(midi.header.ppq).toBe(RECORD_PPQ);
    expect(midi.header.tempos[0]?.bpm).toBeCloseTo(120, 6);
    const track = midi.tracks.find((t) => t.notes.length > 0);
    expect(track?.channel).toBe(1);
    expect(track?.notes.map((n) => [n.midi, n.ticks, n.durationTicks, Math.round(n.velocity * 127)])).toEqual(
      [
        [60, 0, 960, 100],
        [64, 480, 960, 80],
      ],
    );
    expect(track?.controlChanges[ALL_NOTES_OFF]?.map((c) => [c.ticks, c.value])).toEqual([[1440, 0]]);
  });

  it('ends notes still sounding at the last message, pairs repeated pitches in order, drops stray offs', () => {
    const r = new MidiRecorder(60); // 1000 ms per beat
    r.add(noteOff(0, 50), 0); // no note-on: dropped
    r.add(noteOn(0, 60, 90), 0);
    r.add(noteOn(0, 60, 70), 500); // a second voice of the same pitch
    r.add(noteOff(0, 60), 1000); // ends the first
    r.add(noteOn(0, 62, 60), 1500); // never released
    r.add(noteOff(0, 60), 2000); // ends the second
    const notes = new Midi(r.toBytes()).tracks.flatMap((t) => t.notes);
    expect(notes.map((n) => [n.midi, n.ticks, n.durationTicks])).toEqual([
      [60, 0, 960],
      [60, 480, 1440],
      [62, 1440, 480],
    ]);
  });
});
