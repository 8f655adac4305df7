import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { COMMANDS } from './commands/index.js';
import { buildProgram, runCli } from './program.js';

const CLI = new URL('..', import.meta.url).pathname;

/** Runs `node <args>` in the package folder with stdout closed before it writes; returns status and stderr. */
function withClosedStdout(args: string[]): Promise<{ code: number | null; stderr: string }> {
  const child = spawn(process.execPath, args, { cwd: CLI, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout.destroy(); // the reader is gone: mt's first write fails with EPIPE
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (d: string) => {
    stderr += d;
  });
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stderr }));
  });
}

describe('a reader closing the pipe early (mt <cmd> --help | head -1)', () => {
  // These spawn the built binary (turbo's test task builds the package first).
  it('ends the binary with status 0 and nothing on stderr, for the program and every command', async () => {
    const quiet = { write: () => true };
    const names = buildProgram({ io: { stdout: quiet, stderr: quiet } }, COMMANDS).commands.map((c) =>
      c.name(),
    );
    expect(names).toContain('dashboard');
    for (const command of [[], ...names.map((name) => [name])]) {
      const r = await withClosedStdout(['dist/bin.js', ...command, '--help']);
      expect({ command, ...r }).toEqual({ command, code: 0, stderr: '' });
    }
  });

  it('does the same through the library entry point main(args) with the real streams', async () => {
    const script =
      "const { main } = await import('./dist/index.js'); process.exitCode = await main(['train', '--help']);";
    expect(await withClosedStdout(['--input-type=module', '-e', script])).toEqual({ code: 0, stderr: '' });
  });

  it('treats a stream that throws EPIPE as a closed pipe, not a failure (status 0, no error line)', async () => {
    let err = '';
    const epipe = Object.assign(new Error('write EPIPE'), { code: 'EPIPE' });
    const io = {
      stdout: {
        write: (): never => {
          throw epipe;
        },
      },
      stderr: {
        write: (s: string) => {
          err += s;
        },
      },
    };
    expect(await runCli(['train', '--help'], { io }, COMMANDS)).toBe(0);
    expect(err).toBe('');
    // Any other write failure is still reported.
    const eio = Object.assign(new Error('write EIO'), { code: 'EIO' });
    const broken = {
      ...io,
      stdout: {
        write: (): never => {
          throw eio;
        },
      },
    };
    expect(await runCli(['train', '--help'], { io: broken }, COMMANDS)).toBe(1);
    expect(err).toMatch(/EIO/);
  });
});
