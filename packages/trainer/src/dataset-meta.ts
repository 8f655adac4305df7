import { ORIGINAL_WINDOWS, type WindowScheme } from '@music-transformer/vocab';
import { z } from 'zod';

/** The vocab package's `WindowScheme`, as options and metadata carry it. */
export const WindowSchemeSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('random'), count: z.number().int().min(1) }).strict(),
  z.object({ kind: z.literal('tile') }).strict(),
]);

export const DatasetFileEntrySchema = z.object({
  /** Path relative to the source folder, '/'-separated. */
  path: z.string(),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  split: z.enum(['train', 'validation']),
  /** Tokens of the un-augmented piece. */
  tokens: z.number().int().nonnegative(),
  /** Rows this file contributed (all augmentations). */
  rows: z.number().int().nonnegative(),
  /** Window transpositions skipped because a note would leave the vocabulary's pitch range. */
  skipped_transpositions: z.number().int().nonnegative(),
  /** Rows longer than `length` (stretched windows), cut at `length`. */
  truncated_rows: z.number().int().nonnegative(),
});

export const SkippedFileSchema = z.object({ path: z.string(), reason: z.string() });

/**
 * JSON stored under `__metadata__.dataset` of a dataset file. It holds no timestamp and no absolute
 * path, so the same sources and seed give a byte-identical file.
 */
export const DatasetMetaSchema = z.object({
  format: z.literal('music-transformer/dataset'),
  version: z.literal(1),
  vocab: z.record(z.string(), z.unknown()),
  vocab_size: z.number().int().positive(),
  pad: z.number().int().nonnegative(),
  /** Row length in tokens, <start>/<end> and padding included; the model sees length - 1 positions. */
  length: z.number().int().min(3),
  augmentation: z.object({
    transpositions: z.array(z.number().int()),
    stretches: z.array(z.number().positive()),
    /** [semitones, stretch] pairs actually applied (stretches with 1 and reciprocals added). */
    applied: z.array(z.tuple([z.number().int(), z.number().positive()])),
  }),
  windows: z.object({
    method: z.string(),
    /** Window length handed to the vocab's `buildRows` (approximate for `random`, exact for `tile`). */
    window_length: z.number().int().positive(),
    /**
     * How pieces were cut. Absent for the original scheme (one random window + the end window), so
     * default datasets stay byte-identical to those written before the option existed: read it with
     * `datasetWindowScheme`.
     */
    scheme: WindowSchemeSchema.optional(),
  }),
  seed: z.number().int(),
  /**
   * Whether General MIDI drums (channel 10) were kept as notes. Optional: files written before the option
   * existed lack it, and they dropped drums.
   */
  include_drums: z.boolean().optional(),
  validation_fraction: z.number().min(0).lt(1),
  files: z.array(DatasetFileEntrySchema),
  skipped: z.array(SkippedFileSchema),
  counts: z.object({
    files: z.number().int().nonnegative(),
    skipped: z.number().int().nonnegative(),
    train_files: z.number().int().nonnegative(),
    validation_files: z.number().int().nonnegative(),
    train_rows: z.number().int().nonnegative(),
    validation_rows: z.number().int().nonnegative(),
    non_pad_tokens: z.number().int().nonnegative(),
  }),
});

export type DatasetMeta = z.infer<typeof DatasetMetaSchema>;
export type DatasetFileEntry = z.infer<typeof DatasetFileEntrySchema>;
export type SkippedFile = z.infer<typeof SkippedFileSchema>;

/** The window scheme a dataset was cut with (files without `windows.scheme` used the original's). */
export function datasetWindowScheme(meta: Pick<DatasetMeta, 'windows'>): WindowScheme {
  return meta.windows.scheme ?? ORIGINAL_WINDOWS;
}
