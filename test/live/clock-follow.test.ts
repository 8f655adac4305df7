import { join } from 'node:path';
import {
  codecFromVocab,
  createPreciseWaker,
  createWorkerGenerator,
  LiveBridge,
  monotonicClock,
  requestRealtimePriority,
} from '@music-transformer/live-bridge';
import { createRng, createVocab } from '@music-transformer/vocab';
import { describe, expect, it } from 'vitest';
import { FIXTURES } from '../cli/helpers.js';
import { gateOnJack, openBridgePorts, sendClock, sleep } from './jack.js';

const requireJack = gateOnJack();

describe('live bridge following a DAW clock over JACK', () => {
  it('waits for Start, follows 100 then 140 BPM within one beat, and stops sending within 50 ms of Stop', async (ctx) => {
    requireJack(ctx);
    requestRealtimePriority();
    const clock = monotonicClock;
    const waker = createPreciseWaker(clock);
    const ports = await openBridgePorts(
      `DAW clock ${process.pid}`,
      `Music Transformer follow ${process.pid}`,
    );
    const { source: daw, input, output } = ports;
    const bridge = new LiveBridge({
      codec: codecFromVocab(createVocab()),
      // Real piano traffic (a replayed fixture, several notes a second): what is tested is the clock
      // following, so the notes must not depend on what a random model happens to sample.
      generator: createWorkerGenerator({
        sourceModule: new URL('./fixture-source.mjs', import.meta.url).href,
        sourceOptions: { file: join(FIXTURES, 'peacherine-rag.mid') },
      }),
      output,
      input,
      followClock: true,
      rng: createRng(3),
      bpm: 120,
    });
    const sent: Array<{ on: boolean; time: number }> = [];
    bridge.on('note', (n) => sent.push({ on: n.on, time: n.time }));
    await bridge.start();
    await sleep(1500); // the buffer fills while the DAW is stopped

    let t = clock.now() + 20;
    t = await sendClock(daw, waker, t, 100, 24); // clock without transport: tempo only
    const startMs = t;
    daw.send({ type: 'start' });
    t = await sendClock(daw, waker, t, 100, 4 * 24);
    const bpmAt100 = bridge.bpm;
    t = await sendClock(daw, waker, t, 140, 24); // exactly one beat at the new tempo
    const bpmAfterOneBeat = bridge.bpm;
    t = await sendClock(daw, waker, t, 140, 4 * 24);
    const stopMs = clock.now();
    daw.send({ type: 'stop' });
    await sendClock(daw, waker, t, 140, 48); // DAWs keep sending clock while stopped
    await bridge.stop();
    await sleep(300);
    const received = await ports.finish();

    expect(bpmAt100).toBeGreaterThan(99);
    expect(bpmAt100).toBeLessThan(101);
    expect(bpmAfterOneBeat).toBeGreaterThan(138);
    expect(bpmAfterOneBeat).toBeLessThan(142);
    const ons = sent.filter((s) => s.on);
    expect(ons.length).toBeGreaterThan(3);
    expect(ons.every((s) => s.time >= startMs)).toBe(true);
    expect(ons.every((s) => s.time <= stopMs + 50)).toBe(true);
    const arrivedOns = received.filter((m) => m.type === 'noteon' && m.velocity > 0);
    expect(arrivedOns.length).toBe(ons.length);
    expect(arrivedOns.every((m) => m.ms <= stopMs + 50)).toBe(true);
  });
});
