import { describe, expect, it } from 'vitest';
import { PhraseCapture } from './phrase-capture.js';
import { seedLayoutCodec as codec } from './test-utils/seed-codec.js';

describe('PhraseCapture', () => {
  it('encodes the played notes as velocity, note-on, time-shift and note-off tokens', () => {
    const c = new PhraseCapture(codec);
    c.handle({ type: 'noteon', channel: 0, note: 60, velocity: 100 }, 1000);
    c.handle({ type: 'noteon', channel: 0, note: 64, velocity: 80 }, 1000);
    c.handle({ type: 'noteoff', channel: 0, note: 60, velocity: 0 }, 1400);
    c.handle({ type: 'noteon', channel: 0, note: 64, velocity: 0 }, 1600);
    expect(c.isSounding).toBe(false);
    expect(c.durationMs).toBe(600);
    expect(c.tokens()).toEqual([
      codec.velocity(100),
      codec.noteOn(60),
      codec.velocity(80),
      codec.noteOn(64),
      ...codec.timeShift(400),
      codec.noteOff(60),
      ...codec.timeShift(200),
      codec.noteOff(64),
    ]);
  });

  it('ignores non-note messages and note-offs of keys not held', () => {
    const c = new PhraseCapture(codec);
    expect(c.handle({ type: 'cc', channel: 0, controller: 1, value: 3 }, 0)).toBe(false);
    c.handle({ type: 'noteoff', channel: 0, note: 60, velocity: 0 }, 0);
    expect(c.isEmpty).toBe(true);
  });
});

describe('PhraseCapture quantisation', () => {
  it('does not accumulate rounding over many short gaps', () => {
    const c = new PhraseCapture(codec);
    // 20 notes 12 ms apart (1.5 steps of 8 ms each): rounding each gap alone would give 20 x 16 ms.
    for (let i = 0; i < 20; i++) {
      c.handle({ type: 'noteon', channel: 0, note: 60 + i, velocity: 64 }, i * 12);
      c.handle({ type: 'noteoff', channel: 0, note: 60 + i, velocity: 0 }, i * 12);
    }
    const total = c
      .tokens()
      .map((id) => codec.decode(id))
      .reduce((ms, m) => ms + (m.kind === 'time_shift' ? m.ms : 0), 0);
    expect(Math.abs(total - 19 * 12)).toBeLessThanOrEqual(4);
  });
});
