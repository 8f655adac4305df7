import { spawn } from 'node:child_process';
import { existsSync, readdirSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { writeFileAtomic } from './atomic-write.js';
import { removeStaleTemps, tempPathFor } from './temp-files.js';
import { removeTempDirs, tempDir } from './test-utils/temp.js';

afterAll(removeTempDirs);

/**
 * A real writer process: it opens the hidden temp of `target` the way `writeFileAtomic` names it, writes
 * half a file, says "ready" and hangs, as a process killed mid-write would have left things.
 */
function writerMidWrite(target: string): Promise<{ pid: number; kill9: () => Promise<void> }> {
  // The built module: the child is plain Node, without the test runner's TypeScript loader.
  const atomic = new URL('../dist/temp-files.js', import.meta.url).pathname;
  const code = `
    const { tempPathFor } = await import(${JSON.stringify(atomic)});
    const { writeFileSync } = await import('node:fs');
    writeFileSync(tempPathFor(${JSON.stringify(target)}), new Uint8Array(1 << 16));
    process.stdout.write('ready\\n');
    setInterval(() => {}, 1000);
  `;
  const child = spawn(process.execPath, ['--input-type=module', '-e', code], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (status) => reject(new Error(`writer exited early with ${status}`)));
    child.stdout.once('data', () =>
      resolve({
        pid: child.pid!,
        kill9: () =>
          new Promise<void>((done) => {
            child.removeAllListeners('exit');
            child.once('exit', () => done());
            child.kill('SIGKILL');
          }),
      }),
    );
  });
}

describe('temp files of atomic writes', () => {
  it('are hidden siblings named with the pid, and gone after a successful write', () => {
    const dir = tempDir('mt-temps-');
    const target = join(dir, 'ckpt.safetensors');
    expect(tempPathFor(target, 123)).toBe(join(dir, '.ckpt.safetensors.123.tmp'));
    writeFileAtomic(target, new Uint8Array([1, 2, 3]));
    expect(readdirSync(dir)).toEqual(['ckpt.safetensors']);
  });

  it('a temp of a process killed with SIGKILL is removed by the next sweep; a live writer keeps its own', async () => {
    const dir = tempDir('mt-temps-');
    const target = join(dir, 'ckpt.safetensors');
    writeFileSync(target, 'the last good checkpoint');
    const writer = await writerMidWrite(target);
    const temp = tempPathFor(target, writer.pid);
    expect(existsSync(temp)).toBe(true);
    // Alive: its temp may be written right now.
    expect(removeStaleTemps(dir)).toEqual([]);
    expect(existsSync(temp)).toBe(true);
    await writer.kill9();
    expect(removeStaleTemps(dir)).toEqual([`.ckpt.safetensors.${writer.pid}.tmp`]);
    expect(readdirSync(dir)).toEqual(['ckpt.safetensors']);
  });

  it('a day-old temp is stale even when its pid is alive again; other files are never touched', () => {
    const dir = tempDir('mt-temps-');
    const mine = tempPathFor(join(dir, 'a.mid'));
    const reused = tempPathFor(join(dir, 'b.mid'), 1); // pid 1 is always alive
    for (const f of [mine, reused, join(dir, 'notes.tmp'), join(dir, '.hidden'), join(dir, 'song.mid')])
      writeFileSync(f, 'x');
    const twoDaysAgo = (Date.now() - 2 * 24 * 3600 * 1000) / 1000;
    utimesSync(reused, twoDaysAgo, twoDaysAgo);
    utimesSync(mine, twoDaysAgo, twoDaysAgo);
    expect(removeStaleTemps(dir)).toEqual(['.b.mid.1.tmp']);
    expect(readdirSync(dir).sort()).toEqual(
      [`.a.mid.${process.pid}.tmp`, '.hidden', 'notes.tmp', 'song.mid'].sort(),
    );
    expect(removeStaleTemps(join(dir, 'missing'))).toEqual([]);
  });
});
