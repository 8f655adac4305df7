import { emptySeries } from '@music-transformer/dashboard/protocol';
import { describe, expect, it } from 'vitest';
import { CSV_COLUMNS, exportFileName, metricsCsv, metricsJson } from './metrics-export.js';

function series() {
  const s = emptySeries();
  for (const [step, loss] of [
    [1, 2.5],
    [2, null],
  ] as const) {
    s.train.time.push(Date.UTC(2026, 0, 1, 0, 0, step));
    s.train.step.push(step);
    s.train.epoch.push(0);
    s.train.loss.push(loss);
    s.train.accuracy.push(0.25);
    s.train.lr.push(0.001);
    s.train.grad_norm.push(1.5);
    s.train.tokens_per_s.push(900);
  }
  s.validation.time.push(Date.UTC(2026, 0, 1, 0, 0, 2));
  s.validation.step.push(2);
  s.validation.epoch.push(0);
  s.validation.val_loss.push(2.75);
  s.validation.val_accuracy.push(0.2);
  s.system.time.push(Date.UTC(2026, 0, 1, 0, 0, 2));
  s.system.cpu_percent.push(97);
  s.system.rss_bytes.push(629145600);
  s.checkpoints.push({
    time: Date.UTC(2026, 0, 1, 0, 0, 2),
    step: 2,
    epoch: 0,
    path: 'a,"b".st',
    best: true,
  });
  return s;
}

describe('metrics export', () => {
  it('writes one CSV row per record with empty cells for absent or non-finite figures', () => {
    const lines = metricsCsv(series()).split('\r\n');
    expect(lines[0]).toBe(CSV_COLUMNS.join(','));
    expect(lines[1]).toBe('train,2026-01-01T00:00:01.000Z,1,0,2.5,0.25,0.001,1.5,900,,,,,,');
    expect(lines[2]).toBe('train,2026-01-01T00:00:02.000Z,2,0,,0.25,0.001,1.5,900,,,,,,');
    expect(lines[3]).toBe('validation,2026-01-01T00:00:02.000Z,2,0,,,,,,2.75,0.2,,,,');
    expect(lines[4]).toBe('system,2026-01-01T00:00:02.000Z,,,,,,,,,,97,629145600,,');
    expect(lines[5]).toBe('checkpoint,2026-01-01T00:00:02.000Z,2,0,,,,,,,,,,"a,""b"".st",true');
    expect(lines[6]).toBe('');
    expect(lines).toHaveLength(7);
  });

  it('writes JSON with one object per record', () => {
    const doc = JSON.parse(metricsJson('base', series()));
    expect(doc.run).toBe('base');
    expect(doc.train).toEqual([
      {
        time: '2026-01-01T00:00:01.000Z',
        step: 1,
        epoch: 0,
        loss: 2.5,
        accuracy: 0.25,
        lr: 0.001,
        grad_norm: 1.5,
        tokens_per_s: 900,
      },
      {
        time: '2026-01-01T00:00:02.000Z',
        step: 2,
        epoch: 0,
        loss: null,
        accuracy: 0.25,
        lr: 0.001,
        grad_norm: 1.5,
        tokens_per_s: 900,
      },
    ]);
    expect(doc.validation[0].val_loss).toBe(2.75);
    expect(doc.system[0].rss_bytes).toBe(629145600);
    expect(doc.checkpoints[0]).toMatchObject({ step: 2, best: true, path: 'a,"b".st' });
  });

  it('makes file names safe', () => {
    expect(exportFileName('lr 3e-4/run', 'csv')).toBe('lr_3e-4_run.metrics.csv');
    expect(exportFileName('..', 'json')).toBe('run.metrics.json');
  });
});
