import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appendLines, trainRecord, writeConfig } from './run-fixtures.js';
import { startDashboardServer, WEB_ROOT } from './server-under-test.js';
import { TestClient } from './ws-client.js';

type Server = Awaited<ReturnType<typeof startDashboardServer>>;

/** A masked client text frame, written by hand so the client can then stop reading at the TCP level. */
function textFrame(text: string): Buffer {
  const payload = Buffer.from(text);
  const mask = randomBytes(4);
  const head =
    payload.length < 126
      ? Buffer.from([0x81, 0x80 | payload.length])
      : Buffer.from([0x81, 0x80 | 126, payload.length >> 8, payload.length & 0xff]);
  return Buffer.concat([head, mask, payload.map((b, i) => b ^ (mask[i % 4] ?? 0))]);
}

/** Handshakes, asks for the runs list and run `big`, then never reads again. */
function stalledClient(port: number): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1');
    let head = '';
    const onData = (d: Buffer) => {
      head += d.toString('latin1');
      if (!head.includes('\r\n\r\n')) return;
      socket.off('data', onData);
      if (!head.startsWith('HTTP/1.1 101')) return reject(new Error(head));
      socket.write(textFrame('{"type":"watch-runs"}'));
      socket.write(textFrame('{"type":"subscribe","runs":["big"]}'));
      socket.pause();
      resolve(socket);
    };
    socket.on('data', onData);
    socket.on('error', () => {});
    socket.write(
      'GET /ws HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n' +
        `Sec-WebSocket-Key: ${randomBytes(16).toString('base64')}\r\nSec-WebSocket-Version: 13\r\n\r\n`,
    );
  });
}

describe('dashboard ws backpressure and chunked histories', () => {
  const logdir = mkdtempSync(join(tmpdir(), 'mt-ws-slow-'));
  let server: Server;
  const ROWS = 30_000;
  beforeAll(async () => {
    const dir = join(logdir, 'big');
    mkdirSync(dir, { recursive: true });
    writeConfig(dir, 'big');
    const start = Date.UTC(2026, 0, 1);
    const lines: string[] = [];
    for (let step = 1; step <= ROWS; step++) lines.push(trainRecord(step, new Date(start + step * 1000)));
    appendLines(dir, lines);
    server = await startDashboardServer({ logdir, port: 0, webRoot: WEB_ROOT, pollMs: 50 });
  });
  afterAll(async () => {
    await server.close();
    rmSync(logdir, { recursive: true, force: true });
  });

  it('streams a long history as a reset and appending chunks that add up to the file', async () => {
    const c = await TestClient.open(`ws://127.0.0.1:${server.port}/ws`);
    c.send({ type: 'subscribe', runs: ['big'] });
    const parts: { reset: boolean; rows: number; bytes: number }[] = [];
    let rows = 0;
    while (rows < ROWS) {
      const m = await c.next((msg) => msg.type === 'metrics');
      const n = (m.data as { train: { step: number[] } }).train.step.length;
      parts.push({ reset: m.reset === true, rows: n, bytes: JSON.stringify(m).length });
      rows += n;
    }
    c.close();
    expect(rows).toBe(ROWS);
    expect(parts.length).toBeGreaterThan(5);
    expect(parts.map((p) => p.reset)).toEqual(parts.map((_, i) => i === 0));
    expect(Math.max(...parts.map((p) => p.bytes))).toBeLessThan(128 * 1024);
  });

  it('holds a bounded amount for clients that stop reading, and keeps serving one that reads', async () => {
    const stalled = await Promise.all(Array.from({ length: 10 }, () => stalledClient(server.port)));
    const reader = await TestClient.open(`ws://127.0.0.1:${server.port}/ws`);
    reader.send({ type: 'subscribe', runs: ['big'] });
    // A live bridge's status stream far beyond what a kernel socket buffer holds, and a growing run.
    let step = ROWS + 1;
    for (let round = 0; round < 40; round++) {
      for (let i = 0; i < 1000; i++) {
        server.publishLive({ kind: 'note', pitch: 60, velocity: 90, on: true, time: round * 1000 + i });
      }
      appendLines(join(logdir, 'big'), [trainRecord(step++)]);
      server.refresh();
      await new Promise((r) => setTimeout(r, 50));
    }
    const last = step - 1;
    await reader.next(
      (m) => m.type === 'metrics' && (m.data as { train: { step: number[] } }).train.step.includes(last),
      10_000,
    );
    const stats = server.stats();
    expect(stats.clients).toBe(11);
    // Per client: under the 256 KB outbox bound plus what the socket was handed (64 KB low water and
    // one message); without backpressure the 40,000 live events alone are ~3 MB per client.
    expect(stats.pendingBytes + stats.bufferedBytes).toBeLessThan(10 * 512 * 1024);
    expect(stats.droppedLive).toBeGreaterThan(0);
    for (const s of stalled) s.destroy();
    reader.close();
    await expect.poll(() => server.stats().clients, { timeout: 5000 }).toBe(0);
    expect(server.stats().pendingBytes).toBe(0);
  });
});
