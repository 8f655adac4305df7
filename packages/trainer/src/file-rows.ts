import { createHash } from 'node:crypto';
import {
  augmentations,
  buildRows,
  createRng,
  createVocab,
  type MidiLimits,
  midiToTokens,
  type Vocab,
  type WindowScheme,
} from '@music-transformer/vocab';

export interface FileTask {
  absPath: string;
  /** '/'-separated path below the source folder: names the file in errors and labels its RNG fork. */
  relPath: string;
  seed: number;
  /** Row width in tokens (start/end and padding included). */
  length: number;
  /** Window length handed to the vocab's `buildRows` (approximate for `random`, exact for `tile`). */
  windowLength: number;
  /** How the piece is cut into windows. */
  windows: WindowScheme;
  transpositions: number[];
  stretches: number[];
  vocab: Record<string, unknown>;
  /** Keep channel-10 drums as notes (see `BuildDatasetOptions.includeDrums`). */
  includeDrums: boolean;
  /** Longest piece read; a longer file is refused with the reason. */
  limits: MidiLimits;
}

export type FileTaskResult =
  | {
      ok: true;
      relPath: string;
      sha256: string;
      tokens: number;
      /** Row-major [rowCount, length], in the vocab's row order (the builder shuffles later). */
      rows: Uint16Array;
      rowCount: number;
      skippedTranspositions: number;
      truncatedRows: number;
    }
  | { ok: false; relPath: string; reason: string };

/**
 * One file's rows through the vocab package's `buildRows` (windows per `task.windows`, every
 * augmentation of each window, `<start>`, `<end>` only where the piece really ends, padding to `length`).
 * Its RNG is a fork of the dataset seed labelled with the file's path, so the rows of a file do not
 * depend on which worker ran it, when, or which other files exist.
 */
export function fileRows(bytes: Uint8Array, task: FileTask): FileTaskResult {
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  try {
    const vocab: Vocab = createVocab(task.vocab);
    const { tokens } = midiToTokens(bytes, {
      fileName: task.relPath,
      vocab,
      includeDrums: task.includeDrums,
      limits: task.limits,
    });
    if (tokens.length === 0)
      return { ok: false, relPath: task.relPath, reason: 'no notes in the vocabulary range' };
    const r = buildRows([tokens], {
      vocab,
      length: task.windowLength,
      windows: task.windows,
      rng: createRng(task.seed).fork(`dataset/file/${task.relPath}`),
      augmentations: augmentations(task.transpositions, task.stretches),
      width: task.length,
      shuffle: false,
    });
    return {
      ok: true,
      relPath: task.relPath,
      sha256,
      tokens: tokens.length,
      rows: r.rows,
      rowCount: r.count,
      skippedTranspositions: r.stats.skippedTranspositions,
      truncatedRows: r.stats.truncatedRows,
    };
  } catch (e) {
    // A bad file is reported, never fatal for the batch (MidiParseError names the file already).
    return { ok: false, relPath: task.relPath, reason: (e as Error).message };
  }
}
