import { describe, expect, it } from 'vitest';
import { LiveBridge } from './bridge.js';
import { startIds } from './codec.js';
import { createInlineGenerator } from './generator.js';
import { isNoteOn } from './messages.js';
import { MidiRecorder } from './recorder.js';
import { run } from './test-utils/drive.js';
import { FakeInput, FakeOutput } from './test-utils/fake-ports.js';
import { FakeTime } from './test-utils/fake-time.js';
import { ManualGenerator } from './test-utils/manual-generator.js';
import { pulseLoop, ScriptedSource } from './test-utils/scripted-source.js';
import { seedLayoutCodec as codec } from './test-utils/seed-codec.js';

const rng = { next: () => 0.5 };

describe('LiveBridge modes and options (fake clock)', () => {
  it('continue mode keeps continuing the phrase until the player plays again, which cuts it off', async () => {
    const time = new FakeTime();
    const output = new FakeOutput(() => time.now());
    const input = new FakeInput();
    const generator = new ManualGenerator();
    const bridge = new LiveBridge({
      codec,
      generator,
      output,
      input,
      rng,
      clock: time,
      waker: time,
      mode: 'continue',
    });
    await bridge.start();
    input.play({ type: 'noteon', channel: 0, note: 60, velocity: 100 }, time.now());
    await run(time, 200);
    input.play({ type: 'noteoff', channel: 0, note: 60, velocity: 0 }, time.now());
    await run(time, 2010);
    expect(bridge.state).toBe('responding');
    for (let i = 0; i < 4; i++) generator.feed(pulseLoop([70]));
    await run(time, 1900); // longer than the 200 ms phrase: continue mode has no end
    expect(output.sent.filter((s) => isNoteOn(s.message)).length).toBe(4);
    input.play({ type: 'noteon', channel: 0, note: 62, velocity: 90 }, time.now());
    expect(bridge.state).toBe('listening');
    const afterCut = output.sent.length;
    await run(time, 1000);
    expect(output.sent.length).toBe(afterCut); // the rest of the answer is dropped
    await bridge.stop();
  });

  it('answers a phrase whose last key is never released, after the silence from its last event', async () => {
    const time = new FakeTime();
    const output = new FakeOutput(() => time.now());
    const input = new FakeInput();
    const generator = new ManualGenerator();
    const bridge = new LiveBridge({
      codec,
      generator,
      output,
      input,
      rng,
      clock: time,
      waker: time,
      mode: 'call-response',
      bpm: 120, // silence of 4 beats = 2000 ms
    });
    await bridge.start();
    input.play({ type: 'noteon', channel: 0, note: 60, velocity: 100 }, time.now());
    await run(time, 400);
    input.play({ type: 'noteoff', channel: 0, note: 60, velocity: 0 }, time.now());
    input.play({ type: 'noteon', channel: 0, note: 64, velocity: 90 }, time.now()); // never released
    const lastEvent = time.now();
    await run(time, 1990);
    expect(bridge.state).toBe('listening');
    expect(generator.primers).toEqual([]);
    await run(time, 20);
    expect(bridge.state).toBe('responding');
    // The held key is closed at the phrase's last event.
    expect(generator.primers).toEqual([
      [
        ...startIds(codec),
        codec.velocity(100),
        codec.noteOn(60),
        ...codec.timeShift(400),
        codec.noteOff(60),
        codec.velocity(90),
        codec.noteOn(64),
        codec.noteOff(64),
      ],
    ]);
    expect(time.now() - lastEvent).toBeGreaterThanOrEqual(2000);
    // Its late note-off, if it ever comes, starts nothing.
    input.play({ type: 'noteoff', channel: 0, note: 64, velocity: 0 }, time.now());
    await run(time, 2500);
    expect(generator.primers.length).toBe(1);
    await bridge.stop();
  });

  it('sends earlier by a negative offset, without sending any message before its (shifted) time', async () => {
    const time = new FakeTime();
    const output = new FakeOutput(() => time.now());
    const due: number[] = [];
    const bridge = new LiveBridge({
      codec,
      generator: createInlineGenerator(new ScriptedSource(pulseLoop([60]))),
      output,
      rng,
      clock: time,
      waker: time,
      offsetMs: -30,
    });
    bridge.on('note', (n) => due.push(n.time));
    await bridge.start();
    await run(time, 3000);
    const ons = output.sent.filter((s) => isNoteOn(s.message)).map((s) => s.ms);
    expect(ons.length).toBeGreaterThan(3);
    expect(ons[1]! - ons[0]!).toBe(512);
    expect(output.sent.every((s, i) => s.ms >= due[i]!)).toBe(true);
    await bridge.stop();
  });

  it('follows MIDI clock: silent until Start, plays at the clock tempo, silent again after Stop', async () => {
    const time = new FakeTime();
    const output = new FakeOutput(() => time.now());
    const input = new FakeInput();
    const bridge = new LiveBridge({
      codec,
      generator: createInlineGenerator(new ScriptedSource(pulseLoop([60, 64]))),
      output,
      input,
      rng,
      clock: time,
      waker: time,
      followClock: true,
      bpm: 120,
    });
    await bridge.start();
    await run(time, 1000);
    expect(bridge.state).toBe('waiting');
    expect(output.sent).toEqual([]);
    input.play({ type: 'start' }, time.now());
    // 60 BPM from the DAW: 1000 ms per beat, 41.67 ms per pulse; the model's 512 ms become 1024 ms.
    for (let i = 0; i < 24 * 4; i++) {
      input.play({ type: 'clock' }, time.now());
      await run(time, 1000 / 24, 1000 / 24);
    }
    expect(bridge.bpm).toBeCloseTo(60, 3);
    const ons = output.sent.filter((s) => isNoteOn(s.message)).map((s) => s.ms);
    expect(ons.length).toBeGreaterThanOrEqual(3);
    expect(ons[2]! - ons[1]!).toBeCloseTo(1024, 0);
    input.play({ type: 'stop' }, time.now());
    const count = output.sent.length;
    await run(time, 2000);
    // Only the silencing messages of the Stop, nothing scheduled.
    expect(output.sent.slice(count)).toEqual([]);
    expect(output.sent.at(-1)?.message).toMatchObject({ type: 'cc', controller: 123 });
    await bridge.stop();
  });

  it('records what it sends, and starts a new piece seamlessly after the end token', async () => {
    const time = new FakeTime();
    const output = new FakeOutput(() => time.now());
    const recorder = new MidiRecorder(120);
    const source = new ScriptedSource([...pulseLoop([60]), 415]);
    const bridge = new LiveBridge({
      codec,
      generator: createInlineGenerator(source),
      output,
      rng,
      clock: time,
      waker: time,
      recorder,
    });
    await bridge.start();
    await run(time, 3000);
    await bridge.stop();
    expect(source.primers.length).toBeGreaterThan(2); // reset after each <end>
    expect(recorder.count).toBe(output.sent.length);
  });
});
