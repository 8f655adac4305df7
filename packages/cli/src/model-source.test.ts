import { parseHParams } from '@music-transformer/model';
import { presets } from '@music-transformer/vocab';
import { describe, expect, it, vi } from 'vitest';
import { DEFAULT_MODEL_PATH, resolveModelPath, vocabForModel } from './model-source.js';

/**
 * Whether the bundled default model "exists" is decided here, not by the working tree: a training run
 * may be writing assets/default-model/model.safetensors while the tests run.
 */
const bundled = vi.hoisted(() => ({ present: false }));
vi.mock('./files.js', async (importOriginal) => {
  const real = await importOriginal<typeof import('./files.js')>();
  return {
    ...real,
    exists: async (path: string) =>
      /assets[/\\]default-model[/\\]model\.safetensors$/.test(path) ? bundled.present : real.exists(path),
  };
});

describe('vocabForModel', () => {
  it('uses the stored vocabulary and refuses one that does not fit the weights', () => {
    const h = parseHParams({ vocab_size: 416 });
    expect(vocabForModel(presets.seed, h, 'm').vocab.size).toBe(416);
    expect(() => vocabForModel(presets['performance-rnn'], h, 'm.safetensors')).toThrow(
      "m.safetensors: vocabulary mismatch: its vocab 'performance-rnn' has 391 ids but the weights have vocab_size 416",
    );
  });

  it('falls back to the preset of the same size, or says none fits', () => {
    expect(vocabForModel(undefined, parseHParams({ vocab_size: 391 }), 'm')).toMatchObject({ stored: false });
    expect(() => vocabForModel(undefined, parseHParams({ vocab_size: 300 }), 'x')).toThrow(
      'vocab_size 300 matches no known vocabulary',
    );
  });
});

describe('resolveModelPath', () => {
  it('passes explicit paths through and maps default to the bundled file', async () => {
    expect(await resolveModelPath('a.safetensors')).toBe('a.safetensors');
    expect(DEFAULT_MODEL_PATH).toMatch(/assets[/\\]default-model[/\\]model\.safetensors$/);
    // While no file ships, `default` must say so clearly; once it does, `default` and no argument use it.
    bundled.present = false;
    await expect(resolveModelPath(undefined)).rejects.toMatchObject({ code: 'NO_DEFAULT_MODEL' });
    bundled.present = true;
    expect(await resolveModelPath(undefined)).toBe(DEFAULT_MODEL_PATH);
    expect(await resolveModelPath('default')).toBe(DEFAULT_MODEL_PATH);
  });
});
