import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseMetrics, readRun } from './metrics-reader.js';
import { RunWriter, TrainerEmitter } from './run-writer.js';
import { removeTempDirs, tempDir } from './test-utils/temp.js';

const train = (step: number) => ({
  type: 'train' as const,
  step,
  epoch: 0,
  loss: 5 - step / 10,
  accuracy: 0.1,
  perplexity: Math.exp(5 - step / 10),
  lr: 1e-4,
  grad_norm: 1,
  tokens_per_s: 100,
  elapsed_s: step,
  eta_s: 10 - step,
});

afterAll(removeTempDirs);

describe('metrics log', () => {
  it('writes config.json once and appends records that read back, emitting each in process', () => {
    const dir = join(tempDir('mt-run-'), 'r1');
    const events = new TrainerEmitter();
    const seen: string[] = [];
    events.on('record', (r) => seen.push(r.type));
    const trains: number[] = [];
    events.on('train', (r) => trains.push(r.step));
    const w = RunWriter.open(
      dir,
      { name: 'r1', hparams: { d_model: 32 }, training: {}, dataset: {} },
      events,
    );
    w.append({ type: 'status', status: 'running', pid: process.pid });
    w.append(train(1));
    w.append(train(2));
    const created = JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8')).created;
    RunWriter.open(dir, { name: 'r1', hparams: {}, training: {}, dataset: {} });
    expect(JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8')).created).toBe(created);
    const run = readRun(dir);
    expect(run.records.map((r) => r.type)).toEqual(['status', 'train', 'train']);
    expect(run.records.every((r) => r.v === 1 && !Number.isNaN(Date.parse(r.time)))).toBe(true);
    expect(run.status).toBe('running');
    expect(seen).toEqual(['status', 'train', 'train']);
    expect(trains).toEqual([1, 2]);
    expect(run.config.hparams).toEqual({ d_model: 32 });
  });

  it('skips a torn last line, unknown types and bad lines, and keeps unknown fields', () => {
    const good = JSON.stringify({ v: 1, time: '2026-01-01T00:00:00Z', ...train(1), extra: 'x' });
    const future = JSON.stringify({ v: 1, time: '2026-01-01T00:00:00Z', type: 'attention_map', step: 3 });
    const text = `${good}\nnot json\n${future}\n${good}\n{"v":1,"type":"tra`;
    const r = parseMetrics(text);
    expect(r.records).toHaveLength(2);
    expect((r.records[0] as Record<string, unknown>).extra).toBe('x');
    expect(r.tornTail).toBe(true);
    expect(r.skipped).toEqual([2, 3]);
  });

  it('heals a torn tail before appending so new records stay readable', () => {
    const dir = join(tempDir('mt-run-'), 'r2');
    const w = RunWriter.open(dir, { name: 'r2', hparams: {}, training: {}, dataset: {} });
    w.append(train(1));
    writeFileSync(
      join(dir, 'metrics.jsonl'),
      `${readFileSync(join(dir, 'metrics.jsonl'), 'utf8')}{"v":1,"ty`,
    );
    const w2 = RunWriter.open(dir, { name: 'r2', hparams: {}, training: {}, dataset: {} });
    w2.append(train(2));
    expect(readRun(dir).records.map((r) => (r.type === 'train' ? r.step : -1))).toEqual([1, 2]);
  });

  it('reads a diverged run: NaN and Infinity figures are written as null and read back as null', () => {
    const dir = join(tempDir('mt-run-'), 'r4');
    const w = RunWriter.open(dir, { name: 'r4', hparams: {}, training: {}, dataset: {} });
    w.append(train(1));
    w.append({ ...train(2), loss: Number.NaN, perplexity: Number.POSITIVE_INFINITY, grad_norm: Number.NaN });
    w.append({
      type: 'validation',
      step: 2,
      epoch: 0,
      val_loss: Number.NaN,
      val_accuracy: 0,
      val_perplexity: Number.NaN,
    });
    w.append({ type: 'system', cpu_percent: Number.NaN, rss_bytes: 1 });
    expect(readFileSync(join(dir, 'metrics.jsonl'), 'utf8')).toContain('"loss":null');
    const r = readRun(dir);
    expect(r.records.map((x) => x.type)).toEqual(['train', 'train', 'validation', 'system']);
    expect(r.records[1]).toMatchObject({ step: 2, loss: null, perplexity: null, grad_norm: null, lr: 1e-4 });
    expect(r.records[2]).toMatchObject({ val_loss: null, val_perplexity: null, val_accuracy: 0 });
    expect(r.records[3]).toMatchObject({ cpu_percent: null });
    // Steps, epochs and paths stay required numbers/strings: null there is still a bad record.
    const bad = JSON.stringify({ v: 1, time: '2026-01-01T00:00:00Z', ...train(3), step: null });
    expect(parseMetrics(`${bad}\n`).skipped).toEqual([1]);
  });

  it('shows a running run whose process is gone as failed', () => {
    const dir = join(tempDir('mt-run-'), 'r3');
    const w = RunWriter.open(dir, { name: 'r3', hparams: {}, training: {}, dataset: {} });
    w.append({ type: 'status', status: 'running', pid: 12345678 });
    expect(readRun(dir, () => false).status).toBe('failed');
    expect(readRun(dir, () => true).status).toBe('running');
    w.append({ type: 'status', status: 'stopped', pid: 12345678, message: 'bye' });
    expect(readRun(dir, () => false).status).toBe('stopped');
  });

  it('refuses a folder without a valid config.json with BAD_RUN_DIR', () => {
    const dir = tempDir('mt-run-');
    expect(() => readRun(dir)).toThrow(expect.objectContaining({ code: 'BAD_RUN_DIR' }));
  });
});
