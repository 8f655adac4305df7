import { spawn } from 'node:child_process';
import { copyFileSync, mkdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import { beforeAll } from 'vitest';
import { buildDataset } from '../dataset-build.js';
import { tempDir } from './temp.js';

export const FIXTURES = new URL('../../test/fixtures/midi/', import.meta.url).pathname;
export const CHILD = new URL('../../test/train-child.mjs', import.meta.url).pathname;

/** Small hparams for loop tests: 2 layers, d 32 (the model package's `tiny` preset). */
export const TINY = { d_model: 32, num_layers: 2, num_heads: 4, d_ff: 64, max_rel_dist: 64, dropout: 0.1 };

/** Builds a dataset from some of the fixture pieces into a fresh temp folder. */
export async function fixtureDataset(
  pieces: readonly string[],
  options: { length: number; seed?: number; transpositions?: number[]; stretches?: number[] },
): Promise<string> {
  const src = tempDir('mt-src-');
  mkdirSync(src, { recursive: true });
  for (const p of pieces) copyFileSync(join(FIXTURES, p), join(src, basename(p)));
  const out = join(tempDir('mt-ds-'), 'data.safetensors');
  await buildDataset(src, { output: out, workers: 2, ...options });
  return out;
}

/** The training-loop suites' augmentation: each piece also a semitone up and 5% slower, for more rows. */
export const LOOP_AUGMENTATION = { transpositions: [0, 1], stretches: [1.05] };

/**
 * The set-up the training-loop suites share: a dataset of `pieces` in rows of `length` tokens (split and
 * shuffled with `seed`, augmented as above) and an empty log folder, both made by a `beforeAll` hook of
 * the calling file or describe block. Read the fields in tests and hooks, not at collection time.
 */
export function trainingSetup(
  pieces: readonly string[],
  options: { length: number; seed: number; logPrefix: string },
): { readonly dataset: string; readonly logdir: string } {
  const setup = { dataset: '', logdir: '' };
  beforeAll(async () => {
    const { length, seed } = options;
    setup.dataset = await fixtureDataset(pieces, { length, seed, ...LOOP_AUGMENTATION });
    setup.logdir = tempDir(options.logPrefix);
  });
  return setup;
}

export interface ChildRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs test/train-child.mjs with `options`; `onLine` sees stdout lines and may return a signal to send
 * to the child (once). Resolves when the child exits.
 */
export function runChild(
  options: Record<string, unknown>,
  env: Record<string, string> = {},
  onLine: (line: string) => NodeJS.Signals | undefined = () => undefined,
): Promise<ChildRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CHILD, JSON.stringify(options)], {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    let signalled = false;
    let partial = '';
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
      partial += d.toString();
      const lines = partial.split('\n');
      partial = lines.pop()!;
      for (const line of lines) {
        const sig = onLine(line);
        if (sig && !signalled) {
          signalled = true;
          child.kill(sig);
        }
      }
    });
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    child.on('error', reject);
    child.on('exit', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}
