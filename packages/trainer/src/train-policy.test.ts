import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { midiToTokens } from '@music-transformer/vocab';
import { afterAll, describe, expect, it } from 'vitest';
import { listStepCheckpoints, readCheckpoint } from './checkpoint.js';
import { defaultEngineFactory } from './default-engine.js';
import type { EngineFactory } from './engine.js';
import type { TrainerError } from './errors.js';
import { readRun } from './metrics-reader.js';
import { TrainerEmitter } from './run-writer.js';
import { TINY, trainingSetup } from './test-utils/fixtures.js';
import { removeTempDirs } from './test-utils/temp.js';
import { train } from './train.js';

const PIECES = ['classical/fur-elise.mid', 'ragtime/solace.mid', 'classical/satie-gymnopedie-no1.mid'];

afterAll(removeTempDirs);

describe('checkpoint policy, stop and failure', () => {
  const setup = trainingSetup(PIECES, { length: 40, seed: 1, logPrefix: 'mt-policy-' });
  const base = () => ({
    dataset: setup.dataset,
    logdir: setup.logdir,
    hparams: TINY,
    epochs: 1,
    batchSize: 4,
    warmup: 20,
    seed: 5,
    workers: 1,
  });

  it('keeps the last K step checkpoints and best.safetensors by validation loss', async () => {
    const r = await train({
      ...base(),
      name: 'keep',
      maxSteps: 5,
      checkpointEvery: 1,
      keepLast: 2,
      validateEvery: 2,
    });
    const dir = join(r.runDir, 'checkpoints');
    expect(listStepCheckpoints(dir).map((c) => c.step)).toEqual([4, 5]);
    expect(existsSync(join(dir, 'best.safetensors'))).toBe(true);
    const best = readCheckpoint(join(dir, 'best.safetensors'));
    expect(best.meta.best_val_loss).toBe(r.bestValLoss);
    const records = readRun(r.runDir).records;
    const vals = records.flatMap((x) => (x.type === 'validation' && x.val_loss !== null ? [x.val_loss] : []));
    expect(r.bestValLoss).toBe(Math.min(...vals));
    const bestRecs = records.filter((x) => x.type === 'checkpoint' && x.best);
    expect(bestRecs.length).toBeGreaterThanOrEqual(1);
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('writes a playable MIDI sample per epoch end and every sampleEvery steps, with sample records', async () => {
    const r = await train({ ...base(), name: 'samples', epochs: 1, sampleTokens: 48, sampleEvery: 2 });
    const recs = readRun(r.runDir).records.flatMap((x) => (x.type === 'sample' ? [x] : []));
    const perEpoch = r.step;
    const expected = [...Array.from({ length: Math.floor(perEpoch / 2) }, (_, i) => 2 * (i + 1))];
    if (perEpoch % 2 !== 0) expected.push(perEpoch);
    expect(recs.map((x) => x.step)).toEqual(expected);
    for (const rec of recs) {
      const bytes = readFileSync(join(r.runDir, rec.path));
      expect(rec.path).toMatch(/^samples\/step-\d+\.mid$/);
      expect(() => midiToTokens(new Uint8Array(bytes), { fileName: rec.path })).not.toThrow();
    }
    expect(readRun(r.runDir).samples).toHaveLength(recs.length);
  });

  it('accepts a model preset name for hparams', async () => {
    const r = await train({ ...base(), name: 'preset', hparams: 'tiny', maxSteps: 1, sampleTokens: 0 });
    expect(readRun(r.runDir).config.hparams).toMatchObject({ d_model: 32, num_layers: 2, vocab_size: 416 });
  });

  it('checkpoints on the clock as well as every N steps', async () => {
    const r = await train({
      ...base(),
      name: 'clock',
      maxSteps: 3,
      checkpointEvery: 1000,
      checkpointMinutes: 1e-7,
    });
    const steps = readRun(r.runDir).records.flatMap((x) => (x.type === 'checkpoint' ? [x.step] : []));
    expect(steps).toEqual([1, 2, 3]);
  });

  it('an abort finishes the current step, checkpoints there and returns stopped', async () => {
    const controller = new AbortController();
    const events = new TrainerEmitter();
    events.on('train', (rec) => {
      if (rec.step === 2) controller.abort();
    });
    const r = await train({ ...base(), name: 'abort', epochs: 3 }, { signal: controller.signal, events });
    expect(r).toMatchObject({ status: 'stopped', step: 2, stepsThisSession: 2 });
    expect(listStepCheckpoints(join(r.runDir, 'checkpoints')).map((c) => c.step)).toEqual([2]);
    expect(existsSync(r.modelPath)).toBe(true);
    const statuses = readRun(r.runDir).records.flatMap((x) => (x.type === 'status' ? [x.status] : []));
    expect(statuses).toEqual(['running', 'stopped']);
  });

  it('a non-finite loss stops the run with NON_FINITE_LOSS, keeping the last good checkpoint', async () => {
    let calls = 0;
    const poisoned: EngineFactory = async (o) => {
      const engine = await defaultEngineFactory(o);
      return {
        ...engine,
        step: async (batches, opts) => {
          const r = await engine.step(batches, opts);
          return ++calls === 3 ? { ...r, loss: Number.NaN } : r;
        },
        evaluate: (b) => engine.evaluate(b),
        getState: () => engine.getState(),
        setState: (s) => engine.setState(s),
        dispose: () => engine.dispose(),
      };
    };
    await expect(
      train({ ...base(), name: 'nan', checkpointEvery: 2 }, { createEngine: poisoned }),
    ).rejects.toMatchObject({
      code: 'NON_FINITE_LOSS',
      message: expect.stringMatching(/non-finite loss .* at step 3.*step-2\.safetensors/),
    });
    const run = readRun(join(setup.logdir, 'nan'));
    expect(run.status).toBe('failed');
    expect(listStepCheckpoints(join(setup.logdir, 'nan', 'checkpoints')).map((c) => c.step)).toEqual([2]);
    expect(existsSync(join(setup.logdir, 'nan', 'model.safetensors'))).toBe(false);
  });

  it('a step that throws (a wasm abort) saves the last good step and ends with STEP_FAILED saying what to change', async () => {
    let calls = 0;
    const aborting: EngineFactory = async (o) => {
      const engine = await defaultEngineFactory(o);
      return {
        ...engine,
        step: async (batches, opts) => {
          // What the wasm backend throws when its heap is exhausted mid-step.
          if (++calls === 3) throw new WebAssembly.RuntimeError('memory access out of bounds');
          return engine.step(batches, opts);
        },
        evaluate: (b) => engine.evaluate(b),
        getState: () => engine.getState(),
        setState: (s) => engine.setState(s),
        dispose: () => engine.dispose(),
      };
    };
    const error = await train(
      { ...base(), name: 'wasm-abort', checkpointEvery: 100 },
      { createEngine: aborting },
    ).then(
      () => expect.unreachable(),
      (e: unknown) => e as TrainerError,
    );
    expect(error.code, error.message).toBe('STEP_FAILED');
    const m =
      /^step (\d+) failed: memory access out of bounds; the last good step \((\d+)\) is saved in (.*step-(\d+)\.safetensors); resume with -l\. If it ran out of memory: use shorter rows .*--accumulate.*PyTorch trainer$/.exec(
        error.message,
      );
    expect(m).not.toBeNull();
    const [, failed, good, path, fileStep] = m!;
    expect(Number(good)).toBe(Number(failed) - 1);
    expect(fileStep).toBe(good);
    const dir = join(setup.logdir, 'wasm-abort');
    expect(readRun(dir).status).toBe('failed');
    // No checkpoint was due (every 100 steps, epoch not over): the one there was written by the failure.
    expect(Number(failed)).toBe(3);
    expect(listStepCheckpoints(join(dir, 'checkpoints')).map((c) => c.step)).toEqual([2]);
    expect(readCheckpoint(path!).meta.step).toBe(Number(good));
  });

  it('refuses bad options with BAD_OPTIONS naming the field', async () => {
    await expect(train({ ...base(), name: 'bad', epochs: 0 })).rejects.toMatchObject({
      code: 'BAD_OPTIONS',
      message: expect.stringMatching(/epochs/),
    });
    await expect(train({ ...base(), name: 'bad', batchSize: 2, microBatchSize: 4 })).rejects.toMatchObject({
      code: 'BAD_OPTIONS',
    });
    await expect(
      train({ ...base(), name: 'bad', hparams: { ...TINY, vocab_size: 100 } }),
    ).rejects.toMatchObject({
      code: 'BAD_OPTIONS',
      message: expect.stringMatching(/vocab_size is 100/),
    });
    await expect(train({ ...base(), name: 'bad', bogus: 1 } as never)).rejects.toMatchObject({
      code: 'BAD_OPTIONS',
    });
    await expect(
      train({ ...base(), name: 'bad', dataset: join(setup.logdir, 'none') }),
    ).rejects.toMatchObject({
      code: 'BAD_DATASET',
    });
  });
});
