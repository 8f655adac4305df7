import { estimateStepMemory, hparamPresets, WASM_HEAP_BYTES } from '@music-transformer/model';
import { describe, expect, it } from 'vitest';
import { checkStepMemory } from './memory-check.js';

describe('training step memory against the wasm heap', () => {
  it('refuses the paper preset on 2,048-token rows in one line naming the limit and the ways out', () => {
    expect(() => checkStepMemory(hparamPresets.paper, 2048, 1)).toThrow(
      expect.objectContaining({
        code: 'OUT_OF_MEMORY',
        message: expect.stringMatching(
          /^a training step needs about 5\.\d GiB per worker \(rows of 2048 tokens, micro-batch 1, 6 layers of d_model 512; .* attention\), over the 3\.4 GiB a step can use of the 4\.0 GiB wasm heap: use shorter rows \(mt preprocess with a smaller length\), a smaller micro-batch \(--accumulate\), a smaller preset, or the PyTorch trainer$/,
        ),
      }),
    );
  });

  it('lets measured working set-ups through: the quick start (512 x 8), the paper preset at 1,024', () => {
    expect(() => checkStepMemory(hparamPresets.default, 512, 8)).not.toThrow();
    expect(() => checkStepMemory(hparamPresets.paper, 1024, 1)).not.toThrow();
    // Default hparams on one 4,096-token row: the L^2 attention alone is over the heap.
    expect(() => checkStepMemory(hparamPresets.default, 4096, 1)).toThrow(/OUT_OF_MEMORY|needs about/);
  });

  it('grows with the square of the row length and less than linearly in the micro-batch', () => {
    const at = (len: number, batch: number) => estimateStepMemory(hparamPresets.default, len, batch).bytes;
    expect(at(2048, 1) / at(1024, 1)).toBeGreaterThan(3);
    expect(at(512, 8) / at(512, 1)).toBeLessThan(8);
    expect(at(256, 1)).toBeLessThan(WASM_HEAP_BYTES / 10);
  });
});
