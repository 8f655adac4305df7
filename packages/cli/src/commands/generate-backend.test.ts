import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../program.js';
import { captureIo } from '../test-utils/capture-io.js';
import { COMMANDS } from './index.js';

const dir = mkdtempSync(join(tmpdir(), 'mt-generate-backend-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function run(args: string[]): Promise<{ code: number; out: string; err: string }> {
  const { io, out, err } = captureIo();
  const code = await runCli(args, { io }, COMMANDS);
  return { code, out: out(), err: err() };
}

describe('mt generate --backend', () => {
  it.each([
    ['wasm', 'wasm'],
    ['cpu', 'cpu'],
  ])('--backend %s runs the bundled model on the %s kernels and says so', async (choice, reported) => {
    const out = join(dir, `${choice}.mid`);
    const r = await run([
      'generate',
      out,
      '--backend',
      choice,
      '--max-tokens',
      '48',
      '--seed',
      '5',
      '--json',
    ]);
    expect(r.code, r.err).toBe(0);
    const result = JSON.parse(r.out) as { backend: string; files: { generated: number }[] };
    expect(result.backend).toBe(reported);
    expect(result.files[0]?.generated).toBeGreaterThanOrEqual(48);
  });

  it('rejects a TF.js-only backend with the valid choices (exit 2)', async () => {
    const r = await run(['generate', join(dir, 'x.mid'), '--backend', 'tensorflow-gpu']);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/auto, wasm, cpu/);
  });
});
