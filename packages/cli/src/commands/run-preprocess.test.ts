import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readDataset } from '@music-transformer/trainer';
import { afterAll, describe, expect, it } from 'vitest';
import { CliError } from '../errors.js';
import type { InterruptSource } from '../interrupt.js';
import { captureIo } from '../test-utils/capture-io.js';
import { SATIE } from '../test-utils/fixtures.js';
import type { PreprocessOptions } from './preprocess-options.js';
import { runPreprocess } from './run-preprocess.js';

const root = mkdtempSync(join(tmpdir(), 'mt-cli-run-preprocess-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const src = join(root, 'src');
mkdirSync(src);
for (const name of ['a.mid', 'b.mid', 'c.mid']) copyFileSync(SATIE, join(src, name));

/** The options commander gives `mt preprocess` with no flags (its declared defaults), plus `extra`. */
function options(extra: Partial<PreprocessOptions> = {}): PreprocessOptions {
  return {
    seed: 1,
    valSplit: 0.2,
    transpositions: [0],
    timeStretches: [1],
    workers: 1,
    json: true,
    ...extra,
  } as PreprocessOptions;
}

describe('runPreprocess', () => {
  it('names a missing source folder', async () => {
    const missing = join(root, 'nowhere');
    const args = { source: missing, destination: join(root, 'x'), length: 64 };
    const error = await runPreprocess(args, options(), captureIo()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CliError);
    expect((error as CliError).code).toBe('NOT_FOUND');
    expect((error as CliError).message).toContain(missing);
  });

  it('writes a dataset of every file', async () => {
    const { io, out } = captureIo();
    await runPreprocess({ source: src, destination: join(root, 'all'), length: 64 }, options(), { io });
    const json = JSON.parse(out()) as { path: string; files: number };
    expect(json.path).toBe(join(root, 'all.safetensors'));
    expect(json.files).toBe(3);
    expect(
      readDataset(json.path)
        .meta.files.map((f) => f.path)
        .sort(),
    ).toEqual(['a.mid', 'b.mid', 'c.mid']);
  }, 60_000);

  it('on an interrupt while the files are read stops with exit 130 and writes nothing', async () => {
    // Ctrl-C lands right after the build starts, while the workers hold the files.
    const interrupts: InterruptSource = () => {
      const controller = new AbortController();
      queueMicrotask(() => controller.abort());
      return { signal: controller.signal, dispose: () => undefined };
    };
    const args = { source: src, destination: join(root, 'cut'), length: 64 };
    const run = runPreprocess(args, options(), { ...captureIo(), interrupts });
    const error = await run.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CliError);
    expect((error as CliError).code).toBe('INTERRUPTED');
    expect((error as CliError).exitCode).toBe(130);
    expect((error as CliError).message).toBe(
      `interrupted: no dataset written to ${join(root, 'cut.safetensors')}`,
    );
    expect(existsSync(join(root, 'cut.safetensors'))).toBe(false);
    expect(readdirSync(root).filter((f) => f.includes('cut'))).toEqual([]);
  }, 60_000);
});
