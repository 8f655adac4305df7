import { describe, expect, it } from 'vitest';
import { linesToSeries, round7 } from './record-columns.js';

const time = '2026-11-26T20:00:00.000Z';

describe('linesToSeries', () => {
  it('puts each known record type in its columns or marks, with epoch-ms times', () => {
    const lines = [
      {
        type: 'train',
        step: 1,
        epoch: 0,
        loss: 2.123456789,
        accuracy: 0.5,
        perplexity: 8.4,
        lr: 1e-4,
        grad_norm: 1,
        tokens_per_s: 99,
        elapsed_s: 1,
        eta_s: 41,
      },
      { type: 'validation', step: 1, epoch: 0, val_loss: 2.5, val_accuracy: 0.4, val_perplexity: 12 },
      { type: 'system', cpu_percent: 97.5, rss_bytes: 123456789 },
      { type: 'checkpoint', step: 1, epoch: 0, path: 'checkpoints/step-1.safetensors', best: true },
      { type: 'sample', step: 1, path: 'samples/a.mid' },
      { type: 'status', status: 'stopped', pid: 12, message: 'Ctrl-C' },
    ].map((r) => JSON.stringify({ v: 1, time, ...r }));
    const { series, skipped, lastEtaS } = linesToSeries(lines);
    const ms = Date.parse(time);
    expect(skipped).toBe(0);
    expect(lastEtaS).toBe(41);
    expect(series.train).toEqual({
      time: [ms],
      step: [1],
      epoch: [0],
      loss: [2.123457],
      accuracy: [0.5],
      lr: [1e-4],
      grad_norm: [1],
      tokens_per_s: [99],
    });
    expect(series.validation).toEqual({
      time: [ms],
      step: [1],
      epoch: [0],
      val_loss: [2.5],
      val_accuracy: [0.4],
    });
    expect(series.system).toEqual({ time: [ms], cpu_percent: [97.5], rss_bytes: [123456789] });
    expect(series.checkpoints).toEqual([
      { time: ms, step: 1, epoch: 0, path: 'checkpoints/step-1.safetensors', best: true },
    ]);
    expect(series.samples).toEqual([{ time: ms, step: 1, path: 'samples/a.mid' }]);
    expect(series.statuses).toEqual([{ time: ms, status: 'stopped', pid: 12, message: 'Ctrl-C' }]);
  });

  it('reads a diverged run: null figures (NaN in the trainer) become null cells, not skipped records', () => {
    const train = (step: number, loss: number | null) =>
      JSON.stringify({
        v: 1,
        time,
        type: 'train',
        step,
        epoch: 0,
        loss,
        accuracy: 0.5,
        perplexity: loss === null ? null : Math.exp(loss),
        lr: 1e-4,
        grad_norm: loss === null ? null : 1,
        tokens_per_s: 99,
        elapsed_s: step,
        eta_s: null,
      });
    const validation = JSON.stringify({
      v: 1,
      time,
      type: 'validation',
      step: 2,
      epoch: 0,
      val_loss: null,
      val_accuracy: 0.1,
      val_perplexity: null,
    });
    const { series, skipped, lastEtaS } = linesToSeries([
      train(1, 2.5),
      train(2, null),
      train(3, 2.25),
      validation,
    ]);
    expect(skipped).toBe(0);
    expect(lastEtaS).toBeNull();
    expect(series.train.step).toEqual([1, 2, 3]);
    expect(series.train.loss).toEqual([2.5, null, 2.25]);
    expect(series.train.grad_norm).toEqual([1, null, 1]);
    expect(series.validation.val_loss).toEqual([null]);
    // Through the wire (JSON) the gap stays a null.
    expect(JSON.parse(JSON.stringify(series.train.loss))).toEqual([2.5, null, 2.25]);
  });

  it('ignores blank lines and unknown types, counts invalid JSON and invalid known records', () => {
    const { series, skipped } = linesToSeries([
      '',
      JSON.stringify({ v: 1, time, type: 'attention', step: 1 }),
      '[1, 2',
      JSON.stringify({ v: 1, time, type: 'validation', step: 1 }),
      JSON.stringify({ v: 2, time, type: 'sample', step: 1, path: 'x.mid' }),
      '42',
    ]);
    expect(skipped).toBe(4);
    expect(series.validation.step).toEqual([]);
  });
});

describe('round7', () => {
  it('keeps 7 significant digits, leaves integers alone and turns null and non-finite values into null', () => {
    expect(round7(0.123456789)).toBe(0.1234568);
    expect(round7(123456789.5)).toBe(123456800);
    expect(round7(0.000012345678)).toBe(0.00001234568);
    expect(round7(42)).toBe(42);
    expect(round7(Number.POSITIVE_INFINITY)).toBeNull();
    expect(round7(Number.NaN)).toBeNull();
    expect(round7(null)).toBeNull();
  });
});
