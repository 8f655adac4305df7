import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { presets } from './config.js';
import { midiToTokens, tokensToMidi, tokensToMidiWithStats } from './midi.js';
import { readMidiNotes } from './midi-read.js';
import { midiTiming } from './midi-write.js';
import { Midi } from './tonejs.js';
import { createVocab, type Vocab } from './vocab.js';

interface GenNote {
  track: number;
  pitch: number;
  velocity: number;
  ticks: number;
  durationTicks: number;
}

// Tempos whose 60e6 / bpm microseconds are whole: @tonejs/midi writes floor(60e6 / bpm), and the expected
// seconds below come from its float bpm, so both must describe the same tempo.
const bpmArb = fc.constantFrom(40, 48, 50, 60, 64, 75, 80, 96, 100, 120, 125, 128, 150, 160, 192, 200, 240);
type FileSpec = typeof fileArb extends fc.Arbitrary<infer T> ? T : never;
const fileArb = fc.record({
  tempos: fc.array(fc.record({ ticks: fc.integer({ min: 1, max: 20000 }), bpm: bpmArb }), { maxLength: 4 }),
  firstBpm: bpmArb,
  notes: fc.array(
    fc.record({
      track: fc.integer({ min: 0, max: 2 }), // track 2 plays on the drum channel
      pitch: fc.integer({ min: 0, max: 127 }),
      velocity: fc.integer({ min: 1, max: 127 }),
      ticks: fc.integer({ min: 0, max: 20000 }),
      durationTicks: fc.integer({ min: 1, max: 2000 }),
    }),
    { maxLength: 60 },
  ),
});

/** Builds the file with @tonejs/midi, whose own tempo map gives the expected seconds (an independent check). */
function build(file: FileSpec, v: Vocab) {
  const midi = new Midi();
  midi.header.tempos = [{ ticks: 0, bpm: file.firstBpm }, ...file.tempos];
  midi.header.update();
  const tracks = [midi.addTrack(), midi.addTrack(), midi.addTrack()];
  tracks[1]!.channel = 1;
  tracks[2]!.channel = 9;
  const step = v.stepMs / 1000;
  const sec = (t: number) => midi.header.ticksToSeconds(t);
  const lastEnd = new Map<number, number>();
  const kept: (GenNote & { start: number; end: number })[] = [];
  for (const n of [...file.notes].sort((a, b) => a.ticks - b.ticks || a.track - b.track)) {
    const start = sec(n.ticks);
    const end = sec(n.ticks + n.durationTicks);
    // The exact round-trip domain: 1 step <= length < 5 s (the decoder's cap), same pitch never overlapping.
    if (end - start < step || end - start >= 4.9) continue;
    if (n.track < 2 && start < (lastEnd.get(n.pitch) ?? -1)) continue;
    if (n.track < 2) lastEnd.set(n.pitch, end);
    // +0.5: @tonejs/midi writes floor(velocity * 127).
    tracks[n.track]!.addNote({
      midi: n.pitch,
      ticks: n.ticks,
      durationTicks: n.durationTicks,
      velocity: (n.velocity + 0.5) / 127,
    });
    kept.push({ ...n, start, end });
  }
  return { bytes: midi.toArray(), kept };
}

describe('MIDI -> tokens -> MIDI', () => {
  it('keeps every note pitch, onset/offset within half a step, velocity within one bin; reports the rest (property)', () => {
    for (const v of [createVocab({ minPitch: 21, maxPitch: 108 }), createVocab(presets['performance-rnn'])]) {
      const half = v.stepMs / 2000 + 1e-6;
      fc.assert(
        fc.property(fileArb, (file) => {
          const { bytes, kept } = build(file, v);
          const r = midiToTokens(bytes, { fileName: 'gen.mid', vocab: v });
          const drums = kept.filter((n) => n.track === 2);
          const inRange = (n: GenNote) => n.pitch >= v.config.minPitch && n.pitch <= v.config.maxPitch;
          const want = kept.filter((n) => n.track < 2 && inRange(n));
          expect(r.report.excludedChannels).toEqual(
            drums.length ? [{ channel: 9, notes: drums.length }] : [],
          );
          expect(r.report.outOfRange.notes).toBe(kept.filter((n) => n.track < 2 && !inRange(n)).length);
          expect(r.report.notesEncoded).toBe(want.length);

          const out = tokensToMidi(r.tokens, { vocab: v });
          const back = readMidiNotes(out, { fileName: 'out.mid' }).notes;
          expect(back.length).toBe(want.length);
          for (let p = 0; p < 128; p++) {
            const a = want.filter((n) => n.pitch === p).sort((x, y) => x.start - y.start);
            const b = back.filter((n) => n.pitch === p);
            expect(b.length).toBe(a.length);
            a.forEach((n, i) => {
              expect(Math.abs(b[i]!.start - n.start)).toBeLessThanOrEqual(half);
              expect(Math.abs(b[i]!.end - n.end)).toBeLessThanOrEqual(half);
              expect(v.binOfVelocity(b[i]!.velocity)).toBe(v.binOfVelocity(n.velocity));
            });
          }
        }),
        { numRuns: 60 },
      );
    }
  });

  it('re-encoding a written file gives the same tokens (exact tick timing)', () => {
    const v = createVocab();
    fc.assert(
      fc.property(fileArb, fc.integer({ min: 30, max: 300 }), (file, bpm) => {
        const tokens = midiToTokens(build(file, v).bytes, { fileName: 'gen.mid' }).tokens;
        const again = midiToTokens(tokensToMidi(tokens, { bpm }), { fileName: 'out.mid' }).tokens;
        expect(Array.from(again)).toEqual(Array.from(tokens));
      }),
      { numRuns: 40 },
    );
  });
});

describe('tokensToMidi', () => {
  it('chooses PPQ and tempo so one step is a whole number of ticks', () => {
    for (const stepMs of [1, 8, 10, 7, 1000]) {
      for (let bpm = 2; bpm <= 1000; bpm += 7) {
        const t = midiTiming(stepMs, bpm);
        expect(Number.isInteger(t.ppq) && t.ppq >= 1 && t.ppq <= 32767).toBe(true);
        expect(Number.isInteger(t.ticksPerStep)).toBe(true);
        // ticks per step * seconds per tick === step length, in exact integer arithmetic (microseconds).
        expect(t.ticksPerStep * t.microsPerBeat).toBe(stepMs * 1000 * t.ppq);
        expect(Math.abs(t.bpm - bpm) / bpm).toBeLessThan(0.01);
      }
    }
    expect(midiTiming(8, 120)).toEqual({ ppq: 500, microsPerBeat: 500000, ticksPerStep: 8, bpm: 120 });
    expect(() => midiTiming(8, 0)).toThrow(/bpm must be a number in \[2, 1000\], got 0/);
  });

  it('writes the planned tempo exactly and reports what the decoder repaired', () => {
    const v = createVocab();
    const { bytes, stats } = tokensToMidiWithStats(
      [v.velocity(20), v.noteOn(60), v.timeShift(125), v.noteOff(61)],
      {
        bpm: 90,
        name: 'demo',
      },
    );
    expect(stats.orphanNoteOffs).toBe(1);
    expect(stats.closedAtEnd).toBe(1);
    const midi = new Midi(bytes);
    expect(midi.header.tempos[0]!.bpm).toBeCloseTo(60000 / 667, 9);
    expect(midi.header.name).toBe('demo');
    const note = readMidiNotes(bytes, { fileName: 'demo.mid' }).notes[0]!;
    expect(note.end - note.start).toBeCloseTo(1, 12);
  });
});
