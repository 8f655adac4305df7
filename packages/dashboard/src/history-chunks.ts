import { type Columns, type RunSeries, type ServerMessage, seriesIsEmpty } from './protocol.js';

/** Target size of one history message; a 100,000-record history (~2.5 MB of JSON) is ~40 of them. */
export const HISTORY_CHUNK_BYTES = 64 * 1024;

/**
 * A run's whole history as `metrics` messages of about `chunkBytes` each: the first has `reset: true`
 * and carries the marks (checkpoints, samples, statuses), the rest append rows. Each record type's
 * columns are cut into the same number of row ranges, so appending the chunks in order rebuilds the
 * series exactly; a slow client then receives it piece by piece instead of as one large frame, and a
 * client that falls behind can be skipped between pieces.
 */
export function historyChunks(
  run: string,
  series: RunSeries,
  chunkBytes = HISTORY_CHUNK_BYTES,
  firstIsReset = true,
): string[] {
  const count = Math.max(1, Math.ceil(estimateBytes(series) / chunkBytes));
  const out: string[] = [];
  for (let k = 0; k < count; k++) {
    const data: RunSeries = {
      train: sliceColumns(series.train, k, count),
      validation: sliceColumns(series.validation, k, count),
      system: sliceColumns(series.system, k, count),
      checkpoints: k === 0 ? series.checkpoints : [],
      samples: k === 0 ? series.samples : [],
      statuses: k === 0 ? series.statuses : [],
    };
    out.push(
      JSON.stringify({ type: 'metrics', run, reset: firstIsReset && k === 0, data } satisfies ServerMessage),
    );
  }
  return out;
}

/** Rows [k*n/count, (k+1)*n/count) of every column. */
function sliceColumns<C extends Columns<string>>(columns: C, k: number, count: number): C {
  const rows = columns.time.length;
  return sliceRows(columns, Math.floor((k * rows) / count), Math.floor(((k + 1) * rows) / count));
}

function sliceRows<C extends Columns<string>>(columns: C, from: number, to: number): C {
  const out: Record<string, (number | null)[]> = {};
  for (const [key, values] of Object.entries(columns) as [string, (number | null)[]][]) {
    out[key] = values.slice(from, to);
  }
  return out as C;
}

/** The JSON size of the series, from a sample of rows (serializing it all only to measure is waste). */
function estimateBytes(series: RunSeries): number {
  const SAMPLE = 64;
  let total = JSON.stringify({
    checkpoints: series.checkpoints,
    samples: series.samples,
    statuses: series.statuses,
  }).length;
  for (const columns of [series.train, series.validation, series.system] as Columns<string>[]) {
    const rows = columns.time.length;
    if (rows === 0) continue;
    const sampled = Math.min(rows, SAMPLE);
    total += Math.ceil((JSON.stringify(sliceRows(columns, 0, sampled)).length * rows) / sampled);
  }
  return total;
}

/** How far into each part of a series a prefix reaches (row counts and mark counts). */
export interface SeriesOffsets {
  train: number;
  validation: number;
  system: number;
  checkpoints: number;
  samples: number;
  statuses: number;
}

export const NO_OFFSETS: SeriesOffsets = {
  train: 0,
  validation: 0,
  system: 0,
  checkpoints: 0,
  samples: 0,
  statuses: 0,
};

export function seriesEnd(series: RunSeries): SeriesOffsets {
  return {
    train: series.train.time.length,
    validation: series.validation.time.length,
    system: series.system.time.length,
    checkpoints: series.checkpoints.length,
    samples: series.samples.length,
    statuses: series.statuses.length,
  };
}

/** What `series` holds past `from`. */
export function seriesAfter(series: RunSeries, from: SeriesOffsets): RunSeries {
  return {
    train: sliceRows(series.train, from.train, series.train.time.length),
    validation: sliceRows(series.validation, from.validation, series.validation.time.length),
    system: sliceRows(series.system, from.system, series.system.time.length),
    checkpoints: series.checkpoints.slice(from.checkpoints),
    samples: series.samples.slice(from.samples),
    statuses: series.statuses.slice(from.statuses),
  };
}

/**
 * A growing run's history as chunks, serialized once: chunks that reached the target size are sealed
 * and shared by every later snapshot (a subscriber arriving after the next record gets the same
 * strings, not a new copy of the history); only the unsealed tail is serialized again.
 */
export class ChunkedHistory {
  private sealed: Buffer[] = [];
  private sealedTo: SeriesOffsets = NO_OFFSETS;
  private snapshot: readonly Buffer[] | null = null;

  constructor(
    private readonly run: string,
    private readonly chunkBytes = HISTORY_CHUNK_BYTES,
  ) {}

  /** The series was replaced (the file was rewritten): nothing sealed is valid any more. */
  reset(): void {
    this.sealed = [];
    this.sealedTo = NO_OFFSETS;
    this.snapshot = null;
  }

  /** Rows were appended: the next `chunks()` serializes the tail again. */
  grew(): void {
    this.snapshot = null;
  }

  /** UTF-8 bytes, so that every client's socket sends the same buffers (see outbox.ts `Frame`). */
  chunks(series: RunSeries): readonly Buffer[] {
    if (this.snapshot) return this.snapshot;
    const rest = seriesAfter(series, this.sealedTo);
    if (this.sealed.length > 0 && seriesIsEmpty(rest)) {
      this.snapshot = [...this.sealed];
      return this.snapshot;
    }
    const tail = historyChunks(this.run, rest, this.chunkBytes, this.sealed.length === 0).map((text) =>
      Buffer.from(text),
    );
    const last = tail[tail.length - 1] ?? Buffer.alloc(0);
    if (tail.length > 1 || last.length >= (this.chunkBytes * 3) / 4) {
      this.sealed.push(...tail);
      this.sealedTo = seriesEnd(series);
      this.snapshot = [...this.sealed];
    } else {
      this.snapshot = [...this.sealed, ...tail];
    }
    return this.snapshot;
  }
}
