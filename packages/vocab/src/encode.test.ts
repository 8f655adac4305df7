import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { presets } from './config.js';
import { tokensToNotes, tokensToStepNotes } from './decode.js';
import { encodeStepNotes, notesToTokens } from './encode.js';
import type { Note, StepNote } from './notes.js';
import { createVocab, type Vocab } from './vocab.js';

const seed = createVocab();
const prnn = createVocab(presets['performance-rnn']);
const names = (ids: ArrayLike<number>, v: Vocab = seed) => Array.from(ids, (id) => v.name(id));

/** Random notes whose same-pitch notes never overlap and last 1 step .. 4.9 s: the exact round-trip domain. */
function notesArb(v: Vocab): fc.Arbitrary<Note[]> {
  const step = v.stepMs / 1000;
  const note = fc.record({
    pitch: fc.integer({ min: v.config.minPitch, max: v.config.maxPitch }),
    velocity: fc.integer({ min: 1, max: 127 }),
    start: fc.double({ min: 0, max: 30, noNaN: true }),
    dur: fc.double({ min: step, max: 4.9, noNaN: true }),
  });
  return fc.array(note, { maxLength: 80 }).map((raw) => {
    const lastEnd = new Map<number, number>();
    const out: Note[] = [];
    for (const r of [...raw].sort((a, b) => a.start - b.start)) {
      if (r.start < (lastEnd.get(r.pitch) ?? -1)) continue;
      lastEnd.set(r.pitch, r.start + r.dur);
      out.push({ pitch: r.pitch, velocity: r.velocity, start: r.start, end: r.start + r.dur });
    }
    return out;
  });
}

describe('notes -> tokens -> notes', () => {
  it('keeps pitch, onset/offset within half a step and velocity within one bin (property)', () => {
    for (const v of [seed, prnn]) {
      const half = v.stepMs / 2000 + 1e-9;
      fc.assert(
        fc.property(notesArb(v), (notes) => {
          const { tokens, stats } = notesToTokens(notes, v);
          expect(stats).toEqual({ zeroLengthExtended: 0, overlapsTruncated: 0, duplicatesMerged: 0 });
          const back = tokensToNotes(tokens, { vocab: v }).notes;
          const want = [...notes].sort(
            (a, b) => Math.round(a.start * 1e6) - Math.round(b.start * 1e6) || a.pitch - b.pitch,
          );
          expect(back.length).toBe(notes.length);
          // Pair by pitch in onset order: same-pitch notes never overlap, so order per pitch is unambiguous.
          for (let p = 0; p < 128; p++) {
            const a = want.filter((n) => n.pitch === p);
            const b = back.filter((n) => n.pitch === p);
            expect(b.length).toBe(a.length);
            a.forEach((n, i) => {
              const m = b[i]!;
              expect(Math.abs(m.start - n.start)).toBeLessThanOrEqual(half);
              expect(Math.abs(m.end - n.end)).toBeLessThanOrEqual(half);
              expect(v.binOfVelocity(m.velocity)).toBe(v.binOfVelocity(n.velocity));
            });
          }
        }),
        { numRuns: 200 },
      );
    }
  });

  it('is a fixed point after one pass: encode(decode(encode(x))) === encode(x)', () => {
    fc.assert(
      fc.property(notesArb(seed), (notes) => {
        const once = notesToTokens(notes, seed).tokens;
        const twice = encodeStepNotes(tokensToStepNotes(once).notes, seed).tokens;
        expect(Array.from(twice)).toEqual(Array.from(once));
      }),
    );
  });
});

