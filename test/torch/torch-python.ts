import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = dirname(fileURLToPath(import.meta.url));
export const REFERENCE = join(HERE, 'reference.py');
export const BAD_FILES = join(HERE, 'bad_files.py');

/**
 * A Python that has torch: `MT_PYTHON`, then Debian's `/usr/bin/python3` (python3-torch), then
 * `python3` on PATH (often a pyenv build without torch). Throws when none has it: these tests hold
 * the model against real PyTorch and must not pass without it.
 */
export function torchPython(): string {
  const candidates = [process.env.MT_PYTHON, '/usr/bin/python3', 'python3'].filter(
    (c): c is string => c !== undefined && c !== '',
  );
  for (const python of candidates) {
    const r = spawnSync(python, ['-c', 'import torch, numpy'], { stdio: 'ignore' });
    if (r.status === 0) return python;
  }
  throw new Error(
    `no Python with torch and numpy among ${candidates.join(', ')}: install python3-torch python3-numpy (Debian) or set MT_PYTHON`,
  );
}

/** Runs one job of reference.py (JSON on stdin, JSON on stdout). */
export function reference<T>(python: string, job: Record<string, unknown>): T {
  const r = spawnSync(python, [REFERENCE], {
    input: JSON.stringify(job),
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
  });
  if (r.status !== 0) throw new Error(`reference.py ${String(job.op)} failed:\n${r.stderr}`);
  return JSON.parse(r.stdout) as T;
}
