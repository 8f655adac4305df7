import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** The python package of the torch trainer (added to PYTHONPATH; no install needed). */
export const PYTHON_PACKAGE = fileURLToPath(new URL('../../python/', import.meta.url));

/**
 * A python that has torch: MT_PYTHON, else Debian's /usr/bin/python3, else python3 on PATH (often a
 * pyenv python without torch, hence last). null when none has it.
 */
export function findTorchPython(): string | null {
  for (const python of [process.env.MT_PYTHON, '/usr/bin/python3', 'python3']) {
    if (!python) continue;
    if (spawnSync(python, ['-c', 'import torch, numpy'], { stdio: 'ignore' }).status === 0) return python;
  }
  return null;
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
