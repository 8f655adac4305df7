import { colorOf } from './colors.js';
import type { CompareRow } from './compare-table.js';
import { h } from './dom.js';

const SECTION_TITLES: Record<CompareRow['section'], string> = {
  hparams: 'hparams',
  training: 'training',
  dataset: 'dataset',
  final: 'last logged figures',
};

/**
 * The "Compare runs" card: hparams, training and dataset settings and final figures of the runs on the
 * charts side by side. Rows where the settings differ are highlighted; the best final figure is bold.
 * Rebuilt only when what it shows changes (a live run updates it once per new record batch at most).
 */
export class CompareView {
  readonly el: HTMLElement;
  private readonly body: HTMLElement;
  private key = '';

  constructor() {
    this.body = h('div', { className: 'compare-body' });
    this.el = h('section', { className: 'card', id: 'compare' }, [h('h3', {}, ['Compare runs']), this.body]);
    this.el.dataset.testid = 'compare';
  }

  update(runs: readonly string[], rows: readonly CompareRow[], colors: ReadonlyMap<string, string>): void {
    const key = JSON.stringify([runs, rows, runs.map((r) => colorOf(colors, r))]);
    if (key === this.key) return;
    this.key = key;
    this.el.dataset.runs = String(runs.length);
    if (runs.length === 0) {
      this.body.replaceChildren(h('p', { className: 'empty' }, ['Select a run.']));
      return;
    }
    const head = h('tr', {}, [
      h('th', {}, [runs.length > 1 ? '' : 'tick "compare" to add runs']),
      ...runs.map((run) => {
        const swatch = h('span', { className: 'swatch' });
        swatch.style.background = colorOf(colors, run);
        return h('th', {}, [swatch, run]);
      }),
    ]);
    const body: HTMLElement[] = [];
    let section: CompareRow['section'] | null = null;
    for (const row of rows) {
      if (row.section !== section) {
        section = row.section;
        const title = h('tr', { className: 'section' }, [
          h('th', { colSpan: runs.length + 1 }, [SECTION_TITLES[section]]),
        ]);
        body.push(title);
      }
      const tr = h('tr', { className: row.differs ? 'differs' : '' }, [
        h('th', {}, [row.key]),
        ...row.cells.map((cell, i) => h('td', { className: i === row.best ? 'best' : '' }, [cell])),
      ]);
      tr.dataset.key = `${row.section}.${row.key}`;
      body.push(tr);
    }
    this.body.replaceChildren(
      h('table', { className: 'compare' }, [h('thead', {}, [head]), h('tbody', {}, body)]),
    );
  }
}
