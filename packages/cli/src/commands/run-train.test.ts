import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CliError } from '../errors.js';
import type { InterruptSource } from '../interrupt.js';
import { main } from '../main.js';
import { captureIo } from '../test-utils/capture-io.js';
import { SATIE } from '../test-utils/fixtures.js';
import { runTrain } from './run-train.js';
import type { TrainOptions } from './train-options.js';

const root = mkdtempSync(join(tmpdir(), 'mt-cli-run-train-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** The options commander gives `mt train` with no flags (its declared defaults), plus `extra`. */
function options(extra: Partial<TrainOptions> = {}): TrainOptions {
  return {
    batchSize: 32,
    warmupSteps: 2000,
    accumulate: 1,
    labelSmoothing: 0,
    checkpointEvery: 500,
    logdir: join(root, 'runs'),
    seed: 1,
    backend: 'auto',
    workers: 1,
    validateEvery: 0,
    logEvery: 1,
    host: '127.0.0.1',
    json: true,
    given: new Set(),
    ...extra,
  };
}

async function dataset(): Promise<string> {
  const src = join(root, 'src');
  mkdirSync(src, { recursive: true });
  copyFileSync(SATIE, join(src, 'satie.mid'));
  const path = join(root, 'data.safetensors');
  if (!existsSync(path)) {
    const { io, err } = captureIo();
    const code = await main(
      ['preprocess', src, path, '64', '-t', '0', '-s', '1', '--windows', 'all', '--workers', '1'],
      io,
    );
    expect(code, err()).toBe(0);
  }
  return path;
}

describe('runTrain', () => {
  it('rejects --host given without --dashboard as a usage error before reading any file', async () => {
    const { io } = captureIo();
    const args = { data: join(root, 'none'), checkpoint: 'c', savePath: 'm', epochs: 1 };
    const error = await runTrain(args, options({ host: '0.0.0.0', given: new Set(['host']) }), { io }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(CliError);
    expect((error as CliError).code).toBe('USAGE');
    expect((error as CliError).message).toBe('--host is for the dashboard: add --dashboard');
    // The same value as a default (not given) is no error: the run goes on to look for the dataset.
    const missing = await runTrain(args, options({ host: '0.0.0.0' }), { io }).catch((e: unknown) => e);
    expect((missing as CliError).code).toBe('NOT_FOUND');
  });

  it('trains a tiny model for two steps and writes the checkpoint and the model', async () => {
    const data = await dataset();
    const { io, out } = captureIo();
    const args = { data, checkpoint: join(root, 'a.ckpt'), savePath: join(root, 'a.safetensors'), epochs: 1 };
    await runTrain(args, options({ preset: 'tiny', batchSize: 4, maxSteps: 2, name: 'a' }), { io });
    const result = JSON.parse(out()) as { status: string; step: number; model: string; checkpoint: string };
    expect(result.status).toBe('finished');
    expect(result.step).toBe(2);
    expect(existsSync(result.model)).toBe(true);
    expect(existsSync(result.checkpoint)).toBe(true);
  }, 120_000);

  it('stops after the current step with a checkpoint when the injected interrupt fires', async () => {
    const data = await dataset();
    const { io, out } = captureIo();
    let watched = false;
    let disposed = false;
    const interrupts: InterruptSource = () => {
      watched = true;
      const controller = new AbortController();
      controller.abort();
      return {
        signal: controller.signal,
        dispose: () => {
          disposed = true;
        },
      };
    };
    const args = { data, checkpoint: join(root, 'b.ckpt'), savePath: join(root, 'b.safetensors'), epochs: 1 };
    await runTrain(args, options({ preset: 'tiny', batchSize: 4, maxSteps: 5, name: 'b' }), {
      io,
      interrupts,
    });
    const result = JSON.parse(out()) as { status: string; step: number; model: string; checkpoint: string };
    expect([watched, disposed]).toEqual([true, true]);
    expect(result.status).toBe('stopped');
    expect(result.step).toBeLessThan(5);
    expect(existsSync(result.checkpoint)).toBe(true);
    expect(existsSync(result.model)).toBe(true);
  }, 120_000);
});
