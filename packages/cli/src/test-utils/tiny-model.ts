import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import { main } from '../main.js';
import { captureIo } from './capture-io.js';
import { SATIE } from './fixtures.js';

/**
 * A real (barely trained) tiny model under `root`: `mt preprocess` of the Satie piece, then two
 * `mt train` steps through the command line. Returns the model file and the dataset it was trained on.
 */
export async function trainTinyModel(root: string): Promise<{ model: string; data: string }> {
  const src = join(root, 'src');
  mkdirSync(src);
  copyFileSync(SATIE, join(src, 'satie.mid'));
  const data = join(root, 'data.safetensors');
  const model = join(root, 'tiny.safetensors');
  const steps = [
    ['preprocess', src, data, '64', '-t', '0', '-s', '1', '--windows', 'all', '--workers', '1'],
    [
      'train',
      data,
      join(root, 'tiny.ckpt'),
      model,
      '1',
      '--preset',
      'tiny',
      '-bs',
      '4',
      '--max-steps',
      '2',
    ].concat(['--logdir', join(root, 'runs')]),
  ];
  for (const args of steps) {
    const { io, err } = captureIo();
    expect(await main([...args, '--json'], io), err()).toBe(0);
  }
  return { model, data };
}
