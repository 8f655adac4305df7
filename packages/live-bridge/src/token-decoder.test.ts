import { describe, expect, it } from 'vitest';
import { seedLayoutCodec as codec } from './test-utils/seed-codec.js';
import { TokenDecoder } from './token-decoder.js';

const make = (density = 1, draws: number[] = []) =>
  new TokenDecoder(codec, {
    maxNoteMs: 1000,
    density,
    rng: { next: () => draws.shift() ?? 0 },
    defaultVelocity: 64,
  });
const decodeAll = (d: TokenDecoder, ids: number[]) => ids.flatMap((id) => d.push(id));

describe('TokenDecoder', () => {
  it('turns velocity, note and time-shift tokens into timed note edges', () => {
    const d = make();
    const edges = decodeAll(d, [
      382 + 25,
      codec.noteOn(60),
      codec.timeShift(400)[0] as number,
      codec.noteOff(60),
    ]);
    expect(edges).toEqual([
      { musicMs: 0, on: true, pitch: 60, velocity: 100 },
      { musicMs: 400, on: false, pitch: 60, velocity: 0 },
    ]);
    expect(d.musicMs).toBe(400);
  });

  it('keeps velocity between notes (unlike the original, which resets it to 0)', () => {
    const d = make();
    const edges = decodeAll(d, [382 + 10, codec.noteOn(60), codec.noteOn(64)]);
    expect(edges.filter((e) => e.on).map((e) => e.velocity)).toEqual([40, 40]);
  });

  it('ends a sounding pitch before striking it again and ignores note-offs of silent pitches', () => {
    const d = make();
    const edges = decodeAll(d, [
      codec.noteOff(50),
      codec.noteOn(60),
      ...codec.timeShift(80),
      codec.noteOn(60),
    ]);
    expect(edges.map((e) => [e.musicMs, e.on, e.pitch])).toEqual([
      [0, true, 60],
      [80, false, 60],
      [80, true, 60],
    ]);
  });

  it('ends notes at maxNoteMs, inside a long time shift', () => {
    const d = make();
    const edges = decodeAll(d, [codec.noteOn(60), ...codec.timeShift(3000)]);
    expect(edges.at(-1)).toEqual({ musicMs: 1000, on: false, pitch: 60, velocity: 0 });
    expect(d.musicMs).toBe(3000);
  });

  it('thins notes by density, dropping the whole note', () => {
    const d = make(0.5, [0.9, 0.1]);
    const edges = decodeAll(d, [codec.noteOn(60), codec.noteOff(60), codec.noteOn(62), codec.noteOff(62)]);
    expect(edges.map((e) => e.pitch)).toEqual([62, 62]);
  });

  it('stops at the end token, closing sounding notes', () => {
    const d = make();
    const edges = decodeAll(d, [codec.noteOn(60), 415, codec.noteOn(61)]);
    expect(edges.map((e) => [e.on, e.pitch])).toEqual([
      [true, 60],
      [false, 60],
    ]);
    expect(d.isEnded).toBe(true);
  });
});
