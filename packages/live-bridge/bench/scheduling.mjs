// Scheduling lateness on the real clock: the bridge plays the default-size model (untrained weights,
// generated in its worker thread) at 120 BPM into an in-process sink that reads the monotonic clock at
// each send, so the figure is the bridge's own scheduling, without any MIDI port or JACK cycle. Prints
// one JSON line: lateness p50/p99/max/min in ms over the note messages (min < 0 would be a note sent
// early), underruns (the generator fell behind) and the priority the scheduling thread got.
// Env: BENCH_SECONDS (default 60). As `mt live` does, it asks for real-time priority first.
import { hparamPresets } from '@music-transformer/model';
import { quantile } from '@music-transformer/test-midi';
import { createRng, createVocab } from '@music-transformer/vocab';
import {
  codecFromVocab,
  createWorkerGenerator,
  LiveBridge,
  MODEL_SOURCE_URL,
  monotonicClock,
  requestRealtimePriority,
} from '../dist/index.js';

const MUSIC_MS = Number(process.env.BENCH_SECONDS ?? 60) * 1000;

const priority = requestRealtimePriority();
const sends = [];
const sink = {
  name: 'in-process sink',
  send(message) {
    if (message.type === 'noteon' || message.type === 'noteoff') sends.push(monotonicClock.now());
  },
  close() {},
};
const bridge = new LiveBridge({
  codec: codecFromVocab(createVocab()),
  generator: createWorkerGenerator({
    sourceModule: MODEL_SOURCE_URL,
    sourceOptions: { hparams: hparamPresets.default, randomSeed: 3, seed: 42 },
  }),
  output: sink,
  rng: createRng(5).fork('density'),
  bpm: 120,
});
const due = [];
const underruns = [];
bridge.on('note', (n) => due.push(n.time));
bridge.on('underrun', (u) => underruns.push(u.lateMs));
const playing = new Promise((resolve) => {
  bridge.on('state', (s) => {
    if (s === 'playing') resolve(monotonicClock.now());
  });
});
await bridge.start();
const start = await playing;
await new Promise((resolve) => setTimeout(resolve, start + MUSIC_MS - monotonicClock.now()));
await bridge.stop();

const lateness = due.map((d, i) => sends[i] - d);
const ms = (x) => +x.toFixed(3);
console.log(
  JSON.stringify({
    bench: 'live-bridge/scheduling-lateness',
    seconds: MUSIC_MS / 1000,
    events: lateness.length,
    sent: sends.length,
    p50_ms: ms(quantile(lateness, 0.5)),
    p99_ms: ms(quantile(lateness, 0.99)),
    max_ms: ms(Math.max(...lateness)),
    min_ms: ms(Math.min(...lateness)),
    underruns: underruns.length,
    priority: priority.detail,
  }),
);
