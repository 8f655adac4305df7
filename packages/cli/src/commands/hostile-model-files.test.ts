import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodeSafetensors, hparamPresets, MODEL_FORMAT } from '@music-transformer/model';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../main.js';
import { captureIo } from '../test-utils/capture-io.js';

const root = mkdtempSync(join(tmpdir(), 'mt-cli-hostile-model-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

async function run(args: string[]) {
  const { io, out, err } = captureIo();
  const code = await main(args, io);
  return { code, out: out(), err: err() };
}

/** Header-only files (a few hundred bytes) whose metadata lies or is broken. */
const files = {
  'million-layers.safetensors': encodeSafetensors(new Map(), {
    format: MODEL_FORMAT,
    hparams: JSON.stringify({ ...hparamPresets.default, num_layers: 1_000_000 }),
  }),
  'broken-model.safetensors': encodeSafetensors(new Map(), { format: MODEL_FORMAT, hparams: '{"d_model":' }),
  'broken-checkpoint.safetensors': encodeSafetensors(new Map(), { checkpoint: '{"format":' }),
};

describe('hostile model and checkpoint files', () => {
  it.each([
    ['million-layers.safetensors', /^error: [^:]*: invalid hparams: num_layers: .*256/],
    ['broken-model.safetensors', /metadata 'hparams' is not JSON/],
    ['broken-checkpoint.safetensors', /(checkpoint metadata|metadata 'checkpoint') is not JSON/],
  ])('mt generate and mt info refuse %s in one line naming the file', async (name, reason) => {
    const path = join(root, name);
    writeFileSync(path, files[name as keyof typeof files]);
    const target = join(root, `${name}.mid`);
    for (const args of [
      ['generate', path, target, '--max-tokens', '8'],
      ['info', path],
    ]) {
      const r = await run(args);
      expect(r.code).toBe(1);
      const lines = r.err.split('\n').filter(Boolean);
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(new RegExp(`^error: ${path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: `));
      expect(lines[0]).toMatch(reason);
    }
    expect(existsSync(target)).toBe(false);
  });
});
