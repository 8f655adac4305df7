import { buildSmf, cc, off, on, type RawEvent } from '@music-transformer/test-midi';
import { describe, expect, it } from 'vitest';
import { MidiParseError, VocabError } from './errors.js';
import { DEFAULT_MIDI_LIMITS, resolveMidiLimits } from './limits.js';
import { midiToTokens } from './midi.js';
import { readMidiNotes } from './midi-read.js';
import { createVocab } from './vocab.js';

/** The error `fn` throws (fails the test when it throws none). */
function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (e) {
    return e;
  }
  throw new Error('expected an error');
}

/** One note-on at tick 0, then a note-off 0x0FFFFFFF ticks later per delta: a 4-byte delta claims days. */
function giantDeltas(count: number, ppq: number): Uint8Array {
  const events = [on(0, 60, 80)];
  for (let i = 1; i <= count; i++) events.push(on(i * 0x0fffffff, 62, 80), off(i * 0x0fffffff, 62));
  events.push(off(count * 0x0fffffff, 60));
  return buildSmf([events], { ppq });
}

describe('piece length limits', () => {
  it('refuses 80 giant delta times by the seconds limit before laying out any time grid', () => {
    const bytes = giantDeltas(80, 1);
    expect(bytes.length).toBeLessThan(1000);
    const e = thrown(() => midiToTokens(bytes, { fileName: 'giant.mid' }));
    expect(e).toBeInstanceOf(MidiParseError);
    const err = e as MidiParseError;
    expect(err.code).toBe('BAD_MIDI');
    expect(err.fileName).toBe('giant.mid');
    expect(err.limit).toBe('maxSeconds');
    expect(err.message).toMatch(/^giant\.mid: the music lasts .* above the limit of 7,200 s \(maxSeconds\)$/);
  });

  it('counts the tokens before writing them: over maxTokens is refused, naming both counts', () => {
    const events: RawEvent[] = [];
    for (let i = 0; i < 100; i++) events.push(on(i * 480, 60, 80), off(i * 480 + 240, 60));
    const bytes = buildSmf([events], { ppq: 480 });
    expect(midiToTokens(bytes, { fileName: 'ok.mid' }).tokens.length).toBe(400);
    const err = thrown(() => midiToTokens(bytes, { fileName: 'ok.mid', limits: { maxTokens: 399 } }));
    expect(err).toBeInstanceOf(MidiParseError);
    expect((err as MidiParseError).limit).toBe('maxTokens');
    expect((err as MidiParseError).message).toBe(
      'ok.mid: the music encodes to 400 tokens, above the limit of 399 (maxTokens)',
    );
    expect(midiToTokens(bytes, { fileName: 'ok.mid', limits: { maxTokens: 400 } }).tokens.length).toBe(400);
  });

  it('stops reading a file with more notes than maxTokens at the first note over', () => {
    const events: RawEvent[] = [];
    for (let i = 0; i < 50; i++) events.push(on(i, 60 + (i % 12), 80));
    const err = thrown(() =>
      readMidiNotes(buildSmf([events]), { fileName: 'many.mid', limits: { maxTokens: 20 } }),
    ) as MidiParseError;
    expect(err).toBeInstanceOf(MidiParseError);
    expect(err.limit).toBe('maxTokens');
    expect(err.reason).toMatch(/^more than 20 notes \(track 0, byte \d+\), above the limit of 20 tokens/);
  });

  it('is overridable: a longer limit accepts what the default refuses, a shorter one refuses', () => {
    // 3 hours of silence between two notes: above the 2-hour default (10,800 shift tokens when allowed).
    const bytes = buildSmf(
      [[on(0, 60, 80), off(480, 60), on(480 * 2 * 3 * 3600, 62, 80), off(480 * 2 * 3 * 3600 + 480, 62)]],
      {
        ppq: 480,
      },
    );
    expect((thrown(() => midiToTokens(bytes, { fileName: 'long.mid' })) as MidiParseError).limit).toBe(
      'maxSeconds',
    );
    const r = midiToTokens(bytes, { fileName: 'long.mid', limits: { maxSeconds: 4 * 3600 } });
    expect(r.report.durationSeconds).toBeCloseTo(3 * 3600 + 0.5, 6);
    const err = thrown(() => midiToTokens(bytes, { fileName: 'long.mid', limits: { maxSeconds: 60 } }));
    expect((err as MidiParseError).message).toMatch(/lasts 10,801 s .* limit of 60 s/);
  });

  it('measures the music after the pedal: a pedal held to a far end-of-track counts', () => {
    // Pedal down, note released under it, track ends 0x0FFFFFFF ticks later at ppq 1.
    const events = [cc(0, 64, 127), on(0, 60, 80), off(1, 60), cc(0x0fffffff, 10, 0)];
    const err = thrown(() => midiToTokens(buildSmf([events], { ppq: 1 }), { fileName: 'pedal.mid' }));
    expect((err as MidiParseError).limit).toBe('maxSeconds');
    // Without the pedal the same file is short.
    const vocab = createVocab({ sustain: 'ignore' });
    expect(midiToTokens(buildSmf([events], { ppq: 1 }), { fileName: 'pedal.mid', vocab }).tokens.length).toBe(
      4,
    );
  });

  it('checks the limit values', () => {
    expect(resolveMidiLimits(undefined)).toEqual(DEFAULT_MIDI_LIMITS);
    expect(resolveMidiLimits({ maxSeconds: Number.POSITIVE_INFINITY }).maxSeconds).toBe(
      Number.POSITIVE_INFINITY,
    );
    for (const bad of [0, -1, Number.NaN]) {
      const e = thrown(() => resolveMidiLimits({ maxTokens: bad }));
      expect(e).toBeInstanceOf(VocabError);
      expect((e as VocabError).code).toBe('BAD_ARGUMENT');
    }
  });
});

