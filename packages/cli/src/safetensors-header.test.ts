import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { kindOf, readSafetensorsHeader } from './safetensors-header.js';

async function file(bytes: Uint8Array | string): Promise<string> {
  const path = join(await mkdtemp(join(tmpdir(), 'mt-st-')), 'f');
  await writeFile(path, bytes);
  return path;
}

function safetensors(header: object): Uint8Array {
  const json = Buffer.from(JSON.stringify(header));
  const prefix = Buffer.alloc(8);
  prefix.writeBigUInt64LE(BigInt(json.length));
  return Buffer.concat([prefix, json, Buffer.alloc(4)]);
}

describe('readSafetensorsHeader', () => {
  it('reads the metadata and tells the kinds apart', async () => {
    const tensor = { dtype: 'F32', shape: [1], data_offsets: [0, 4] };
    const cases: [Record<string, string>, string][] = [
      [{ dataset: '{}' }, 'dataset'],
      [{ checkpoint: '{}' }, 'checkpoint'],
      [{ hparams: '{}', format: 'music-transformer/model@1' }, 'model'],
      [{}, 'unknown'],
    ];
    for (const [metadata, kind] of cases) {
      const header = await readSafetensorsHeader(
        await file(safetensors({ __metadata__: metadata, w: tensor })),
      );
      expect(header).not.toBeNull();
      expect(kindOf(header!)).toBe(kind);
      expect(header!.tensors.get('w')?.shape).toEqual([1]);
    }
  });

  it('returns null for files that are not safetensors', async () => {
    expect(await readSafetensorsHeader(await file('MThd and more bytes'))).toBeNull();
    expect(await readSafetensorsHeader(await file('tiny'))).toBeNull();
  });

  it('refuses a safetensors file with a malformed header, naming the file', async () => {
    const path = await file(safetensors({ __metadata__: 'not an object' }));
    await expect(readSafetensorsHeader(path)).rejects.toMatchObject({
      name: 'ModelError',
      code: 'BAD_SAFETENSORS',
      message: `${path}: __metadata__ is not an object`,
    });
  });
});
