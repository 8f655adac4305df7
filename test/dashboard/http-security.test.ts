import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeFinishedRun } from './run-fixtures.js';
import { startDashboardServer, WEB_ROOT } from './server-under-test.js';

type Server = Awaited<ReturnType<typeof startDashboardServer>>;

/** Raw GET: node's http client sends the path as given (no `..` normalisation, unlike fetch). */
function get(port: number, path: string, headers: Record<string, string> = {}) {
  return new Promise<{ status: number; body: string; headers: Record<string, unknown> }>(
    (resolve, reject) => {
      const req = request({ host: '127.0.0.1', port, path, headers }, (res) => {
        let body = '';
        res.setEncoding('latin1');
        res.on('data', (c: string) => {
          body += c;
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body, headers: res.headers }));
      });
      req.on('error', reject);
      req.end();
    },
  );
}

/** Sends a request exactly as written (no client-side parsing) and resolves with the status line. */
function raw(port: number, text: string): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    let got = '';
    socket.on('data', (d) => {
      got += d.toString('latin1');
    });
    socket.on('error', () => resolve(got.split('\r\n', 1)[0] ?? ''));
    socket.on('close', () => resolve(got.split('\r\n', 1)[0] ?? ''));
    socket.end(text);
  });
}

const UPGRADE =
  'Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n' +
  'Sec-WebSocket-Version: 13\r\n';

describe('dashboard HTTP: only the app and files inside the logdir', () => {
  const base = mkdtempSync(join(tmpdir(), 'mt-http-'));
  const logdir = join(base, 'runs');
  let server: Server;
  beforeAll(async () => {
    mkdirSync(logdir);
    writeFinishedRun(logdir, 'alpha', 10, process.pid);
    writeFileSync(join(base, 'secret.txt'), 'TOP-SECRET');
    symlinkSync(join(base, 'secret.txt'), join(logdir, 'alpha', 'samples', 'leak.mid'));
    server = await startDashboardServer({ logdir, port: 0, webRoot: WEB_ROOT });
  });
  afterAll(async () => {
    await server.close();
    rmSync(base, { recursive: true, force: true });
  });

  it('serves the app shell and a sample (also as a download)', async () => {
    const page = await get(server.port, '/');
    expect(page.status).toBe(200);
    expect(page.body).toContain('<script type="module"');
    expect(page.headers['content-security-policy']).toContain("default-src 'self'");
    const sample = await get(server.port, '/files/alpha/samples/step-10.mid');
    expect(sample.status).toBe(200);
    expect(sample.headers['content-type']).toBe('audio/midi');
    expect(sample.body.startsWith('MThd')).toBe(true);
    const download = await get(server.port, '/files/alpha/samples/step-10.mid?download=1');
    expect(download.headers['content-disposition']).toBe('attachment; filename="step-10.mid"');
  });

  it.each([
    '/files/../secret.txt',
    '/files/alpha/../../secret.txt',
    '/files/%2e%2e/secret.txt',
    '/files/alpha/..%2f..%2fsecret.txt',
    '/files/alpha/%2e%2e%5c%2e%2e%5csecret.txt',
    '/files/alpha/samples/leak.mid',
    '/files//etc/passwd',
    '/files/alpha/samples/step-10.mid%00.txt',
    '/../secret.txt',
    '/%2e%2e/secret.txt',
    '/assets/../../secret.txt',
  ])('does not serve %s', async (path) => {
    const res = await get(server.port, path);
    expect(res.body).not.toContain('TOP-SECRET');
    expect(res.body).not.toContain('root:');
    expect([400, 404]).toContain(res.status);
  });

  it('answers bad percent-encoding with 400 and other methods with 405', async () => {
    expect((await get(server.port, '/files/%E0%A4%A')).status).toBe(400);
    const res = await new Promise<number>((resolve) => {
      const req = request({ host: '127.0.0.1', port: server.port, path: '/', method: 'POST' }, (r) => {
        r.resume();
        resolve(r.statusCode ?? 0);
      });
      req.end('x');
    });
    expect(res).toBe(405);
  });

  it.each([
    'GET http://[::1 HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n',
    'GET http://127.0.0.1:99999/ HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n',
    `GET http://[::1 HTTP/1.1\r\nHost: 127.0.0.1\r\n${UPGRADE}\r\n`,
    `GET http://127.0.0.1:99999/ws HTTP/1.1\r\nHost: 127.0.0.1\r\n${UPGRADE}\r\n`,
  ])('answers a request target that does not parse with 400 and stays up: %j', async (request) => {
    expect(await raw(server.port, request)).toBe('HTTP/1.1 400 Bad Request');
    expect((await get(server.port, '/')).status).toBe(200);
  });

  it('refuses a foreign Host header on loopback (DNS rebinding)', async () => {
    expect((await get(server.port, '/', { Host: 'evil.example' })).status).toBe(403);
    expect((await get(server.port, '/', { Host: `localhost:${server.port}` })).status).toBe(200);
  });
});

