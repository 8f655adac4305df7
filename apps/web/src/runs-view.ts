import type { RunSummary } from '../../../packages/cli/src/dashboard/protocol.js';
import { runColor } from './colors.js';
import { h } from './dom.js';
import { formatNumber, formatTime } from './format.js';

export interface RunsViewHandlers {
  select(run: string): void;
  toggleCompare(run: string, on: boolean): void;
}

/** The runs table: click a row to open the run, tick "compare" to overlay it on the charts. */
export function renderRuns(
  el: HTMLElement,
  runs: readonly RunSummary[],
  selected: string | null,
  compared: ReadonlySet<string>,
  handlers: RunsViewHandlers,
): void {
  if (runs.length === 0) {
    el.replaceChildren(
      h('p', { className: 'empty' }, ['No runs yet. Start one with `mt train --logdir …`.']),
    );
    return;
  }
  const order = chartOrder(selected, compared);
  const rows = runs.map((r) => {
    const box = h('input', {
      type: 'checkbox',
      checked: compared.has(r.name),
      title: 'overlay on the charts',
    });
    box.dataset.testid = `compare-${r.name}`;
    box.addEventListener('click', (e) => e.stopPropagation());
    box.addEventListener('change', () => handlers.toggleCompare(r.name, box.checked));
    const idx = order.indexOf(r.name);
    const swatch = h('span', { className: 'swatch' });
    if (idx >= 0) swatch.style.background = runColor(idx);
    const row = h('tr', { className: r.name === selected ? 'selected' : '' }, [
      h('td', {}, [box]),
      h('td', { className: 'run-name' }, [swatch, r.name]),
      h('td', {}, [
        h('span', { className: `status status-${r.status}`, title: r.statusMessage ?? '' }, [r.status]),
      ]),
      h('td', { className: 'num' }, [r.step === null ? '—' : String(r.step)]),
      h('td', { className: 'num' }, [formatNumber(r.bestValLoss)]),
      h('td', {}, [formatTime(r.startTime)]),
    ]);
    row.dataset.run = r.name;
    row.dataset.testid = `run-row-${r.name}`;
    row.addEventListener('click', () => handlers.select(r.name));
    return row;
  });
  el.replaceChildren(
    h('table', { className: 'runs' }, [
      h('thead', {}, [
        h(
          'tr',
          {},
          ['', 'run', 'status', 'step', 'best val', 'started'].map((t) => h('th', {}, [t])),
        ),
      ]),
      h('tbody', {}, rows),
    ]),
  );
}

/** Chart colour order: the selected run first, then the compared runs by name. */
export function chartOrder(selected: string | null, compared: ReadonlySet<string>): string[] {
  const rest = [...compared].filter((r) => r !== selected).sort();
  return selected ? [selected, ...rest] : rest;
}
