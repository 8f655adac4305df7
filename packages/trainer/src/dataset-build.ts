import { createHash } from 'node:crypto';
import { setMaxListeners } from 'node:events';
import { availableParallelism } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import {
  augmentations,
  createVocab,
  type MidiLimits,
  ORIGINAL_WINDOWS,
  presets,
  resolveMidiLimits,
  type WindowScheme,
} from '@music-transformer/vocab';
import Tinypool from 'tinypool';
import { writeFileAtomic } from './atomic-write.js';
import { encodeDataset } from './dataset-file.js';
import {
  type DatasetFileEntry,
  type DatasetMeta,
  type SkippedFile,
  WindowSchemeSchema,
} from './dataset-meta.js';
import { shuffleRows, splitByFile } from './dataset-split.js';
import { TrainerError } from './errors.js';
import type { FileTask, FileTaskResult } from './file-rows.js';
import { findMidiFiles } from './source-files.js';
import { removeStaleTemps } from './temp-files.js';
import { workerFile } from './worker-url.js';

export interface BuildProgress {
  done: number;
  total: number;
  file: string;
  ok: boolean;
}

export interface BuildDatasetOptions {
  /** Output file (written atomically). */
  output: string;
  /** Row length in tokens including `<start>`/`<end>` and padding. */
  length: number;
  /**
   * How each piece is cut into windows (the vocab's `WindowScheme`). Default `ORIGINAL_WINDOWS`: one
   * random window and the end window, as the original. `{ kind: 'random', count: n }` takes n random
   * windows + the end window; `{ kind: 'tile' }` cuts every piece into consecutive windows, so every
   * token is in a row (for small corpora). Recorded in the metadata as `windows.scheme`, except the
   * default, whose files stay byte-identical to those written before the option existed.
   */
  windows?: WindowScheme;
  /**
   * Window length in tokens. `random` scheme: approximate (the original's `lth`; windows are +- 1/6 of
   * it), default floor((length - 2) * 6 / 7), so an unstretched window always fits. `tile` scheme: exact,
   * default length - 2 (room for `<start>` and `<end>`), so unstretched rows are full. In both, a longer
   * stretched row is cut at `length` and counted in the metadata.
   */
  windowLength?: number;
  seed?: number;
  /** Semitone shifts (default -2..2, the original's). */
  transpositions?: number[];
  /** Time-stretch factors; their inverses and 1 are added (default 1, 1.05, 1.1 as the original). */
  stretches?: number[];
  /** Share of source files held out for validation (default 0.2). */
  validationFraction?: number;
  /** Vocabulary config (default: the `seed` preset, 416 ids); its `sustain` decides pedal handling. */
  vocab?: Record<string, unknown>;
  /**
   * Keep General MIDI drums (channel 10) as ordinary notes, merged with the other instruments (the vocab's
   * `midiToTokens` option). Default false: drums are dropped, as in the original's piano datasets.
   */
  includeDrums?: boolean;
  /**
   * Longest piece read (the vocab's `midiToTokens` `limits`; default `DEFAULT_MIDI_LIMITS`). A longer
   * file is skipped with the reason, like any bad file.
   */
  midiLimits?: Partial<MidiLimits>;
  /** Worker threads (default: all cores). */
  workers?: number;
  onProgress?: (p: BuildProgress) => void;
  /**
   * Aborting stops the build: files not started are dropped, those in a worker are cancelled, and
   * `buildDataset` rejects with code `STOPPED` without writing anything.
   */
  signal?: AbortSignal;
}

export interface DatasetResult {
  path: string;
  meta: DatasetMeta;
  skipped: SkippedFile[];
  trainRows: number;
  validationRows: number;
  /** sha256 of the written file (what checkpoints record). */
  fingerprint: string;
}

/**
 * Builds a dataset file from every MIDI file below `sourceDir` (see README "Dataset format"). Files are
 * processed in a worker pool; a file that fails is listed in `skipped` with its reason and never aborts
 * the batch. The same sources, options and seed give a byte-identical file whatever the worker count.
 */
