import { describe, expect, it } from 'vitest';
import { parseVocabConfig, presets } from './config.js';
import { VocabError } from './errors.js';
import { createVocab } from './vocab.js';

describe("seed vocab (the original project's layout)", () => {
  const v = createVocab();

  it('has the 416-id layout of the original', () => {
    expect(v.size).toBe(416);
    expect([v.pad, v.start, v.end]).toEqual([0, 414, 415]);
    expect([v.noteOn(0), v.noteOn(127), v.noteOff(0), v.noteOff(127)]).toEqual([1, 128, 129, 256]);
    expect([v.timeShift(1), v.timeShift(125), v.velocity(0), v.velocity(31)]).toEqual([257, 381, 382, 413]);
    expect(v.stepMs).toBe(8);
    for (let id = 257; id <= 381; id++) expect(v.valueOf(id)).toBe(id - 256);
  });

  it('names every id uniquely and idOf inverts name', () => {
    const names = Array.from({ length: v.size }, (_, i) => v.name(i));
    expect(new Set(names).size).toBe(v.size);
    expect(names.map((n) => v.idOf(n))).toEqual(names.map((_, i) => i));
    expect([v.name(61), v.name(189), v.name(257), v.name(382), v.name(0)]).toEqual([
      'note_on_60',
      'note_off_60',
      'time_shift_1',
      'set_velocity_0',
      '<pad>',
    ]);
  });

  it('describes ids for humans', () => {
    expect(v.describe(61)).toBe('note_on 60 (C4)');
    expect(v.describe(259)).toBe('time_shift 3 steps (24 ms)');
    expect(v.describe(402)).toBe('velocity bin 20 (MIDI 80-83)');
    expect(v.describe(415)).toBe('end of sequence');
  });

  it('bins velocity as the original (v // 4) and decodes inside the same bin, never to 0', () => {
    for (let vel = 0; vel <= 127; vel++) expect(v.binOfVelocity(vel)).toBe(Math.floor(vel / 4));
    for (let b = 0; b < 32; b++) {
      const vel = v.velocityOfBin(b);
      expect(vel).toBeGreaterThan(0);
      expect(v.binOfVelocity(vel)).toBe(b);
    }
  });

  it('throws typed errors for out-of-range ids and arguments', () => {
    expect(() => v.kindOf(416)).toThrow(VocabError);
    expect(() => v.name(-1)).toThrow(/\[0, 415\], got -1/);
    expect(() => v.noteOn(128)).toThrow(/pitch/);
    expect(() => v.timeShift(0)).toThrow(/time shift steps/);
    expect(() => v.idOf('note_on_200')).toThrow(/unknown token name 'note_on_200'/);
    try {
      v.kindOf(1.5);
    } catch (e) {
      expect((e as VocabError).code).toBe('BAD_TOKEN');
    }
  });
});

describe('performance-rnn preset and custom configs', () => {
  it('has 388 events plus pad/start/end', () => {
    const v = createVocab(presets['performance-rnn']);
    expect(v.size).toBe(391);
    expect([v.timeShift(1), v.timeShift(100), v.velocity(0), v.start, v.end]).toEqual([
      257, 356, 357, 389, 390,
    ]);
    expect(v.stepMs).toBe(10);
  });

  it('builds a piano-range vocab whose ids follow the config', () => {
    const v = createVocab({ name: 'piano', minPitch: 21, maxPitch: 108, velocityBins: 16 });
    expect(v.size).toBe(1 + 88 * 2 + 125 + 16 + 2);
    expect(v.noteOn(21)).toBe(1);
    expect(v.name(v.noteOff(108))).toBe('note_off_108');
    expect(() => v.noteOn(20)).toThrow(VocabError);
    expect(v.binOfVelocity(127)).toBe(15);
  });

  it('a vocab config survives JSON (as stored in datasets and checkpoints) and rebuilds the same ids', () => {
    const v = createVocab({ name: 'piano', minPitch: 21, maxPitch: 108, sustain: 'ignore' });
    const again = createVocab(JSON.parse(JSON.stringify(v.config)));
    expect(again.config).toEqual(v.config);
    expect(Array.from({ length: v.size }, (_, i) => again.name(i))).toEqual(
      Array.from({ length: v.size }, (_, i) => v.name(i)),
    );
  });

  it('parseVocabConfig fills from the seed preset and rejects bad input with BAD_CONFIG', () => {
    expect(parseVocabConfig({})).toEqual(presets.seed);
    expect(parseVocabConfig({ stepMs: 10 }).stepMs).toBe(10);
    const bad: [unknown, RegExp][] = [
      [{ stepsMs: 10 }, /unknown key 'stepsMs'/],
      [{ stepMs: 0 }, /'stepMs' must be an integer in \[1, 1000\], got 0/],
      [{ minPitch: 60, maxPitch: 59 }, /minPitch 60 is above maxPitch 59/],
      [{ sustain: 'hold' }, /'sustain' must be 'extend' or 'ignore'/],
      [{ name: '' }, /'name' must be a non-empty string/],
      [[1], /must be an object/],
      ['seed', /must be an object/],
    ];
    for (const [input, msg] of bad) {
      expect(() => parseVocabConfig(input)).toThrow(msg);
      try {
        parseVocabConfig(input);
      } catch (e) {
        expect((e as VocabError).code).toBe('BAD_CONFIG');
      }
    }
  });
});
