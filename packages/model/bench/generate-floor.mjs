// The floor under the generation target "last 128 tokens >= 0.7x as fast as the first 128".
//
// Any exact cached decoder must, per token and layer, run the same Linear layers (q/k/v, output, both
// feed-forward ones; then the vocabulary projection once) and read every cached key, every cached value and
// the relative-embedding rows of every distance once: 3 * t * d_model floats at position t. This script
// times exactly that and nothing more: the decoder's own SIMD Linear kernel on default-hparams shapes, and
// one multiply-add per attention float read (no softmax, no second pass, no layer norms, no sampling).
// It runs it on one core, and split over two (the attention reads of half the heads on a worker thread
// that busy-waits on a shared flag, the cheapest hand-off there is), at t = 64 and t = 960: the mean
// positions of the first and the last 128 of 1024 tokens. The cost is linear in t, so those are the block
// means. A real implementation does more per attention float than this floor, never less, so its ratio
// cannot be above the floor's.
//
// `generous` adds to both positions what the real decoder spends per token at t = 64 beyond the floor
// (layer norms, embedding, softmax, sampling, call overhead), measured here with createGenerator: a cost
// that is the same at every position and so pulls the ratio towards 1.
//
// Usage: node bench/generate-floor.mjs (after `pnpm build`). One JSON line per figure.
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { kernelModuleBytes } from '../dist/generation/simd/kernel-module.js';
import { createGenerator, hparamPresets, initBackend, MusicTransformer } from '../dist/index.js';

const MAX_PAGES = 2048; // 128 MiB, more than the caches and weights below need
const sharedKernels = (memory) =>
  new WebAssembly.Instance(new WebAssembly.Module(kernelModuleBytes({ shared: { maxPages: MAX_PAGES } })), {
    env: { memory },
  }).exports;

// control words of the hand-off: [job sequence number, layer, columns, done sequence number]
const SEQ = 0;
const LAYER = 1;
const COLUMNS = 2;
const DONE = 3;

