import { describe, expect, it } from 'vitest';
import { historyChunks } from './history-chunks.js';
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
    const messages = chunks.map((c) => JSON.parse(c) as Extract<ServerMessage, { type: 'metrics' }>);
    expect(messages.map((m) => m.reset)).toEqual(messages.map((_, i) => i === 0));
    const rebuilt = emptySeries();
    for (const m of messages) appendSeries(rebuilt, m.data);
    expect(rebuilt).toEqual(original);
  });
});
