import { describe, expect, it } from 'vitest';
import type { MidiMessage } from './messages.js';
import { Scheduler } from './scheduler.js';
import { FakeTime } from './test-utils/fake-time.js';
import { Timeline } from './timeline.js';

const on = (note: number): MidiMessage => ({ type: 'noteon', channel: 0, note, velocity: 90 });

function setup(offsetMs = 0) {
  const time = new FakeTime();
  const timeline = new Timeline(120); // 500 ms per beat
  const sent: Array<{ note: number; at: number; due: number }> = [];
  const scheduler = new Scheduler({
    clock: time,
    waker: time,
    timeline,
    offsetMs,
    deliver: (m, due) => sent.push({ note: m.type === 'noteon' ? m.note : -1, at: time.now(), due }),
  });
  return { time, timeline, sent, scheduler };
}

describe('Scheduler', () => {
  it('sends each message at its absolute time, in order, even when enqueued out of order', () => {
    const { time, timeline, sent, scheduler } = setup();
    timeline.start(0, 0);
    scheduler.enqueue([
      { beat: 1, message: on(62) },
      { beat: 0.5, message: on(61) },
      { beat: 1, message: on(63) },
    ]);
    time.advance(499);
    expect(sent.map((s) => s.note)).toEqual([61]);
    time.advance(1);
    expect(sent).toEqual([
      { note: 61, at: 250, due: 250 },
      { note: 62, at: 500, due: 500 },
      { note: 63, at: 500, due: 500 },
    ]);
  });

  it('applies the latency offset, negative included', () => {
    const { time, timeline, sent, scheduler } = setup(-20);
    timeline.start(100, 0);
    scheduler.enqueue([{ beat: 1, message: on(60) }]);
    time.advance(1000);
    expect(sent[0]).toEqual({ note: 60, at: 580, due: 580 });
  });

  it('follows a tempo change for messages not yet sent', () => {
    const { time, timeline, sent, scheduler } = setup();
    timeline.start(0, 0);
    scheduler.enqueue([{ beat: 2, message: on(60) }]);
    time.advance(500);
    timeline.setTempo(60, 500); // from beat 1 on, a beat lasts 1000 ms
    time.advance(2000);
    expect(sent[0]?.at).toBe(1500);
  });

  it('sends nothing while the timeline is stopped, and clear() drops pending messages', () => {
    const { time, timeline, sent, scheduler } = setup();
    timeline.start(0, 0);
    scheduler.enqueue([
      { beat: 1, message: on(60) },
      { beat: 3, message: on(61) },
    ]);
    timeline.stop(100);
    time.advance(5000);
    expect(sent).toEqual([]);
    scheduler.clear();
    timeline.start(time.now());
    time.advance(5000);
    expect(sent).toEqual([]);
    expect(scheduler.pending).toBe(0);
  });

  it('reports reaching the horizon once', () => {
    const { time, timeline, scheduler } = setup();
    timeline.start(0, 0);
    let reached = 0;
    scheduler.setHorizon(2, () => reached++);
    time.advance(999);
    expect(reached).toBe(0);
    time.advance(5000);
    expect(reached).toBe(1);
  });
});
