import { spawnSync } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BridgeEvents } from '@music-transformer/live-bridge';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appendLines, trainRecord, writeFinishedRun } from './run-fixtures.js';
import { MAX_CLIENT_MESSAGE_BYTES, startDashboardServer, WEB_ROOT } from './server-under-test.js';
import { handshakeStatus, TestClient } from './ws-client.js';

type Server = Awaited<ReturnType<typeof startDashboardServer>>;

describe('dashboard ws protocol (loopback bind)', () => {
  const logdir = mkdtempSync(join(tmpdir(), 'mt-ws-'));
  let server: Server;
  let ws: string;
  const clients: TestClient[] = [];
  const open = async (url = ws, headers: Record<string, string> = {}) => {
    const c = await TestClient.open(url, headers);
    clients.push(c);
    return c;
  };

  beforeAll(async () => {
    writeFinishedRun(logdir, 'alpha', 30, process.pid);
    server = await startDashboardServer({ logdir, port: 0, webRoot: WEB_ROOT, pollMs: 100 });
    ws = `ws://127.0.0.1:${server.port}/ws`;
  });
  afterAll(async () => {
    for (const c of clients) c.close();
    await server.close();
    rmSync(logdir, { recursive: true, force: true });
  });

  it('greets with hello, and sends the runs list when asked, without a token on loopback', async () => {
    expect(server.token).toBeNull();
    const c = await open();
    expect(await c.type('hello')).toMatchObject({ version: 2, logdir: server.logdir });
    await c.ping(1);
    expect(c.messages.some((m) => m.type === 'runs')).toBe(false);
    c.send({ type: 'watch-runs' });
    const runs = (await c.type('runs')).runs as { name: string; status: string; trainRecords: number }[];
    expect(runs.map((r) => [r.name, r.status, r.trainRecords])).toEqual([['alpha', 'finished', 30]]);
  });

  it('rejects malformed JSON, unknown types, bad fields and binary frames, and keeps serving', async () => {
    const c = await open();
    const cases: [unknown, RegExp][] = [
      ['{"type":"subscribe",', /not valid JSON/],
      [{ type: 'drop_tables' }, /message rejected/],
      [{ type: 'subscribe', runs: ['../../etc'] }, /runs\.0: must be a plain folder name/],
      [{ type: 'subscribe', runs: 'alpha' }, /at runs/],
      [{ type: 'ping', id: 1, extra: true }, /message rejected/],
      [{ type: 'live', event: { kind: 'note', pitch: 300, velocity: 1, on: true, time: 0 } }, /event\.pitch/],
    ];
    for (const [msg, expected] of cases) {
      c.send(msg);
      const err = await c.type('error');
      expect(err.code).toBe('BAD_MESSAGE');
      expect(String(err.message)).toMatch(expected);
    }
    c.socket.send(Buffer.from([1, 2, 3]), { binary: true });
    expect(String((await c.type('error')).message)).toMatch(/binary/);
    await c.ping(7);
  });

  it('closes a socket that sends an oversized message (1009) and stays up for others', async () => {
    const c = await open();
    await c.type('hello');
    c.send(JSON.stringify({ type: 'ping', pad: 'x'.repeat(MAX_CLIENT_MESSAGE_BYTES) }));
    await expect.poll(() => c.closeCode, { timeout: 5000 }).toBe(1009);
    const other = await open();
    await other.ping(8);
  });

  it('sends a run history on subscribe and pushes appended records within 1 s', async () => {
    const c = await open();
    c.send({ type: 'subscribe', runs: ['alpha'] });
    const history = await c.type('metrics');
    expect(history).toMatchObject({ run: 'alpha', reset: true });
    expect((history.data as { train: { step: number[] } }).train.step).toHaveLength(30);
    const t0 = Date.now();
    appendLines(join(logdir, 'alpha'), [trainRecord(31)]);
    const pushed = await c.next((m) => m.type === 'metrics' && m.reset === false, 2000);
    expect(Date.now() - t0).toBeLessThan(1000);
    expect((pushed.data as { train: { step: number[] } }).train.step).toEqual([31]);
  });

  it('follows a run created after the dashboard started, and reports a crashed one as failed', async () => {
    const c = await open();
    c.send({ type: 'watch-runs' });
    c.send({ type: 'subscribe', runs: ['late'] });
    const dead = spawnSync(process.execPath, ['-e', '0']).pid;
    const dir = join(logdir, 'late');
    mkdirSync(dir, { recursive: true });
    appendLines(dir, [
      JSON.stringify({ v: 1, type: 'status', time: new Date().toISOString(), status: 'running', pid: dead }),
      trainRecord(1),
    ]);
    const history = await c.next((m) => m.type === 'metrics' && m.run === 'late', 3000);
    expect((history.data as { train: { step: number[] } }).train.step).toEqual([1]);
    const runs = await c.next(
      (m) =>
        m.type === 'runs' &&
        (m.runs as { name: string; status: string }[]).some(
          (r) => r.name === 'late' && r.status === 'failed',
        ),
      3000,
    );
    expect(runs).toBeTruthy();
  });

  it('broadcasts live events from the in-process emitter and from a ws client; drops invalid ones', async () => {
    const emitter = new EventEmitter<BridgeEvents>();
    const detach = server.attachLive(emitter);
    const viewer = await open();
    const bridge = await open();
    expect(server.publishLive({ kind: 'buffer', seconds: 2.5 })).toBe(true);
    expect(server.publishLive({ kind: 'buffer', seconds: 'lots' })).toBe(false);
    expect(server.publishLive(null)).toBe(false);
    expect((await viewer.type('live')).event).toEqual({ kind: 'buffer', seconds: 2.5 });
    emitter.emit('underrun', { lateMs: 30, time: 1000 });
    expect((await viewer.type('live')).event).toEqual({ kind: 'underrun', lateMs: 30, time: 1000 });
    detach();
    expect(emitter.listenerCount('underrun')).toBe(0);
    bridge.send({
      type: 'live',
      event: { kind: 'note', pitch: 60, velocity: 100, on: true, time: 1250, extra: 'dropped' },
    });
    expect(
      (await viewer.next((m) => m.type === 'live' && (m.event as { kind: string }).kind === 'note')).event,
    ).toEqual({
      kind: 'note',
      pitch: 60,
      velocity: 100,
      on: true,
      time: 1250,
    });
  });

  it('refuses a handshake from another origin or through a non-loopback Host header', async () => {
    expect(await handshakeStatus(ws, { Origin: 'http://evil.example' })).toBe(401);
    expect(await handshakeStatus(ws, { Host: 'evil.example' })).toBe(401);
    expect(await handshakeStatus(`ws://127.0.0.1:${server.port}/other`)).toBe(404);
    expect(await handshakeStatus(ws, { Origin: `http://127.0.0.1:${server.port}` })).toBe(101);
  });
});

