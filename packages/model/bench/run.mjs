// Training benchmarks of @music-transformer/model on the wasm backend. Prints one JSON line per figure:
//   node bench/run.mjs            (after `pnpm --filter @music-transformer/model build`)
// Env: MT_BENCH_WORKERS (default 2), MT_BENCH_SEQS (sequences timed per optimizer step, default 32 = the whole batch).
// Each figure runs in its own child process so that its peak RSS is its own.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';

const peakRssBytes = () =>
  Number(/VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'))[1]) * 1024;
const cpuSeconds = (c) => (c.user + c.system) / 1e6;
const load = () => Number(loadavg()[0].toFixed(2));

/** Deterministic pseudo-music rows: ids 1..415 (no pad), [batch, len]. */
function rows(batch, len, seed) {
  const ids = new Int32Array(batch * len);
  let s = seed >>> 0;
  for (let i = 0; i < ids.length; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    ids[i] = 1 + (s % 415);
  }
  return { ids, batch, len };
}

async function train() {
  const { createTrainingEngine, hparamPresets } = await import('../dist/index.js');
  const workers = Number(process.env.MT_BENCH_WORKERS ?? 2);
  const seqs = Number(process.env.MT_BENCH_SEQS ?? 32);
  const len = 1024;
  const e = await createTrainingEngine({ hparams: hparamPresets.default, seed: 1, workers, backend: 'wasm' });
  // Warm-up step (backend init, XNNPACK operator setup), not timed.
  await e.step([rows(1, len + 1, 1)], { lr: 1e-4, dropoutSeed: 1 });
  const micro = Array.from({ length: seqs }, (_, i) => rows(1, len + 1, 10 + i));
  const load0 = load();
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  await e.step(micro, { lr: 1e-4, dropoutSeed: 2 });
  const seconds = (performance.now() - t0) / 1000;
  const cpu = cpuSeconds(process.cpuUsage(c0));
  await e.dispose();
  const tokens = seqs * len;
  const common = {
    hparams: 'default',
    length: len,
    effective_batch: 32,
    micro_batch: 1,
    workers,
    backend: e.backend,
  };
  const note =
    seqs === 32
      ? 'timed one optimizer step of the whole batch of 32 sequences (micro-batches of 1, gradients accumulated)'
      : `timed one optimizer step of ${seqs} sequences (micro-batches of 1, gradients accumulated); a batch-32 step ` +
        `does ${32 / seqs}x the same per-sequence work, so tokens/s is extrapolated from it`;
  console.log(
    JSON.stringify({
      bench: 'model/train-tokens-per-s',
      value: Math.round(tokens / seconds),
      unit: 'tokens/s',
      ...common,
      step_seconds: Number(seconds.toFixed(2)),
      extrapolated: seqs !== 32,
      note,
      load_average_1m: [load0, load()],
    }),
  );
  console.log(
    JSON.stringify({
      bench: 'model/train-tokens-per-cpu-s',
      value: Math.round(tokens / (cpu / workers)),
      unit: 'tokens/s',
      ...common,
      note: `tokens per CPU-second of the process times ${workers} (one core per worker): the wall rate on an otherwise idle machine, an estimate that ignores contention between the workers`,
      cpu_seconds: Number(cpu.toFixed(2)),
    }),
  );
  console.log(
    JSON.stringify({
      bench: 'model/train-peak-rss',
      value: Math.round(peakRssBytes() / 1e6),
      unit: 'MB',
      ...common,
      seqs_timed: seqs,
    }),
  );
}

async function len2048() {
  const { createTrainingEngine, hparamPresets } = await import('../dist/index.js');
  const e = await createTrainingEngine({
    hparams: hparamPresets.default,
    seed: 1,
    workers: 1,
    backend: 'wasm',
  });
  await e.step([rows(1, 65, 1)], { lr: 1e-4, dropoutSeed: 1 });
  const load0 = load();
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const r = await e.step([rows(1, 2049, 2)], { lr: 1e-4, dropoutSeed: 2 });
  const seconds = (performance.now() - t0) / 1000;
  const cpu = cpuSeconds(process.cpuUsage(c0));
  await e.dispose();
  const common = { hparams: 'default', length: 2048, batch: 1, workers: 1, backend: e.backend };
  console.log(
    JSON.stringify({
      bench: 'model/train-step-2048',
      value: Number(seconds.toFixed(2)),
      unit: 's',
      ...common,
      cpu_seconds: Number(cpu.toFixed(2)),
      loss: Number(r.loss.toFixed(3)),
      load_average_1m: [load0, load()],
    }),
  );
  console.log(
    JSON.stringify({
      bench: 'model/train-step-2048-peak-rss',
      value: Math.round(peakRssBytes() / 1e6),
      unit: 'MB',
      ...common,
    }),
  );
}

const figure = process.argv[2];
if (figure === 'train') await train();
else if (figure === 'len2048') await len2048();
else {
  const self = fileURLToPath(import.meta.url);
  for (const f of ['train', 'len2048']) {
    process.stdout.write(
      execFileSync(process.execPath, [self, f], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] }),
    );
  }
  // generation figures: bench/generate.mjs (cached generator) and bench/generate-floor.mjs (the least an
  // exact decoder must do per token), each in its own process
  for (const script of ['./generate.mjs', './generate-floor.mjs']) {
    const path = fileURLToPath(new URL(script, import.meta.url));
    process.stdout.write(
      execFileSync(process.execPath, [path], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] }),
    );
  }
}
