import { existsSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { hostname } from 'node:os';
import { resolve } from 'node:path';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import {
  hostHeaderAllowed,
  isLoopback,
  newToken,
  originAllowed,
  presentedToken,
  tokenMatches,
} from './auth.js';
import { DashboardError } from './errors.js';
import { handleHttp, send } from './http-handler.js';
import { forwardLiveEvents, type LiveEmitter } from './live-source.js';
import { LogdirWatcher } from './logdir-watcher.js';
import { LiveEventSchema } from './messages.js';
import { type DashboardOptions, DashboardOptionsSchema } from './options.js';
import { MAX_CLIENT_MESSAGE_BYTES } from './protocol.js';
import { WsHub } from './ws-hub.js';

export interface DashboardServer {
  /** Address to open; includes `?token=` when a token is required. */
  url: string;
  host: string;
  port: number;
  /** null on loopback binds (no token needed). */
  token: string | null;
  logdir: string;
  /**
   * Forwards a live-bridge status event to every browser. Returns false (and sends nothing) when the
   * event does not match the live event schema, so a buggy emitter cannot break the page.
   */
  publishLive(event: unknown): boolean;
  /** Forwards a live bridge's status events (same process) until the returned function is called. */
  attachLive(emitter: LiveEmitter): () => void;
  /** Reads the run files now instead of at the next poll (`mt train --dashboard` calls it per record). */
  refresh(): void;
  close(): Promise<void>;
}

/**
 * Serves the dashboard: the built app over HTTP, run files under /files/, and live updates over ws at
 * /ws. Binds 127.0.0.1 by default; any other host requires the token for every request and socket.
 */
export async function startDashboardServer(options: DashboardOptions): Promise<DashboardServer> {
  const parsed = DashboardOptionsSchema.safeParse(options);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new DashboardError(
      'USAGE',
      `dashboard option ${issue?.path.join('.') ?? ''}: ${issue?.message ?? 'invalid'}`,
    );
  }
  const opts = parsed.data;
  const logdir = resolve(opts.logdir);
  const webRoot = resolve(opts.webRoot);
  if (!existsSync(resolve(webRoot, 'index.html'))) {
    throw new DashboardError(
      'NOT_FOUND',
      `dashboard app not found at ${webRoot} (no index.html): build the app first (\`pnpm build\` at the repository root)`,
    );
  }
  const token = isLoopback(opts.host) ? null : (opts.token ?? newToken());

  // The two refer to each other through closures; nothing runs before watcher.start() below.
  const watcher: LogdirWatcher = new LogdirWatcher(
    { logdir, pollMs: opts.pollMs },
    { metrics: (run, message) => hub.metrics(run, message), runs: (s) => hub.runs(s) },
  );
  const hub: WsHub = new WsHub({
    logdir,
    summaries: () => watcher.summaries(),
    historyMessage: (run) => watcher.historyMessage(run),
  });
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_CLIENT_MESSAGE_BYTES });

  const authorized = (req: IncomingMessage, url: URL): boolean =>
    token === null ? hostHeaderAllowed(req) : tokenMatches(token, presentedToken(req, url));

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://dashboard.invalid');
    if (!authorized(req, url)) {
      send(
        res,
        token === null ? 403 : 401,
        token === null ? 'forbidden host header' : 'missing or wrong token',
      );
      return;
    }
    const queryToken = url.searchParams.get('token');
    handleHttp(req, res, url, {
      webRoot,
      logdir,
      rememberToken: token !== null && queryToken ? queryToken : null,
    });
  });
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const url = new URL(req.url ?? '/', 'http://dashboard.invalid');
    const status = url.pathname !== '/ws' ? 404 : !authorized(req, url) || !originAllowed(req) ? 401 : 0;
    if (status !== 0) {
      socket.end(
        `HTTP/1.1 ${status} ${status === 404 ? 'Not Found' : 'Unauthorized'}\r\nConnection: close\r\n\r\n`,
      );
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => hub.add(ws));
  });
  // A client dropping mid-request must not crash the process.
  server.on('clientError', (_err, socket) => socket.destroy());

  await listen(server, opts.port, opts.host);
  watcher.start();
  const port = (server.address() as AddressInfo).port;
  // A wildcard bind is reached through the machine's name, not through 0.0.0.0.
  const reachable = opts.host === '0.0.0.0' || opts.host === '::' ? hostname() : opts.host;
  const shownHost = reachable.includes(':') ? `[${reachable}]` : reachable;
  const base = `http://${shownHost}:${port}/`;
  const publishLive = (event: unknown): boolean => {
    const live = LiveEventSchema.safeParse(event);
    if (!live.success) return false;
    hub.live(live.data);
    return true;
  };
  const detachers = new Set<() => void>();
  return {
    url: token === null ? base : `${base}?token=${encodeURIComponent(token)}`,
    host: opts.host,
    port,
    token,
    logdir,
    publishLive,
    attachLive(emitter: LiveEmitter): () => void {
      const detach = forwardLiveEvents(emitter, publishLive);
      detachers.add(detach);
      return () => {
        detachers.delete(detach);
        detach();
      };
    },
    refresh: () => watcher.pollSoon(),
    close: async () => {
      for (const detach of detachers) detach();
      detachers.clear();
      watcher.stop();
      hub.closeAll();
      wss.close();
      await new Promise<void>((done) => server.close(() => done()));
    },
  };
}

function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise((done, fail) => {
    server.once('error', (cause: NodeJS.ErrnoException) => {
      const why =
        cause.code === 'EADDRINUSE'
          ? 'is already in use (pick another: mt dashboard --port N, mt train/live --dashboard N)'
          : `cannot be bound: ${cause.message}`;
      fail(new DashboardError('FAILED', `dashboard: ${host}:${port} ${why}`, { cause }));
    });
    server.listen(port, host, () => done());
  });
}
