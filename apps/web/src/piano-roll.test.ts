import { describe, expect, it } from 'vitest';
import { noteRect, pitchRange, type RollView } from './piano-roll.js';

describe('pitchRange', () => {
  it('pads to at least two octaves around the notes', () => {
    const [lo, hi] = pitchRange([
      { pitch: 60, start: 0, end: 1, velocity: 1 },
      { pitch: 64, start: 0, end: 1, velocity: 1 },
    ]);
    expect(hi - lo).toBe(24);
    expect(lo).toBeLessThanOrEqual(58);
    expect(hi).toBeGreaterThanOrEqual(66);
  });

  it('slides the two-octave window inside the MIDI range', () => {
    expect(pitchRange([{ pitch: 0, start: 0, end: 1, velocity: 1 }])).toEqual([0, 24]);
    expect(pitchRange([{ pitch: 127, start: 0, end: 1, velocity: 1 }])).toEqual([103, 127]);
  });
});

describe('noteRect', () => {
  const view: RollView = { t0: 0, t1: 10, lowPitch: 60, highPitch: 69, width: 1000, height: 100 };

  it('maps time to x and pitch to rows from the top', () => {
    expect(noteRect({ pitch: 69, start: 2, end: 3, velocity: 1 }, view)).toEqual({
      x: 200,
      y: 0,
      w: 100,
      h: 9.5,
    });
    expect(noteRect({ pitch: 60, start: 0, end: 10, velocity: 1 }, view)).toMatchObject({
      x: 0,
      y: 90,
      w: 1000,
    });
  });

  it('keeps very short notes visible (one pixel)', () => {
    expect(noteRect({ pitch: 65, start: 1, end: 1, velocity: 1 }, view).w).toBe(1);
  });
});
