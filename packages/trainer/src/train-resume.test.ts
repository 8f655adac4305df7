import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { listStepCheckpoints, readCheckpoint } from './checkpoint.js';
import { readMetrics } from './metrics-reader.js';
import { fixtureDataset, LOOP_AUGMENTATION, runChild, TINY, trainingSetup } from './test-utils/fixtures.js';
import { removeTempDirs } from './test-utils/temp.js';
import { train } from './train.js';

const PIECES = [
  'classical/fur-elise.mid',
  'ragtime/solace.mid',
  'ragtime/bethena.mid',
  'classical/satie-gymnopedie-no1.mid',
];

/** Per-step train losses and validation losses of a run, in log order. */
function losses(runDir: string): { train: [number, number][]; val: [number, number][] } {
  const recs = readMetrics(join(runDir, 'metrics.jsonl')).records;
  return {
    train: recs.flatMap((r) => (r.type === 'train' ? [[r.step, r.loss] as [number, number]] : [])),
    val: recs.flatMap((r) => (r.type === 'validation' ? [[r.step, r.val_loss] as [number, number]] : [])),
  };
}

afterAll(removeTempDirs);

describe('exact resume', () => {
  const setup = trainingSetup(PIECES, { length: 48, seed: 2, logPrefix: 'mt-runs-' });
  const base = () => ({
    dataset: setup.dataset,
    logdir: setup.logdir,
    hparams: TINY,
    epochs: 2,
    batchSize: 8,
    microBatchSize: 4,
    warmup: 50,
    seed: 11,
    workers: 1,
    checkpointEvery: 1000,
  });

  it('SIGINT in a child, then resume, gives the same weights and losses as a straight run, bit for bit', async () => {
    const straight = await train({ ...base(), name: 'straight' });
    expect(straight.status).toBe('finished');
    const total = straight.step;
    expect(total).toBeGreaterThanOrEqual(8);

    const child = await runChild({ ...base(), name: 'split' }, {}, (line) =>
      line === 'step 3' ? 'SIGINT' : undefined,
    );
    expect(child.code, child.stderr).toBe(0);
    const stopped = JSON.parse(
      child.stdout
        .split('\n')
        .find((l) => l.startsWith('result '))!
        .slice(7),
    );
    expect(stopped.status).toBe('stopped');
    expect(stopped.step).toBeGreaterThanOrEqual(3);
    expect(stopped.step).toBeLessThan(total);
    const runDir = join(setup.logdir, 'split');
    const statuses = readMetrics(join(runDir, 'metrics.jsonl')).records.filter((r) => r.type === 'status');
    expect(statuses.at(-1)).toMatchObject({ status: 'stopped' });

    // Same command again: `epochs` counts from where the run stopped, the unfinished epoch first.
    const resumed = await train({ ...base(), name: 'split' });
    expect(resumed.status).toBe('finished');
    expect(resumed.step).toBe(total);
    expect(resumed.stepsThisSession).toBe(total - stopped.step);

    const a = readCheckpoint(listStepCheckpoints(join(setup.logdir, 'straight', 'checkpoints')).at(-1)!.path);
    const b = readCheckpoint(listStepCheckpoints(join(runDir, 'checkpoints')).at(-1)!.path);
    expect(b.meta.step).toBe(a.meta.step);
    for (const [name, w] of Object.entries(a.state.weights)) {
      expect(Buffer.from(b.state.weights[name]!.buffer).equals(Buffer.from(w.buffer)), name).toBe(true);
      expect(
        Buffer.from(b.state.adam.v[name]!.buffer).equals(Buffer.from(a.state.adam.v[name]!.buffer)),
      ).toBe(true);
    }
    expect(readFileSync(straight.modelPath).equals(readFileSync(resumed.modelPath))).toBe(false); // run name differs
    const la = losses(join(setup.logdir, 'straight'));
    const lb = losses(runDir);
    expect(lb.train).toEqual(la.train);
    expect(lb.val).toEqual(la.val);
    expect(b.meta.loss_history).toEqual(a.meta.loss_history);
  });

  it('is bit-exact with 2 data-parallel workers too (fixed reduction order)', async () => {
    const opts = { ...base(), workers: 2, epochs: 1 };
    const straight = await train({ ...opts, name: 'w2-straight', maxSteps: 6 });
    await train({ ...opts, name: 'w2-split', maxSteps: 3 });
    const resumed = await train({ ...opts, name: 'w2-split', maxSteps: 3 });
    expect(resumed.step).toBe(straight.step);
    const a = readCheckpoint(straight.lastCheckpoint!);
    const b = readCheckpoint(resumed.lastCheckpoint!);
    for (const [name, w] of Object.entries(a.state.weights)) {
      expect(Buffer.from(b.state.weights[name]!.buffer).equals(Buffer.from(w.buffer)), name).toBe(true);
    }
    expect(losses(join(setup.logdir, 'w2-split')).train).toEqual(
      losses(join(setup.logdir, 'w2-straight')).train,
    );
  });

  it('never resumes into zero epochs: a finished run asked for 1 more epoch trains one more epoch', async () => {
    const first = await train({ ...base(), name: 'more', epochs: 1 });
    const again = await train({ ...base(), name: 'more', epochs: 1 });
    expect(again.stepsThisSession).toBe(first.stepsThisSession);
    expect(again.step).toBe(2 * first.step);
    expect(again.epoch).toBe(2);
  });

  it('refuses to resume on another dataset or other hparams, naming what differs, unless forced', async () => {
    await train({ ...base(), name: 'guard', epochs: 1, maxSteps: 2 });
    const other = await fixtureDataset(PIECES, { length: 48, seed: 3, ...LOOP_AUGMENTATION });
    await expect(train({ ...base(), name: 'guard', dataset: other })).rejects.toMatchObject({
      code: 'RESUME_MISMATCH',
      message: expect.stringMatching(/dataset fingerprint/),
    });
    await expect(
      train({ ...base(), name: 'guard', hparams: { ...TINY, d_model: 64, d_ff: 128 } }),
    ).rejects.toMatchObject({
      code: 'RESUME_MISMATCH',
      message: expect.stringMatching(/hparams\.d_model: checkpoint 32, now 64/),
    });
    await expect(train({ ...base(), name: 'guard', batchSize: 4 })).rejects.toMatchObject({
      code: 'RESUME_MISMATCH',
      message: expect.stringMatching(/training\.batchSize/),
    });
    const forced = await train({
      ...base(),
      name: 'guard',
      dataset: other,
      force: true,
      epochs: 1,
      maxSteps: 1,
    });
    expect(forced.step).toBe(3);
    await expect(train({ ...base(), name: 'guard', resume: false })).rejects.toMatchObject({
      code: 'BAD_RUN_DIR',
    });
  });

  it('a crash in the middle of a checkpoint save leaves the previous checkpoint loadable, and resume works', async () => {
    const opts = { ...base(), name: 'crash', checkpointEvery: 2, keepLast: 5 };
    // Big writes: step-2 checkpoint (1st), step-4 checkpoint (2nd) is cut in half and the process dies.
    const child = await runChild(opts, { CRASH_ON_CHECKPOINT: '2' });
    expect(child.signal).toBe('SIGKILL');
    const dir = join(setup.logdir, 'crash', 'checkpoints');
    expect(listStepCheckpoints(dir).map((c) => c.step)).toEqual([2]);
    expect(readdirSync(dir).some((f) => f.endsWith('.tmp'))).toBe(true);
    const ckpt = readCheckpoint(join(dir, 'step-2.safetensors'));
    expect(ckpt.meta.step).toBe(2);
    const resumed = await train({ ...opts, epochs: 1, maxSteps: 1 });
    expect(resumed.step).toBe(3);
    expect(existsSync(join(dir, 'step-3.safetensors'))).toBe(true);
  });
});
