import type { RunSummary } from '../../../packages/cli/src/dashboard/protocol.js';
import { h } from './dom.js';
import { formatDuration, formatNumber, formatTime } from './format.js';

/** Whether the config section is expanded; kept across re-renders and run switches. */
let configOpen = false;

/** Header facts of the selected run plus its config.json sections as key/value tables. */
export function renderDetails(el: HTMLElement, run: RunSummary | null): void {
  if (!run) {
    el.replaceChildren(h('p', { className: 'empty' }, ['Select a run.']));
    return;
  }
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
  const section = (title: string, value: unknown) =>
    h('div', { className: 'kv-section' }, [h('h4', {}, [title]), kvTable(value)]);
  el.replaceChildren(
    h('h2', {}, [run.name]),
    kvTable(Object.fromEntries(facts), 'facts'),
    h('details', { className: 'config', open: configOpen }, [
      h('summary', {}, ['config.json: hparams, training, dataset']),
      h('div', { className: 'config-grid' }, [
        section('hparams', config.hparams),
        section('training', config.training),
        section('dataset', config.dataset),
      ]),
    ]),
  );
  const details = el.querySelector('details');
  details?.addEventListener('toggle', () => {
    configOpen = details.open;
  });
  el.dataset.run = run.name;
  el.dataset.status = run.status;
}

function kvTable(value: unknown, testid?: string): HTMLElement {
  if (value === null || typeof value !== 'object' || Object.keys(value).length === 0) {
    return h('p', { className: 'empty' }, ['—']);
  }
  const rows = Object.entries(value as Record<string, unknown>).map(([k, v]) =>
    h('tr', {}, [h('th', {}, [k]), h('td', {}, [typeof v === 'object' ? JSON.stringify(v) : String(v)])]),
  );
  const table = h('table', { className: 'kv' }, [h('tbody', {}, rows)]);
  if (testid) table.dataset.testid = testid;
  return table;
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
