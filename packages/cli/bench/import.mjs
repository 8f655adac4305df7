// `mt import` of the original project's .pt files: wall time and peak RSS of the whole process, for the
// default and the `large` hparams. The .pt files are written by real PyTorch (Debian's python3-torch at
// /usr/bin/python3, or $MT_PYTHON) with the original's state_dict names and random weights.
// One JSON line per figure; the machine is shared, so figures are noisy (+-15 % or worse).
// Run after `pnpm build`: node packages/cli/bench/import.mjs
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { hparamPresets, paramSpecs } from '@music-transformer/model';

const here = dirname(fileURLToPath(import.meta.url));
const bin = join(here, '..', 'dist', 'bin.js');
const work = mkdtempSync(join(tmpdir(), 'mt-import-bench-'));
const python = [process.env.MT_PYTHON, '/usr/bin/python3', 'python3'].find(
  (p) => p && spawnSync(p, ['-c', 'import torch'], { stdio: 'ignore' }).status === 0,
);

// torch.save({state_dict, hparams}) as the original's train.py writes it, from names and shapes.
const SAVE = `
import json, sys, collections, torch
job = json.load(sys.stdin)
torch.manual_seed(0)
sd = collections.OrderedDict((n, torch.randn(*s) * 0.05) for n, s in job["shapes"])
torch.save({"state_dict": sd, "hparams": job["hparams"]}, job["out"])
`;

function emit(name, value, unit, context = {}) {
  console.log(JSON.stringify({ bench: `cli/${name}`, value: Number(value.toFixed(3)), unit, ...context }));
}

function timed(args) {
  // GNU time: wall seconds and peak resident set size (KiB) of the child.
  const r = spawnSync('/usr/bin/time', ['-f', '%e %M', process.execPath, bin, ...args], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`mt ${args.join(' ')} failed: ${r.stderr}`);
  const [seconds, kib] = r.stderr.trim().split('\n').at(-1).split(' ').map(Number);
  return { ms: seconds * 1000, mb: kib / 1024 };
}

if (python === undefined) {
  console.error('bench/import.mjs: no Python with torch ($MT_PYTHON, /usr/bin/python3, python3): skipped');
  process.exit(0);
}

try {
  for (const preset of ['default', 'large']) {
    const { norm: _norm, ...hparams } = hparamPresets[preset];
    const pt = join(work, `${preset}.pt`);
    const job = { out: pt, hparams, shapes: paramSpecs(hparamPresets[preset]).map((s) => [s.name, s.shape]) };
    const made = spawnSync(python, ['-c', SAVE], { input: JSON.stringify(job), encoding: 'utf8' });
    if (made.status !== 0) throw new Error(`torch.save failed: ${made.stderr}`);
    const runs = [0, 1, 2].map(() => timed(['import', pt, join(work, `${preset}.safetensors`), '--force']));
    const best = runs.reduce((a, b) => (b.ms < a.ms ? b : a));
    const context = { preset, runs: 3, pt_bytes: statSync(pt).size, note: 'whole process, best of 3' };
    emit(`import-${preset}-wall`, best.ms, 'ms', context);
    emit(`import-${preset}-peak-rss`, Math.max(...runs.map((r) => r.mb)), 'MB', {
      ...context,
      note: 'max of 3',
    });
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
