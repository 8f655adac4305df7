import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, collect, FIXTURES, REPO, runMt, startMt, tempDir, waitFor } from './helpers.js';

/**
 * What a person sees in a real terminal: `mt` runs under a pseudo-terminal (util-linux `script`), so
 * stdout and stderr are TTYs, progress bars are drawn, and every byte the terminal receives is
 * checked. Also --json errors and --quiet through the built binary.
 */
const work = tempDir('terminal');
const at = (name: string): string => join(work.dir, name);
const DATA = at('data.safetensors');

/** Runs `mt ...args` under a pseudo-terminal and returns everything the terminal received. */
async function runInTerminal(args: readonly string[]): Promise<{ code: number | null; screen: string }> {
  const quoted = [process.execPath, BIN, ...args].map((a) => `'${a.replaceAll("'", "'\\''")}'`).join(' ');
  // -q: no "Script started" banner; -e: exit with the command's status; -f: flush as it comes.
  const child = spawn('script', ['-qefc', `stty cols 160; ${quoted}`, '/dev/null'], {
    cwd: REPO,
    stdio: ['pipe', 'pipe', 'pipe'],
    env: { ...process.env, FORCE_COLOR: '0', NO_COLOR: '1', TERM: 'xterm' },
  });
  child.stdin.end();
  const r = await collect(child, 120_000);
  return { code: r.code, screen: r.stdout };
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: matching terminal escape codes is the point.
const CSI = /\x1b\[[0-9;?]*[A-Za-z]/g;

/** What stays visible on each line: the text after the last carriage return, without escape codes. */
function visibleLines(screen: string): string[] {
  return screen.split('\n').map((line) => {
    const lastReturn = line.lastIndexOf('\r', line.endsWith('\r') ? line.length - 2 : line.length);
    return line
      .slice(lastReturn + 1)
      .replace(CSI, '')
      .replace(/\r$/, '');
  });
}

beforeAll(async () => {
  const r = await runMt(['preprocess', FIXTURES, DATA, '128', '-t', '0', '-s', '1', '--workers', '1']);
  expect(r.code, r.stderr).toBe(0);
});
afterAll(() => work.cleanup());

describe('terminal output', () => {
  it('writes status lines above the progress bar, never onto the end of it', async () => {
    const { code, screen } = await runInTerminal([
      'train',
      DATA,
      at('tty-ckpt.safetensors'),
      at('tty-model.safetensors'),
      '1',
      '--preset',
      'tiny',
      '-bs',
      '2',
      '--max-steps',
      '6',
      '--validate-every',
      '2',
      '--workers',
      '1',
      '--logdir',
      at('runs'),
      '--name',
      'tty',
    ]);
    expect(code, screen).toBe(0);
    expect(screen, 'a progress bar was drawn').toContain('train [');
    const lines = visibleLines(screen);
    const validations = lines.filter((l) => l.includes('validation at step'));
    expect(validations.length, screen).toBeGreaterThanOrEqual(2);
    // Each status line is a whole line of its own: nothing of the bar before it.
    for (const line of validations)
      expect(line, JSON.stringify(screen)).toMatch(/^validation at step \d+: loss /);
    expect(
      lines.some((l) => /^model written to /.test(l)),
      screen,
    ).toBe(true);
  });

  it('prints an error as one JSON document on stdout under --json, with the same exit status', async () => {
    const missing = at('nope.mid');
    const r = await runMt(['info', missing, '--json']);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('');
    expect(JSON.parse(r.stdout)).toEqual({
      error: { code: 'NOT_FOUND', message: `file not found: ${missing}` },
    });
    const usage = await runMt(['generate', at('o.mid'), '--temperature', 'hot', '--json']);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toBe('');
    expect((JSON.parse(usage.stdout) as { error: { code: string } }).error.code).toBe('USAGE');
  });

  it('prints nothing at all with -q, an interrupt included', async () => {
    const runs = at('quiet-runs');
    const child = startMt([
      'train',
      DATA,
      at('quiet-ckpt.safetensors'),
      at('quiet-model.safetensors'),
      '50',
      '--preset',
      'tiny',
      '-bs',
      '2',
      '--workers',
      '1',
      '--logdir',
      runs,
      '--name',
      'quiet',
      '-q',
    ]);
    const done = collect(child, 120_000);
    const metrics = join(runs, 'quiet', 'metrics.jsonl');
    await waitFor(
      () => (existsSync(metrics) ? readFileSync(metrics, 'utf8') : ''),
      (text) => text.includes('"train"'),
      60_000,
    );
    child.kill('SIGINT');
    const r = await done;
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('');
    expect(existsSync(at('quiet-ckpt.safetensors'))).toBe(true);
  });
});
