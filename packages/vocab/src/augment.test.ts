import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { augmentations } from './augment.js';
import { tokensToStepNotes } from './decode.js';
import { encodeStepNotes } from './encode.js';
import { VocabError } from './errors.js';
import { stretch } from './stretch.js';
import { transpose } from './transpose.js';
import { createVocab } from './vocab.js';

const v = createVocab();
const stepNotesArb = fc.array(
  fc.record({
    pitch: fc.integer({ min: 0, max: 127 }),
    velocity: fc.integer({ min: 1, max: 127 }),
    startStep: fc.integer({ min: 0, max: 2000 }),
    endStep: fc.integer({ min: 0, max: 2400 }),
  }),
  { maxLength: 50 },
);
const tokensArb = stepNotesArb.map((ns) => encodeStepNotes(ns, v).tokens);

describe('transpose', () => {
  it('moves every note, keeps everything else, and +k then -k is the identity (property)', () => {
    fc.assert(
      fc.property(tokensArb, fc.integer({ min: -12, max: 12 }), (tokens, k) => {
        const up = transpose(tokens, k, v);
        const pitches = tokensToStepNotes(tokens).notes.map((n) => n.pitch);
        const fits = pitches.every((p) => p + k >= 0 && p + k <= 127);
        if (!fits) {
          expect(up).toBeNull(); // skipped, never kept unshifted as the original did
          return;
        }
        expect(up).not.toBeNull();
        expect(tokensToStepNotes(up!).notes.map((n) => n.pitch)).toEqual(pitches.map((p) => p + k));
        expect(Array.from(transpose(up!, -k, v)!)).toEqual(Array.from(tokens));
      }),
    );
  });

  it('returns null when one note would leave the range of a smaller vocab', () => {
    const piano = createVocab({ minPitch: 21, maxPitch: 108 });
    const ids = [piano.noteOn(107), piano.timeShift(3), piano.noteOff(107)];
    expect(transpose(ids, 1, piano)).not.toBeNull();
    expect(transpose(ids, 2, piano)).toBeNull();
    expect(transpose([piano.noteOn(21)], -1, piano)).toBeNull();
    expect(() => transpose(ids, 0.5, piano)).toThrow(VocabError);
  });
});

describe('stretch', () => {
  it('is the identity at factor 1 (no off-by-one: the original added a step to every shift)', () => {
    fc.assert(
      fc.property(tokensArb, (tokens) => {
        expect(Array.from(stretch(tokens, 1, v))).toEqual(Array.from(tokens));
      }),
    );
    // The original turned [shift 1, shift 125] into 1024 ms = [125, 3]; 126 steps stay 126.
    const ids = [v.noteOn(60), v.timeShift(1), v.timeShift(125), v.noteOff(60)];
    expect(Array.from(stretch(ids, 1, v))).toEqual([
      v.noteOn(60),
      v.timeShift(125),
      v.timeShift(1),
      v.noteOff(60),
    ]);
  });

  it('puts every event at round(original time x factor): no accumulated rounding (property)', () => {
    fc.assert(
      fc.property(tokensArb, fc.double({ min: 0.5, max: 2, noNaN: true }), (tokens, f) => {
        const a = tokensToStepNotes(tokens, { maxNoteSeconds: 1e6 }).notes;
        const b = tokensToStepNotes(stretch(tokens, f, v), { maxNoteSeconds: 1e6 }).notes;
        const r = (t: number) => Math.floor(t * f + 0.5);
        // Notes that round to zero length are dropped by the decoder; compare the rest.
        const want = a
          .map((n) => ({ ...n, startStep: r(n.startStep), endStep: r(n.endStep) }))
          .filter((n) => n.endStep > n.startStep);
        expect(b.map((n) => [n.pitch, n.startStep, n.endStep])).toEqual(
          want
            .sort((x, y) => x.startStep - y.startStep || x.pitch - y.pitch)
            .map((n) => [n.pitch, n.startStep, n.endStep]),
        );
      }),
    );
  });

  it('keeps trailing time inside the window (the original leaked it into the next window)', () => {
    const w1 = [v.noteOn(60), v.timeShift(100), v.noteOff(60), v.timeShift(40)];
    const w2 = [v.noteOn(62), v.timeShift(10), v.noteOff(62)];
    const s1 = stretch(w1, 1.1, v);
    const s2 = stretch(w2, 1.1, v);
    expect(Array.from(s1, (id) => v.name(id))).toEqual([
      'note_on_60',
      'time_shift_110',
      'note_off_60',
      'time_shift_44',
    ]);
    expect(Array.from(s2, (id) => v.name(id))).toEqual(['note_on_62', 'time_shift_11', 'note_off_62']);
    expect(() => stretch(w1, 0, v)).toThrow(/factor must be a positive number, got 0/);
  });
});

describe('augmentations', () => {
  it('defaults to the original 5 x 5 grid, transposition outer', () => {
    const a = augmentations();
    expect(a.length).toBe(25);
    expect([...new Set(a.map((x) => x.semitones))]).toEqual([-2, -1, 0, 1, 2]);
    expect(a.slice(0, 5).map((x) => x.stretch)).toEqual([1 / 1.1, 1 / 1.05, 1, 1.05, 1.1]);
    expect(augmentations([0], [1.2], { reciprocals: false })).toEqual([{ semitones: 0, stretch: 1.2 }]);
    expect(() => augmentations([0.5])).toThrow(VocabError);
    expect(() => augmentations([0], [-1])).toThrow(/stretch -1/);
  });
});