describe('note pairing', () => {
  it('pairs N note-ons of one pitch with the N note-offs that follow, first in first out', () => {
    const n = 5000;
    const events: RawEvent[] = [];
    for (let i = 0; i < n; i++) events.push(on(i * 10, 60, 1 + (i % 127)));
    for (let i = 0; i < n; i++) events.push(off(n * 10 + i * 20, 60));
    const { notes, report } = readMidiNotes(buildSmf([events], { ppq: 480 }), { fileName: 'pile.mid' });
    expect(notes).toHaveLength(n);
    expect(report.unterminatedNotes).toBe(0);
    expect(report.orphanNoteOffs).toBe(0);
    const sec = (tick: number) => tick * (0.5 / 480);
    for (let i = 0; i < n; i += 499) {
      expect(notes[i]!.start).toBeCloseTo(sec(i * 10), 9);
      expect(notes[i]!.end).toBeCloseTo(sec(n * 10 + i * 20), 9);
    }
  });

  it('reuses a drained queue: bursts of one pitch stay paired in order, across tracks too', () => {
    const track = [];
    for (let burst = 0; burst < 3; burst++) {
      const t = burst * 1000;
      track.push(on(t, 60, 10), on(t + 1, 60, 20), off(t + 10, 60), off(t + 20, 60));
    }
    const bytes = buildSmf([track, [on(0, 60, 99), off(5, 60)]], { ppq: 480 });
    const { notes, report } = readMidiNotes(bytes, { fileName: 'bursts.mid' });
    expect(report.orphanNoteOffs).toBe(0);
    expect(report.unterminatedNotes).toBe(0);
    const ticks = (s: number) => Math.round(s / (0.5 / 480));
    expect(notes.map((n) => [n.velocity, ticks(n.start), ticks(n.end)])).toEqual([
      [99, 0, 5],
      [10, 0, 10],
      [20, 1, 20],
      [10, 1000, 1010],
      [20, 1001, 1020],
      [10, 2000, 2010],
      [20, 2001, 2020],
    ]);
  });
});
