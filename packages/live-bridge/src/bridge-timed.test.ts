import { describe, expect, it } from 'vitest';
import { LiveBridge } from './bridge.js';
import { createInlineGenerator } from './generator.js';
import { isNoteOn, type MidiMessage } from './messages.js';
import { run } from './test-utils/drive.js';
import { FakeTime } from './test-utils/fake-time.js';
import { FakeTimedOutput } from './test-utils/fake-timed-output.js';
import { pulseLoop, ScriptedSource } from './test-utils/scripted-source.js';
import { seedLayoutCodec as codec } from './test-utils/seed-codec.js';

const rng = { next: () => 0.5 };
const pitches = (sent: Array<{ message: MidiMessage }>) =>
  sent.filter((s) => isNoteOn(s.message)).map((s) => (s.message as { note: number }).note);

function setup() {
  const time = new FakeTime();
  const output = new FakeTimedOutput(time, 100);
  const bridge = new LiveBridge({
    codec,
    generator: createInlineGenerator(new ScriptedSource(pulseLoop([60, 62, 64]))),
    output,
    rng,
    clock: time,
    waker: time,
  });
  return { time, output, bridge };
}

/** Notes still sounding on the receiver after everything sent (CC 123 ends all). */
function hanging(sent: Array<{ message: MidiMessage }>): number {
  const sounding = new Map<number, number>();
  for (const { message: m } of sent) {
    if (m.type === 'cc' && m.controller === 123) sounding.clear();
    if (m.type !== 'noteon' && m.type !== 'noteoff') continue;
    sounding.set(m.note, Math.max(0, (sounding.get(m.note) ?? 0) + (isNoteOn(m) ? 1 : -1)));
  }
  return [...sounding.values()].reduce((a, b) => a + b, 0);
}

describe('LiveBridge with a port that sends on its own thread (fake clock)', () => {
  it('hands messages over ahead, they leave exactly on time, and are reported only once sent', async () => {
    const { time, output, bridge } = setup();
    const reported: Array<{ time: number; lateMs: number }> = [];
    bridge.on('note', (n) => reported.push({ time: n.time, lateMs: n.lateMs }));
    await bridge.start();
    await run(time, 3000);
    const ons = output.sent.filter((s) => isNoteOn(s.message));
    expect(ons.length).toBeGreaterThanOrEqual(5);
    const gaps = ons.slice(1).map((s, i) => s.ms - (ons[i]?.ms ?? 0));
    expect(new Set(gaps)).toEqual(new Set([512]));
    // Every reported note left at its due time; none is reported before it left.
    const sentNotes = output.sent.filter((s) => s.message.type !== 'cc');
    expect(reported.length).toBeGreaterThan(0);
    expect(reported.length).toBeLessThanOrEqual(sentNotes.length);
    expect(reported.every((r, i) => r.lateMs === 0 && r.time === sentNotes[i]?.ms)).toBe(true);
    await bridge.stop();
    expect(hanging(output.sent)).toBe(0);
    expect(output.sent.at(-1)?.message).toMatchObject({ type: 'cc', controller: 123 });
  });

  it('a pause drops what was handed over but not sent, and plays it after resume: nothing is lost', async () => {
    const { time, output, bridge } = setup();
    await bridge.start();
    await run(time, 2000);
    // Pause while the sending thread holds messages that have not left yet.
    while (output.waiting === 0) await run(time, 5);
    bridge.pause();
    expect(output.dropped).toBeGreaterThan(0);
    const atPause = output.sent.length;
    await run(time, 1000);
    expect(output.sent.length).toBe(atPause); // silent while paused
    bridge.resume();
    await run(time, 2000);
    await bridge.stop();
    const played = pitches(output.sent);
    const expected = [60, 62, 64, 60, 62, 64, 60, 62, 64, 60, 62, 64].slice(0, played.length);
    expect(played.length).toBeGreaterThanOrEqual(6);
    expect(played).toEqual(expected);
    expect(hanging(output.sent)).toBe(0);
  });
});
