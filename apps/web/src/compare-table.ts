import type { RunSeries, RunSummary } from '@music-transformer/dashboard/protocol';
import { formatNumber } from './format.js';

export interface CompareRow {
  section: 'hparams' | 'training' | 'dataset' | 'final';
  key: string;
  /** One cell per run, in the runs' order; '—' where the run has no such value. */
  cells: string[];
  /** Config rows: the runs disagree (a missing value counts as a value). */
  differs: boolean;
  /** Final-metric rows: index of the best run (lowest loss, highest accuracy), null if not comparable. */
  best: number | null;
}

const CONFIG_SECTIONS = ['hparams', 'training', 'dataset'] as const;

/** Final figures: the last finite value of a column, and which direction is better. */
const FINAL: { key: string; pick: (s: RunSeries) => (number | null)[]; better: 'low' | 'high' | null }[] = [
  { key: 'step', pick: (s) => s.train.step, better: null },
  { key: 'loss', pick: (s) => s.train.loss, better: 'low' },
  { key: 'accuracy', pick: (s) => s.train.accuracy, better: 'high' },
  { key: 'val loss', pick: (s) => s.validation.val_loss, better: 'low' },
  { key: 'val accuracy', pick: (s) => s.validation.val_accuracy, better: 'high' },
  { key: 'tokens/s', pick: (s) => s.train.tokens_per_s, better: null },
];

/**
 * The side-by-side table of the runs on the charts: every config key any of them has (hparams, training,
 * dataset) with the rows where they differ flagged, then the last logged figures and the best
 * validation loss, with the best run of each marked. Hparams that all runs share are kept (not hidden):
 * the table also says what was the same.
 */
export function compareRows(
  runs: readonly { summary: RunSummary; series: RunSeries | undefined }[],
): CompareRow[] {
  const out: CompareRow[] = [];
  for (const section of CONFIG_SECTIONS) {
    const values = runs.map((r) => asRecord(r.summary.config?.[section]));
    // The trainer repeats the hparams inside `training`: shown once, in their own section.
    const keys = [...new Set(values.flatMap((v) => Object.keys(v)))]
      .filter((k) => !(section === 'training' && k === 'hparams'))
      .sort();
    for (const key of keys) {
      const cells = values.map((v) => (key in v ? showValue(v[key]) : '—'));
      out.push({ section, key, cells, differs: new Set(cells).size > 1, best: null });
    }
  }
  for (const f of FINAL) {
    const figures = runs.map((r) => (r.series ? lastFinite(f.pick(r.series)) : null));
    out.push(finalRow(f.key, figures, f.better));
  }
  out.push(
    finalRow(
      'best val loss',
      runs.map((r) => r.summary.bestValLoss),
      'low',
    ),
  );
  return out;
}

function finalRow(key: string, figures: (number | null)[], better: 'low' | 'high' | null): CompareRow {
  const known = figures.filter((v): v is number => v !== null);
  let best: number | null = null;
  if (better && known.length > 1) {
    const target = better === 'low' ? Math.min(...known) : Math.max(...known);
    // No winner when they tie: nothing stands out.
    if (known.some((v) => v !== target)) best = figures.indexOf(target);
  }
  return {
    section: 'final',
    key,
    cells: figures.map((v) => (v === null ? '—' : formatNumber(v, 5))),
    differs: false,
    best,
  };
}

function lastFinite(column: readonly (number | null)[]): number | null {
  for (let i = column.length - 1; i >= 0; i--) {
    const v = column[i];
    if (typeof v === 'number' && Number.isFinite(v)) return v;
  }
  return null;
}

function asRecord(value: unknown): Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};
}

function showValue(v: unknown): string {
  if (v === null) return 'null';
  return typeof v === 'object' ? JSON.stringify(v) : String(v);
}
