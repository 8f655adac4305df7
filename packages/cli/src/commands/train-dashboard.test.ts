import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import WebSocket from 'ws';
import type { DashboardOptions } from '../dashboard-server.js';
import { main } from '../main.js';
import { captureIo } from '../test-utils/capture-io.js';
import { SATIE } from '../test-utils/fixtures.js';

const root = mkdtempSync(join(tmpdir(), 'mt-cli-train-dash-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/**
 * The real server, wrapped: it serves a stand-in page (the built app is not needed to test the wiring),
 * polls files only every 5 s so updates within the test can only come from `refresh()`, and counts
 * both the module load (it must stay lazy) and the refresh calls.
 */
const spy = vi.hoisted(() => ({ loaded: false, refreshes: 0, webRoot: '' }));
vi.mock('@music-transformer/dashboard', async (importOriginal) => {
  spy.loaded = true;
  const real = await importOriginal<typeof import('@music-transformer/dashboard')>();
  return {
    ...real,
    startDashboardServer: async (options: DashboardOptions) => {
      const server = await real.startDashboardServer({ ...options, webRoot: spy.webRoot, pollMs: 5000 });
      const refresh = server.refresh;
      server.refresh = () => {
        spy.refreshes++;
        refresh();
      };
      return server;
    },
  };
});

async function waitFor<T>(what: string, probe: () => T | undefined, timeoutMs = 60_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('mt train --dashboard', () => {
  it('rejects --host without --dashboard and the old --port as usage errors, without loading the server', async () => {
    const host = captureIo();
    expect(await main(['train', 'd', 'c', 'm', '1', '--host', '0.0.0.0'], host.io)).toBe(2);
    expect(host.err()).toMatch(/--host is for the dashboard: add --dashboard/);
    for (const [flags, hint] of [
      [['--port', '7000'], '--dashboard 7000'],
      [['--dashboard', '--port', '7000'], '--dashboard 7000'],
      [['--port'], '--dashboard <port>'],
    ] as const) {
      const port = captureIo();
      expect(await main(['train', 'd', 'c', 'm', '1', ...flags], port.io)).toBe(2);
      expect(port.err()).toContain(`mt train has no --port: give the dashboard port as ${hint}`);
    }
    expect(await main(['dashboard', '--help'], captureIo().io)).toBe(0);
    expect(spy.loaded).toBe(false);
  });

  it('serves the run while it trains, pushes each record, and closes when training ends', async () => {
    spy.webRoot = join(root, 'web');
    mkdirSync(spy.webRoot);
    writeFileSync(join(spy.webRoot, 'index.html'), '<!doctype html><title>stand-in dashboard</title>');
    const src = join(root, 'midi');
    mkdirSync(src);
    copyFileSync(SATIE, join(src, 'satie.mid'));
    const data = join(root, 'data.safetensors');
    const pre = captureIo();
    const preArgs = [
      'preprocess',
      src,
      data,
      '64',
      '-t',
      '0',
      '-s',
      '1',
      '--workers',
      '1',
      '--val-split',
      '0',
    ];
    expect(await main(preArgs, pre.io)).toBe(0);

    const sigintBefore = new Set(process.listeners('SIGINT'));
    const { io, out, err } = captureIo();
    const logdir = join(root, 'runs');
    const args = ['train', data, join(root, 'ckpt.safetensors'), join(root, 'model.safetensors'), '100'];
    const flags = ['--preset', 'tiny', '-bs', '2', '--max-steps', '200', '--backend', 'wasm'];
    const training = main(
      [...args, ...flags, '--logdir', logdir, '--name', 'dash', '--dashboard', '0', '--json'],
      io,
    );

    const url = await waitFor('the dashboard URL', () => /dashboard: (http:\/\/\S+)/.exec(err())?.[1]);
    expect(spy.loaded).toBe(true);
    const page = await fetch(url);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('stand-in dashboard');

    // The dataset has 2 rows (one step per epoch); 100 epochs keep it training until Ctrl-C below.
    // Follow the run over the socket until a metrics message carries train steps.
    const socket = new WebSocket(`${url.replace('http', 'ws')}ws`);
    const steps: number[] = [];
    let pushed = 0; // steps that arrived after the history (the server polls only every 5 s here)
    socket.on('message', (raw) => {
      const msg = JSON.parse(String(raw)) as {
        type: string;
        reset?: boolean;
        data?: { train: { step: number[] } };
      };
      if (msg.type !== 'metrics' || !msg.data) return;
      steps.push(...msg.data.train.step);
      if (!msg.reset) pushed += msg.data.train.step.length;
    });
    await new Promise((resolve, reject) => socket.once('open', resolve).once('error', reject));
    socket.send(JSON.stringify({ type: 'subscribe', runs: ['dash'] }));
    await waitFor('train steps pushed over the socket', () => (pushed >= 2 ? true : undefined));
    expect(steps).toEqual([...steps].sort((a, b) => a - b));
    expect(spy.refreshes).toBeGreaterThanOrEqual(2);
    const files = await fetch(`${url}files/dash/config.json`);
    expect(files.status).toBe(200);

    // Ctrl-C (only the handler the command installed): the run stops cleanly and the server closes.
    for (const listener of process.listeners('SIGINT')) {
      if (!sigintBefore.has(listener)) (listener as () => void)();
    }
    expect(await training).toBe(0);
    socket.close();
    const result = JSON.parse(out()) as { status: string; dashboard_url: string };
    expect(result).toMatchObject({ status: 'stopped', dashboard_url: url });
    await expect(fetch(url)).rejects.toThrow();
  });
});

describe('mt dashboard', () => {
  it('writes its URL to the io it was registered with (not process.stdout) and stops on Ctrl-C', async () => {
    const sigintBefore = new Set(process.listeners('SIGINT'));
    const { io, out } = captureIo();
    const serving = main(['dashboard', '--logdir', join(root, 'runs'), '--port', '0', '--json'], io);
    const shown = await waitFor('the JSON line', () => (out().includes('\n') ? out() : undefined));
    const { url, port } = JSON.parse(shown) as { url: string; port: number };
    expect(port).toBeGreaterThan(0);
    expect((await fetch(url)).status).toBe(200);
    for (const listener of process.listeners('SIGINT')) {
      if (!sigintBefore.has(listener)) (listener as () => void)();
    }
    expect(await serving).toBe(0);
  });
});
