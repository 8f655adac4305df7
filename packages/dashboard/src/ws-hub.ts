import type { RawData, WebSocket } from 'ws';
import type { MetricsUpdate } from './logdir-watcher.js';
import { ClientMessageSchema } from './messages.js';
import { type Frame, Outbox, type OutboxEntry, type OutboxSocket } from './outbox.js';
import {
  type ClientMessage,
  type LiveEvent,
  PROTOCOL_VERSION,
  type RunSummary,
  type ServerMessage,
} from './protocol.js';

/** How many recent live events a newly connected browser receives, so the live roll is not empty. */
const LIVE_BACKLOG = 512;

/**
 * The runs list changes with every record of a training run (step, time, ETA): dozens of times a
 * second. A table read by a person needs no more than a few updates a second; the latest always goes.
 */
export const RUNS_MIN_INTERVAL_MS = 250;

export interface HubSource {
  logdir: string;
  summaries(): RunSummary[];
  /** The run's whole history as serialized `metrics` messages (the first a reset), null if unknown. */
  historyChunks(run: string): readonly Frame[] | null;
}

/** What the server holds for its clients right now (for tests and the memory benchmark). */
export interface HubStats {
  clients: number;
  /** Bytes waiting in the clients' outboxes (history chunks, shared between clients, not counted). */
  pendingBytes: number;
  /** Bytes handed to the sockets and not yet written to the kernel. */
  bufferedBytes: number;
  droppedLive: number;
  resyncs: number;
}

interface Client {
  socket: WebSocket;
  runs: Set<string>;
  watchesRuns: boolean;
  outbox: Outbox;
}

/**
 * Owns the open sockets: validates what clients send, tracks which runs each one follows and whether
 * it wants the runs list, and fans out what the watcher and the live bridge produce through each
 * client's outbox (backpressure: see outbox.ts). A message that does not parse is answered with an
 * `error` and dropped; the socket stays open (only oversized frames close it, which `ws` does itself).
 */
export class WsHub {
  private readonly clients = new Set<Client>();
  /** The last live events, encoded, for newly connected clients. */
  private readonly liveBacklog: Buffer[] = [];
  private runsText: Buffer | null = null;
  private runsSentAt = 0;
  private runsTimer: NodeJS.Timeout | null = null;
  private runsDirty = false;

  constructor(private readonly source: HubSource) {}

  get size(): number {
    return this.clients.size;
  }

  stats(): HubStats {
    const stats: HubStats = { clients: 0, pendingBytes: 0, bufferedBytes: 0, droppedLive: 0, resyncs: 0 };
    for (const c of this.clients) {
      stats.clients++;
      stats.pendingBytes += c.outbox.pendingBytes;
      stats.bufferedBytes += c.socket.bufferedAmount;
      stats.droppedLive += c.outbox.counters.droppedLive;
      stats.resyncs += c.outbox.counters.resyncs;
    }
    return stats;
  }

  add(socket: WebSocket): void {
    const runs = new Set<string>();
    const outbox = new Outbox(outboxSocket(socket), (run) =>
      runs.has(run) ? this.source.historyChunks(run) : null,
    );
    const client: Client = { socket, runs, watchesRuns: false, outbox };
    this.clients.add(client);
    socket.on('message', (data, isBinary) => this.receive(client, data, isBinary));
    // Without an error listener a protocol error (e.g. an oversized frame) would be thrown by the
    // emitter and take the whole process down.
    socket.on('error', () => socket.terminate());
    socket.on('close', () => {
      outbox.close();
      this.clients.delete(client);
    });
    this.send(client, { type: 'hello', version: PROTOCOL_VERSION, logdir: this.source.logdir });
    for (const text of this.liveBacklog) outbox.offer({ kind: 'live', text });
  }

  /** The runs list changed: clients that watch it get it now, or when the rate limit allows. */
  runs(summaries: RunSummary[]): void {
    this.runsText = Buffer.from(JSON.stringify({ type: 'runs', runs: summaries } satisfies ServerMessage));
    this.runsDirty = true;
    const wait = this.runsSentAt + RUNS_MIN_INTERVAL_MS - Date.now();
    if (wait <= 0) this.flushRuns();
    else if (this.runsTimer === null) {
      this.runsTimer = setTimeout(() => this.flushRuns(), wait);
      this.runsTimer.unref();
    }
  }

