import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ToneMidi from '@tonejs/midi';

/** Helpers shared by the CLI end-to-end suites: they drive the BUILT binary, as a user would. */
export const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const BIN = join(REPO, 'packages', 'cli', 'dist', 'bin.js');
export const FIXTURES = join(REPO, 'test', 'fixtures', 'midi');
export const SATIE = join(FIXTURES, 'satie-gymnopedie-no1.mid');

export interface RunResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  cwd?: string;
  input?: string;
  timeoutMs?: number;
}

/** Starts `node dist/bin.js ...args`; the caller owns the process (used for the SIGINT test). */
export function startMt(args: readonly string[], options: RunOptions = {}): ChildProcess {
  const child = spawn(process.execPath, [BIN, ...args], {
    cwd: options.cwd ?? REPO,
    // No TTY: the CLI must fall back to one log line per interval instead of a progress bar.
    stdio: ['pipe', 'pipe', 'pipe'],
    env: { ...process.env, FORCE_COLOR: '0', NO_COLOR: '1' },
  });
  if (options.input !== undefined) child.stdin?.end(options.input);
  else child.stdin?.end();
  return child;
}

export function collect(child: ChildProcess, timeoutMs = 90_000): Promise<RunResult> {
  let stdout = '';
  let stderr = '';
  child.stdout?.setEncoding('utf8').on('data', (d: string) => {
    stdout += d;
  });
  child.stderr?.setEncoding('utf8').on('data', (d: string) => {
    stderr += d;
  });
  return new Promise((resolvePromise, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`mt timed out after ${timeoutMs} ms\nstdout: ${stdout}\nstderr: ${stderr}`));
    }, timeoutMs);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolvePromise({ code, signal, stdout, stderr });
    });
  });
}

export function runMt(args: readonly string[], options: RunOptions = {}): Promise<RunResult> {
  return collect(startMt(args, options), options.timeoutMs);
}

export function tempDir(label: string): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), `mt-e2e-${label}-`));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export interface ParsedNote {
  midi: number;
  time: number;
  duration: number;
  velocity: number;
}

/** Parses a MIDI file with @tonejs/midi (an independent reader) and returns all notes sorted by time. */
export function readNotes(path: string): { notes: ParsedNote[]; duration: number; bpm: number | undefined } {
  const midi = new ToneMidi.Midi(readFileSync(path));
  const notes = midi.tracks
    .flatMap((t) =>
      t.notes.map((n) => ({ midi: n.midi, time: n.time, duration: n.duration, velocity: n.velocity })),
    )
    .sort((a, b) => a.time - b.time || a.midi - b.midi);
  return { notes, duration: midi.duration, bpm: midi.header.tempos[0]?.bpm };
}

/** Polls `read()` until `done` accepts its value or the timeout passes (for the SIGINT test). */
export async function waitFor<T>(
  read: () => T,
  done: (value: T) => boolean,
  timeoutMs: number,
): Promise<void> {
  const start = Date.now();
  for (let value = read(); !done(value); value = read()) {
    if (Date.now() - start > timeoutMs)
      throw new Error(`timed out after ${timeoutMs} ms; last value: ${String(value)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
