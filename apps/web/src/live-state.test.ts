import { describe, expect, it } from 'vitest';
import { applyLive, emptyLive, LIVE_HISTORY_S } from './live-state.js';

describe('applyLive', () => {
  it('pairs note-on and note-off of the same pitch (ms on the wire, seconds in the roll)', () => {
    const s = emptyLive();
    applyLive(s, { kind: 'note', pitch: 60, velocity: 90, on: true, time: 1000 });
    applyLive(s, { kind: 'note', pitch: 64, velocity: 80, on: true, time: 1500 });
    applyLive(s, { kind: 'note', pitch: 60, velocity: 0, on: false, time: 2000 });
    expect(s.notes).toEqual([
      { pitch: 60, velocity: 90, start: 1, end: 2 },
      { pitch: 64, velocity: 80, start: 1.5, end: null },
    ]);
    expect(s.now).toBe(2);
  });

  it('treats note-on with velocity 0 as note-off and ignores an unmatched off', () => {
    const s = emptyLive();
    applyLive(s, { kind: 'note', pitch: 50, velocity: 0, on: false, time: 500 });
    applyLive(s, { kind: 'note', pitch: 50, velocity: 70, on: true, time: 1000 });
    applyLive(s, { kind: 'note', pitch: 50, velocity: 0, on: true, time: 3000 });
    expect(s.notes).toEqual([{ pitch: 50, velocity: 70, start: 1, end: 3 }]);
  });

  it('counts underruns and keeps the latest buffer level, rate and bridge state', () => {
    const s = emptyLive();
    applyLive(s, { kind: 'buffer', seconds: 2.5 });
    applyLive(s, { kind: 'underrun', lateMs: 40 });
    applyLive(s, { kind: 'underrun', lateMs: 12, time: 900 });
    applyLive(s, { kind: 'rate', tokensPerSecond: 180, realTimeFactor: 1.2 });
    applyLive(s, { kind: 'state', state: 'underrun' });
    expect(s).toMatchObject({
      bufferSeconds: 2.5,
      underruns: 2,
      lastLateMs: 12,
      tokensPerSecond: 180,
      bridgeState: 'underrun',
      events: 5,
    });
  });

  it('forgets notes that ended before the history window', () => {
    const s = emptyLive();
    applyLive(s, { kind: 'note', pitch: 60, velocity: 90, on: true, time: 0 });
    applyLive(s, { kind: 'note', pitch: 60, velocity: 0, on: false, time: 1000 });
    applyLive(s, { kind: 'note', pitch: 62, velocity: 90, on: true, time: (LIVE_HISTORY_S + 5) * 1000 });
    expect(s.notes.map((n) => n.pitch)).toEqual([62]);
  });
});
