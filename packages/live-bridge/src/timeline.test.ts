import { describe, expect, it } from 'vitest';
import { Timeline } from './timeline.js';

describe('Timeline', () => {
  it('maps beats to clock time at the tempo and back', () => {
    const t = new Timeline(120);
    t.start(1000, 0);
    expect(t.msAt(2)).toBe(2000);
    expect(t.beatAt(1250)).toBeCloseTo(0.5);
  });

  it('keeps the position reached when the tempo changes, and moves later beats', () => {
    const t = new Timeline(120);
    t.start(0, 0);
    t.setTempo(60, 1000); // beat 2 reached at 1000 ms
    expect(t.beatAt(1000)).toBeCloseTo(2);
    expect(t.msAt(3)).toBeCloseTo(2000);
  });

  it('has no clock time for any beat while stopped, and resumes from the frozen position', () => {
    const t = new Timeline(120);
    t.start(0, 0);
    t.stop(500);
    expect(t.msAt(5)).toBe(Number.POSITIVE_INFINITY);
    expect(t.beatAt(9999)).toBeCloseTo(1);
    t.start(2000);
    expect(t.msAt(2)).toBeCloseTo(2500);
  });

  it('notifies listeners on each change', () => {
    const t = new Timeline(100);
    let n = 0;
    const off = t.onChange(() => n++);
    t.start(0);
    t.setTempo(90, 10);
    off();
    t.stop(20);
    expect(n).toBe(2);
  });
});
