import uPlot from 'uplot';
import type { Cell, ChartData, ChartSpec } from './chart-data.js';
import { checkpointMarkers, type Marker } from './checkpoint-markers.js';
import { colorOf, withAlpha } from './colors.js';
import { h } from './dom.js';
import { formatNumber } from './format.js';
import { isolatedIndices, positiveOnly } from './isolated-points.js';

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
  private last: { chart: ChartData; colors: ReadonlyMap<string, string> } | null = null;
  private readonly logBox: HTMLInputElement;

  /** `logY`: start with a log y axis; `logChanged` hears the user's toggles (to keep them). */
  constructor(
    readonly spec: ChartSpec,
    logY = false,
    private readonly logChanged: (id: string, on: boolean) => void = () => {},
  ) {
    this.plotEl = h('div', { className: 'plot' });
    this.emptyEl = h('p', { className: 'chart-empty' }, ['no records yet']);
    this.logBox = h('input', { type: 'checkbox', checked: logY });
    this.logBox.dataset.testid = `log-${spec.id}`;
    this.logBox.addEventListener('change', () => this.setLog(this.logBox.checked));
    this.el = h('section', { className: 'card chart', id: `chart-${spec.id}` }, [
      h('div', { className: 'chart-head' }, [
        h('h3', {}, [spec.title + (spec.forceTime ? ' (x: time)' : '')]),
        h('label', { className: 'log-toggle', title: 'logarithmic y axis' }, [this.logBox, 'log']),
      ]),
      this.emptyEl,
      this.plotEl,
    ]);
    this.el.dataset.testid = `chart-${spec.id}`;
    this.el.dataset.points = '0';
    this.el.dataset.log = String(logY);
    new ResizeObserver(() => this.resize()).observe(this.el);
  }

  get logY(): boolean {
    return this.logBox.checked;
  }

  /** Switches the y axis between linear and log; the plot is rebuilt with the data it holds. */
  setLog(on: boolean): void {
    this.logBox.checked = on;
    this.el.dataset.log = String(on);
    this.logChanged(this.spec.id, on);
    if (this.last) {
      this.shape = '';
      this.update(this.last.chart, this.markers, this.last.colors);
    }
  }

  update(chart: ChartData, markers: Marker[], colors: ReadonlyMap<string, string> = new Map()): void {
    this.markers = markers;
    this.last = { chart, colors };
    const log = this.logY;
    const data = (
      log ? [chart.data[0], ...chart.data.slice(1).map(positiveOnly)] : chart.data
    ) as uPlot.AlignedData;
    const shape = `${chart.axis}|${log}|${chart.lines
      .map((l) => `${l.run}/${l.label}/${l.kind}/${colorOf(colors, l.run)}`)
      .join('|')}`;
    if (shape !== this.shape || !this.plot) {
      this.plot?.destroy();
      this.shape = shape;
      this.zoomed = false;
      this.plot = new uPlot(this.options(chart, colors, log), data, this.plotEl);
      this.plot.over.addEventListener('dblclick', () => {
        this.zoomed = false;
      });
    } else {
      this.plot.setData(data, !this.zoomed);
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

  private options(chart: ChartData, colors: ReadonlyMap<string, string>, log: boolean): uPlot.Options {
    const series: uPlot.Series[] = [{ label: chart.axis }];
    for (const line of chart.lines) {
      const base = colorOf(colors, line.run);
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
          : {
              // A value with no neighbour to join (one `system` record, a point between gaps) would
              // draw nothing as a line: show those as dots and the rest as the plain line.
              points: {
                show: false,
                size: 6,
                fill: stroke,
                filter: (u: uPlot, seriesIdx: number) => isolatedIndices(u.data[seriesIdx] as Cell[]),
              },
            }),
      });
    }
    return {
      width: this.width(),
      height: HEIGHT,
      ms: 1,
      scales: { x: { time: chart.axis === 'time' }, y: log ? { distr: 3, log: 10 } : {} },
      axes: [
        {},
        {
          size: 64,
          values: (u, splits) => {
            // The ticks the axis shows and their heights (CSS px), for tests and for anyone inspecting
            // the page: on a log axis equal ratios, not equal steps, are equally far apart.
            // A log axis leaves some splits unlabelled (null) where labels would collide.
            const shown = splits.filter((v) => v !== null && v !== undefined);
            this.el.dataset.yTicks = JSON.stringify(shown.map((v) => [v, u.valToPos(v, 'y')]));
            return splits.map((v) => (v === null || v === undefined ? '' : formatNumber(v, 3)));
          },
        },
      ],
      legend: { live: true },
      cursor: { drag: { x: true, y: false } },
      series,
      plugins: [
        checkpointMarkers(
          () => this.markers,
          (drawn) => {
            this.el.dataset.checkpointTicks = JSON.stringify(drawn);
          },
        ),
      ],
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
