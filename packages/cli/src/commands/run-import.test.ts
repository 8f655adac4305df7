import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadModelSource, type ModelSource } from '../model-source.js';
import { captureIo } from '../test-utils/capture-io.js';
import { expectCliError, expectOverwriteNeedsForce } from '../test-utils/cli-errors.js';
import { SATIE } from '../test-utils/fixtures.js';
import { tempDir } from '../test-utils/temp-dir.js';
import { runExport } from './run-export.js';
import { type ImportFlags, runImport } from './run-import.js';

const root = tempDir('mt-cli-run-import-');
/** The bundled model written by `mt export`: a real checkpoint in the original's format. */
const pt = join(root, 'default.pt');
let original: ModelSource;
beforeAll(async () => {
  await runExport('default', pt, { quiet: true }, captureIo());
  original = await loadModelSource('default');
});

/** A tensor's bytes, to compare weights bit for bit. */
const bits = (a: Float32Array) => Buffer.from(a.buffer, a.byteOffset, a.byteLength);

/** `runImport` with --json and `extra`, its result parsed. */
async function importPt(source: string, out: string, extra: Partial<ImportFlags> = {}) {
  const run = captureIo();
  await runImport(source, out, { json: true, hparams: {}, ...extra }, run);
  return JSON.parse(run.out()) as { source: string; out: string; layout: string; hparams: unknown };
}

describe('runImport', () => {
  it('reads back what runExport wrote: the same hparams and bit-identical weights', async () => {
    const out = join(root, 'back.safetensors');
    expect(await importPt(pt, out)).toEqual({
      source: pt,
      out,
      layout: 'checkpoint',
      hparams: original.hparams,
      notes: [],
    });
    const back = await loadModelSource(out);
    expect(back).toMatchObject({ kind: 'model', hparams: original.hparams, vocabStored: true });
    expect(back.vocab.config).toEqual(original.vocab.config);
    expect(Object.keys(back.weights).sort()).toEqual(Object.keys(original.weights).sort());
    for (const [name, values] of Object.entries(original.weights)) {
      expect(bits(back.weights[name] as Float32Array).equals(bits(values)), name).toBe(true);
    }
  });

  it('refuses to overwrite a file unless --force', async () => {
    const out = join(root, 'taken.safetensors');
    await expectOverwriteNeedsForce(out, 'model file', (force) => importPt(pt, out, { force }));
    expect((await loadModelSource(out)).hparams).toEqual(original.hparams);
  });

  it('names a missing .pt, a file that is not one, and a flag that contradicts the file', async () => {
    const out = join(root, 'never.safetensors');
    const missing = join(root, 'missing.pt');
    await expectCliError(importPt(missing, out), 'NOT_FOUND', `.pt file not found: ${missing}`);
    await expect(importPt(SATIE, out)).rejects.toThrow(`${SATIE}: not a PyTorch file`);
    const heads = original.hparams.num_heads;
    await expect(importPt(pt, out, { hparams: { num_heads: heads * 2 } })).rejects.toThrow(
      `${pt}: num_heads is ${heads} according to the file but ${heads * 2} according to -nh/--num-heads`,
    );
    expect(existsSync(out)).toBe(false);
  });
});
