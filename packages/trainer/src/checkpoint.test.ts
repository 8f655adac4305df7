import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { encodeSafetensors, paramSpecs, parseHParams } from '@music-transformer/model';
import { afterAll, describe, expect, it } from 'vitest';
import { type Checkpoint, decodeCheckpoint, encodeCheckpoint, readCheckpoint } from './checkpoint.js';
import type { CheckpointMeta } from './checkpoint-meta.js';
import { batchesPerEpoch, epochOrder } from './data-order.js';
import { TINY } from './test-utils/fixtures.js';
import { removeTempDirs, tempDir } from './test-utils/temp.js';

function fakeCheckpoint(): Checkpoint {
  const hparams = parseHParams(TINY);
  const weights: Record<string, Float32Array> = {};
  const m: Record<string, Float32Array> = {};
  const v: Record<string, Float32Array> = {};
  let k = 0;
  for (const s of paramSpecs(hparams)) {
    const n = s.shape.reduce((a, b) => a * b, 1);
    weights[s.name] = Float32Array.from({ length: n }, () => Math.sin(k++));
    m[s.name] = Float32Array.from({ length: n }, () => Math.cos(k++) * 1e-3);
    v[s.name] = Float32Array.from({ length: n }, () => (k++ % 7) * 1e-7);
  }
  const meta: CheckpointMeta = {
    format: 'music-transformer/trainer-checkpoint',
    version: 1,
    step: 12,
    epoch: 1,
    batch_in_epoch: 3,
    rng: {
      seed: 5,
      data_order: 'fork(data-order/epoch-<epoch>) Fisher-Yates',
      dropout: 'engine dropoutSeed = mixSeed(seed, step)',
    },
    schedule: { kind: 'transformer', d_model: 32, warmup: 2000, next_step: 13 },
    adam_t: 12,
    hparams: { ...hparams },
    trajectory: { batchSize: 8 },
    dataset_fingerprint: 'ab'.repeat(32),
    loss_history: [{ epoch: 0, train_loss: 5.5, val_loss: 5.7 }],
    best_val_loss: 5.7,
    epoch_loss_sum: 15.2,
    epoch_loss_count: 3,
    elapsed_s: 12.5,
    created: '2026-11-26T00:00:00.000Z',
  };
  return { meta, state: { weights, adam: { m, v, t: 12 } } };
}

afterAll(removeTempDirs);

describe('checkpoint file', () => {
  it('round-trips weights, Adam moments and metadata exactly, with model shapes', () => {
    const c = fakeCheckpoint();
    const back = decodeCheckpoint(encodeCheckpoint(c), 'x');
    expect(back.meta).toEqual(c.meta);
    expect(back.state.adam.t).toBe(12);
    for (const name of Object.keys(c.state.weights)) {
      expect(back.state.weights[name]).toEqual(c.state.weights[name]);
      expect(back.state.adam.m[name]).toEqual(c.state.adam.m[name]);
      expect(back.state.adam.v[name]).toEqual(c.state.adam.v[name]);
    }
  });

  it('refuses a truncated or foreign file with BAD_CHECKPOINT naming it', () => {
    const dir = tempDir('mt-ckpt-');
    const bytes = encodeCheckpoint(fakeCheckpoint());
    writeFileSync(join(dir, 'torn.safetensors'), bytes.subarray(0, bytes.length >> 1));
    expect(() => readCheckpoint(join(dir, 'torn.safetensors'))).toThrow(
      expect.objectContaining({
        code: 'BAD_CHECKPOINT',
        message: expect.stringMatching(/torn\.safetensors/),
      }),
    );
    expect(() => readCheckpoint(join(dir, 'missing.safetensors'))).toThrow(
      expect.objectContaining({ code: 'BAD_CHECKPOINT' }),
    );
  });

  it('refuses broken metadata, lying hparams and missing moments from the header, naming the file', () => {
    const refused = (bytes: Uint8Array, pattern: RegExp) =>
      expect(() => decodeCheckpoint(bytes, 'c.safetensors')).toThrow(
        expect.objectContaining({ code: 'BAD_CHECKPOINT', message: expect.stringMatching(pattern) }),
      );
    refused(
      encodeSafetensors(new Map(), { checkpoint: '{"format":' }),
      /^c\.safetensors: checkpoint metadata is not JSON/,
    );
    const c = fakeCheckpoint();
    const huge = { ...c.meta, hparams: { ...c.meta.hparams, num_layers: 1_000_000 } };
    refused(
      encodeSafetensors(new Map(), { checkpoint: JSON.stringify(huge) }),
      /^c\.safetensors: invalid hparams: num_layers/,
    );
    // The weights alone, no Adam moments: refused by name before any tensor is copied.
    const weightsOnly = new Map(
      paramSpecs(parseHParams(c.meta.hparams)).map((s) => [
        s.name,
        { dtype: 'F32' as const, shape: s.shape, data: c.state.weights[s.name]! },
      ]),
    );
    refused(
      encodeSafetensors(weightsOnly, { checkpoint: JSON.stringify(c.meta) }),
      /^c\.safetensors: missing tensor 'optimizer\.m\.input_embedding\.weight'/,
    );
  });
});

describe('data order', () => {
  it('is a permutation that depends on seed and epoch only', () => {
    const a = epochOrder(50, 1, 0);
    expect([...a].sort((x, y) => x - y)).toEqual(Array.from({ length: 50 }, (_, i) => i));
    expect(epochOrder(50, 1, 0)).toEqual(a);
    expect(epochOrder(50, 1, 1)).not.toEqual(a);
    expect(epochOrder(50, 2, 0)).not.toEqual(a);
    expect(batchesPerEpoch(50, 8)).toBe(7);
  });
});
