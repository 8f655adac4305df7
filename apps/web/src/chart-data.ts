import type { RunSeries } from '@music-transformer/dashboard/protocol';
import { smooth } from './smoothing.js';
import { type XAxis, xMapper } from './x-axis.js';

export type Source = 'train' | 'validation' | 'system';

export interface LineSpec {
  label: string;
  source: Source;
  field: string;
  /** Apply the user's smoothing (and keep the raw line, faded, beside it). */
  smoothable?: boolean;
  scale?: number;
}

/** A chart cell: a value, a gap (`null`), or no record at this x (`undefined`). */
export type Cell = number | null | undefined;

/** One (run, record type): its x column and one y column per line (`null` = missing figure). */
interface Table {
  x: readonly number[];
  ys: readonly (readonly (number | null)[])[];
}

export interface ChartSpec {
  id: string;
  title: string;
  lines: LineSpec[];
  /** System records have no step: that chart always uses wall-clock time. */
  forceTime?: boolean;
  logY?: boolean;
}

export interface ChartLine {
  run: string;
  label: string;
  /** Index of the run in the list (colour). */
  runIndex: number;
  lineIndex: number;
  kind: 'raw' | 'smoothed' | 'plain';
}

export interface ChartData {
  axis: XAxis;
  lines: ChartLine[];
  /**
   * uPlot aligned data: [x, ...y]. `null` is a real gap (a NaN/infinite figure the trainer logged as
   * null): uPlot breaks the line there. `undefined` only means "this line has no record at this x" (another
   * run or record type does): uPlot draws straight across it, so sparse validation points stay joined.
   */
  data: [number[], ...Cell[][]];
  /** Points of the first line of the first run: what the user sees as "the run's curve". */
  primaryPoints: number;
}

/**
 * Builds the columns of one chart for several runs overlaid. Each (run, record type) is a table on its
 * own x; tables are merged on the union of x values (like uPlot.join) so uPlot can draw them together.
 */
export function buildChartData(
  spec: ChartSpec,
  runs: readonly { name: string; series: RunSeries }[],
  axis: XAxis,
  smoothing: number,
): ChartData {
  const effective: XAxis = spec.forceTime ? 'time' : axis;
  const tables: Table[] = [];
  const lines: ChartLine[] = [];
  runs.forEach((run, runIndex) => {
    const mapper = xMapper(run.series, effective);
    const bySource = new Map<Source, LineSpec[]>();
    for (const line of spec.lines) bySource.set(line.source, [...(bySource.get(line.source) ?? []), line]);
    for (const [source, specs] of bySource) {
      const columns = run.series[source] as unknown as Record<string, (number | null)[]>;
      const xRaw =
        source === 'train'
          ? mapper.train
          : source === 'validation'
            ? mapper.validation
            : run.series.system.time;
      const keep = keepAfterRewinds(
        source === 'system' ? run.series.system.time : ((columns.step as number[] | undefined) ?? xRaw),
      );
      const x = pick(xRaw, keep);
      const ys: (number | null)[][] = [];
      for (const line of specs) {
        const lineIndex = spec.lines.indexOf(line);
        const scale = line.scale ?? 1;
        // null (not 0) stays null: `null * scale` would draw a diverged step as a zero.
        const raw = pick(columns[line.field] ?? [], keep).map((v) => (v === null ? null : v * scale));
        if (line.smoothable && smoothing > 0) {
          ys.push(raw);
          lines.push({ run: run.name, label: line.label, runIndex, lineIndex, kind: 'raw' });
          ys.push(smooth(raw, smoothing));
          lines.push({ run: run.name, label: line.label, runIndex, lineIndex, kind: 'smoothed' });
        } else {
          ys.push(raw);
          lines.push({ run: run.name, label: line.label, runIndex, lineIndex, kind: 'plain' });
        }
      }
      tables.push({ x, ys });
    }
  });
  const data = joinTables(tables);
  const firstY = data[1] ?? [];
  let primaryPoints = 0;
  for (const v of firstY) if (typeof v === 'number') primaryPoints++;
  return { axis: effective, lines, data, primaryPoints };
}

/**
 * A resumed run rewinds: after a restart from the checkpoint at step 100, steps 101.. are logged again.
 * Keep, for every step, only the latest record, so x stays increasing and the curve shows what the
 * surviving run did.
 */
export function keepAfterRewinds(steps: readonly number[]): number[] {
  const keep: number[] = [];
  for (let i = 0; i < steps.length; i++) {
    const s = steps[i] as number;
    while (keep.length > 0 && (steps[keep[keep.length - 1] as number] as number) >= s) keep.pop();
    keep.push(i);
  }
  return keep;
}

function pick<T>(values: readonly T[], idx: readonly number[]): T[] {
  if (idx.length === values.length) return values as T[];
  return idx.map((i) => values[i] as T);
}

/**
 * Outer join of tables sorted by x: one shared x column; `undefined` where a table has no record at an
 * x, `null` where it has one whose value is missing or not finite (a gap).
 */
export function joinTables(tables: readonly Table[]): ChartData['data'] {
  if (tables.length === 1) {
    const t = tables[0] as Table;
    return [t.x as number[], ...t.ys.map((y) => y.map(finiteOrNull))];
  }
  // Each table's x is increasing, so a linear merge replaces sorting the concatenation.
  let xs: number[] = [];
  for (const t of tables) xs = mergeUnique(xs, t.x);
  const out: ChartData['data'] = [xs];
  for (const t of tables) {
    const cols = t.ys.map(() => new Array<Cell>(xs.length).fill(undefined));
    let j = 0;
    for (let i = 0; i < t.x.length; i++) {
      const x = t.x[i] as number;
      while ((xs[j] as number) < x) j++;
      t.ys.forEach((y, k) => {
        (cols[k] as Cell[])[j] = finiteOrNull(y[i] as number | null);
      });
    }
    out.push(...cols);
  }
  return out;
}

/** Union of two increasing arrays, increasing and without duplicates. */
export function mergeUnique(a: readonly number[], b: readonly number[]): number[] {
  const out: number[] = [];
  let i = 0;
  let j = 0;
  const push = (v: number) => {
    if (out.length === 0 || (out[out.length - 1] as number) < v) out.push(v);
  };
  while (i < a.length || j < b.length) {
    if (j >= b.length || (i < a.length && (a[i] as number) <= (b[j] as number))) push(a[i++] as number);
    else push(b[j++] as number);
  }
  return out;
}

function finiteOrNull(v: number | null): number | null {
  return v !== null && Number.isFinite(v) ? v : null;
}
