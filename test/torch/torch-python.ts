import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = dirname(fileURLToPath(import.meta.url));
export const REFERENCE = join(HERE, 'reference.py');
export const BAD_FILES = join(HERE, 'bad_files.py');

/** The python package of the torch trainer (added to PYTHONPATH; no install needed). */
export const PYTHON_PACKAGE = fileURLToPath(new URL('../../python/', import.meta.url));

const CANDIDATES = [process.env.MT_PYTHON, '/usr/bin/python3', 'python3'].filter(
  (c): c is string => c !== undefined && c !== '',
);

/**
 * A python that has torch: MT_PYTHON, else Debian's /usr/bin/python3 (python3-torch), else python3 on
 * PATH (often a pyenv python without torch, hence last). null when none has it.
 */
export function findTorchPython(): string | null {
  for (const python of CANDIDATES) {
    if (spawnSync(python, ['-c', 'import torch, numpy'], { stdio: 'ignore' }).status === 0) return python;
  }
  return null;
}

/**
 * The same, but throws when none has torch: the tests that hold the model against real PyTorch must
 * not pass without it.
 */
export function torchPython(): string {
  const python = findTorchPython();
  if (python !== null) return python;
  throw new Error(
    `no Python with torch and numpy among ${CANDIDATES.join(', ')}: install python3-torch python3-numpy (Debian) or set MT_PYTHON`,
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

export interface TorchRun {
  code: number | null;
  stdout: string;
  stderr: string;
  /** The trainer's last stdout line (JSON), with torchrun's per-rank prefix removed. */
  result: Record<string, unknown> | null;
}

/**
 * Starts `torchrun --nproc_per_node N -m mt_torch.train ...args` as `python -m torch.distributed.run` (the
 * same program) in its own process group, as a terminal runs it (so a test can send Ctrl-C's SIGINT to
 * the whole group). `--redirects 1 --tee 1`: torch 1.13's torchrun fails on Python 3.11 with its default
 * "0" (its flag enum has no iterable 0 member there); stdout is then tee'd with a "[default0]:" prefix.
 */
export function startTorchrun(
  python: string,
  nproc: number,
  args: readonly string[],
  cwd: string,
): ChildProcess {
  return spawn(
    python,
    [
      '-m',
      'torch.distributed.run',
      '--redirects',
      '1',
      '--tee',
      '1',
      '--nproc_per_node',
      String(nproc),
      '-m',
      'mt_torch.train',
      ...args,
    ],
    {
      cwd,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, PYTHONPATH: PYTHON_PACKAGE, OMP_NUM_THREADS: '1' },
    },
  );
}

/** Collects a torchrun child to its end; `result` is the trainer's last JSON stdout line. */
export function finished(child: ChildProcess, timeoutMs = 300_000): Promise<TorchRun> {
  return new Promise((resolve, reject) => {
    let stdout = '';
    let stderr = '';
    child.stdout?.on('data', (c) => {
      stdout += c;
    });
    child.stderr?.on('data', (c) => {
      stderr += c;
    });
    const timer = setTimeout(() => {
      if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
      reject(new Error(`torchrun timed out after ${timeoutMs} ms\n${stdout}\n${stderr}`));
    }, timeoutMs);
    child.on('close', (code) => {
      clearTimeout(timer);
      const lines = stdout
        .split('\n')
        .map((l) => l.replace(/^\[default\d+\]:/, ''))
        .filter((l) => l.startsWith('{'));
      const last = lines.at(-1);
      resolve({ code, stdout, stderr, result: last ? (JSON.parse(last) as Record<string, unknown>) : null });
    });
  });
}

/** Runs torchrun to its end (see startTorchrun). */
export function torchrun(
  python: string,
  nproc: number,
  args: readonly string[],
  cwd: string,
): Promise<TorchRun> {
  return finished(startTorchrun(python, nproc, args, cwd));
}
