import type { ChannelMessage } from './messages.js';

/**
 * The memory the bridge's thread and the sending thread share (one SharedArrayBuffer): a ring of
 * timestamped 3-byte MIDI messages plus a few control words. The bridge's thread is the only writer of
 * messages; the sending thread is the only reader. Everything is plain integers and doubles so the
 * sending thread's loop allocates nothing, and nothing here takes a lock: a thread that waits on
 * another can inherit its delay, and the sending thread must wait on nobody.
 */
export const RING_SLOTS = 4096;

/** Indices into the control words (Int32). */
export const CTRL = {
  /** Messages written so far (the bridge's thread). */
  written: 0,
  /** Messages consumed (sent or dropped) so far (the sending thread). */
  consumed: 1,
  /** Cancel requests made (the bridge's thread). */
  cancelAsked: 2,
  /** Cancel requests carried out (the sending thread). */
  cancelDone: 3,
  /** Messages before this count are dropped by the cancel request. */
  cancelUpTo: 4,
  /** 1 when the bridge's thread wants the port closed; the sending thread then drains and stops. */
  closeAsked: 5,
  /** 0 starting, 1 port open, 2 port closed, -1 failed. */
  state: 6,
  /** Set when a send threw: the port is gone. */
  failed: 7,
  /** 1 when the sending thread runs in the real-time class. */
  realtime: 8,
  /** Always 0: the sending thread sleeps on it with a timeout. */
  sleep: 9,
  count: 16,
} as const;

export const STATE = { starting: 0, open: 1, closed: 2, failed: -1 } as const;

/** A dropped message's sent time. */
export const DROPPED = -1;

export interface RingViews {
  ctrl: Int32Array;
  /** Due time of each slot, ms on the monotonic clock. */
  due: Float64Array;
  /** Time each slot left, or DROPPED. */
  sent: Float64Array;
  /** status | data1 << 8 | data2 << 16. */
  bytes: Int32Array;
}

export function createRingBuffer(): SharedArrayBuffer {
  return new SharedArrayBuffer(CTRL.count * 4 + RING_SLOTS * (8 + 8 + 4));
}

export function ringViews(buffer: SharedArrayBuffer): RingViews {
  const ctrl = new Int32Array(buffer, 0, CTRL.count);
  const due = new Float64Array(buffer, CTRL.count * 4, RING_SLOTS);
  const sent = new Float64Array(buffer, CTRL.count * 4 + RING_SLOTS * 8, RING_SLOTS);
  const bytes = new Int32Array(buffer, CTRL.count * 4 + RING_SLOTS * 16, RING_SLOTS);
  return { ctrl, due, sent, bytes };
}

/** The three bytes of a channel message, packed into one integer. */
export function packMessage(message: ChannelMessage): number {
  const status =
    (message.type === 'noteon' ? 0x90 : message.type === 'noteoff' ? 0x80 : 0xb0) | message.channel;
  const a = message.type === 'cc' ? message.controller : message.note;
  const b = message.type === 'cc' ? message.value : message.velocity;
  return status | (a << 8) | (b << 16);
}

/** What one pass of the sender found (small integers: returning a double would allocate). */
export const STEP = { sent: 0, wait: 1, empty: 2 } as const;

/**
 * One pass of the sending thread's loop, as a pure step over the shared memory: carries out a pending
 * cancel, then sends the next message if it is due at `now` (or, with `aheadMs`, within that many ms:
 * for an output that takes due times and keeps them itself). Returns STEP.sent (look again at once),
 * STEP.wait (the next message is due in `waitOut[0]` ms) or STEP.empty. `send` receives the packed
 * bytes and the due time; it may throw (the port is gone) or return false (full: tried again in 1 ms).
 * A message's sent time is when it leaves: now, or its due time when handed over ahead. Nothing here
 * allocates once optimised: every double stays in a local or a typed array.
 */
