// One take of the live system for bench/live-timing.mjs: the default model played by the session
// `mt live` runs (runLiveSession), into the existing JACK port argv[2] (the external receiver's
// input), for argv[3] seconds, with real-time scheduling unless argv[4] is "no-realtime". Prints one
// JSON line: every note message the bridge says it sent ([on, pitch, due ms, late ms]) and the
// priority line the user would see.
import {
  codecFromVocab,
  monotonicClock,
  openMidiBackend,
  runLiveSession,
} from '@music-transformer/live-bridge';
import { createRng } from '@music-transformer/vocab';
import { loadModelSource } from '../dist/model-source.js';

const [, , wanted, secondsArg, realtimeArg] = process.argv;
const source = await loadModelSource(undefined);
const seed = 1;
const sent = [];
const stop = new AbortController();
setTimeout(() => stop.abort(), 120_000).unref(); // generation never started: end anyway
const notes = [];
const result = await runLiveSession(
  {
    backend: await openMidiBackend(monotonicClock),
    output: { existing: wanted },
    codec: codecFromVocab(source.vocab),
    model: {
      hparams: source.hparams,
      weights: source.weights,
      vocabConfig: source.vocab.config,
      seed,
    },
    rng: createRng(seed).fork('density'),
    mode: 'generate',
    bpm: 120,
    lookaheadMs: 2000,
    channel: 0,
    offsetMs: 0,
    followClock: false,
    silenceBeats: 4,
    controls: {},
    ccMap: {},
    record: false,
    realtime: realtimeArg !== 'no-realtime',
    // The take lasts `seconds` from the first note (model loading under load can take a while).
    signal: stop.signal,
    status: process.env.BENCH_STATUS === '1',
  },
  {
    note: (line) => notes.push(line),
    warn: (line) => notes.push(line),
    attach: async (bridge) => {
      bridge.on('note', (n) => sent.push([n.on ? 1 : 0, n.pitch, n.time, n.lateMs]));
      bridge.once('note', () => setTimeout(() => stop.abort(), Number(secondsArg) * 1000));
      return undefined;
    },
  },
);
if (result.failure) throw result.failure;
const priority = notes.find((line) => line.includes('priority')) ?? '';
process.stdout.write(`${JSON.stringify({ sent, priority, lines: notes })}\n`);
process.exit(0);
