import { hparamPresets } from '@music-transformer/model';
import { createRng, createVocab } from '@music-transformer/vocab';
import { describe, expect, it } from 'vitest';
import { LiveBridge } from './bridge.js';
import { monotonicClock } from './clock.js';
import type { MidiMessage } from './messages.js';
import type { MidiOutputPort } from './ports.js';
import { requestRealtimePriority } from './realtime-priority.js';
import { MODEL_SOURCE, WORKER_URL } from './test-utils/dist-urls.js';
import { quantile } from './test-utils/stats.js';
import { codecFromVocab } from './vocab-codec.js';
import { createWorkerGenerator } from './worker-generator.js';

const MUSIC_MS = 60_000;

describe('real-time scheduling (real clock, model in a worker thread)', () => {
  it('sends 60 s of music at 120 BPM with p99 lateness <= 2 ms, max <= 5 ms, and nothing early', async () => {
    // As `mt live` does by default: the scheduling thread in the real-time class when allowed.
    const priority = requestRealtimePriority();
    const sends: number[] = [];
    const sink: MidiOutputPort = {
      name: 'in-process sink',
      send(message: MidiMessage) {
        // The moment of the send, on the same monotonic clock the scheduler uses.
        if (message.type === 'noteon' || message.type === 'noteoff') sends.push(monotonicClock.now());
      },
      close() {},
    };
    const generator = createWorkerGenerator(
      {
        sourceModule: MODEL_SOURCE,
        sourceOptions: { hparams: hparamPresets.default, randomSeed: 3, seed: 42 },
      },
      WORKER_URL,
    );
    const bridge = new LiveBridge({
      codec: codecFromVocab(createVocab()),
      generator,
      output: sink,
      rng: createRng(5).fork('density'),
      bpm: 120,
    });
    const due: number[] = [];
    const underruns: number[] = [];
    bridge.on('note', (n) => due.push(n.time));
    bridge.on('underrun', (u) => underruns.push(u.lateMs));
    const playing = new Promise<number>((resolve) => {
      bridge.on('state', (s) => {
        if (s === 'playing') resolve(monotonicClock.now());
      });
    });
    await bridge.start();
    const start = await playing;
    await new Promise((resolve) => setTimeout(resolve, start + MUSIC_MS - monotonicClock.now()));
    await bridge.stop();

    const lateness = due.map((d, i) => (sends[i] as number) - d);
    const summary = {
      events: lateness.length,
      p50: quantile(lateness, 0.5),
      p99: quantile(lateness, 0.99),
      max: Math.max(...lateness),
      min: Math.min(...lateness),
    };
    console.log(
      `[realtime] ${JSON.stringify(summary)} underruns=${underruns.length} priority: ${priority.detail}`,
    );
    expect(summary.events).toBeGreaterThan(100);
    expect(summary.min).toBeGreaterThanOrEqual(0);
    expect(summary.p99).toBeLessThanOrEqual(2);
    expect(summary.max).toBeLessThanOrEqual(5);
    expect(underruns).toEqual([]);
  }, 90_000);
});
