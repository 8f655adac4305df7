import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { tokensToNotes } from './decode.js';
import { midiToTokens, tokensToMidi } from './midi.js';
import { readMidiNotes } from './midi-read.js';
import { Midi } from './tonejs.js';

const fixture = (name: string) =>
  new Uint8Array(readFileSync(new URL(`../test/fixtures/${name}`, import.meta.url)));
const FILES = [
  'freedoom1-e1m8.mid',
  'freedoom2-dead.mid',
  'satie-gymnopedie-no1.mid',
  'bach-prelude-c-major-bwv846.mid',
];

describe('real MIDI files (test/fixtures)', () => {
  for (const name of FILES) {
    const bytes = fixture(name);

    it(`${name}: reads the same notes as @tonejs/midi (all channels, no pedal)`, () => {
      const ours = readMidiNotes(bytes, { fileName: name, includeDrums: true, sustain: 'ignore' });
      const key = (a: number[], b: number[]) =>
        a[0]! - b[0]! || a[1]! - b[1]! || a[2]! - b[2]! || a[3]! - b[3]!;
      const mine = ours.notes.map((n) => [n.pitch, n.start, n.end, n.velocity]).sort(key);
      const theirs = new Midi(bytes).tracks
        .flatMap((t) =>
          t.notes.map((n) => [n.midi, n.time, n.time + n.duration, Math.round(n.velocity * 127)]),
        )
        .sort(key);
      expect(ours.report.unterminatedNotes).toBe(0);
      expect(mine.length).toBe(theirs.length);
      mine.forEach((m, i) => {
        const t = theirs[i]!;
        expect([m[0], m[3]]).toEqual([t[0], t[3]]);
        expect(Math.abs(m[1]! - t[1]!)).toBeLessThan(1e-6);
        expect(Math.abs(m[2]! - t[2]!)).toBeLessThan(1e-6);
      });
    });

    it(`${name}: tokens decode to the encoded notes and survive a MIDI round trip`, () => {
      const r = midiToTokens(bytes, { fileName: name });
      const decoded = tokensToNotes(r.tokens, { maxNoteSeconds: 1e6 }).notes;
      expect(decoded.length).toBe(r.report.notesEncoded);
      // Tracks are merged by time: the token stream is as long as the music (the original concatenated tracks).
      expect(decoded.at(-1)!.end).toBeLessThanOrEqual(r.report.durationSeconds + 0.004 + 1e-9);
      const again = midiToTokens(tokensToMidi(r.tokens, { maxNoteSeconds: 1e6 }), { fileName: 'again.mid' });
      expect(Array.from(again.tokens)).toEqual(Array.from(r.tokens));
      expect(r.events.length).toBe(r.tokens.length);
    });
  }

  it('freedoom1-e1m8.mid: 7 tracks, drums excluded and reported', () => {
    const r = midiToTokens(fixture('freedoom1-e1m8.mid'), { fileName: 'e1m8.mid' });
    expect(r.report.tracks).toBe(7);
    expect(r.report.excludedChannels).toEqual([{ channel: 9, notes: 578 }]);
    expect(r.report.notesInFile).toBe(1005);
    expect(r.notes.length).toBe(1005 - 578);
    const withDrums = midiToTokens(fixture('freedoom1-e1m8.mid'), {
      fileName: 'e1m8.mid',
      includeDrums: true,
    });
    expect(withDrums.report.excludedChannels).toEqual([]);
    expect(withDrums.notes.some((n) => n.channel === 9)).toBe(true);
  });

  it('bach-prelude: the sustain pedal lengthens notes, never shortens them', () => {
    const bytes = fixture('bach-prelude-c-major-bwv846.mid');
    const ext = readMidiNotes(bytes, { fileName: 'bach.mid' });
    const ign = readMidiNotes(bytes, { fileName: 'bach.mid', sustain: 'ignore' });
    expect(ext.report.sustainExtended).toBeGreaterThan(100);
    expect(ext.notes.length).toBe(ign.notes.length);
    const len = (ns: typeof ext.notes) => ns.reduce((s, n) => s + n.end - n.start, 0);
    expect(len(ext.notes)).toBeGreaterThan(len(ign.notes));
  });
});
