import type { RunSeries } from '@music-transformer/dashboard/protocol';

type Row = Record<string, string | number | boolean | null>;

/** Column order of the CSV: the record type, when, where in training, then every figure the page holds. */
export const CSV_COLUMNS = [
  'type',
  'time',
  'step',
  'epoch',
  'loss',
  'accuracy',
  'lr',
  'grad_norm',
  'tokens_per_s',
  'val_loss',
  'val_accuracy',
  'cpu_percent',
  'rss_bytes',
  'path',
  'best',
] as const;

/** Columns of a record type turned into one object per record, `time` as an ISO 8601 string. */
function rows(columns: { time: number[] } & Record<string, unknown>): Row[] {
  const names = Object.keys(columns).filter((k) => k !== 'time');
  return columns.time.map((t, i) => {
    const row: Row = { time: new Date(t).toISOString() };
    for (const name of names) row[name] = ((columns[name] as unknown[])[i] ?? null) as number | null;
    return row;
  });
}

/**
 * A run's metrics as the page holds them, one array of records per type. Figures are those of the
 * charts: 7 significant digits (float32 precision); a `null` is a NaN or infinite figure the trainer
 * logged. `metrics.jsonl` in the run directory keeps every field at full precision.
 */
export function metricsJson(run: string, series: RunSeries): string {
  const doc = {
    run,
    train: rows(series.train),
    validation: rows(series.validation),
    system: rows(series.system),
    checkpoints: series.checkpoints.map((c) => ({ ...c, time: new Date(c.time).toISOString() })),
    samples: series.samples.map((s) => ({ ...s, time: new Date(s.time).toISOString() })),
    statuses: series.statuses.map((s) => ({ ...s, time: new Date(s.time).toISOString() })),
  };
  return `${JSON.stringify(doc, null, 2)}\n`;
}

/**
 * The same records as one CSV table (RFC 4180: comma separated, CRLF line ends, quoted where needed),
 * one row per train, validation, system and checkpoint record; a cell is empty where the record type
 * has no such field or the figure was not finite.
 */
export function metricsCsv(series: RunSeries): string {
  const typed: [string, Row[]][] = [
    ['train', rows(series.train)],
    ['validation', rows(series.validation)],
    ['system', rows(series.system)],
    [
      'checkpoint',
      series.checkpoints.map((c) => ({ ...c, time: new Date(c.time).toISOString() }) as unknown as Row),
    ],
  ];
  const lines = [CSV_COLUMNS.join(',')];
  for (const [type, list] of typed) {
    for (const row of list) {
      lines.push(CSV_COLUMNS.map((c) => csvCell(c === 'type' ? type : row[c])).join(','));
    }
  }
  return `${lines.join('\r\n')}\r\n`;
}

function csvCell(value: string | number | boolean | null | undefined): string {
  if (value === null || value === undefined) return '';
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** A file name for the export that is safe on every file system (run names may hold any character). */
export function exportFileName(run: string, extension: 'csv' | 'json'): string {
  const safe = run.replace(/[^A-Za-z0-9._-]+/g, '_').replace(/^\.+/, '') || 'run';
  return `${safe}.metrics.${extension}`;
}
