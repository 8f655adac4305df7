import { createVocab } from '@music-transformer/vocab';
import { describe, expect, it } from 'vitest';
import { DEFAULT_ENDING_RAMP, endingRamp, parseEndingRamp, rampPosition } from './ending-ramp.js';

const vocab = createVocab();
const ids = { end: vocab.end, noteOn: vocab.ranges.note_on, noteOff: vocab.ranges.note_off };

describe('ending ramp', () => {
  it('places a value between the zone start and the limit', () => {
    expect(rampPosition(0, 85, 100)).toBe(0);
    expect(rampPosition(85, 85, 100)).toBe(0);
    expect(rampPosition(92.5, 85, 100)).toBeCloseTo(0.5, 12);
    expect(rampPosition(100, 85, 100)).toBe(1);
    expect(rampPosition(130, 85, 100)).toBe(1);
    expect(rampPosition(5, 10, 10)).toBe(0);
  });

  it('adds biases growing as the square of the position; masked ids stay masked; input untouched', () => {
    let r = 0;
    const ramp = endingRamp(ids, () => r, parseEndingRamp({ endBias: 8, noteOnPenalty: 4, noteOffBoost: 2 }));
    const logits = new Float32Array(vocab.size);
    logits[vocab.noteOff(60)] = Number.NEGATIVE_INFINITY;
    expect(ramp(logits, [])).toBe(logits); // before the zone: no copy, no change
    r = 0.5;
    const half = ramp(logits, []);
    expect(half[vocab.end]).toBeCloseTo(8 * 0.25, 6);
    expect(half[vocab.noteOn(60)]).toBeCloseTo(-4 * 0.25, 6);
    expect(half[vocab.noteOff(61)]).toBeCloseTo(2 * 0.25, 6);
    expect(half[vocab.noteOff(60)]).toBe(Number.NEGATIVE_INFINITY);
    expect(half[vocab.timeShift(10)]).toBe(0);
    r = 1;
    expect(ramp(logits, [])[vocab.end]).toBeCloseTo(8, 6);
    expect(logits[vocab.end]).toBe(0);
  });

  it('fills defaults and refuses bad settings', () => {
    expect(parseEndingRamp()).toEqual(DEFAULT_ENDING_RAMP);
    expect(parseEndingRamp({ zone: 0.1 }).zone).toBe(0.1);
    expect(() => parseEndingRamp({ zone: 0 })).toThrow(/endingRamp.zone must be in \(0, 1\], got 0/);
    expect(() => parseEndingRamp({ endBias: -1 })).toThrow(/endingRamp.endBias must be a finite number >= 0/);
    expect(() => parseEndingRamp({ maxZoneSeconds: 0 })).toThrow(/maxZoneSeconds must be > 0/);
    expect(() => parseEndingRamp({ zones: 1 } as never)).toThrow(/unknown endingRamp option 'zones'/);
  });
});
