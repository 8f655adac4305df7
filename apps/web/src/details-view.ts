import type { RunSummary } from '@music-transformer/dashboard/protocol';
import { h } from './dom.js';
import { formatDuration, formatNumber, formatTime } from './format.js';

/**
 * Header facts of the selected run plus its config.json sections as key/value tables.
 *
 * Updated in place: the heading, the facts rows and the <details> element (with its open state) persist
 * across updates; the config tables are only rebuilt when config.json itself changes.
 */
export class DetailsView {
  readonly el: HTMLElement;
  private readonly title: HTMLElement;
  private readonly facts = new KvTable('facts');
  private readonly config: HTMLDetailsElement;
  private readonly configGrid: HTMLElement;
  private readonly emptyEl: HTMLElement;
  private readonly body: HTMLElement[];
  private configJson: string | null = null;

  constructor(el: HTMLElement = h('section', { className: 'card', id: 'details' })) {
    this.el = el;
    this.emptyEl = h('p', { className: 'empty' }, ['Select a run.']);
    this.title = h('h2');
    this.configGrid = h('div', { className: 'config-grid' });
    this.config = h('details', { className: 'config' }, [
      h('summary', {}, ['config.json: hparams, training, dataset']),
      this.configGrid,
    ]);
    this.body = [this.title, this.facts.el, this.config];
    this.el.replaceChildren(this.emptyEl);
  }

  update(run: RunSummary | null): void {
    if (!run) {
      if (this.emptyEl.parentNode !== this.el) this.el.replaceChildren(this.emptyEl);
      delete this.el.dataset.run;
      delete this.el.dataset.status;
      return;
    }
    if (this.title.parentNode !== this.el) this.el.replaceChildren(...this.body);
    if (this.title.textContent !== run.name) this.title.textContent = run.name;
    const eta =
      run.etaS !== null && run.etaS > 0
        ? `${formatDuration(run.etaS)} (≈ ${formatTime((run.lastTime ?? Date.now()) + run.etaS * 1000)})`
        : '—';
    const facts: [string, string][] = [
      ['status', run.status + (run.statusMessage ? ` — ${run.statusMessage}` : '')],
      ['started', formatTime(run.startTime)],
      ['last record', formatTime(run.lastTime)],
      ['step', run.step === null ? '—' : String(run.step)],
      ['epoch', run.epoch === null ? '—' : String(run.epoch)],
      ['best val loss', formatNumber(run.bestValLoss)],
      ['ETA', eta],
    ];
    if (run.skippedLines > 0) facts.push(['unreadable lines', String(run.skippedLines)]);
    const config = run.config ?? {};
    const model = modelLine(config.hparams);
    if (model) facts.push(['model', model]);
    this.facts.update(facts);

    const json = JSON.stringify(config);
    if (json !== this.configJson) {
      this.configJson = json;
      const section = (title: string, value: unknown) =>
        h('div', { className: 'kv-section' }, [h('h4', {}, [title]), kvTable(value)]);
      this.configGrid.replaceChildren(
        section('hparams', config.hparams),
        section('training', config.training),
        section('dataset', config.dataset),
      );
    }
    if (this.el.dataset.run !== run.name) this.el.dataset.run = run.name;
    if (this.el.dataset.status !== run.status) this.el.dataset.status = run.status;
  }
}

/** A key/value table whose rows persist (keyed by key) and whose values are updated in place. */
class KvTable {
  readonly el: HTMLTableElement;
  private readonly tbody: HTMLTableSectionElement;
  private readonly rows = new Map<string, { row: HTMLTableRowElement; value: HTMLElement }>();

  constructor(testid: string) {
    this.tbody = h('tbody');
    this.el = h('table', { className: 'kv' }, [this.tbody]);
    this.el.dataset.testid = testid;
  }

  update(entries: readonly [string, string][]): void {
    const keys = new Set(entries.map(([k]) => k));
    for (const [key, { row }] of this.rows) {
      if (!keys.has(key)) {
        row.remove();
        this.rows.delete(key);
      }
    }
    let cursor: ChildNode | null = this.tbody.firstChild;
    for (const [key, text] of entries) {
      let parts = this.rows.get(key);
      if (!parts) {
        const value = h('td');
        parts = { row: h('tr', {}, [h('th', {}, [key]), value]), value };
        this.rows.set(key, parts);
      }
      if (parts.value.textContent !== text) parts.value.textContent = text;
      if (cursor === parts.row) cursor = cursor.nextSibling;
      else this.tbody.insertBefore(parts.row, cursor);
    }
  }
}

function kvTable(value: unknown): HTMLElement {
  if (value === null || typeof value !== 'object' || Object.keys(value).length === 0) {
    return h('p', { className: 'empty' }, ['—']);
  }
  const rows = Object.entries(value as Record<string, unknown>).map(([k, v]) =>
    h('tr', {}, [h('th', {}, [k]), h('td', {}, [typeof v === 'object' ? JSON.stringify(v) : String(v)])]),
  );
  return h('table', { className: 'kv' }, [h('tbody', {}, rows)]);
}

/** "d_model 32 · 2 layers · 4 heads · d_ff 64 · max_rel_dist 64" from the original project's hparam names. */
function modelLine(hparams: unknown): string | null {
  if (hparams === null || typeof hparams !== 'object') return null;
  const hp = hparams as Record<string, unknown>;
  const parts = [
    hp.d_model === undefined ? null : `d_model ${hp.d_model}`,
    hp.num_layers === undefined ? null : `${hp.num_layers} layers`,
    hp.num_heads === undefined ? null : `${hp.num_heads} heads`,
    hp.d_ff === undefined ? null : `d_ff ${hp.d_ff}`,
    hp.max_rel_dist === undefined ? null : `max_rel_dist ${hp.max_rel_dist}`,
  ].filter((p): p is string => p !== null);
  return parts.length > 0 ? parts.join(' · ') : null;
}
