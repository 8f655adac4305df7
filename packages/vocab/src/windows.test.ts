import { describe, expect, it } from 'vitest';
import { createRng } from './rng.js';
import { buildRows } from './rows.js';
import { createVocab } from './vocab.js';
import { sampleWindows } from './windows.js';

const v = createVocab();
const piece = (n: number, seed = 1) => {
  const rng = createRng(seed);
  // Plausible tokens: notes 40..80 and short shifts, no velocity (irrelevant here).
  return Uint16Array.from({ length: n }, (_, i) =>
    i % 3 === 2 ? v.timeShift(1 + rng.nextInt(20)) : v.noteOn(40 + rng.nextInt(40)),
  );
};

describe('sampleWindows (seed-spec 3.1)', () => {
  it('gives a random window of length +- length/6 and an end window that reaches the end', () => {
    const tokens = piece(5000);
    const rng = createRng(3);
    for (let i = 0; i < 300; i++) {
      const [mid, end] = sampleWindows(tokens, 600, rng);
      expect(mid!.tokens.length).toBeGreaterThanOrEqual(500);
      expect(mid!.tokens.length).toBeLessThanOrEqual(700);
      expect(Array.from(mid!.tokens)).toEqual(
        Array.from(tokens.subarray(mid!.offset, mid!.offset + mid!.tokens.length)),
      );
      expect(end!.reachesEnd).toBe(true);
      expect(end!.offset + end!.tokens.length).toBe(5000);
      expect(end!.tokens.length).toBeGreaterThanOrEqual(500);
      expect(end!.tokens.length).toBeLessThanOrEqual(600);
    }
  });

  it('handles pieces shorter than the window', () => {
    const tokens = piece(50);
    const ws = sampleWindows(tokens, 600, createRng(1));
    expect(ws[0]).toEqual({ tokens: tokens.subarray(0, 50), offset: 0, reachesEnd: true });
    expect(sampleWindows(new Uint16Array(0), 10, createRng(1))).toEqual([]);
    expect(() => sampleWindows(tokens, 0, createRng(1))).toThrow(/length must be a positive integer/);
  });
});

describe('buildRows', () => {
  const pieces = [piece(3000, 1), piece(900, 2), piece(40, 3)];

  it('is byte-identical for the same seed and differs for another seed', () => {
    const a = buildRows(pieces, { vocab: v, length: 256, rng: createRng(11) });
    const b = buildRows(pieces, { vocab: v, length: 256, rng: createRng(11) });
    const c = buildRows(pieces, { vocab: v, length: 256, rng: createRng(12) });
    expect(a.rows).toEqual(b.rows);
    expect(a.rows).not.toEqual(c.rows);
    expect(a.stats).toEqual({ pieces: 3, windows: 6, skippedTranspositions: 0, truncatedRows: 0 });
    expect(a.count).toBe(6 * 25);
  });

  it('builds <start> window [<end>] rows right-padded to the longest, <end> only at the end of a piece', () => {
    const r = buildRows(pieces, {
      vocab: v,
      length: 256,
      rng: createRng(5),
      shuffle: false,
      augmentations: [{ semitones: 0, stretch: 1 }],
    });
    expect(r.count).toBe(6);
    let ends = 0;
    for (let i = 0; i < r.count; i++) {
      const row = r.rows.subarray(i * r.width, (i + 1) * r.width);
      expect(row[0]).toBe(v.start);
      let used = row.length;
      while (used > 0 && row[used - 1] === v.pad) used--;
      expect(row.subarray(used).every((id) => id === v.pad)).toBe(true);
      if (row[used - 1] === v.end) ends++;
      expect(row.subarray(1, used - 1).every((id) => id !== v.start && id !== v.end && id !== v.pad)).toBe(
        true,
      );
    }
    // 3 end windows, plus middle windows that happen to reach the end (the 40-token piece's).
    expect(ends).toBeGreaterThanOrEqual(3);
    const always = buildRows(pieces, {
      vocab: v,
      length: 256,
      rng: createRng(5),
      endToken: 'always',
      augmentations: [{ semitones: 0, stretch: 1 }],
    });
    let all = 0;
    for (let i = 0; i < always.count; i++)
      if (always.rows.subarray(i * always.width, (i + 1) * always.width).includes(v.end)) all++;
    expect(all).toBe(6);
  });

  it('skips transpositions that leave the range per window, and cuts rows to a fixed width', () => {
    const high = Uint16Array.from([v.noteOn(127), v.timeShift(5), v.noteOff(127)]);
    const r = buildRows([high], {
      vocab: v,
      length: 8,
      rng: createRng(1),
      augmentations: [
        { semitones: 1, stretch: 1 },
        { semitones: -1, stretch: 1 },
      ],
    });
    expect(r.stats.skippedTranspositions).toBe(2); // two windows, +1 skipped in each
    expect(r.count).toBe(2);
    const cut = buildRows(pieces, { vocab: v, length: 256, rng: createRng(1), width: 100 });
    expect(cut.width).toBe(100);
    expect(cut.stats.truncatedRows).toBeGreaterThan(0);
    expect(() => buildRows(pieces, { vocab: v, length: 256, rng: createRng(1), augmentations: [] })).toThrow(
      /empty/,
    );
  });
});