  /** New records of `run`, for the clients following it. */
  metrics(run: string, update: MetricsUpdate): void {
    const entry: OutboxEntry = update.reset
      ? { kind: 'history', run, chunks: update.chunks, next: 0 }
      : { kind: 'metrics', run, text: Buffer.from(update.message) };
    for (const c of this.clients) if (c.runs.has(run)) c.outbox.offer({ ...entry });
  }

  live(event: LiveEvent): void {
    const text = liveText(event);
    this.liveBacklog.push(text);
    if (this.liveBacklog.length > LIVE_BACKLOG)
      this.liveBacklog.splice(0, this.liveBacklog.length - LIVE_BACKLOG);
    for (const c of this.clients) c.outbox.offer({ kind: 'live', text });
  }

  closeAll(): void {
    if (this.runsTimer) clearTimeout(this.runsTimer);
    this.runsTimer = null;
    for (const c of this.clients) {
      c.outbox.close();
      c.socket.terminate();
    }
    this.clients.clear();
  }

  private flushRuns(): void {
    if (this.runsTimer) clearTimeout(this.runsTimer);
    this.runsTimer = null;
    if (!this.runsDirty || this.runsText === null) return;
    this.runsDirty = false;
    this.runsSentAt = Date.now();
    const text = this.runsText;
    for (const c of this.clients) if (c.watchesRuns) c.outbox.offer({ kind: 'runs', text });
  }

  private receive(client: Client, data: RawData, isBinary: boolean): void {
    if (isBinary) {
      this.reject(client, 'binary frames are not part of the protocol; send JSON text');
      return;
    }
    let json: unknown;
    try {
      json = JSON.parse(rawToString(data));
    } catch {
      this.reject(client, 'message is not valid JSON');
      return;
    }
    const parsed = ClientMessageSchema.safeParse(json);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const where = issue && issue.path.length > 0 ? ` at ${issue.path.join('.')}` : '';
      this.reject(client, `message rejected${where}: ${issue?.message ?? 'invalid'}`);
      return;
    }
    this.handle(client, parsed.data);
  }

  private handle(client: Client, msg: ClientMessage): void {
    switch (msg.type) {
      case 'subscribe': {
        const wanted = new Set(msg.runs);
        for (const run of client.runs) {
          if (!wanted.has(run)) {
            client.runs.delete(run);
            client.outbox.forget(run);
          }
        }
        for (const run of wanted) {
          if (client.runs.has(run)) continue;
          client.runs.add(run);
          // A run that does not exist yet is remembered: its history arrives when it appears.
          const chunks = this.source.historyChunks(run);
          if (chunks) client.outbox.offer({ kind: 'history', run, chunks, next: 0 });
        }
        break;
      }
      case 'watch-runs':
        client.watchesRuns = true;
        this.runsText ??= Buffer.from(
          JSON.stringify({ type: 'runs', runs: this.source.summaries() } satisfies ServerMessage),
        );
        client.outbox.offer({ kind: 'runs', text: this.runsText });
        break;
      case 'ping':
        this.send(client, msg.id === undefined ? { type: 'pong' } : { type: 'pong', id: msg.id });
        break;
      case 'live':
        this.live(msg.event);
        break;
    }
  }

  private reject(client: Client, message: string): void {
    this.send(client, { type: 'error', code: 'BAD_MESSAGE', message });
  }

  private send(client: Client, msg: ServerMessage): void {
    client.outbox.offer({ kind: 'control', text: JSON.stringify(msg) });
  }
}

/** Encoded once per event and shared by every client's socket. */
function liveText(event: LiveEvent): Buffer {
  return Buffer.from(JSON.stringify({ type: 'live', event } satisfies ServerMessage));
}

function outboxSocket(socket: WebSocket): OutboxSocket {
  return {
    get bufferedAmount() {
      return socket.bufferedAmount;
    },
    send(text, done) {
      // A Buffer goes out as a text frame without being copied (no compression is negotiated).
      if (socket.readyState === socket.OPEN) socket.send(text, { binary: false }, done);
      else done(new Error('socket is not open'));
    },
    terminate: () => socket.terminate(),
  };
}

function rawToString(data: RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  if (data instanceof ArrayBuffer) return Buffer.from(data).toString('utf8');
  return data.toString('utf8');
}
