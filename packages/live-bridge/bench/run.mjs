// Benchmarks of @music-transformer/live-bridge; prints one JSON line per figure.
// Real-time factor of generation in the worker thread, at the default model hparams (untrained
// weights: same cost per token as a trained model), against piano density measured on real piano MIDI.
// Figures on a shared machine are noisy (+-15 % or worse when other jobs run).
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createVocab, midiToTokens } from '@music-transformer/vocab';
import { createWorkerGenerator, MODEL_SOURCE_URL } from '../dist/index.js';

const TOKENS = Number(process.env.BENCH_TOKENS ?? 3072);
const PIANO = fileURLToPath(new URL('../../../test/fixtures/midi/peacherine-rag.mid', import.meta.url));

const vocab = createVocab();
const msOf = (id) => (vocab.kindOf(id) === 'time_shift' ? vocab.valueOf(id) * vocab.stepMs : 0);

// Piano density: tokens per second of music in a real solo-piano file (the densest fixture).
const piano = midiToTokens(new Uint8Array(readFileSync(PIANO)), {
  fileName: 'peacherine-rag.mid',
  vocab,
}).tokens;
const pianoSeconds = piano.reduce((s, id) => s + msOf(id), 0) / 1000;
const pianoDensity = piano.length / pianoSeconds;

const generator = createWorkerGenerator({
  sourceModule: MODEL_SOURCE_URL,
  sourceOptions: { hparams: {}, randomSeed: 1, seed: 1 },
});
await generator.ready;
let received = 0;
let musicMs = 0;
const t0 = performance.now();
await new Promise((resolve, reject) => {
  generator.listen({
    tokens(ids) {
      received += ids.length;
      for (const id of ids) musicMs += msOf(id);
      if (received >= TOKENS) resolve();
      else generator.request(ids.length); // keep two batches in flight, as the bridge does
    },
    primed() {},
    error: reject,
  });
  generator.reset([vocab.start]);
  generator.request(16);
});
const wallS = (performance.now() - t0) / 1000;
await generator.close();

const tokensPerSecond = received / wallS;
const context = {
  hparams: 'default (d_model 128, 3 layers, 8 heads, context 1024)',
  tokens: received,
  wall_s: +wallS.toFixed(2),
};
console.log(
  JSON.stringify({
    bench: 'live-bridge/worker-generation',
    value: +tokensPerSecond.toFixed(1),
    unit: 'tokens/s',
    ...context,
  }),
);
console.log(
  JSON.stringify({
    bench: 'live-bridge/real-time-factor-piano',
    value: +(tokensPerSecond / pianoDensity).toFixed(2),
    unit: 'x (music s per wall s)',
    target: 3,
    piano_tokens_per_music_s: +pianoDensity.toFixed(1),
    density_source: 'test/fixtures/midi/peacherine-rag.mid',
    ...context,
  }),
);
console.log(
  JSON.stringify({
    bench: 'live-bridge/real-time-factor-own-output',
    value: +(musicMs / 1000 / wallS).toFixed(2),
    unit: 'x (music s per wall s)',
    note: 'the untrained model writes far sparser music than piano, so this overstates a trained model',
    ...context,
  }),
);
