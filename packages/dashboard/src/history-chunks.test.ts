import { describe, expect, it } from 'vitest';
import { ChunkedHistory, historyChunks } from './history-chunks.js';
import { appendSeries, emptySeries, type RunSeries, type ServerMessage } from './protocol.js';

function series(rows: number): RunSeries {
  const s = emptySeries();
  for (let i = 0; i < rows; i++) {
    s.train.time.push(1_767_225_600_000 + i * 1000);
    s.train.step.push(i + 1);
    s.train.epoch.push(Math.floor(i / 1000));
    s.train.loss.push(i % 97 === 0 ? null : 3 + Math.sin(i) / 7);
    s.train.accuracy.push(0.4 + (i % 13) / 100);
    s.train.lr.push(0.001);
    s.train.grad_norm.push(1 + 1 / (i + 1));
    s.train.tokens_per_s.push(900 + (i % 7));
    if (i % 100 === 0) {
      s.validation.time.push(1_767_225_600_000 + i * 1000);
      s.validation.step.push(i + 1);
      s.validation.epoch.push(0);
      s.validation.val_loss.push(3.1);
      s.validation.val_accuracy.push(0.41);
    }
  }
  s.checkpoints.push({ time: 1, step: 10, epoch: 0, path: 'checkpoints/step-10.safetensors', best: true });
  s.statuses.push({ time: 0, status: 'running', pid: 1 });
  return s;
}

describe('historyChunks', () => {
  it('sends a small history as one reset message', () => {
    const chunks = historyChunks('alpha', series(30));
    expect(chunks).toHaveLength(1);
    expect(JSON.parse(chunks[0] ?? '')).toMatchObject({ type: 'metrics', run: 'alpha', reset: true });
  });

  it('cuts a 100,000-row history into ~64 KB messages that rebuild it exactly', () => {
    const original = series(100_000);
    const chunks = historyChunks('alpha', original);
    const whole = JSON.stringify(original).length;
    expect(chunks.length).toBeGreaterThan(whole / (80 * 1024));
    for (const c of chunks) expect(c.length).toBeLessThan(96 * 1024);
    const messages = chunks.map(
      (c) => JSON.parse(c.toString()) as Extract<ServerMessage, { type: 'metrics' }>,
    );
    expect(messages.map((m) => m.reset)).toEqual(messages.map((_, i) => i === 0));
    const rebuilt = emptySeries();
    for (const m of messages) appendSeries(rebuilt, m.data);
    expect(rebuilt).toEqual(original);
  });
});

describe('ChunkedHistory', () => {
  it('serializes a growing run once: sealed chunks are shared by later snapshots, which still rebuild it', () => {
    const full = series(20_000);
    const growing = emptySeries();
    const history = new ChunkedHistory('alpha', 16 * 1024);
    let previous: readonly Buffer[] = [];
    for (let rows = 0; rows < 20_000; rows += 1_500) {
      const more = emptySeries();
      for (const key of Object.keys(full.train) as (keyof typeof full.train)[]) {
        (more.train[key] as (number | null)[]) = full.train[key].slice(rows, rows + 1_500);
      }
      appendSeries(growing, more);
      history.grew();
      const chunks = history.chunks(growing);
      // Everything sealed before is reused as the very same strings.
      const sealedBefore = previous.slice(0, -1);
      expect(chunks.length).toBeGreaterThanOrEqual(sealedBefore.length);
      for (let i = 0; i < sealedBefore.length; i++) expect(Object.is(chunks[i], sealedBefore[i])).toBe(true);
      const rebuilt = emptySeries();
      const messages = chunks.map(
        (c) => JSON.parse(c.toString()) as Extract<ServerMessage, { type: 'metrics' }>,
      );
      expect(messages.map((m) => m.reset)).toEqual(messages.map((_, i) => i === 0));
      for (const m of messages) appendSeries(rebuilt, m.data);
      expect(rebuilt.train).toEqual(growing.train);
      expect(history.chunks(growing)).toBe(chunks); // unchanged run: the same snapshot
      previous = chunks;
    }
    history.reset();
    expect(JSON.parse(String(history.chunks(emptySeries())[0]))).toMatchObject({ reset: true });
  });
});
