import { type Augmentation, augmentations as defaultAugmentations } from './augment.js';
import { VocabError } from './errors.js';
import { dropStrayNoteOffs } from './orphans.js';
import type { Rng } from './rng.js';
import { permutation } from './shuffle.js';
import { shiftSteps, stretchCapacity, stretchInto } from './stretch.js';
import { pitchSpan, transposeInto } from './transpose.js';
import type { Vocab } from './vocab.js';
import { checkWindowScheme, cutWindows, ORIGINAL_WINDOWS, type WindowScheme } from './windows.js';

export interface BuildRowsOptions {
  vocab: Vocab;
  /**
   * Window length in tokens, `<start>`/`<end>` excluded. `random` scheme: approximate (the original's
   * `lth`; windows are length +- length/6). `tile` scheme: exact (only the first and last window of a
   * piece may be shorter).
   */
  length: number;
  /** How pieces are cut into windows (see `WindowScheme`). Default `ORIGINAL_WINDOWS`: random + end. */
  windows?: WindowScheme;
  /** Drives windows and shuffling (each through its own fork), so the same seed gives the same bytes. */
  rng: Rng;
  /** Default `augmentations()`: 5 transpositions x 5 stretches. Pass `[{ semitones: 0, stretch: 1 }]` for none. */
  augmentations?: readonly Augmentation[];
  /** Fixed row width (tokens incl. start/end); longer rows are cut and counted. Default: longest row. */
  width?: number;
  /** Shuffle rows. Default true. */
  shuffle?: boolean;
  /**
   * Which windows get `<end>`: 'piece-end' (default) only windows that reach the end of their piece, so
   * `<end>` means "the music stops here"; 'always' every window, as the original did.
   */
  endToken?: 'piece-end' | 'always';
}

export interface RowsResult {
  /** Row-major [count, width] ids: `<start>`, window, maybe `<end>`, then pad (0). */
  rows: Uint16Array;
  count: number;
  width: number;
  stats: { pieces: number; windows: number; skippedTranspositions: number; truncatedRows: number };
}

/**
 * Pieces (token arrays from `midiToTokens`) -> padded training rows: windows of each piece as
 * `options.windows` says (default: the original's two per piece, random + end), every
 * augmentation of each window (a transposition that would push a note out of range is skipped for that
 * window), note-offs of notes not sounding in the window dropped (`dropStrayNoteOffs`), `<start>`/`<end>`,
 * right padding, optional seeded shuffle.
 */
export function buildRows(pieces: readonly Uint16Array[], options: BuildRowsOptions): RowsResult {
  const { vocab, length, rng } = options;
  const augs = options.augmentations ?? defaultAugmentations();
  if (augs.length === 0) throw new VocabError('BAD_ARGUMENT', 'buildRows: augmentations is empty');
  for (const a of augs) {
    if (!Number.isInteger(a.semitones) || !Number.isFinite(a.stretch) || a.stretch <= 0) {
      throw new VocabError('BAD_ARGUMENT', `buildRows: bad augmentation ${JSON.stringify(a)}`);
    }
  }
  if (!Number.isInteger(length) || length < 1) {
    throw new VocabError('BAD_ARGUMENT', `buildRows: length must be a positive integer, got ${length}`);
  }
  if (options.width !== undefined && (!Number.isInteger(options.width) || options.width < 2)) {
    throw new VocabError('BAD_ARGUMENT', `buildRows: width must be an integer >= 2, got ${options.width}`);
  }
  const scheme = checkWindowScheme(options.windows ?? ORIGINAL_WINDOWS);
  const windowRng = rng.fork('windows');
  const always = options.endToken === 'always';
  const { minPitch, maxPitch } = vocab.config;
  const maxFactor = augs.reduce((m, a) => Math.max(m, a.stretch), 0);
  const rows: Uint16Array[] = [];
  let windows = 0;
  let skipped = 0;
  let longest = 0;
  for (const piece of pieces) {
    for (const w of cutWindows(piece, length, scheme, windowRng)) {
      windows++;
      const withEnd = always || w.reachesEnd;
      // Note-offs of notes struck before the window would teach releasing notes that never sounded.
      const body = dropStrayNoteOffs(w.tokens, vocab);
      const n = body.length;
      // Per window, not per augmentation: the pitch span decides which transpositions fit.
      const span = pitchSpan(body, vocab);
      const moved = new Uint16Array(n);
      const scratch = new Uint16Array(stretchCapacity(n, shiftSteps(body, vocab), maxFactor, vocab) + 2);
      for (const a of augs) {
        if (span && (span.low + a.semitones < minPitch || span.high + a.semitones > maxPitch)) {
          skipped++;
          continue;
        }
        transposeInto(body, span ? a.semitones : 0, vocab, moved);
        let bodyLen = n;
        if (a.stretch === 1) scratch.set(moved, 1);
        else bodyLen = stretchInto(moved, a.stretch, vocab, scratch, 1);
        scratch[0] = vocab.start;
        if (withEnd) scratch[bodyLen + 1] = vocab.end;
        const row = scratch.slice(0, bodyLen + (withEnd ? 2 : 1));
        if (row.length > longest) longest = row.length;
        rows.push(row);
      }
    }
  }
  const width = options.width ?? longest;
  const out = new Uint16Array(rows.length * width); // zero-filled, and the pad id is always 0
  const order = options.shuffle === false ? null : permutation(rows.length, rng.fork('shuffle'));
  let truncated = 0;
  for (let i = 0; i < rows.length; i++) {
    const row = rows[order ? order[i]! : i]!;
    if (row.length > width) truncated++;
    out.set(row.length > width ? row.subarray(0, width) : row, i * width);
  }
  return {
    rows: out,
    count: rows.length,
    width,
    stats: { pieces: pieces.length, windows, skippedTranspositions: skipped, truncatedRows: truncated },
  };
}
