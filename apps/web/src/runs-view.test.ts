// @vitest-environment happy-dom

import type { RunSummary } from '@music-transformer/dashboard/protocol';
import { describe, expect, it, vi } from 'vitest';
import { DetailsView } from './details-view.js';
import { RunsView } from './runs-view.js';
import { SamplesView } from './samples-view.js';

function summary(name: string, over: Partial<RunSummary> = {}): RunSummary {
  return {
    name,
    status: 'running',
    statusMessage: null,
    config: { hparams: { d_model: 32 }, training: {}, dataset: {} },
    startTime: 0,
    lastTime: 0,
    step: 1,
    epoch: 0,
    bestValLoss: null,
    etaS: null,
    trainRecords: 1,
    skippedLines: 0,
    sampleFiles: [],
    ...over,
  };
}

const row = (view: RunsView, name: string) =>
  view.el.querySelector(`[data-testid="run-row-${name}"]`) as HTMLTableRowElement;
const order = (view: RunsView) =>
  [...view.el.querySelectorAll<HTMLTableRowElement>('tbody tr')].map((r) => r.dataset.run);

describe('RunsView', () => {
  it('keeps every row element across updates and only changes its cells', () => {
    const handlers = { select: vi.fn(), toggleCompare: vi.fn() };
    const view = new RunsView(handlers);
    document.body.replaceChildren(view.el);
    view.update([summary('a', { status: 'finished', step: 30 }), summary('b', { step: 4 })], 'b', new Set());
    const a = row(view, 'a');
    const b = row(view, 'b');
    const box = view.el.querySelector('[data-testid="compare-a"]');
    const observer = new MutationObserver(() => {});
    observer.observe(view.el.querySelector('tbody') as Node, { childList: true });

    view.update([summary('a', { status: 'finished', step: 30 }), summary('b', { step: 8 })], 'b', new Set());
    // No row was inserted or removed: the update only touched cells.
    expect(observer.takeRecords()).toEqual([]);
    observer.disconnect();
    expect(row(view, 'a')).toBe(a);
    expect(row(view, 'b')).toBe(b);
    expect(view.el.querySelector('[data-testid="compare-a"]')).toBe(box);
    expect(b.isConnected).toBe(true);
    expect(b.querySelectorAll('td.num')[0]?.textContent).toBe('8');
    expect(b.className).toBe('selected');

    // Selecting and comparing change classes and checkboxes in place too.
    view.update(
      [summary('a', { status: 'finished', step: 30 }), summary('b', { step: 8 })],
      'a',
      new Set(['b']),
    );
    expect(row(view, 'a')).toBe(a);
    expect(a.className).toBe('selected');
    expect(b.className).toBe('');
    expect((view.el.querySelector('[data-testid="compare-b"]') as HTMLInputElement).checked).toBe(true);

    a.click();
    expect(handlers.select).toHaveBeenCalledWith('a');
  });

  it('adds, removes and reorders rows only when the runs change', () => {
    const view = new RunsView({ select: () => {}, toggleCompare: () => {} });
    view.update([summary('a'), summary('b')], null, new Set());
    const a = row(view, 'a');
    view.update([summary('c'), summary('a')], null, new Set());
    expect(order(view)).toEqual(['c', 'a']);
    expect(row(view, 'a')).toBe(a);
    expect(row(view, 'b')).toBeNull();
    view.update([], null, new Set());
    expect(view.el.querySelector('table')).toBeNull();
    expect(view.el.textContent).toContain('No runs yet');
    view.update([summary('a')], null, new Set());
    expect(order(view)).toEqual(['a']);
  });
});

describe('DetailsView and SamplesView', () => {
  it('keep their elements (config <details>, sample buttons) while a live run updates', () => {
    const details = new DetailsView();
    details.update(summary('a', { step: 1 }));
    const config = details.el.querySelector('details');
    const facts = details.el.querySelector('[data-testid="facts"]');
    details.update(summary('a', { step: 2 }));
    expect(details.el.querySelector('details')).toBe(config);
    expect(details.el.querySelector('[data-testid="facts"]')).toBe(facts);
    expect(details.el.textContent).toContain('d_model 32');
    expect(details.el.dataset.run).toBe('a');

    const samples = new SamplesView();
    samples.update('a', ['samples/x.mid']);
    const open = samples.el.querySelector('[data-testid="open-sample-samples/x.mid"]');
    samples.update('a', ['samples/x.mid']);
    samples.update('a', ['samples/x.mid', 'samples/y.mid']);
    expect(samples.el.querySelector('[data-testid="open-sample-samples/x.mid"]')).toBe(open);
    expect(samples.el.querySelectorAll('ul.samples li')).toHaveLength(2);
  });
});
