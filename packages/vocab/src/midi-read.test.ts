import { buildSmf, cc, off, on, tempo } from '@music-transformer/test-midi';
import { describe, expect, it } from 'vitest';
import { MidiParseError, VocabError } from './errors.js';
import { midiToTokens } from './midi.js';
import { readMidiNotes } from './midi-read.js';
import { createVocab } from './vocab.js';

const notesOf = (bytes: Uint8Array, opts: Partial<Parameters<typeof readMidiNotes>[1]> = {}) =>
  readMidiNotes(bytes, { fileName: 't.mid', ...opts });
const brief = (r: ReturnType<typeof notesOf>) =>
  r.notes.map((n) => [n.pitch, +n.start.toFixed(6), +n.end.toFixed(6)]);

describe('readMidiNotes: time', () => {
  it('uses the tempo map: seconds, not ticks (the original read ticks as ms)', () => {
    // ppq 96; 120 BPM until tick 192 (1 s), then 60 BPM (1 beat = 1 s).
    const events = [
      tempo(0, 500000),
      tempo(192, 1000000),
      on(96, 60, 80),
      off(288, 60),
      on(288, 62, 80),
      off(384, 62),
    ];
    const bytes = buildSmf([events.sort((a, b) => a.tick - b.tick)], { ppq: 96 });
    expect(brief(notesOf(bytes))).toEqual([
      [60, 0.5, 2],
      [62, 2, 3],
    ]);
    expect(notesOf(bytes).report.durationSeconds).toBe(3);
  });

  it('defaults to 120 BPM without a tempo event and merges tracks by time (the original concatenated them)', () => {
    const bytes = buildSmf(
      [
        [on(0, 60, 80), off(480, 60), on(960, 64, 80), off(1440, 64)],
        [on(240, 48, 70, 1), off(720, 48, 1)],
      ],
      { ppq: 480 },
    );
    expect(brief(notesOf(bytes))).toEqual([
      [60, 0, 0.5],
      [48, 0.25, 0.75],
      [64, 1, 1.5],
    ]);
    const r = midiToTokens(bytes, { fileName: 't.mid' });
    const v = createVocab();
    expect(Array.from(r.tokens, (id) => v.name(id)).slice(0, 6)).toEqual([
      'set_velocity_20',
      'note_on_60',
      'time_shift_31', // 0.25 s = 31.25 steps of 8 ms
      'set_velocity_17',
      'note_on_48',
      'time_shift_32', // 0.5 s = 62.5 steps rounds to 63: times snap to the grid, so gaps never drift
    ]);
  });
});

describe('readMidiNotes: note pairing', () => {
  it('treats note-on velocity 0 as note-off, pairs overlapping same-pitch notes FIFO, counts the odd ones', () => {
    const bytes = buildSmf([
      [
        on(0, 60, 100),
        on(100, 60, 50), // same key again while sounding
        on(200, 60, 0), // velocity 0 = note-off: ends the first
        off(300, 60), // ends the second
        off(400, 61), // orphan
        on(500, 70, 90), // never released
        { tick: 600, bytes: [0xff, 0x01, 0x41] }, // text meta event "A"
      ],
    ]);
    const r = notesOf(bytes);
    expect(r.notes.map((n) => [n.pitch, n.velocity, n.start, n.end])).toEqual([
      [60, 100, 0, 200 / 960],
      [60, 50, 100 / 960, 300 / 960],
      [70, 90, 500 / 960, 600 / 960],
    ]);
    expect(r.report.orphanNoteOffs).toBe(1);
    expect(r.report.unterminatedNotes).toBe(1);
  });

  it('reads running status', () => {
    // 0x90 once, then data-only events: on 60, on 64, off 60 (velocity 0), off 64.
    const track = [0, 0x90, 60, 100, 0, 64, 90, 0x60, 60, 0, 0, 64, 0, 0, 0xff, 0x2f, 0];
    const bytes = Uint8Array.from([
      ...[0x4d, 0x54, 0x68, 0x64, 0, 0, 0, 6, 0, 0, 0, 1, 0x01, 0xe0],
      ...[0x4d, 0x54, 0x72, 0x6b, 0, 0, 0, track.length, ...track],
    ]);
    expect(brief(notesOf(bytes))).toEqual([
      [60, 0, 0.1],
      [64, 0, 0.1],
    ]);
  });
});

