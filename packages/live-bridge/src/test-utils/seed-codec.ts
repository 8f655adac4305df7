import type { TokenCodec, TokenMeaning } from '../codec.js';

/**
 * A codec with the original project's layout (docs/original-project.md: pad 0, note-on 1..128, note-off 129..256,
 * 125 time shifts of 8 ms, 32 velocity bins of 4, start 414, end 415), for tests that run without
 * the vocab package.
 */
export const seedLayoutCodec: TokenCodec = {
  size: 416,
  minPitch: 0,
  maxPitch: 127,
  start: 414,
  decode(id: number): TokenMeaning {
    if (!Number.isInteger(id) || id < 0 || id >= 416) throw new RangeError(`token id ${id} out of range`);
    if (id >= 1 && id <= 128) return { kind: 'note_on', pitch: id - 1 };
    if (id >= 129 && id <= 256) return { kind: 'note_off', pitch: id - 129 };
    if (id >= 257 && id <= 381) return { kind: 'time_shift', ms: (id - 256) * 8 };
    if (id >= 382 && id <= 413) return { kind: 'velocity', velocity: Math.max(1, (id - 382) * 4) };
    if (id === 415) return { kind: 'end' };
    return { kind: 'none' };
  },
  noteOn: (p) => p + 1,
  noteOff: (p) => p + 129,
  velocity: (v) => 382 + Math.min(31, Math.floor(v / 4)),
  timeShift(ms) {
    const out: number[] = [];
    let steps = Math.round(ms / 8);
    while (steps > 0) {
      const s = Math.min(125, steps);
      out.push(256 + s);
      steps -= s;
    }
    return out;
  },
};
