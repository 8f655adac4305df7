import { describe, expect, it } from 'vitest';
import { createRng } from './rng.js';
import { buildRows } from './rows.js';
import { createVocab } from './vocab.js';
import { cutWindows, ORIGINAL_WINDOWS, sampleWindows, type TokenWindow, tileWindows } from './windows.js';

const v = createVocab();
const piece = (n: number, seed = 1) => {
  const rng = createRng(seed);
  // Plausible tokens: notes 40..80 and short shifts, no velocity (irrelevant here).
  return Uint16Array.from({ length: n }, (_, i) =>
    i % 3 === 2 ? v.timeShift(1 + rng.nextInt(20)) : v.noteOn(40 + rng.nextInt(40)),
  );
};

describe("sampleWindows (the original's scheme)", () => {
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

describe('sampleWindows with count', () => {
  it('count 1 (the default) gives the same windows and leaves the RNG where the original did', () => {
    const tokens = piece(3000);
    for (let seed = 1; seed <= 20; seed++) {
      const a = createRng(seed);
      const b = createRng(seed);
      const c = createRng(seed);
      const implicit = sampleWindows(tokens, 400, a);
      expect(sampleWindows(tokens, 400, b, 1)).toEqual(implicit);
      expect(cutWindows(tokens, 400, ORIGINAL_WINDOWS, c)).toEqual(implicit);
      // The original's draws, written out: size, start, end start.
      const ref = createRng(seed);
      const n = 400 - 66 + ref.nextInt(133);
      const start = ref.nextInt(3000 - n + 1);
      const endStart = 2600 + ref.nextInt(67);
      expect(implicit.map((w) => [w.offset, w.tokens.length])).toEqual([
        [start, n],
        [endStart, 3000 - endStart],
      ]);
      for (const r of [a, b, c]) expect(r.getState()).toEqual(ref.getState());
    }
  });

  it('count n gives n random windows of length +- length/6, then the end window', () => {
    const tokens = piece(4000);
    const ws = sampleWindows(tokens, 300, createRng(4), 5);
    expect(ws).toHaveLength(6);
    for (const w of ws.slice(0, 5)) {
      expect(w.tokens.length).toBeGreaterThanOrEqual(250);
      expect(w.tokens.length).toBeLessThanOrEqual(350);
    }
    expect(new Set(ws.slice(0, 5).map((w) => w.offset)).size).toBe(5);
    expect(ws[5]!.reachesEnd).toBe(true);
    expect(ws[5]!.offset + ws[5]!.tokens.length).toBe(4000);
    // The first window is the original's: more windows only add draws after it.
    expect(ws[0]).toEqual(sampleWindows(tokens, 300, createRng(4))[0]);
    for (const bad of [0, -1, 1.5]) {
      expect(() => sampleWindows(tokens, 300, createRng(1), bad)).toThrow(/count must be a positive integer/);
    }
  });
});

/** How often each token of a piece of `len` tokens appears in the windows. */
function coverage(windows: readonly TokenWindow[], len: number): number[] {
  const seen = new Array<number>(len).fill(0);
  for (const w of windows) for (let i = 0; i < w.tokens.length; i++) seen[w.offset + i]!++;
  return seen;
}

describe('tileWindows', () => {
  it('covers every token exactly once with consecutive windows of length, in order', () => {
    for (const len of [301, 600, 1000, 2999, 5000]) {
      const tokens = piece(len);
      for (let seed = 1; seed <= 30; seed++) {
        const ws = tileWindows(tokens, 300, createRng(seed));
        expect(coverage(ws, len).every((n) => n === 1)).toBe(true);
        let at = 0;
        for (const w of ws) {
          expect(w.offset).toBe(at);
          expect(Array.from(w.tokens)).toEqual(Array.from(tokens.subarray(at, at + w.tokens.length)));
          at += w.tokens.length;
        }
        // Only the first and the last may be shorter; none is a stub under length/6.
        for (const w of ws.slice(1, -1)) expect(w.tokens.length).toBe(300);
        for (const w of ws) {
          expect(w.tokens.length).toBeGreaterThanOrEqual(50);
          expect(w.tokens.length).toBeLessThanOrEqual(300);
        }
        expect(ws.map((w) => w.reachesEnd)).toEqual(ws.map((_, i) => i === ws.length - 1));
      }
    }
  });

  it('cuts at a different phase for another RNG', () => {
    const tokens = piece(5000);
    const firsts = new Set<number>();
    for (let seed = 1; seed <= 20; seed++)
      firsts.add(tileWindows(tokens, 300, createRng(seed))[0]!.tokens.length);
    expect(firsts.size).toBeGreaterThan(10);
    const again = tileWindows(tokens, 300, createRng(7));
    expect(again).toEqual(tileWindows(tokens, 300, createRng(7)));
  });

  it('gives a piece of at most one window whole, without drawing, and nothing for an empty piece', () => {
    const rng = createRng(1);
    const before = rng.getState();
    for (const len of [1, 50, 300]) {
      const tokens = piece(len);
      expect(tileWindows(tokens, 300, rng)).toEqual([{ tokens, offset: 0, reachesEnd: true }]);
    }
    expect(rng.getState()).toEqual(before);
    expect(tileWindows(new Uint16Array(0), 300, rng)).toEqual([]);
    expect(() => tileWindows(piece(10), 0, rng)).toThrow(
      /tileWindows: length must be a positive integer, got 0/,
    );
  });

  it('is what cutWindows gives for the tile scheme', () => {
    const tokens = piece(2000);
    expect(cutWindows(tokens, 256, { kind: 'tile' }, createRng(3))).toEqual(
      tileWindows(tokens, 256, createRng(3)),
    );
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

  it('keeps the original bytes when the original scheme is passed explicitly', () => {
    const implicit = buildRows(pieces, { vocab: v, length: 256, rng: createRng(11) });
    const explicit = buildRows(pieces, {
      vocab: v,
      length: 256,
      rng: createRng(11),
      windows: ORIGINAL_WINDOWS,
    });
    expect(explicit.rows).toEqual(implicit.rows);
    const three = buildRows(pieces, {
      vocab: v,
      length: 256,
      rng: createRng(11),
      windows: { kind: 'random', count: 3 },
    });
    expect(three.stats.windows).toBe(12); // 3 random + the end window, for each of the 3 pieces
    expect(three.count).toBe(12 * 25);
  });

  it('tiles every piece with the tile scheme: each token in one row, <end> only on the last of a piece', () => {
    const r = buildRows(pieces, {
      vocab: v,
      length: 256,
      rng: createRng(5),
      shuffle: false,
      windows: { kind: 'tile' },
      augmentations: [{ semitones: 0, stretch: 1 }],
    });
    // 3000 tokens: 11 or 12 windows; 900: 4 or 5; 40: 1.
    expect(r.stats.windows).toBeGreaterThanOrEqual(16);
    expect(r.stats.windows).toBeLessThanOrEqual(18);
    expect(r.width).toBeLessThanOrEqual(258);
    let ends = 0;
    let body = 0;
    for (let i = 0; i < r.count; i++) {
      const row = r.rows.subarray(i * r.width, (i + 1) * r.width);
      if (row.includes(v.end)) ends++;
      body += row.filter((id) => id !== v.start && id !== v.end && id !== v.pad).length;
    }
    expect(ends).toBe(3);
    // dropStrayNoteOffs removes nothing from these pieces (they have no note-offs), so all tokens are there.
    expect(body).toBe(3000 + 900 + 40);
    expect(() =>
      buildRows(pieces, { vocab: v, length: 256, rng: createRng(1), windows: { kind: 'random', count: 0 } }),
    ).toThrow(/window scheme must be/);
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
