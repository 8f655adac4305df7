import type { RunSeries } from '@music-transformer/dashboard/protocol';
import { buildChartData } from './chart-data.js';
import { ChartPanel } from './chart-panel.js';
import { CHARTS } from './chart-specs.js';
import type { Marker } from './checkpoint-markers.js';
import { h } from './dom.js';
import { loadLogCharts, saveLogCharts } from './log-preference.js';
import { type XAxis, xMapper } from './x-axis.js';

/** The grid of training charts; all of them share the x axis, the smoothing and the overlaid runs. */
export class ChartsView {
  readonly el: HTMLElement;
  private readonly logCharts = loadLogCharts();
  private readonly panels = CHARTS.map(
    (spec) =>
      new ChartPanel(spec, this.logCharts.has(spec.id), (id, on) => {
        if (on) this.logCharts.add(id);
        else this.logCharts.delete(id);
        saveLogCharts(this.logCharts);
      }),
  );
  private pending = 0;

  constructor() {
    this.el = h(
      'div',
      { className: 'charts' },
      this.panels.map((p) => p.el),
    );
  }

  /**
   * Redraws the loss chart now and the others one per task after it, so with a long history the
   * browser paints the chart people look at first instead of blocking until all seven are built. A
   * newer update cancels the rest of an older one.
   */
  update(
    runs: readonly { name: string; series: RunSeries }[],
    axis: XAxis,
    smoothing: number,
    colors: ReadonlyMap<string, string> = new Map(),
  ): void {
    const primary = runs[0];
    const markers = primary ? checkpointMarks(primary.series, axis) : [];
    const generation = ++this.pending;
    const draw = (i: number): void => {
      const panel = this.panels[i];
      if (!panel || generation !== this.pending) return;
      panel.update(
        buildChartData(panel.spec, runs, axis, smoothing),
        panel.spec.forceTime ? [] : markers,
        colors,
      );
      if (i + 1 < this.panels.length) setTimeout(() => draw(i + 1), 0);
    };
    draw(0);
  }
}

/**
 * Checkpoint markers of the primary run only (several runs' markers would be unreadable): one per
 * periodic checkpoint, and the best one only where the current best was written (every earlier `best`
 * record was overwritten by a better one).
 */
export function checkpointMarks(series: RunSeries, axis: XAxis): Marker[] {
  const map = xMapper(series, axis);
  const periodic = series.checkpoints.filter((c) => !c.best);
  const best = series.checkpoints.filter((c) => c.best).at(-1);
  const marks = periodic.map((c) => ({
    x: map.atStep(c.step, c.time),
    best: false,
    label: `${c.path} (step ${c.step})`,
  }));
  if (best)
    marks.push({
      x: map.atStep(best.step, best.time),
      best: true,
      label: `${best.path} (step ${best.step})`,
    });
  return marks;
}
