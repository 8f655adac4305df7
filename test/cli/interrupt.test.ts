import { copyFileSync, existsSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { collect, FIXTURES, startMt, tempDir, waitFor } from './helpers.js';

/** Ctrl-C through the built binary: a real SIGINT to a real `mt` process. */
const work = tempDir('interrupt');
afterAll(() => work.cleanup());

describe('mt preprocess and Ctrl-C', () => {
  it('stops the build on SIGINT with status 130 and leaves no dataset or temporary file', async () => {
    // Enough work (the three fixtures 3000 times, 77 augmentations each) that the build is still running
    // at the first progress line, which a run without a terminal prints after 5 s.
    const src = join(work.dir, 'src');
    mkdirSync(src);
    for (let i = 0; i < 3000; i++) {
      for (const name of readdirSync(FIXTURES)) copyFileSync(join(FIXTURES, name), join(src, `${i}-${name}`));
    }
    const out = join(work.dir, 'out');
    mkdirSync(out);
    const child = startMt([
      'preprocess',
      src,
      join(out, 'data'),
      '64',
      '--workers',
      '1',
      '-t',
      ...['-5', '-4', '-3', '-2', '-1', '0', '1', '2', '3', '4', '5'],
      '-s',
      ...['1', '1.05', '1.1', '1.15'],
    ]);
    let stderr = '';
    child.stderr?.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    const done = collect(child, 120_000);
    await waitFor(
      () => stderr,
      // A line short of 100%: the final line comes when the build is over, too late to interrupt.
      (text) => /preprocess: \d+\/9000 files \(\d\d?%\)/.test(text),
      60_000,
    );
    child.kill('SIGINT');
    const r = await done;
    expect(r.code, r.stderr).toBe(130);
    expect(r.stderr).toContain('interrupt: stopping; no dataset is written');
    expect(r.stderr).toContain(`interrupted: no dataset written to ${join(out, 'data.safetensors')}`);
    expect(r.stdout).toBe('');
    // One abort listener per queued file must not trip Node's leak warning.
    expect(r.stderr).not.toContain('MaxListenersExceededWarning');
    expect(readdirSync(out)).toEqual([]);
    expect(existsSync(join(out, 'data.safetensors'))).toBe(false);
  }, 150_000);
});
