// Trainer benchmarks: one JSON line per figure. Run after `pnpm --filter @music-transformer/trainer build`.
// The machine is shared: figures are noisy (see README). BENCH_STEPS / BENCH_WORKERS / BENCH_LEN override.
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createTrainingEngine, hparamPresets } from '@music-transformer/model';
import {
  buildDataset,
  encodeCheckpoint,
  readCheckpoint,
  readDataset,
  TrainerEmitter,
  train,
  transformerLr,
  writeFileAtomic,
} from '../dist/index.js';

const FIXTURES = new URL('../test/fixtures/midi/', import.meta.url).pathname;
const steps = Number(process.env.BENCH_STEPS ?? 6);
const workers = Number(process.env.BENCH_WORKERS ?? 2);
const length = Number(process.env.BENCH_LEN ?? 257);
const batchSize = 4;
const hparams = { ...hparamPresets.default };
const out = mkdtempSync(join(tmpdir(), 'mt-bench-'));
const emit = (o) => process.stdout.write(`${JSON.stringify(o)}\n`);
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

// 1. Dataset building over all cores.
let t = performance.now();
const ds = await buildDataset(FIXTURES, { output: join(out, 'data.safetensors'), length, seed: 1 });
const buildS = (performance.now() - t) / 1000;
const meta = ds.meta;
emit({
  bench: 'trainer/dataset-build',
  value: meta.counts.files / buildS,
  unit: 'files/s',
  files: meta.counts.files,
  rows: meta.counts.train_rows + meta.counts.validation_rows,
  length,
  seconds: buildS,
  workers: availableParallelism(),
});
emit({
  bench: 'trainer/dataset-build-tokens',
  value: meta.files.reduce((n, f) => n + f.tokens, 0) / buildS,
  unit: 'source tokens/s',
  augmentations: meta.augmentation.applied.length,
});

// 2. Raw engine steps on the same rows (what the model's own step benchmark measures).
const data = readDataset(ds.path);
const engine = await createTrainingEngine({ hparams, seed: 7, workers });
const rows = [];
for (let s = 0; s <= steps; s++) {
  const ids = new Int32Array(batchSize * length);
  for (let b = 0; b < batchSize; b++) {
    const r = (s * batchSize + b) % data.trainRows;
    ids.set(data.train.subarray(r * length, (r + 1) * length), b * length);
  }
  rows.push([{ ids, batch: batchSize, len: length }]);
}
const raw = [];
for (let s = 0; s <= steps; s++) {
  t = performance.now();
  await engine.step(rows[s], { lr: transformerLr(s + 1, hparams.d_model, 2000), dropoutSeed: s + 1 });
  if (s > 0) raw.push(performance.now() - t); // the first step includes warm-up
}
await engine.dispose();
const rawMs = median(raw);
emit({
  bench: 'trainer/raw-engine-step',
  value: rawMs,
  unit: 'ms/step',
  batch: batchSize,
  len: length,
  workers,
  tokens_per_s: (batchSize * (length - 1) * 1000) / rawMs,
});

// 3. The same steps through train(): batches gathered from the dataset, metrics logged every step, no
// validation or checkpoint inside the window. The engine is wrapped (public createEngine hook) to time
// engine.step inside the same run, so the overhead figure compares like with like despite the noise.
const engineMs = [];
const timedEngine = async (o) => {
  const e = await createTrainingEngine({ ...o, hparams: o.hparams });
  return {
    step: async (b, so) => {
      const t0 = performance.now();
      const r = await e.step(b, so);
      engineMs.push(performance.now() - t0);
      return r;
    },
    evaluate: (b) => e.evaluate(b),
    getState: () => e.getState(),
    setState: (st) => e.setState(st),
    dispose: () => e.dispose(),
  };
};
const times = [];
const events = new TrainerEmitter();
events.on('train', () => times.push(performance.now()));
const result = await train(
  {
    dataset: ds.path,
    logdir: out,
    name: 'bench',
    hparams,
    epochs: 1,
    maxSteps: steps + 1,
    batchSize,
    workers,
    seed: 7,
    checkpointEvery: 1_000_000,
    checkpointMinutes: 1e6,
  },
  { events, createEngine: timedEngine },
);
const loop = times.slice(1).map((x, i) => x - times[i]);
const inner = engineMs.slice(1);
const sum = (xs) => xs.reduce((a, b) => a + b, 0);
emit({
  bench: 'trainer/loop-step',
  value: median(loop),
  unit: 'ms/step',
  batch: batchSize,
  len: length,
  workers,
  tokens_per_s: (batchSize * (length - 1) * 1000) / median(loop),
});
emit({
  bench: 'trainer/overhead',
  value: ((sum(loop) - sum(inner)) / sum(inner)) * 100,
  unit: '%',
  target: '< 5',
  note: 'wall time between train records minus time inside engine.step, same run',
  steps: loop.length,
});
emit({
  bench: 'trainer/overhead-vs-raw-run',
  value: ((median(loop) - rawMs) / rawMs) * 100,
  unit: '%',
  note: 'median train() step vs median raw engine.step of a separate run: dominated by machine noise',
});

// 4. Atomic checkpoint write (encode weights + Adam moments, write, fsync, rename) of the run's state.
const ckpt = readCheckpoint(result.lastCheckpoint);
const ckptMs = [];
let bytes = 0;
for (let i = 0; i < 3; i++) {
  t = performance.now();
  const enc = encodeCheckpoint(ckpt);
  writeFileAtomic(join(out, 'bench-ckpt.safetensors'), enc);
  ckptMs.push(performance.now() - t);
  bytes = enc.byteLength;
}
emit({ bench: 'trainer/checkpoint-write', value: median(ckptMs), unit: 'ms', bytes });
rmSync(out, { recursive: true, force: true });
