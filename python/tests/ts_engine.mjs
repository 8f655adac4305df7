// Drives the TypeScript packages for the python tests, which compare torch with them:
//   node ts_engine.mjs init <request.json> <out.safetensors>   fresh weights of createTrainingEngine(seed)
//   node ts_engine.mjs step <request.json> <out.safetensors>   steps of the engine from given weights and rows
//   node ts_engine.mjs presets                                 hparamPresets as JSON
//   node ts_engine.mjs order <rows> <seed> <epoch>             the trainer's epoch order (vocab permutation)
//   node ts_engine.mjs check-checkpoint <path>                 readCheckpoint (the trainer's schema) -> JSON meta
//   node ts_engine.mjs check-run <run-dir>                     readRun + readMetrics (the dashboard's readers) -> JSON
// request.json: { hparams, seed?, weights?: path, rows?: number[][], steps?: [{ lr, clipNorm?, labelSmoothing?, micro }] }
import { readFileSync, writeFileSync } from 'node:fs';
import {
  createTrainingEngine,
  decodeSafetensors,
  encodeSafetensors,
  hparamPresets,
  paramSpecs,
  parseHParams,
} from '@music-transformer/model';
import { readCheckpoint, readMetrics, readRun } from '@music-transformer/trainer';
import { createRng, permutation } from '@music-transformer/vocab';

const [command, ...args] = process.argv.slice(2);

function tensorsOf(h, groups) {
  const tensors = new Map();
  for (const [prefix, values] of groups)
    for (const spec of paramSpecs(h))
      tensors.set(prefix + spec.name, { dtype: 'F32', shape: spec.shape, data: values[spec.name] });
  return tensors;
}

if (command === 'presets') {
  process.stdout.write(JSON.stringify(hparamPresets));
} else if (command === 'order') {
  const [rows, seed, epoch] = args.map(Number);
  process.stdout.write(
    JSON.stringify(Array.from(permutation(rows, createRng(seed).fork(`data-order/epoch-${epoch}`)))),
  );
} else if (command === 'check-run') {
  const summary = readRun(args[0]);
  const metrics = readMetrics(`${args[0]}/metrics.jsonl`);
  process.stdout.write(JSON.stringify({ summary, records: metrics.records, skipped: metrics.skipped }));
} else if (command === 'check-checkpoint') {
  process.stdout.write(JSON.stringify(readCheckpoint(args[0]).meta));
} else {
  const request = JSON.parse(readFileSync(args[0], 'utf8'));
  const h = parseHParams(request.hparams);
  let weights;
  if (request.weights !== undefined) {
    const file = decodeSafetensors(new Uint8Array(readFileSync(request.weights)));
    weights = Object.fromEntries([...file.tensors].map(([k, t]) => [k, t.data]));
  }
  const engine = await createTrainingEngine({
    hparams: h,
    seed: request.seed ?? 1,
    workers: 1,
    backend: request.backend ?? 'cpu',
    ...(weights ? { weights } : {}),
  });
  const results = [];
  if (command === 'step') {
    const len = request.rows[0].length;
    for (const [i, s] of request.steps.entries()) {
      const batches = [];
      for (let at = 0; at < request.rows.length; at += s.micro) {
        const part = request.rows.slice(at, at + s.micro);
        batches.push({ ids: Int32Array.from(part.flat()), batch: part.length, len });
      }
      const r = await engine.step(batches, {
        lr: s.lr,
        dropoutSeed: i + 1,
        ...(s.clipNorm !== undefined ? { clipNorm: s.clipNorm } : {}),
        ...(s.labelSmoothing ? { labelSmoothing: s.labelSmoothing } : {}),
      });
      results.push(r);
    }
  } else if (command !== 'init') {
    throw new Error(`unknown command ${command}`);
  }
  const state = await engine.getState();
  await engine.dispose();
  const out = encodeSafetensors(
    tensorsOf(h, [
      ['', state.weights],
      ['optimizer.m.', state.adam.m],
      ['optimizer.v.', state.adam.v],
    ]),
    { results: JSON.stringify(results), adam_t: String(state.adam.t) },
  );
  writeFileSync(args[1], out);
}
