import { hparamPresets } from '@music-transformer/model';
import { afterEach, describe, expect, it } from 'vitest';
import type { TokenGenerator } from './generator.js';
import { MODEL_SOURCE, WORKER_URL } from './test-utils/dist-urls.js';
import { createWorkerGenerator } from './worker-generator.js';

let generator: TokenGenerator | null = null;
afterEach(async () => {
  await generator?.close();
  generator = null;
});

function collect(g: TokenGenerator, count: number) {
  const primed: number[][] = [];
  const tokens: number[] = [];
  const done = new Promise<void>((resolve, reject) => {
    g.listen({
      tokens: (ids) => {
        tokens.push(...ids);
        if (tokens.length >= count) resolve();
      },
      primed: (t) => primed.push(t),
      error: reject,
    });
  });
  return { primed, tokens, done };
}

describe('worker generator with the model source', () => {
  it('primes the session in the worker and generates the requested tokens, reproducibly per seed', async () => {
    const run = async () => {
      const g = createWorkerGenerator(
        {
          sourceModule: MODEL_SOURCE,
          sourceOptions: { hparams: hparamPresets.tiny, randomSeed: 7, seed: 11 },
        },
        WORKER_URL,
      );
      generator = g;
      const c = collect(g, 24);
      g.reset([414, 395, 61]); // <start>, a velocity, note-on 60 (seed vocab)
      g.request(24);
      await c.done;
      await g.close();
      return c;
    };
    const a = await run();
    const b = await run();
    expect(a.primed).toEqual([[414, 395, 61]]);
    expect(a.tokens).toHaveLength(24);
    expect(a.tokens.every((t) => Number.isInteger(t) && t >= 0 && t < 416)).toBe(true);
    expect(b.tokens).toEqual(a.tokens);
  });

  it('reports a source that cannot load as WORKER_FAILED', async () => {
    generator = createWorkerGenerator(
      { sourceModule: MODEL_SOURCE, sourceOptions: { hparams: { d_model: 30, num_heads: 4 }, seed: 1 } },
      WORKER_URL,
    );
    await expect(generator.ready).rejects.toMatchObject({
      code: 'WORKER_FAILED',
      message: expect.stringContaining('d_model (30) must be divisible by num_heads (4)'),
    });
  });
});
