import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { resolveInside } from './safe-path.js';

describe('resolveInside', () => {
  const base = mkdtempSync(join(tmpdir(), 'mt-safe-'));
  const root = join(base, 'runs');
  mkdirSync(join(root, 'a', 'samples'), { recursive: true });
  writeFileSync(join(root, 'a', 'samples', 'x.mid'), 'MThd');
  writeFileSync(join(base, 'secret.txt'), 'secret');
  symlinkSync(join(base, 'secret.txt'), join(root, 'a', 'link.txt'));
  symlinkSync(base, join(root, 'escape'));
  afterAll(() => rmSync(base, { recursive: true, force: true }));

  it('resolves a file inside the root', () => {
    expect(resolveInside(root, 'a/samples/x.mid')).toBe(join(root, 'a', 'samples', 'x.mid'));
    expect(resolveInside(root, '/a//samples/./x.mid')).toBe(join(root, 'a', 'samples', 'x.mid'));
  });

  it.each([
    ['parent segments', '../secret.txt'],
    ['parent segments after a folder', 'a/../../secret.txt'],
    ['backslashes', 'a\\..\\..\\secret.txt'],
    ['a NUL byte', 'a/samples/x.mid\0.txt'],
    ['a symlink to a file outside', 'a/link.txt'],
    ['a symlinked folder outside', 'escape/secret.txt'],
    ['a directory', 'a/samples'],
    ['the root itself', ''],
    ['a missing file', 'a/none.mid'],
  ])('rejects %s', (_why, path) => {
    expect(resolveInside(root, path)).toBeNull();
  });
});
