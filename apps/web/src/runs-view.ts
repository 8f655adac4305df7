import type { RunSummary } from '@music-transformer/dashboard/protocol';
import { colorOf } from './colors.js';
import { h } from './dom.js';
import { formatNumber, formatTime } from './format.js';

export interface RunsViewHandlers {
  select(run: string): void;
  toggleCompare(run: string, on: boolean): void;
}

/** The live cells of one run's row; the row itself lives as long as the run is listed. */
interface RunRow {
  row: HTMLTableRowElement;
  box: HTMLInputElement;
  swatch: HTMLElement;
  status: HTMLElement;
  step: HTMLElement;
  best: HTMLElement;
  started: HTMLElement;
}

/**
 * The runs table: click a row to open the run, tick "compare" to overlay it on the charts.
 *
 * Updated in place: a run keeps its <tr> (keyed by name) across updates and only its cells' text and
 * attributes change, so a row (or its checkbox) can be clicked while a live run streams records. Rows
 * are only created or removed when runs appear or disappear.
 */
export class RunsView {
  readonly el: HTMLElement;
  private readonly table: HTMLTableElement;
  private readonly tbody: HTMLTableSectionElement;
  private readonly empty: HTMLElement;
  private readonly rows = new Map<string, RunRow>();

  constructor(
    private readonly handlers: RunsViewHandlers,
    el: HTMLElement = h('div', { id: 'runs' }),
  ) {
    this.el = el;
    this.empty = h('p', { className: 'empty' }, ['No runs yet. Start one with `mt train --logdir …`.']);
    this.tbody = h('tbody');
    this.table = h('table', { className: 'runs' }, [
      h('thead', {}, [
        h(
          'tr',
          {},
          ['', 'run', 'status', 'step', 'best val', 'started'].map((t) => h('th', {}, [t])),
        ),
      ]),
      this.tbody,
    ]);
    this.el.replaceChildren(this.empty);
  }

  update(
    runs: readonly RunSummary[],
    selected: string | null,
    compared: ReadonlySet<string>,
    colors: ReadonlyMap<string, string> = new Map(),
  ): void {
    if (runs.length === 0) {
      if (this.el.firstChild !== this.empty || this.el.childNodes.length !== 1) {
        this.el.replaceChildren(this.empty);
      }
    } else if (this.table.parentNode !== this.el) {
      this.el.replaceChildren(this.table);
    }

    const names = new Set(runs.map((r) => r.name));
    for (const [name, parts] of this.rows) {
      if (!names.has(name)) {
        parts.row.remove();
        this.rows.delete(name);
      }
    }

    const order = chartOrder(selected, compared);
    // Walk the runs in order, moving a row only when it is not already in its place.
    let cursor: ChildNode | null = this.tbody.firstChild;
    for (const run of runs) {
      let parts = this.rows.get(run.name);
      if (!parts) {
        parts = this.createRow(run.name);
        this.rows.set(run.name, parts);
      }
      this.fill(parts, run, selected, compared, order, colors);
      if (cursor === parts.row) cursor = cursor.nextSibling;
      else this.tbody.insertBefore(parts.row, cursor);
    }
  }

  private createRow(name: string): RunRow {
    const box = h('input', { type: 'checkbox', title: 'overlay on the charts' });
    box.dataset.testid = `compare-${name}`;
    box.addEventListener('click', (e) => e.stopPropagation());
    box.addEventListener('change', () => this.handlers.toggleCompare(name, box.checked));
    const swatch = h('span', { className: 'swatch' });
    const status = h('span', { className: 'status' });
    const step = h('td', { className: 'num' });
    const best = h('td', { className: 'num' });
    const started = h('td');
    const row = h('tr', {}, [
      h('td', {}, [box]),
      h('td', { className: 'run-name' }, [swatch, name]),
      h('td', {}, [status]),
      step,
      best,
      started,
    ]);
    row.dataset.run = name;
    row.dataset.testid = `run-row-${name}`;
    row.addEventListener('click', () => this.handlers.select(name));
    return { row, box, swatch, status, step, best, started };
  }

  private fill(
    parts: RunRow,
    run: RunSummary,
    selected: string | null,
    compared: ReadonlySet<string>,
    order: readonly string[],
    colors: ReadonlyMap<string, string>,
  ): void {
    setProp(parts.row, 'className', run.name === selected ? 'selected' : '');
    setProp(parts.box, 'checked', compared.has(run.name));
    // The swatch shows the run's colour while the run is on the charts (selected or compared).
    const background = order.includes(run.name) ? colorOf(colors, run.name) : '';
    // Compared by our own copy: the style getter normalizes colours (hex reads back as rgb()).
    if (parts.swatch.dataset.color !== background) {
      parts.swatch.dataset.color = background;
      parts.swatch.style.background = background;
    }
    setProp(parts.status, 'className', `status status-${run.status}`);
    setProp(parts.status, 'title', run.statusMessage ?? '');
    setText(parts.status, run.status);
    setText(parts.step, run.step === null ? '—' : String(run.step));
    setText(parts.best, formatNumber(run.bestValLoss));
    setText(parts.started, formatTime(run.startTime));
  }
}

/** Assigns a property only when it differs (no needless style recalculation or mutation records). */
function setProp<E extends HTMLElement, K extends keyof E>(el: E, key: K, value: E[K]): void {
  if (el[key] !== value) el[key] = value;
}

function setText(el: HTMLElement, text: string): void {
  if (el.textContent !== text) el.textContent = text;
}

/** Runs on the charts: the selected run first (its checkpoints are marked), then the compared runs by name. */
export function chartOrder(selected: string | null, compared: ReadonlySet<string>): string[] {
  const rest = [...compared].filter((r) => r !== selected).sort();
  return selected ? [selected, ...rest] : rest;
}