if (!isMainThread) {
  const { memory, control, matrices, ones, out, ldm, rows } = workerData;
  const k = sharedKernels(memory);
  parentPort.postMessage('ready');
  for (let seen = 0; ; ) {
    let job = Atomics.load(control, SEQ);
    while (job === seen) job = Atomics.load(control, SEQ);
    if (job < 0) break;
    seen = job;
    const layer = Atomics.load(control, LAYER);
    const n = Atomics.load(control, COLUMNS);
    // the second half of the rows (heads 4..7) of the layer's keys, values and relative table
    for (const m of matrices[layer]) k.rowDots(ones, m + rows * ldm * 4, ldm, out, rows, n);
    Atomics.store(control, DONE, job);
  }
} else {
  const h = hparamPresets.default;
  const d = h.d_model;
  const ldm = h.max_rel_dist + 16; // the decoder's column stride of caches and relative table
  const memory = new WebAssembly.Memory({ initial: MAX_PAGES, maximum: MAX_PAGES, shared: true });
  const k = sharedKernels(memory);
  const floats = new Float32Array(memory.buffer);
  let next = 0;
  /** A byte address of `n` floats, 16-byte aligned like the decoder's allocator, filled by `fill`. */
  const alloc = (n, fill) => {
    const at = next;
    next += Math.ceil(n / 4) * 4;
    for (let i = at; i < at + n; i++) floats[i] = fill(i);
    return at * 4;
  };
  const small = (i) => ((i * 2654435761) % 1000) / 1e5 - 0.005;
  const layers = Array.from({ length: h.num_layers }, () => ({
    wqkv: alloc(3 * d * d, small),
    wo: alloc(d * d, small),
    w1: alloc(h.d_ff * d, small),
    w2: alloc(d * h.d_ff, small),
  }));
  // keys, values (transposed caches [d, ldm]) and the transposed relative table [d, ldm] of each layer
  const matrices = layers.map(() => [alloc(d * ldm, small), alloc(d * ldm, small), alloc(d * ldm, small)]);
  const final = alloc(h.vocab_size * d, small);
  const bias = alloc(Math.max(3 * d, h.d_ff, h.vocab_size), () => 0);
  const x = alloc(h.d_ff, () => 0.5);
  const y = alloc(Math.max(3 * d, h.d_ff, h.vocab_size), () => 0);
  const ones = alloc(ldm, () => 1);
  const outMain = alloc(d, () => 0);
  const outWorker = alloc(d, () => 0);
  const control = new Int32Array(new SharedArrayBuffer(16));
  const half = d / 2;
  const worker = new Worker(new URL(import.meta.url), {
    workerData: { memory, control, matrices, ones, out: outWorker, ldm, rows: half },
  });
  await new Promise((resolve) => worker.once('message', resolve));

  let seq = 0;
  /** One token's floor at position t, the attention reads on `cores` cores. */
  const token = (t, cores) => {
    const n = Math.ceil((t + 1) / 16) * 16; // the decoder's kernels work on 16-column blocks
    for (const [i, l] of layers.entries()) {
      k.linear(l.wqkv, bias, x, y, 3 * d, d);
      if (cores === 2) {
        Atomics.store(control, LAYER, i);
        Atomics.store(control, COLUMNS, n);
        Atomics.store(control, SEQ, ++seq);
        for (const m of matrices[i]) k.rowDots(ones, m, ldm, outMain, half, n);
        while (Atomics.load(control, DONE) !== seq) {}
      } else {
        for (const m of matrices[i]) k.rowDots(ones, m, ldm, outMain, d, n);
      }
      k.linear(l.wo, bias, x, y, d, d);
      k.linear(l.w1, bias, x, y, h.d_ff, d);
      k.linear(l.w2, bias, x, y, d, h.d_ff);
    }
    k.linear(final, bias, x, y, h.vocab_size, d);
  };
  const microseconds = (f, reps = 4000) => {
    for (let i = 0; i < 400; i++) f();
    const start = performance.now();
    for (let i = 0; i < reps; i++) f();
    return ((performance.now() - start) * 1000) / reps;
  };
  const floor = {};
  for (const cores of [1, 2]) {
    floor[cores] = {
      first: microseconds(() => token(64, cores)),
      last: microseconds(() => token(960, cores)),
    };
  }
  Atomics.store(control, SEQ, -1);
  await worker.terminate();

  // The real decoder's first 128 tokens from <start> (random weights, as bench/generate.mjs).
  await initBackend('auto');
  const model = MusicTransformer.create(h, 1);
  const session = createGenerator(model).session({ seed: 1 });
  model.dispose();
  const firstBlock = () => {
    session.reset();
    const start = performance.now();
    for (let i = 0; i < 128; i++) session.next();
    return ((performance.now() - start) * 1000) / 128;
  };
  for (let i = 0; i < 20; i++) firstBlock();
  const decoderFirst = Math.min(...Array.from({ length: 20 }, firstBlock));
  const constant = Math.max(0, decoderFirst - floor[1].first);

  const round = (v, places = 1) => Number(v.toFixed(places));
  for (const cores of [1, 2]) {
    const { first, last } = floor[cores];
    console.log(
      JSON.stringify({
        bench: `model/generate-floor-${cores}-core${cores > 1 ? 's' : ''}`,
        value: round(first / last, 3),
        unit: 'ratio last/first',
        target: 0.7,
        first_us_per_token: round(first),
        last_us_per_token: round(last),
        generous: round((first + constant) / (last + constant), 3),
      }),
    );
  }
  console.log(
    JSON.stringify({
      bench: 'model/generate-floor-constant',
      value: round(constant),
      unit: 'us per token',
      note: "the real decoder's first-128 time per token minus the one-core floor at t = 64; added to both positions for `generous`",
      decoder_first_us_per_token: round(decoderFirst),
    }),
  );
}
