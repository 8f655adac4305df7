import { appendFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { RunState } from './run-state.js';

const time = '2026-11-26T20:00:00.000Z';
const train = (step: number, loss: number) =>
  JSON.stringify({
    v: 1,
    type: 'train',
    time,
    step,
    epoch: 0,
    loss,
    accuracy: 0.5,
    perplexity: Math.exp(loss),
    lr: 1e-3,
    grad_norm: 1,
    tokens_per_s: 100,
    elapsed_s: step,
    eta_s: 10 - step,
  });

describe('RunState', () => {
  const base = mkdtempSync(join(tmpdir(), 'mt-run-'));
  afterAll(() => rmSync(base, { recursive: true, force: true }));

  function makeRun(name: string, lines: string[]): RunState {
    const dir = join(base, name);
    mkdirSync(join(dir, 'samples'), { recursive: true });
    writeFileSync(
      join(dir, 'config.json'),
      JSON.stringify({ schema: 1, name, created: time, hparams: { d_model: 64 }, training: {}, dataset: {} }),
    );
    writeFileSync(join(dir, 'metrics.jsonl'), lines.map((l) => `${l}\n`).join(''));
    return new RunState(name, dir);
  }

  it('announces the whole history first, then only what was appended', () => {
    const state = makeRun('a', [train(1, 3), train(2, 2.5)]);
    const first = state.refresh();
    expect(first?.reset).toBe(true);
    expect(first?.data.train.loss).toEqual([3, 2.5]);
    expect(state.refresh()).toBeNull();
    appendFileSync(join(base, 'a', 'metrics.jsonl'), `${train(3, 2)}\n`);
    const next = state.refresh();
    expect(next).toMatchObject({ reset: false });
    expect(next?.data.train.step).toEqual([3]);
    expect(state.history().train.step).toEqual([1, 2, 3]);
  });

  it('ignores unknown record types, counts broken lines, and skips a torn tail', () => {
    const state = makeRun('b', [
      train(1, 3),
      JSON.stringify({ v: 1, type: 'attention_map', time, step: 1 }),
      '{not json',
      JSON.stringify({ v: 1, type: 'train', time, step: 'two' }),
    ]);
    appendFileSync(join(base, 'b', 'metrics.jsonl'), '{"v":1,"type":"tra');
    state.refresh();
    const summary = state.summary(() => true);
    expect(summary.trainRecords).toBe(1);
    expect(summary.skippedLines).toBe(2);
  });

  it('summarizes status, best validation loss, ETA and samples; a dead running pid is failed', () => {
    const state = makeRun('c', [
      JSON.stringify({ v: 1, type: 'status', time, status: 'running', pid: 4242 }),
      train(1, 3),
      JSON.stringify({
        v: 1,
        type: 'validation',
        time,
        step: 1,
        epoch: 0,
        val_loss: 2.9,
        val_accuracy: 0.4,
        val_perplexity: 18,
      }),
      JSON.stringify({
        v: 1,
        type: 'validation',
        time,
        step: 2,
        epoch: 0,
        val_loss: 2.7,
        val_accuracy: 0.4,
        val_perplexity: 15,
      }),
    ]);
    for (const f of ['step-2.mid', 'step-10.mid', 'step-1.mid', 'notes.txt'])
      writeFileSync(join(base, 'c', 'samples', f), 'MThd');
    state.refresh();
    const alive = state.summary(() => true);
    expect(alive).toMatchObject({ status: 'running', step: 1, bestValLoss: 2.7, etaS: 9 });
    expect(alive.sampleFiles).toEqual(['samples/step-10.mid', 'samples/step-2.mid', 'samples/step-1.mid']);
    expect(alive.config).toMatchObject({ hparams: { d_model: 64 } });
    const dead = state.summary(() => false);
    expect(dead.status).toBe('failed');
    expect(dead.statusMessage).toMatch(/4242/);
    expect(dead.etaS).toBeNull();
  });
});