export async function buildDataset(sourceDir: string, options: BuildDatasetOptions): Promise<DatasetResult> {
  const o = checkOptions(options);
  removeStaleTemps(dirname(resolve(o.output)));
  const root = resolve(sourceDir);
  const files = findMidiFiles(root);
  if (files.length === 0) throw new TrainerError('BAD_SOURCE', `no .mid or .midi files below ${root}`);
  const vocab = createVocab(o.vocab);
  const vocabConfig = { ...vocab.config } as Record<string, unknown>;
  const pool = new Tinypool({
    filename: workerFile('dataset-worker'),
    minThreads: 1,
    maxThreads: Math.max(1, Math.min(o.workers, files.length)),
  });
  const results = new Map<string, FileTaskResult>();
  let done = 0;
  // Every queued task listens to the signal; one listener on the caller's signal feeds a signal of our
  // own that may carry one per file without Node's leak warning.
  const stop = new AbortController();
  setMaxListeners(files.length + 1, stop.signal);
  const onAbort = (): void => stop.abort();
  o.signal?.addEventListener('abort', onAbort, { once: true });
  if (o.signal?.aborted) stop.abort();
  try {
    await Promise.all(
      files.map(async (relPath) => {
        const task: FileTask = {
          absPath: join(root, relPath),
          relPath,
          seed: o.seed,
          length: o.length,
          windowLength: o.windowLength,
          windows: o.windows,
          transpositions: o.transpositions,
          stretches: o.stretches,
          vocab: vocabConfig,
          includeDrums: o.includeDrums,
          limits: o.midiLimits,
        };
        let r: FileTaskResult;
        if (stop.signal.aborted) return;
        try {
          r = (await pool.run(task, { signal: stop.signal })) as FileTaskResult;
        } catch (e) {
          if (stop.signal.aborted) return;
          r = { ok: false, relPath, reason: `worker failed: ${(e as Error).message}` };
        }
        results.set(relPath, r);
        done++;
        o.onProgress?.({ done, total: files.length, file: relPath, ok: r.ok });
      }),
    );
  } finally {
    o.signal?.removeEventListener('abort', onAbort);
    await pool.destroy();
  }
  if (stop.signal.aborted) {
    throw new TrainerError('STOPPED', `stopped after ${done} of ${files.length} files; nothing written`);
  }
  return assemble(files, results, o, vocabConfig, vocab.size, vocab.pad);
}

type Checked = Required<Omit<BuildDatasetOptions, 'onProgress' | 'vocab' | 'signal' | 'midiLimits'>> &
  Pick<BuildDatasetOptions, 'onProgress' | 'vocab' | 'signal'> & { midiLimits: MidiLimits };

function checkOptions(options: BuildDatasetOptions): Checked {
  const bad = (what: string): never => {
    throw new TrainerError('BAD_OPTIONS', `buildDataset: ${what}`);
  };
  const windows = WindowSchemeSchema.safeParse(options.windows ?? ORIGINAL_WINDOWS);
  const scheme: WindowScheme = windows.success
    ? windows.data
    : bad(
        `windows must be { kind: 'random', count: integer >= 1 } or { kind: 'tile' }, got ${JSON.stringify(options.windows)}`,
      );
  const o: Checked = {
    output: options.output,
    length: options.length,
    windows: scheme,
    windowLength:
      options.windowLength ??
      (scheme.kind === 'tile' ? options.length - 2 : Math.floor(((options.length - 2) * 6) / 7)),
    seed: options.seed ?? 1,
    transpositions: options.transpositions ?? [-2, -1, 0, 1, 2],
    stretches: options.stretches ?? [1, 1.05, 1.1],
    validationFraction: options.validationFraction ?? 0.2,
    workers: options.workers ?? availableParallelism(),
    includeDrums: options.includeDrums ?? false,
    midiLimits: limitsOf(options.midiLimits, bad),
    onProgress: options.onProgress,
    signal: options.signal,
    vocab: options.vocab ?? { ...presets.seed },
  };
  if (!o.output) bad('output path is required');
  if (!Number.isInteger(o.length) || o.length < 3) bad(`length must be an integer >= 3, got ${o.length}`);
  if (!Number.isInteger(o.windowLength) || o.windowLength < 1) {
    bad(`windowLength must be a positive integer, got ${o.windowLength}`);
  }
  if (!Number.isSafeInteger(o.seed)) bad(`seed must be a safe integer, got ${o.seed}`);
  if (!o.transpositions.every(Number.isInteger))
    bad(`transpositions must be integers, got ${o.transpositions}`);
  if (!o.stretches.every((s) => Number.isFinite(s) && s > 0))
    bad(`stretches must be > 0, got ${o.stretches}`);
  if (!(o.validationFraction >= 0 && o.validationFraction < 1)) {
    bad(`validationFraction must be in [0, 1), got ${o.validationFraction}`);
  }
  if (!Number.isInteger(o.workers) || o.workers < 1)
    bad(`workers must be a positive integer, got ${o.workers}`);
  if (typeof o.includeDrums !== 'boolean')
    bad(`includeDrums must be a boolean, got ${String(o.includeDrums)}`);
  return o;
}

