import { createReadStream } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { basename, extname, sep } from 'node:path';
import { TOKEN_COOKIE } from './auth.js';
import { resolveInside } from './safe-path.js';

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json; charset=utf-8',
  '.jsonl': 'text/plain; charset=utf-8',
  '.mid': 'audio/midi',
  '.midi': 'audio/midi',
  '.wasm': 'application/wasm',
};

/**
 * Same-origin only; styles inline because uPlot sets element styles; blob: for Tone.js worklets;
 * 'wasm-unsafe-eval' lets the playground's worker compile its WebAssembly kernels (it allows no JS eval).
 */
const CSP = [
  "default-src 'self'",
  "script-src 'self' 'wasm-unsafe-eval'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "connect-src 'self'",
  "worker-src 'self' blob:",
  "media-src 'self' blob:",
  "frame-ancestors 'none'",
].join('; ');

export interface HttpRoutes {
  webRoot: string;
  logdir: string;
  /** Set when the request carried a valid `?token=`: remember it in a cookie for the app's assets. */
  rememberToken: string | null;
  /** The model file the playground (/play) loads by default, served as /default-model.safetensors. */
  playModel: string | null;
}

/** The playground page and the model it fetches (the names a static export of it uses too). */
const PLAY_PATH = '/play';
const PLAY_MODEL_PATH = '/default-model.safetensors';

/**
 * GET-only file server with two roots: the built app at `/` (the playground at `/play`, with its default
 * model at `/default-model.safetensors`), and run files at `/files/<run>/<path>` (samples to play and
 * download). Anything that does not resolve to a regular file inside its root,
 * symlinks included, is a 404, so a traversal attempt learns nothing about what exists outside.
 */
export function handleHttp(req: IncomingMessage, res: ServerResponse, url: URL, routes: HttpRoutes): void {
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    send(res, 405, 'method not allowed: the dashboard serves GET only', { Allow: 'GET, HEAD' });
    return;
  }
  let path: string;
  try {
    path = decodeURIComponent(url.pathname);
  } catch {
    send(res, 400, `bad percent-encoding in ${url.pathname}`);
    return;
  }
  if (path.startsWith('/files/')) {
    const file = resolveInside(routes.logdir, path.slice('/files/'.length));
    if (!file) {
      send(res, 404, `not found in the log directory: ${path.slice('/files/'.length)}`);
      return;
    }
    const download = url.searchParams.get('download') === '1';
    const name = basename(file);
    serveFile(
      req,
      res,
      file,
      download ? { 'Content-Disposition': `attachment; filename="${safeName(name)}"` } : {},
    );
    return;
  }
  if (path === PLAY_MODEL_PATH) {
    if (routes.playModel === null)
      send(res, 404, 'no default model is served: drop a model file on the page');
    else serveFile(req, res, routes.playModel, {});
    return;
  }
  const relative = path === '/' ? 'index.html' : path === PLAY_PATH ? 'play.html' : path.slice(1);
  // Unknown paths without an extension fall back to the app shell (client-side views).
  const file =
    resolveInside(routes.webRoot, relative) ??
    (extname(relative) === '' ? resolveInside(routes.webRoot, 'index.html') : null);
  if (!file) {
    send(res, 404, `not found: ${path}`);
    return;
  }
  const headers: Record<string, string> = {};
  if (routes.rememberToken) {
    headers['Set-Cookie'] =
      `${TOKEN_COOKIE}=${encodeURIComponent(routes.rememberToken)}; HttpOnly; SameSite=Strict; Path=/`;
  }
  serveFile(req, res, file, headers);
}

function serveFile(
  req: IncomingMessage,
  res: ServerResponse,
  file: string,
  extra: Record<string, string>,
): void {
  const type = CONTENT_TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream';
  res.writeHead(200, {
    'Content-Type': type,
    'Cache-Control': file.includes(`${sep}assets${sep}`) ? 'public, max-age=31536000, immutable' : 'no-cache',
    ...securityHeaders(),
    ...extra,
  });
  if (req.method === 'HEAD') {
    res.end();
    return;
  }
  const stream = createReadStream(file);
  stream.on('error', () => res.destroy());
  stream.pipe(res);
}

export function send(
  res: ServerResponse,
  status: number,
  message: string,
  extra: Record<string, string> = {},
): void {
  res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', ...securityHeaders(), ...extra });
  res.end(`${message}\n`);
}

function securityHeaders(): Record<string, string> {
  return {
    'Content-Security-Policy': CSP,
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
  };
}

function safeName(name: string): string {
  return name.replace(/[^\w.-]/g, '_');
}
