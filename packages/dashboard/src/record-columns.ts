import {
  type Columns,
  emptySeries,
  type RunSeries,
  SYSTEM_FIELDS,
  TRAIN_FIELDS,
  VALIDATION_FIELDS,
} from './protocol.js';
import { type MetricsRecord, MetricsRecordSchema } from './records.js';

export interface ParsedLines {
  series: RunSeries;
  /** Lines that were not JSON or failed the record schema (known types only). */
  skipped: number;
  /** `eta_s` of the last train record among the lines, if any (not a chart column). */
  lastEtaS: number | null;
}

/**
 * Turns complete metrics.jsonl lines into columns. Unknown record types are ignored without counting
 * them as errors (forward compatibility, per the run-directory contract); blank lines are ignored.
 */
export function linesToSeries(lines: readonly string[]): ParsedLines {
  const series = emptySeries();
  let skipped = 0;
  let lastEtaS: number | null = null;
  for (const line of lines) {
    if (line.trim() === '') continue;
    let json: unknown;
    try {
      json = JSON.parse(line);
    } catch {
      skipped++;
      continue;
    }
    if (!isKnownType(json)) continue;
    const parsed = MetricsRecordSchema.safeParse(json);
    if (!parsed.success) {
      skipped++;
      continue;
    }
    pushRecord(series, parsed.data);
    if (parsed.data.type === 'train') lastEtaS = parsed.data.eta_s;
  }
  return { series, skipped, lastEtaS };
}

const KNOWN_TYPES = new Set(['train', 'validation', 'checkpoint', 'status', 'system', 'sample']);

function isKnownType(json: unknown): boolean {
  if (typeof json !== 'object' || json === null) return true; // let the schema reject it (counted)
  const type = (json as { type?: unknown }).type;
  return typeof type !== 'string' || KNOWN_TYPES.has(type);
}

function pushRecord(series: RunSeries, record: MetricsRecord): void {
  const time = Date.parse(record.time);
  switch (record.type) {
    case 'train':
      pushColumns(series.train, TRAIN_FIELDS, record, time);
      break;
    case 'validation':
      pushColumns(series.validation, VALIDATION_FIELDS, record, time);
      break;
    case 'system':
      pushColumns(series.system, SYSTEM_FIELDS, record, time);
      break;
    case 'checkpoint':
      series.checkpoints.push({
        time,
        step: record.step,
        epoch: record.epoch,
        path: record.path,
        best: record.best,
      });
      break;
    case 'sample':
      series.samples.push({ time, step: record.step, path: record.path });
      break;
    case 'status':
      series.statuses.push({
        time,
        status: record.status,
        pid: record.pid,
        ...(record.message === undefined ? {} : { message: record.message }),
      });
      break;
  }
}

function pushColumns<F extends string>(
  columns: Columns<F>,
  fields: readonly F[],
  record: Record<string, unknown>,
  time: number,
): void {
  columns.time.push(time);
  // The record schemas allow null only in measured figures; step and epoch stay numbers.
  const cells = columns as unknown as Record<F, (number | null)[]>;
  for (const f of fields) cells[f].push(round7(record[f] as number | null));
}

/**
 * 7 significant digits; integers (steps, epochs) are returned unchanged. `null` (how JSON carries a NaN
 * or infinite figure of a diverged run) and non-finite numbers become `null`: a gap in the chart.
 */
export function round7(v: number | null): number | null {
  if (v === null || !Number.isFinite(v)) return null;
  if (Number.isInteger(v)) return v;
  return Number(v.toPrecision(7));
}
