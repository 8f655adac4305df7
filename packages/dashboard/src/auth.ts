import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

export const TOKEN_COOKIE = 'mt_dashboard_token';

const LOOPBACK_HOSTS = new Set(['127.0.0.1', '::1', 'localhost', '[::1]']);

export function isLoopback(host: string): boolean {
  return LOOPBACK_HOSTS.has(host) || /^127\.\d+\.\d+\.\d+$/.test(host);
}

/** 24 random bytes, URL-safe: long enough that guessing is hopeless, short enough to paste. */
export function newToken(): string {
  return randomBytes(24).toString('base64url');
}

/** Where a request may carry the token: `?token=`, `Authorization: Bearer`, or the cookie we set. */
export function presentedToken(req: IncomingMessage, url: URL): string | null {
  const q = url.searchParams.get('token');
  if (q) return q;
  const auth = req.headers.authorization;
  if (auth?.startsWith('Bearer ')) return auth.slice('Bearer '.length).trim();
  const cookie = req.headers.cookie;
  if (cookie) {
    for (const part of cookie.split(';')) {
      const [k, ...v] = part.trim().split('=');
      if (k === TOKEN_COOKIE) return decodeCookieValue(v.join('='));
    }
  }
  return null;
}

/** A cookie value as we set it (percent-encoded); a malformed one (`%`, `%zz`) is no token, not a throw. */
function decodeCookieValue(value: string): string | null {
  try {
    return decodeURIComponent(value);
  } catch {
    return null;
  }
}

/** Constant-time comparison, so response timing does not leak how many leading characters matched. */
export function tokenMatches(expected: string, presented: string | null): boolean {
  if (presented === null) return false;
  const a = Buffer.from(expected);
  const b = Buffer.from(presented);
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * On a loopback bind there is no token, so a web page elsewhere could reach us through DNS rebinding
 * (evil.example resolving to 127.0.0.1). Only requests that name a loopback host are served.
 */
export function hostHeaderAllowed(req: IncomingMessage): boolean {
  const host = req.headers.host;
  if (!host) return false;
  const name = host.startsWith('[') ? host.slice(0, host.indexOf(']') + 1) : (host.split(':')[0] ?? '');
  return isLoopback(name);
}

/** Browsers send Origin on ws handshakes; a page from another origin must not open our socket. */
export function originAllowed(req: IncomingMessage): boolean {
  const origin = req.headers.origin;
  if (origin === undefined) return true; // not a browser (CLI tools, the live bridge)
  try {
    return new URL(origin).host === req.headers.host;
  } catch {
    return false;
  }
}
