import { describe, expect, it } from 'vitest';
import { ModelError } from './errors.js';
import { hparamPresets, parseHParams } from './hparams.js';
import { paramCount } from './params.js';

describe('hparams', () => {
  it('has the original defaults and parameter count', () => {
    const h = parseHParams({});
    expect(h).toEqual({
      d_model: 128,
      num_layers: 3,
      num_heads: 8,
      d_ff: 512,
      max_rel_dist: 1024,
      max_abs_position: 0,
      vocab_size: 416,
      bias: true,
      dropout: 0.1,
      layernorm_eps: 1e-6,
      norm: 'pre',
    });
    // Figures of the original (docs/original-project.md): default 1,095,200, hparams_large 6,525,344.
    expect(paramCount(hparamPresets.default)).toBe(1_095_200);
    expect(paramCount(hparamPresets.large)).toBe(6_525_344);
  });

  it('presets have the documented sizes', () => {
    expect(hparamPresets.large).toMatchObject({ d_model: 256, num_layers: 6, d_ff: 1024 });
    expect(hparamPresets.paper).toMatchObject({
      d_model: 512,
      num_layers: 6,
      d_ff: 2048,
      max_rel_dist: 1024,
    });
    expect(hparamPresets.tiny.d_model % hparamPresets.tiny.num_heads).toBe(0);
  });

  it('refuses d_model not divisible by num_heads, naming both', () => {
    try {
      parseHParams({ d_model: 100, num_heads: 8 });
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(ModelError);
      expect((e as ModelError).code).toBe('BAD_HPARAMS');
      expect((e as Error).message).toMatch(/d_model \(100\) must be divisible by num_heads \(8\)/);
    }
  });

  it('refuses unknown keys and wrong types', () => {
    expect(() => parseHParams({ d_modle: 128 })).toThrow(/d_modle/);
    expect(() => parseHParams({ dropout: '0.2' })).toThrow(/dropout/);
    expect(() => parseHParams({ norm: 'sandwich' })).toThrow(/norm/);
    expect(() => parseHParams({ max_rel_dist: -1 })).toThrow(/max_rel_dist/);
  });

  it('accepts max_rel_dist 0 (plain attention) and fewer params follow', () => {
    const h = parseHParams({ max_rel_dist: 0 });
    expect(paramCount(h)).toBe(1_095_200 - 3 * 1024 * 128);
    expect(paramCount(parseHParams({ bias: false }))).toBe(1_095_200 - 3 * (3 * 128 + 512 + 128));
  });
});
