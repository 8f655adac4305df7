/**
 * One client's outgoing messages, with backpressure. A client that reads slowly (or stops reading)
 * must not make the server buffer without bound, so messages wait here, not in the socket, until the
 * socket has drained below `LOW_WATER_BYTES`; then what waits is shed by kind:
 * - `live`: status events, dropped (the next one supersedes them);
 * - `runs`: the runs list, latest wins (a queued older list is replaced);
 * - `metrics` and history chunks of a run: dropped, and the run marked stale; once the client has
 *   drained, it gets the run's whole history again (`reset`), so nothing is lost, only skipped;
 * - `control` (hello, pong, error): kept; if they alone pass the bound (a client sending pings and never
 *   reading the answers), the socket is closed.
 */

/**
 * A message as text, or as its UTF-8 bytes: a Buffer is handed to every client's socket as it is (no
 * per-client copy), so what goes to many clients (history chunks, live events) is encoded once.
 */
export type Frame = string | Buffer;

/** What the outbox needs of a ws socket (the hub adapts `ws`'s WebSocket). */
export interface OutboxSocket {
  /** Bytes handed to the socket and not yet written to the kernel. */
  readonly bufferedAmount: number;
  /** `done` runs once the frame was written out (or the socket failed). */
  send(frame: Frame, done: (error?: Error) => void): void;
  terminate(): void;
}

export type OutboxEntry =
  | { kind: 'control' | 'runs' | 'live'; text: Frame }
  | { kind: 'metrics'; run: string; text: Frame }
  /** A run's history, sent one chunk per drain; `chunks` is shared with other clients, not copied. */
  | { kind: 'history'; run: string; chunks: readonly Frame[]; next: number };

export interface OutboxLimits {
  /** Hand a message to the socket only while it holds less than this. */
  lowWaterBytes: number;
  /** Shed once this much waits here (history chunks not counted: they are shared, see `stallMs`). */
  maxQueuedBytes: number;
  /** With something waiting and no write completed for this long, the client counts as stalled. */
  stallMs: number;
}

export const DEFAULT_OUTBOX_LIMITS: OutboxLimits = {
  lowWaterBytes: 64 * 1024,
  maxQueuedBytes: 256 * 1024,
  stallMs: 2000,
};

export interface OutboxCounters {
  /** Live events dropped for this client. */
  droppedLive: number;
  /** Times a run's updates were dropped and its history queued again. */
  resyncs: number;
  /** Runs lists replaced by a newer one before they were sent. */
  replacedRuns: number;
}

export class Outbox {
  private readonly queue: OutboxEntry[] = [];
  private queuedBytes = 0;
  private readonly stale = new Set<string>();
  private lastProgress: number;
  private closed = false;
  readonly counters: OutboxCounters = { droppedLive: 0, resyncs: 0, replacedRuns: 0 };

  constructor(
    private readonly socket: OutboxSocket,
    /** The run's history as chunks (the first one `reset`), or null when the client no longer wants it. */
    private readonly history: (run: string) => readonly Frame[] | null,
    private readonly limits: OutboxLimits = DEFAULT_OUTBOX_LIMITS,
    private readonly now: () => number = Date.now,
  ) {
    this.lastProgress = now();
  }

  /** Bytes waiting here (not yet handed to the socket), history chunks excluded. */
  get pendingBytes(): number {
    return this.queuedBytes;
  }

  get pendingMessages(): number {
    return this.queue.length;
  }

  offer(entry: OutboxEntry): void {
    if (this.closed) return;
    if ((entry.kind === 'metrics' || entry.kind === 'history') && this.stale.has(entry.run)) return;
    if (entry.kind === 'runs') {
      const older = this.queue.findIndex((e) => e.kind === 'runs');
      if (older >= 0) {
        this.remove(older);
        this.counters.replacedRuns++;
      }
    }
    this.queue.push(entry);
    this.queuedBytes += bytesOf(entry);
    const stalled = this.now() - this.lastProgress > this.limits.stallMs && this.socket.bufferedAmount > 0;
    if (this.queuedBytes > this.limits.maxQueuedBytes || stalled) this.shed();
    this.pump();
  }

  /** The client no longer follows `run`: forget what waits for it. */
  forget(run: string): void {
    this.stale.delete(run);
    for (let i = this.queue.length - 1; i >= 0; i--) {
      const e = this.queue[i];
      if (e && (e.kind === 'metrics' || e.kind === 'history') && e.run === run) this.remove(i);
    }
  }

  close(): void {
    this.closed = true;
    this.queue.length = 0;
    this.queuedBytes = 0;
    this.stale.clear();
  }

  private pump(): void {
    while (!this.closed && this.socket.bufferedAmount < this.limits.lowWaterBytes) {
      const text = this.take();
      if (text === null) return;
      // The stall clock starts when data starts waiting, not at the last write of an idle client.
      if (this.socket.bufferedAmount === 0) this.lastProgress = this.now();
      this.socket.send(text, (error) => {
        if (error) return; // the socket is closing; the hub closes this outbox
        this.lastProgress = this.now();
        this.pump();
      });
    }
  }

  /** The next text to send: queued messages first, then the history of runs that went stale. */
  private take(): Frame | null {
    const head = this.queue[0];
    if (head === undefined) return this.resync();
    if (head.kind === 'history') {
      const text = head.chunks[head.next++] ?? null;
      if (head.next >= head.chunks.length) this.queue.shift();
      return text ?? this.take();
    }
    this.queue.shift();
    this.queuedBytes -= bytesOf(head);
    return head.text;
  }

  private resync(): Frame | null {
    for (const run of this.stale) {
      this.stale.delete(run);
      const chunks = this.history(run);
      if (chunks && chunks.length > 0) {
        this.counters.resyncs++;
        this.queue.push({ kind: 'history', run, chunks, next: 0 });
        return this.take();
      }
    }
    return null;
  }

  private shed(): void {
    for (let i = this.queue.length - 1; i >= 0; i--) {
      const e = this.queue[i];
      if (e === undefined) continue;
      if (e.kind === 'live') {
        this.counters.droppedLive++;
        this.remove(i);
      } else if (e.kind === 'metrics' || e.kind === 'history') {
        this.stale.add(e.run);
        this.remove(i);
      }
    }
    if (this.queuedBytes > this.limits.maxQueuedBytes) {
      this.close();
      this.socket.terminate();
    }
  }

  private remove(index: number): void {
    const [e] = this.queue.splice(index, 1);
    if (e) this.queuedBytes -= bytesOf(e);
  }
}

function bytesOf(entry: OutboxEntry): number {
  return entry.kind === 'history' ? 0 : entry.text.length;
}
