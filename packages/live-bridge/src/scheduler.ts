import type { Clock, Waker } from './clock.js';
import type { MidiMessage } from './messages.js';
import type { Timeline } from './timeline.js';

/** A message at a musical position; its clock time comes from the timeline when it is due. */
export interface TimedMessage {
  beat: number;
  message: MidiMessage;
}

export interface SchedulerOptions {
  clock: Clock;
  waker: Waker;
  timeline: Timeline;
  /** Shift of every send in ms; negative sends earlier (latency compensation, Magenta's playback_offset). */
  offsetMs: number;
  /**
   * Hands messages over this many ms before they are due (0: at their time). For ports that send at
   * a given time on a thread of their own.
   */
  leadMs?: number;
  /** Sends one message; `scheduledMs` is the clock time it is due at. */
  deliver: (message: MidiMessage, scheduledMs: number, item: TimedMessage) => void;
}

/**
 * Sends queued messages at absolute clock times. There is exactly one pending wake-up, always for the
 * earliest due message, and its time is recomputed from the timeline each time (never a chain of
 * relative timeouts, which would accumulate drift). A message is never sent before its time; all
 * messages due at a wake-up are sent together in queue order.
 *
 * The scheduler also watches a "horizon" (the end of the music generated so far): when the transport
 * reaches it, the owner is told, so it can hold the transport and report an underrun.
 */
export class Scheduler {
  private queue: TimedMessage[] = [];
  private head = 0;
  private cancelWake: (() => void) | null = null;
  private horizon: { beat: number; onReached: () => void } | null = null;
  private offset: number;
  private readonly removeListener: () => void;

  private readonly lead: number;

  constructor(private readonly options: SchedulerOptions) {
    this.offset = options.offsetMs;
    this.lead = options.leadMs ?? 0;
    this.removeListener = options.timeline.onChange(() => this.arm());
  }

  get offsetMs(): number {
    return this.offset;
  }

  set offsetMs(ms: number) {
    this.offset = ms;
    this.arm();
  }

  /** Number of messages not yet sent. */
  get pending(): number {
    return this.queue.length - this.head;
  }

  /** Clock time (offset included) at which position `beat` is due; Infinity while stopped. */
  dueMs(beat: number): number {
    return this.options.timeline.msAt(beat) + this.offset;
  }

  /** Adds messages; they may arrive in any order (stable for equal beats). */
  enqueue(items: readonly TimedMessage[]): void {
    for (const item of items) {
      // Messages arrive almost sorted (generation moves forward), so insert from the end.
      let i = this.queue.length;
      while (i > this.head && (this.queue[i - 1] as TimedMessage).beat > item.beat) i--;
      this.queue.splice(i, 0, item);
    }
    this.arm();
  }

  /** Drops every pending message (the caller silences sounding notes separately). */
  clear(): void {
    this.queue = [];
    this.head = 0;
    this.arm();
  }

  /** Calls `onReached` once when the transport reaches `beat`; null removes the watch. */
  setHorizon(beat: number | null, onReached: () => void = () => {}): void {
    this.horizon = beat === null ? null : { beat, onReached };
    this.arm();
  }

  /** Stops all wake-ups; pending messages stay queued but are never sent. */
  dispose(): void {
    this.cancelWake?.();
    this.cancelWake = null;
    this.removeListener();
    this.queue = [];
    this.head = 0;
    this.horizon = null;
  }

  private arm(): void {
    this.cancelWake?.();
    this.cancelWake = null;
    const next = this.queue[this.head];
    const eventMs = next ? this.dueMs(next.beat) - this.lead : Number.POSITIVE_INFINITY;
    const horizonMs = this.horizon ? this.options.timeline.msAt(this.horizon.beat) : Number.POSITIVE_INFINITY;
    const target = Math.min(eventMs, horizonMs);
    if (!Number.isFinite(target)) return;
    this.cancelWake = this.options.waker.wakeAt(target, () => {
      this.cancelWake = null;
      this.fire();
    });
  }

  private fire(): void {
    const now = this.options.clock.now();
    for (;;) {
      const next = this.queue[this.head];
      if (!next) break;
      const due = this.dueMs(next.beat);
      if (due - this.lead > now) break;
      this.head++;
      this.options.deliver(next.message, due, next);
    }
    if (this.head > 1024 && this.head * 2 > this.queue.length) {
      this.queue = this.queue.slice(this.head);
      this.head = 0;
    }
    const horizon = this.horizon;
    if (horizon && this.options.timeline.msAt(horizon.beat) <= now) {
      this.horizon = null;
      horizon.onReached();
    }
    this.arm();
  }
}
