import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { firstJsonLine, mtBackground, stop } from '../dashboard/processes.js';

/** The playground as `mt dashboard` serves it at /play, with the bundled model, in Debian's Chromium. */
const CHROMIUM = '/usr/bin/chromium';

describe.skipIf(!existsSync(CHROMIUM))('mt dashboard serves the playground at /play', () => {
  const work = mkdtempSync(join(tmpdir(), 'mt-dash-play-'));
  let dashboard: ChildProcess | undefined;
  let browser: Browser;
  let url: string;

  beforeAll(async () => {
    dashboard = mtBackground(['dashboard', '--logdir', 'runs', '--port', '0', '--json'], work);
    url = (await firstJsonLine<{ url: string }>(dashboard)).url;
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu'] });
  });

  afterAll(async () => {
    await browser?.close();
    if (dashboard) await stop(dashboard);
    rmSync(work, { recursive: true, force: true });
  });

  it('loads the default model on the WebAssembly SIMD kernels under the dashboard CSP and generates', async () => {
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(new URL('play?seed=9&tokens=64&s=none', url).href);
    await expect
      .poll(() => page.getAttribute('[data-testid="model-status"]', 'data-kernels'), { timeout: 60_000 })
      .toBe('simd');
    await page.waitForSelector('[data-testid="status"][data-state="done"]', { timeout: 60_000 });
    expect(Number(await page.getAttribute('[data-testid="status"]', 'data-tokens'))).toBeGreaterThanOrEqual(
      64,
    );
    expect(new URL((await page.getAttribute('[data-testid="share"]', 'href'))!).pathname).toBe('/play');
    expect(errors).toEqual([]);
    await page.close();
  });
});