describe('dashboard HTTP on a non-loopback bind', () => {
  const logdir = mkdtempSync(join(tmpdir(), 'mt-http-token-'));
  let server: Server;
  beforeAll(async () => {
    writeFinishedRun(logdir, 'alpha', 5, process.pid);
    server = await startDashboardServer({
      logdir,
      host: '0.0.0.0',
      port: 0,
      webRoot: WEB_ROOT,
      token: 'a-fixed-token-for-tests',
    });
  });
  afterAll(async () => {
    await server.close();
    rmSync(logdir, { recursive: true, force: true });
  });

  it('treats a malformed token cookie or target as no token, before any other work, and stays up', async () => {
    for (const cookie of [
      'mt_dashboard_token=%',
      'mt_dashboard_token=%E0%A4%A',
      'a=%; mt_dashboard_token=%zz',
    ]) {
      expect((await get(server.port, '/', { Cookie: cookie })).status).toBe(401);
      expect(
        await raw(server.port, `GET /ws HTTP/1.1\r\nHost: x\r\nCookie: ${cookie}\r\n${UPGRADE}\r\n`),
      ).toBe('HTTP/1.1 401 Unauthorized');
    }
    expect(
      await raw(server.port, 'GET http://[::1?token=a-fixed-token-for-tests HTTP/1.1\r\nHost: x\r\n\r\n'),
    ).toBe('HTTP/1.1 400 Bad Request');
    expect((await get(server.port, '/?token=a-fixed-token-for-tests')).status).toBe(200);
  });

  it('requires the token for the page and for run files; a valid ?token= sets the cookie', async () => {
    expect((await get(server.port, '/')).status).toBe(401);
    expect((await get(server.port, '/files/alpha/samples/step-5.mid')).status).toBe(401);
    expect((await get(server.port, '/?token=wrong-token-wrong-token')).status).toBe(401);
    const ok = await get(server.port, '/?token=a-fixed-token-for-tests');
    expect(ok.status).toBe(200);
    const cookie = String((ok.headers['set-cookie'] as string[])[0]).split(';')[0] as string;
    expect(cookie).toBe('mt_dashboard_token=a-fixed-token-for-tests');
    expect((await get(server.port, '/files/alpha/samples/step-5.mid', { Cookie: cookie })).status).toBe(200);
    expect((await get(server.port, '/', { Authorization: 'Bearer a-fixed-token-for-tests' })).status).toBe(
      200,
    );
  });

  it('rejects a token shorter than 16 characters at start', async () => {
    await expect(
      startDashboardServer({ logdir, host: '0.0.0.0', port: 0, webRoot: WEB_ROOT, token: 'short' }),
    ).rejects.toMatchObject({ code: 'USAGE', message: expect.stringMatching(/token must be at least 16/) });
  });

  it('names the missing app folder when the assets were not built', async () => {
    await expect(
      startDashboardServer({ logdir, port: 0, webRoot: join(logdir, 'nowhere') }),
    ).rejects.toMatchObject({
      code: 'NOT_FOUND',
      message: expect.stringContaining('nowhere'),
    });
  });

  it('names the port when it is taken', async () => {
    await expect(
      startDashboardServer({ logdir, host: '0.0.0.0', port: server.port, webRoot: WEB_ROOT }),
    ).rejects.toMatchObject({
      code: 'FAILED',
      message: expect.stringContaining(`${server.port} is already in use`),
    });
  });
});
