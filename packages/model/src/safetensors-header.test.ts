import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { encodeSafetensors } from './safetensors.js';
import { readSafetensorsHeader } from './safetensors-header.js';

const dir = await mkdtemp(join(tmpdir(), 'mt-st-header-'));
afterAll(() => rm(dir, { recursive: true, force: true }));

async function file(name: string, bytes: Uint8Array | string): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, bytes);
  return path;
}

/** A file with a hand-written JSON header and `dataBytes` zero bytes of data. */
function rawSafetensors(header: object, dataBytes: number): Uint8Array {
  const json = Buffer.from(JSON.stringify(header));
  const prefix = Buffer.alloc(8);
  prefix.writeBigUInt64LE(BigInt(json.length));
  return Buffer.concat([prefix, json, Buffer.alloc(dataBytes)]);
}

describe('readSafetensorsHeader', () => {
  it('reads dtypes, shapes and metadata in header order', async () => {
    const bytes = encodeSafetensors(
      {
        train: { dtype: 'U16', shape: [3, 4], data: new Uint16Array(12) },
        w: { dtype: 'F32', shape: [2], data: new Float32Array([1, 2]) },
      },
      { dataset: '{"length":4}' },
    );
    const header = await readSafetensorsHeader(await file('good.safetensors', bytes));
    expect(header.metadata).toEqual({ dataset: '{"length":4}' });
    expect([...header.tensors]).toEqual([
      ['train', { dtype: 'U16', shape: [3, 4] }],
      ['w', { dtype: 'F32', shape: [2] }],
    ]);
  });

  it('refuses a file that is not safetensors with NOT_SAFETENSORS, naming it', async () => {
    const midi = await file('song.mid', 'MThd and more bytes');
    await expect(readSafetensorsHeader(midi)).rejects.toMatchObject({
      code: 'NOT_SAFETENSORS',
      message: expect.stringMatching(/song\.mid: header length \d+ does not fit a file of 19 bytes/),
    });
    const tiny = await file('tiny', 'tiny');
    await expect(readSafetensorsHeader(tiny)).rejects.toMatchObject({
      code: 'NOT_SAFETENSORS',
      message: expect.stringMatching(/tiny: not a safetensors file \(4 bytes/),
    });
    const text = await file('text.safetensors', rawSafetensors([1, 2], 0));
    await expect(readSafetensorsHeader(text)).rejects.toMatchObject({
      code: 'NOT_SAFETENSORS',
      message: expect.stringMatching(/text\.safetensors: header is not a JSON object/),
    });
  });

  it('refuses a malformed header with BAD_SAFETENSORS, naming the file and the entry', async () => {
    const tensor = { dtype: 'F32', shape: [2], data_offsets: [0, 8] };
    const badMeta = await file('meta.safetensors', rawSafetensors({ __metadata__: 'x', w: tensor }, 8));
    await expect(readSafetensorsHeader(badMeta)).rejects.toMatchObject({
      code: 'BAD_SAFETENSORS',
      message: expect.stringMatching(/meta\.safetensors: __metadata__ is not an object/),
    });
    // The data section is checked against the file's size, without being read: a cut-off copy fails here.
    const cut = await file('cut.safetensors', rawSafetensors({ w: tensor }, 4));
    await expect(readSafetensorsHeader(cut)).rejects.toMatchObject({
      code: 'BAD_SAFETENSORS',
      message: expect.stringMatching(
        /cut\.safetensors: tensor 'w' data_offsets \[0, 8\] outside 4 data bytes/,
      ),
    });
  });

  it("rejects a missing file with Node's error, which names the path", async () => {
    await expect(readSafetensorsHeader(join(dir, 'none.safetensors'))).rejects.toMatchObject({
      code: 'ENOENT',
      message: expect.stringContaining('none.safetensors'),
    });
  });
});