describe('readMidiNotes: drums and range', () => {
  const bytes = buildSmf([
    [on(0, 36, 100, 9), off(120, 36, 9), on(0, 60, 80), off(480, 60), on(480, 10, 80), off(960, 10)].sort(
      (a, b) => a.tick - b.tick,
    ),
  ]);

  it('excludes channel 10 by default and reports it; includeDrums keeps it', () => {
    const r = notesOf(bytes);
    expect(r.notes.map((n) => n.pitch)).toEqual([60, 10]);
    expect(r.report.excludedChannels).toEqual([{ channel: 9, notes: 1 }]);
    expect(notesOf(bytes, { includeDrums: true }).notes.map((n) => [n.pitch, n.channel])).toEqual([
      [36, 9],
      [60, 0],
      [10, 0],
    ]);
  });

  it('reports notes outside the vocab range instead of dropping them silently', () => {
    const r = midiToTokens(bytes, { fileName: 'x.mid', vocab: createVocab({ minPitch: 21, maxPitch: 108 }) });
    expect(r.report.outOfRange).toEqual({ notes: 1, pitches: [10] });
    expect(r.report.notesEncoded).toBe(1);
    expect(r.report.notesInFile).toBe(3);
  });
});

describe('readMidiNotes: sustain pedal', () => {
  // ppq 480, 120 BPM: 480 ticks = 0.5 s.
  const bytes = buildSmf([
    [
      cc(0, 64, 127),
      on(0, 60, 80),
      off(240, 60), // released under the pedal: sounds until the pedal lifts at 960...
      on(480, 62, 80),
      off(600, 62), // ...but this one is cut when the key is struck again at 720
      on(720, 62, 80),
      off(840, 62),
      cc(960, 64, 0),
      on(1000, 64, 80),
      off(1100, 64), // pedal up: unchanged
      on(1200, 65, 80, 1),
      cc(1200, 64, 100, 0),
      off(1300, 65, 1), // pedal on channel 0 does not hold channel 1
      off(1400, 60), // orphan
      cc(1500, 64, 127),
      on(1500, 67, 80),
      off(1600, 67), // pedal never lifted: held to the last event (1600)
    ],
  ]);

  it("'extend' holds released notes until the pedal lifts or the key is struck again (per channel)", () => {
    const r = notesOf(bytes);
    expect(brief(r)).toEqual(
      [
        [60, 0, 1],
        [62, 0.5, 0.75],
        [62, 0.75, 1],
        [64, 1000 / 960, 1100 / 960],
        [65, 1.25, 1300 / 960],
        [67, 1500 / 960, 1600 / 960],
      ].map(([p, s, e]) => [p, +s!.toFixed(6), +e!.toFixed(6)]),
    );
    expect(r.report.sustainExtended).toBe(3);
  });

  it("'ignore' keeps the written note-offs; the vocab config chooses the mode", () => {
    expect(brief(notesOf(bytes, { sustain: 'ignore' }))[0]).toEqual([60, 0, 0.25]);
    const ignore = midiToTokens(bytes, { fileName: 'p.mid', vocab: createVocab({ sustain: 'ignore' }) });
    expect(ignore.report.sustainExtended).toBe(0);
    expect(midiToTokens(bytes, { fileName: 'p.mid' }).report.sustainExtended).toBe(3);
  });
});

describe('bad input', () => {
  it('requires a file name and bytes', () => {
    expect(() => midiToTokens(new Uint8Array(20), {} as { fileName: string })).toThrow(
      /fileName \(a string\) is required/,
    );
    expect(() => midiToTokens([1, 2] as unknown as Uint8Array, { fileName: 'a.mid' })).toThrow(
      /a.mid: input must be a Uint8Array, got \[object Array\]/,
    );
  });

  const good = buildSmf([[on(0, 60, 80), off(480, 60)]]);
  const cases: [string, Uint8Array, RegExp][] = [
    ['empty', new Uint8Array(0), /file is empty/],
    ['short', good.slice(0, 10), /too short/],
    ['not midi', new TextEncoder().encode('RIFF....WAVEfmt not a midi file'), /not a MIDI file/],
    ['format 2', buildSmf([[on(0, 60, 80), off(10, 60)]], { format: 2 }), /format 2/],
    ['smpte', buildSmf([[on(0, 60, 80), off(10, 60)]], { division: 0xe728 }), /SMPTE/],
    ['truncated', good.slice(0, good.length - 3), /truncated/],
    [
      'missing track',
      buildSmf([[on(0, 60, 80)]]).map((b, i) => (i === 11 ? 2 : b)),
      /declares 2 tracks, found 1/,
    ],
    ['bad status', buildSmf([[{ tick: 0, bytes: [0xf4] }]]), /status byte 0xf4/],
    ['data without status', buildSmf([[{ tick: 0, bytes: [0x40, 0x40] }]]), /without a status byte/],
    ['zero tempo', buildSmf([[tempo(0, 0)]]), /tempo of 0/],
  ];
  for (const [label, bytes, reason] of cases) {
    it(`${label}: MidiParseError naming the file`, () => {
      let err: unknown;
      try {
        midiToTokens(bytes, { fileName: `${label}.mid` });
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(MidiParseError);
      expect(err).toBeInstanceOf(VocabError);
      const e = err as MidiParseError;
      expect(e.code).toBe('BAD_MIDI');
      expect(e.fileName).toBe(`${label}.mid`);
      expect(e.message.startsWith(`${label}.mid: `)).toBe(true);
      expect(e.reason).toMatch(reason);
    });
  }
});