describe('encoder rules', () => {
  it('writes velocity only when the bin changes and splits long gaps into full shifts', () => {
    const notes: StepNote[] = [
      { pitch: 60, velocity: 80, startStep: 0, endStep: 10 },
      { pitch: 62, velocity: 83, startStep: 260, endStep: 270 },
      { pitch: 64, velocity: 84, startStep: 270, endStep: 271 },
    ];
    expect(names(encodeStepNotes(notes, seed).tokens)).toEqual([
      'set_velocity_20',
      'note_on_60',
      'time_shift_10',
      'note_off_60',
      'time_shift_125',
      'time_shift_125',
      'note_on_62',
      'time_shift_10',
      'note_off_62',
      'set_velocity_21',
      'note_on_64',
      'time_shift_1',
      'note_off_64',
    ]);
  });

  it('handles overlaps, duplicates and zero-length notes deterministically and counts them', () => {
    const notes: StepNote[] = [
      { pitch: 60, velocity: 64, startStep: 0, endStep: 20 },
      { pitch: 60, velocity: 64, startStep: 10, endStep: 30 }, // re-struck: the first ends at 10
      { pitch: 67, velocity: 40, startStep: 5, endStep: 8 },
      { pitch: 67, velocity: 90, startStep: 5, endStep: 12 }, // doubled: kept once, longest and loudest
      { pitch: 72, velocity: 64, startStep: 40, endStep: 40 }, // zero length: one step
    ];
    const { tokens, stats } = encodeStepNotes(notes, seed);
    expect(stats).toEqual({ zeroLengthExtended: 1, overlapsTruncated: 1, duplicatesMerged: 1 });
    expect(tokensToStepNotes(tokens).notes).toEqual([
      // Decoded velocity is the middle of the bin: bin 16 (64..67) -> 65, bin 22 (88..91) -> 89.
      { pitch: 60, velocity: 65, startStep: 0, endStep: 10 },
      { pitch: 67, velocity: 89, startStep: 5, endStep: 12 },
      { pitch: 60, velocity: 65, startStep: 10, endStep: 30 },
      { pitch: 72, velocity: 65, startStep: 40, endStep: 41 },
    ]);
    // At step 10 the note-off of the first 60 comes before the new note-on.
    expect(names(tokens).slice(5, 9)).toEqual([
      'time_shift_5',
      'note_off_60',
      'set_velocity_16',
      'note_on_60',
    ]);
  });

  it('gives the same tokens whatever the input order (property)', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            pitch: fc.integer({ min: 40, max: 50 }),
            velocity: fc.integer({ min: 1, max: 127 }),
            startStep: fc.integer({ min: 0, max: 300 }),
            endStep: fc.integer({ min: 0, max: 400 }),
          }),
          { maxLength: 40 },
        ),
        fc.integer(),
        (notes, salt) => {
          const shuffled = [...notes].sort(
            (a, b) => ((a.startStep * 31 + a.pitch + salt) % 7) - ((b.startStep * 31 + b.pitch + salt) % 7),
          );
          expect(Array.from(encodeStepNotes(shuffled, seed).tokens)).toEqual(
            Array.from(encodeStepNotes(notes, seed).tokens),
          );
        },
      ),
    );
  });

  it('rejects pitches outside the vocab and bad steps', () => {
    const piano = createVocab({ minPitch: 21, maxPitch: 108 });
    expect(() => encodeStepNotes([{ pitch: 10, velocity: 1, startStep: 0, endStep: 1 }], piano)).toThrow(
      /pitch 10 is outside the vocab range 21..108/,
    );
    expect(() => encodeStepNotes([{ pitch: 60, velocity: 1, startStep: -1, endStep: 1 }], seed)).toThrow(
      /steps/,
    );
  });
});

describe('decoder rules', () => {
  const v = seed;
  it('carries velocity, ignores orphan note-offs and specials, closes open notes, caps long notes', () => {
    const ids = [
      v.start,
      v.noteOff(50), // orphan
      v.noteOn(60), // before any velocity token: default 64
      v.velocity(25),
      v.noteOn(62),
      v.timeShift(10),
      v.noteOn(64), // velocity 25 carried (the original reset it to 0)
      v.noteOff(60),
      v.pad,
      v.timeShift(125),
      v.timeShift(125),
      v.timeShift(125),
      v.timeShift(125),
      v.timeShift(125),
      v.noteOff(62), // 635 steps = 5.08 s: capped at 5 s = 625 steps
      v.noteOn(65),
      v.noteOff(65), // zero length: dropped
      v.noteOn(67), // still open at the end: closed at the end with zero length: dropped
      v.end,
    ];
    const { notes, stats } = tokensToStepNotes(ids);
    expect(stats).toEqual({
      orphanNoteOffs: 1,
      zeroLengthDropped: 2,
      capped: 1,
      closedAtEnd: 2,
      restruck: 0,
    });
    expect(notes).toEqual([
      { pitch: 60, velocity: 64, startStep: 0, endStep: 10 },
      { pitch: 62, velocity: v.velocityOfBin(25), startStep: 0, endStep: 625 },
      { pitch: 64, velocity: v.velocityOfBin(25), startStep: 10, endStep: 635 },
    ]);
    expect(tokensToStepNotes(ids, { maxNoteSeconds: 10 }).notes[1]!.endStep).toBe(635);
  });

  it('re-struck notes end where the new one starts; bad ids and options throw', () => {
    const { notes, stats } = tokensToStepNotes([v.noteOn(60), v.timeShift(3), v.noteOn(60), v.timeShift(2)]);
    expect(stats.restruck).toBe(1);
    expect(notes.map((n) => [n.startStep, n.endStep])).toEqual([
      [0, 3],
      [3, 5],
    ]);
    expect(() => tokensToStepNotes([1, 416])).toThrow(/token 1 is 416, outside the vocab \(0..415\)/);
    expect(() => tokensToStepNotes([1], { maxNoteSeconds: 0 })).toThrow(/maxNoteSeconds/);
    expect(() => tokensToStepNotes([1], { defaultVelocity: 0 })).toThrow(/defaultVelocity/);
  });
});
