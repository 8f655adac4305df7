import type { ClientMessage, ServerMessage } from '@music-transformer/dashboard/protocol';

export type ConnectionState = 'connecting' | 'open' | 'closed';

export interface ConnectionHandlers {
  message(msg: ServerMessage): void;
  state(state: ConnectionState): void;
  /**
   * Called on every (re)open, after the connection has asked for the runs list: the server has
   * forgotten our subscriptions, send them again.
   */
  opened(): void;
}

const MIN_DELAY_MS = 250;
const MAX_DELAY_MS = 5000;

/**
 * The page's one socket to `mt dashboard`. It reconnects forever with capped exponential backoff, so
 * the page survives a dashboard restart; the server sends full histories again after each reconnect.
 */
export class Connection {
  private socket: WebSocket | null = null;
  private delay = MIN_DELAY_MS;

  constructor(
    private readonly url: string,
    private readonly handlers: ConnectionHandlers,
  ) {}

  start(): void {
    this.handlers.state('connecting');
    const socket = new WebSocket(this.url);
    this.socket = socket;
    socket.onopen = () => {
      this.delay = MIN_DELAY_MS;
      this.handlers.state('open');
      // The server sends the runs list only to clients that ask for it (a live bridge does not).
      this.send({ type: 'watch-runs' });
      this.handlers.opened();
    };
    socket.onmessage = (e) => {
      if (typeof e.data !== 'string') return;
      let msg: ServerMessage;
      try {
        msg = JSON.parse(e.data) as ServerMessage;
      } catch {
        console.error('dashboard: ignoring a non-JSON message from the server');
        return;
      }
      this.handlers.message(msg);
    };
    socket.onclose = () => {
      this.socket = null;
      this.handlers.state('closed');
      setTimeout(() => this.start(), this.delay);
      this.delay = Math.min(MAX_DELAY_MS, this.delay * 2);
    };
  }

  send(msg: ClientMessage): void {
    if (this.socket?.readyState === WebSocket.OPEN) this.socket.send(JSON.stringify(msg));
  }
}

/** ws URL of the page's own server; carries the page's `?token=` along (needed on non-loopback binds). */
export function socketUrl(location: Location): string {
  const proto = location.protocol === 'https:' ? 'wss:' : 'ws:';
  const token = new URLSearchParams(location.search).get('token');
  return `${proto}//${location.host}/ws${token ? `?token=${encodeURIComponent(token)}` : ''}`;
}
