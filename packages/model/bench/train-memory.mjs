// Peak wasm heap of one training step, to calibrate the trainer's memory estimate. One process per
// size (the wasm heap grows and never shrinks): node bench/train-memory.mjs <preset> <len> <batch>
// Prints one JSON line: heap bytes after one step (the heap's high-water mark), RSS, and the time.
import * as tf from '@tensorflow/tfjs-core';
import { createTrainingEngine, hparamPresets } from '../dist/index.js';

const [preset = 'default', lenArg = '256', batchArg = '1'] = process.argv.slice(2);
const len = Number(lenArg);
const batch = Number(batchArg);
const hparams = hparamPresets[preset];
const engine = await createTrainingEngine({ hparams, seed: 1, workers: 1, backend: 'wasm' });
const ids = new Int32Array(batch * len);
for (let i = 0; i < ids.length; i++) ids[i] = 1 + ((i * 7919) % (hparams.vocab_size - 1));
const t0 = performance.now();
let outcome = 'ok';
try {
  await engine.step([{ ids, batch, len }], { lr: 1e-4, dropoutSeed: 3 });
} catch (e) {
  outcome = String(e?.message ?? e).slice(0, 120);
}
const heap = tf.backend().wasm?.HEAPU8?.buffer?.byteLength ?? null;
console.log(
  JSON.stringify({
    bench: 'model/train-step-heap',
    value: heap,
    unit: 'bytes',
    preset,
    len,
    batch,
    rssMB: Math.round(process.memoryUsage().rss / 2 ** 20),
    seconds: Math.round((performance.now() - t0) / 100) / 10,
    outcome,
  }),
);
process.exit(0);
