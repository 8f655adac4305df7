import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { initBackend, loadModel } from '@music-transformer/model';
import { afterAll, describe, expect, it } from 'vitest';
import { buildDataset } from './dataset-build.js';
import { readDataset } from './dataset-file.js';
import { readRun } from './metrics-reader.js';
import { FIXTURES, TINY } from './test-utils/fixtures.js';
import { removeTempDirs, tempDir } from './test-utils/temp.js';
import { train } from './train.js';

/** Entropy (nats) of the non-pad target tokens of the training rows: the best loss without context. */
function unigramEntropy(path: string): number {
  const ds = readDataset(path);
  const counts = new Float64Array(ds.meta.vocab_size);
  let n = 0;
  for (let r = 0; r < ds.trainRows; r++) {
    for (let i = 1; i < ds.length; i++) {
      const t = ds.train[r * ds.length + i]!;
      if (t !== ds.meta.pad) {
        counts[t]! += 1;
        n++;
      }
    }
  }
  let h = 0;
  for (const c of counts) if (c > 0) h -= (c / n) * Math.log(c / n);
  return h;
}

afterAll(removeTempDirs);

describe('learning on a small real corpus', () => {
  it('drives the training loss well below the unigram entropy in 50 steps; validation is finite', async () => {
    const out = tempDir('mt-learn-');
    // 14 real piano pieces, default augmentation: 550 training rows of 96 tokens.
    const ds = await buildDataset(FIXTURES, { output: join(out, 'data.safetensors'), length: 96, seed: 1 });
    const h = unigramEntropy(ds.path); // measured 5.05 nats on these fixtures
    const result = await train({
      dataset: ds.path,
      logdir: out,
      name: 'learn',
      hparams: { ...TINY, dropout: 0 },
      epochs: 2,
      maxSteps: 50,
      batchSize: 16,
      warmup: 20,
      seed: 1,
      workers: 2,
      validateEvery: 25,
    });
    const run = readRun(result.runDir);
    const trainLoss = run.records.flatMap((r) => (r.type === 'train' && r.loss !== null ? [r.loss] : []));
    expect(trainLoss).toHaveLength(50);
    const first = trainLoss.slice(0, 5).reduce((a, b) => a + b) / 5;
    const last = trainLoss.slice(-10).reduce((a, b) => a + b) / 10;
    // Measured (seed 1, 1 worker): first-5 mean ~5.6, step 50 ~3.7, against h = 5.05.
    expect(first).toBeGreaterThan(h);
    expect(last).toBeLessThan(h - 1);
    const val = run.records.flatMap((r) => (r.type === 'validation' ? [r] : []));
    expect(val.length).toBeGreaterThanOrEqual(2);
    for (const v of val) {
      expect(Number.isFinite(v.val_loss) && Number.isFinite(v.val_perplexity)).toBe(true);
      expect(v.val_accuracy).toBeGreaterThan(0);
    }
    expect(run.status).toBe('finished');
    expect(run.records.some((r) => r.type === 'checkpoint' && r.best)).toBe(true);
    // A plain Uint8Array: the model package's decoder misreads a Node Buffer (see README "Notes").
    const bytes = new Uint8Array(readFileSync(result.modelPath));
    await initBackend('cpu'); // the replicas trained in worker threads; this thread has no backend yet
    const model = loadModel(bytes, { fileName: result.modelPath, vocabSize: 416 });
    expect(model.hparams.d_model).toBe(TINY.d_model);
    model.dispose();
  });
});
