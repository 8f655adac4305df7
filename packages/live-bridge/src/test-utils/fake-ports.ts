import type { MidiMessage } from '../messages.js';
import type { MidiInputPort, MidiOutputPort } from '../ports.js';

/** An output that records what was sent and when (by the given clock). */
export class FakeOutput implements MidiOutputPort {
  readonly sent: Array<{ message: MidiMessage; ms: number }> = [];
  closed = false;
  failWith: Error | null = null;

  constructor(
    private readonly now: () => number,
    readonly name = 'fake out',
  ) {}

  send(message: MidiMessage): void {
    if (this.failWith) throw this.failWith;
    this.sent.push({ message, ms: this.now() });
  }

  close(): void {
    this.closed = true;
  }
}

/** An input the test plays into. */
export class FakeInput implements MidiInputPort {
  private listener: ((message: MidiMessage, ms: number) => void) | null = null;

  constructor(readonly name = 'fake in') {}

  onMessage(listener: (message: MidiMessage, ms: number) => void): void {
    this.listener = listener;
  }

  play(message: MidiMessage, ms: number): void {
    this.listener?.(message, ms);
  }

  close(): void {
    this.listener = null;
  }
}
