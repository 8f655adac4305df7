import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CheckpointMeta } from '@music-transformer/trainer';
import { describe, expect, it } from 'vitest';
import { checkOwnCheckpoint, checkOwnModel } from './own-files.js';

function safetensors(metadata: Record<string, string>): Uint8Array {
  const json = Buffer.from(JSON.stringify({ __metadata__: metadata }));
  const prefix = Buffer.alloc(8);
  prefix.writeBigUInt64LE(BigInt(json.length));
  return Buffer.concat([prefix, json]);
}

const run = { step: 10, dataset_fingerprint: 'abc', hparams: { d_model: 32 } } as unknown as CheckpointMeta;

async function fileWith(bytes: Uint8Array | string): Promise<string> {
  const path = join(await mkdtemp(join(tmpdir(), 'mt-own-')), 'f.safetensors');
  await writeFile(path, bytes);
  return path;
}

describe('checkOwnCheckpoint', () => {
  it("accepts a missing file and the run's own (older or equal) checkpoint", async () => {
    await expect(checkOwnCheckpoint('/no/such/file', run, false)).resolves.toBeUndefined();
    const own = await fileWith(safetensors({ checkpoint: JSON.stringify({ ...run, step: 7 }) }));
    await expect(checkOwnCheckpoint(own, run, false)).resolves.toBeUndefined();
  });

  it("refuses another run's checkpoint or any other file, unless forced", async () => {
    const other = await fileWith(
      safetensors({ checkpoint: JSON.stringify({ ...run, dataset_fingerprint: 'zzz' }) }),
    );
    await expect(checkOwnCheckpoint(other, run, false)).rejects.toMatchObject({ code: 'EXISTS' });
    const text = await fileWith('notes');
    await expect(checkOwnCheckpoint(text, run, false)).rejects.toThrow('is not a checkpoint of this run');
    await expect(checkOwnCheckpoint(text, run, true)).resolves.toBeUndefined();
  });
});

describe('checkOwnModel', () => {
  it('accepts only a model written by the same run', async () => {
    const own = await fileWith(safetensors({ hparams: '{}', run: 'piano' }));
    await expect(checkOwnModel(own, 'piano', false)).resolves.toBeUndefined();
    await expect(checkOwnModel(own, 'violin', false)).rejects.toThrow("was not written by run 'violin'");
  });
});
