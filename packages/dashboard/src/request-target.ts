/** Base for origin-form targets (`/path?query`); the host part is never used. */
const BASE = 'http://dashboard.invalid';

/**
 * The request target as a URL, or null when it does not parse. Node hands the request line's target
 * over as written, and an absolute-form target (`GET http://[::1 HTTP/1.1`, `http://host:99999/`) makes
 * `new URL` throw; a handler must answer 400 to such a request, not die on it.
 */
export function parseRequestTarget(target: string | undefined): URL | null {
  try {
    return new URL(target ?? '/', BASE);
  } catch {
    return null;
  }
}
