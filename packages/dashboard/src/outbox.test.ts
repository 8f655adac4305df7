import { describe, expect, it } from 'vitest';
import { Outbox, type OutboxLimits, type OutboxSocket } from './outbox.js';

/**
 * A socket whose kernel side the test controls: what is "sent" counts as buffered until `drain()`
 * writes it out and runs the completion callbacks, as `ws` does once the kernel takes the bytes.
 */
class ControlledSocket implements OutboxSocket {
  bufferedAmount = 0;
  readonly sent: string[] = [];
  terminated = false;
  private callbacks: ((error?: Error) => void)[] = [];

  send(text: string, done: (error?: Error) => void): void {
    this.sent.push(text);
    this.bufferedAmount += text.length;
    this.callbacks.push(done);
  }
  terminate(): void {
    this.terminated = true;
  }
  drain(): void {
    const callbacks = this.callbacks;
    this.callbacks = [];
    this.bufferedAmount = 0;
    for (const cb of callbacks) cb();
  }
}

const LIMITS: OutboxLimits = { lowWaterBytes: 100, maxQueuedBytes: 1000, stallMs: 10_000 };
/** A message as large as the low-water mark: once handed over, the socket takes no more until drained. */
const FILL = { kind: 'control' as const, text: 'f'.repeat(LIMITS.lowWaterBytes) };
const live = (i: number) => ({ kind: 'live' as const, text: `live-${i}`.padEnd(50, '.') });

describe('Outbox', () => {
  it('hands messages over in order while the socket keeps up', () => {
    const socket = new ControlledSocket();
    const box = new Outbox(socket, () => null, LIMITS);
    box.offer({ kind: 'control', text: 'hello' });
    box.offer({ kind: 'metrics', run: 'a', text: 'm1' });
    box.offer(live(1));
    expect(socket.sent).toEqual(['hello', 'm1', live(1).text]);
    expect(box.pendingBytes).toBe(0);
  });

  it('holds at most its bound for a client that stops reading, dropping live events first', () => {
    const socket = new ControlledSocket();
    const box = new Outbox(socket, () => null, LIMITS);
    for (let i = 0; i < 10_000; i++) box.offer(live(i));
    expect(box.pendingBytes).toBeLessThanOrEqual(LIMITS.maxQueuedBytes);
    expect(socket.bufferedAmount).toBeLessThan(LIMITS.lowWaterBytes + 50);
    expect(box.counters.droppedLive).toBeGreaterThan(9_900);
    expect(socket.terminated).toBe(false);
  });

  it('keeps only the newest runs list', () => {
    const socket = new ControlledSocket();
    const box = new Outbox(socket, () => null, LIMITS);
    box.offer(FILL); // the client stops reading here
    box.offer({ kind: 'runs', text: 'runs-1' });
    box.offer({ kind: 'runs', text: 'runs-2' });
    box.offer({ kind: 'runs', text: 'runs-3' });
    expect(box.pendingMessages).toBe(1);
    expect(box.counters.replacedRuns).toBe(2);
    box.offer({ kind: 'control', text: 'pong' });
    socket.drain();
    expect(socket.sent).toEqual([FILL.text, 'runs-3', 'pong']);
  });

  it('drops a lagging run’s updates and sends its whole history again once the client drains', () => {
    const socket = new ControlledSocket();
    const history = ['reset-chunk', 'append-chunk'];
    const box = new Outbox(socket, (run) => (run === 'a' ? history : null), LIMITS);
    box.offer(FILL);
    for (let i = 0; i < 100; i++) box.offer({ kind: 'metrics', run: 'a', text: `rows-${i}`.padEnd(40, '.') });
    expect(box.pendingBytes).toBeLessThanOrEqual(LIMITS.maxQueuedBytes);
    expect(socket.sent).toEqual([FILL.text]);
    socket.drain();
    expect(socket.sent.slice(1)).toEqual(['reset-chunk', 'append-chunk']);
    expect(box.counters.resyncs).toBe(1);
    // After the history, updates flow again, in order.
    socket.drain();
    box.offer({ kind: 'metrics', run: 'a', text: 'rows-new' });
    expect(socket.sent.at(-1)).toBe('rows-new');
  });

  it('sends a history chunk by chunk as the socket drains', () => {
    const socket = new ControlledSocket();
    const chunks = Array.from({ length: 5 }, (_, i) => `chunk-${i}`.padEnd(80, '.'));
    const box = new Outbox(socket, () => chunks, LIMITS);
    box.offer({ kind: 'history', run: 'a', chunks, next: 0 });
    expect(socket.sent).toHaveLength(2); // 80 bytes < 100 low water, 160 >= 100: wait
    socket.drain();
    expect(socket.sent).toHaveLength(4);
    socket.drain();
    expect(socket.sent).toEqual(chunks);
  });

  it('counts a client with no completed write for stallMs as stalled and sheds at once', () => {
    let now = 0;
    const socket = new ControlledSocket();
    const box = new Outbox(
      socket,
      () => null,
      { ...LIMITS, stallMs: 2000 },
      () => now,
    );
    box.offer(FILL);
    box.offer({ kind: 'metrics', run: 'a', text: 'rows-1' });
    expect(box.pendingMessages).toBe(1);
    now = 2001;
    box.offer({ kind: 'metrics', run: 'a', text: 'rows-2' });
    expect(box.pendingMessages).toBe(0);
  });

  it('does not take a burst after a long idle time for a stall', () => {
    let now = 0;
    const socket = new ControlledSocket();
    const box = new Outbox(
      socket,
      () => null,
      { ...LIMITS, stallMs: 2000 },
      () => now,
    );
    now = 600_000; // ten minutes without a message
    box.offer({ kind: 'metrics', run: 'a', text: 'r'.repeat(LIMITS.lowWaterBytes) });
    box.offer({ kind: 'metrics', run: 'a', text: 'rows-2' });
    expect(box.pendingMessages).toBe(1);
    socket.drain();
    expect(socket.sent.at(-1)).toBe('rows-2');
    expect(box.counters.resyncs).toBe(0);
  });

  it('closes a socket whose unsheddable messages pass the bound (pings never read)', () => {
    const socket = new ControlledSocket();
    const box = new Outbox(socket, () => null, LIMITS);
    box.offer(FILL);
    for (let i = 0; i < 100 && !socket.terminated; i++)
      box.offer({ kind: 'control', text: `pong-${i}`.padEnd(30) });
    expect(socket.terminated).toBe(true);
    expect(box.pendingBytes).toBe(0);
  });

  it('forgets a run the client unsubscribed from', () => {
    const socket = new ControlledSocket();
    const box = new Outbox(socket, () => ['history'], LIMITS);
    box.offer(FILL);
    box.offer({ kind: 'metrics', run: 'a', text: 'rows' });
    box.forget('a');
    expect(box.pendingMessages).toBe(0);
  });
});