export function senderStep(
  v: RingViews,
  now: number,
  send: (packed: number, dueMs: number) => unknown,
  waitOut: Float64Array,
  aheadMs = 0,
): number {
  const { ctrl } = v;
  const asked = Atomics.load(ctrl, CTRL.cancelAsked);
  let consumed = Atomics.load(ctrl, CTRL.consumed);
  if (asked !== Atomics.load(ctrl, CTRL.cancelDone)) {
    const upTo = Atomics.load(ctrl, CTRL.cancelUpTo);
    for (; consumed < upTo; consumed++) v.sent[consumed % RING_SLOTS] = DROPPED;
    Atomics.store(ctrl, CTRL.consumed, consumed);
    Atomics.store(ctrl, CTRL.cancelDone, asked);
  }
  if (consumed === Atomics.load(ctrl, CTRL.written)) return STEP.empty;
  const slot = consumed % RING_SLOTS;
  const due = v.due[slot] as number;
  const wait = due - aheadMs - now;
  if (wait > 0) {
    waitOut[0] = wait;
    return STEP.wait;
  }
  try {
    if (send(v.bytes[slot] as number, due) === false) {
      waitOut[0] = 1;
      return STEP.wait;
    }
  } catch {
    Atomics.store(ctrl, CTRL.failed, 1);
  }
  v.sent[slot] = now > due ? now : due;
  Atomics.store(ctrl, CTRL.consumed, consumed + 1);
  return STEP.sent;
}

/** What left the sending thread (or was dropped by a cancel), in order. */
export interface SentRecord<T> {
  item: T;
  dueMs: number;
  /** When it left, or null when a cancel dropped it. */
  sentMs: number | null;
}

/**
 * The bridge's side of the ring: writes messages with their due times, asks for cancels, and collects
 * what the sending thread consumed, with the item each message was written for (kept here, on the
 * bridge's side, so nothing but numbers crosses threads).
 */
export class RingWriter<T> {
  private readonly items: Array<T | undefined> = new Array(RING_SLOTS);
  private collected = 0;

  constructor(private readonly v: RingViews) {}

  /** Messages written and not yet collected. */
  get outstanding(): number {
    return Atomics.load(this.v.ctrl, CTRL.written) - this.collected;
  }

  /** Writes one message; false when the ring is full (the sending thread is not consuming). */
  write(packed: number, dueMs: number, item: T): boolean {
    const { ctrl } = this.v;
    const written = Atomics.load(ctrl, CTRL.written);
    if (written - this.collected >= RING_SLOTS) return false;
    const slot = written % RING_SLOTS;
    this.v.due[slot] = dueMs;
    this.v.bytes[slot] = packed;
    this.items[slot] = item;
    // The store publishes the slot: the reader only looks at slots below `written`.
    Atomics.store(ctrl, CTRL.written, written + 1);
    return true;
  }

  /** Asks the sending thread to drop every message written so far and not yet sent. */
  askCancel(): number {
    const { ctrl } = this.v;
    Atomics.store(ctrl, CTRL.cancelUpTo, Atomics.load(ctrl, CTRL.written));
    return Atomics.add(ctrl, CTRL.cancelAsked, 1) + 1;
  }

  /** True once the sending thread has carried out cancel request `ticket`. */
  cancelDone(ticket: number): boolean {
    return Atomics.load(this.v.ctrl, CTRL.cancelDone) - ticket >= 0;
  }

  /** Everything consumed since the last call. */
  collect(): Array<SentRecord<T>> {
    const consumed = Atomics.load(this.v.ctrl, CTRL.consumed);
    const out: Array<SentRecord<T>> = [];
    for (; this.collected < consumed; this.collected++) {
      const slot = this.collected % RING_SLOTS;
      const sent = this.v.sent[slot] as number;
      out.push({
        item: this.items[slot] as T,
        dueMs: this.v.due[slot] as number,
        sentMs: sent === DROPPED ? null : sent,
      });
      this.items[slot] = undefined;
    }
    return out;
  }

  /** Everything written and not yet collected, as if it had been sent (when the sending thread died). */
  abandon(): Array<SentRecord<T>> {
    const written = Atomics.load(this.v.ctrl, CTRL.written);
    const out: Array<SentRecord<T>> = [];
    for (; this.collected < written; this.collected++) {
      const slot = this.collected % RING_SLOTS;
      out.push({ item: this.items[slot] as T, dueMs: this.v.due[slot] as number, sentMs: null });
      this.items[slot] = undefined;
    }
    return out;
  }
}
