import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ToneMidi from '@tonejs/midi';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { firstJsonLine, mt, mtBackground, stop } from '../dashboard/processes.js';
import { TestClient } from '../dashboard/ws-client.js';
import { findTorchPython, finished, startTorchrun, torchrun } from './torch-python.js';

/**
 * The road from `mt` to PyTorch and back: `mt preprocess` on real MIDI, the torch trainer under torchrun
 * with 2 CPU processes (gloo), then `mt evaluate`, `mt generate` and `mt dashboard` on what it wrote, and
 * a resume from its checkpoint. Needs a python with torch (Debian python3-torch); CI sets
 * MT_REQUIRE_TORCH=1 so that a missing torch fails instead of skipping.
 */
const PYTHON = findTorchPython();
const FIXTURES = fileURLToPath(new URL('../fixtures/midi/', import.meta.url));
const REQUIRED = process.env.MT_REQUIRE_TORCH === '1';

if (PYTHON === null && !REQUIRED) {
  console.warn(
    'torch e2e skipped: no python with torch (install python3-torch python3-numpy, or set MT_PYTHON)',
  );
}

describe.skipIf(PYTHON === null && !REQUIRED)('torch trainer end to end (torchrun, 2 CPU processes)', () => {
  const work = mkdtempSync(join(tmpdir(), 'mt-torch-'));
  let dashboard: ChildProcess | undefined;
  const clients: TestClient[] = [];

  beforeAll(async () => {
    expect(PYTHON, 'no python with torch; install python3-torch python3-numpy').not.toBeNull();
    await mt(
      ['preprocess', FIXTURES, 'data', '64', '-t', '0', '-s', '1', '--windows', 'all', '--workers', '1'],
      work,
    );
  });
  afterAll(async () => {
    for (const c of clients) c.close();
    await stop(dashboard);
    rmSync(work, { recursive: true, force: true });
  });

  let validationLoss = Number.NaN;

  it('trains with DDP over 2 processes and writes a model, a checkpoint and a run', async () => {
    const run = await torchrun(
      PYTHON!,
      2,
      [
        'data.safetensors',
        'torch.safetensors',
        'torch-model.safetensors',
        '1',
        '--preset',
        'tiny',
        '-bs',
        '8',
        '--max-steps',
        '6',
        '--validate-every',
        '6',
      ],
      work,
    );
    expect(run.code, run.stderr).toBe(0);
    expect(run.result).toMatchObject({ status: 'finished', step: 6, world_size: 2 });
    validationLoss = (run.result!.validation as { loss: number }).loss;
    expect(Number.isFinite(validationLoss)).toBe(true);
    const info = JSON.parse(await mt(['info', 'torch-model.safetensors', '--json'], work));
    expect(JSON.stringify(info)).toMatch(/"norm":"pre"/);
  });

  it('mt evaluate on the written model equals the torch-side validation NLL within 1e-4', async () => {
    const r = JSON.parse(
      await mt(['evaluate', 'torch-model.safetensors', 'data.safetensors', '--json'], work),
    ) as { nll: number };
    expect(Math.abs(r.nll - validationLoss)).toBeLessThanOrEqual(1e-4);
  });

  it('mt generate plays the model', async () => {
    await mt(['generate', 'torch-model.safetensors', 'song.mid', '--max-tokens', '300', '--seed', '3'], work);
    const midi = new ToneMidi.Midi(readFileSync(join(work, 'song.mid')));
    expect(midi.tracks.reduce((n, t) => n + t.notes.length, 0)).toBeGreaterThan(0);
  });

  it("mt dashboard's API lists the torch run with its metrics", async () => {
    dashboard = mtBackground(['dashboard', '--logdir', 'runs', '--port', '0', '--json'], work);
    const { url } = await firstJsonLine<{ url: string }>(dashboard);
    const c = await TestClient.open(`${url.replace(/^http/, 'ws').replace(/\/?$/, '/')}ws`);
    clients.push(c);
    c.send({ type: 'watch-runs' });
    const runs = (await c.type('runs')).runs as { name: string; status: string; trainRecords: number }[];
    expect(runs.find((r) => r.name === 'torch')).toMatchObject({ status: 'finished', trainRecords: 6 });
    c.send({ type: 'subscribe', runs: ['torch'] });
    const metrics = (await c.type('metrics')).data as {
      train: { step: number[]; loss: number[] };
      validation: { step: number[]; val_loss: number[] };
    };
    expect(metrics.train.step).toEqual([1, 2, 3, 4, 5, 6]);
    expect(metrics.train.loss.every((l) => Number.isFinite(l))).toBe(true);
    expect(metrics.validation.step).toEqual([6]);
    expect(metrics.validation.val_loss[0]).toBeCloseTo(validationLoss, 5);
  });

  it('resumes from its checkpoint with -l', async () => {
    const run = await torchrun(
      PYTHON!,
      2,
      [
        'data.safetensors',
        'torch.safetensors',
        'torch-model.safetensors',
        '1',
        '-l',
        '-bs',
        '8',
        '--max-steps',
        '2',
      ],
      work,
    );
    expect(run.code, run.stderr).toBe(0);
    expect(run.result).toMatchObject({ status: 'finished', step: 8, steps_this_session: 2 });
    const lines = readFileSync(join(work, 'runs', 'torch', 'metrics.jsonl'), 'utf8')
      .trim()
      .split('\n');
    const statuses = lines.map((l) => JSON.parse(l)).filter((r) => r.type === 'status');
    expect(statuses.at(-2).message).toMatch(/^resumed from checkpoints\/step-6\.safetensors at step 6/);
    const info = JSON.parse(await mt(['info', 'torch.safetensors', '--json'], work));
    expect(JSON.stringify(info)).toMatch(/"step":8/);
  });

  it('Ctrl-C (SIGINT to torchrun and its workers) saves a checkpoint and the model', async () => {
    const child = startTorchrun(
      PYTHON!,
      2,
      [
        'data.safetensors',
        'stop.safetensors',
        'stop-model.safetensors',
        '50',
        '--preset',
        'tiny',
        '-bs',
        '8',
      ],
      work,
    );
    const done = finished(child);
    const metrics = join(work, 'runs', 'stop', 'metrics.jsonl');
    const trainRecords = () =>
      existsSync(metrics) ? (readFileSync(metrics, 'utf8').match(/"type":"train"/g) ?? []).length : 0;
    await expect.poll(trainRecords, { timeout: 120_000, interval: 100 }).toBeGreaterThanOrEqual(2);
    process.kill(-child.pid!, 'SIGINT'); // what a terminal's Ctrl-C does: the whole foreground group
    const run = await done;
    const records = readFileSync(metrics, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    const last = records.at(-1);
    expect(last, run.stderr).toMatchObject({ type: 'status', status: 'stopped' });
    const step = Math.max(...records.filter((r) => r.type === 'train').map((r) => r.step as number));
    expect(step).toBeLessThan(50 * 13);
    const info = JSON.parse(await mt(['info', 'stop.safetensors', '--json'], work));
    expect(JSON.stringify(info)).toContain(`"step":${step}`);
    expect(existsSync(join(work, 'stop-model.safetensors'))).toBe(true);
  });
});
