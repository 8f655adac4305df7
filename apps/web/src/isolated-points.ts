import type { Cell } from './chart-data.js';

/**
 * Indices of the values a line cannot show: a value whose neighbours (skipping `undefined` cells, which
 * uPlot joins across) are gaps or the ends of the data has no segment to draw. A run with a single
 * `system` record, or one validation between two diverged ones, would otherwise be invisible; the chart
 * draws these as dots. Null when there are none (uPlot then draws no points at all).
 */
export function isolatedIndices(ys: readonly Cell[]): number[] | null {
  const out: number[] = [];
  let prev: Cell;
  for (let i = 0; i < ys.length; i++) {
    const v = ys[i];
    if (typeof v !== 'number') {
      if (v === null) prev = null;
      continue;
    }
    if (typeof prev !== 'number') {
      let next: Cell;
      for (let j = i + 1; j < ys.length; j++) {
        if (ys[j] !== undefined) {
          next = ys[j];
          break;
        }
      }
      if (typeof next !== 'number') out.push(i);
    }
    prev = v;
  }
  return out.length > 0 ? out : null;
}

/**
 * A log axis cannot place zero or negative values (an accuracy of 0 at step 1): they become gaps
 * instead of dragging the axis to -Infinity.
 */
export function positiveOnly(column: readonly Cell[]): Cell[] {
  return column.map((v) => (typeof v === 'number' && v <= 0 ? null : v));
}
