import type { Columns, RunSeries, ServerMessage } from './protocol.js';

/** Target size of one history message; a 100,000-record history (~2.5 MB of JSON) is ~40 of them. */
export const HISTORY_CHUNK_BYTES = 64 * 1024;

/**
 * A run's whole history as `metrics` messages of about `chunkBytes` each: the first has `reset: true`
 * and carries the marks (checkpoints, samples, statuses), the rest append rows. Each record type's
 * columns are cut into the same number of row ranges, so appending the chunks in order rebuilds the
 * series exactly; a slow client then receives it piece by piece instead of as one large frame, and a
 * client that falls behind can be skipped between pieces.
 */
export function historyChunks(run: string, series: RunSeries, chunkBytes = HISTORY_CHUNK_BYTES): string[] {
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
    out.push(JSON.stringify({ type: 'metrics', run, reset: k === 0, data } satisfies ServerMessage));
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
