import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_MODEL_PATH, loadModelSource } from '../model-source.js';
import { captureIo } from '../test-utils/capture-io.js';
import { expectCliError, expectOverwriteNeedsForce } from '../test-utils/cli-errors.js';
import { SATIE } from '../test-utils/fixtures.js';
import { tempDir } from '../test-utils/temp-dir.js';
import { type ExportFlags, runExport } from './run-export.js';

const root = tempDir('mt-cli-run-export-');

/** `runExport` with --json and `extra`, its result parsed. */
async function exportModel(model: string, out: string, extra: Partial<ExportFlags> = {}) {
  const run = captureIo();
  await runExport(model, out, { json: true, ...extra }, run);
  return JSON.parse(run.out()) as { model: string; out: string; bytes: number; hparams: unknown };
}

describe('runExport', () => {
  it("writes the bundled model as the original's zip checkpoint and says what it wrote", async () => {
    const out = join(root, 'default.pt');
    const result = await exportModel('default', out);
    const { hparams } = await loadModelSource('default');
    expect(result).toEqual({ model: DEFAULT_MODEL_PATH, out, bytes: statSync(out).size, hparams });
    // torch.save's format since torch 1.6 is a zip archive: it starts with a local file header.
    expect(readFileSync(out).subarray(0, 4).toString('latin1')).toBe('PK\u0003\u0004');
  });

  it('refuses to overwrite a file unless --force', async () => {
    const out = join(root, 'taken.pt');
    await expectOverwriteNeedsForce(out, '.pt file', (force) => exportModel('default', out, { force }));
    expect(readFileSync(out).subarray(0, 2).toString('latin1')).toBe('PK');
  });

  it('names a missing model and a file that is not a model', async () => {
    const out = join(root, 'never.pt');
    const missing = join(root, 'missing.safetensors');
    await expectCliError(exportModel(missing, out), 'NOT_FOUND', `model file not found: ${missing}`);
    const notModel = `${SATIE} is not a model file (expected a .safetensors model or checkpoint, or a PyTorch .pt)`;
    await expectCliError(exportModel(SATIE, out), 'BAD_INPUT', notModel);
  });
});
