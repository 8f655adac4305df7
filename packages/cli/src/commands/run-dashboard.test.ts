import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { DEFAULT_MODEL_PATH } from '../model-source.js';
import { captureIo } from '../test-utils/capture-io.js';
import { testStops } from '../test-utils/stop-source.js';
import { tempDir } from '../test-utils/temp-dir.js';
import { type DashboardFlags, runDashboard } from './run-dashboard.js';

const logdir = tempDir('mt-cli-run-dashboard-');
mkdirSync(join(logdir, 'piano'));
writeFileSync(join(logdir, 'piano', 'notes.txt'), 'a file of the run');

const flags = (port: number): DashboardFlags => ({ logdir, port, host: '127.0.0.1', json: true });

/** The JSON line `runDashboard` prints once it listens (it prints nothing before). */
async function announced(out: () => string): Promise<{ url: string; port: number; logdir: string }> {
  for (let waited = 0; !out().includes('\n'); waited += 20) {
    if (waited > 20_000) throw new Error(`the dashboard printed no URL in 20 s: '${out()}'`);
    await sleep(20);
  }
  return JSON.parse(out()) as { url: string; port: number; logdir: string };
}

describe('runDashboard', () => {
  it('serves the app, the bundled model and the runs until stopped, then frees its port', async () => {
    const { stops, stop, disposed } = testStops();
    const { io, out } = captureIo();
    const serving = runDashboard(flags(0), { io, stops });
    const { url, port, logdir: watched } = await announced(out);
    expect(port).toBeGreaterThan(0);
    expect(url).toBe(`http://127.0.0.1:${port}/`);
    expect(watched).toBe(logdir);

    const page = await fetch(url);
    expect(page.status).toBe(200);
    expect(await page.text()).toMatch(/<!doctype html>/i);
    const model = await fetch(new URL('default-model.safetensors', url));
    expect(Buffer.from(await model.arrayBuffer()).equals(readFileSync(DEFAULT_MODEL_PATH))).toBe(true);
    const file = await fetch(new URL('files/piano/notes.txt', url));
    expect(await file.text()).toBe('a file of the run');

    // A second dashboard on the same port is refused, naming the address.
    await expect(runDashboard(flags(port), captureIo())).rejects.toThrow(
      `dashboard: 127.0.0.1:${port} is already in use`,
    );

    stop();
    await serving;
    expect(disposed()).toBe(true);
    await expect(fetch(url)).rejects.toThrow();
  });
});
