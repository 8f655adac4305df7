import { readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { writeFileAtomic } from './atomic-write.js';
import { removeTempDirs, tempDir } from './test-utils/temp.js';

afterAll(removeTempDirs);

describe('writeFileAtomic', () => {
  it('replaces the file and leaves no temporary file', () => {
    const dir = tempDir('mt-atomic-');
    const p = join(dir, 'a.bin');
    writeFileAtomic(p, new Uint8Array([1, 2, 3]));
    writeFileAtomic(p, new Uint8Array([4, 5]));
    expect([...readFileSync(p)]).toEqual([4, 5]);
    expect(readdirSync(dir)).toEqual(['a.bin']);
  });

  it('fails with IO naming the path when the folder does not exist', () => {
    const p = join(tmpdir(), 'mt-no-such-dir', 'x', 'a.bin');
    expect(() => writeFileAtomic(p, new Uint8Array(1))).toThrow(expect.objectContaining({ code: 'IO' }));
    expect(() => writeFileAtomic(p, new Uint8Array(1))).toThrow(/mt-no-such-dir/);
  });
});
