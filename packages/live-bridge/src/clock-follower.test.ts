import { describe, expect, it } from 'vitest';
import { ClockFollower } from './clock-follower.js';
import { Timeline } from './timeline.js';

/** Sends `count` clock pulses at `bpm` starting at `fromMs`; returns the time after the last. */
function pulses(f: ClockFollower, fromMs: number, bpm: number, count: number): number {
  const interval = 60_000 / bpm / 24;
  let t = fromMs;
  for (let i = 0; i < count; i++) {
    f.handle({ type: 'clock' }, t);
    t += interval;
  }
  return t;
}

describe('ClockFollower', () => {
  it('starts on the first pulse after Start and follows a tempo change within one beat', () => {
    const tl = new Timeline(120);
    const f = new ClockFollower(tl);
    let t = pulses(f, 0, 100, 24); // transport stopped: tempo only
    expect(tl.isRunning).toBe(false);
    expect(tl.bpm).toBeCloseTo(100, 5);
    f.handle({ type: 'start' }, t);
    t = pulses(f, t, 100, 48);
    expect(tl.isRunning).toBe(true);
    expect(tl.beatAt(t - 60_000 / 100 / 24)).toBeCloseTo(47 / 24, 5);
    t = pulses(f, t, 140, 24); // one beat at 140
    expect(tl.bpm).toBeCloseTo(140, 5);
  });

  it('freezes the transport on Stop and continues from there on Continue', () => {
    const tl = new Timeline(120);
    let stopped = 0;
    const f = new ClockFollower(tl, { onStop: () => stopped++ });
    f.handle({ type: 'start' }, 0);
    const t = pulses(f, 0, 120, 25);
    f.handle({ type: 'stop' }, t);
    expect(stopped).toBe(1);
    expect(tl.msAt(5)).toBe(Number.POSITIVE_INFINITY);
    const frozen = tl.beatAt(t);
    f.handle({ type: 'continue' }, t + 1000);
    pulses(f, t + 1000, 120, 1);
    expect(tl.beatAt(t + 1000)).toBeCloseTo(frozen, 5);
  });
});
