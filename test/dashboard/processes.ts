import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const MT_BIN = fileURLToPath(new URL('../../packages/cli/dist/bin.js', import.meta.url));

/** Runs `mt <args>` to completion; rejects with its stderr when it fails. */
export function mt(args: readonly string[], cwd: string, timeoutMs = 60_000): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [MT_BIN, ...args], { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (c) => {
      out += c;
    });
    child.stderr.on('data', (c) => {
      err += c;
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('close', (code) => {
      clearTimeout(timer);
      if (code === 0) resolve(out);
      else reject(new Error(`mt ${args.join(' ')} exited ${code}:\n${err}`));
    });
  });
}

/** Starts `mt <args>` in the background (the caller stops it with `stop`). */
export function mtBackground(args: readonly string[], cwd: string): ChildProcess {
  return spawn(process.execPath, [MT_BIN, ...args], { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
}

/** Resolves with the first stdout line of a child that parses as JSON (`mt ... --json`). */
export function firstJsonLine<T>(child: ChildProcess, timeoutMs = 30_000): Promise<T> {
  return new Promise((resolve, reject) => {
    let buffered = '';
    let err = '';
    const timer = setTimeout(
      () => reject(new Error(`no JSON line within ${timeoutMs} ms; stderr:\n${err}`)),
      timeoutMs,
    );
    child.stderr?.on('data', (c) => {
      err += c;
    });
    child.stdout?.on('data', (c) => {
      buffered += c;
      for (const line of buffered.split('\n').slice(0, -1)) {
        try {
          const value = JSON.parse(line) as T;
          clearTimeout(timer);
          resolve(value);
          return;
        } catch {
          // not the JSON line yet
        }
      }
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`process exited (${code}) before printing JSON; stderr:\n${err}`));
    });
  });
}

/** SIGTERM, then SIGKILL if the child has not exited after `graceMs`. */
export async function stop(child: ChildProcess | undefined, graceMs = 5000): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
}
