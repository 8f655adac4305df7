import uPlot from 'uplot';
import type { ChartData, ChartSpec } from './chart-data.js';
import { checkpointMarkers, type Marker } from './checkpoint-markers.js';
import { runColor, withAlpha } from './colors.js';
import { h } from './dom.js';
import { formatNumber } from './format.js';

const HEIGHT = 220;

/**
 * One chart card. The uPlot instance is rebuilt only when the set of lines or the x axis changes; new
 * records go through `setData`, which keeps redraws cheap even with 100k points. A zoom the user made
 * (drag to select) survives new records until a double click resets it.
 */
export class ChartPanel {
  readonly el: HTMLElement;
  private readonly plotEl: HTMLElement;
  private readonly emptyEl: HTMLElement;
  private plot: uPlot | null = null;
  private shape = '';
  private zoomed = false;
  private markers: Marker[] = [];

  constructor(readonly spec: ChartSpec) {
    this.plotEl = h('div', { className: 'plot' });
    this.emptyEl = h('p', { className: 'chart-empty' }, ['no records yet']);
    this.el = h('section', { className: 'card chart', id: `chart-${spec.id}` }, [
      h('h3', {}, [spec.title + (spec.forceTime ? ' (x: time)' : '')]),
      this.emptyEl,
      this.plotEl,
    ]);
    this.el.dataset.testid = `chart-${spec.id}`;
    this.el.dataset.points = '0';
    new ResizeObserver(() => this.resize()).observe(this.el);
  }

  update(chart: ChartData, markers: Marker[]): void {
    this.markers = markers;
    const shape = `${chart.axis}|${chart.lines.map((l) => `${l.run}/${l.label}/${l.kind}`).join('|')}`;
    if (shape !== this.shape || !this.plot) {
      this.plot?.destroy();
      this.shape = shape;
      this.zoomed = false;
      this.plot = new uPlot(this.options(chart), chart.data, this.plotEl);
      this.plot.over.addEventListener('dblclick', () => {
        this.zoomed = false;
      });
    } else {
      this.plot.setData(chart.data, !this.zoomed);
    }
    this.el.dataset.points = String(chart.primaryPoints);
    this.el.dataset.lines = String(chart.lines.length);
    this.emptyEl.hidden = chart.data[0].length > 0;
  }

  destroy(): void {
    this.plot?.destroy();
    this.plot = null;
    this.shape = '';
  }

  private resize(): void {
    if (!this.plot) return;
    const width = this.width();
    if (width !== this.plot.width) this.plot.setSize({ width, height: HEIGHT });
  }

  private width(): number {
    return Math.max(200, this.el.clientWidth - 24);
  }

  private options(chart: ChartData): uPlot.Options {
    const series: uPlot.Series[] = [{ label: chart.axis }];
    for (const line of chart.lines) {
      const base = runColor(line.runIndex);
      const stroke = line.kind === 'raw' ? withAlpha(base, 0.25) : base;
      series.push({
        label: `${line.run} · ${line.label}${line.kind === 'raw' ? ' (raw)' : ''}`,
        // The raw line under a smoothed one stays out of the legend's way (toggled with its curve).
        ...(line.kind === 'raw' ? { class: 'raw-line' } : {}),
        stroke,
        width: line.kind === 'raw' ? 1 : 1.5,
        // A null is a figure the trainer could not log (NaN loss of a diverged run): show the gap. Cells
        // that are merely absent at an x (another run's steps) are undefined and still joined across.
        spanGaps: false,
        ...(line.lineIndex > 0
          ? { dash: [6, 4], points: { show: true, size: 5 } }
          : { points: { show: false } }),
      });
    }
    return {
      width: this.width(),
      height: HEIGHT,
      ms: 1,
      scales: { x: { time: chart.axis === 'time' } },
      axes: [{}, { size: 64, values: (_u, splits) => splits.map((v) => formatNumber(v, 3)) }],
      legend: { live: true },
      cursor: { drag: { x: true, y: false } },
      series,
      plugins: [checkpointMarkers(() => this.markers)],
      hooks: {
        // A drag selection zooms x; remember it so incoming records do not reset the view.
        setSelect: [
          (u) => {
            if (u.select.width > 0) this.zoomed = true;
          },
        ],
      },
    };
  }
}
