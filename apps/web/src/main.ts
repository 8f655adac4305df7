import 'uplot/dist/uPlot.min.css';
import './style.css';
import type { RunSeries, RunSummary, ServerMessage } from '@music-transformer/dashboard/protocol';
import { appendSeries } from '@music-transformer/dashboard/protocol';
import { ChartsView } from './charts-view.js';
import { assignRunColors } from './colors.js';
import { compareRows } from './compare-table.js';
import { CompareView } from './compare-view.js';
import { Connection, type ConnectionState, socketUrl } from './connection.js';
import { DetailsView } from './details-view.js';
import { h } from './dom.js';
import { ExportBar } from './export-bar.js';
import { LiveView } from './live-view.js';
import { chartOrder, RunsView } from './runs-view.js';
import { SamplesView } from './samples-view.js';
import type { XAxis } from './x-axis.js';

interface AppState {
  runs: RunSummary[];
  selected: string | null;
  compared: Set<string>;
  series: Map<string, RunSeries>;
  axis: XAxis;
  smoothing: number;
  /** Colour of every listed run, from its name (colors.ts): the same whatever is selected. */
  colors: Map<string, string>;
}

const state: AppState = {
  runs: [],
  selected: null,
  compared: new Set(),
  series: new Map(),
  axis: 'step',
  smoothing: 0.6,
  colors: new Map(),
};

const statusEl = h('span', { className: 'conn conn-connecting' }, ['connecting…']);
statusEl.dataset.testid = 'connection';
const runsView = new RunsView({
  select: (run) => {
    state.selected = run;
    subscribe();
    renderSidebar();
    scheduleCharts();
  },
  toggleCompare: (run, on) => {
    if (on) state.compared.add(run);
    else state.compared.delete(run);
    subscribe();
    renderSidebar();
    scheduleCharts();
  },
});
const details = new DetailsView();
const charts = new ChartsView();
const samples = new SamplesView();
const live = new LiveView();
const compare = new CompareView();
const exportBar = new ExportBar((run) => state.series.get(run));

const axisSelect = h('select', { id: 'x-axis' }, [
  h('option', { value: 'step' }, ['step']),
  h('option', { value: 'epoch' }, ['epoch']),
  h('option', { value: 'time' }, ['time']),
]);
const smoothingInput = h('input', {
  type: 'range',
  min: '0',
  max: '0.99',
  step: '0.01',
  value: '0.6',
  id: 'smoothing',
});
const smoothingValue = h('output', {}, ['0.60']);
axisSelect.addEventListener('change', () => {
  state.axis = axisSelect.value as XAxis;
  scheduleCharts();
});
smoothingInput.addEventListener('input', () => {
  state.smoothing = Number(smoothingInput.value);
  smoothingValue.textContent = state.smoothing.toFixed(2);
  scheduleCharts();
});

document.body.append(
  h('header', {}, [h('h1', {}, ['music-transformer dashboard']), statusEl]),
  h('div', { className: 'layout' }, [
    h('aside', {}, [h('h2', {}, ['Runs']), runsView.el]),
    h('main', {}, [
      details.el,
      h('div', { className: 'controls card' }, [
        h('label', {}, ['x axis ', axisSelect]),
        h('label', {}, ['smoothing ', smoothingInput, smoothingValue]),
        exportBar.el,
      ]),
      charts.el,
      compare.el,
      samples.el,
      live.el,
    ]),
  ]),
);

const connection = new Connection(socketUrl(location), {
  message: onMessage,
  state: showConnection,
  opened: () => {
    // The server sends whole histories again after a reconnect; drop ours so nothing is doubled.
    state.series.clear();
    subscribe();
  },
});
connection.start();

function onMessage(msg: ServerMessage): void {
  switch (msg.type) {
    case 'hello':
      document.title = `mt dashboard — ${msg.logdir}`;
      break;
    case 'runs':
      state.runs = msg.runs;
      state.colors = assignRunColors(msg.runs);
      if (state.selected === null || !msg.runs.some((r) => r.name === state.selected)) {
        state.selected = msg.runs[0]?.name ?? null;
        subscribe();
      }
      renderSidebar();
      scheduleCharts();
      break;
    case 'metrics': {
      performance.mark(`metrics:${msg.run}`);
      const held = state.series.get(msg.run);
      if (msg.reset || !held) state.series.set(msg.run, msg.data);
      else appendSeries(held, msg.data);
      scheduleCharts();
      break;
    }
    case 'live':
      live.push(msg.event);
      break;
    case 'error':
      console.error(`dashboard server: ${msg.message}`);
      break;
    case 'pong':
      break;
  }
}

function subscribe(): void {
  connection.send({ type: 'subscribe', runs: chartOrder(state.selected, state.compared) });
}

function renderSidebar(): void {
  // Every view updates its existing elements in place: a live run sends a summary per record, and
  // re-created rows or buttons could never be clicked while it trains.
  runsView.update(state.runs, state.selected, state.compared, state.colors);
  const current = state.runs.find((r) => r.name === state.selected) ?? null;
  details.update(current);
  exportBar.update(current?.name ?? null);
  samples.update(current?.name ?? null, current?.sampleFiles ?? []);
}

let chartsFrame = 0;
/** Bursts of records (one message each) cost one chart update per animation frame. */
function scheduleCharts(): void {
  if (chartsFrame !== 0) return;
  chartsFrame = requestAnimationFrame(() => {
    chartsFrame = 0;
    const runs = chartOrder(state.selected, state.compared)
      .map((name) => ({ name, series: state.series.get(name) }))
      .filter((r): r is { name: string; series: RunSeries } => r.series !== undefined);
    performance.mark('charts:start');
    charts.update(runs, state.axis, state.smoothing, state.colors);
    const names = chartOrder(state.selected, state.compared);
    const rows = compareRows(
      names.flatMap((name) => {
        const summary = state.runs.find((r) => r.name === name);
        return summary ? [{ summary, series: state.series.get(name) }] : [];
      }),
    );
    compare.update(
      names.filter((name) => state.runs.some((r) => r.name === name)),
      rows,
      state.colors,
    );
    // Marks for the load benchmark (bench/run.mjs) and for anyone profiling the page.
    performance.measure('charts:update', 'charts:start');
  });
}

function showConnection(s: ConnectionState): void {
  statusEl.className = `conn conn-${s}`;
  statusEl.textContent =
    s === 'open' ? 'live' : s === 'connecting' ? 'connecting…' : 'disconnected, retrying…';
}
