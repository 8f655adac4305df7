// CLI benchmarks: one JSON line per figure. The machine is shared, so figures are noisy (+-15 % or worse).
// Run after `pnpm --filter @music-transformer/cli build`: node bench/run.mjs
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { main } from '../dist/main.js';

const here = dirname(fileURLToPath(import.meta.url));
const bin = join(here, '..', 'dist', 'bin.js');
const fixtures = join(here, '..', '..', '..', 'test', 'fixtures', 'midi');
const work = mkdtempSync(join(tmpdir(), 'mt-cli-bench-'));
const sink = { write: () => true };

function mt(args) {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`mt ${args.join(' ')} failed: ${r.stderr}`);
  return { ms: performance.now() - t0, stdout: r.stdout };
}

function median(values) {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

function emit(name, value, unit, context = {}) {
  console.log(JSON.stringify({ bench: `cli/${name}`, value: Number(value.toFixed(3)), unit, ...context }));
}

try {
  emit('startup-help', median([0, 1, 2].map(() => mt(['--help']).ms)), 'ms', {
    runs: 3,
    note: 'process start to exit',
  });

  // The dashboard server (ws, record readers, trainer package) is imported only when a command serves it.
  emit('startup-dashboard-help', median([0, 1, 2].map(() => mt(['dashboard', '--help']).ms)), 'ms', {
    runs: 3,
    note: 'process start to exit; the server module is not loaded',
  });

  const solace = join(fixtures, 'solace.mid');
  const t0 = performance.now();
  for (let i = 0; i < 5; i++) await main(['tokenize', solace, '--as', 'ids'], { stdout: sink, stderr: sink });
  emit('tokenize-in-process', (performance.now() - t0) / 5, 'ms', { file: 'solace.mid (2164 notes)' });

  const data = join(work, 'data.safetensors');
  const pre = mt(['preprocess', fixtures, data, '256', '--workers', '1', '--json']);
  emit('preprocess', pre.ms / 1000, 's', {
    files: 3,
    length: 256,
    augmentations: 25,
    rows: JSON.parse(pre.stdout).train_rows,
  });

  const model = join(work, 'model.safetensors');
  const args = [
    'train',
    data,
    join(work, 'ckpt.safetensors'),
    model,
    '1',
    '--preset',
    'tiny',
    '-bs',
    '8',
    '--max-steps',
    '10',
  ];
  const train = mt([...args, '--logdir', join(work, 'runs'), '--json', '--backend', 'wasm']);
  emit('train-tiny-10-steps', train.ms / 1000, 's', {
    batch: 8,
    length: 256,
    preset: 'tiny',
    includes: 'process start',
  });

  const gen = JSON.parse(
    mt(['generate', model, join(work, 'g.mid'), '--max-tokens', '1000', '--seed', '1', '--json']).stdout,
  );
  // The run stops early when the model samples <end>; `tokens` says how many were generated.
  emit('generate-tiny', gen.files[0].tokens_per_s, 'tokens/s', {
    tokens: gen.files[0].generated,
    preset: 'tiny',
    includes: 'no process start',
  });
} finally {
  rmSync(work, { recursive: true, force: true });
}