describe('dashboard ws protocol (non-loopback bind needs the token)', () => {
  const logdir = mkdtempSync(join(tmpdir(), 'mt-ws-token-'));
  let server: Server;
  beforeAll(async () => {
    server = await startDashboardServer({ logdir, host: '0.0.0.0', port: 0, webRoot: WEB_ROOT });
  });
  afterAll(async () => {
    await server.close();
    rmSync(logdir, { recursive: true, force: true });
  });

  it('prints a generated token in the URL', () => {
    expect(server.token).toMatch(/^[\w-]{32}$/);
    expect(server.url).toContain(`?token=${server.token}`);
  });

  it('rejects a missing or wrong token, accepts the right one, and stays up', async () => {
    const base = `ws://127.0.0.1:${server.port}/ws`;
    expect(await handshakeStatus(base)).toBe(401);
    expect(await handshakeStatus(`${base}?token=wrong`)).toBe(401);
    expect(await handshakeStatus(`${base}?token=${server.token}x`)).toBe(401);
    expect(await handshakeStatus(base, { Authorization: 'Bearer nope' })).toBe(401);
    const c = await TestClient.open(`${base}?token=${server.token}`);
    await c.ping(1);
    c.close();
    const viaCookie = await TestClient.open(base, { Cookie: `mt_dashboard_token=${server.token}` });
    await viaCookie.ping(2);
    viaCookie.close();
  });
});
