import { describe, expect, it } from 'vitest';
import { maxAbsDiff } from '../test-utils/random.js';
import { createTrainingEngine } from './engine.js';
import { tiny } from './test-utils/tiny.js';
import type { TokenBatch } from './types.js';

// Worker threads load the compiled worker (dist/engine/replica-worker.js): build the package first
// (turbo's test task depends on build).
const mb = (seed: number): TokenBatch => ({
  ids: Int32Array.from({ length: 2 * 18 }, (_, i) => (i % 18 > 14 ? 0 : 1 + ((i * 11 + seed * 5) % 39))),
  batch: 2,
  len: 18,
});

describe('data-parallel training engine (worker threads)', () => {
  it('two workers give the same steps as one in-process replica, dropout included', async () => {
    const data = [mb(1), mb(2), mb(3)];
    const one = await createTrainingEngine({ hparams: tiny, seed: 4, workers: 1, backend: 'wasm' });
    const two = await createTrainingEngine({ hparams: tiny, seed: 4, workers: 2, backend: 'wasm' });
    try {
      expect(two.workers).toBe(2);
      expect(two.backend).toBe('wasm');
      for (let s = 1; s <= 3; s++) {
        const a = await one.step(data, { lr: 1e-3, dropoutSeed: s, labelSmoothing: 0.1 });
        const b = await two.step(data, { lr: 1e-3, dropoutSeed: s, labelSmoothing: 0.1 });
        expect(b.tokens).toBe(a.tokens);
        expect(b.correct).toBe(a.correct);
        expect(b.loss).toBeCloseTo(a.loss, 5);
        expect(b.gradNorm).toBeCloseTo(a.gradNorm, 4);
      }
      expect(await two.evaluate(mb(9))).toEqual(await one.evaluate(mb(9)));
      const sa = await one.getState();
      const sb = await two.getState();
      expect(sb.adam.t).toBe(3);
      let worst = 0;
      for (const k of Object.keys(sa.weights))
        worst = Math.max(worst, maxAbsDiff(sa.weights[k]!, sb.weights[k]!));
      expect(worst).toBeLessThan(1e-4);
    } finally {
      await one.dispose();
      await two.dispose();
    }
  });

  it('reports a worker that cannot start its backend', async () => {
    await expect(
      createTrainingEngine({ hparams: tiny, seed: 1, workers: 2, backend: 'tensorflow' }),
    ).rejects.toMatchObject({
      code: 'WORKER_FAILED',
    });
  });
});
