/**
 * Arrival times of incoming MIDI, from the native layer's own inter-message deltas (RtMidi stamps
 * each message on its MIDI thread) rather than from when JavaScript got to run the callback, which can
 * be tens of ms later if the thread was busy. The deltas give exact spacing; the absolute anchor is
 * the smallest observed (callback time - native time), because a callback never runs before arrival.
 */
export class ArrivalStamps {
  private nativeMs = 0;
  private offset = Number.POSITIVE_INFINITY;

  /** `deltaSeconds`: native time since the previous message (0 for the first); `nowMs`: callback time. */
  stamp(deltaSeconds: number, nowMs: number): number {
    this.nativeMs += deltaSeconds * 1000;
    this.offset = Math.min(this.offset, nowMs - this.nativeMs);
    return this.nativeMs + this.offset;
  }
}
