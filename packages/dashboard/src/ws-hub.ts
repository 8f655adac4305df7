import type { RawData, WebSocket } from 'ws';
import { ClientMessageSchema } from './messages.js';
import {
  type ClientMessage,
  type LiveEvent,
  PROTOCOL_VERSION,
  type RunSummary,
  type ServerMessage,
} from './protocol.js';

/** How many recent live events a newly connected browser receives, so the live roll is not empty. */
const LIVE_BACKLOG = 512;

export interface HubSource {
  logdir: string;
  summaries(): RunSummary[];
  /** The run's whole history as a serialized `metrics` message with `reset: true`. */
  historyMessage(run: string): string | null;
}

interface Client {
  socket: WebSocket;
  runs: Set<string>;
}

/**
 * Owns the open sockets: validates what clients send, tracks which runs each one follows, and fans out
 * what the watcher and the live bridge produce. A message that does not parse is answered with an
 * `error` and dropped; the socket stays open (only oversized frames close it, which `ws` does itself).
 */
export class WsHub {
  private readonly clients = new Set<Client>();
  private readonly liveBacklog: LiveEvent[] = [];

  constructor(private readonly source: HubSource) {}

  get size(): number {
    return this.clients.size;
  }

  add(socket: WebSocket): void {
    const client: Client = { socket, runs: new Set() };
    this.clients.add(client);
    socket.on('message', (data, isBinary) => this.receive(client, data, isBinary));
    // Without an error listener a protocol error (e.g. an oversized frame) would be thrown by the
    // emitter and take the whole process down.
    socket.on('error', () => socket.terminate());
    socket.on('close', () => this.clients.delete(client));
    this.send(client, { type: 'hello', version: PROTOCOL_VERSION, logdir: this.source.logdir });
    this.send(client, { type: 'runs', runs: this.source.summaries() });
    for (const event of this.liveBacklog) this.send(client, { type: 'live', event });
  }

  runs(summaries: RunSummary[]): void {
    this.broadcast({ type: 'runs', runs: summaries });
  }

  /** Sends a serialized `metrics` message to the clients following `run`. */
  metrics(run: string, text: string): void {
    for (const c of this.clients) if (c.runs.has(run)) sendText(c.socket, text);
  }

  live(event: LiveEvent): void {
    this.liveBacklog.push(event);
    if (this.liveBacklog.length > LIVE_BACKLOG)
      this.liveBacklog.splice(0, this.liveBacklog.length - LIVE_BACKLOG);
    this.broadcast({ type: 'live', event });
  }

  closeAll(): void {
    for (const c of this.clients) c.socket.terminate();
    this.clients.clear();
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
        for (const run of wanted) {
          if (client.runs.has(run)) continue;
          // A run that does not exist yet is remembered: its history arrives when it appears.
          const history = this.source.historyMessage(run);
          if (history) sendText(client.socket, history);
        }
        client.runs = wanted;
        break;
      }
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
    sendText(client.socket, JSON.stringify(msg));
  }

  private broadcast(msg: ServerMessage): void {
    const text = JSON.stringify(msg);
    for (const c of this.clients) sendText(c.socket, text);
  }
}

function sendText(socket: WebSocket, text: string): void {
  if (socket.readyState === socket.OPEN) socket.send(text);
}

function rawToString(data: RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  if (data instanceof ArrayBuffer) return Buffer.from(data).toString('utf8');
  return data.toString('utf8');
}
