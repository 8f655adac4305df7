import { describe, expect, it } from 'vitest';
import { LiveBridge } from './bridge.js';
import { createInlineGenerator } from './generator.js';
import { isNoteOff, isNoteOn, type MidiMessage } from './messages.js';
import type { LiveBridgeOptions } from './options.js';
import { run } from './test-utils/drive.js';
import { FakeInput, FakeOutput } from './test-utils/fake-ports.js';
import { FakeTime } from './test-utils/fake-time.js';
import { ManualGenerator } from './test-utils/manual-generator.js';
import { pulseLoop, ScriptedSource } from './test-utils/scripted-source.js';
import { seedLayoutCodec as codec } from './test-utils/seed-codec.js';

const rng = { next: () => 0.5 };

function setup(extra: Partial<LiveBridgeOptions> = {}, loop = pulseLoop([60, 62, 64])) {
  const time = new FakeTime();
  const output = new FakeOutput(() => time.now());
  const source = new ScriptedSource(loop);
  const generator = extra.generator ?? createInlineGenerator(source);
  const bridge = new LiveBridge({ codec, generator, output, rng, clock: time, waker: time, ...extra });
  return { time, output, source, bridge };
}

const notes = (sent: Array<{ message: MidiMessage; ms: number }>) =>
  sent.filter((s) => s.message.type === 'noteon' || s.message.type === 'noteoff');

/** Every note-on is followed by a note-off of the same pitch and channel, or by CC 123. */
function hangingNotes(sent: Array<{ message: MidiMessage }>): number {
  const sounding = new Map<string, number>();
  for (const { message: m } of sent) {
    if (m.type === 'cc' && m.controller === 123) sounding.clear();
    if (m.type !== 'noteon' && m.type !== 'noteoff') continue;
    const key = `${m.channel}:${m.note}`;
    if (isNoteOn(m)) sounding.set(key, (sounding.get(key) ?? 0) + 1);
    else if (isNoteOff(m)) sounding.set(key, Math.max(0, (sounding.get(key) ?? 0) - 1));
  }
  return [...sounding.values()].reduce((a, b) => a + b, 0);
}

describe('LiveBridge (fake clock, inline generator)', () => {
  it('buffers, then sends every note at its musical time on the chosen channel', async () => {
    const { time, output, bridge } = setup({ channel: 3 });
    await bridge.start();
    await run(time, 3000);
    const sent = notes(output.sent);
    const ons = sent.filter((s) => isNoteOn(s.message));
    expect(ons.length).toBeGreaterThanOrEqual(5);
    expect(ons.slice(0, 3).map((s) => (s.message as { note: number }).note)).toEqual([60, 62, 64]);
    // One note per 512 ms: onsets are exactly 512 ms apart (the fake waker is exact).
    const gaps = ons.slice(1).map((s, i) => s.ms - (ons[i]?.ms ?? 0));
    expect(new Set(gaps)).toEqual(new Set([512]));
    expect(sent.every((s) => (s.message as { channel: number }).channel === 3)).toBe(true);
    await bridge.stop();
  });

  it('keeps about the lookahead buffered, not more', async () => {
    const { time, bridge } = setup({ lookaheadMs: 1000 });
    const levels: number[] = [];
    bridge.on('buffer', ({ seconds }) => levels.push(seconds));
    await bridge.start();
    await run(time, 4000);
    const late = levels.slice(10);
    expect(Math.max(...late)).toBeLessThan(1.0 + 16 * 0.256); // lookahead + one request of tokens
    expect(Math.min(...late)).toBeGreaterThan(0.4);
    await bridge.stop();
  });

  it('on stop, leaves no note sounding and sends CC 123', async () => {
    const { time, output, bridge } = setup();
    await bridge.start();
    await run(time, 1800);
    await bridge.stop();
    expect(bridge.state).toBe('stopped');
    expect(hangingNotes(output.sent)).toBe(0);
    expect(output.sent.at(-1)?.message).toEqual({ type: 'cc', channel: 0, controller: 123, value: 0 });
    const count = output.sent.length;
    await run(time, 2000);
    expect(output.sent.length).toBe(count);
  });

  it('reports an underrun and waits for the buffer instead of sending late notes', async () => {
    const generator = new ManualGenerator();
    const { time, output, bridge } = setup({ generator, startBufferMs: 200, resumeBufferMs: 300 });
    const underruns: number[] = [];
    bridge.on('underrun', ({ lateMs }) => underruns.push(lateMs));
    await bridge.start();
    generator.feed(pulseLoop([60])); // 512 ms of music
    await run(time, 1000);
    expect(bridge.state).toBe('underrun');
    await run(time, 700); // generation stalls for 700 ms more
    generator.feed(pulseLoop([67]));
    await run(time, 20);
    expect(underruns).toHaveLength(1);
    expect(underruns[0]).toBeGreaterThan(700);
    const on67 = output.sent.find((s) => s.message.type === 'noteon' && s.message.note === 67);
    // Sent right after the buffer refilled (plus the start margin), not 700 ms late in a burst.
    expect(on67?.ms).toBeGreaterThan(1700);
    expect(on67?.ms).toBeLessThan(1720);
    await bridge.stop();
  });

  it('changes sampling and density while running, from the API and from mapped CCs', async () => {
    const input = new FakeInput();
    const generator = new ManualGenerator();
    const { bridge } = setup({ generator, input, ccMap: { temperature: 21, density: 22 } });
    await bridge.start();
    bridge.setControls({ topK: 12 });
    input.play({ type: 'cc', channel: 0, controller: 21, value: 127 }, 0);
    input.play({ type: 'cc', channel: 0, controller: 22, value: 0 }, 0);
    expect(generator.samplings.at(-1)).toEqual({ temperature: 2, topK: 12, topP: 1 });
    expect(bridge.controls.density).toBe(0);
    expect(() => bridge.setControls({ temperature: -1 })).toThrow(
      expect.objectContaining({ code: 'BAD_OPTION' }),
    );
    await bridge.stop();
  });

  it('pause silences sounding notes and holds; resume continues', async () => {
    const { time, output, bridge } = setup();
    await bridge.start();
    await run(time, 1200);
    bridge.pause();
    expect(hangingNotes(output.sent)).toBe(0);
    const count = notes(output.sent).length;
    await run(time, 1000);
    expect(notes(output.sent).length).toBe(count);
    bridge.resume();
    await run(time, 1000);
    expect(notes(output.sent).length).toBeGreaterThan(count);
    await bridge.stop();
  });

  it('stops safely when the output port fails', async () => {
    const { time, output, bridge } = setup();
    const errors: Error[] = [];
    bridge.on('error', (e) => errors.push(e));
    await bridge.start();
    await run(time, 900);
    output.failWith = new Error('device unplugged');
    await run(time, 1000);
    expect(errors[0]).toMatchObject({ code: 'PORT_LOST' });
    expect(bridge.state).toBe('stopped');
  });

  it('rejects inconsistent options with BAD_OPTION', () => {
    expect(() => setup({ mode: 'call-response' })).toThrow(/needs an input port/);
    expect(() => setup({ channel: 16 })).toThrow(/channel must be an integer in \[0, 15\], got 16/);
  });
});

