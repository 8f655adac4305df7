import type { ChannelMessage, MidiMessage } from '../messages.js';
import type { MidiOutputPort, TimedOutput } from '../ports.js';
import {
  CTRL,
  createRingBuffer,
  packMessage,
  RingWriter,
  ringViews,
  STEP,
  senderStep,
} from '../send-ring.js';
import type { FakeTime } from './fake-time.js';

function unpack(packed: number): ChannelMessage {
  const status = packed & 0xff;
  const channel = status & 0x0f;
  const a = (packed >> 8) & 0xff;
  const b = (packed >> 16) & 0xff;
  if (status >> 4 === 0x9) return { type: 'noteon', channel, note: a, velocity: b };
  if (status >> 4 === 0x8) return { type: 'noteoff', channel, note: a, velocity: b };
  return { type: 'cc', channel, controller: a, value: b };
}

/**
 * A port with a sending "thread" on fake time: the real shared ring and the real sender step, run at
 * the fake clock's times instead of on a thread. `sent` is what left, decoded from the ring's bytes.
 */
export class FakeTimedOutput implements MidiOutputPort {
  readonly name = 'fake timed out';
  readonly sent: Array<{ message: MidiMessage; ms: number }> = [];
  readonly timed: TimedOutput;
  /** Messages a cancel dropped before they left. */
  dropped = 0;
  private readonly views = ringViews(createRingBuffer());
  private readonly ring = new RingWriter<ChannelMessage>(this.views);
  private cancelWake: (() => void) | null = null;

  constructor(
    private readonly time: FakeTime,
    leadMs = 100,
  ) {
    this.timed = {
      leadMs,
      sendAt: (message, dueMs) => {
        if (!this.ring.write(packMessage(message), dueMs, message)) throw new Error('ring full');
        this.pump();
      },
      cancelPending: () => {
        this.ring.askCancel();
        this.pump();
        const records = this.ring.collect();
        this.dropped += records.filter((r) => r.sentMs === null).length;
        return records;
      },
      collect: () => this.ring.collect(),
    };
  }

  send(message: MidiMessage): void {
    if (message.type === 'noteon' || message.type === 'noteoff' || message.type === 'cc') {
      this.timed.sendAt(message, this.time.now());
    }
  }

  /** Messages handed over and not yet sent. */
  get waiting(): number {
    return Atomics.load(this.views.ctrl, CTRL.written) - Atomics.load(this.views.ctrl, CTRL.consumed);
  }

  close(): void {
    this.cancelWake?.();
  }

  /** What the sending thread does when it wakes: everything due now, then sleep until the next. */
  private pump(): void {
    this.cancelWake?.();
    this.cancelWake = null;
    const waitOut = new Float64Array(1);
    for (;;) {
      const now = this.time.now();
      const send = (packed: number) => this.sent.push({ message: unpack(packed), ms: now });
      const step = senderStep(this.views, now, send, waitOut);
      if (step === STEP.sent) continue;
      if (step === STEP.wait)
        this.cancelWake = this.time.wakeAt(now + (waitOut[0] as number), () => this.pump());
      return;
    }
  }
}
