import { describe, expect, it } from 'vitest';
import { PlaybackGate } from './playback-gate.js';

const edge = (musicMs: number) => ({ musicMs, on: true, pitch: 60, velocity: 80 });

describe('PlaybackGate', () => {
  it('holds notes until the threshold of music is generated, then hands them over once', () => {
    const gate = new PlaybackGate();
    expect(gate.openIfReady(1000, false)).toBeNull(); // open: nothing to release
    gate.close({ fromMusicMs: 200, thresholdMs: 500, reason: 'start', sinceMs: 10 });
    gate.hold([edge(200), edge(400)]);
    expect(gate.openIfReady(699, false)).toBeNull();
    expect(gate.openIfReady(700, false)).toEqual({
      gate: { fromMusicMs: 200, thresholdMs: 500, reason: 'start', sinceMs: 10 },
      held: [edge(200), edge(400)],
    });
    expect(gate.closed).toBeNull();
    expect(gate.openIfReady(700, false)).toBeNull();
  });

  it('opens early when the phrase is done, and drops what it held when closed again or cleared', () => {
    const gate = new PlaybackGate();
    gate.close({ fromMusicMs: 0, thresholdMs: 500, reason: 'response', sinceMs: 0 });
    gate.hold([edge(0)]);
    gate.close({ fromMusicMs: 100, thresholdMs: 500, reason: 'underrun', sinceMs: 5 });
    expect(gate.openIfReady(150, true)?.held).toEqual([]);
    gate.close({ fromMusicMs: 0, thresholdMs: 0, reason: 'start', sinceMs: 0 });
    gate.hold([edge(0)]);
    gate.clear();
    expect(gate.closed).toBeNull();
    expect(gate.openIfReady(10, true)).toBeNull();
  });
});
