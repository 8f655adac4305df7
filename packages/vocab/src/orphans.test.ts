import { describe, expect, it } from 'vitest';
import { dropStrayNoteOffs } from './orphans.js';
import { createRng } from './rng.js';
import { buildRows } from './rows.js';
import { createVocab } from './vocab.js';

const v = createVocab();

/** Note-offs of pitches not sounding at that point (what check-samples counts as stray). */
function strayNoteOffs(tokens: ArrayLike<number>): number {
  const sounding = new Set<number>();
  let stray = 0;
  for (const id of Array.from(tokens)) {
    if (v.kindOf(id) === 'note_on') sounding.add(v.valueOf(id));
    else if (v.kindOf(id) === 'note_off' && !sounding.delete(v.valueOf(id))) stray++;
  }
  return stray;
}

describe('dropStrayNoteOffs', () => {
  it('drops note-offs of notes struck before the window (and repeated ones), keeping every other id', () => {
    const window = Uint16Array.from([
      v.noteOff(60), // struck before the window
      v.timeShift(10),
      v.velocity(20),
      v.noteOn(62),
      v.noteOff(64), // struck before the window
      v.timeShift(5),
      v.noteOff(62),
      v.noteOff(62), // repeated release
      v.noteOn(60),
      v.noteOff(60),
    ]);
    expect(Array.from(dropStrayNoteOffs(window, v))).toEqual([
      v.timeShift(10),
      v.velocity(20),
      v.noteOn(62),
      v.timeShift(5),
      v.noteOff(62),
      v.noteOn(60),
      v.noteOff(60),
    ]);
  });

  it('returns the same array when nothing is stray', () => {
    const ok = Uint16Array.from([v.noteOn(60), v.timeShift(3), v.noteOff(60)]);
    expect(dropStrayNoteOffs(ok, v)).toBe(ok);
  });

  it('makes every buildRows row free of stray note-offs, windows cut mid-piece included', () => {
    // A piece of 300 overlapping notes: any window from the middle starts with note-offs of earlier notes.
    const piece: number[] = [];
    for (let i = 0; i < 300; i++) {
      piece.push(v.noteOn(40 + (i % 30)), v.timeShift(4));
      if (i >= 2) piece.push(v.noteOff(40 + ((i - 2) % 30)));
    }
    const tokens = Uint16Array.from(piece);
    const start = 301; // mid-piece, right after a time shift
    expect(strayNoteOffs(tokens.subarray(start, start + 100))).toBeGreaterThan(0);
    const r = buildRows([tokens], { vocab: v, length: 120, rng: createRng(3), shuffle: false });
    expect(r.count).toBeGreaterThan(0);
    for (let i = 0; i < r.count; i++) {
      expect(strayNoteOffs(r.rows.subarray(i * r.width, (i + 1) * r.width))).toBe(0);
    }
  });
});
