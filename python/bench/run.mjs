// Training throughput of the torch trainer (CPU: 1 process, and 2 processes under torchrun with gloo)
// beside `mt train` (wasm: 1 and 2 workers), in one run on the same dataset, hparams, batch and steps.
// One JSON line per figure: {"bench":"torch/train-<engine>","value":tokens/s,"unit":"tokens/s",...}.
// tokens/s = row positions (batch * (length - 1)) per second of optimizer step, the median over the
// steps after the first (warm-up), as both trainers write it to metrics.jsonl.
// Usage: node bench/run.mjs [--length 257] [--batch 16] [--steps 5]
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { findTorchPython } from '../scripts/find-python.mjs';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const REPO = join(ROOT, '..');
const MT = join(REPO, 'packages', 'cli', 'dist', 'bin.js');
const arg = (name, fallback) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const length = arg('--length', 257);
const batch = arg('--batch', 16);
const steps = arg('--steps', 5);
const python = findTorchPython();
if (python === null) {
  // `pnpm bench` runs every package's bench: without torch this one reports why and yields no figure.
  console.error('torch bench skipped: no python with torch (install python3-torch or set MT_PYTHON)');
  process.exit(0);
}

const work = mkdtempSync(join(tmpdir(), 'mt-torch-bench-'));
const run = (cmd, args, env = {}) => {
  const r = spawnSync(cmd, args, { cwd: work, encoding: 'utf8', env: { ...process.env, ...env } });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed:\n${r.stderr}`);
  return r.stdout;
};
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const tokensPerSecond = (name) => {
  const records = readFileSync(join(work, 'runs', name, 'metrics.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l))
    .filter((r) => r.type === 'train' && r.step > 1);
  return median(records.map((r) => r.tokens_per_s));
};

try {
  run(process.execPath, [
    MT,
    'preprocess',
    join(REPO, 'test', 'fixtures', 'midi'),
    'data',
    String(length),
    '--windows',
    'all',
    '--workers',
    '1',
  ]);
  // Default hparams (d 128, 3 layers, 8 heads, d_ff 512, max_rel_dist 1024), dropout as default, no validation.
  const flags = ['-bs', String(batch), '--max-steps', String(steps), '--norm', 'pre'];
  const context = { length, batch, steps, hparams: 'default', cores: cpus().length };
  for (const workers of [1, 2]) {
    const name = `mt-${workers}`;
    run(process.execPath, [
      MT,
      'train',
      'data.safetensors',
      `${name}.safetensors`,
      `${name}-model.safetensors`,
      '1',
      ...flags,
      '--workers',
      String(workers),
      '--name',
      name,
      '--quiet',
    ]);
    console.log(
      JSON.stringify({
        bench: 'torch/train-mt',
        value: Math.round(tokensPerSecond(name)),
        unit: 'tokens/s',
        engine: 'mt train (wasm)',
        workers,
        ...context,
      }),
    );
  }
  const env = { PYTHONPATH: ROOT };
  for (const processes of [1, 2]) {
    const name = `torch-${processes}`;
    const args = [
      'data.safetensors',
      `${name}.safetensors`,
      `${name}-model.safetensors`,
      '1',
      ...flags,
      '--name',
      name,
    ];
    if (processes === 1) run(python, ['-m', 'mt_torch.train', ...args], env);
    else
      run(
        python,
        [
          '-m',
          'torch.distributed.run',
          '--redirects',
          '1',
          '--tee',
          '1',
          '--nproc_per_node',
          String(processes),
          '-m',
          'mt_torch.train',
          ...args,
        ],
        env,
      );
    const torchVersion = run(python, ['-c', 'import torch; print(torch.__version__)']).trim();
    console.log(
      JSON.stringify({
        bench: 'torch/train-torch',
        value: Math.round(tokensPerSecond(name)),
        unit: 'tokens/s',
        engine: `torch ${torchVersion} (cpu${processes > 1 ? ', gloo' : ''})`,
        processes,
        ...context,
      }),
    );
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
