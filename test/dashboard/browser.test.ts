import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type BrowserContext, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { firstJsonLine, mt, mtBackground, stop } from './processes.js';
import { countTrainRecords } from './run-fixtures.js';
import { TestClient } from './ws-client.js';

/**
 * Acceptance test of the dashboard: real `mt train` runs (tiny preset), the built `mt dashboard`, and the page
 * in Debian's Chromium driven by playwright-core (never `playwright install`).
 */
const CHROMIUM = '/usr/bin/chromium';
const FIXTURES = fileURLToPath(new URL('../fixtures/midi/', import.meta.url));
const OUTPUT = fileURLToPath(new URL('../../test-output/dashboard/', import.meta.url));
/** expect.poll waits 1 s by default; the shared CI machine can be slower than that to redraw. */
const SLOW = { timeout: 15_000 };
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

if (!existsSync(CHROMIUM)) {
  console.warn(
    `dashboard browser test skipped: ${CHROMIUM} is missing (install it with scripts/setup-chromium.sh)`,
  );
}

describe.skipIf(!existsSync(CHROMIUM))('dashboard in Chromium with a real training run', () => {
  const work = mkdtempSync(join(tmpdir(), 'mt-dash-e2e-'));
  const logdir = join(work, 'runs');
  let dashboard: ChildProcess | undefined;
  let training: ChildProcess | undefined;
  let context: BrowserContext | undefined;
  let page: Page;
  let url: string;
  const pageErrors: string[] = [];
  const metrics = (run: string) => readFileSync(join(logdir, run, 'metrics.jsonl'), 'utf8');
  const trainArgs = (name: string, steps: number, logEvery: number) => [
    'train',
    'data.safetensors',
    `${name}.ckpt.safetensors`,
    `${name}.model.safetensors`,
    '1000',
    '--preset',
    'tiny',
    '-bs',
    '2',
    '--max-steps',
    String(steps),
    '--log-every',
    String(logEvery),
    '--validate-every',
    '10',
    '--checkpoint-every',
    '20',
    '--logdir',
    'runs',
    '--name',
    name,
    '--seed',
    '3',
    '-q',
  ];
  const chartPoints = async (id = 'loss') =>
    Number(await page.getAttribute(`[data-testid="chart-${id}"]`, 'data-points'));

  beforeAll(async () => {
    await mt(['preprocess', FIXTURES, 'data', '64', '-t', '0', '-s', '1', '--workers', '1', '-q'], work);
    // A finished run with a generated sample in its run directory.
    await mt(trainArgs('first', 30, 1), work);
    await mt(
      [
        'generate',
        'first.model.safetensors',
        'runs/first/samples/gen.mid',
        '--max-tokens',
        '200',
        '--seed',
        '5',
        '-i',
        join(FIXTURES, 'solace.mid'),
        '-it',
        '60',
        '-q',
      ],
      work,
    );
    dashboard = mtBackground(['dashboard', '--logdir', 'runs', '--port', '0', '--json'], work);
    url = (await firstJsonLine<{ url: string }>(dashboard)).url;
    // The second run trains while the page watches (logging every 4th step keeps the pace readable);
    // it is stopped in afterAll, long before its 1500 steps.
    training = mtBackground(trainArgs('second', 1500, 4), work);
    context = await chromium.launchPersistentContext(mkdtempSync(join(tmpdir(), 'mt-chromium-')), {
      executablePath: CHROMIUM,
      headless: true,
      args: CHROMIUM_ARGS,
      viewport: { width: 1400, height: 1000 },
    });
    page = context.pages()[0] ?? (await context.newPage());
    page.on('pageerror', (e) => pageErrors.push(e.message));
    page.on('console', (m) => {
      if (m.type() === 'error') pageErrors.push(m.text());
    });
  });

  afterAll(async () => {
    await context?.close();
    await stop(training);
    await stop(dashboard);
    rmSync(work, { recursive: true, force: true });
  });

  it('shows the live run, its loss chart matching metrics.jsonl and growing, other runs and samples', async () => {
    await page.goto(url);
    await page.waitForSelector('[data-testid="connection"]:has-text("live")');
    await page.waitForSelector('[data-testid="run-row-second"]', { timeout: 30_000 });
    await page.click('[data-testid="run-row-second"]');

    // One chart point per train record while the trainer appends (both read within one poll).
    await expect
      .poll(
        async () =>
          (await chartPoints()) === countTrainRecords(metrics('second')) && (await chartPoints()) > 0,
        {
          timeout: 30_000,
          interval: 100,
        },
      )
      .toBe(true);
    const before = await chartPoints();
    await expect.poll(chartPoints, { timeout: 30_000 }).toBeGreaterThan(before);
    expect(await page.textContent('[data-testid="run-row-second"] .status')).toBe('running');

    // Switch to the finished run: exact count, its config, its sample's piano roll.
    await page.click('[data-testid="run-row-first"]');
    await expect.poll(() => page.getAttribute('#details', 'data-run'), SLOW).toBe('first');
    await expect.poll(chartPoints, SLOW).toBe(countTrainRecords(metrics('first')));
    expect(countTrainRecords(metrics('first'))).toBe(30);
    expect(await page.textContent('[data-testid="run-row-first"] .status')).toBe('finished');
    await page.click('[data-testid="open-sample-samples/gen.mid"]');
    await expect
      .poll(async () => Number(await page.getAttribute('[data-testid="sample-roll"]', 'data-notes')), {
        timeout: 10_000,
      })
      .toBeGreaterThan(0);
    // Play it with the Tone.js synth (the click is the user gesture audio needs), then stop.
    const play = page.locator('#samples button', { hasText: 'Play' });
    await play.click();
    await page.locator('#samples button', { hasText: 'Stop' }).click();
    await page.locator('#samples button', { hasText: 'Play' }).waitFor();
    // A Stop that comes while audio is still starting cancels the start: two clicks in one task.
    await page.evaluate(() => {
      const button = Array.from(document.querySelectorAll<HTMLButtonElement>('#samples button')).find((b) =>
        b.textContent?.includes('Play'),
      );
      button?.click();
      button?.click();
    });
    await page.waitForTimeout(1000);
    expect(await page.locator('#samples button', { hasText: 'Stop' }).count()).toBe(0);
    await page.locator('#samples button', { hasText: 'Play' }).waitFor();
    const href = await page.getAttribute('[data-testid="download-sample-samples/gen.mid"]', 'href');
    expect(href).toBe('files/first/samples/gen.mid?download=1');
    const download = await page.request.get(new URL(href as string, url).toString());
    expect(download.headers()['content-disposition']).toBe('attachment; filename="gen.mid"');
    expect(
      Buffer.from(await download.body())
        .subarray(0, 4)
        .toString('latin1'),
    ).toBe('MThd');

    // Overlay the live run on the finished one: both runs' lines on the loss chart.
    const linesAlone = Number(await page.getAttribute('[data-testid="chart-loss"]', 'data-lines'));
    await page.click('[data-testid="compare-second"]');
    await expect
      .poll(async () => Number(await page.getAttribute('[data-testid="chart-loss"]', 'data-lines')), SLOW)
      .toBe(2 * linesAlone);

    // Other x axes keep every point (epoch: fractional epochs; time: wall clock).
    for (const axis of ['epoch', 'time', 'step']) {
      await page.selectOption('#x-axis', axis);
      await expect.poll(() => chartPoints(), SLOW).toBe(30);
    }

    // A live bridge in another process forwards its status events through the dashboard's socket.
    const bridge = await TestClient.open(url.replace(/^http/, 'ws').replace(/\/?(\?.*)?$/, '/ws'));
    const events = [
      { kind: 'state', state: 'playing' },
      { kind: 'rate', tokensPerSecond: 412, realTimeFactor: 1.4 },
      { kind: 'buffer', seconds: 3.5 },
      ...[60, 64, 67, 72].flatMap((pitch, i) => [
        { kind: 'note', pitch, velocity: 90, on: true, time: i * 250 },
        { kind: 'note', pitch, velocity: 0, on: false, time: i * 250 + 500 },
      ]),
      { kind: 'underrun', lateMs: 18, time: 1500 },
    ];
    for (const event of events) bridge.send({ type: 'live', event });
    await expect.poll(() => page.getAttribute('#live', 'data-underruns'), SLOW).toBe('1');
    expect(await page.getAttribute('#live', 'data-notes')).toBe('4');
    expect(await page.textContent('[data-testid="live-stats"]')).toBe(
      'playing · buffer 3.5 s · underruns 1 (last 18 ms late) · 412 tokens/s',
    );
    bridge.close();

    mkdirSync(OUTPUT, { recursive: true });
    await page.screenshot({ path: join(OUTPUT, 'dashboard.png'), fullPage: true });
    expect(pageErrors).toEqual([]);
  });

  it('reconnects after the dashboard restarts and shows the full history again', async () => {
    const port = new URL(url).port;
    await stop(dashboard);
    await page.waitForSelector('[data-testid="connection"]:has-text("disconnected")');
    dashboard = mtBackground(['dashboard', '--logdir', 'runs', '--port', port, '--json'], work);
    await firstJsonLine(dashboard);
    await page.waitForSelector('[data-testid="connection"]:has-text("live")', { timeout: 15_000 });
    await expect.poll(() => chartPoints(), { timeout: 15_000 }).toBe(30);
    // Chromium logs each refused reconnect attempt itself; anything else is a page error.
    expect(pageErrors.filter((e) => !e.includes('net::ERR_CONNECTION_REFUSED'))).toEqual([]);
  });
});
