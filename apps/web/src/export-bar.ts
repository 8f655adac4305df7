import type { RunSeries } from '@music-transformer/dashboard/protocol';
import { h } from './dom.js';
import { exportFileName, metricsCsv, metricsJson } from './metrics-export.js';

/**
 * "Export <run>: CSV JSON": saves the selected run's metrics as the page holds them, built in the
 * browser (no server round trip, so it also works on a run that is still writing records).
 */
export class ExportBar {
  readonly el: HTMLElement;
  private readonly label: HTMLElement;
  private readonly buttons: HTMLButtonElement[];
  private run: string | null = null;

  constructor(private readonly seriesOf: (run: string) => RunSeries | undefined) {
    this.label = h('span', {}, ['export']);
    const csv = h('button', { type: 'button' }, ['CSV']);
    const json = h('button', { type: 'button' }, ['JSON']);
    csv.dataset.testid = 'export-csv';
    json.dataset.testid = 'export-json';
    csv.addEventListener('click', () => this.save('csv'));
    json.addEventListener('click', () => this.save('json'));
    this.buttons = [csv, json];
    this.el = h('div', { className: 'export' }, [this.label, csv, json]);
    this.update(null);
  }

  update(run: string | null): void {
    this.run = run;
    const text = run === null ? 'export metrics' : `export ${run} metrics`;
    if (this.label.textContent !== text) this.label.textContent = text;
    for (const b of this.buttons) b.disabled = run === null;
  }

  private save(kind: 'csv' | 'json'): void {
    if (this.run === null) return;
    const series = this.seriesOf(this.run);
    if (!series) return;
    const text = kind === 'csv' ? metricsCsv(series) : metricsJson(this.run, series);
    const blob = new Blob([text], { type: kind === 'csv' ? 'text/csv' : 'application/json' });
    const url = URL.createObjectURL(blob);
    const a = h('a', { href: url, download: exportFileName(this.run, kind) });
    document.body.append(a);
    a.click();
    a.remove();
    // Revoked after the click has been handled: revoking at once can cancel the download.
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  }
}
