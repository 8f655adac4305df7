import { EventEmitter } from 'node:events';
import type { BridgeEvents } from '@music-transformer/live-bridge';
import { describe, expect, it } from 'vitest';
import { forwardLiveEvents } from './live-source.js';
import { LiveEventSchema } from './messages.js';

describe('forwardLiveEvents', () => {
  it("tags the live bridge's events with their kind, validates them, and detaches", () => {
    const bridge = new EventEmitter<BridgeEvents>();
    const received: unknown[] = [];
    const detach = forwardLiveEvents(bridge, (event) => {
      const parsed = LiveEventSchema.safeParse(event);
      if (parsed.success) received.push(parsed.data);
      return parsed.success;
    });
    bridge.emit('note', { pitch: 60, velocity: 90, on: true, channel: 0, time: 1500, lateMs: 0.4 });
    bridge.emit('buffer', { seconds: 2.25 });
    bridge.emit('underrun', { lateMs: 35, time: 1800 });
    bridge.emit('rate', { tokensPerSecond: 320, realTimeFactor: 1.6 });
    bridge.emit('state', 'playing');
    bridge.emit('primer', { tokens: [1, 2] }); // not a dashboard event
    detach();
    bridge.emit('buffer', { seconds: 9 });
    expect(received).toEqual([
      { kind: 'note', pitch: 60, velocity: 90, on: true, channel: 0, time: 1500, lateMs: 0.4 },
      { kind: 'buffer', seconds: 2.25 },
      { kind: 'underrun', lateMs: 35, time: 1800 },
      { kind: 'rate', tokensPerSecond: 320, realTimeFactor: 1.6 },
      { kind: 'state', state: 'playing' },
    ]);
    expect(bridge.listenerCount('note')).toBe(0);
  });
});