function limitsOf(limits: Partial<MidiLimits> | undefined, bad: (what: string) => never): MidiLimits {
  try {
    return resolveMidiLimits(limits);
  } catch (e) {
    return bad((e as Error).message);
  }
}

function assemble(
  files: readonly string[],
  results: ReadonlyMap<string, FileTaskResult>,
  o: Checked,
  vocabConfig: Record<string, unknown>,
  vocabSize: number,
  pad: number,
): DatasetResult {
  const skipped: SkippedFile[] = [];
  const good: Extract<FileTaskResult, { ok: true }>[] = [];
  for (const f of files) {
    const r = results.get(f)!;
    if (r.ok && r.rowCount > 0) good.push(r);
    else skipped.push({ path: f, reason: r.ok ? 'piece too short for any window' : r.reason });
  }
  if (good.length === 0) {
    throw new TrainerError(
      'EMPTY_DATASET',
      `no usable MIDI file: ${skipped.map((s) => `${s.path}: ${s.reason}`).join('; ')}`,
    );
  }
  const validation = splitByFile(
    good.map((g) => g.relPath),
    o.validationFraction,
    o.seed,
  );
  const L = o.length;
  const concat = (parts: Uint16Array[]): Uint16Array => {
    const out = new Uint16Array(parts.reduce((n, p) => n + p.length, 0));
    let at = 0;
    for (const p of parts) {
      out.set(p, at);
      at += p.length;
    }
    return out;
  };
  const train = shuffleRows(
    concat(good.filter((g) => !validation.has(g.relPath)).map((g) => g.rows)),
    L,
    o.seed,
    'dataset/shuffle/train',
  );
  const val = shuffleRows(
    concat(good.filter((g) => validation.has(g.relPath)).map((g) => g.rows)),
    L,
    o.seed,
    'dataset/shuffle/validation',
  );
  let nonPad = 0;
  for (const a of [train, val]) for (let i = 0; i < a.length; i++) if (a[i] !== pad) nonPad++;
  const entries: DatasetFileEntry[] = good.map((g) => ({
    path: g.relPath,
    sha256: g.sha256,
    split: validation.has(g.relPath) ? 'validation' : 'train',
    tokens: g.tokens,
    rows: g.rowCount,
    skipped_transpositions: g.skippedTranspositions,
    truncated_rows: g.truncatedRows,
  }));
  const meta: DatasetMeta = {
    format: 'music-transformer/dataset',
    version: 1,
    vocab: vocabConfig,
    vocab_size: vocabSize,
    pad,
    length: L,
    augmentation: {
      transpositions: o.transpositions,
      stretches: o.stretches,
      applied: augmentations(o.transpositions, o.stretches).map((a) => [a.semitones, a.stretch]),
    },
    windows: windowsMeta(o.windows, o.windowLength),
    seed: o.seed,
    include_drums: o.includeDrums,
    validation_fraction: o.validationFraction,
    files: entries,
    skipped,
    counts: {
      files: files.length,
      skipped: skipped.length,
      train_files: entries.filter((e) => e.split === 'train').length,
      validation_files: entries.filter((e) => e.split === 'validation').length,
      train_rows: train.length / L,
      validation_rows: val.length / L,
      non_pad_tokens: nonPad,
    },
  };
  const bytes = encodeDataset(meta, train, val);
  const path = resolve(o.output);
  writeFileAtomic(path, bytes);
  return {
    path,
    meta,
    skipped,
    trainRows: train.length / L,
    validationRows: val.length / L,
    fingerprint: createHash('sha256').update(bytes).digest('hex'),
  };
}

/**
 * The metadata's `windows`. The original scheme keeps the exact object written before the scheme
 * option existed (no `scheme` key), so default datasets stay byte-identical.
 */
function windowsMeta(scheme: WindowScheme, windowLength: number): DatasetMeta['windows'] {
  if (scheme.kind === 'tile') {
    return {
      method: 'vocab buildRows: consecutive windows covering each piece',
      window_length: windowLength,
      scheme,
    };
  }
  if (scheme.count === 1) {
    return { method: 'vocab buildRows: 2 windows per piece (random + end)', window_length: windowLength };
  }
  return {
    method: `vocab buildRows: ${scheme.count + 1} windows per piece (${scheme.count} random + end)`,
    window_length: windowLength,
    scheme,
  };
}