/**
 * A call-response bridge fed by hand that has heard the player's 400 ms phrase (note 60) and the bar of
 * silence after it: its answer is due, nothing of it generated yet.
 */
async function afterCall() {
  const input = new FakeInput();
  const generator = new ManualGenerator();
  const parts = setup({ mode: 'call-response', input, generator, startBufferMs: 100 });
  const { time, bridge } = parts;
  await bridge.start();
  input.play({ type: 'noteon', channel: 0, note: 60, velocity: 100 }, time.now());
  await run(time, 400);
  input.play({ type: 'noteoff', channel: 0, note: 60, velocity: 0 }, time.now());
  await run(time, 2010);
  return { ...parts, generator };
}

describe('LiveBridge call and response (fake clock)', () => {
  it('answers the player after one bar of silence, conditioned on the phrase, for the same length', async () => {
    const input = new FakeInput();
    const generator = new ManualGenerator();
    const { time, output, bridge } = setup({ mode: 'call-response', input, generator, startBufferMs: 100 });
    const primers: number[][] = [];
    bridge.on('primer', ({ tokens }) => primers.push(tokens));
    await bridge.start();
    expect(bridge.state).toBe('listening');
    await run(time, 1000);
    // Nothing is generated or played before the player's phrase.
    expect(generator.owed).toBe(0);
    expect(output.sent).toEqual([]);
    input.play({ type: 'noteon', channel: 0, note: 60, velocity: 100 }, time.now());
    await run(time, 400);
    input.play({ type: 'noteoff', channel: 0, note: 60, velocity: 0 }, time.now());
    await run(time, 1990); // one bar at 120 BPM = 2000 ms of silence
    expect(generator.primers).toHaveLength(0);
    await run(time, 20);
    expect(primers).toEqual([
      [414, codec.velocity(100), codec.noteOn(60), ...codec.timeShift(400), codec.noteOff(60)],
    ]);
    expect(bridge.state).toBe('responding');
    generator.feed(pulseLoop([70, 71]));
    await run(time, 1500);
    const answer = notes(output.sent);
    // The answer lasts as long as the call (400 ms): one note, closed at the end of the phrase.
    expect(
      answer.filter((s) => isNoteOn(s.message)).map((s) => (s.message as { note: number }).note),
    ).toEqual([70]);
    expect(hangingNotes(output.sent)).toBe(0);
    expect(bridge.state).toBe('listening');
    await bridge.stop();
  });

  it('drops silence before the first note of the answer, so an answer that opens with a pause still sounds', async () => {
    const { time, output, bridge, generator } = await afterCall();
    expect(bridge.state).toBe('responding');
    const phraseEnd = time.now();
    // The model opens with 1000 ms of silence, longer than the 500 ms answer, then plays.
    generator.feed([...codec.timeShift(1000), ...pulseLoop([70, 71])]);
    await run(time, 1500);
    const ons = notes(output.sent).filter((s) => isNoteOn(s.message));
    expect(ons.map((s) => (s.message as { note: number }).note)).toEqual([70]);
    expect(ons[0]!.ms - phraseEnd).toBeLessThan(100); // played at once, not after the dropped silence
    expect(hangingNotes(output.sent)).toBe(0);
    expect(bridge.state).toBe('listening');
    await bridge.stop();
  });

  it('still ends an answer that stays silent (at most its length of silence is dropped)', async () => {
    const { time, output, bridge, generator } = await afterCall();
    // The answer lasts 500 ms (one beat, its minimum): 600 ms of silence are dropped, then 600 ms kept.
    for (let i = 0; i < 6; i++) generator.feed(codec.timeShift(200));
    await run(time, 1000);
    expect(notes(output.sent)).toEqual([]);
    expect(bridge.state).toBe('listening');
    await bridge.stop();
  });
});
