import { hparamPresets } from '@music-transformer/model';
import { createVocab } from '@music-transformer/vocab';
import { describe, expect, it } from 'vitest';
import { modelSourceOptions } from './run-live.js';

describe('mt live', () => {
  it('hands the sampling flags and --min-seconds to the generation worker', () => {
    const vocab = createVocab();
    const weights = { 'final.bias': new Float32Array(vocab.size) };
    const flags = { temperature: 0.9, topK: 0, topP: 0.95, minSeconds: 4 };
    expect(modelSourceOptions({ hparams: hparamPresets.tiny, weights, vocab }, flags, 12)).toEqual({
      hparams: hparamPresets.tiny,
      weights,
      vocabConfig: vocab.config,
      seed: 12,
      sampling: { temperature: 0.9, topK: 0, topP: 0.95 },
      minSeconds: 4,
    });
  });

  it('hands --pitch-range and the per-piece --max-seconds / --max-tokens to the worker only when given', () => {
    const vocab = createVocab();
    const weights = { 'final.bias': new Float32Array(vocab.size) };
    const flags = { temperature: 1, topK: 0, topP: 1, minSeconds: 0, maxSeconds: 20, pitchRange: 'violin' };
    expect(modelSourceOptions({ hparams: hparamPresets.tiny, weights, vocab }, flags, 1)).toMatchObject({
      maxSeconds: 20,
      pitchRange: 'violin',
    });
    const plain = modelSourceOptions(
      { hparams: hparamPresets.tiny, weights, vocab },
      { ...flags, maxSeconds: undefined, pitchRange: undefined, maxTokens: 500 },
      1,
    );
    expect(plain).toMatchObject({ maxTokens: 500 });
    expect(plain).not.toHaveProperty('maxSeconds');
    expect(plain).not.toHaveProperty('pitchRange');
  });
});
