import { spawnSync } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import { readDataset } from './dataset-file.js';
import { fixtureDataset } from './test-utils/fixtures.js';
import { removeTempDirs, tempDir } from './test-utils/temp.js';

const SCRIPT = new URL('../test/read_dataset.py', import.meta.url).pathname;
// The `safetensors` Python package is not installable on the build machines (no PyPI); numpy is (Debian).
const hasNumpy = spawnSync('python3', ['-c', 'import numpy'], { stdio: 'ignore' }).status === 0;

afterAll(removeTempDirs);

describe('dataset file in Python', () => {
  it.runIf(hasNumpy)('is readable with numpy from the safetensors layout, with the same rows', async () => {
    const path = await fixtureDataset(['ragtime/solace.mid', 'classical/fur-elise.mid'], {
      length: 64,
      seed: 4,
    });
    const ds = readDataset(path);
    const r = spawnSync('python3', [SCRIPT, path], {
      encoding: 'utf8',
      cwd: tempDir('mt-py-'),
    });
    expect(r.status, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.train.shape).toEqual([ds.trainRows, 64]);
    expect(out.validation.shape).toEqual([ds.validationRows, 64]);
    expect(out.train.first).toEqual([...ds.train.subarray(0, 4)]);
    expect(out.train.max).toBe(Math.max(...ds.train));
    expect(out.files).toBe(2);
  });
});
