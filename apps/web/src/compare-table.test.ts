import { emptySeries, type RunSummary } from '@music-transformer/dashboard/protocol';
import { describe, expect, it } from 'vitest';
import { compareRows } from './compare-table.js';

function summary(name: string, hparams: Record<string, unknown>, bestValLoss: number | null): RunSummary {
  return {
    name,
    status: 'finished',
    statusMessage: null,
    config: { hparams, training: { lr: 0.001, hparams } },
    startTime: 0,
    lastTime: 0,
    step: 2,
    epoch: 0,
    bestValLoss,
    etaS: null,
    trainRecords: 2,
    skippedLines: 0,
    sampleFiles: [],
  };
}

function series(losses: (number | null)[]) {
  const s = emptySeries();
  losses.forEach((loss, i) => {
    s.train.time.push(i);
    s.train.step.push(i + 1);
    s.train.epoch.push(0);
    s.train.loss.push(loss);
  });
  return s;
}

describe('compareRows', () => {
  const rows = compareRows([
    { summary: summary('a', { d_model: 32, num_heads: 2 }, 3.2), series: series([4, 3.5]) },
    {
      summary: summary('b', { d_model: 64, num_heads: 2, dropout: 0.1 }, 3.0),
      series: series([4, 3.1, null]),
    },
  ]);
  const row = (key: string) => rows.find((r) => `${r.section}.${r.key}` === key);

  it('flags the settings the runs disagree on, a missing key included', () => {
    expect(row('hparams.d_model')).toMatchObject({ cells: ['32', '64'], differs: true });
    expect(row('hparams.num_heads')).toMatchObject({ cells: ['2', '2'], differs: false });
    expect(row('hparams.dropout')).toMatchObject({ cells: ['—', '0.1'], differs: true });
    expect(row('training.lr')).toMatchObject({ differs: false });
    // The copy of the hparams inside `training` is not shown twice.
    expect(row('training.hparams')).toBeUndefined();
  });

  it('shows the last finite figures and marks the best run', () => {
    expect(row('final.loss')).toMatchObject({ cells: ['3.5', '3.1'], best: 1 });
    expect(row('final.step')).toMatchObject({ cells: ['2', '3'], best: null });
    expect(row('final.best val loss')).toMatchObject({ cells: ['3.2', '3'], best: 1 });
    expect(row('final.val loss')).toMatchObject({ cells: ['—', '—'], best: null });
  });

  it('marks no winner for a single run or a tie', () => {
    const one = compareRows([{ summary: summary('a', {}, 3), series: series([2]) }]);
    expect(one.every((r) => r.best === null && !r.differs)).toBe(true);
    const tie = compareRows([
      { summary: summary('a', {}, 3), series: series([2]) },
      { summary: summary('b', {}, 3), series: series([2]) },
    ]);
    expect(tie.every((r) => r.best === null)).toBe(true);
  });
});
