import { describe, expect, it } from 'vitest';
import { initBackend } from './backend.js';
import type { ModelError } from './errors.js';
import { tf } from './tf.js';

describe('initBackend', () => {
  it("'auto' skips the absent tfjs-node packages and lands on SIMD wasm, saying why", async () => {
    const info = await initBackend('auto');
    expect(info.name).toBe('wasm');
    expect(info.simd).toBe(true);
    expect(info.skipped.map((s) => s.split(':')[0])).toEqual([
      '@tensorflow/tfjs-node-gpu',
      '@tensorflow/tfjs-node',
    ]);
    expect(tf.getBackend()).toBe('wasm');
  });

  it('an explicit unavailable choice fails with BACKEND_UNAVAILABLE instead of falling back', async () => {
    for (const choice of ['tensorflow', 'tensorflow-gpu'] as const) {
      try {
        await initBackend(choice);
        expect.unreachable();
      } catch (e) {
        expect((e as ModelError).code).toBe('BACKEND_UNAVAILABLE');
        expect((e as Error).message).toMatch(new RegExp(`backend '${choice}' is unavailable`));
      }
    }
  });

  it('cpu can be chosen explicitly', async () => {
    expect((await initBackend('cpu')).name).toBe('cpu');
    expect(tf.getBackend()).toBe('cpu');
  });
});
