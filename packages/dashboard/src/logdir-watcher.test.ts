import { appendFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { LogdirWatcher } from './logdir-watcher.js';
import type { RunSummary } from './protocol.js';

const line = (step: number) =>
  `${JSON.stringify({
    v: 1,
    type: 'train',
    time: new Date(Date.UTC(2026, 10, 26, 20, 0, step)).toISOString(),
    step,
    epoch: 0,
    loss: 3,
    accuracy: 0.1,
    perplexity: 20,
    lr: 1e-3,
    grad_norm: 1,
    tokens_per_s: 10,
    elapsed_s: step,
    eta_s: 0,
  })}\n`;

describe('LogdirWatcher', () => {
  const base = mkdtempSync(join(tmpdir(), 'mt-watch-'));
  const logdir = join(base, 'runs'); // does not exist yet
  afterAll(() => rmSync(base, { recursive: true, force: true }));

  it('waits for the logdir, announces runs and records, ignores stray folders, and drops deleted runs', () => {
    const messages: { run: string; message: Record<string, unknown> }[] = [];
    const lists: RunSummary[][] = [];
    const watcher = new LogdirWatcher(
      { logdir, pollMs: 1000, isAlive: () => true },
      {
        metrics: (run, update) =>
          messages.push({
            run,
            message: JSON.parse(update.reset ? String(update.chunks[0]) : update.message),
          }),
        runs: (s) => lists.push(s),
      },
    );
    watcher.poll();
    expect(lists).toEqual([[]]); // the first poll announces the (empty) list once
    mkdirSync(join(logdir, 'a'), { recursive: true });
    mkdirSync(join(logdir, 'not-a-run'));
    mkdirSync(join(logdir, '.hidden'));
    writeFileSync(join(logdir, '.hidden', 'metrics.jsonl'), line(1));
    writeFileSync(join(logdir, 'a', 'metrics.jsonl'), line(1));
    watcher.poll();
    expect(lists.at(-1)?.map((r) => r.name)).toEqual(['a']);
    expect(messages.at(-1)).toMatchObject({ run: 'a', message: { type: 'metrics', reset: true } });
    appendFileSync(join(logdir, 'a', 'metrics.jsonl'), line(2));
    watcher.poll();
    expect(messages.at(-1)?.message).toMatchObject({ reset: false, data: { train: { step: [2] } } });
    expect(watcher.historyChunks('a')?.map(String)).toEqual([expect.stringContaining('"step":[1,2]')]);
    expect(watcher.historyChunks('missing')).toBeNull();
    const announced = lists.length;
    watcher.poll();
    expect(lists.length).toBe(announced); // no change, no broadcast
    rmSync(join(logdir, 'a'), { recursive: true });
    watcher.poll();
    expect(lists.at(-1)).toEqual([]);
    watcher.stop();
  });
});
