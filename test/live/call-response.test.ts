import {
  codecFromVocab,
  LiveBridge,
  monotonicClock,
  requestRealtimePriority,
} from '@music-transformer/live-bridge';
import { createRng, createVocab } from '@music-transformer/vocab';
import { describe, expect, it } from 'vitest';
import { gateOnJack, openBridgePorts, randomModelGenerator, sleep } from './jack.js';

const requireJack = gateOnJack();

describe('live bridge call and response over JACK', () => {
  it("conditions on the player's notes and answers after one silent bar", async (ctx) => {
    requireJack(ctx);
    requestRealtimePriority();
    const vocab = createVocab();
    const ports = await openBridgePorts(`Player ${process.pid}`, `Music Transformer answer ${process.pid}`);
    const { source: player, input, output } = ports;
    const bridge = new LiveBridge({
      codec: codecFromVocab(vocab),
      generator: randomModelGenerator(5, 6),
      output,
      input,
      mode: 'call-response',
      bpm: 120, // one bar of 4/4 = 2000 ms of silence
      rng: createRng(4),
    });
    const primers: number[][] = [];
    bridge.on('primer', ({ tokens }) => primers.push(tokens));
    const states: Array<[string, number]> = [];
    bridge.on('state', (s) => states.push([s, monotonicClock.now()]));
    await bridge.start();
    expect(bridge.state).toBe('listening');

    // The phrase: four notes of 400 ms (exactly 50 steps of 8 ms), each released as the next starts.
    const phrase = [
      [60, 100],
      [64, 90],
      [67, 80],
      [72, 70],
    ] as const;
    for (const [note, velocity] of phrase) {
      player.send({ type: 'noteon', channel: 0, note, velocity });
      await sleep(400);
      player.send({ type: 'noteoff', channel: 0, note, velocity: 0 });
    }
    const phraseEnd = monotonicClock.now();
    await sleep(2000 + 2500);
    await bridge.stop();
    await sleep(200);
    const received = await ports.finish();

    const shift = (ms: number) => vocab.timeShift(ms / vocab.stepMs);
    const vel = (v: number) => vocab.velocity(vocab.binOfVelocity(v));
    expect(primers).toEqual([
      [
        vocab.start,
        vel(100),
        vocab.noteOn(60),
        shift(400),
        vocab.noteOff(60),
        vel(90),
        vocab.noteOn(64),
        shift(400),
        vocab.noteOff(64),
        vel(80),
        vocab.noteOn(67),
        shift(400),
        vocab.noteOff(67),
        vel(70),
        vocab.noteOn(72),
        shift(400),
        vocab.noteOff(72),
      ],
    ]);
    const answer = received.filter((m) => m.type === 'noteon' || m.type === 'noteoff');
    expect(answer.length).toBeGreaterThan(0);
    // Nothing is played during the silence; the answer starts after it, once its buffer is ready.
    expect((answer[0] as { ms: number }).ms).toBeGreaterThanOrEqual(phraseEnd + 2000);
    expect((answer[0] as { ms: number }).ms).toBeLessThan(phraseEnd + 2000 + 1500 + 1200);
    // The bridge answered after the silence, for about the phrase's length, then listened again.
    const names = states.map(([s]) => s);
    expect(names.slice(0, 3)).toEqual(['listening', 'responding', 'listening']);
    const answeredAt = (states[1] as [string, number])[1];
    expect(answeredAt - phraseEnd).toBeGreaterThanOrEqual(2000);
    const balance = new Map<number, number>();
    for (const m of answer) {
      const on = m.type === 'noteon' && m.velocity > 0;
      balance.set(m.note, (balance.get(m.note) ?? 0) + (on ? 1 : -1));
    }
    expect([...balance.values()].filter((n) => n !== 0)).toEqual([]);
  });

  it('answers a phrase whose last note is never released, after the silence from its last event', async (ctx) => {
    requireJack(ctx);
    requestRealtimePriority();
    const ports = await openBridgePorts(`Held ${process.pid}`, `Music Transformer held ${process.pid}`);
    const { source: player, input, output } = ports;
    const bridge = new LiveBridge({
      codec: codecFromVocab(createVocab()),
      generator: randomModelGenerator(5, 8),
      output,
      input,
      mode: 'call-response',
      bpm: 120, // silence of one 4/4 bar = 2000 ms
      rng: createRng(4),
    });
    const states: Array<[string, number]> = [];
    bridge.on('state', (s) => states.push([s, monotonicClock.now()]));
    await bridge.start();
    player.send({ type: 'noteon', channel: 0, note: 60, velocity: 100 });
    await sleep(400);
    player.send({ type: 'noteoff', channel: 0, note: 60, velocity: 0 });
    // The last key goes down and never comes up (the controller was unplugged).
    player.send({ type: 'noteon', channel: 0, note: 64, velocity: 90 });
    const lastEvent = monotonicClock.now();
    await sleep(2000 + 3000);
    await bridge.stop();
    await sleep(200);
    const received = await ports.finish();

    const responding = states.find(([s]) => s === 'responding');
    expect(responding).toBeDefined();
    const answeredAfter = (responding as [string, number])[1] - lastEvent;
    expect(answeredAfter).toBeGreaterThanOrEqual(2000 - 5); // the input's arrival stamp may lead ours
    expect(answeredAfter).toBeLessThan(2000 + 500);
    const answer = received.filter((m) => m.type === 'noteon' || m.type === 'noteoff');
    expect(answer.length).toBeGreaterThan(0);
    expect((answer[0] as { ms: number }).ms).toBeGreaterThanOrEqual(lastEvent + 2000 - 5);
    const balance = new Map<number, number>();
    for (const m of answer) {
      const on = m.type === 'noteon' && m.velocity > 0;
      balance.set(m.note, (balance.get(m.note) ?? 0) + (on ? 1 : -1));
    }
    expect([...balance.values()].filter((n) => n > 0)).toEqual([]);
  });
});
