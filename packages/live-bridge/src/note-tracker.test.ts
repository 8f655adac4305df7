import { describe, expect, it } from 'vitest';
import { noteOff, noteOn } from './messages.js';
import { NoteTracker } from './note-tracker.js';

describe('NoteTracker', () => {
  it('silences every sounding note, then sends CC 123 on each channel used', () => {
    const t = new NoteTracker();
    for (const m of [
      noteOn(0, 60, 90),
      noteOn(0, 64, 90),
      noteOff(0, 60),
      noteOn(2, 40, 1),
      noteOn(0, 64, 70),
    ]) {
      t.observe(m);
    }
    expect(t.soundingCount).toBe(3);
    const out = t.silence([5]);
    expect(out).toEqual([
      { type: 'noteoff', channel: 0, note: 64, velocity: 0 },
      { type: 'noteoff', channel: 0, note: 64, velocity: 0 },
      { type: 'noteoff', channel: 2, note: 40, velocity: 0 },
      { type: 'cc', channel: 0, controller: 123, value: 0 },
      { type: 'cc', channel: 2, controller: 123, value: 0 },
      { type: 'cc', channel: 5, controller: 123, value: 0 },
    ]);
    expect(t.soundingCount).toBe(0);
  });

  it('treats note-on with velocity 0 as note-off', () => {
    const t = new NoteTracker();
    t.observe(noteOn(0, 60, 90));
    t.observe(noteOn(0, 60, 0));
    expect(t.soundingCount).toBe(0);
  });
});
