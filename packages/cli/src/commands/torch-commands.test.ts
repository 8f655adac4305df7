import { hparamPresets } from '@music-transformer/model';
import { createVocab, presets } from '@music-transformer/vocab';
import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import type { ModelSource } from '../model-source.js';
import { vocabRefusal } from './export.js';
import { addHParamFlags, hparamFlagsOf } from './import.js';

function source(vocabConfig: (typeof presets)[keyof typeof presets]): ModelSource {
  return {
    path: 'm.safetensors',
    kind: 'model',
    hparams: hparamPresets.default,
    weights: {},
    vocab: createVocab(vocabConfig),
    vocabStored: true,
    step: null,
  };
}

describe('mt import / mt export options', () => {
  it('passes only the hparams flags the user typed, under the original hparams names', () => {
    const command = addHParamFlags(new Command('import').exitOverride());
    command.parse(['-d', '64', '--num-heads', '4', '--no-bias', '--layernorm-eps', '1e-5'], { from: 'user' });
    expect(hparamFlagsOf(command)).toEqual({ d_model: 64, num_heads: 4, bias: false, layernorm_eps: 1e-5 });
    const none = addHParamFlags(new Command('import').exitOverride());
    none.parse([], { from: 'user' });
    expect(hparamFlagsOf(none)).toEqual({});
  });

  it("refuses to export a vocabulary whose token layout is not the original's", () => {
    expect(vocabRefusal(source(presets.seed))).toBeNull();
    expect(vocabRefusal(source(presets['performance-rnn']))).toMatch(
      /vocabulary 'performance-rnn' differs from the original's \(stepMs 10 vs 8, maxShiftSteps 100 vs 125\)/,
    );
  });
});
