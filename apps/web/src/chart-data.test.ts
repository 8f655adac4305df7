import { emptySeries, type RunSeries } from '@music-transformer/dashboard/protocol';
import { describe, expect, it } from 'vitest';
import { buildChartData, type ChartSpec, joinTables, keepAfterRewinds, mergeUnique } from './chart-data.js';

function run(steps: number[], losses: number[], val: [number, number][] = []): RunSeries {
  const s = emptySeries();
  steps.forEach((step, i) => {
    s.train.time.push(1000 * step);
    s.train.step.push(step);
    s.train.epoch.push(0);
    s.train.loss.push(losses[i] as number);
  });
  for (const [step, v] of val) {
    s.validation.time.push(1000 * step);
    s.validation.step.push(step);
    s.validation.epoch.push(0);
    s.validation.val_loss.push(v);
  }
  return s;
}

const loss: ChartSpec = {
  id: 'loss',
  title: 'loss',
  lines: [
    { label: 'loss', source: 'train', field: 'loss', smoothable: true },
    { label: 'val loss', source: 'validation', field: 'val_loss' },
  ],
};

describe('keepAfterRewinds', () => {
  it('keeps the latest record of each step after a resume rewound the log', () => {
    // steps 1 2 3 4, then the run resumed from step 2: 3 4 5
    expect(keepAfterRewinds([1, 2, 3, 4, 3, 4, 5])).toEqual([0, 1, 4, 5, 6]);
    expect(keepAfterRewinds([1, 2, 3])).toEqual([0, 1, 2]);
  });
});

describe('mergeUnique', () => {
  it('merges two increasing arrays without duplicates', () => {
    expect(mergeUnique([1, 3, 5], [2, 3, 6, 7])).toEqual([1, 2, 3, 5, 6, 7]);
    expect(mergeUnique([], [1, 1, 2])).toEqual([1, 2]);
    expect(mergeUnique([4], [])).toEqual([4]);
  });
});

describe('joinTables', () => {
  it('aligns tables on the union of x with nulls for missing points', () => {
    const data = joinTables([
      { x: [1, 2, 3], ys: [[10, 20, 30]] },
      { x: [2, 4], ys: [[5, Number.NaN]] },
    ]);
    // undefined: no record at that x (uPlot joins across); null: a record without a finite value (gap).
    expect(data).toEqual([
      [1, 2, 3, 4],
      [10, 20, 30, undefined],
      [undefined, 5, undefined, null],
    ]);
  });

  it('keeps a null figure as a gap (not a zero), alone or joined', () => {
    expect(joinTables([{ x: [1, 2, 3], ys: [[1, null, 3]] }])).toEqual([
      [1, 2, 3],
      [1, null, 3],
    ]);
    const data = joinTables([
      { x: [1, 2], ys: [[null, 2]] },
      { x: [2, 3], ys: [[null, 7]] },
    ]);
    expect(data).toEqual([
      [1, 2, 3],
      [null, 2, undefined],
      [undefined, null, 7],
    ]);
  });
});

describe('buildChartData', () => {
  it('counts one point per train record of the primary run', () => {
    const chart = buildChartData(
      loss,
      [{ name: 'a', series: run([1, 2, 3], [3, 2, 1], [[2, 2.5]]) }],
      'step',
      0,
    );
    expect(chart.primaryPoints).toBe(3);
    expect(chart.lines.map((l) => l.kind)).toEqual(['plain', 'plain']);
    expect(chart.data).toEqual([
      [1, 2, 3],
      [3, 2, 1],
      [undefined, 2.5, undefined],
    ]);
  });

  it('draws a diverged step (loss logged as null) as a gap, in the raw and the smoothed line', () => {
    const series = run([1, 2, 3], [3, 2, 1], [[2, 2.5]]);
    series.train.loss[1] = null;
    series.validation.val_loss[0] = null;
    const chart = buildChartData(loss, [{ name: 'a', series }], 'step', 0.5);
    expect(chart.lines.map((l) => l.kind)).toEqual(['raw', 'smoothed', 'plain']);
    expect(chart.data[1]).toEqual([3, null, 1]);
    expect(chart.data[2]?.[1]).toBeNull();
    expect(chart.data[2]?.[2]).toBeCloseTo((0.5 * 0.5 * 3 + 0.5 * 1) / 0.75, 12);
    expect(chart.data[3]).toEqual([undefined, null, undefined]);
    expect(chart.primaryPoints).toBe(2);
    const scaled = buildChartData(
      { id: 's', title: 's', lines: [{ label: 'x', source: 'train', field: 'loss', scale: 100 }] },
      [{ name: 'a', series }],
      'step',
      0,
    );
    expect(scaled.data[1]).toEqual([300, null, 100]);
  });

  it('adds a smoothed line beside the raw one and overlays a second run', () => {
    const chart = buildChartData(
      loss,
      [
        { name: 'a', series: run([1, 2], [4, 2]) },
        { name: 'b', series: run([2, 3], [1, 1]) },
      ],
      'step',
      0.5,
    );
    expect(chart.lines.map((l) => `${l.run}:${l.label}:${l.kind}`)).toEqual([
      'a:loss:raw',
      'a:loss:smoothed',
      'a:val loss:plain',
      'b:loss:raw',
      'b:loss:smoothed',
      'b:val loss:plain',
    ]);
    expect(chart.data[0]).toEqual([1, 2, 3]);
    expect(chart.primaryPoints).toBe(2);
    expect(chart.data[2]?.[1]).toBeCloseTo((0.5 * 0.5 * 4 + 0.5 * 2) / 0.75, 12);
  });

  it('uses wall-clock milliseconds on the time axis', () => {
    const chart = buildChartData(loss, [{ name: 'a', series: run([5, 6], [1, 1]) }], 'time', 0);
    expect(chart.axis).toBe('time');
    expect(chart.data[0]).toEqual([5000, 6000]);
  });
});
