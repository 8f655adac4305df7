import { existsSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
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
import { parseRequestTarget } from './request-target.js';
import { type HubStats, WsHub } from './ws-hub.js';

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
  /** What is held for the connected clients now (backpressure figures; tests and benchmarks). */
  stats(): HubStats;
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
    { metrics: (run, update) => hub.metrics(run, update), runs: (s) => hub.runs(s) },
  );
  const hub: WsHub = new WsHub({
    logdir,
    summaries: () => watcher.summaries(),
    historyChunks: (run) => watcher.historyChunks(run),
  });
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_CLIENT_MESSAGE_BYTES });

  const authorized = (req: IncomingMessage, url: URL): boolean =>
    token === null ? hostHeaderAllowed(req) : tokenMatches(token, presentedToken(req, url));

  // Before the token check a request costs one URL parse and one header comparison; nothing is read
  // from disk and no socket state is kept. Every handler runs inside a guard, so a request that trips
  // a bug is answered 500 (or its socket dropped) instead of taking the process down.
  const server = createServer((req, res) => {
    try {
      const url = parseRequestTarget(req.url);
      if (url === null) {
        send(res, 400, 'bad request target');
        return;
      }
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
        playModel: opts.playModel === undefined ? null : resolve(opts.playModel),
      });
    } catch {
      failRequest(res);
    }
  });
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    // Node detaches its own error handling from an upgraded socket: without this listener a peer
    // resetting the connection before we answer would be an uncaught error.
    socket.on('error', () => socket.destroy());
    try {
      const url = parseRequestTarget(req.url);
      const status =
        url === null
          ? 400
          : !authorized(req, url) || !originAllowed(req)
            ? 401
            : url.pathname !== '/ws'
              ? 404
              : hub.size >= MAX_SOCKETS
                ? 503
                : 0;
      if (status !== 0) {
        refuseUpgrade(socket, status);
        return;
      }
      wss.handleUpgrade(req, socket, head, (ws) => {
        try {
          hub.add(ws);
        } catch {
          ws.terminate();
        }
      });
    } catch {
      socket.destroy();
    }
  });
  // A malformed request line or headers, or a client dropping mid-request: answer 400 if the socket
  // can still take it, never crash.
  server.on('clientError', (err: NodeJS.ErrnoException, socket: Duplex) => {
    const status =
      err.code === 'HPE_HEADER_OVERFLOW' ? 431 : err.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? 408 : 400;
    if (socket.writable) socket.end(`HTTP/1.1 ${status} ${STATUS_TEXT[status]}\r\nConnection: close\r\n\r\n`);
    socket.destroy();
  });
  // A client that sends its headers slowly, or never finishes its request, holds a socket: bounded.
  server.headersTimeout = HEADERS_TIMEOUT_MS;
  server.requestTimeout = REQUEST_TIMEOUT_MS;

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
    stats: () => hub.stats(),
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

/** How long a client may take to send its request headers, and its whole request. */
const HEADERS_TIMEOUT_MS = 10_000;
const REQUEST_TIMEOUT_MS = 30_000;

/** Open ws sockets at most: each costs a bounded outbox, and their number bounds the total. */
const MAX_SOCKETS = 200;

const STATUS_TEXT: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  404: 'Not Found',
  408: 'Request Timeout',
  431: 'Request Header Fields Too Large',
  503: 'Service Unavailable',
};

function refuseUpgrade(socket: Duplex, status: number): void {
  socket.end(`HTTP/1.1 ${status} ${STATUS_TEXT[status] ?? 'Error'}\r\nConnection: close\r\n\r\n`);
}

/** The last resort of the request guard: a 500 if nothing was sent yet, else drop the connection. */
function failRequest(res: ServerResponse): void {
  try {
    if (res.headersSent) res.destroy();
    else send(res, 500, 'internal error');
  } catch {
    res.destroy();
  }
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
